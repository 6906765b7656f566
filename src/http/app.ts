import http from 'node:http';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { refreshSizesSoon, startReferenceCache, stopReferenceCache } from '../modules/reference/reference-cache.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createErrorFormatter } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { currentScope, DEFAULT_CONNECTIONS_PER_REQUEST, DEFAULT_STATEMENT_TIMEOUTS, runInRequestScope } from '../common/request-scope.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type GraphQLExecutorKind, type ProtectionConfig } from '../config.js';
import { abortRequestSql } from '../db/fair-pool.js';
import { BodyProblem, bodyErrorHandler, MAX_BODY_BYTES, operationGuardPlugin, refuseVariables, reject, variablesGuard } from './guard.js';
import { createContext, type Context } from '../graphql/context.js';
import { getSchema } from '../graphql/schema.js';
import { compiledGateway } from '../graphql/executor.js';
import { LIMITS, queryLimitRules } from '../graphql/limits.js';
import { pendingMigrations } from '../db/setup.js';
import { createMetrics, observabilityPlugin, type Metrics } from './observability.js';
import { responseCachePlugin } from './response-cache.js';
import type { TokenVerifier } from '../modules/identity/identity.service.js';
import { ANONYMOUS } from '../modules/identity/identity.viewer.js';
import { ocdsShortlistRoute } from '../modules/shortlist/shortlist.http.js';
import { downloadDocumentRoute, uploadDocumentRoute } from '../modules/document/document.http.js';
import { csvCompetitionRoute, ocdsCompetitionRoute } from '../modules/competition/competition.http.js';
import { webRouter, type WebSessionOptions } from '../web/web.js';
import { UserRegistry } from '../modules/user/user.store.js';

export interface AppOptions {
  orm: MikroORM;
  logger: Logger;
  production?: boolean;
  /** Verifies bearer tokens; without one every request is the public. */
  verifier?: TokenVerifier;
  /** Schema introspection; off in production unless configured on. */
  introspection?: boolean;
  metrics?: Metrics;
  /** Compiled operations (graphql-jit, the default) or graphql-js's interpreter. */
  executor?: GraphQLExecutorKind;
  /** Cache anonymous query answers for this long (off when unset). */
  responseCacheTtlMs?: number;
  /** Statement timeouts, request deadline, connections per request, response size (defaults otherwise). */
  protection?: Partial<ProtectionConfig>;
  /** /metrics on its own server (port set: served by `metricsServer`) and/or behind a bearer token. */
  metricsEndpoint?: { separatePort?: boolean; token?: string };
  /** The pages' sessions and sign-in (SESSION_SECRET, OIDC_*). */
  web?: WebSessionOptions;
}

export interface App {
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Serves only /metrics, when configured on a separate port (the caller listens). */
  metricsServer?: http.Server;
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
  const schema = await getSchema();
  const apollo = new ApolloServer<Context>({
    ...(opts.executor === 'graphql-js' ? { schema } : { gateway: compiledGateway(schema) }),
    formatError: createErrorFormatter(opts.logger, { hideSuggestions: opts.production ?? false }),
    includeStacktraceInErrorResponses: false,
    introspection: opts.introspection ?? !opts.production,
    validationRules: queryLimitRules,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    // Compact JSON: Apollo indents by default, which made a nested page's answer about half whitespace
    // to build, write and parse.
    stringifyResult: (value) => JSON.stringify(value),
    // Automatic persisted queries would let anyone fill a server-side cache; clients send the query text.
    persistedQueries: false,
    // Cache-control hints are unused (no CDN caches POSTed GraphQL) and cost a hook on every field.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ...(httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer })] : []),
      { serverWillStart: async () => ({ serverWillStop: async () => stopReferenceCache(opts.orm) }) },
      observabilityPlugin(opts.logger, opts.metrics),
      // Before the response cache: an oversized answer is replaced before the cache could keep it.
      operationGuardPlugin({ maxResponseBytes: opts.protection?.maxResponseBytes, onCommitted: () => refreshSizesSoon(opts.orm) }),
      ...(opts.responseCacheTtlMs ? [responseCachePlugin({ ttlMs: opts.responseCacheTtlMs })] : []),
    ],
  });
  await apollo.start();
  return apollo;
}

