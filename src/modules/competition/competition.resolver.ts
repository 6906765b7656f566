import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { publicBaseUri } from '../../config.js';
import { ConnectionType, type Connection } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Role } from '../identity/identity.viewer.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { money } from '../price/price.entity.js';
import { Shortlist } from '../shortlist/shortlist.entity.js';
import { Competition, CompetitionCriterion, CompetitionModeration, CompetitionScore } from './competition.entity.js';
import { AwardInput, CompetitionResult, CompetitionScoreInput, CompetitionScoresArgs, CompetitionVerification, CreateCompetitionInput } from './competition.inputs.js';
import { competitionOcds } from './competition.ocds.js';
import { CompetitionService } from './competition.service.js';

@ObjectType()
export class CompetitionScoreConnection extends ConnectionType(CompetitionScore) {}
@ObjectType()
export class CompetitionModerationConnection extends ConnectionType(CompetitionModeration) {}

@ObjectType({ description: 'The viewer’s own latest score of one solution on one criterion.' })
export class OwnScore {
  @Field(() => ID) solutionId!: string;
  @Field() criterionCode!: string;
  @Field(() => Int) score!: number;
  @Field() justification!: string;
  @Field(() => Int) version!: number;
}

const ACCESS = 'Your organisation’s tree only (an ICB’s include those under it); another organisation’s is FORBIDDEN.';

