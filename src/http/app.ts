import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { startReferenceCache, stopReferenceCache } from '../common/reference-cache.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createErrorFormatter } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { currentScope, runInRequestScope } from '../common/request-scope.js';
import { createContext, type Context } from '../graphql/context.js';
import { getSchema } from '../graphql/schema.js';
import { LIMITS, queryLimitRules } from '../graphql/limits.js';
import { pendingMigrations } from '../db/setup.js';
import { createMetrics, observabilityPlugin, type Metrics } from './observability.js';
import { responseCachePlugin } from './response-cache.js';
import type { TokenVerifier } from '../modules/identity/identity.service.js';
import { ANONYMOUS } from '../modules/identity/identity.viewer.js';
import { ocdsShortlistRoute } from '../modules/shortlist/shortlist.http.js';

export interface AppOptions {
  orm: MikroORM;
  logger: Logger;
  production?: boolean;
  /** Verifies bearer tokens; without one every request is the public. */
  verifier?: TokenVerifier;
  /** Schema introspection; off in production unless configured on. */
  introspection?: boolean;
  metrics?: Metrics;
  /** Cache anonymous query answers for this long (off when unset). */
  responseCacheTtlMs?: number;
}

export interface App {
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Stops accepting connections, lets in-flight requests finish, then stops Apollo. */
  stop(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2_000;

/** Whether the database answers a trivial query within the timeout. */
export async function databaseAnswers(orm: MikroORM): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = orm.em.fork().getConnection().execute('SELECT 1');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
    });
    await Promise.race([ping, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function createApolloServer(opts: AppOptions, httpServer?: http.Server): Promise<ApolloServer<Context>> {
  await startReferenceCache(opts.orm);
  const apollo = new ApolloServer<Context>({
    schema: await getSchema(),
    formatError: createErrorFormatter(opts.logger, { hideSuggestions: opts.production ?? false }),
    includeStacktraceInErrorResponses: false,
    introspection: opts.introspection ?? !opts.production,
    validationRules: queryLimitRules,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    // Cache-control hints are unused (no CDN caches POSTed GraphQL) and cost a hook on every field.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ...(httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer })] : []),
      { serverWillStart: async () => ({ serverWillStop: async () => stopReferenceCache(opts.orm) }) },
      observabilityPlugin(opts.logger, opts.metrics),
      ...(opts.responseCacheTtlMs ? [responseCachePlugin({ ttlMs: opts.responseCacheTtlMs })] : []),
    ],
  });
  await apollo.start();
  return apollo;
}

export async function createApp(options: AppOptions): Promise<App> {
  const opts = { ...options, metrics: options.metrics ?? createMetrics(options.orm) };
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = await createApolloServer(opts, httpServer);

  // Liveness: the process answers, and says whether the database does.
  app.get('/healthz', async (_req, res) => {
    const ok = await databaseAnswers(opts.orm);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'up' : 'down' });
  });

  // Readiness: send traffic only when the database answers and every migration is applied.
  app.get('/readyz', async (_req, res) => {
    const database = await databaseAnswers(opts.orm);
    const pending = database ? await pendingMigrations(opts.orm).catch(() => null) : null;
    const ready = database && pending !== null && pending.length === 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database: database ? 'up' : 'down', pendingMigrations: pending });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });

  // The request id (the caller's, when it sends a sane one) follows the request into logs and errors,
  // and every SQL statement sent while serving it is counted against it.
  const scoped: express.RequestHandler = (req, res, next) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    runInRequestScope(next, requestId);
  };

  app.get('/ocds/shortlists/:id', scoped, ocdsShortlistRoute(opts));

  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    scoped,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
        return createContext(opts.orm, currentScope()?.requestId, viewer);
      },
    }),
  );

  return {
    apollo,
    httpServer,
    stop: () => apollo.stop(),
  };
}
