import express from 'express';
import { UUID } from '../../common/ids.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import { AssuranceJobsDocument, AssuranceReplayDeliveryDocument, type JobOutcome } from '../generated/graphql.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';

const JOB_LABELS: Record<string, string> = {
  REMINDERS: 'Reminders to suppliers',
  DELIVER_EMAILS: 'Email deliveries',
  DELIVER_WEBHOOKS: 'Webhook deliveries',
  COMMISSIONER_ALERTS: 'Alerts to commissioners (after changes)',
  COMMISSIONER_ALERTS_SWEEP: 'Alerts to commissioners (nightly sweep)',
};
const OUTCOMES: JobOutcome[] = ['RUNNING', 'SUCCEEDED', 'FAILED'];

/** The words for each count a run's summary holds (reminder kinds count events raised). */
const COUNT_WORDS: Record<string, [string, string]> = {
  CERTIFICATE_EXPIRING: ['certificate expiry reminder', 'certificate expiry reminders'],
  DSPT_PUBLICATION_DUE: ['DSPT reminder', 'DSPT reminders'],
  KPI_REPORT_OVERDUE: ['KPI report reminder', 'KPI report reminders'],
  EVIDENCE_NOT_RESUBMITTED: ['resubmission reminder', 'resubmission reminders'],
  sent: ['email sent', 'emails sent'],
  failed: ['given up', 'given up'],
  retrying: ['to retry', 'to retry'],
  notWanted: ['not wanted by email', 'not wanted by email'],
  skipped: ['not sent (no SMTP_URL)', 'not sent (no SMTP_URL)'],
  delivered: ['delivered', 'delivered'],
  requests: ['change to re-judge', 'changes to re-judge'],
  shortlists: ['shortlist re-judged', 'shortlists re-judged'],
  specifications: ['specification judged', 'specifications judged'],
  judgements: ['requirement judged', 'requirements judged'],
  lapses: ['requirement lapsed', 'requirements lapsed'],
  events: ['alert', 'alerts'],
  notifications: ['inbox notification', 'inbox notifications'],
  webhookDeliveries: ['webhook delivery queued', 'webhook deliveries queued'],
  dead: ['dead-lettered', 'dead-lettered'],
};

/** What a run did, in words, from its JSON summary (counts of zero left out). */
function describe(summary: string): string {
  try {
    const value = JSON.parse(summary) as Record<string, unknown>;
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const n = typeof v === 'number' ? v : ((v as { events?: number } | null)?.events ?? 0);
      if (n > 0) parts.push(`${n} ${(COUNT_WORDS[key] ?? [key, key])[n === 1 ? 0 : 1]}`);
    }
    return parts.length ? parts.join(', ') : 'Nothing to do';
  } catch {
    return summary;
  }
}

/** The assurance team's view of the background jobs: recent runs, failures, dead-lettered webhook deliveries (replayable). */
export function jobRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const assurance = web.requireViewer([Role.ASSURANCE]);

  router.get('/assurance/jobs', assurance, async (req, res) => {
    const outcome = OUTCOMES.find((o) => o === req.query.outcome);
    const data = await web.operations.run(req.viewer, AssuranceJobsDocument, { first: 50, outcome });
    res.render('jobs/jobs.njk', {
      runs: data.jobRuns.map((r) => ({ ...r, label: JOB_LABELS[r.job] ?? r.job, did: describe(r.summary) })),
      dead: data.webhookDeliveries,
      outcome,
      outcomeItems: [{ value: '', text: 'Any outcome' }, ...OUTCOMES.map((o) => ({ value: o, text: o.charAt(0) + o.slice(1).toLowerCase(), selected: o === outcome }))],
      replayed: req.query.replayed === '1',
    });
  });

  router.post('/assurance/jobs/deliveries/:id/replay', assurance, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, AssuranceReplayDeliveryDocument, { id });
    } catch (error) {
      // Replayed meanwhile (by someone else): nothing to do.
      if (!(error instanceof OperationError && error.code === 'CONFLICT')) throw error;
    }
    res.redirect(303, '/assurance/jobs?replayed=1');
  });

  return router;
}
