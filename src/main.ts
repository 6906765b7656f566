import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { assertNodeVersion, ConfigError, loadConfig } from './config.js';
import { createPinoLogger } from './common/logger.js';
import { openDatabase, initOrm, type Database } from './db/database.js';
import { EmbeddedPostgresError } from './db/embedded-postgres.js';
import { migrateUp, seed } from './db/setup.js';
import { createApp, type App } from './http/app.js';
import { TokenVerifier } from './modules/identity/identity.service.js';
import { startWorkers, type Workers } from './modules/jobs/workers.js';
import { documentStoreFor, useDocumentStore } from './modules/document/document.store.js';

assertNodeVersion();

const logger = createPinoLogger();
let database: Database | undefined;
let orm: MikroORM | undefined;
let app: App | undefined;
let workers: Workers | undefined;
let stopping = false;

/** Start-up failures are one plain line on stderr and a non-zero exit: never a hang or a stack dump. */
async function fail(message: string): Promise<never> {
  process.stderr.write(`Cannot start the catalogue API: ${message}\n`);
  await orm?.close().catch(() => {});
  await database?.stop().catch(() => {});
  process.exit(1);
}

function reason(error: unknown): string {
  if (error instanceof EmbeddedPostgresError || error instanceof ConfigError) return error.message;
  const e = error as NodeJS.ErrnoException & { message?: string };
  if (e?.code === 'ECONNREFUSED') return `the database at DATABASE_URL refused the connection (${e.message})`;
  if (e?.code === '28P01' || e?.code === '28000') return `the database rejected the credentials in DATABASE_URL (${e.message})`;
  if (e?.code === '3D000') return `the database named in DATABASE_URL does not exist (${e.message})`;
  return e?.message?.split('\n')[0] ?? String(error);
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  const force = setTimeout(() => {
    process.stderr.write('Shutdown took longer than 20 s; exiting.\n');
    process.exit(1);
  }, 20_000);
  force.unref();
  try {
    await app?.stop(); // stops accepting, drains in-flight requests
    await workers?.stop(); // lets a job in flight finish (or leaves it to be run again)
    await orm?.close();
    await database?.stop();
    logger.info({}, 'stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'error during shutdown');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A promise one request's work left rejected and unheard (a library's, say) is logged, not fatal:
  // Node's default would end the process and every other request with it.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(reason(error));
  }

  try {
    database = await openDatabase(config, (line) => logger.info({}, line));
    orm = await initOrm(database.url, config);
    const applied = await migrateUp(orm);
    if (applied.length) logger.info({ migrations: applied }, 'applied migrations');
    await seed(orm);
  } catch (error) {
    return fail(reason(error));
  }
  if (stopping) return;

  // Evidence documents' bytes: PostgreSQL, or the S3-compatible bucket DOCUMENT_STORAGE=s3 names.
  useDocumentStore(documentStoreFor(config.documents));
  app = await createApp({
    orm,
    logger,
    production: config.production,
    introspection: config.introspection,
    responseCacheTtlMs: config.responseCacheSeconds * 1000,
    executor: config.executor,
    verifier: new TokenVerifier(config.identity),
    protection: config.protection,
    metricsEndpoint: { separatePort: config.metrics.port !== undefined, token: config.metrics.token },
    web: { secret: config.web.sessionSecret, oidc: config.web.oidc, devSignIn: config.web.devSignIn },
  });
  if (app.metricsServer) {
    await new Promise<void>((resolve) => {
      app!.metricsServer!.once('error', (error: NodeJS.ErrnoException) => void fail(`METRICS_PORT ${config.metrics.port}: ${reason(error)}`));
      app!.metricsServer!.listen(config.metrics.port, resolve);
    });
  }
  await new Promise<void>((resolve) => {
    app!.httpServer.once('error', (error: NodeJS.ErrnoException) =>
      void fail(error.code === 'EADDRINUSE' ? `port ${config.port} is in use; set PORT to another port` : reason(error)),
    );
    app!.httpServer.listen(config.port, resolve);
  });
  if (config.jobs.workers) {
    try {
      workers = await startWorkers({ orm, logger, email: config.jobs.email });
    } catch (error) {
      return fail(`the job workers could not start: ${reason(error)}`);
    }
  } else {
    logger.info({}, 'WORKERS=0: no job workers in this process');
  }
  const { port } = app.httpServer.address() as AddressInfo;
  logger.info(
    { url: `http://localhost:${port}/graphql`, database: database.embedded ? 'embedded' : 'DATABASE_URL' },
    `catalogue API ready at http://localhost:${port}/graphql`,
  );
}

main().catch((error) => void fail(reason(error)));
