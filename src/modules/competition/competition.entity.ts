import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Shortlist } from '../shortlist/shortlist.entity.js';
import { Solution } from '../solution/solution.entity.js';

export enum CompetitionStatus {
  /** Evaluators score and the moderator agrees scores. */
  OPEN = 'OPEN',
  /** The award is recorded; scores and moderation are closed. */
  AWARDED = 'AWARDED',
  /** Frozen into a snapshot, hash-chained with the organisation's other decisions; never changes. */
  FINALISED = 'FINALISED',
}
registerEnumType(CompetitionStatus, {
  name: 'CompetitionStatus',
  description: 'OPEN (scoring and moderation) → AWARDED (the award recorded) → FINALISED (frozen, hash-chained; never changes).',
});

export enum AwardOutcome {
  /** The top-ranked solution wins. */
  WINNER = 'WINNER',
  /** Nobody is awarded; the reason is required. */
  NO_AWARD = 'NO_AWARD',
  /** Only one included solution remains: it is awarded directly. */
  DIRECT_AWARD = 'DIRECT_AWARD',
}
registerEnumType(AwardOutcome, {
  name: 'AwardOutcome',
  description:
    'WINNER: the top-ranked solution (no other may be named). NO_AWARD: nobody, with a reason. DIRECT_AWARD: only when the shortlist includes exactly one solution, which must be priced.',
});

const RAISE = (what: string) => `RAISE EXCEPTION '${what}' USING ERRCODE = 'insufficient_privilege'`;
/** Rows that are only ever added: a changed score is a new version, never an overwrite. */
const APPEND_ONLY = (table: string) => `${RAISE(`${table} is append-only: changes are new versions`)};`;
/** A new row only while its competition is OPEN. */
const WHILE_OPEN = `IF (SELECT status FROM competition WHERE id = NEW.competition_id) <> 'OPEN' THEN ${RAISE('the competition is no longer open')}; END IF; RETURN NEW;`;

@ObjectType({ description: 'A further competition among a finalised shortlist’s included solutions: price and quality criteria, scores, moderation, the award.' })
@Entity({ tableName: 'competition' })
// The database keeps a finalised competition as it was; verifyCompetition catches whoever gets past this.
@Trigger({
  name: 'competition_frozen',
  timing: 'before',
  events: ['update', 'delete'],
  forEach: 'row',
  body: `IF OLD.status = 'FINALISED' THEN ${RAISE('a finalised competition cannot change')}; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;`,
})
@Check({ name: 'competition_price_weight', expression: 'price_weight >= 30 AND price_weight <= 90 AND price_weight % 5 = 0' })
@Unique({ properties: ['owner', 'sequence'] })
export class Competition {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'status' | 'awardOutcome' | 'awardSolution' | 'awardReason' | 'awardedAt' | 'awardedBy' | 'sequence' | 'snapshot' | 'hash' | 'previousHash' | 'finalisedAt' | 'finalisedBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Shortlist)
  @Index()
  shortlist!: Shortlist;

  @ManyToOne(() => Organisation)
  owner!: Organisation;

  @Field(() => CompetitionStatus)
  @Enum({ items: () => CompetitionStatus, default: CompetitionStatus.OPEN })
  status: CompetitionStatus = CompetitionStatus.OPEN;

  @Field(() => Int, { description: 'The weight of price, 30 to 90 in steps of 5; the criteria’s weights make up the rest of 100.' })
  @Property({ type: 'integer' })
  priceWeight!: number;

  @Property({ length: 200 })
  createdBy!: string;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Field(() => AwardOutcome, { nullable: true })
  @Enum({ items: () => AwardOutcome, nullable: true })
  awardOutcome?: AwardOutcome | null;

  @ManyToOne(() => Solution, { nullable: true })
  @Index()
  awardSolution?: Solution | null;

  @Field(() => String, { nullable: true, description: 'Why: required for NO_AWARD, optional otherwise.' })
  @Property({ type: 'text', nullable: true })
  awardReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  awardedAt?: Date | null;

  @Property({ length: 200, nullable: true })
  awardedBy?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finalisedAt?: Date | null;

  @Property({ length: 200, nullable: true })
  finalisedBy?: string | null;

  @Field(() => Int, { nullable: true, description: 'Position in the owner’s chain of finalised decisions (shortlists and competitions share it).' })
  @Property({ type: 'integer', nullable: true })
  sequence?: number | null;

  /** The canonical snapshot frozen at finalisation. */
  @Property({ type: 'json', nullable: true })
  snapshot?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the previous hash and the canonical snapshot.' })
  @Property({ length: 64, nullable: true })
  hash?: string | null;

