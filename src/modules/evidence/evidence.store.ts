import { VerificationStatus } from '../../common/evidence.js';
import { rawSql, sql, type SqlFragment } from '../../common/sql.js';

/**
 * Which evidence counts, as SQL over an evidence table aliased `alias` (certification,
 * dspt_assessment, capability_assessment, epic_assessment, standard_compliance, kpi_report): the
 * catalogue's rules about evidence, each stated here once.
 */

/**
 * Evidence verified by a day: verified, and reviewed before that day ended (evidence verified later
 * did not count then; rows never reviewed, loaded verified, always did).
 */
export const verifiedBy = (alias: string, day: string): SqlFragment =>
  sql`${rawSql(alias)}.verification_status = 'VERIFIED' AND (${rawSql(alias)}.reviewed_at IS NULL OR ${rawSql(alias)}.reviewed_at < (${day}::date + 1))`;

/**
 * Which evidence counts in a catalogue query: VERIFIED only, unless the query asked for unverified
 * evidence too, which ASSURANCE may for everyone and a SUPPLIER for its own records only.
 */
export interface EvidenceRule {
  includeSubmitted: boolean;
  /** When set, SUBMITTED evidence counts only for this supplier. */
  onlyFor?: string;
}

export const VERIFIED_ONLY: EvidenceRule = { includeSubmitted: false };

/** The SQL test that a row's evidence counts under `rule`, given the column naming its supplier. */
export function evidenceCounts(rule: EvidenceRule, alias: string, supplierColumn: string): SqlFragment {
  const status = rawSql(`${alias}.verification_status`);
  if (!rule.includeSubmitted) return sql`${status} = ${VerificationStatus.VERIFIED}`;
  if (!rule.onlyFor) return sql`${status} IN (${[VerificationStatus.VERIFIED, VerificationStatus.SUBMITTED]})`;
  return sql`(${status} = ${VerificationStatus.VERIFIED} OR (${status} = ${VerificationStatus.SUBMITTED} AND ${rawSql(supplierColumn)} = ${rule.onlyFor}::uuid))`;
}

/** Verified evidence, as it stands now. */
export const verified = (alias: string): SqlFragment => evidenceCounts(VERIFIED_ONLY, alias, '');
