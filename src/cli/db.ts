import 'reflect-metadata';
import { assertNodeVersion, loadConfig } from '../config.js';
import { initOrm, openDatabase } from '../db/database.js';
import { migrateUp, pendingMigrations, resetDatabase, seed } from '../db/setup.js';

assertNodeVersion();

const usage = 'usage: db <migrate|seed|reset|status|migration:create [name]>';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (!command || !['migrate', 'seed', 'reset', 'status', 'migration:create'].includes(command)) {
    process.stderr.write(usage + '\n');
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase(config, (line) => process.stdout.write(line + '\n'));
  const orm = await initOrm(database.url, config);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateUp(orm);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
        break;
      }
      case 'seed':
        await migrateUp(orm);
        await seed(orm);
        process.stdout.write('seeded\n');
        break;
      case 'reset':
        await resetDatabase(orm);
        process.stdout.write('database reset: schema dropped, migrated and seeded\n');
        break;
      case 'status': {
        const pending = await pendingMigrations(orm);
        process.stdout.write(pending.length ? `pending: ${pending.join(', ')}\n` : 'up to date\n');
        break;
      }
      case 'migration:create': {
        // Diff the entities against a database migrated to the latest committed migration.
        await migrateUp(orm);
        const result = await orm.migrator.create(undefined, false, false, name);
        process.stdout.write(result.fileName ? `created ${result.fileName}; add it to src/migrations/index.ts\n` : 'no changes\n');
        break;
      }
    }
  } finally {
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`db ${process.argv[2] ?? ''} failed: ${(error as Error).message.split('\n')[0]}\n`);
  if (process.env.DEBUG) console.error(error);
  process.exit(1);
});
