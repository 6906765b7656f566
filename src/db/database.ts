import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.js';
import { ormConfig } from './orm.config.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres.js';

export const EMBEDDED_DATABASE = 'catalogue';

export interface Database {
  url: string;
  embedded?: EmbeddedPostgresHandle;
  /** Stops the embedded server, if we started one. */
  stop(): Promise<void>;
}

/** Creates the named database when it is missing (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + encodeURIComponent(name);
  return parsed.toString();
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL, started (and initialised on first use). */
export async function openDatabase(config: AppConfig, log: (line: string) => void): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  const embedded = await startEmbeddedPostgres(config.embeddedDataDir, log);
  try {
    await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: withDatabaseName(embedded.url, EMBEDDED_DATABASE), embedded, stop: () => embedded.stop() };
}

export function initOrm(url: string, config: Pick<AppConfig, 'poolMax' | 'logSql'>): Promise<MikroORM> {
  return MikroORM.init(ormConfig({ url, poolMax: config.poolMax, logSql: config.logSql }));
}
