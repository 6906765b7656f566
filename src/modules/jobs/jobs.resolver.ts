import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { DEFAULT_PAGE_SIZE } from '../../graphql/connection.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { recentRuns, type JobName as QueueName } from './job-runs.js';

export enum JobName {
  REMINDERS = 'REMINDERS',
  DELIVER_EMAILS = 'DELIVER_EMAILS',
  DELIVER_WEBHOOKS = 'DELIVER_WEBHOOKS',
  COMMISSIONER_ALERTS = 'COMMISSIONER_ALERTS',
  COMMISSIONER_ALERTS_SWEEP = 'COMMISSIONER_ALERTS_SWEEP',
}
registerEnumType(JobName, {
  name: 'JobName',
  description:
    'The background jobs: reminders to suppliers (daily), email and webhook deliveries (every minute), and alerts to commissioners: re-judging after changes (every minute, and at once) and the nightly sweep of every watched shortlist.',
});

export enum JobOutcome {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(JobOutcome, { name: 'JobOutcome', description: 'RUNNING: still working, or its process died (pg-boss runs it again).' });

const QUEUES: Record<JobName, QueueName> = {
  REMINDERS: 'reminders',
  DELIVER_EMAILS: 'deliver-emails',
  DELIVER_WEBHOOKS: 'deliver-webhooks',
  COMMISSIONER_ALERTS: 'commissioner-alerts',
  COMMISSIONER_ALERTS_SWEEP: 'commissioner-alerts-sweep',
};
const NAMES = Object.fromEntries(Object.entries(QUEUES).map(([k, v]) => [v, k])) as Record<QueueName, JobName>;

@ObjectType({ description: 'One run of a background job.' })
export class JobRun {
  @Field(() => ID) id!: string;
  @Field(() => JobName) job!: JobName;
  @Field(() => DateTimeScalar) startedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt!: Date | null;
  @Field(() => DateTimeScalar, { description: 'The time the job worked as of (its clock).' }) asOf!: Date;
  @Field(() => JobOutcome) outcome!: JobOutcome;
  @Field({ description: 'What it did, as JSON (e.g. reminders raised per kind, emails sent, webhooks delivered).' }) summary!: string;
  @Field(() => String, { nullable: true, description: 'Why it failed.' }) error!: string | null;
}

@Resolver()
export class JobsResolver {
  @Authorized(Role.ASSURANCE)
  @Query(() => [JobRun], { description: 'Recent runs of the background jobs, newest first: for the assurance team.' })
  async jobRuns(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'How many, 1 to 100.' }) first: number,
    @Arg('job', () => JobName, { nullable: true }) job?: JobName | null,
    @Arg('outcome', () => JobOutcome, { nullable: true }) outcome?: JobOutcome | null,
  ): Promise<JobRun[]> {
    const rows = await recentRuns(ctx.em, { job: job ? QUEUES[job] : null, outcome: outcome ?? null, first: first ?? DEFAULT_PAGE_SIZE });
    return rows.map((r) =>
      Object.assign(new JobRun(), {
        id: r.id, job: NAMES[r.job as QueueName], startedAt: r.started_at, finishedAt: r.finished_at, asOf: r.as_of,
        outcome: r.outcome as JobOutcome, summary: JSON.stringify(r.summary), error: r.error,
      }),
    );
  }
}