/**
 * One GraphQL request through Apollo, on plain Node request and response objects: what
 * @as-integrations/express5 does, without its per-request costs (the legacy url.parse, Express's
 * res.send with its ETag hash and freshness checks on every answer).
 */
async function serveGraphQL(apollo: ApolloServer<Context>, context: (req: http.IncomingMessage) => Promise<Context>, req: http.IncomingMessage, body: unknown, res: http.ServerResponse): Promise<void> {
  const headers = new HeaderMap();
  for (const key in req.headers) {
    const value = req.headers[key];
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: q >= 0 ? url.slice(q) : '', body },
    context: () => context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === 'complete') {
    // Encoded once: its length is the header's, and the socket takes the bytes as they are (a string
    // was measured for its length, then encoded again on the way out).
    const bytes = Buffer.from(response.body.string, 'utf8');
    res.setHeader('Content-Length', bytes.length);
    res.end(req.method === 'HEAD' ? undefined : bytes);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A JSON POST to exactly /graphql, with a body in UTF-8 and no content encoding: what clients send. */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;
export function isPlainGraphQLPost(req: http.IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return false;
  return JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '');
}

/**
 * Reads such a body as express.json({ limit: 100 kB }) does, with the same refusals: too large (after
 * reading it off, as body-parser does), a byte BOM dropped, an empty body as {}, and only an object or
 * an array at the top (strict). Undefined when the client went away. (A refusal is answered by the
 * caller, after its await: the request's scope, and so its id, is not there in a stream's callbacks.)
 */
function readJsonBody(req: http.IncomingMessage): Promise<{ body: unknown } | { refuse: (res: http.ServerResponse) => void } | undefined> {
  return new Promise((resolve) => {
    const declared = req.headers['content-length'];
    let over = declared !== undefined && Number(declared) > MAX_BODY_BYTES;
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.once('error', () => resolve(undefined));
    req.once('end', () => {
      if (over) return resolve({ refuse: BodyProblem.tooLarge });
      let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) return resolve({ body: {} });
      const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
      if (first !== '{' && first !== '[') return resolve({ refuse: BodyProblem.malformed });
      try {
        resolve({ body: JSON.parse(text) });
      } catch {
        resolve({ refuse: BodyProblem.malformed });
      }
    });
  });
}

