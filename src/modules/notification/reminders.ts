import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../common/dates.js';
import { queryRows, sql } from '../../common/sql.js';
import { CERTIFICATION_LABELS, type CertificationType } from '../certification/certification.entity.js';
import { NotificationKind } from './notification.kinds.js';
import { insertEvents, type InsertedCounts, type NewEvent } from './notification.store.js';

/**
 * The reminders to suppliers. Each kind is decided set-wise (one statement finds every supplier's due
 * reminders of that kind, whatever the number of suppliers), then inserted with its fan-out in one more
 * statement, in one transaction per kind: the unique key of each reminder makes a rerun, or a rerun
 * after a crash between kinds, send nothing twice.
 */

/** Days before a certificate's expiry at which its supplier is reminded, each once. */
export const CERTIFICATE_THRESHOLDS = [90, 30, 7] as const;
/** Day of the month by which last month's KPI report is due. */
export const KPI_DUE_DAY = 10;
/** Days after a rejection before the supplier is reminded to resubmit. */
export const RESUBMIT_AFTER_DAYS = 14;
/** Rejections older than this are not chased (so switching reminders on does not send years of them). */
export const RESUBMIT_LOOKBACK_DAYS = 90;
/** From this day of June, the DSPT reminder is sent once more ("two weeks left"). */
export const DSPT_FINAL_REMINDER_DAY = 16;

export type ReminderCounts = Record<NotificationKind, InsertedCounts>;

const supplierPage = (supplierId: string) => `/suppliers/${supplierId}`;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** Certificates in force (submitted or verified, of active suppliers) within 90 days of expiry with no later one of the same type submitted or verified. */
async function certificateReminders(em: EntityManager, day: string): Promise<NewEvent[]> {
  const rows = await queryRows<{ id: string; supplier_id: string; supplier_name: string; type: CertificationType; certificate_number: string; valid_until: string; days: number; threshold: number }>(
    em,
    sql`SELECT c.id, c.supplier_id, s.name AS supplier_name, c.type, c.certificate_number, to_char(c.valid_until, 'YYYY-MM-DD') AS valid_until,
               (c.valid_until - ${day}::date) AS days,
               (SELECT min(t) FROM unnest(${`{${CERTIFICATE_THRESHOLDS.join(',')}}`}::int[]) t WHERE c.valid_until - ${day}::date <= t) AS threshold
          FROM certification c
          JOIN supplier s ON s.id = c.supplier_id AND s.active
         WHERE c.verification_status IN ('SUBMITTED', 'VERIFIED')
           AND c.valid_until >= ${day}::date AND c.valid_until <= ${day}::date + ${Math.max(...CERTIFICATE_THRESHOLDS)}
           AND NOT EXISTS (SELECT 1 FROM certification r
                            WHERE r.supplier_id = c.supplier_id AND r.type = c.type AND r.id <> c.id
                              AND r.verification_status IN ('SUBMITTED', 'VERIFIED') AND r.valid_until > c.valid_until)`,
  );
  return rows.map((r) => {
    const label = CERTIFICATION_LABELS[r.type] ?? r.type;
    const days = Number(r.days);
    const when = days === 0 ? 'today' : `in ${plural(days, 'day')}`;
    return {
      kind: NotificationKind.CERTIFICATE_EXPIRING,
      dedupeKey: `${NotificationKind.CERTIFICATE_EXPIRING}:${r.id}:${r.valid_until}:${r.threshold}`,
      supplierId: r.supplier_id,
      subject: `Your ${label} certificate ${r.certificate_number} expires ${when}`,
      body:
        `${r.supplier_name}'s ${label} certificate ${r.certificate_number} is valid until ${r.valid_until}. ` +
        'After that it no longer counts in the catalogue: buyers filtering or matching on it will not find you. ' +
        'Submit the renewed certificate so the assurance team can verify it before then.',
      linkPath: supplierPage(r.supplier_id),
      payload: { certificationId: r.id, type: r.type, certificateNumber: r.certificate_number, validUntil: r.valid_until, daysUntilExpiry: days, threshold: Number(r.threshold) },
    };
  });
}

