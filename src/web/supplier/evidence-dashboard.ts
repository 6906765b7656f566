import { addMonths, daysBetween } from '../../common/dates.js';
import { EXPIRY_ATTENTION_DAYS } from '../../modules/supplier/supplier-attention.js';
export { nextDsptDeadline } from '../../modules/dspt/dspt.entity.js';
import { shortDate } from '../charts/timeline-chart.js';
import type { DsptStatus, SupplierDashboardQuery, VerificationStatus } from '../generated/graphql.js';
import { CERTIFICATIONS } from '../specification/draft.js';

/**
 * What a supplier's evidence dashboard shows, worked out from the API's answer: every record with
 * its verification status and (for dated evidence) days to expiry, and what needs attention first.
 * What needs attention is the API's (Supplier.attention); here it is put in words and linked.
 */
export type Supplier = NonNullable<SupplierDashboardQuery['supplier']>;
type Certificate = Supplier['certifications'][number];
type Dspt = Supplier['dsptHistory'][number];
type Kpi = Supplier['kpiReports'][number];

/** Within this many days an expiry needs attention (the API's rule, for the timeline's words). */
export const EXPIRY_WARNING_DAYS = EXPIRY_ATTENTION_DAYS;

export const CERTIFICATE_LABELS: Record<string, string> = Object.fromEntries(CERTIFICATIONS.map((c) => [c.value, c.text]));
export const DSPT_STATUS_OPTIONS: { value: DsptStatus; text: string }[] = [
  { value: 'STANDARDS_EXCEEDED', text: 'Standards Exceeded' },
  { value: 'STANDARDS_MET', text: 'Standards Met' },
  { value: 'APPROACHING_STANDARDS', text: 'Approaching Standards' },
  { value: 'STANDARDS_NOT_MET', text: 'Standards Not Met' },
  { value: 'NOT_PUBLISHED', text: 'Not Published' },
];
export const DSPT_LABELS: Record<string, string> = Object.fromEntries(DSPT_STATUS_OPTIONS.map((o) => [o.value, o.text]));
export const ASSESSMENT_LABELS: Record<string, string> = { PASSED_FULL: 'Passed – Full', PASSED_PARTIAL: 'Passed – Partial', FAILED: 'Failed' };
export const EPIC_LABELS: Record<string, string> = { PASSED: 'Passed', NOT_EVIDENCED: 'Not Evidenced', FAILED: 'Failed' };

/** The NHS tag for a verification status: its words and colour (the words carry the meaning). */
export function statusTag(status: VerificationStatus): { text: string; classes: string } {
  switch (status) {
    case 'VERIFIED':
      return { text: 'Verified', classes: 'nhsuk-tag--green' };
    case 'SUBMITTED':
      return { text: 'Submitted', classes: 'nhsuk-tag--blue' };
    case 'REJECTED':
      return { text: 'Rejected', classes: 'nhsuk-tag--red' };
    case 'WITHDRAWN':
      return { text: 'Withdrawn', classes: 'nhsuk-tag--grey' };
  }
}

