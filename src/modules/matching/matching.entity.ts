import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { MATCH_EVIDENCE_FUNCTION, matchProjectionTriggers } from './matching.projection.js';

/**
 * The matcher's own narrow copy of what makes a solution a candidate, kept by database triggers
 * (matching.projection.ts) in step with supplier, solution, solution_lot and framework_award, in the
 * same transaction as the change. Ranking 10,000 suppliers reads these two small tables instead of
 * joining four wide ones; nothing but the triggers writes them.
 */
// Rows the projection (re)makes get their evidence columns from the insert trigger.
@Entity({ tableName: 'match_solution', readonly: true, triggers: matchProjectionTriggers('match_solution', ['insert'], MATCH_EVIDENCE_FUNCTION) })
@Index({ properties: ['supplierId'] })
export class MatchSolution {
  @PrimaryKey({ type: 'uuid' })
  solutionId!: string;

  @Property({ type: 'uuid' })
  supplierId!: string;

  @Property({ length: 200 })
  supplierName!: string;

  @Property({ length: 200 })
  solutionName!: string;

  @Property({ length: 10, nullable: true })
  odsCode?: string | null;

  @Property({ type: 'text[]' })
  integrations!: string[];

  @Property({ type: 'text[]' })
  hostingTypes!: string[];

  /** The supplier is active and the solution published: what the public catalogue lists. */
  @Property()
  listed!: boolean;

  // Verified evidence as it stands (match_evidence_sync): ranking for today tests a requirement with
  // one array operator per row instead of hashing the whole evidence table for it.

  /** Standards with verified compliance MET. */
  @Property({ columnType: 'uuid[]', defaultRaw: `'{}'` })
  standardsMet!: string[];

  /**
   * Standards verified not met but with a remediation plan: standard id to the plan's due date.
   * NULL, not {}, when there is none: most solutions have none, and a NULL test is free.
   */
  @Property({ type: 'jsonb', nullable: true })
  standardPlans?: Record<string, string> | null;

  /** Capabilities with a verified assessment of PASSED_PARTIAL or PASSED_FULL. */
  @Property({ columnType: 'uuid[]', defaultRaw: `'{}'` })
  capabilitiesPassed!: string[];

  /** Capabilities with a verified assessment of PASSED_FULL. */
  @Property({ columnType: 'uuid[]', defaultRaw: `'{}'` })
  capabilitiesFull!: string[];

  /** Epics with a verified result of PASSED. */
  @Property({ columnType: 'uuid[]', defaultRaw: `'{}'` })
  epicsPassed!: string[];
}

/** A supplier's verified reports for one KPI, newest period first (match_evidence_sync keeps it). */
@Entity({ tableName: 'match_kpi', readonly: true })
export class MatchKpi {
  @PrimaryKey({ type: 'uuid' })
  supplierId!: string;

  @PrimaryKey({ length: 64 })
  kpiCode!: string;

  @Property({ type: 'text[]' })
  periods!: string[];

  @Property({ columnType: 'double precision[]' })
  vals!: number[];
}

/** A solution offered under a lot on which its supplier holds an award, with that award's dates and status. */
@Entity({ tableName: 'match_offer', readonly: true })
@Index({ properties: ['supplierId'] })
export class MatchOffer {
  @PrimaryKey({ type: 'uuid' })
  solutionId!: string;

  @PrimaryKey({ type: 'uuid' })
  lotId!: string;

  @Property({ type: 'uuid' })
  supplierId!: string;

  @Property({ type: 'uuid' })
  awardId!: string;

  @Property({ type: 'date' })
  awardedOn!: string;

  @Property({ type: 'date' })
  expiresOn!: string;

  @Property({ type: 'text' })
  recordedStatus!: string;
}
