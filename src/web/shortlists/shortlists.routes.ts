import express from 'express';
import {
  CreateShortlistDocument,
  FinaliseShortlistDocument,
  ShortlistCandidatesDocument,
  ShortlistMatchAsOfDocument,
  ShortlistOcdsDocument,
  ShortlistPageDocument,
  UpdateShortlistDocument,
  VerifyShortlistDocument,
  type ShortlistCandidatesQuery,
  type ShortlistPageQuery,
} from '../generated/graphql.js';
import { publicBaseUri } from '../../config.js';
import { Role, type Viewer } from '../../modules/identity/identity.viewer.js';
import { OperationError } from '../operations.js';
import { toCsv } from '../matching/matching.routes.js';
import type { WebContext } from '../web.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A specification's matches are read 50 at a time (fewer when its length makes 50 too costly), up to 1,000 solutions. */
const PAGE = 50;
const LIMITS = { maxItems: 1_000, maxPages: 200 };
const MAX_COMPARE = 4;
const MIN_COMPARE = 2;

type Candidate = ShortlistCandidatesQuery['matchSuppliers']['edges'][number]['node'];
type ShortlistData = ShortlistPageQuery['shortlist'];
/** One requirement judged for one solution, as a page or a CSV shows it. */
export interface Outcome { requirement: string; status: string; reason: string; evidence: { id: string; description: string }[] }

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** The version a form quoted: digits only (not "1e3" or "1abc"); anything else is no version (-1, which the API refuses). */
const versionIn = (value: unknown): number => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : -1);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : []);
const fileName = (name: string, fallback: string) => name.replace(/[^\w -]+/g, '').trim() || fallback;

/** Every match of a specification (all pages), with the specification. */
async function candidatesOf(web: WebContext, viewer: Viewer, id: string) {
  let spec: ShortlistCandidatesQuery['specification'] | undefined;
  const matches: Candidate[] = [];
  for await (const data of web.operations.pages(viewer, ShortlistCandidatesDocument, { id, first: PAGE }, (d) => d.matchSuppliers, LIMITS)) {
    spec = data.specification;
    matches.push(...data.matchSuppliers.edges.map((e) => e.node));
  }
  return { spec: spec!, matches };
}

/**
 * What each entry's solution was judged on, by solution id. A finalised shortlist answers from its
 * frozen snapshot (through the OCDS package, which is built from it alone, with evidence versions);
 * a draft from the match as of its day.
 */
async function outcomesOf(web: WebContext, viewer: Viewer, shortlist: ShortlistData): Promise<Map<string, Outcome[]>> {
  const bySolution = new Map<string, Outcome[]>();
  if (shortlist.status === 'FINALISED') {
    const pkg = (await web.operations.run(viewer, ShortlistOcdsDocument, { id: shortlist.id })).shortlistOcds as {
      releases: { bids: { details: { id: string; requirementResponses: { title: string; description: string; requirement: { id: string }; evidences: { id: string; title: string; description: string }[] }[] }[] } }[];
    };
    for (const bid of pkg.releases[0]?.bids.details ?? []) {
      bySolution.set(
        bid.id,
        bid.requirementResponses.map((r) => ({
          requirement: r.requirement.id,
          status: r.title,
          reason: r.description,
          evidence: r.evidences.map((e) => ({ id: `${e.title}:${e.id.slice(e.title.length + 1).replace(/-v(\d+)$/, ' v$1')}`, description: e.description })),
        })),
      );
    }
    return bySolution;
  }
  const wanted = new Set(shortlist.entries.map((e) => e.solutionId));
  const variables = { id: shortlist.specification.id, asOf: shortlist.asOf, first: PAGE };
  for await (const data of web.operations.pages(viewer, ShortlistMatchAsOfDocument, variables, (d) => d.matchSuppliers, LIMITS)) {
    for (const { node } of data.matchSuppliers.edges) {
      if (!node.solution || !wanted.has(node.solution.id)) continue;
      bySolution.set(
        node.solution.id,
        node.outcomes.map((o) => ({ requirement: o.requirement.code, status: o.status, reason: o.reason, evidence: o.evidence.map((e) => ({ id: `${e.kind}:${e.id}`, description: e.description })) })),
      );
    }
    if (bySolution.size >= wanted.size) break;
  }
  return bySolution;
}

