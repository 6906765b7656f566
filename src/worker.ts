import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { assertNodeVersion, ConfigError, loadConfig } from './config.js';
import { createPinoLogger } from './common/logger.js';
import { openDatabase, initOrm, type Database } from './db/database.js';
import { EmbeddedPostgresError } from './db/embedded-postgres.js';
import { pendingMigrations } from './db/setup.js';
import { startWorkers, type Workers } from './modules/jobs/workers.js';
import { documentStoreFor, useDocumentStore } from './modules/document/document.store.js';

/**
 * `npm run worker`: the job workers alone (reminders, email, webhooks), for a deployment whose API
 * replicas run with WORKERS=0. It migrates nothing: it waits for the API to have applied every
 * migration (or refuses after a minute).
 */
assertNodeVersion();

const logger = createPinoLogger();
let database: Database | undefined;
let orm: MikroORM | undefined;
let workers: Workers | undefined;
let stopping = false;

async function fail(message: string): Promise<never> {
  process.stderr.write(`Cannot start the job workers: ${message}\n`);
  await workers?.stop().catch(() => {});
  await orm?.close().catch(() => {});
  await database?.stop().catch(() => {});
  process.exit(1);
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping the job workers');
  const force = setTimeout(() => process.exit(1), 20_000);
  force.unref();
  await workers?.stop().catch((error) => logger.error({ err: error }, 'error stopping workers'));
  await orm?.close().catch(() => {});
  await database?.stop().catch(() => {});
  process.exit(0);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail((error as ConfigError).message);
  }
  try {
    database = await openDatabase(config, (line) => logger.info({}, line));
    orm = await initOrm(database.url, config);
    for (let waited = 0; ; waited += 2) {
      const pending = await pendingMigrations(orm);
      if (!pending.length) break;
      if (waited >= 60) return fail(`migrations are pending (${pending.join(', ')}): start the API, or run npm run migrate, first`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    useDocumentStore(documentStoreFor(config.documents));
    workers = await startWorkers({ orm, logger, email: config.jobs.email });
  } catch (error) {
    return fail(error instanceof EmbeddedPostgresError ? error.message : String((error as Error)?.message ?? error).split('\n')[0]);
  }
}

void main();