/** "Expires in 14 days", "Expires today", "Expired 3 days ago". */
export function expiryText(days: number, verb: 'Expires' | 'Current until' = 'Expires'): string {
  if (verb === 'Current until') {
    if (days < 0) return `No longer current (ended ${-days} ${-days === 1 ? 'day' : 'days'} ago)`;
    if (days === 0) return 'Current until today';
    return `Current for ${days} more ${days === 1 ? 'day' : 'days'}`;
  }
  if (days < 0) return `Expired ${-days} ${-days === 1 ? 'day' : 'days'} ago`;
  if (days === 0) return 'Expires today';
  return `Expires in ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** Whether a record is in force as far as the supplier is concerned: submitted or verified (for ordering the lists). */
export const live = (status: VerificationStatus) => status === 'SUBMITTED' || status === 'VERIFIED';
/** The month `n` months from the one `today` falls in, YYYY-MM. */
export const monthFrom = (today: string, n: number) => addMonths(`${today.slice(0, 7)}-01`, n).slice(0, 7);

/** "2026-10" as "October 2026". */
export const monthName = (period: string) =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export interface AttentionItem {
  kind: Supplier['attention'][number]['kind'];
  /** What needs doing, in a sentence. */
  text: string;
  /** The rejection's reason, when there is one. */
  reason?: string;
  href: string;
  action: string;
  /** Due within EXPIRY_WARNING_DAYS (or already late). */
  urgent: boolean;
}

export const certificateLabel = (c: Pick<Certificate, 'type' | 'certificateNumber'>) => `${CERTIFICATE_LABELS[c.type] ?? c.type} ${c.certificateNumber}`;

/**
 * The API's attention list (its rules: Supplier.attention) in words, each with the form that deals
 * with it. Only wording and links are decided here.
 */
export function attentionOf(s: Supplier): AttentionItem[] {
  const claimPath = { CAPABILITY_ASSESSMENT: 'capability', EPIC_ASSESSMENT: 'epic', STANDARD_COMPLIANCE: 'standard' } as const;
  return s.attention.map((a): AttentionItem => {
    const reason = a.reason ?? undefined;
    const due = a.dueOn ? shortDate(a.dueOn) : '';
    const days = a.daysUntilDue ?? 0;
    switch (a.kind) {
      case 'REJECTED': {
        const rejected = { kind: a.kind, reason, action: 'Correct and resubmit', urgent: true };
        switch (a.evidenceKind) {
          case 'CERTIFICATION': {
            const c = s.certifications.find((x) => x.id === a.evidenceId);
            return { ...rejected, text: `Certificate ${c ? certificateLabel(c) : a.subject} was rejected.`, href: `/supplier/certificates/${a.evidenceId}/edit` };
          }
          case 'DSPT_ASSESSMENT':
            return { ...rejected, text: `DSPT ${a.dsptCycle} publication was rejected.`, href: `/supplier/dspt/publish?cycle=${a.dsptCycle}` };
          case 'CAPABILITY_ASSESSMENT':
          case 'EPIC_ASSESSMENT':
          case 'STANDARD_COMPLIANCE':
            return { ...rejected, text: `${a.subject} was rejected.`, href: `/supplier/claims/${claimPath[a.evidenceKind]}?solution=${a.solutionId}&${claimPath[a.evidenceKind]}=${a.reference}` };
          case 'KPI_REPORT':
            return { ...rejected, text: `KPI ${a.kpiCode} for ${monthName(a.period!)} was rejected.`, href: `/supplier/kpis/report?kpiCode=${a.kpiCode}&period=${a.period}` };
          default:
            return { ...rejected, text: 'Your latest profile change request was rejected.', href: '/supplier/profile' };
        }
      }
      case 'EXPIRING': {
        const c = s.certifications.find((x) => x.id === a.evidenceId);
        return {
          kind: a.kind,
          text: `Certificate ${c ? certificateLabel(c) : a.subject}: ${expiryText(days).toLowerCase()} (${days < 0 ? 'on' : 'last valid day'} ${due}).`,
          href: `/supplier/certificates/${a.evidenceId}/edit`, action: 'Update with the renewed certificate', urgent: true,
        };
      }
      case 'DSPT_DUE':
        return s.odsCode
          ? { kind: a.kind, text: `DSPT ${a.dsptCycle} is due by ${due} (in ${days} days) and is not yet published here.`, href: `/supplier/dspt/publish?cycle=${a.dsptCycle}`, action: `Publish DSPT ${a.dsptCycle}`, urgent: days <= EXPIRY_WARNING_DAYS }
          : { kind: a.kind, text: `DSPT ${a.dsptCycle} is due by ${due}, but your profile has no ODS code to publish it under: ask the assurance team to add it.`, href: '/supplier/profile', action: 'See your profile', urgent: days <= EXPIRY_WARNING_DAYS };
      case 'KPI_DUE':
        return a.kpiCode
          ? { kind: a.kind, text: `KPI ${a.kpiCode} is not reported for ${monthName(a.period!)} (due by ${due}).`, href: `/supplier/kpis/report?kpiCode=${a.kpiCode}&period=${a.period}`, action: `Report ${a.kpiCode} for ${monthName(a.period!)}`, urgent: true }
          : { kind: a.kind, text: `No KPI figures are reported for ${monthName(a.period!)} (due by ${due}).`, href: `/supplier/kpis/upload?period=${a.period}`, action: `Upload ${monthName(a.period!)}’s KPI figures`, urgent: true };
    }
  });
}

/** Counts of every record by status, for the page's opening line. */
export function statusCounts(s: Supplier): Record<VerificationStatus, number> & { total: number } {
  const all: { verificationStatus: VerificationStatus }[] = [
    ...s.certifications, ...s.dsptHistory, ...s.kpiReports,
    ...s.solutions.flatMap((sol) => [...sol.capabilities, ...sol.epics, ...sol.standards]),
  ];
  const counts = { SUBMITTED: 0, VERIFIED: 0, REJECTED: 0, WITHDRAWN: 0, total: all.length };
  for (const r of all) counts[r.verificationStatus]++;
  return counts;
}

/** Certificates, soonest expiry first (withdrawn and rejected after those in force). */
export function certificateRows(s: Supplier) {
  const rank = (c: Certificate) => (live(c.verificationStatus) ? 0 : 1);
  return [...s.certifications]
    .sort((a, b) => rank(a) - rank(b) || a.validUntil.localeCompare(b.validUntil))
    .map((c) => ({
      ...c,
      label: CERTIFICATE_LABELS[c.type] ?? c.type,
      tag: statusTag(c.verificationStatus),
      expiry: c.verificationStatus === 'WITHDRAWN' ? '' : expiryText(c.daysUntilExpiry),
      soon: live(c.verificationStatus) && c.daysUntilExpiry <= EXPIRY_WARNING_DAYS,
      editable: c.verificationStatus !== 'WITHDRAWN',
    }));
}

/** DSPT publications, newest cycle first, with days until each stops being current. */
export function dsptRows(s: Supplier, today: string) {
  return [...s.dsptHistory]
    .sort((a, b) => b.cycle.localeCompare(a.cycle))
    .map((d: Dspt) => {
      const days = daysBetween(today, d.currentUntil);
      return {
        ...d,
        statusText: DSPT_LABELS[d.status] ?? d.status,
        tag: statusTag(d.verificationStatus),
        daysUntilExpiry: days,
        expiry: d.publishedOn > today ? `Current from ${shortDate(d.publishedOn)}` : expiryText(days, 'Current until'),
        soon: live(d.verificationStatus) && days >= 0 && days <= EXPIRY_WARNING_DAYS,
      };
    });
}

/** KPI reports, newest month first, then by code. */
export function kpiRows(s: Supplier) {
  return [...s.kpiReports]
    .sort((a: Kpi, b: Kpi) => b.period.localeCompare(a.period) || a.kpiCode.localeCompare(b.kpiCode))
    .map((k) => ({ ...k, month: monthName(k.period), tag: statusTag(k.verificationStatus) }));
}

/** Each solution's capability, epic and standard claims, with their tags. */
export function claimRows(s: Supplier) {
  const unverified = (rows: { verificationStatus: VerificationStatus }[]) => rows.filter((r) => r.verificationStatus !== 'VERIFIED').length;
  return s.solutions.map((sol) => ({
    ...sol,
    /** Claims of each kind not (yet) verified: their tables open at once. */
    unverified: { capability: unverified(sol.capabilities), epic: unverified(sol.epics), standard: unverified(sol.standards) },
    capabilities: sol.capabilities.map((a) => ({ ...a, resultText: ASSESSMENT_LABELS[a.result] ?? a.result, tag: statusTag(a.verificationStatus) })),
    epics: sol.epics.map((e) => ({ ...e, resultText: EPIC_LABELS[e.result] ?? e.result, tag: statusTag(e.verificationStatus) })),
    standards: sol.standards.map((st) => ({
      ...st,
      resultText: st.status === 'MET' ? 'Met' : `Remediation plan, due ${shortDate(st.remediationDueOn!)}`,
      tag: statusTag(st.verificationStatus),
    })),
  }));
}