/** A CONFLICT the API answered (stale version, already finalised, no longer a candidate), in words. */
function conflictMessage(error: unknown): string | undefined {
  if (!(error instanceof OperationError) || error.code !== 'CONFLICT') return undefined;
  if (/finalised/i.test(error.message)) return 'This shortlist has already been finalised, so it cannot be finalised again or changed. The page now shows it as it stands.';
  if (/version|changed since|another/i.test(error.message)) return `Someone changed this shortlist after you opened it (${error.message}). Check it as it now stands, then try again.`;
  return error.message;
}

/** The form's decisions as the API's entries, with the form field each entry's errors belong to. */
function decisionsFrom(raw: unknown) {
  const body = (raw ?? {}) as Record<string, unknown>;
  const count = Math.min(Number.parseInt(text(body.count), 10) || 0, 1000);
  const values: Record<string, string> = { notes: text(body.notes) };
  const fieldMap: Record<string, string> = {};
  const entries: { solutionId: string; included: boolean; rationale: string | null }[] = [];
  /** Each solution's place on the form sent, so a re-read list in another order keeps each decision with its solution. */
  const placeOf = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const solutionId = text(body[`solutionId-${i}`]);
    if (!solutionId) continue;
    placeOf.set(solutionId, i);
    values[`decision-${i}`] = text(body[`decision-${i}`]) === 'exclude' ? 'exclude' : 'include';
    values[`rationale-${i}`] = text(body[`rationale-${i}`]);
    // The API names entries by their place in the list it was sent.
    fieldMap[`entries.${entries.length}.rationale`] = `rationale-${i}`;
    fieldMap[`entries.${entries.length}.solutionId`] = `decision-${i}`;
    entries.push({ solutionId, included: values[`decision-${i}`] === 'include', rationale: values[`rationale-${i}`].trim() || null });
  }
  return { values, fieldMap, entries, placeOf };
}

