import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';

/** The jobs there are; each runs on a cron schedule and can be sent at any time (all idempotent). */
export const JOB_NAMES = ['reminders', 'deliver-emails', 'deliver-webhooks', 'commissioner-alerts', 'commissioner-alerts-sweep'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * Every run of a job leaves a row: RUNNING while it works (a row left RUNNING means its process died;
 * pg-boss runs the job again once its heartbeat lapses), then SUCCEEDED with what it did, or FAILED
 * with the error. The assurance team reads them (`jobRuns`), and /metrics counts them.
 */
export async function recordRun<T extends Record<string, unknown>>(
  em: EntityManager,
  job: JobName,
  queueJobId: string | null,
  asOf: Date,
  work: () => Promise<T>,
): Promise<T> {
  const [{ id }] = await queryRows<{ id: string }>(
    em,
    sql`INSERT INTO job_run (job, queue_job_id, as_of) VALUES (${job}, ${queueJobId}, ${asOf}::timestamptz) RETURNING id`,
  );
  try {
    const summary = await work();
    await queryRows(em, sql`UPDATE job_run SET outcome = 'SUCCEEDED', finished_at = clock_timestamp(), summary = ${JSON.stringify(summary)}::jsonb WHERE id = ${id}`);
    await pruneRuns(em);
    return summary;
  } catch (error) {
    const message = String((error as Error)?.message ?? error).slice(0, 2000);
    await queryRows(em, sql`UPDATE job_run SET outcome = 'FAILED', finished_at = clock_timestamp(), error = ${message} WHERE id = ${id}`).catch(() => undefined);
    throw error;
  }
}

/** How long runs are kept: 30 days; runs of the every-minute jobs that found nothing to do, one day. */
export const RUN_RETENTION = { days: 30, idleDeliveryHours: 24 };

async function pruneRuns(em: EntityManager): Promise<void> {
  await queryRows(
    em,
    sql`DELETE FROM job_run
         WHERE started_at < now() - make_interval(days => ${RUN_RETENTION.days})
            OR (job NOT IN ('reminders', 'commissioner-alerts-sweep') AND outcome = 'SUCCEEDED' AND started_at < now() - make_interval(hours => ${RUN_RETENTION.idleDeliveryHours})
                AND NOT EXISTS (SELECT 1 FROM jsonb_each(summary) kv WHERE kv.value <> '0'::jsonb))`,
  );
}

export interface JobRunRow {
  id: string;
  job: string;
  queue_job_id: string | null;
  started_at: Date;
  finished_at: Date | null;
  as_of: Date;
  outcome: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  summary: Record<string, unknown>;
  error: string | null;
}

/** The most recent runs, newest first, optionally of one job and/or one outcome. */
export function recentRuns(em: EntityManager, filter: { job?: string | null; outcome?: string | null; first: number }): Promise<JobRunRow[]> {
  return queryRows<JobRunRow>(
    em,
    sql`SELECT id, job, queue_job_id, started_at, finished_at, as_of, outcome, summary, error FROM job_run
         WHERE (${filter.job ?? null}::text IS NULL OR job = ${filter.job ?? null}) AND (${filter.outcome ?? null}::text IS NULL OR outcome = ${filter.outcome ?? null})
         ORDER BY started_at DESC, id DESC LIMIT ${filter.first}`,
  );
}
