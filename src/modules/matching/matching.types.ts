import type DataLoader from 'dataloader';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { MatchCost } from '../price/price.types.js';
import { ConnectionType } from '../../graphql/connection.js';
import { Requirement } from '../specification/specification.entity.js';
import { OutcomeStatus } from './outcome-status.js';

@ObjectType({ description: 'A record an outcome rests on: which certificate, DSPT publication, assessment or KPI report.' })
export class EvidenceRef {
  @Field({ description: 'e.g. CERTIFICATION, DSPT_ASSESSMENT, CAPABILITY_ASSESSMENT, FRAMEWORK_AWARD, KPI_REPORT, SOLUTION' })
  kind!: string;

  @Field(() => ID)
  id!: string;

  @Field({ description: 'The record in words, with the dates that matter.' })
  description!: string;
}

@ObjectType({ description: 'One requirement judged for one supplier and solution, with the reason and the records it rests on.' })
export class RequirementOutcome {
  @Field(() => Requirement)
  requirement!: Requirement;

  @Field(() => OutcomeStatus)
  status!: OutcomeStatus;

  @Field({ description: 'A sentence a buyer can read.' })
  reason!: string;

  @Field(() => [EvidenceRef])
  evidence!: EvidenceRef[];
}

@ObjectType({ description: 'A supplier and one of its solutions judged against a specification.' })
export class SupplierMatch {
  supplierId!: string;
  solutionId!: string;

  @Field({ description: 'Every MUST requirement holds for the whole contract term.' })
  eligible!: boolean;

  @Field(() => Float, { description: 'The weighted share of SHOULD requirements met, 0 to 1 (1 when there are none).' })
  score!: number;

  @Field(() => [RequirementOutcome])
  outcomes!: RequirementOutcome[];

  /** The page's costs, one statement for all its matches (SupplierMatch.cost). */
  costs?: DataLoader<string, MatchCost>;
}

export enum MatchOrder {
  /** Eligible first, then by score (highest first), then by supplier and solution name. */
  RELEVANCE = 'RELEVANCE',
  /** Eligible first; within each, priced by total cost (lowest first), then unpriced; then by score and name. */
  COST = 'COST',
}
registerEnumType(MatchOrder, {
  name: 'MatchOrder',
  description: 'How matches are ordered. RELEVANCE: eligible first, then by score. COST: eligible first, each group by total cost over the term, lowest first, the unpriced after the priced; then by score and name.',
});

@ObjectType()
export class SupplierMatchConnection extends ConnectionType(SupplierMatch) {}