/** The commissioner's shortlists: compare matches, decide on each, finalise, verify and download the decision. */
export function shortlistRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const buyer = web.requireViewer([Role.BUYER]);

  // Two to four matched solutions side by side, requirement by requirement.
  router.get('/specifications/:id/compare', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const chosen = [...new Set(list(req.query.solution))];
    const { spec, matches } = await candidatesOf(web, req.viewer, id);
    const columns = chosen.map((sid) => matches.find((m) => m.solution?.id === sid)).filter((m): m is Candidate => Boolean(m));
    if (columns.length < MIN_COMPARE || columns.length > MAX_COMPARE || columns.length !== chosen.length) {
      const message = columns.length !== chosen.length ? 'Choose solutions from the match results' : columns.length < MIN_COMPARE ? 'Choose at least 2 solutions to compare' : 'Choose no more than 4 solutions to compare';
      return res.status(400).render('shortlists/compare.njk', { spec, columns: [], rows: [], errorList: [{ text: message, href: '#back-to-results' }] });
    }
    const rows = spec.requirements.map((r) => ({
      requirement: r,
      cells: columns.map((m) => m.outcomes.find((o) => o.requirement.code === r.code)),
    }));
    res.render('shortlists/compare.njk', { spec, columns: columns.map((m) => ({ ...m, scorePercent: Math.round(m.score * 100) })), rows });
  });

  const renderNew = async (req: express.Request, res: express.Response, form?: { values: Record<string, string>; problems: NonNullable<ReturnType<WebContext['formErrors']>> }) => {
    const id = String(req.params.id);
    const { spec, matches } = await candidatesOf(web, req.viewer, id);
    const entries = matches
      .filter((m) => m.solution)
      .map((m, i) => ({
        index: i,
        solutionId: m.solution!.id,
        solutionName: m.solution!.name,
        supplierName: m.supplier.name,
        eligible: m.eligible,
        scorePercent: Math.round(m.score * 100),
        decision: form?.values[`decision-${i}`] ?? (m.eligible ? 'include' : 'exclude'),
        rationale: form?.values[`rationale-${i}`] ?? '',
      }));
    res.status(form ? 400 : 200).render('shortlists/new.njk', { spec, entries, notes: form?.values.notes ?? '', ...(form?.problems ?? {}) });
  };

  router.get('/specifications/:id/shortlist/new', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    await renderNew(req, res);
  });

  router.post('/specifications/:id/shortlist/new', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const { values, fieldMap, entries } = decisionsFrom(req.body);
    try {
      const data = await web.operations.run(req.viewer, CreateShortlistDocument, { input: { specificationId: id, entries, notes: values.notes.trim() || null } });
      res.redirect(303, `/shortlists/${data.createShortlist.id}?created=1`);
    } catch (error) {
      const problems = web.formErrors(error, { ...fieldMap, notes: 'notes' });
      if (!problems) throw error;
      await renderNew(req, res, { values, problems });
    }
  });

  // A draft's decisions, changed before it is finalised (quoting the version read).
  type EditForm = ReturnType<typeof decisionsFrom> & { problems?: NonNullable<ReturnType<WebContext['formErrors']>>; conflict?: { key: string; theirs: string; yours: string }[] };
  /** What the form sent for a solution (by solution, not by place: someone else's save may have reordered the list). */
  const sent = (form: EditForm | undefined, solutionId: string) => {
    const i = form?.placeOf.get(solutionId);
    return i === undefined ? undefined : { decision: form!.values[`decision-${i}`], rationale: form!.values[`rationale-${i}`] };
  };
  const renderEdit = (res: express.Response, shortlist: ShortlistData, form?: EditForm) => {
    const entries = shortlist.entries.map((e, i) => ({
      index: i, solutionId: e.solutionId, solutionName: e.solutionName ?? 'A solution no longer listed', supplierName: e.supplierName, eligible: e.eligible, scorePercent: Math.round(e.score * 100),
      decision: sent(form, e.solutionId)?.decision ?? (e.included ? 'include' : 'exclude'),
      rationale: sent(form, e.solutionId)?.rationale ?? e.rationale ?? '',
    }));
    res.status(form?.problems ? 400 : form?.conflict ? 409 : 200).render('shortlists/new.njk', {
      spec: shortlist.specification, entries, notes: form?.values.notes ?? shortlist.notes ?? '',
      edit: { shortlistId: shortlist.id, version: shortlist.version }, conflict: form?.conflict, ...(form?.problems ?? {}),
    });
  };

  router.get('/shortlists/:id/edit', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    const shortlist = await load(req);
    if (shortlist.status !== 'DRAFT') return res.redirect(303, `/shortlists/${shortlist.id}`);
    renderEdit(res, shortlist);
  });

  router.post('/shortlists/:id/edit', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const form = decisionsFrom(req.body);
    const { values, fieldMap, entries } = form;
    try {
      await web.operations.run(req.viewer, UpdateShortlistDocument, { id, version: versionIn(req.body?.version), input: { entries, notes: values.notes.trim() || null } });
      res.redirect(303, `/shortlists/${id}?updated=1`);
    } catch (error) {
      const problems = web.formErrors(error, { ...fieldMap, notes: 'notes' });
      if (problems) return renderEdit(res, await load(req), { ...form, problems });
      if (!(error instanceof OperationError) || error.code !== 'CONFLICT') throw error;
      const current = await load(req);
      if (current.status !== 'DRAFT') return res.status(409).render('shortlists/shortlist.njk', { shortlist: current, included: current.entries.filter((e) => e.included).length, conflict: conflictMessage(error) });
      // Someone saved it meanwhile: their decisions beside these; saving again (at their version) reapplies these.
      const differences = current.entries.flatMap((e) => {
        const theirs = `${e.included ? 'Include' : 'Exclude'}${e.rationale ? `: ${e.rationale}` : ''}`;
        const mine = sent(form, e.solutionId);
        if (!mine) return [{ key: e.solutionName ?? 'A solution no longer listed', theirs, yours: 'Not on the form you saved' }];
        const yoursRationale = mine.rationale?.trim();
        const yours = `${mine.decision === 'exclude' ? 'Exclude' : 'Include'}${yoursRationale ? `: ${yoursRationale}` : ''}`;
        return theirs === yours ? [] : [{ key: e.solutionName ?? 'A solution no longer listed', theirs, yours }];
      });
      if ((current.notes ?? '') !== values.notes.trim()) differences.push({ key: 'Notes', theirs: current.notes ?? '', yours: values.notes.trim() });
      renderEdit(res, current, { ...form, conflict: differences });
    }
  });

  const load = (req: express.Request) => web.operations.run(req.viewer, ShortlistPageDocument, { id: String(req.params.id) }).then((d) => d.shortlist);

  router.get('/shortlists/:id', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    const shortlist = await load(req);
    const verification = req.query.verify && shortlist.status === 'FINALISED' ? (await web.operations.run(req.viewer, VerifyShortlistDocument, { id: shortlist.id })).verifyShortlist : undefined;
    res.render('shortlists/shortlist.njk', {
      shortlist,
      verification,
      included: shortlist.entries.filter((e) => e.included).length,
      banner: req.query.finalised ? 'finalised' : req.query.created ? 'created' : req.query.updated ? 'updated' : undefined,
    });
  });

  router.get('/shortlists/:id/finalise', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    const shortlist = await load(req);
    if (shortlist.status !== 'DRAFT') return res.redirect(303, `/shortlists/${shortlist.id}`);
    res.render('shortlists/finalise.njk', { shortlist });
  });

  router.post('/shortlists/:id/finalise', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, FinaliseShortlistDocument, { id, version: versionIn(req.body?.version) });
      res.redirect(303, `/shortlists/${id}?finalised=1`);
    } catch (error) {
      const conflict = conflictMessage(error);
      if (!conflict) throw error;
      const shortlist = await load(req);
      res.status(409).render('shortlists/shortlist.njk', {
        shortlist,
        included: shortlist.entries.filter((e) => e.included).length,
        conflict,
      });
    }
  });

  // The OCDS release package for a procurement file: GET /ocds/shortlists/:id takes a bearer token, not a page session.
  router.get('/shortlists/:id/ocds.json', buyer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      const data = await web.operations.run(req.viewer, ShortlistOcdsDocument, { id });
      res.type('application/json').attachment(`shortlist-${id}-ocds.json`).send(JSON.stringify(data.shortlistOcds, null, 2));
    } catch (error) {
      if (!(error instanceof OperationError) || error.code !== 'CONFLICT') throw error;
      const shortlist = await load(req);
      res.status(409).render('shortlists/shortlist.njk', { shortlist, included: shortlist.entries.filter((e) => e.included).length, conflict: 'Only a finalised shortlist is published as OCDS: finalise it first.' });
    }
  });

  // One row per solution and requirement, for a procurement file.
  router.get('/shortlists/:id/shortlist.csv', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    const shortlist = await load(req);
    const outcomes = await outcomesOf(web, req.viewer, shortlist);
    const rows: string[][] = [['supplier', 'supplier_id', 'solution', 'solution_id', 'decision', 'rationale', 'eligible', 'score', 'requirement', 'title', 'priority', 'status', 'reason', 'evidence']];
    const requirements = new Map(shortlist.specification.requirements.map((r) => [r.code, r]));
    for (const e of shortlist.entries) {
      for (const o of outcomes.get(e.solutionId) ?? []) {
        const r = requirements.get(o.requirement);
        rows.push([
          e.supplierName, e.supplierId, e.solutionName ?? '(no longer listed)', e.solutionId, e.included ? 'included' : 'excluded', e.rationale ?? '', String(e.eligible), e.score.toFixed(4),
          o.requirement, r?.title ?? '', r?.priority ?? '', o.status, o.reason, o.evidence.map((ev) => ev.id).join(' '),
        ]);
      }
    }
    res.type('text/csv; charset=utf-8').attachment(`${fileName(shortlist.specification.title, 'shortlist')} shortlist.csv`).send(toCsv(rows));
  });

  // A printable decision record: what a procurement file holds.
  router.get('/shortlists/:id/record', buyer, async (req, res) => {
    if (!UUID.test(String(req.params.id))) return web.notFound(req, res);
    const shortlist = await load(req);
    const outcomes = await outcomesOf(web, req.viewer, shortlist);
    const titles = new Map(shortlist.specification.requirements.map((r) => [r.code, r.title]));
    res.render('shortlists/record.njk', {
      shortlist,
      entries: shortlist.entries.map((e) => ({ ...e, scorePercent: Math.round(e.score * 100), outcomes: (outcomes.get(e.solutionId) ?? []).map((o) => ({ ...o, title: titles.get(o.requirement) ?? '' })) })),
      // The service's own address, never the request's Host header (which a client chooses).
      recordUrl: `${publicBaseUri()}${req.originalUrl}`,
      printedAt: new Date().toISOString().slice(0, 10),
    });
  });

  return router;
}
