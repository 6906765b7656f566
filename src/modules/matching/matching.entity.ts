import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The matcher's own narrow copy of what makes a solution a candidate, kept by database triggers
 * (matching.projection.ts) in step with supplier, solution, solution_lot and framework_award, in the
 * same transaction as the change. Ranking 10,000 suppliers reads these two small tables instead of
 * joining four wide ones; nothing but the triggers writes them.
 */
@Entity({ tableName: 'match_solution', readonly: true })
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