/** The DSPT cycle whose publication is due by 30 June of `day`'s year, and the reminder stage, or null outside 1 May to 30 June. */
export function dsptDue(day: string): { cycle: string; deadline: string; stage: 'OPEN' | 'FINAL' } | null {
  const year = Number(day.slice(0, 4));
  const monthDay = day.slice(5);
  if (monthDay < '05-01' || monthDay > '06-30') return null;
  const cycle = `${year - 1}-${String(year % 100).padStart(2, '0')}`;
  return { cycle, deadline: `${year}-06-30`, stage: monthDay >= `06-${DSPT_FINAL_REMINDER_DAY}` ? 'FINAL' : 'OPEN' };
}

/** Active suppliers with an ODS code and no verified publication for the cycle due this 30 June. */
async function dsptReminders(em: EntityManager, day: string): Promise<NewEvent[]> {
  const due = dsptDue(day);
  if (!due) return [];
  const rows = await queryRows<{ id: string; name: string; ods_code: string }>(
    em,
    sql`SELECT s.id, s.name, s.ods_code FROM supplier s
         WHERE s.active AND s.ods_code IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM dspt_assessment d
                            WHERE d.ods_code = s.ods_code AND d.cycle = ${due.cycle} AND d.verification_status = 'VERIFIED')`,
  );
  return rows.map((r) => ({
    kind: NotificationKind.DSPT_PUBLICATION_DUE,
    dedupeKey: `${NotificationKind.DSPT_PUBLICATION_DUE}:${r.id}:${due.cycle}:${due.stage}`,
    supplierId: r.id,
    subject: due.stage === 'FINAL' ? `Two weeks left: publish your DSPT ${due.cycle} by ${due.deadline}` : `Your DSPT ${due.cycle} publication is due by ${due.deadline}`,
    body:
      `No verified Data Security and Protection Toolkit publication for cycle ${due.cycle} is recorded for ${r.name} (ODS code ${r.ods_code}). ` +
      `Publish it by ${due.deadline} and submit it here: on 1 July your current publication lapses and buyers requiring a DSPT status will not find you.`,
    linkPath: supplierPage(r.id),
    payload: { odsCode: r.ods_code, cycle: due.cycle, deadline: due.deadline, stage: due.stage },
  }));
}

