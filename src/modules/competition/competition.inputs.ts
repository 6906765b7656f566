import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Money } from '../price/price.entity.js';
import { PageArgs } from '../../graphql/connection.js';
import { AwardOutcome } from './competition.entity.js';

/** The most non-price criteria a competition has. */
export const MAX_CRITERIA = 20;
/** The most scores (or agreed scores) one call records: a grid of up to 50 solutions × 20 criteria... cut to what a form sends. */
export const MAX_SCORES_PER_CALL = 500;
/** The longest justification or reason, in characters. */
export const MAX_JUSTIFICATION = 2000;

@InputType({ description: 'A non-price criterion: a code unique in the competition, a title, a whole-number weight; requirementCode names the specification’s SHOULD it comes from, if any.' })
export class CompetitionCriterionInput {
  @Field({ description: 'Capital letters, digits, - and _, up to 32 characters, e.g. IMPLEMENTATION.' })
  @MaxLength(32)
  code!: string;

  @Field()
  @MaxLength(200)
  title!: string;

  @Field(() => Int, { description: 'At least 1; with the price weight, the weights sum to 100.' })
  weight!: number;

  @Field(() => String, { nullable: true, description: 'A SHOULD requirement of the shortlist’s specification (as frozen in the shortlist).' })
  @IsOptional()
  @MaxLength(32)
  requirementCode?: string | null;
}

@InputType()
export class CreateCompetitionInput {
  @Field(() => ID, { description: 'A FINALISED shortlist of your organisation: its included solutions compete.' })
  @IsUUID()
  shortlistId!: string;

  @Field(() => Int, { description: 'The weight of price: 30 to 90 in steps of 5.' })
  priceWeight!: number;

  @Field(() => [CompetitionCriterionInput], { description: `1 to ${MAX_CRITERIA} non-price criteria whose weights, with priceWeight, sum to 100.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CRITERIA)
  @ValidateNested({ each: true })
  criteria!: CompetitionCriterionInput[];
}

@InputType({ description: 'A score of one solution on one criterion, 1 to 5, with its justification (required, up to 2,000 characters).' })
export class CompetitionScoreInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field()
  @MaxLength(32)
  criterionCode!: string;

  @Field(() => Int)
  score!: number;

  @Field()
  @MaxLength(MAX_JUSTIFICATION)
  justification!: string;
}

@InputType({ description: 'The award: WINNER (the top-ranked solution, named), NO_AWARD (with a reason) or DIRECT_AWARD (the one included solution).' })
export class AwardInput {
  @Field(() => AwardOutcome)
  outcome!: AwardOutcome;

  @Field(() => ID, { nullable: true, description: 'The solution awarded: required for WINNER, optional for DIRECT_AWARD, none for NO_AWARD.' })
  @IsOptional()
  @IsUUID()
  solutionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Required for NO_AWARD; up to 2,000 characters.' })
  @IsOptional()
  @MaxLength(MAX_JUSTIFICATION)
  reason?: string | null;
}

@ArgsType()
export class CompetitionScoresArgs extends PageArgs {}

@ObjectType({ description: 'One criterion’s part of a solution’s result.' })
export class CriterionResult {
  @Field() code!: string;
  @Field() title!: string;
  @Field(() => Int) weight!: number;
  @Field(() => Int, { nullable: true, description: 'The moderated (agreed) score, 1 to 5; null until moderated.' }) agreedScore!: number | null;
  @Field(() => String, { nullable: true, description: 'agreedScore ÷ 5 × weight, exact to 2 decimal places (e.g. "16.00").' }) points!: string | null;
}

@ObjectType({ description: 'One included solution’s result: cost, price and quality points, total and rank (all points as exact decimal strings, 2 places).' })
export class CompetitionResult {
  @Field(() => ID) solutionId!: string;
  @Field() supplierName!: string;
  @Field() solutionName!: string;
  @Field(() => Money, { nullable: true, description: 'The total cost over the term (the price rule and cost formula of SupplierMatch.cost); null when it cannot be priced.' }) totalCost!: Money | null;
  @Field(() => String, { nullable: true, description: 'Why there is no cost: such a solution is left out of the price ranking and cannot be awarded.' }) unpricedReason!: string | null;
  @Field(() => String, { nullable: true, description: 'lowest total ÷ this total × 100, rounded half-up to 2 places (100.00 for the cheapest).' }) priceScore!: string | null;
  @Field(() => String, { nullable: true, description: 'priceWeight × lowest total ÷ this total, rounded half-up to 2 places.' }) pricePoints!: string | null;
  @Field(() => String, { nullable: true, description: 'Σ agreed score ÷ 5 × criterion weight: exact (2 places), null until every criterion is moderated.' }) qualityPoints!: string | null;
  @Field(() => String, { nullable: true, description: 'pricePoints + qualityPoints, out of 100; null when unranked.' }) totalScore!: string | null;
  @Field(() => Int, { nullable: true, description: '1 for the best; null when unranked (unpriced or not fully moderated).' }) rank!: number | null;
  @Field(() => [CriterionResult]) criteria!: CriterionResult[];
}

@ObjectType({ description: 'The result of recomputing a finalised competition’s hash and its organisation’s chain, and checking its rows.' })
export class CompetitionVerification {
  @Field(() => ID) competitionId!: string;
  @Field({ description: 'True when the snapshot, every row (criteria, every score and moderation version, the award) and the chain up to it are as finalised.' }) valid!: boolean;
  @Field(() => String, { nullable: true }) storedHash!: string | null;
  @Field(() => String, { nullable: true }) recomputedHash!: string | null;
  @Field(() => [String], { description: 'What does not match, in words.' }) problems!: string[];
}
