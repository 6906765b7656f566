import { Field, InputType, ObjectType } from 'type-graphql';
import { allInputFields, CriterionType, type FlatCriterionFields } from './index.js';

/**
 * One checkable condition, as GraphQL carries it: one flat object, of which only the fields of its
 * type are set. Its fields are the rules' own (criteria/index.ts): which fields each type takes, and
 * what they mean, is its rule's business; inside the code a criterion is TypedCriterion.
 */
@ObjectType({ description: 'One checkable condition; only the fields of its type are set.' })
@InputType('CriterionInput', { description: 'One checkable condition: give the fields its type needs (see Criterion).' })
export class Criterion {
  @Field(() => CriterionType) type!: CriterionType;
}
export interface Criterion extends FlatCriterionFields {}

for (const [name, declared] of allInputFields()) {
  Field(declared.graphql, { nullable: true, ...(declared.description ? { description: declared.description } : {}) })(Criterion.prototype, name);
}
