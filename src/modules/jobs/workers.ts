import pg from 'pg';
import { PgBoss, type JobWithMetadata } from 'pg-boss';
import type { MikroORM } from '@mikro-orm/postgresql';
import { systemClock, type Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { REJUDGE_CHANNEL } from '../../db/rejudge-outbox.js';
import { drainAlerts, sweepAlerts } from '../alerts/alerts.service.js';
import { createMailer, deliverEmails, type EmailOptions, type Mailer } from '../notification/email.js';
import { runReminders } from '../notification/reminders.js';
import { startReferenceCache, stopReferenceCache } from '../reference/reference-cache.js';
import { deliverWebhooks, type Poster } from '../webhook/webhook.delivery.js';
import { JOB_NAMES, recordRun, type JobName } from './job-runs.js';

/**
 * The jobs, on pg-boss over the catalogue's own database (no other broker). pg-boss creates and
 * migrates its `pgboss` schema itself when the workers start (its tables are versioned with the
 * package, so a new release migrates them on start-up; several processes may start at once: it takes
 * an advisory lock). Every job is idempotent and recorded in `job_run`; a job whose process died
 * mid-run is run again by pg-boss once its heartbeat lapses, and sends nothing twice.
 *
 * Cron schedules (Europe/London): reminders daily at 06:00, email and webhook deliveries every minute
 * (and straight after a job raises anything); the alerts to commissioners drain their outbox every
 * minute (and at once when a committed change NOTIFYs `rejudge_requested`), and sweep every watched
 * shortlist nightly at 05:30 (src/modules/alerts/).
 */
export const DEFAULT_CRONS: Record<JobName, string> = {
  reminders: '0 6 * * *',
  'deliver-emails': '* * * * *',
  'deliver-webhooks': '* * * * *',
  'commissioner-alerts': '* * * * *',
  'commissioner-alerts-sweep': '30 5 * * *',
};

export interface WorkerOptions {
  orm: MikroORM;
  logger: Logger;
  /** The business clock: what "today" is for reminders and retries (the system clock by default). */
  clock?: Clock;
  email: EmailOptions;
  /** Overrides the SMTP transport built from email.smtpUrl. */
  mailer?: Mailer | null;
  /** Overrides how webhooks are POSTed. */
  poster?: Poster;
  /** Run the cron schedules (default true); tests send jobs themselves. */
  schedule?: boolean;
  crons?: Partial<Record<JobName, string>>;
  /** After reminders or alerts insert anything, send the delivery jobs at once (default true). */
  chain?: boolean;
  /**
   * LISTEN for `rejudge_requested` (NOTIFYed by the outbox triggers at commit, from any process) and
   * send the alerts' drain at once (default true); the every-minute schedule catches anything missed.
   */
  listen?: boolean;
  /**
   * For tests: the next `times` runs of the job fail, as a process dying mid-run would leave them: at
   * once, or (reminders) after `afterReminderKinds` kinds have committed.
   */
  fault?: { job: JobName; times: number; afterReminderKinds?: number };
  /** How long pg-boss waits before running a failed job again (default 30 s, doubling); tests use 0. */
  retryDelaySeconds?: number;
  /**
   * How often an idle worker looks for jobs that no NOTIFY announced (retries coming due): default 5 s.
   * A sent job wakes its worker at once (LISTEN/NOTIFY).
   */
  pollingIntervalSeconds?: number;
}

export interface Workers {
  boss: PgBoss;
  /** Queues the job now (whatever its schedule); resolves with its pg-boss id. */
  send(job: JobName): Promise<string>;
  /**
   * Queues the job and waits until a worker has finished it: completed, or failed (by default also
   * "failed and waiting to retry"; with `settled`, only once retries are over).
   */
  runNow(job: JobName, options?: { timeoutMs?: number; settled?: boolean }): Promise<JobWithMetadata>;
  stop(): Promise<void>;
}

const QUEUE_OPTIONS = {
  policy: 'singleton' as const,
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
  heartbeatSeconds: 60,
  notify: true,
};

export async function startWorkers(opts: WorkerOptions): Promise<Workers> {
  const clock = opts.clock ?? systemClock;
  const mailer = opts.mailer !== undefined ? opts.mailer : createMailer(opts.email.smtpUrl);
  const boss = new PgBoss({
    connectionString: opts.orm.config.get('clientUrl')!,
    max: 4,
    schedule: opts.schedule ?? true,
    supervise: true,
    useListenNotify: true,
    application_name: 'catalogue-jobs',
  });
  boss.on('error', (error) => opts.logger.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning) => opts.logger.warn({ warning }, 'job queue warning'));
  await boss.start();
  // The alerts judge with the reference snapshot (lots, standards... by id), as requests do.
  await startReferenceCache(opts.orm);
  const queueOptions = opts.retryDelaySeconds === undefined ? QUEUE_OPTIONS : { ...QUEUE_OPTIONS, retryDelay: opts.retryDelaySeconds, retryBackoff: opts.retryDelaySeconds > 0 };
  for (const name of JOB_NAMES) {
    if (await boss.getQueue(name)) continue;
    // Two processes starting together may both try: the loser finds the queue made.
    await boss.createQueue(name, queueOptions).catch(async (error) => {
      if (!(await boss.getQueue(name))) throw error;
    });
  }
  if (opts.schedule ?? true) {
    for (const name of JOB_NAMES) await boss.schedule(name, opts.crons?.[name] ?? DEFAULT_CRONS[name], null, { tz: 'Europe/London' });
  }

  const fault = opts.fault ? { ...opts.fault } : undefined;
  const maybeFail = (job: JobName) => {
    if (fault && fault.job === job && fault.times > 0 && fault.afterReminderKinds === undefined) {
      fault.times--;
      throw new Error(`injected fault in ${job}`);
    }
  };

  const deliverSoon = async () => {
    await boss.send('deliver-emails');
    await boss.send('deliver-webhooks');
  };

  const handlers: Record<JobName, (queueJobId: string) => Promise<Record<string, unknown>>> = {
    reminders: async (queueJobId) => {
      const now = clock.now();
      const counts = await recordRun(opts.orm.em.fork(), 'reminders', queueJobId, now, async () => {
        maybeFail('reminders');
        const stopAfter = fault?.job === 'reminders' && fault.times > 0 ? fault.afterReminderKinds : undefined;
        if (stopAfter !== undefined) fault!.times--;
        return { ...(await runReminders(opts.orm.em.fork(), now, stopAfter)) };
      });
      const raised = Object.values(counts).reduce((n, c) => n + (c as { events: number }).events, 0);
      if (raised && (opts.chain ?? true)) await deliverSoon();
      return counts;
    },
    'commissioner-alerts': async (queueJobId) => {
      const now = clock.now();
      const counts = await recordRun(opts.orm.em.fork(), 'commissioner-alerts', queueJobId, now, async () => {
        maybeFail('commissioner-alerts');
        return { ...(await drainAlerts(opts.orm, now)) };
      });
      if (counts.events && (opts.chain ?? true)) await deliverSoon();
      return counts;
    },
    'commissioner-alerts-sweep': async (queueJobId) => {
      const now = clock.now();
      const counts = await recordRun(opts.orm.em.fork(), 'commissioner-alerts-sweep', queueJobId, now, async () => {
        maybeFail('commissioner-alerts-sweep');
        return { ...(await sweepAlerts(opts.orm, now)) };
      });
      if (counts.events && (opts.chain ?? true)) await deliverSoon();
      return counts;
    },
    'deliver-emails': (queueJobId) => {
      const now = clock.now();
      return recordRun(opts.orm.em.fork(), 'deliver-emails', queueJobId, now, async () => {
        maybeFail('deliver-emails');
        return { ...(await deliverEmails(opts.orm.em.fork(), now, mailer, opts.email, opts.logger)) };
      });
    },
    'deliver-webhooks': (queueJobId) => {
      const now = clock.now();
      return recordRun(opts.orm.em.fork(), 'deliver-webhooks', queueJobId, now, async () => {
        maybeFail('deliver-webhooks');
        return { ...(await deliverWebhooks(opts.orm.em.fork(), now, { baseUrl: opts.email.baseUrl, poster: opts.poster, logger: opts.logger })) };
      });
    },
  };

  for (const name of JOB_NAMES) {
    const every = opts.pollingIntervalSeconds ?? 5;
    await boss.work(name, { pollingIntervalSeconds: every, notifyPollingIntervalSeconds: every, batchSize: 1 }, async ([job]) => {
      const summary = await handlers[name](job.id);
      opts.logger.info({ job: name, queueJobId: job.id, summary }, 'job finished');
      return summary;
    });
  }
  const listener = opts.listen ?? true ? await listenForRejudging(opts, () => boss.send('commissioner-alerts')) : null;
  opts.logger.info({ jobs: JOB_NAMES, schedule: opts.schedule ?? true }, 'job workers started');

  const send = async (job: JobName) => {
    const id = await boss.send(job, {});
    if (!id) throw new Error(`pg-boss refused to queue ${job}`);
    return id;
  };

  return {
    boss,
    send,
    async runNow(job, { timeoutMs = 30_000, settled = false } = {}) {
      const id = await send(job);
      const deadline = Date.now() + timeoutMs;
      const done = settled ? ['completed', 'failed', 'cancelled'] : ['completed', 'failed', 'retry', 'cancelled'];
      for (;;) {
        const found = await boss.getJobById<object>(job, id);
        if (found && done.includes(found.state)) return found;
        if (Date.now() > deadline) throw new Error(`${job} (${id}) did not finish within ${timeoutMs} ms (state ${found?.state})`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      await listener?.stop();
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
      stopReferenceCache(opts.orm);
      mailer?.close();
    },
  };
}

/**
 * One connection LISTENing on the outbox's channel: a commit that requested re-judging (in this
 * process or an API replica with WORKERS=0) sends the drain at once; notifications within 100 ms share
 * one. If the connection drops, the every-minute schedule still drains: the outbox, not the
 * notification, is what guarantees the alert.
 */
async function listenForRejudging(opts: WorkerOptions, wake: () => Promise<unknown>): Promise<{ stop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: opts.orm.config.get('clientUrl')!, application_name: 'catalogue-jobs-listen' });
  let timer: NodeJS.Timeout | undefined;
  client.on('error', (error) => opts.logger.warn({ err: error }, 'the re-judging listener lost its connection; the schedule drains instead'));
  client.on('notification', () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      wake().catch((error) => opts.logger.warn({ err: error }, 'could not send the alerts drain'));
    }, 100);
  });
  await client.connect();
  await client.query(`LISTEN ${REJUDGE_CHANNEL}`);
  return {
    async stop() {
      clearTimeout(timer);
      await client.end().catch(() => {});
    },
  };
}