/** Constant-time comparison of an `Authorization: Bearer` header with the expected token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export async function createApp(options: AppOptions): Promise<App> {
  const opts = { ...options, metrics: options.metrics ?? createMetrics(options.orm) };
  const protection: ProtectionConfig = {
    statementTimeouts: DEFAULT_STATEMENT_TIMEOUTS,
    requestTimeoutMs: Math.max(...Object.values(options.protection?.statementTimeouts ?? DEFAULT_STATEMENT_TIMEOUTS)) + 5_000,
    connectionsPerRequest: DEFAULT_CONNECTIONS_PER_REQUEST,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    ...options.protection,
  };
  const app = express();
  app.disable('x-powered-by');
  // Requests are dispatched below: a JSON POST to /graphql directly, the rest through Express.
  const httpServer = http.createServer();
  const apollo = await createApolloServer(opts, httpServer);
  const users = new UserRegistry();

  // The request id (the caller's, when it sends a sane one) follows the request into logs and errors,
  // and every SQL statement sent while serving it is counted against it.
  const scoped = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void): void => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    runInRequestScope(
      () => {
        // Past its deadline, or once its client has gone, a request's SQL is cancelled (fair-pool.ts).
        const scope = currentScope()!;
        const deadline = setTimeout(() => abortRequestSql(scope, 'timeout'), protection.requestTimeoutMs);
        deadline.unref();
        res.once('close', () => {
          clearTimeout(deadline);
          if (!res.writableFinished) abortRequestSql(scope, 'disconnected');
        });
        next();
      },
      requestId,
      { timeouts: protection.statementTimeouts, connectionLimit: protection.connectionsPerRequest },
    );
  };

  const graphqlContext = async (req: http.IncomingMessage) => {
    const identity = opts.verifier ? await opts.verifier.identify(req.headers.authorization) : { viewer: ANONYMOUS };
    const context = createContext(opts.orm, currentScope()?.requestId, identity.viewer);
    // The person behind a token gets an account (once per process, again when their claims change), so
    // notifications have someone to reach. Never fails the request.
    if (identity.viewer.kind !== 'anonymous') {
      await users.remember(context.em, { ...identity, viewer: identity.viewer }).catch((error) => opts.logger.warn({ err: error }, 'could not record the user'));
    }
    return context;
  };

  // Whatever fails outside GraphQL answers JSON with a request id: never Express's HTML page or a stack trace.
  const answerUnhandled = (error: unknown, res: http.ServerResponse) => {
    const requestId = currentScope()?.requestId;
    opts.logger.error({ err: error, requestId }, 'unhandled error outside GraphQL');
    if (res.headersSent) return void res.destroy();
    reject(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
  };

  // What clients send (a JSON POST to /graphql) is served before Express sees it: its router, body
  // parser and request decoration were about a tenth of a small request's CPU. The same scope, body
  // rules, variable guard and handler as the Express route below, which serves everything else there
  // (GET, other content types, compressed bodies).
  const serveFast = (req: http.IncomingMessage, res: http.ServerResponse) =>
    scoped(req, res, () => {
      (async () => {
        const read = await readJsonBody(req);
        if (!read) return;
        if ('refuse' in read) return read.refuse(res);
        if (refuseVariables(read.body, res)) return;
        await serveGraphQL(apollo, graphqlContext, req, read.body, res);
      })().catch((error) => answerUnhandled(error, res));
    });
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => (isPlainGraphQLPost(req) ? serveFast(req, res) : app(req, res)));

  // The API first: every route before it is one more match on each of its requests.
  const graphqlRoute: express.RequestHandler = (req, res, next) => {
    serveGraphQL(apollo, graphqlContext, req, 'body' in req ? req.body : undefined, res).catch(next);
  };
  app.use('/graphql', scoped, express.json({ limit: MAX_BODY_BYTES }), bodyErrorHandler, variablesGuard, graphqlRoute);

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

  const metricsRoute: express.RequestHandler = async (req, res) => {
    const token = opts.metricsEndpoint?.token;
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'a bearer token is required for /metrics' });
      return;
    }
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  };
  let metricsServer: http.Server | undefined;
  if (opts.metricsEndpoint?.separatePort) {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.get('/metrics', metricsRoute);
    metricsServer = http.createServer(metricsApp);
  } else {
    app.get('/metrics', metricsRoute);
  }

  app.get('/ocds/shortlists/:id', scoped, ocdsShortlistRoute(opts));
  // Evidence documents: multipart upload (streamed, at most 10 MB) and download, with the API's bearer token.
  app.post('/evidence/:kind/:id/documents', scoped, uploadDocumentRoute(opts));
  app.get('/documents/:id', scoped, downloadDocumentRoute(opts));
  app.get('/ocds/competitions/:id', scoped, ocdsCompetitionRoute(opts));
  app.get('/competitions/:id/results.csv', scoped, csvCompetitionRoute(opts));

  // The web service: pages built on the same schema, in-process.
  const web = webRouter({ apollo, orm: opts.orm, logger: opts.logger, production: opts.production ?? false, session: opts.web });
  app.use(scoped, web);

  app.use(((error, _req, res, next) => {
    if (res.headersSent) return next(error);
    answerUnhandled(error, res);
  }) as express.ErrorRequestHandler);

  return {
    apollo,
    httpServer,
    metricsServer,
    stop: async () => {
      if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer!.close(() => resolve()));
      await apollo.stop();
      await web.close();
    },
  };
}
