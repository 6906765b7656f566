import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { DateScalar } from '../../graphql/scalars.js';

/** The most entries a shortlist may hold. */
export const MAX_SHORTLIST_ENTRIES = 200;

@InputType({ description: 'A matched solution in or out. A rationale is required to exclude an eligible one or include an ineligible one.' })
export class ShortlistEntryInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field()
  included!: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  rationale?: string | null;
}

/** The decisions a shortlist holds: what an update replaces and a creation starts with. */
@InputType()
export class UpdateShortlistInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(8000)
  notes?: string | null;

  @Field(() => [ShortlistEntryInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SHORTLIST_ENTRIES)
  @ValidateNested({ each: true })
  entries!: ShortlistEntryInput[];
}

@InputType()
export class CreateShortlistInput extends UpdateShortlistInput {
  @Field(() => ID)
  @IsUUID()
  specificationId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day the match is judged on; today when omitted.' })
  @IsOptional()
  asOf?: string | null;
}

@ObjectType({ description: 'The result of recomputing a finalised shortlist’s hash and its chain.' })
export class ShortlistVerification {
  @Field(() => ID) shortlistId!: string;
  @Field({ description: 'True when the snapshot, the entries and the whole chain up to this shortlist are as finalised.' }) valid!: boolean;
  @Field(() => String, { nullable: true }) storedHash!: string | null;
  @Field(() => String, { nullable: true }) recomputedHash!: string | null;
  @Field(() => [String], { description: 'What does not match, in words.' }) problems!: string[];
}
