import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '../../common/ids.js';
import { hasVisibleText } from '../../common/text.js';
import { keysetPage, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { expectVersion, mutate } from '../../graphql/mutation.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot as auditSnapshot } from '../audit/audit.service.js';
import { canonicalJson, chainHash, lockOrganisationChain, nextLink, verifyChain } from '../decision/decision.chain.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { growSize } from '../reference/reference-cache.js';
import { costLines } from '../price/price.store.js';
import { costsOf, type MatchCost } from '../price/price.types.js';
import { Shortlist, ShortlistStatus } from '../shortlist/shortlist.entity.js';
import { ShortlistService } from '../shortlist/shortlist.service.js';
import { Solution } from '../solution/solution.entity.js';
import { costParametersOf } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { AwardOutcome, Competition, CompetitionCriterion, CompetitionModeration, CompetitionScore, CompetitionStatus } from './competition.entity.js';
import { CompetitionErrors } from './competition.errors.js';
import { MAX_JUSTIFICATION, MAX_SCORES_PER_CALL, type AwardInput, type CompetitionScoreInput, type CompetitionVerification, type CreateCompetitionInput } from './competition.inputs.js';
import { rank, type Contestant, type ResultRow } from './competition.scoring.js';
import { competitionCount, currentModerations, currentScores, lastSeq } from './competition.store.js';
import type { CompetitionSnapshot, SnapshotSupplier } from './competition.snapshot.js';

const bad = CompetitionErrors.invalid;
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
/** Text with no visible letter or digit (spaces, zero-width and bidi characters, Hangul fillers, a braille blank, marks alone) is no justification, title or reason. */
const blank = (text: string | null | undefined) => !hasVisibleText(text);

/** The parts of a finalised shortlist's snapshot a competition reads. */
interface ShortlistSnap {
  owner: { odsCode: string; name: string };
  specification: { id: string; title: string; frameworkCodes: string[]; contractStart: string; contractEnd: string; requirements: { code: string; title: string; priority: string }[] };
  entries: { supplier: SnapshotSupplier; solution: { id: string; name: string }; included: boolean }[];
}

/** What a competition is judged on and its results, live (before finalisation). */
export interface Computed {
  snap: ShortlistSnap;
  criteria: CompetitionCriterion[];
  contestants: (Contestant & { supplier: SnapshotSupplier })[];
  costs: Map<string, MatchCost>;
  parameters: ReturnType<typeof costParametersOf>;
  specificationVersion: number;
  results: ResultRow[];
}

/** One computation per competition and version within a request (results and the award share it). */
const computed = new WeakMap<Competition, { version: number; work: Promise<Computed> }>();

export class CompetitionService {
  constructor(private readonly ctx: Context) {}

  private get sub(): string {
    return (this.ctx.viewer as { sub: string }).sub;
  }

  /**
   * A competition of the buyer's organisation tree; another organisation's answers FORBIDDEN. `lock`
   * (inside a mutation) reads it FOR UPDATE: one writer at a time numbers its scores and moderations,
   * and each checks status and version against what the one before it committed.
   */
  async get(id: string, em: EntityManager = this.ctx.em, lock = false): Promise<Competition> {
    const competition = UUID.test(id) ? await em.findOne(Competition, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {}) : null;
    if (!competition) throw CompetitionErrors.notFound();
    const { ids } = await new SpecificationService(this.ctx).buyerScope(em);
    if (!ids.has(competition.owner.id)) throw IdentityErrors.notYours('competition');
    return competition;
  }

  private assertOpen(c: Competition): void {
    if (c.status === CompetitionStatus.FINALISED) throw CompetitionErrors.finalised(c.version);
    if (c.status !== CompetitionStatus.OPEN) throw CompetitionErrors.notOpen(c.status, c.version);
  }

  /** The shortlist's frozen snapshot, the criteria and the contestants (the shortlist's included solutions, by supplier then solution name). */
  private async frame(em: EntityManager, c: Competition) {
    const [shortlist, criteria] = await Promise.all([
      em.findOneOrFail(Shortlist, { id: c.shortlist.id }),
      this.ctx.loaders.criteriaByCompetition.load(c.id),
    ]);
    const snap = shortlist.snapshot as unknown as ShortlistSnap;
    return { snap, criteria, contestants: contestantsOf(snap) };
  }

  /** Live figures: the current specification's cost of each contestant (the price rule, one statement) and the agreed scores. */
  compute(c: Competition, em: EntityManager = this.ctx.em): Promise<Computed> {
    const memo = computed.get(c);
    if (memo && memo.version === c.version) return memo.work;
    const work = (async () => {
      const { snap, criteria, contestants } = await this.frame(em, c);
      const spec = await new SpecificationService(this.ctx).get(snap.specification.id);
      // Live, a competition is priced as the catalogue stands today (the price rule, price.store.ts).
      const parameters = costParametersOf(spec, today());
      const ids = contestants.map((x) => x.solutionId);
      const [lines, moderations] = await Promise.all([costLines(em, parameters, ids), currentModerations(em, c.id)]);
      const costs = costsOf(lines, ids, parameters);
      const results = rank({
        priceWeight: c.priceWeight,
        criteria,
        contestants,
        costs: new Map([...costs].map(([id, cost]) => [id, { totalPence: cost.total ? BigInt(cost.total.pence) : null, unpricedReason: cost.unpricedReason }])),
        agreed: new Map(moderations.map((m) => [`${m.solution_id}/${m.criterion_code}`, m.score])),
      });
      return { snap, criteria, contestants, costs, parameters, specificationVersion: spec.version, results };
    })();
    computed.set(c, { version: c.version, work });
    return work;
  }

  /** The results: frozen in the snapshot once finalised, live before. */
  async results(c: Competition): Promise<ResultRow[]> {
    if (c.status === CompetitionStatus.FINALISED && c.snapshot) return (c.snapshot as unknown as CompetitionSnapshot).results;
    return (await this.compute(c)).results;
  }

  create(input: CreateCompetitionInput): Promise<Competition> {
    return mutate(this.ctx, 'competition', async ({ em, audit }) => {
      const shortlist = await new ShortlistService(this.ctx).get(input.shortlistId, em);
      if (shortlist.status !== ShortlistStatus.FINALISED || !shortlist.snapshot) {
        throw bad('shortlistId', 'SHORTLIST_NOT_FINALISED', 'A competition is run on a finalised shortlist: finalise the shortlist first.');
      }
      const snap = shortlist.snapshot as unknown as ShortlistSnap;
      if (contestantsOf(snap).length === 0) throw bad('shortlistId', 'NO_INCLUDED_SOLUTIONS', 'The shortlist includes no solution to compete.');
      const criteria = checkCriteria(input, snap);
      const competition = em.create(Competition, { shortlist, owner: em.getReference(Organisation, shortlist.owner.id), priceWeight: input.priceWeight, createdBy: this.sub });
      criteria.forEach((k, position) => em.create(CompetitionCriterion, { competition, ...k, position }));
      await em.flush();
      audit.record({ action: 'competition.create', entityType: AuditEntity.COMPETITION, entityId: competition.id, supplierId: null, before: null, after: { ...auditSnapshot(competition), criteria } });
      // The shortlist's list of competitions may now be longer than any before: price its next read by it.
      growSize(this.ctx.reference, 'competitionsPerShortlist', await competitionCount(em, shortlist.id));
      return competition;
    });
  }

  /** An evaluator's scores: each changed one is a new version of theirs; an unchanged one records nothing. */
  score(id: string, scores: CompetitionScoreInput[]): Promise<Competition> {
    return mutate(this.ctx, 'competition', async ({ em, audit }) => {
      const c = await this.get(id, em, true);
      this.assertOpen(c);
      const { criteria, contestants } = await this.frame(em, c);
      const checked = checkScores(scores, 'scores', contestants, criteria);
      const current = new Map((await currentScores(em, c.id, this.sub)).map((s) => [`${s.solution_id}/${s.criterion_code}`, s]));
      let seq = await lastSeq(em, 'competition_score', c.id);
      const written = [];
      for (const s of checked) {
        const previous = current.get(`${s.solutionId}/${s.criterionCode}`);
        if (previous && previous.score === s.score && previous.justification === s.justification) continue;
        const version = (previous?.version ?? 0) + 1;
        em.create(CompetitionScore, { competition: c, solution: em.getReference(Solution, s.solutionId), criterionCode: s.criterionCode, evaluator: this.sub, score: s.score, justification: s.justification, version, seq: ++seq });
        written.push({ ...s, version });
      }
      await em.flush();
      if (written.length) audit.record({ action: 'competition.score', entityType: AuditEntity.COMPETITION, entityId: c.id, supplierId: null, before: null, after: { evaluator: this.sub, scores: written } });
      return c;
    });
  }

  /** The moderator's agreed scores: each needs at least one evaluator's score of that solution on that criterion; a change is a new version. */
  moderate(id: string, version: number, moderations: CompetitionScoreInput[]): Promise<Competition> {
    return mutate(
      this.ctx,
      'competition',
      async ({ em, audit }) => {
        const c = await this.get(id, em, true);
        this.assertOpen(c);
        expectVersion(c, version, 'competition');
        const { criteria, contestants } = await this.frame(em, c);
        const checked = checkScores(moderations, 'moderations', contestants, criteria);
        const [scored, agreed, last] = await Promise.all([currentScores(em, c.id), currentModerations(em, c.id), lastSeq(em, 'competition_moderation', c.id)]);
        const scoredKeys = new Set(scored.map((s) => `${s.solution_id}/${s.criterion_code}`));
        const current = new Map(agreed.map((m) => [`${m.solution_id}/${m.criterion_code}`, m]));
        let seq = last;
        const written = [];
        for (const [i, m] of checked.entries()) {
          const key = `${m.solutionId}/${m.criterionCode}`;
          if (!scoredKeys.has(key)) throw bad(`moderations.${i}.criterionCode`, 'NOT_SCORED', 'No evaluator has scored this solution on this criterion yet: there is nothing to moderate.');
          const previous = current.get(key);
          if (previous && previous.score === m.score && previous.justification === m.justification) continue;
          const v = (previous?.version ?? 0) + 1;
          em.create(CompetitionModeration, { competition: c, solution: em.getReference(Solution, m.solutionId), criterionCode: m.criterionCode, moderator: this.sub, score: m.score, justification: m.justification, version: v, seq: ++seq });
          written.push({ ...m, version: v });
        }
        c.updatedAt = new Date(); // the version moves: an award quotes the moderation it saw
        await em.flush();
        audit.record({ action: 'competition.moderate', entityType: AuditEntity.COMPETITION, entityId: c.id, supplierId: null, before: null, after: { moderator: this.sub, moderations: written } });
        return c;
      },
      async () => (await this.ctx.em.fork().findOne(Competition, { id }))?.version ?? null,
    );
  }

  /** Records (or, until finalisation, records again) the award under the rules of AwardOutcome. */
  award(id: string, version: number, input: AwardInput): Promise<Competition> {
    return mutate(
      this.ctx,
      'competition',
      async ({ em, audit }) => {
        const c = await this.get(id, em, true);
        if (c.status === CompetitionStatus.FINALISED) throw CompetitionErrors.finalised(c.version);
        expectVersion(c, version, 'competition');
        const { results } = await this.compute(c, em);
        const reason = blank(input.reason) ? null : input.reason!.trim();
        const awarded = checkAward(input, reason, results, c.version);
        const before = auditSnapshot(c);
        Object.assign(c, {
          status: CompetitionStatus.AWARDED,
          awardOutcome: input.outcome,
          awardSolution: awarded ? em.getReference(Solution, awarded) : null,
          awardReason: reason,
          awardedAt: new Date(),
          awardedBy: this.sub,
        });
        await em.flush();
        audit.record({ action: 'competition.award', entityType: AuditEntity.COMPETITION, entityId: c.id, supplierId: null, before, after: auditSnapshot(c) });
        return c;
      },
      async () => (await this.ctx.em.fork().findOne(Competition, { id }))?.version ?? null,
    );
  }

  /**
   * Freezes the competition: criteria, weights, every score and moderation version, the costs worked
   * out now (the price rule on the specification as it stands, line by line), the results and the
   * award, in a canonical snapshot chained to the organisation's previous decision. The award must
   * still hold on these figures (a price verified since may change the ranking).
   */
  finalise(id: string, version: number): Promise<Competition> {
    return mutate(
      this.ctx,
      'competition',
      async ({ em, audit }) => {
        const c = await this.get(id, em, true);
        if (c.status === CompetitionStatus.FINALISED) throw CompetitionErrors.finalised(c.version);
        expectVersion(c, version, 'competition');
        if (c.status !== CompetitionStatus.AWARDED) throw CompetitionErrors.notAwarded(c.version);
        await lockOrganisationChain(em, c.owner.id);
        const figures = await this.compute(c, em);
        try {
          checkAward({ outcome: c.awardOutcome!, solutionId: c.awardSolution?.id ?? null }, c.awardReason ?? null, figures.results, c.version);
        } catch (error) {
          throw CompetitionErrors.awardOutdated(error instanceof Error ? error.message : String(error), c.version);
        }
        const [scores, moderations, owner] = await Promise.all([
          em.find(CompetitionScore, { competition: c }, { orderBy: { seq: 'asc' } }),
          em.find(CompetitionModeration, { competition: c }, { orderBy: { seq: 'asc' } }),
          em.findOneOrFail(Organisation, { id: c.owner.id }),
        ]);
        const link = await nextLink(em, owner.id);
        const finalisedAt = new Date();
        const snapshot: CompetitionSnapshot = {
          competitionId: c.id,
          owner: { id: owner.id, odsCode: owner.odsCode, name: owner.name },
          shortlist: { id: c.shortlist.id, hash: (await em.findOneOrFail(Shortlist, { id: c.shortlist.id })).hash ?? null },
          specification: {
            id: figures.snap.specification.id,
            version: figures.specificationVersion,
            title: figures.snap.specification.title,
            frameworkCodes: figures.snap.specification.frameworkCodes,
            contractStart: figures.parameters.contractStart,
            termMonths: figures.parameters.termMonths,
            serviceRecipientIds: figures.parameters.recipientIds,
            quantities: figures.parameters.quantities,
          },
          createdBy: c.createdBy,
          priceWeight: c.priceWeight,
          criteria: figures.criteria.map(criterionRow),
          contestants: figures.contestants.map((x) => ({ supplier: x.supplier, solution: { id: x.solutionId, name: x.solutionName } })),
          costs: figures.contestants.map((x) => {
            const cost = figures.costs.get(x.solutionId)!;
            return {
              solutionId: x.solutionId,
              totalPence: cost.total?.pence ?? null,
              unpricedReason: cost.unpricedReason,
              lines: cost.lines.map((l) => ({
                priceId: l.priceId, item: l.item, unit: l.unitLabel, calculation: l.calculation, tieredRule: l.tieredRule, billingPeriod: l.billingPeriod,
                quantity: l.quantity, periods: l.periods, perPeriodPence: l.perPeriod?.pence ?? null, subtotalPence: l.subtotal?.pence ?? null, unpricedReason: l.unpricedReason,
              })),
            };
          }),
          scores: scores.map(scoreRow),
          moderations: moderations.map(moderationRow),
          results: figures.results,
          award: awardRow(c),
          finalisedAt: finalisedAt.toISOString(),
          finalisedBy: this.sub,
        };
        Object.assign(c, {
          status: CompetitionStatus.FINALISED,
          finalisedAt,
          finalisedBy: this.sub,
          sequence: link.sequence,
          previousHash: link.previousHash,
          snapshot,
          hash: chainHash(link.previousHash, snapshot),
        });
        await em.flush();
        audit.record({ action: 'competition.finalise', entityType: AuditEntity.COMPETITION, entityId: c.id, supplierId: null, before: null, after: { hash: c.hash, previousHash: c.previousHash, sequence: c.sequence, ownerId: c.owner.id } });
        return c;
      },
      async () => (await this.ctx.em.fork().findOne(Competition, { id }))?.version ?? null,
    );
  }

  /** The finalised snapshot, for the exports (OCDS, CSV): FORBIDDEN for another organisation, CONFLICT before finalisation. */
  async frozen(id: string): Promise<{ competition: Competition; snapshot: CompetitionSnapshot }> {
    const competition = await this.get(id);
    if (competition.status !== CompetitionStatus.FINALISED || !competition.snapshot) throw CompetitionErrors.notFinalised();
    return { competition, snapshot: competition.snapshot as unknown as CompetitionSnapshot };
  }

  /** Recomputes the hash and the organisation's chain up to this competition, and checks every row against the snapshot. */
  async verify(id: string): Promise<CompetitionVerification> {
    const c = await this.get(id);
    if (c.status !== CompetitionStatus.FINALISED || !c.snapshot) {
      return { competitionId: id, valid: false, storedHash: null, recomputedHash: null, problems: ['The competition is not finalised, so there is nothing to verify yet.'] };
    }
    const em = this.ctx.em;
    const chain = await verifyChain(em, c.owner.id, { id: c.id, sequence: c.sequence! });
    const problems = [...chain.problems];
    const snap = c.snapshot as unknown as CompetitionSnapshot;
    const [criteria, scores, moderations] = await Promise.all([
      em.find(CompetitionCriterion, { competition: c }, { orderBy: { position: 'asc' } }),
      em.find(CompetitionScore, { competition: c }, { orderBy: { seq: 'asc' } }),
      em.find(CompetitionModeration, { competition: c }, { orderBy: { seq: 'asc' } }),
    ]);
    const head = (x: { shortlistId: string; createdBy: string; priceWeight: number; award: unknown; finalisedAt: string | undefined; finalisedBy: string | null | undefined }) => x;
    const shown = head({ shortlistId: c.shortlist.id, createdBy: c.createdBy, priceWeight: c.priceWeight, award: awardRow(c), finalisedAt: c.finalisedAt?.toISOString(), finalisedBy: c.finalisedBy });
    const frozenHead = head({ shortlistId: snap.shortlist.id, createdBy: snap.createdBy, priceWeight: snap.priceWeight, award: snap.award, finalisedAt: snap.finalisedAt, finalisedBy: snap.finalisedBy });
    if (canonicalJson(shown) !== canonicalJson(frozenHead)) problems.push('The competition row differs from the finalised snapshot.');
    if (canonicalJson(criteria.map(criterionRow)) !== canonicalJson(snap.criteria)) problems.push('The criteria rows differ from the finalised snapshot.');
    if (canonicalJson(scores.map(scoreRow)) !== canonicalJson(snap.scores)) problems.push('The score rows differ from the finalised snapshot.');
    if (canonicalJson(moderations.map(moderationRow)) !== canonicalJson(snap.moderations)) problems.push('The moderation rows differ from the finalised snapshot.');
    return { competitionId: id, valid: problems.length === 0, storedHash: c.hash ?? null, recomputedHash: chain.recomputedHash, problems };
  }

  /** Every score version, in the order recorded. */
  scores(c: Competition, page: PageArgs): Promise<Connection<CompetitionScore>> {
    return keysetPage({ em: this.ctx.em, entity: CompetitionScore, where: { competition: c.id }, keys: ['seq'], kinds: ['number'], page });
  }

  /** Every moderation version, in the order recorded. */
  moderations(c: Competition, page: PageArgs): Promise<Connection<CompetitionModeration>> {
    return keysetPage({ em: this.ctx.em, entity: CompetitionModeration, where: { competition: c.id }, keys: ['seq'], kinds: ['number'], page });
  }

  /** The viewer's own latest score of each solution × criterion (what their scoring grid shows). */
  async myScores(c: Competition) {
    return (await currentScores(this.ctx.em, c.id, this.sub)).map((s) => ({ solutionId: s.solution_id, criterionCode: s.criterion_code, score: s.score, justification: s.justification, version: s.version }));
  }
}

function contestantsOf(snap: ShortlistSnap): (Contestant & { supplier: SnapshotSupplier })[] {
  return (snap.entries ?? [])
    .filter((e) => e.included)
    .map((e) => ({ solutionId: e.solution.id, supplierName: e.supplier.name, solutionName: e.solution.name, supplier: e.supplier }))
    .sort((a, b) => a.supplierName.localeCompare(b.supplierName) || a.solutionName.localeCompare(b.solutionName) || a.solutionId.localeCompare(b.solutionId));
}

/** The weights rule: price 30 to 90 in steps of 5; each criterion a whole number of at least 1; codes unique; all summing to 100. */
function checkCriteria(input: CreateCompetitionInput, snap: ShortlistSnap) {
  const p = input.priceWeight;
  if (!Number.isInteger(p) || p < 30 || p > 90) throw bad('priceWeight', 'PRICE_WEIGHT_RANGE', 'The price weight is from 30 to 90.');
  if (p % 5 !== 0) throw bad('priceWeight', 'PRICE_WEIGHT_STEP', 'The price weight goes in steps of 5 (30, 35, ... 90).');
  const shoulds = new Map((snap.specification.requirements ?? []).filter((r) => r.priority === 'SHOULD').map((r) => [r.code.toUpperCase(), r]));
  const seen = new Set<string>();
  const criteria = input.criteria.map((k, i) => {
    const code = k.code.trim().toUpperCase();
    if (!CODE.test(code)) throw bad(`criteria.${i}.code`, 'INVALID_CODE', 'A code is capital letters, digits, - and _ (up to 32), starting with a letter or digit.');
    if (seen.has(code)) throw bad(`criteria.${i}.code`, 'DUPLICATE_CODE', `Another criterion already has the code ${code}.`);
    seen.add(code);
    if (blank(k.title)) throw bad(`criteria.${i}.title`, 'TITLE_REQUIRED', 'A criterion needs a title.');
    if (!Number.isInteger(k.weight) || k.weight < 1) throw bad(`criteria.${i}.weight`, 'WEIGHT_RANGE', 'A criterion’s weight is a whole number of at least 1.');
    const requirementCode = k.requirementCode?.trim() ? k.requirementCode.trim().toUpperCase() : null;
    if (requirementCode && !shoulds.has(requirementCode)) throw bad(`criteria.${i}.requirementCode`, 'NOT_A_SHOULD', `${requirementCode} is not a SHOULD requirement of the shortlist’s specification.`);
    return { code, title: k.title.trim(), weight: k.weight, requirementCode };
  });
  const sum = p + criteria.reduce((s, k) => s + k.weight, 0);
  if (sum !== 100) throw bad('criteria', 'WEIGHTS_SUM', `The price weight and the criteria’s weights sum to ${sum}; they must sum to 100.`);
  return criteria;
}

/** Scores or agreed scores as given: an included solution, a criterion of the competition, 1 to 5, a justification; each pair once. */
function checkScores(list: CompetitionScoreInput[], field: string, contestants: Contestant[], criteria: CompetitionCriterion[]) {
  if (list.length === 0) throw bad(field, 'EMPTY', 'Give at least one score.');
  if (list.length > MAX_SCORES_PER_CALL) throw bad(field, 'TOO_MANY', `At most ${MAX_SCORES_PER_CALL} scores at once.`);
  const included = new Set(contestants.map((x) => x.solutionId));
  const codes = new Set(criteria.map((k) => k.code));
  const seen = new Set<string>();
  return list.map((s, i) => {
    if (!included.has(s.solutionId)) throw bad(`${field}.${i}.solutionId`, 'NOT_INCLUDED', 'This solution is not one the shortlist includes.');
    const criterionCode = s.criterionCode.trim().toUpperCase();
    if (!codes.has(criterionCode)) throw bad(`${field}.${i}.criterionCode`, 'UNKNOWN_CRITERION', `The competition has no criterion ${criterionCode}.`);
    if (!Number.isInteger(s.score) || s.score < 1 || s.score > 5) throw bad(`${field}.${i}.score`, 'SCORE_RANGE', 'A score is a whole number from 1 to 5.');
    if (blank(s.justification)) throw bad(`${field}.${i}.justification`, 'JUSTIFICATION_REQUIRED', 'Every score needs its justification.');
    const justification = s.justification.trim();
    if (justification.length > MAX_JUSTIFICATION) throw bad(`${field}.${i}.justification`, 'TOO_LONG', `A justification is at most ${MAX_JUSTIFICATION} characters.`);
    const key = `${s.solutionId}/${criterionCode}`;
    if (seen.has(key)) throw bad(`${field}.${i}`, 'DUPLICATE', 'This solution and criterion appear more than once.');
    seen.add(key);
    return { solutionId: s.solutionId, criterionCode, score: s.score, justification };
  });
}

/**
 * The award rules. WINNER: two or more included solutions, moderation complete, and the solution
 * named is the top-ranked. DIRECT_AWARD: exactly one included solution, moderated and priced. NO_AWARD:
 * a reason and no solution. Returns the solution awarded, if any.
 */
function checkAward(input: Pick<AwardInput, 'outcome' | 'solutionId'>, reason: string | null, results: ResultRow[], version: number): string | null {
  if (input.outcome === AwardOutcome.NO_AWARD) {
    if (input.solutionId) throw bad('award.solutionId', 'NOT_EXPECTED', 'No award names no solution.');
    if (!reason) throw bad('award.reason', 'REASON_REQUIRED', 'Give the reason for making no award.');
    return null;
  }
  const missing = results.reduce((n, r) => n + r.criteria.filter((k) => k.agreedScore === null).length, 0);
  if (input.outcome === AwardOutcome.DIRECT_AWARD) {
    if (results.length !== 1) throw bad('award.outcome', 'NOT_A_SOLE_SOLUTION', `A direct award is for a shortlist that includes exactly one solution; this one includes ${results.length}.`);
    const sole = results[0];
    if (input.solutionId && input.solutionId !== sole.solutionId) throw bad('award.solutionId', 'NOT_THE_SOLE_SOLUTION', 'A direct award goes to the one included solution.');
    if (missing) throw CompetitionErrors.moderationIncomplete(missing, version);
    if (sole.totalPence === null) throw bad('award.solutionId', 'NOT_PRICED', `${sole.solutionName} cannot be awarded: ${sole.unpricedReason}`);
    return sole.solutionId;
  }
  if (results.length === 1) throw bad('award.outcome', 'USE_DIRECT_AWARD', 'Only one solution is included: make a direct award.');
  if (!input.solutionId) throw bad('award.solutionId', 'SOLUTION_REQUIRED', 'Name the winning solution.');
  const row = results.find((r) => r.solutionId === input.solutionId);
  if (!row) throw bad('award.solutionId', 'NOT_INCLUDED', 'This solution is not one the shortlist includes.');
  if (missing) throw CompetitionErrors.moderationIncomplete(missing, version);
  if (row.totalPence === null) throw bad('award.solutionId', 'NOT_PRICED', `${row.solutionName} cannot be awarded: ${row.unpricedReason}`);
  const top = results.find((r) => r.rank === 1);
  if (!top || top.solutionId !== row.solutionId) {
    throw bad('award.solutionId', 'NOT_TOP_RANKED', top ? `Only the top-ranked solution may win: ${top.solutionName} (${top.supplierName}) with ${top.totalScore}.` : 'No solution is ranked.');
  }
  return row.solutionId;
}

const criterionRow = (k: CompetitionCriterion) => ({ code: k.code, title: k.title, weight: k.weight, requirementCode: k.requirementCode ?? null });
const scoreRow = (s: CompetitionScore) => ({
  seq: s.seq, solutionId: s.solution.id, criterionCode: s.criterionCode, evaluator: s.evaluator, version: s.version, score: s.score, justification: s.justification, scoredAt: s.scoredAt.toISOString(),
});
const moderationRow = (m: CompetitionModeration) => ({
  seq: m.seq, solutionId: m.solution.id, criterionCode: m.criterionCode, moderator: m.moderator, version: m.version, score: m.score, justification: m.justification, moderatedAt: m.moderatedAt.toISOString(),
});
const awardRow = (c: Competition) => ({
  outcome: c.awardOutcome ?? null, solutionId: c.awardSolution?.id ?? null, reason: c.awardReason ?? null, awardedAt: c.awardedAt?.toISOString() ?? null, awardedBy: c.awardedBy ?? null,
});
