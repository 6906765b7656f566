import { addDays, addMonths, daysBetween } from '../../common/dates.js';
import { shortDate } from '../charts/timeline-chart.js';
import type { DsptStatus, SupplierDashboardQuery, VerificationStatus } from '../generated/graphql.js';
import { CERTIFICATIONS } from '../specification/draft.js';

/**
 * What a supplier's evidence dashboard shows, worked out from the API's answer: every record with
 * its verification status and (for dated evidence) days to expiry, and what needs attention first.
 * The rules are the page's reading of dates the API gives; nothing here decides what counts.
 */
export type Supplier = NonNullable<SupplierDashboardQuery['supplier']>;
type Certificate = Supplier['certifications'][number];
type Dspt = Supplier['dsptHistory'][number];
type Kpi = Supplier['kpiReports'][number];

/** Within this many days an expiry needs attention. */
export const EXPIRY_WARNING_DAYS = 90;

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

/** Whether a record is in force as far as the supplier is concerned: submitted or verified. */
export const live = (status: VerificationStatus) => status === 'SUBMITTED' || status === 'VERIFIED';

/** "2026-10" as "October 2026". */
export const monthName = (period: string) =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
/** The month `n` months from the one `today` falls in, YYYY-MM. */
export const monthFrom = (today: string, n: number) => addMonths(`${today.slice(0, 7)}-01`, n).slice(0, 7);

/** The next DSPT deadline on or after today (30 June) and the cycle due by it ("2026-27" is due 30 June 2027). */
export function nextDsptDeadline(today: string): { deadline: string; cycle: string } {
  const year = Number(today.slice(0, 4)) + (today.slice(5) > '06-30' ? 1 : 0);
  return { deadline: `${year}-06-30`, cycle: `${year - 1}-${String(year % 100).padStart(2, '0')}` };
}

export interface AttentionItem {
  /** rejected, expiring, dspt, kpi: the order they are listed in. */
  kind: 'REJECTED' | 'EXPIRING' | 'DSPT' | 'KPI';
  /** What needs doing, in a sentence. */
  text: string;
  /** The rejection's reason, when there is one. */
  reason?: string;
  href: string;
  action: string;
  /** Due within EXPIRY_WARNING_DAYS (or already late). */
  urgent: boolean;
  /** For ordering within a kind: days until it is due. */
  days: number;
}

export const certificateLabel = (c: Pick<Certificate, 'type' | 'certificateNumber'>) => `${CERTIFICATE_LABELS[c.type] ?? c.type} ${c.certificateNumber}`;

