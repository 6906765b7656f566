import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, withDatabaseName } from '../../src/db/database.js';
import { migrateUp, seed } from '../../src/db/setup.js';
import { ReferenceSeeder } from '../../seeds/reference.seeder.js';
import { RequirementsSeeder } from '../../seeds/requirements.seeder.js';

export const serverUrl = (): string => inject('serverUrl');

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  orm: MikroORM;
  /** Runs SQL on this test's database over its own connection, behind the ORM's back. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on the test server, migrated and (unless asked otherwise) seeded. */
export async function createTestDatabase(
  opts: { migrate?: boolean; seed?: boolean | 'reference' } = {},
): Promise<TestDatabase> {
  const name = `catalogue_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl(), name);
  const orm = await initOrm(url, { poolMax: 5, logSql: false });
  if (opts.migrate !== false) await migrateUp(orm);
  if (opts.migrate !== false && opts.seed === 'reference') await orm.seeder.seed(ReferenceSeeder, RequirementsSeeder);
  else if (opts.migrate !== false && opts.seed !== false) await seed(orm);
  return {
    name,
    url,
    orm,
    async sql(text, params = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text, params);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await orm.close(true);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
