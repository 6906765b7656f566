import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { addDays, addMonths, daysBetween } from '../../common/dates.js';
import { VerificationStatus } from '../evidence/evidence.entity.js';
import { DateScalar } from '../../graphql/scalars.js';
import { CertificationType } from '../certification/certification.entity.js';
import { nextDsptDeadline } from '../dspt/dspt.entity.js';
import { EvidenceKind } from '../evidence/evidence.inputs.js';
import type { Context } from '../../graphql/context.js';
import type { Supplier } from './supplier.entity.js';

/**
 * What a supplier must do next about its evidence, most pressing first: the rules of the supplier's
 * dashboard, here so that every reader (the pages, integrators, the reminders) applies the same ones.
 */
export enum AttentionKind {
  /** The assurance team rejected it: correct and resubmit. */
  REJECTED = 'REJECTED',
  /** A certificate in force lapses within EXPIRY_ATTENTION_DAYS (or has lapsed within them) and nothing of its type follows. */
  EXPIRING = 'EXPIRING',
  /** The DSPT assessment due by the next 30 June is not yet published here. */
  DSPT_DUE = 'DSPT_DUE',
  /** Last month's figure for a KPI reported in the year before it is missing (or no figures at all for last month). */
  KPI_DUE = 'KPI_DUE',
}
registerEnumType(AttentionKind, { name: 'AttentionKind', description: 'Why a piece of evidence needs the supplier’s attention.' });

/** An expiry this close (in days), or a lapse this recent, needs attention. */
export const EXPIRY_ATTENTION_DAYS = 90;

@ObjectType({ description: 'Something a supplier must do about its evidence: what, about which record, and by when.' })
export class AttentionItem {
  @Field(() => AttentionKind)
  kind!: AttentionKind;

  @Field(() => EvidenceKind, { nullable: true, description: 'The record concerned, when there is one.' })
  evidenceKind?: EvidenceKind | null;

  @Field(() => ID, { nullable: true })
  evidenceId?: string | null;

  @Field({ description: 'The record in words, e.g. "Cyber Essentials Plus certificate CE-1" or "DSPT 2026-27".' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'The assurance team’s reason, for a rejection.' })
  reason?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When it is due (the last valid day, 30 June, the end of the month).' })
  dueOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'Days from today to dueOn: negative once past.' })
  daysUntilDue?: number | null;

  @Field(() => ID, { nullable: true, description: 'The solution, for a capability, epic or standard claim.' })
  solutionId?: string | null;

  @Field(() => String, { nullable: true, description: 'The capability, epic or standard reference (C5, C5E1, S24), for a claim.' })
  reference?: string | null;

  @Field(() => CertificationType, { nullable: true })
  certificationType?: CertificationType | null;

  @Field(() => String, { nullable: true, description: 'The DSPT cycle due, e.g. "2026-27".' })
  dsptCycle?: string | null;

  @Field(() => String, { nullable: true })
  kpiCode?: string | null;

  @Field(() => String, { nullable: true, description: 'The month a KPI figure is for, YYYY-MM.' })
  period?: string | null;
}

/** A supplier's records as the rules read them (any verification status). */
export interface AttentionRecords {
  certifications: { id: string; type: CertificationType; certificateNumber: string; validUntil: string; verificationStatus: VerificationStatus; rejectionReason?: string | null }[];
  dspt: { id: string; cycle: string; verificationStatus: VerificationStatus; rejectionReason?: string | null }[];
  kpiReports: { id: string; kpiCode: string; period: string; verificationStatus: VerificationStatus; rejectionReason?: string | null }[];
  claims: {
    kind: EvidenceKind.CAPABILITY_ASSESSMENT | EvidenceKind.EPIC_ASSESSMENT | EvidenceKind.STANDARD_COMPLIANCE;
    id: string; solutionId: string; solutionName: string; reference: string; name: string;
    verificationStatus: VerificationStatus; rejectionReason?: string | null;
  }[];
  /** Newest first. */
  profileChanges: { id: string; verificationStatus: VerificationStatus; rejectionReason?: string | null }[];
}

