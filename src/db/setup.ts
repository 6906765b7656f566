import type { MikroORM } from '@mikro-orm/postgresql';
import { DatabaseSeeder } from '../../seeds/database.seeder.js';

/** Applies pending migrations; returns the names applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}

/** Loads the seed data; safe to repeat (seeders match on natural keys). */
export async function seed(orm: MikroORM): Promise<void> {
  await orm.seeder.seed(DatabaseSeeder);
}

/** Drops every table (and the migrations table), then migrates and seeds again. */
export async function resetDatabase(orm: MikroORM): Promise<void> {
  const connection = orm.em.getConnection();
  await connection.execute('DROP SCHEMA public CASCADE');
  await connection.execute('CREATE SCHEMA public');
  await migrateUp(orm);
  await seed(orm);
}