  @Field(() => String, { nullable: true, description: 'The hash of the owner’s previous finalised decision (shortlist or competition): the chain link.' })
  @Property({ length: 64, nullable: true })
  previousHash?: string | null;

  @Field(() => Int)
  @Property({ version: true })
  version: number = 1;
}

@ObjectType({ description: 'A non-price award criterion and its weight.' })
@Entity({ tableName: 'competition_criterion' })
@Trigger({ name: 'competition_criterion_fixed', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: APPEND_ONLY('competition_criterion') })
@Unique({ properties: ['competition', 'code'] })
@Check({ name: 'competition_criterion_weight', expression: 'weight >= 1 AND weight <= 70' })
export class CompetitionCriterion {
  [OptionalProps]?: 'requirementCode';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Competition)
  competition!: Competition;

  @Field({ description: 'Unique within the competition, e.g. IMPLEMENTATION or S1.' })
  @Property({ length: 32 })
  code!: string;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field(() => Int, { description: 'Points out of 100 (with the price weight, the weights sum to 100).' })
  @Property({ type: 'integer' })
  weight!: number;

  @Field(() => String, { nullable: true, description: 'The specification’s SHOULD requirement this criterion comes from, if any.' })
  @Property({ length: 32, nullable: true })
  requirementCode?: string | null;

  /** Order of entry (0, 1, ...). */
  @Property({ type: 'integer' })
  position!: number;
}

@ObjectType({ description: 'One evaluator’s score of one solution on one criterion: a version; a change is a new version.' })
@Entity({ tableName: 'competition_score' })
@Trigger({ name: 'competition_score_append_only', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: APPEND_ONLY('competition_score') })
@Trigger({ name: 'competition_score_while_open', timing: 'before', events: ['insert'], forEach: 'row', body: WHILE_OPEN })
@Unique({ properties: ['competition', 'solution', 'criterionCode', 'evaluator', 'version'] })
@Unique({ properties: ['competition', 'seq'] })
@Check({ name: 'competition_score_range', expression: 'score >= 1 AND score <= 5' })
export class CompetitionScore {
  [OptionalProps]?: 'scoredAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Competition)
  competition!: Competition;

  @ManyToOne(() => Solution)
  @Index()
  solution!: Solution;

  @Field()
  @Property({ length: 32 })
  criterionCode!: string;

  @Field({ description: 'The evaluator’s subject (sub) from their sign-in.' })
  @Property({ length: 200 })
  evaluator!: string;

  @Field(() => Int, { description: '1 to 5.' })
  @Property({ type: 'integer' })
  score!: number;

  @Field()
  @Property({ type: 'text' })
  justification!: string;

  @Field(() => Int, { description: 'The version of this evaluator’s score of this solution on this criterion: 1, 2, ...' })
  @Property({ type: 'integer' })
  version!: number;

  /** Order of recording within the competition (1, 2, ...): the page order. */
  @Property({ type: 'integer' })
  seq!: number;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  scoredAt: Date = new Date();
}

@ObjectType({ description: 'The moderator’s agreed score of one solution on one criterion: a version; a change is a new version.' })
@Entity({ tableName: 'competition_moderation' })
@Trigger({ name: 'competition_moderation_append_only', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: APPEND_ONLY('competition_moderation') })
@Trigger({ name: 'competition_moderation_while_open', timing: 'before', events: ['insert'], forEach: 'row', body: WHILE_OPEN })
@Unique({ properties: ['competition', 'solution', 'criterionCode', 'version'] })
@Unique({ properties: ['competition', 'seq'] })
@Check({ name: 'competition_moderation_range', expression: 'score >= 1 AND score <= 5' })
export class CompetitionModeration {
  [OptionalProps]?: 'moderatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Competition)
  competition!: Competition;

  @ManyToOne(() => Solution)
  @Index()
  solution!: Solution;

  @Field()
  @Property({ length: 32 })
  criterionCode!: string;

  @Field({ description: 'The moderator’s subject (sub).' })
  @Property({ length: 200 })
  moderator!: string;

  @Field(() => Int, { description: 'The agreed score, 1 to 5.' })
  @Property({ type: 'integer' })
  score!: number;

  @Field()
  @Property({ type: 'text' })
  justification!: string;

  @Field(() => Int, { description: 'The version of the agreed score of this solution on this criterion: 1, 2, ...' })
  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'integer' })
  seq!: number;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  moderatedAt: Date = new Date();
}
