import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../common/logger.js';
import { currentScope } from '../common/request-scope.js';
import type { Context } from '../graphql/context.js';

/** Prometheus metrics of one server: requests and latency by operation, SQL per request, the pool. */
export function createMetrics(orm: MikroORM) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations answered, by first root field and outcome (ok or error).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation, by first root field.',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const statements = new Histogram({
    name: 'graphql_sql_statements',
    help: 'SQL statements sent per GraphQL operation.',
    labelNames: ['operation'],
    buckets: [1, 2, 4, 6, 8, 12, 20, 50],
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      try {
        const pool = (await orm.em.getConnection().getNativeClient()) as { totalCount: number; idleCount: number; waitingCount: number };
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } catch {
        // the database is away: leave the last values
      }
    },
  });
  jobMetrics(orm, registry);
  return { registry, requests, duration, statements };
}

/**
 * The background jobs, read from the database at scrape time (so the numbers are the same whichever
 * process ran the jobs: this one, or `npm run worker`): runs in the last 24 hours by job and outcome,
 * each job's last success, and the email and webhook backlogs (dead letters included).
 */
function jobMetrics(orm: MikroORM, registry: Registry): void {
  const read = async <R>(query: string): Promise<R[] | undefined> => {
    try {
      return (await orm.em.fork().getConnection().execute(query)) as R[];
    } catch {
      return undefined; // the database is away: leave the last values
    }
  };
  new Gauge({
    name: 'jobs_runs_last_24h',
    help: 'Runs of each background job started in the last 24 hours, by outcome (RUNNING, SUCCEEDED, FAILED).',
    labelNames: ['job', 'outcome'],
    registers: [registry],
    async collect() {
      const rows = await read<{ job: string; outcome: string; n: string }>(
        `SELECT job, outcome, count(*) AS n FROM job_run WHERE started_at > now() - interval '24 hours' GROUP BY job, outcome`,
      );
      if (!rows) return;
      this.reset();
      for (const r of rows) this.set({ job: r.job, outcome: r.outcome }, Number(r.n));
    },
  });
  new Gauge({
    name: 'jobs_last_success_timestamp_seconds',
    help: 'When each background job last finished successfully (Unix seconds).',
    labelNames: ['job'],
    registers: [registry],
    async collect() {
      const rows = await read<{ job: string; at: string }>(
        `SELECT job, extract(epoch from max(finished_at)) AS at FROM job_run WHERE outcome = 'SUCCEEDED' GROUP BY job`,
      );
      for (const r of rows ?? []) this.set({ job: r.job }, Number(r.at));
    },
  });
  new Gauge({
    name: 'notification_deliveries',
    help: 'Email notifications waiting or failed, and webhook deliveries pending or dead-lettered.',
    labelNames: ['channel', 'status'],
    registers: [registry],
    async collect() {
      const rows = await read<{ channel: string; status: string; n: string }>(
        `SELECT 'email' AS channel, email_status AS status, count(*) AS n FROM notification WHERE email_status IN ('PENDING', 'FAILED') GROUP BY email_status
         UNION ALL
         SELECT 'webhook', status, count(*) FROM webhook_delivery WHERE status IN ('PENDING', 'DEAD') GROUP BY status`,
      );
      if (!rows) return;
      for (const channel of ['email', 'webhook']) for (const status of channel === 'email' ? ['PENDING', 'FAILED'] : ['PENDING', 'DEAD']) this.set({ channel, status }, 0);
      for (const r of rows) this.set({ channel: r.channel, status: r.status }, Number(r.n));
    },
  });
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Operation names come from clients: keep them short and plain so labels stay bounded and safe. */
const label = (name: string | null | undefined) => (name ?? 'anonymous').replace(/[^A-Za-z0-9_]/g, '').slice(0, 64) || 'anonymous';

/** One JSON log line and the metrics for every operation: request id, operation, duration, SQL count. */
export function observabilityPlugin(logger: Logger, metrics?: Metrics): ApolloServerPlugin<Context> {
  // Each label set's series, looked up once (prom-client hashes the labels on every call otherwise).
  const series = new Map<string, { requests: { inc(): void }; duration: { observe(v: number): void }; statements: { observe(v: number): void } }>();
  const seriesFor = (m: Metrics, field: string, outcome: string) => {
    const key = `${field}\u0000${outcome}`;
    let s = series.get(key);
    if (!s) {
      series.set(
        key,
        (s = { requests: m.requests.labels({ operation: field, outcome }), duration: m.duration.labels({ operation: field }), statements: m.statements.labels({ operation: field }) }),
      );
    }
    return s;
  };
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ request, operationName, operation: document, errors, contextValue }) {
          const seconds = (performance.now() - started) / 1000;
          // Metrics are labelled by the first root field (bounded by the schema), never by a client-chosen
          // name that could create unbounded series; the log line keeps the client's name too.
          const root = document?.selectionSet.selections.find((s) => s.kind === 'Field');
          const field = root && root.kind === 'Field' ? root.name.value : 'invalid';
          const operation = label(operationName ?? request.operationName);
          const scope = currentScope();
          const outcome = errors?.length ? 'error' : 'ok';
          if (metrics) {
            const s = seriesFor(metrics, field, outcome);
            s.requests.inc();
            s.duration.observe(seconds);
            if (scope) s.statements.observe(scope.sqlStatements);
          }
          logger.info(
            { requestId: scope?.requestId, operation, field, durationMs: Math.round(seconds * 10_000) / 10, sqlStatements: scope?.sqlStatements, cost: contextValue.cost, outcome, errors: errors?.length ?? 0 },
            'graphql request',
          );
        },
      };
    },
  };
}