/** A month's KPI figures are due by the 10th of the month after it. */
export const KPI_REPORT_DUE_DAY = 10;
export const kpiReportDueOn = (period: string) => addDays(`${addMonths(`${period}-01`, 1).slice(0, 7)}-01`, KPI_REPORT_DUE_DAY - 1);

/** Submitted or verified: in force as far as the supplier is concerned. */
const live = (status: VerificationStatus) => status === VerificationStatus.SUBMITTED || status === VerificationStatus.VERIFIED;
const monthOf = (day: string, n: number) => addMonths(`${day.slice(0, 7)}-01`, n).slice(0, 7);

const CLAIM_WORDS = {
  [EvidenceKind.CAPABILITY_ASSESSMENT]: 'capability',
  [EvidenceKind.EPIC_ASSESSMENT]: 'epic',
  [EvidenceKind.STANDARD_COMPLIANCE]: 'standard',
} as const;

/** Everything a rejection, an expiry, the DSPT deadline or last month's KPIs asks of the supplier on `today`, most pressing first. */
export function attentionOf(r: AttentionRecords, today: string): AttentionItem[] {
  const items: AttentionItem[] = [];
  const rejected = (evidenceKind: EvidenceKind, e: { id: string; rejectionReason?: string | null }, subject: string, extra: Partial<AttentionItem> = {}) =>
    items.push({ kind: AttentionKind.REJECTED, evidenceKind, evidenceId: e.id, subject, reason: e.rejectionReason ?? null, ...extra });

  for (const c of r.certifications) {
    if (c.verificationStatus === VerificationStatus.REJECTED) rejected(EvidenceKind.CERTIFICATION, c, `certificate ${c.certificateNumber}`, { certificationType: c.type });
  }
  for (const d of r.dspt) {
    if (d.verificationStatus === VerificationStatus.REJECTED) rejected(EvidenceKind.DSPT_ASSESSMENT, d, `DSPT ${d.cycle}`, { dsptCycle: d.cycle });
  }
  for (const c of r.claims) {
    if (c.verificationStatus === VerificationStatus.REJECTED) {
      rejected(c.kind, c, `${c.solutionName}: ${CLAIM_WORDS[c.kind]} ${c.reference} ${c.name}`, { solutionId: c.solutionId, reference: c.reference });
    }
  }
  for (const k of r.kpiReports) {
    if (k.verificationStatus === VerificationStatus.REJECTED) rejected(EvidenceKind.KPI_REPORT, k, `KPI ${k.kpiCode} for ${k.period}`, { kpiCode: k.kpiCode, period: k.period });
  }
  const latestProfile = r.profileChanges[0];
  if (latestProfile?.verificationStatus === VerificationStatus.REJECTED) rejected(EvidenceKind.PROFILE_CHANGE, latestProfile, 'profile change request');

  for (const c of r.certifications) {
    if (!live(c.verificationStatus)) continue;
    const days = daysBetween(today, c.validUntil);
    if (days > EXPIRY_ATTENTION_DAYS || days < -EXPIRY_ATTENTION_DAYS) continue;
    const renewed = r.certifications.some((o) => o !== c && o.type === c.type && live(o.verificationStatus) && o.validUntil > c.validUntil);
    if (renewed) continue;
    items.push({
      kind: AttentionKind.EXPIRING, evidenceKind: EvidenceKind.CERTIFICATION, evidenceId: c.id, subject: `certificate ${c.certificateNumber}`,
      certificationType: c.type, dueOn: c.validUntil, daysUntilDue: days,
    });
  }

  const { deadline, cycle } = nextDsptDeadline(today);
  if (!r.dspt.some((d) => d.cycle === cycle && d.verificationStatus !== VerificationStatus.WITHDRAWN)) {
    items.push({ kind: AttentionKind.DSPT_DUE, subject: `DSPT ${cycle}`, dsptCycle: cycle, dueOn: deadline, daysUntilDue: daysBetween(today, deadline) });
  }

  // Last month's figure for every KPI reported in the year before it: due by the 10th of this month.
  const last = monthOf(today, -1);
  const yearBefore = monthOf(today, -13);
  const dueOn = kpiReportDueOn(last);
  const due = { dueOn, daysUntilDue: daysBetween(today, dueOn), period: last };
  const inForce = r.kpiReports.filter((k) => k.verificationStatus !== VerificationStatus.WITHDRAWN);
  const codes = [...new Set(inForce.filter((k) => k.period >= yearBefore && k.period < last).map((k) => k.kpiCode))].sort();
  for (const code of codes) {
    if (!inForce.some((k) => k.kpiCode === code && k.period === last)) items.push({ kind: AttentionKind.KPI_DUE, subject: `KPI ${code} for ${last}`, kpiCode: code, ...due });
  }
  if (codes.length === 0 && !inForce.some((k) => k.period === last)) items.push({ kind: AttentionKind.KPI_DUE, subject: `KPI figures for ${last}`, ...due });

  const order = { REJECTED: 0, EXPIRING: 1, DSPT_DUE: 2, KPI_DUE: 3 };
  return items.sort((a, b) => order[a.kind] - order[b.kind] || (a.daysUntilDue ?? 0) - (b.daysUntilDue ?? 0));
}

