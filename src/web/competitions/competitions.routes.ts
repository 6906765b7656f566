import express from 'express';
import {
  AwardCompetitionDocument,
  CompetitionAgreedDocument,
  CompetitionModerationDocument,
  CompetitionOcdsDocument,
  CompetitionPageDocument,
  CompetitionSetupDocument,
  CreateCompetitionDocument,
  FinaliseCompetitionDocument,
  ModerateCompetitionDocument,
  ScoreCompetitionDocument,
  VerifyCompetitionDocument,
  type CompetitionPageQuery,
} from '../generated/graphql.js';
import { MAX_CRITERIA } from '../../modules/competition/competition.inputs.js';
import { Role, type Viewer } from '../../modules/identity/identity.viewer.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import { scoreChart } from './score-chart.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows of the set-up form's criteria at first; "Add another criterion" adds one at a time, up to the API's MAX_CRITERIA. */
const CRITERION_ROWS = 6;
const PRICE_WEIGHTS = Array.from({ length: 13 }, (_, i) => 30 + i * 5);
const PAGE = 100;
const LIMITS = { maxItems: 5_000, maxPages: 50 };

type Competition = CompetitionPageQuery['competition'];
type Problems = NonNullable<ReturnType<WebContext['formErrors']>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const versionIn = (value: unknown): number => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : -1);
/** A whole number as typed, or NaN (the API names the field and says why). */
const integerIn = (value: unknown): number => (typeof value === 'string' && /^-?\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN);
const cellKey = (solution: number, criterion: number) => `${solution}-${criterion}`;
/**
 * How many criterion rows the set-up form has: as posted in its hidden "rows" field (anything else is
 * the default), never fewer than CRITERION_ROWS or the specification's SHOULDs, never more than the API takes.
 */
const rowCount = (posted: unknown, shoulds: number): number => {
  const n = integerIn(posted);
  return Math.min(MAX_CRITERIA, Math.max(CRITERION_ROWS, shoulds, Number.isNaN(n) ? 0 : n));
};

/** A CONFLICT the API answered, in words for the page. */
function conflictMessage(error: unknown): string | undefined {
  if (!(error instanceof OperationError) || error.code !== 'CONFLICT') return undefined;
  if (/version/i.test(error.message)) return `Someone changed this competition after you opened it (${error.message}). Check it as it now stands, then try again.`;
  return error.message;
}

/**
 * A further competition on pages: set up from a finalised shortlist, a scoring grid for each evaluator,
 * moderation, and the result with its chart, the award and finalisation.
 */