/** Everything a rejection, an expiry, the DSPT deadline or last month's KPIs asks of the supplier, most pressing first. */
export function attentionOf(s: Supplier, today: string): AttentionItem[] {
  const items: AttentionItem[] = [];
  const rejected = (text: string, reason: string | null | undefined, href: string) =>
    items.push({ kind: 'REJECTED', text, reason: reason ?? undefined, href, action: 'Correct and resubmit', urgent: true, days: 0 });

  for (const c of s.certifications) {
    if (c.verificationStatus === 'REJECTED') rejected(`Certificate ${certificateLabel(c)} was rejected.`, c.rejectionReason, `/supplier/certificates/${c.id}/edit`);
  }
  for (const d of s.dsptHistory) {
    if (d.verificationStatus === 'REJECTED') rejected(`DSPT ${d.cycle} publication was rejected.`, d.rejectionReason, `/supplier/dspt/publish?cycle=${d.cycle}`);
  }
  for (const sol of s.solutions) {
    for (const a of sol.capabilities) {
      if (a.verificationStatus === 'REJECTED')
        rejected(`${sol.name}: capability ${a.capability.reference} ${a.capability.name} was rejected.`, a.rejectionReason, `/supplier/claims/capability?solution=${sol.id}&capability=${a.capability.reference}`);
    }
    for (const e of sol.epics) {
      if (e.verificationStatus === 'REJECTED') rejected(`${sol.name}: epic ${e.epic.reference} ${e.epic.name} was rejected.`, e.rejectionReason, `/supplier/claims/epic?solution=${sol.id}&epic=${e.epic.reference}`);
    }
    for (const st of sol.standards) {
      if (st.verificationStatus === 'REJECTED')
        rejected(`${sol.name}: standard ${st.standard.reference} ${st.standard.name} was rejected.`, st.rejectionReason, `/supplier/claims/standard?solution=${sol.id}&standard=${st.standard.reference}`);
    }
  }
  for (const k of s.kpiReports) {
    if (k.verificationStatus === 'REJECTED') rejected(`KPI ${k.kpiCode} for ${monthName(k.period)} was rejected.`, k.rejectionReason, `/supplier/kpis/report?kpiCode=${k.kpiCode}&period=${k.period}`);
  }
  const profile = s.profileChanges[0];
  if (profile?.verificationStatus === 'REJECTED') rejected('Your latest profile change request was rejected.', profile.rejectionReason, '/supplier/profile');

  // Certificates submitted or verified that lapse within 90 days (or have lapsed) with no later one of the type to follow.
  for (const c of s.certifications) {
    if (!live(c.verificationStatus) || c.daysUntilExpiry > EXPIRY_WARNING_DAYS) continue;
    const renewed = s.certifications.some((o) => o !== c && o.type === c.type && live(o.verificationStatus) && o.validUntil > c.validUntil);
    if (renewed || c.daysUntilExpiry < -EXPIRY_WARNING_DAYS) continue;
    items.push({
      kind: 'EXPIRING',
      text: `Certificate ${certificateLabel(c)}: ${expiryText(c.daysUntilExpiry).toLowerCase()} (${c.daysUntilExpiry < 0 ? 'on' : 'last valid day'} ${shortDate(c.validUntil)}).`,
      href: `/supplier/certificates/${c.id}/edit`,
      action: 'Update with the renewed certificate',
      urgent: true,
      days: c.daysUntilExpiry,
    });
  }

  // The DSPT assessment due by the next 30 June, unless it is published (or a rejection above already says so).
  const { deadline, cycle } = nextDsptDeadline(today);
  const due = daysBetween(today, deadline);
  const forCycle = s.dsptHistory.find((d) => d.cycle === cycle && d.verificationStatus !== 'WITHDRAWN');
  if (!forCycle) {
    items.push({
      kind: 'DSPT',
      text: s.odsCode
        ? `DSPT ${cycle} is due by ${shortDate(deadline)} (in ${due} days) and is not yet published here.`
        : `DSPT ${cycle} is due by ${shortDate(deadline)}, but your profile has no ODS code to publish it under: ask the assurance team to add it.`,
      href: s.odsCode ? `/supplier/dspt/publish?cycle=${cycle}` : '/supplier/profile',
      action: s.odsCode ? `Publish DSPT ${cycle}` : 'See your profile',
      urgent: due <= EXPIRY_WARNING_DAYS,
      days: due,
    });
  }

  // Last month's figure for every KPI reported in the year before it.
  const last = monthFrom(today, -1);
  const yearBefore = monthFrom(today, -13);
  const reported = (code: string) => s.kpiReports.some((k) => k.kpiCode === code && k.period === last && k.verificationStatus !== 'WITHDRAWN');
  const codes = [...new Set(s.kpiReports.filter((k) => k.period >= yearBefore && k.period < last).map((k) => k.kpiCode))].sort();
  const missing = codes.filter((code) => !reported(code));
  const lastDay = addDays(`${monthFrom(today, 0)}-01`, -1);
  for (const code of missing) {
    items.push({
      kind: 'KPI',
      text: `KPI ${code} is not reported for ${monthName(last)}.`,
      href: `/supplier/kpis/report?kpiCode=${code}&period=${last}`,
      action: `Report ${code} for ${monthName(last)}`,
      urgent: true,
      days: daysBetween(today, lastDay),
    });
  }
  if (codes.length === 0 && !s.kpiReports.some((k) => k.period === last)) {
    items.push({ kind: 'KPI', text: `No KPI figures are reported for ${monthName(last)}.`, href: `/supplier/kpis/upload?period=${last}`, action: `Upload ${monthName(last)}’s KPI figures`, urgent: true, days: 0 });
  }

  const order = { REJECTED: 0, EXPIRING: 1, DSPT: 2, KPI: 3 };
  return items.sort((a, b) => order[a.kind] - order[b.kind] || a.days - b.days);
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