/**
 * A supplier's records in every status, as the attention rules read them: through the request's
 * loaders, so a page that also lists them (the supplier's dashboard) reads each once.
 */
export async function attentionRecordsOf(ctx: Context, supplier: Supplier): Promise<AttentionRecords> {
  const [certifications, dspt, kpiReports, solutions, profileChanges] = await Promise.all([
    ctx.loaders.certificationsBySupplier.load(supplier.id),
    supplier.odsCode ? ctx.loaders.dsptByOdsCode.load(supplier.odsCode) : Promise.resolve([]),
    ctx.loaders.kpiReportsBySupplier.load(supplier.id),
    ctx.loaders.solutionsBySupplier.load(supplier.id),
    ctx.loaders.profileChangesBySupplier.load(supplier.id),
  ]);
  const ids = solutions.map((s) => s.id);
  const [capabilities, epics, standards] = await Promise.all([
    ctx.loaders.assessmentsBySolution.loadMany(ids),
    ctx.loaders.epicAssessmentsBySolution.loadMany(ids),
    ctx.loaders.complianceBySolution.loadMany(ids),
  ]);
  const claims: AttentionRecords['claims'] = [];
  solutions.forEach((solution, i) => {
    for (const a of listOf(capabilities[i])) {
      const c = ctx.reference.capabilities.get(a.capability.id);
      claims.push({ kind: EvidenceKind.CAPABILITY_ASSESSMENT, id: a.id, solutionId: solution.id, solutionName: solution.name, reference: c?.reference ?? '', name: c?.name ?? '', verificationStatus: a.verificationStatus, rejectionReason: a.rejectionReason });
    }
    for (const a of listOf(epics[i])) {
      const e = ctx.reference.epics.get(a.epic.id);
      claims.push({ kind: EvidenceKind.EPIC_ASSESSMENT, id: a.id, solutionId: solution.id, solutionName: solution.name, reference: e?.reference ?? '', name: e?.name ?? '', verificationStatus: a.verificationStatus, rejectionReason: a.rejectionReason });
    }
    for (const a of listOf(standards[i])) {
      const st = ctx.reference.standards.get(a.standard.id);
      claims.push({ kind: EvidenceKind.STANDARD_COMPLIANCE, id: a.id, solutionId: solution.id, solutionName: solution.name, reference: st?.reference ?? '', name: st?.name ?? '', verificationStatus: a.verificationStatus, rejectionReason: a.rejectionReason });
    }
  });
  return { certifications, dspt, kpiReports, claims, profileChanges };
}

/** A loadMany result: the rows, or none for a key whose load failed. */
const listOf = <T,>(value: T[] | Error): T[] => (value instanceof Error ? [] : value);