export function competitionRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const buyer = web.requireViewer([Role.BUYER]);
  const load = (viewer: Viewer, id: string) => web.operations.run(viewer, CompetitionPageDocument, { id }).then((d) => d.competition);

  // Set-up: the price weight and the criteria (the specification's SHOULDs offered first). The number
  // of rows travels in a hidden field, so adding one needs no JavaScript: the form is posted and drawn
  // again with what was typed and one more row.
  const renderSetup = async (
    req: express.Request,
    res: express.Response,
    form?: { values: Record<string, string>; rows: number; problems?: Problems; added?: boolean },
  ) => {
    const shortlist = (await web.operations.run(req.viewer, CompetitionSetupDocument, { id: String(req.params.id) })).shortlist;
    const shoulds = shortlist.specification.requirements.filter((r) => r.priority === 'SHOULD');
    const count = form?.rows ?? rowCount(undefined, shoulds.length);
    const rows = Array.from({ length: count }, (_, i) => ({
      index: i,
      code: form?.values[`code-${i}`] ?? shoulds[i]?.code ?? '',
      title: form?.values[`title-${i}`] ?? shoulds[i]?.title ?? '',
      weight: form?.values[`weight-${i}`] ?? '',
      requirementCode: form?.values[`requirementCode-${i}`] ?? shoulds[i]?.code ?? '',
    }));
    res.status(form?.problems ? 400 : 200).render('competitions/new.njk', {
      shortlist,
      included: shortlist.entries.filter((e) => e.included),
      shoulds,
      rows,
      maxRows: MAX_CRITERIA,
      added: form?.added ?? false,
      priceWeights: PRICE_WEIGHTS,
      priceWeight: form?.values.priceWeight ?? '60',
      ...(form?.problems ?? {}),
    });
  };

  router.get('/shortlists/:id/competition/new', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    await renderSetup(req, res);
  });

  router.post('/shortlists/:id/competition/new', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rows = rowCount(body.rows, 0);
    const values: Record<string, string> = { priceWeight: text(body.priceWeight) };
    const fieldMap: Record<string, string> = { priceWeight: 'priceWeight', criteria: 'code-0', shortlistId: 'priceWeight' };
    const criteria: { code: string; title: string; weight: number; requirementCode: string | null }[] = [];
    for (let i = 0; i < rows; i++) {
      for (const f of ['code', 'title', 'weight', 'requirementCode']) values[`${f}-${i}`] = text(body[`${f}-${i}`]);
      if (!values[`code-${i}`].trim() && !values[`title-${i}`].trim() && !values[`weight-${i}`].trim()) continue;
      for (const f of ['code', 'title', 'weight', 'requirementCode']) fieldMap[`criteria.${criteria.length}.${f}`] = `${f}-${i}`;
      criteria.push({ code: values[`code-${i}`], title: values[`title-${i}`], weight: integerIn(values[`weight-${i}`]), requirementCode: values[`requirementCode-${i}`] || null });
    }
    if (body.action === 'add') {
      if (rows < MAX_CRITERIA) return renderSetup(req, res, { values, rows: rows + 1, added: true });
      const last = `code-${rows - 1}`;
      const message = `A competition takes at most ${MAX_CRITERIA} quality criteria: use the rows you have, or leave some empty.`;
      return renderSetup(req, res, { values, rows, problems: { errorList: [{ text: message, href: `#${last}` }], errors: { [last]: message } } });
    }
    try {
      const input = { shortlistId: id, priceWeight: integerIn(values.priceWeight), criteria };
      // A weight that is not a whole number is named here: the API's Int would only say the variable is wrong.
      const notWhole = criteria.findIndex((k) => Number.isNaN(k.weight));
      if (notWhole >= 0) throw new OperationError('BAD_USER_INPUT', 'Enter each weight as a whole number.', [{ field: `criteria.${notWhole}.weight`, message: 'Enter the weight as a whole number, e.g. 20.' }]);
      const data = await web.operations.run(req.viewer, CreateCompetitionDocument, { input });
      res.redirect(303, `/competitions/${data.createCompetition.id}?created=1`);
    } catch (error) {
      const problems = web.formErrors(error, fieldMap);
      if (!problems) throw error;
      await renderSetup(req, res, { values, rows, problems });
    }
  });

  // The competition: its criteria, the result with its chart, the award and finalisation.
  const renderCompetition = async (req: express.Request, res: express.Response, c: Competition, extra: Record<string, unknown> = {}, status = 200) => {
    const bars = c.results.map((r) => ({ label: `${r.solutionName} (${r.supplierName})`, price: r.pricePoints ?? null, quality: r.qualityPoints ?? null, total: r.totalScore ?? null, note: r.unpricedReason ? 'not ranked: no price' : 'not ranked: moderation incomplete' }));
    const verification = req.query.verify && c.status === 'FINALISED' ? (await web.operations.run(req.viewer, VerifyCompetitionDocument, { id: c.id })).verifyCompetition : undefined;
    res.status(status).render('competitions/competition.njk', {
      c,
      verification,
      top: c.results.find((r) => r.rank === 1),
      awarded: c.results.find((r) => r.solutionId === c.awardSolutionId),
      chart: scoreChart({
        id: 'score-chart',
        title: 'Weighted score of each solution, split into price and quality',
        summary: `Each bar is a solution's total out of 100: price points (solid, out of ${c.priceWeight}) then quality points (hatched, out of ${100 - c.priceWeight}). The table below gives the same figures.`,
        bars,
      }),
      banner: req.query.created ? 'created' : req.query.awarded ? 'awarded' : req.query.finalised ? 'finalised' : req.query.moderated ? 'moderated' : req.query.scored ? 'scored' : undefined,
      ...extra,
    });
  };

  router.get('/competitions/:id', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    await renderCompetition(req, res, await load(req.viewer, id));
  });

  router.post('/competitions/:id/award', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const outcome = text(body.outcome);
    const values = { outcome, reason: text(body.reason) };
    try {
      if (!['WINNER', 'NO_AWARD', 'DIRECT_AWARD'].includes(outcome)) throw new OperationError('BAD_USER_INPUT', 'Choose the outcome.', [{ field: 'award.outcome', message: 'Choose the outcome of the competition.' }]);
      const c = await load(req.viewer, id);
      const top = c.results.find((r) => r.rank === 1);
      const award = { outcome: outcome as 'WINNER', solutionId: outcome === 'WINNER' ? (top?.solutionId ?? null) : null, reason: values.reason.trim() || null };
      await web.operations.run(req.viewer, AwardCompetitionDocument, { id, version: versionIn(body.version), award });
      res.redirect(303, `/competitions/${id}?awarded=1`);
    } catch (error) {
      const problems = web.formErrors(error, { 'award.outcome': 'outcome', 'award.solutionId': 'outcome', 'award.reason': 'reason' });
      const conflict = conflictMessage(error);
      if (!problems && !conflict) throw error;
      await renderCompetition(req, res, await load(req.viewer, id), { values, conflict, ...(problems ?? {}) }, problems ? 400 : 409);
    }
  });

  router.post('/competitions/:id/finalise', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, FinaliseCompetitionDocument, { id, version: versionIn(req.body?.version) });
      res.redirect(303, `/competitions/${id}?finalised=1`);
    } catch (error) {
      const conflict = conflictMessage(error);
      if (!conflict) throw error;
      await renderCompetition(req, res, await load(req.viewer, id), { conflict }, 409);
    }
  });

  router.get('/competitions/:id/ocds.json', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      const data = await web.operations.run(req.viewer, CompetitionOcdsDocument, { id });
      res.type('application/json').attachment(`competition-${id}-ocds.json`).send(JSON.stringify(data.competitionOcds, null, 2));
    } catch (error) {
      const conflict = conflictMessage(error);
      if (!conflict) throw error;
      await renderCompetition(req, res, await load(req.viewer, id), { conflict }, 409);
    }
  });

  // The evaluator's grid: every included solution on every criterion, 1 to 5 with a justification.
  const renderGrid = (res: express.Response, c: Competition, mode: 'score' | 'moderate', current: Map<string, { score: number; justification: string }>, form?: { values: Record<string, string>; problems?: Problems; conflict?: string }, evaluators?: Map<string, string[]>) => {
    const solutions = c.results
      .map((r) => ({ solutionId: r.solutionId, name: r.solutionName, supplierName: r.supplierName }))
      .sort((a, b) => a.supplierName.localeCompare(b.supplierName) || a.name.localeCompare(b.name));
    const cells = solutions.map((s, i) => ({
      ...s,
      index: i,
      criteria: c.criteria.map((k, j) => {
        const key = cellKey(i, j);
        const mine = current.get(`${s.solutionId}/${k.code}`);
        return {
          ...k,
          key,
          score: form?.values[`score-${key}`] ?? (mine ? String(mine.score) : ''),
          justification: form?.values[`justification-${key}`] ?? mine?.justification ?? '',
          evaluators: evaluators?.get(`${s.solutionId}/${k.code}`) ?? [],
        };
      }),
    }));
    res.status(form?.problems ? 400 : form?.conflict ? 409 : 200).render('competitions/grid.njk', { c, mode, solutions: cells, conflict: form?.conflict, ...(form?.problems ?? {}) });
  };

  /** The cells filled in, as the API's scores, with the form field each one's errors belong to. */
  const gridFrom = (c: Competition, body: Record<string, unknown>, prefix: string) => {
    const solutions = [...c.results].sort((a, b) => a.supplierName.localeCompare(b.supplierName) || a.solutionName.localeCompare(b.solutionName));
    const values: Record<string, string> = {};
    const fieldMap: Record<string, string> = {};
    const scores: { solutionId: string; criterionCode: string; score: number; justification: string }[] = [];
    solutions.forEach((s, i) =>
      c.criteria.forEach((k, j) => {
        const key = cellKey(i, j);
        values[`score-${key}`] = text(body[`score-${key}`]);
        values[`justification-${key}`] = text(body[`justification-${key}`]);
        if (!values[`score-${key}`] && !values[`justification-${key}`].trim()) return;
        const n = scores.length;
        fieldMap[`${prefix}.${n}.score`] = `score-${key}`;
        fieldMap[`${prefix}.${n}.justification`] = `justification-${key}`;
        fieldMap[`${prefix}.${n}.criterionCode`] = `score-${key}`;
        fieldMap[`${prefix}.${n}`] = `score-${key}`;
        // No score chosen is 0, which the API refuses as out of range, naming this cell.
        scores.push({ solutionId: s.solutionId, criterionCode: k.code, score: integerIn(values[`score-${key}`]) || 0, justification: values[`justification-${key}`] });
      }),
    );
    fieldMap[prefix] = 'score-0-0';
    return { values, fieldMap, scores };
  };

  const myCurrent = (c: Competition) => new Map(c.myScores.map((s) => [`${s.solutionId}/${s.criterionCode}`, s]));

  router.get('/competitions/:id/score', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const c = await load(req.viewer, id);
    renderGrid(res, c, 'score', myCurrent(c));
  });

  router.post('/competitions/:id/score', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const c = await load(req.viewer, id);
    const { values, fieldMap, scores } = gridFrom(c, (req.body ?? {}) as Record<string, unknown>, 'scores');
    try {
      await web.operations.run(req.viewer, ScoreCompetitionDocument, { id, scores });
      res.redirect(303, `/competitions/${id}?scored=1`);
    } catch (error) {
      const problems = web.formErrors(error, fieldMap);
      const conflict = conflictMessage(error);
      if (!problems && !conflict) throw error;
      renderGrid(res, c, 'score', myCurrent(c), { values, problems, conflict });
    }
  });

  /** Every evaluator's latest score of each pair, in words, and the agreed scores now. */
  const moderationState = async (viewer: Viewer, id: string) => {
    const latest = new Map<string, { score: number; justification: string; version: number }>();
    for await (const data of web.operations.pages(viewer, CompetitionModerationDocument, { id, first: PAGE }, (d) => d.competition.scores, LIMITS)) {
      for (const { node } of data.competition.scores.edges) latest.set(`${node.solutionId}/${node.criterionCode}/${node.evaluator}`, node);
    }
    const evaluators = new Map<string, string[]>();
    for (const [key, s] of latest) {
      // Ids and codes have no "/"; an evaluator's subject may (a URL).
      const [solutionId, code, ...subject] = key.split('/');
      const evaluator = subject.join('/');
      const pair = `${solutionId}/${code}`;
      evaluators.set(pair, [...(evaluators.get(pair) ?? []), `${evaluator}: ${s.score} (version ${s.version}). ${s.justification}`]);
    }
    const agreed = new Map<string, { score: number; justification: string }>();
    for await (const data of web.operations.pages(viewer, CompetitionAgreedDocument, { id, first: PAGE }, (d) => d.competition.moderations, LIMITS)) {
      for (const { node } of data.competition.moderations.edges) agreed.set(`${node.solutionId}/${node.criterionCode}`, node);
    }
    return { evaluators, agreed };
  };

  router.get('/competitions/:id/moderate', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const c = await load(req.viewer, id);
    const { evaluators, agreed } = await moderationState(req.viewer, id);
    renderGrid(res, c, 'moderate', agreed, undefined, evaluators);
  });

  router.post('/competitions/:id/moderate', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const c = await load(req.viewer, id);
    const { values, fieldMap, scores } = gridFrom(c, (req.body ?? {}) as Record<string, unknown>, 'moderations');
    try {
      await web.operations.run(req.viewer, ModerateCompetitionDocument, { id, version: versionIn(req.body?.version), moderations: scores });
      res.redirect(303, `/competitions/${id}?moderated=1`);
    } catch (error) {
      const problems = web.formErrors(error, fieldMap);
      const conflict = conflictMessage(error);
      if (!problems && !conflict) throw error;
      const fresh = await load(req.viewer, id);
      const { evaluators, agreed } = await moderationState(req.viewer, id);
      renderGrid(res, fresh, 'moderate', agreed, { values, problems, conflict }, evaluators);
    }
  });

  return router;
}
