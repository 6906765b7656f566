import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { Requirement } from '../specification/specification.entity.js';

export enum OutcomeStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  PARTIAL = 'PARTIAL',
  LAPSES_DURING_TERM = 'LAPSES_DURING_TERM',
  NO_EVIDENCE = 'NO_EVIDENCE',
}
registerEnumType(OutcomeStatus, {
  name: 'OutcomeStatus',
  description: 'How a supplier stands against one requirement for the whole contract term. Only MET satisfies it.',
});

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
}

@ObjectType()
export class SupplierMatchConnection extends ConnectionType(SupplierMatch) {}
