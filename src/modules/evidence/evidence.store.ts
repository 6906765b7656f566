import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from './evidence.entity.js';
import { queryRows, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { EvidenceKind } from './evidence.inputs.js';

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

/** Each kind's table. */
export const EVIDENCE_TABLES: Record<EvidenceKind, string> = {
  CERTIFICATION: 'certification',
  DSPT_ASSESSMENT: 'dspt_assessment',
  CAPABILITY_ASSESSMENT: 'capability_assessment',
  EPIC_ASSESSMENT: 'epic_assessment',
  STANDARD_COMPLIANCE: 'standard_compliance',
  KPI_REPORT: 'kpi_report',
  PROFILE_CHANGE: 'supplier_profile_change',
  PRICE: 'solution_price',
};

/** Who owns a row of each kind, as SQL over the kind's table aliased `e`. */
export const OWNER_SQL: Record<EvidenceKind, string> = {
  CERTIFICATION: 'e.supplier_id',
  KPI_REPORT: 'e.supplier_id',
  PROFILE_CHANGE: 'e.supplier_id',
  DSPT_ASSESSMENT: '(SELECT s.id FROM supplier s WHERE s.ods_code = e.ods_code)',
  CAPABILITY_ASSESSMENT: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)',
  EPIC_ASSESSMENT: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)',
  STANDARD_COMPLIANCE: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)',
  PRICE: '(SELECT so.supplier_id FROM solution so WHERE so.id = e.solution_id)',
};

/** The supplier a piece of evidence belongs to (null when none does, e.g. a DSPT publication under an unknown ODS code). */
export async function evidenceOwner(em: EntityManager, kind: EvidenceKind, id: string): Promise<string | null> {
  const [{ owner }] = await queryRows<{ owner: string | null }>(em, sql`SELECT ${rawSql(OWNER_SQL[kind])} AS owner FROM ${rawSql(EVIDENCE_TABLES[kind])} e WHERE e.id = ${id}::uuid`);
  return owner;
}

export interface EvidenceQueueQuery {
  kinds: EvidenceKind[];
  status: VerificationStatus;
  supplierId?: string | null;
  olderThanDays?: number | null;
}

/** Evidence of these kinds in a status (of one supplier, waiting so many days), as one relation `q`, and the condition on it. */
function evidenceQueue(query: EvidenceQueueQuery): { union: SqlFragment; where: SqlFragment } {
  const union = rawSql(
    query.kinds
      .map((kind) => `SELECT '${kind}' AS kind, e.id, (extract(epoch FROM e.submitted_at) * 1000000)::bigint AS micros, e.verification_status, ${OWNER_SQL[kind]} AS owner FROM ${EVIDENCE_TABLES[kind]} e`)
      .join(' UNION ALL '),
  );
  let where = sql`q.verification_status = ${query.status}`;
  if (query.supplierId) where = sql`${where} AND q.owner = ${query.supplierId}::uuid`;
  if (query.olderThanDays != null) {
    where = sql`${where} AND q.micros <= (extract(epoch FROM now() - make_interval(days => ${query.olderThanDays}::int)) * 1000000)::bigint`;
  }
  return { union, where };
}

/** A page of the queue, oldest submission first; `after` is (microseconds since the epoch, id): the column's full precision, so equal-looking times never repeat a row. */
export function evidenceQueuePage(
  em: EntityManager,
  query: EvidenceQueueQuery,
  first: number,
  after?: [string, string],
): Promise<{ kind: EvidenceKind; id: string; owner: string | null; micros: string }[]> {
  const { union, where } = evidenceQueue(query);
  const next = after ? sql`(q.micros, q.id) > (${after[0]}::bigint, ${after[1]}::uuid)` : sql`TRUE`;
  return queryRows(em, sql`SELECT q.kind, q.id, q.owner, q.micros::text AS micros FROM (${union}) q WHERE ${where} AND ${next}
          ORDER BY q.micros, q.id LIMIT ${first + 1}`);
}

export async function evidenceQueueCount(em: EntityManager, query: EvidenceQueueQuery): Promise<number> {
  const { union, where } = evidenceQueue(query);
  const [{ count }] = await queryRows<{ count: string }>(em, sql`SELECT count(*) FROM (${union}) q WHERE ${where}`);
  return Number(count);
}

/** How many KPI reports a supplier has (any status): what pricing its next read needs after a batch. */
export async function kpiReportCount(em: EntityManager, supplierId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: string }>(em, sql`SELECT count(*) AS n FROM kpi_report WHERE supplier_id = ${supplierId}::uuid`);
  return Number(n);
}

/**
 * The SHA-256s of the documents attached now to each piece of evidence, sorted, by `KIND:id` (none: no
 * entry): what a review and a shortlist snapshot record the evidence rested on. One statement.
 */
export async function attachedHashes(em: EntityManager, keys: { kind: string; id: string }[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const ids = [...new Set(keys.map((k) => k.id))];
  if (ids.length === 0) return out;
  const rows = await queryRows<{ evidence_kind: string; evidence_id: string; hashes: string[] }>(
    em,
    sql`SELECT evidence_kind, evidence_id, array_agg(sha256::text ORDER BY sha256) AS hashes FROM evidence_document
        WHERE evidence_id IN (${ids}) AND removed_at IS NULL GROUP BY evidence_kind, evidence_id`,
  );
  for (const r of rows) out.set(`${r.evidence_kind}:${r.evidence_id}`, r.hashes);
  return out;
}