@Resolver(() => Competition)
export class CompetitionResolver {
  @Authorized(Role.BUYER)
  @Query(() => Competition, { description: `A further competition. ${ACCESS}` })
  competition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Competition> {
    return new CompetitionService(ctx).get(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => CompetitionVerification, {
    description: 'Recomputes a finalised competition’s hash and its organisation’s chain of decisions (shortlists and competitions), and checks the criteria, every score and moderation version and the award against the snapshot.',
  })
  verifyCompetition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<CompetitionVerification> {
    return new CompetitionService(ctx).verify(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => JSONObjectResolver, {
    description: 'A finalised competition as an OCDS 1.1 release package: tender.awardCriteria (ratedCriteria) and awardCriteriaDetails, and the award with its value (GBP) and supplier, or unsuccessful with the reason (also GET /ocds/competitions/:id; CSV at GET /competitions/:id/results.csv).',
  })
  async competitionOcds(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Record<string, unknown>> {
    const { competition } = await new CompetitionService(ctx).frozen(id);
    return competitionOcds(competition, publicBaseUri());
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Competition, {
    description:
      'Starts an OPEN competition among a FINALISED shortlist’s included solutions. priceWeight 30 to 90 in steps of 5; 1 to 20 criteria, codes unique, whole-number weights of at least 1, summing with priceWeight to 100; requirementCode names a SHOULD of the specification.',
  })
  createCompetition(@Ctx() ctx: Context, @Arg('input', () => CreateCompetitionInput) input: CreateCompetitionInput): Promise<Competition> {
    return new CompetitionService(ctx).create(input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Competition, {
    description:
      'Records your scores as an evaluator (while OPEN): an included solution on a criterion, 1 to 5, with a justification. A changed score is a new version (the earlier ones are kept); an unchanged one records nothing.',
  })
  scoreCompetition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('scores', () => [CompetitionScoreInput]) scores: CompetitionScoreInput[]): Promise<Competition> {
    return new CompetitionService(ctx).score(id, scores);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Competition, {
    description: 'Records agreed scores as the moderator (while OPEN): each for a solution and criterion some evaluator has scored, 1 to 5, with its own justification; a change is a new version. Quote the version you read.',
  })
  moderateCompetition(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('moderations', () => [CompetitionScoreInput]) moderations: CompetitionScoreInput[],
  ): Promise<Competition> {
    return new CompetitionService(ctx).moderate(id, version, moderations);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Competition, {
    description:
      'Records the award and closes scoring (AWARDED); it may be recorded again until finalisation. WINNER: the top-ranked solution only, once every solution is moderated on every criterion; NO_AWARD: a reason; DIRECT_AWARD: only when the shortlist includes exactly one solution, moderated and priced. An unpriced solution cannot be awarded.',
  })
  awardCompetition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Arg('award', () => AwardInput) award: AwardInput): Promise<Competition> {
    return new CompetitionService(ctx).award(id, version, award);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Competition, {
    description:
      'Freezes an AWARDED competition: criteria, weights, every score and moderation version, the costs worked out now, the results and the award, in a canonical snapshot SHA-256 chained to your organisation’s previous decision (shortlist or competition). CONFLICT AWARD_OUTDATED when the award no longer holds on today’s costs.',
  })
  finaliseCompetition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<Competition> {
    return new CompetitionService(ctx).finalise(id, version);
  }

  @FieldResolver(() => Shortlist)
  async shortlist(@Root() c: Competition, @Ctx() ctx: Context): Promise<Shortlist> {
    return ctx.em.findOneOrFail(Shortlist, { id: c.shortlist.id });
  }

  @FieldResolver(() => Organisation)
  owner(@Root() c: Competition, @Ctx() ctx: Context): Promise<Organisation> | Organisation {
    return loadedOr(c.owner, ctx.loaders.organisationById);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The solution awarded (WINNER or DIRECT_AWARD).' })
  awardSolutionId(@Root() c: Competition): string | null {
    return c.awardSolution?.id ?? null;
  }

  @FieldResolver(() => [CompetitionCriterion], { description: 'The non-price criteria in the order given.' })
  criteria(@Root() c: Competition, @Ctx() ctx: Context): Promise<CompetitionCriterion[]> {
    return ctx.loaders.criteriaByCompetition.load(c.id);
  }

  @FieldResolver(() => [CompetitionResult], {
    description:
      'Each included solution’s cost, price and quality points, total and rank: ranked first (by exact total, then higher quality points, lower cost, supplier and solution name), then the unranked (unpriced, or not yet moderated on every criterion). Live until finalised (the price rule of SupplierMatch.cost read today: the prices in effect on the contract start and verified by then, or by today when the start is later, on the specification as it stands), then as frozen.',
  })
  async results(@Root() c: Competition, @Ctx() ctx: Context): Promise<CompetitionResult[]> {
    return (await new CompetitionService(ctx).results(c)).map((r) => ({ ...r, totalCost: r.totalPence === null ? null : money(BigInt(r.totalPence)) }));
  }

  @FieldResolver(() => CompetitionScoreConnection, { description: 'Every score version of every evaluator, in the order recorded.' })
  scores(@Root() c: Competition, @Ctx() ctx: Context, @Args() page: CompetitionScoresArgs): Promise<Connection<CompetitionScore>> {
    return new CompetitionService(ctx).scores(c, page);
  }

  @FieldResolver(() => CompetitionModerationConnection, { description: 'Every agreed-score version, in the order recorded.' })
  moderations(@Root() c: Competition, @Ctx() ctx: Context, @Args() page: CompetitionScoresArgs): Promise<Connection<CompetitionModeration>> {
    return new CompetitionService(ctx).moderations(c, page);
  }

  @FieldResolver(() => [OwnScore], { description: 'Your own latest score of each solution on each criterion (what your scoring grid starts from).' })
  myScores(@Root() c: Competition, @Ctx() ctx: Context): Promise<OwnScore[]> {
    return new CompetitionService(ctx).myScores(c);
  }
}

@Resolver(() => CompetitionScore)
export class CompetitionScoreResolver {
  @FieldResolver(() => ID)
  solutionId(@Root() s: CompetitionScore): string {
    return s.solution.id;
  }
}

@Resolver(() => CompetitionModeration)
export class CompetitionModerationResolver {
  @FieldResolver(() => ID)
  solutionId(@Root() m: CompetitionModeration): string {
    return m.solution.id;
  }
}

@Resolver(() => Shortlist)
export class ShortlistCompetitionsResolver {
  @FieldResolver(() => [Competition], {
    description: `The further competitions run from this shortlist, oldest first (one statement for every shortlist in the response). ${ACCESS}`,
  })
  async competitions(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<Competition[]> {
    // A shortlist is only ever read by its owner's tree (shortlist(id), Competition.shortlist); a
    // competition's owner is its shortlist's, so the check below only guards that invariant.
    const all = await ctx.loaders.competitionsByShortlist.load(shortlist.id);
    return all.filter((c) => c.owner.id === shortlist.owner.id);
  }
}