/** Last month as 'YYYY-MM', when `day` is on or after the due day; otherwise null. */
export function kpiPeriodDue(day: string): string | null {
  if (Number(day.slice(8, 10)) < KPI_DUE_DAY) return null;
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * Last month's figure for every KPI a supplier reported (not withdrawn) in the 12 months before it,
 * missing by the 10th: one reminder per supplier and month, naming each KPI missing.
 */
async function kpiReminders(em: EntityManager, day: string): Promise<NewEvent[]> {
  const period = kpiPeriodDue(day);
  if (!period) return [];
  const [y, m] = period.split('-').map(Number);
  const first = `${y - 1}-${String(m).padStart(2, '0')}`;
  const rows = await queryRows<{ id: string; name: string; missing: string[] }>(
    em,
    sql`SELECT s.id, s.name, array_agg(DISTINCT k.kpi_code ORDER BY k.kpi_code) AS missing
          FROM supplier s
          JOIN kpi_report k ON k.supplier_id = s.id AND k.period >= ${first} AND k.period < ${period} AND k.verification_status <> 'WITHDRAWN'
         WHERE s.active
           AND NOT EXISTS (SELECT 1 FROM kpi_report l
                            WHERE l.supplier_id = s.id AND l.kpi_code = k.kpi_code AND l.period = ${period} AND l.verification_status <> 'WITHDRAWN')
         GROUP BY s.id, s.name`,
  );
  return rows.map((r) => ({
    kind: NotificationKind.KPI_REPORT_OVERDUE,
    dedupeKey: `${NotificationKind.KPI_REPORT_OVERDUE}:${r.id}:${period}`,
    supplierId: r.id,
    subject: `Your KPI report for ${period} is overdue`,
    body:
      `${r.name} has not submitted its ${period} figure for ${r.missing.join(', ')}, due by the ${KPI_DUE_DAY}th. ` +
      'Buyers matching on KPIs judge the latest reported periods: submit it now.',
    linkPath: supplierPage(r.id),
    payload: { period, kpiCodes: r.missing },
  }));
}

const REJECTED_KINDS = [
  { kind: 'CERTIFICATION', table: 'certification', owner: 'e.supplier_id', what: 'certificate' },
  { kind: 'DSPT_ASSESSMENT', table: 'dspt_assessment', owner: '(SELECT s.id FROM supplier s WHERE s.ods_code = e.ods_code)', what: 'DSPT publication' },
  { kind: 'CAPABILITY_ASSESSMENT', table: 'capability_assessment', owner: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)', what: 'capability assessment' },
  { kind: 'EPIC_ASSESSMENT', table: 'epic_assessment', owner: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)', what: 'epic assessment' },
  { kind: 'STANDARD_COMPLIANCE', table: 'standard_compliance', owner: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)', what: 'standard compliance evidence' },
  { kind: 'KPI_REPORT', table: 'kpi_report', owner: 'e.supplier_id', what: 'KPI report' },
] as const;

/** Evidence of any kind rejected 14 to 90 days ago and still rejected (resubmitting makes it SUBMITTED again). */
async function rejectedReminders(em: EntityManager, now: Date): Promise<NewEvent[]> {
  const upTo = new Date(now.getTime() - RESUBMIT_AFTER_DAYS * 86_400_000);
  const from = new Date(now.getTime() - RESUBMIT_LOOKBACK_DAYS * 86_400_000);
  const union = REJECTED_KINDS.map(
    (k) => `SELECT '${k.kind}' AS kind, e.id, e.version, e.reviewed_at, e.rejection_reason, ${k.owner} AS supplier_id
              FROM "${k.table}" e WHERE e.verification_status = 'REJECTED' AND e.reviewed_at <= ?::timestamptz AND e.reviewed_at > ?::timestamptz`,
  ).join('\n UNION ALL ');
  const params = REJECTED_KINDS.flatMap(() => [upTo, from]);
  const rows = (await em.getConnection().execute(
    `SELECT r.*, s.name AS supplier_name FROM (${union}) r JOIN supplier s ON s.id = r.supplier_id AND s.active`,
    params as never[],
    'all',
    em.getTransactionContext(),
  )) as { kind: string; id: string; version: number; reviewed_at: Date; rejection_reason: string | null; supplier_id: string; supplier_name: string }[];
  return rows.map((r) => {
    const what = REJECTED_KINDS.find((k) => k.kind === r.kind)!.what;
    const rejectedOn = today(new Date(r.reviewed_at));
    return {
      kind: NotificationKind.EVIDENCE_NOT_RESUBMITTED,
      dedupeKey: `${NotificationKind.EVIDENCE_NOT_RESUBMITTED}:${r.kind}:${r.id}:${r.version}`,
      supplierId: r.supplier_id,
      subject: `Rejected ${what} not yet resubmitted`,
      body:
        `The assurance team rejected ${r.supplier_name}'s ${what} on ${rejectedOn}` +
        (r.rejection_reason ? `: "${r.rejection_reason}". ` : '. ') +
        'It counts nowhere until you correct and resubmit it.',
      linkPath: supplierPage(r.supplier_id),
      payload: { evidenceKind: r.kind, evidenceId: r.id, version: Number(r.version), rejectedOn, reason: r.rejection_reason },
    };
  });
}

/**
 * Runs every reminder kind as of `now`; each kind decides and inserts in its own transaction. Returns
 * what each inserted (all zero on a rerun). `crashAfterKinds` is for tests only.
 */
export async function runReminders(em: EntityManager, now: Date, crashAfterKinds?: number): Promise<ReminderCounts> {
  const day = today(now);
  const deciders: [NotificationKind, (em: EntityManager) => Promise<NewEvent[]>][] = [
    [NotificationKind.CERTIFICATE_EXPIRING, (tx) => certificateReminders(tx, day)],
    [NotificationKind.DSPT_PUBLICATION_DUE, (tx) => dsptReminders(tx, day)],
    [NotificationKind.KPI_REPORT_OVERDUE, (tx) => kpiReminders(tx, day)],
    [NotificationKind.EVIDENCE_NOT_RESUBMITTED, (tx) => rejectedReminders(tx, now)],
  ];
  const counts = {} as ReminderCounts;
  for (const [i, [kind, decide]] of deciders.entries()) {
    // Tests simulate a process dying part-way: the kinds done so far are committed, the rest are not.
    if (crashAfterKinds === i) throw new Error(`injected crash after ${i} reminder kinds`);
    counts[kind] = await em.fork().transactional(async (tx) => insertEvents(tx, await decide(tx), now));
  }
  return counts;
}

