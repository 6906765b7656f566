import { SPECIFICATION_LIMITS } from '../../modules/specification/specification.inputs.js';
import express from 'express';
import {
  CreateSpecificationDocument, SpecificationForEditDocument, SpecificationFormOptionsDocument, UpdateSpecificationDocument,
  type SpecificationFormOptionsQuery,
} from '../generated/graphql.js';
import { Role, type Viewer } from '../../modules/identity/identity.viewer.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import {
  ASSESSMENTS, CERTIFICATIONS, checkDraft, CRITERION_LABELS, CRITERION_TYPES, describeCriterion, draftFromBody, draftFromSpecification, DSPT_STATUSES,
  emptyDraft, emptyKpi, emptyRequirement, formFieldOf, HOSTING_TYPES, INTEGRATIONS, NAMED_QUANTITY_ROWS, QUANTITY_UNITS, quantityRows, toInput as toInputOf, type Draft, type Problems,
} from './draft.js';

declare module 'express-session' {
  interface SessionData {
    /** Specifications being written, one draft each ("new" for one not yet saved), kept between the form's steps. */
    specificationDrafts?: Record<string, Draft>;
    /** The notification for the next match page after a save (POST-redirect-GET). */
    specificationSaved?: { id: string; title: string; created: boolean };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As many rows of each as the API accepts. */
const MAX_KPIS = SPECIFICATION_LIMITS.kpis;
const MAX_REQUIREMENTS = SPECIFICATION_LIMITS.requirements;

type Options = SpecificationFormOptionsQuery;

/** Where one specification's pages live: the new one's, or an existing one's edit pages. */
interface Target { key: string; id?: string; base: string }
const targetOf = (req: express.Request): Target | undefined => {
  if (req.params.id === undefined) return { key: 'new', base: '/specifications/new' };
  const id = String(req.params.id);
  return UUID.test(id) ? { key: id, id, base: `/specifications/${id}/edit` } : undefined;
};

/** The commissioner's pages to create and edit a specification: a form, check your answers, save. */
/** Specifications being written or edited at once in one session. */
const MAX_DRAFTS = 5;
/** The most a draft may hold, serialised: the session row is read on every request. */
const MAX_DRAFT_CHARACTERS = 200_000;

export function specificationRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const buyer = web.requireViewer([Role.BUYER]);

  const drafts = (req: express.Request) => (req.session.specificationDrafts ??= {});
  /**
   * Keeps a draft in the session, most recent last; past MAX_DRAFTS the longest untouched is dropped,
   * so opening many specifications' edit pages cannot grow one session row without bound.
   */
  const keepDraft = (req: express.Request, key: string, draft: Draft): Draft => {
    // Far above what the API accepts (100 requirements of short fields): a bigger one is not a specification.
    if (JSON.stringify(draft).length > MAX_DRAFT_CHARACTERS) throw Object.assign(new Error('specification draft too large'), { status: 413 });
    const all = drafts(req);
    delete all[key];
    all[key] = draft;
    for (const old of Object.keys(all).slice(0, -MAX_DRAFTS)) delete all[old];
    return draft;
  };
  /**
   * Redirects once the session is stored: express-session sends the headers before its own save ends,
   * so a browser quick to follow the redirect would otherwise read the session as it was.
   */
  const savedThenRedirect = (req: express.Request, res: express.Response, url: string) =>
    new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve()))).then(() => res.redirect(303, url));
  const options = (viewer: Viewer) => web.operations.run(viewer, SpecificationFormOptionsDocument, { odsCode: viewer.kind === 'buyer' ? viewer.odsCode : '' });
  const frameworkNames = (o: Options) => new Map(o.frameworks.map((f) => [f.code, f.name]));

  /** The draft for this page: the session's, or (for an edit begun now) the specification as saved. */
  async function draftFor(req: express.Request, target: Target): Promise<Draft> {
    const existing = drafts(req)[target.key];
    if (existing) return existing;
    if (!target.id) return emptyDraft();
    const { specification } = await web.operations.run(req.viewer, SpecificationForEditDocument, { id: target.id });
    return keepDraft(req, target.key, draftFromSpecification(specification));
  }

  /** The GP practices under the buyer's organisation (two levels down at most: an ICB's sub-ICB locations' practices), by name. */
  const practicesOf = (o: Options) => {
    const org = o.organisation;
    if (!org) return [];
    const all = [org, ...org.children, ...org.children.flatMap((c) => c.children)].filter((x) => x.role === 'GP_PRACTICE');
    return all.sort((a, b) => a.name.localeCompare(b.name));
  };

  function renderForm(res: express.Response, target: Target, draft: Draft, o: Options, problems?: Problems, status = 200) {
    const chosen = new Set(draft.serviceRecipients ?? []);
    res.status(status).render('specification/form.njk', {
      recipientChoice: draft.recipientChoice ?? 'ALL',
      practiceItems: practicesOf(o).map((p) => ({
        value: p.odsCode, text: `${p.name} (${p.odsCode})`, checked: chosen.has(p.odsCode),
        hint: { text: p.registeredPatients ? `${p.registeredPatients.count.toLocaleString('en-GB')} registered patients` : 'No registered patient count' },
      })),
      quantityUnits: QUANTITY_UNITS.map((u) => ({ ...u, value: u.value, quantity: draft.quantities?.[u.value] ?? '' })),
      namedQuantities: draft.namedQuantities ?? Array.from({ length: NAMED_QUANTITY_ROWS }, () => ({ name: '', quantity: '' })),
      target, draft, problems, errorList: problems?.errorList, errors: problems?.errors ?? {},
      frameworkItems: o.frameworks.map((f) => ({ value: f.code, text: `${f.name} (${f.code})`, checked: draft.frameworkCodes.includes(f.code) })),
      setItems: o.requirementSets.map((s) => ({ value: s.id, text: `${s.name} (${s.edition}, ${s.requirements.length} requirements)`, checked: draft.requirementSetIds.includes(s.id) })),
      frameworkOptions: o.frameworks.map((f) => ({ value: f.code, text: f.code })),
      criterionTypes: CRITERION_TYPES.map((value) => ({ value, text: CRITERION_LABELS[value] })),
      ASSESSMENTS, CERTIFICATIONS, DSPT_STATUSES, INTEGRATIONS, HOSTING_TYPES,
      maxKpis: MAX_KPIS, maxRequirements: MAX_REQUIREMENTS,
      // A new specification may belong to an organisation under the buyer's (an ICB writing for a sub-ICB location).
      ownerItems: !target.id && o.organisation?.children.length
        ? [o.organisation, ...o.organisation.children].map((org, i) => ({ value: i === 0 ? '' : org.odsCode, text: `${org.name} (${org.odsCode})${i === 0 ? ', your organisation' : ''}`, selected: (i === 0 ? '' : org.odsCode) === draft.ownerOdsCode }))
        : undefined,
    });
  }

  const ownerName = (o: Options, odsCode: string) => {
    const org = o.organisation?.children.find((c) => c.odsCode === odsCode.toUpperCase());
    return org ? `${org.name} (${org.odsCode})` : odsCode;
  };

  /** What check-your-answers and the conflict page show: each answer with where to change it. */
  function summaryOf(draft: Draft, o: Options, target: Target) {
    const names = frameworkNames(o);
    const change = (anchor: string) => `${target.base}#${anchor}`;
    const date = draft.year && draft.month && draft.day ? `${draft.year}-${draft.month.padStart(2, '0')}-${draft.day.padStart(2, '0')}` : '';
    return {
      details: [
        ...(draft.ownerOdsCode
          ? [{ key: 'Organisation', value: ownerName(o, draft.ownerOdsCode), href: change('ownerOdsCode'), hidden: 'organisation' }]
          : []),
        { key: 'Title', value: draft.title, href: change('title'), hidden: 'title' },
        { key: 'Frameworks', value: draft.frameworkCodes.map((c) => `${names.get(c) ?? c} (${c})`).join(', '), href: change('frameworkCodes'), hidden: 'frameworks' },
        { key: 'Contract start', value: date, date: true, href: change('contractStart-day'), hidden: 'contract start' },
        { key: 'Term', value: `${draft.termMonths} months`, href: change('termMonths'), hidden: 'term' },
        {
          key: 'Service recipients',
          value: draft.recipientChoice === 'SOME' ? (draft.serviceRecipients ?? []).join(', ') : 'Every practice under the organisation',
          href: change('recipientChoice'), hidden: 'service recipients',
        },
        {
          key: 'Quantities',
          value: quantityRows(draft).map((q) => `${q.quantity} ${q.unit === 'NAMED' ? q.name : (QUANTITY_UNITS.find((u) => u.value === q.unit)?.text ?? q.unit).toLowerCase()}`).join(', ') || 'None given',
          href: change('qty-PER_USER'), hidden: 'quantities',
        },
        {
          key: 'National requirement sets',
          value: draft.requirementSetIds.map((id) => o.requirementSets.find((s) => s.id === id)?.name ?? id).join(', ') || 'None',
          href: change('requirementSetIds'), hidden: 'requirement sets',
        },
      ],
      kpis: draft.kpis.map((k, i) => ({
        key: `${k.code} ${k.name}`, value: `${k.direction === 'AT_MOST' ? 'At most' : 'At least'} ${k.target}${k.unit === '%' ? '' : ' '}${k.unit}, measured ${k.measurementPeriod.toLowerCase()}`,
        href: change(`kpi-${i}-code`), hidden: `KPI ${k.code}`,
      })),
      requirements: draft.requirements.map((r, i) => ({
        key: `${r.code} ${r.title}`, value: `${r.priority}${r.priority === 'SHOULD' ? `, weight ${r.weight || 10}` : ''}. ${describeCriterion(r, names)}`,
        href: change(`req-${i}-code`), hidden: `requirement ${r.code}`,
      })),
    };
  }

  /**
   * Where the current version and these changes differ, answer by answer: details by their label, KPIs
   * and requirements by their code (so a reordered list is not a difference), in the current order.
   */
  function differences(theirs: ReturnType<typeof summaryOf>, yours: ReturnType<typeof summaryOf>) {
    type Item = { key: string; value: string; date?: boolean };
    const rows: { key: string; theirs?: Item; yours?: Item }[] = [];
    const compare = (a: Item[], b: Item[], idOf: (item: Item) => string, label: (id: string) => string) => {
      const mine = new Map(b.map((item) => [idOf(item), item]));
      const seen = new Set<string>();
      for (const item of a) {
        const id = idOf(item);
        seen.add(id);
        const other = mine.get(id);
        if (!other || other.value !== item.value || other.key !== item.key) rows.push({ key: label(id), theirs: item, yours: other });
      }
      for (const item of b) if (!seen.has(idOf(item))) rows.push({ key: label(idOf(item)), yours: item });
    };
    compare(theirs.details, yours.details, (d) => d.key, (id) => id);
    const code = (item: Item) => item.key.split(' ')[0];
    compare(theirs.kpis, yours.kpis, code, (id) => `KPI ${id}`);
    compare(theirs.requirements, yours.requirements, code, (id) => `Requirement ${id}`);
    return rows;
  }

  /** Input the API refused: the error summary and inline messages on the form's own fields. */
  function apiProblems(error: unknown, draft: Draft): Problems | undefined {
    if (!(error instanceof OperationError)) return undefined;
    const fields = error.fields.length ? error.fields : [{ field: '', message: error.message }];
    return web.formErrors(error, Object.fromEntries(fields.map((f) => [f.field, formFieldOf(f.field, draft)])));
  }

  const form = async (req: express.Request, res: express.Response) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const draft = await draftFor(req, target);
    renderForm(res, target, draft, await options(req.viewer));
  };
  router.get('/specifications/new', buyer, form);
  router.get('/specifications/:id/edit', buyer, form);

  // Every button of the form posts here: add or remove a row (the page comes back with everything kept), or continue.
  const submit = async (req: express.Request, res: express.Response) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const previous = await draftFor(req, target);
    const draft = draftFromBody(req.body ?? {}, previous);
    const action = typeof req.body?.action === 'string' ? req.body.action : 'continue';
    let anchor: string | undefined;
    let match: RegExpExecArray | null;
    if (action === 'add-kpi' && draft.kpis.length < MAX_KPIS) {
      draft.kpis.push(emptyKpi());
      anchor = `kpi-${draft.kpis.length - 1}-code`;
    } else if ((match = /^remove-kpi-(\d+)$/.exec(action))) {
      draft.kpis.splice(Number(match[1]), 1);
      anchor = 'kpis';
    } else if (action === 'add-requirement' && draft.requirements.length < MAX_REQUIREMENTS) {
      draft.requirements.push(emptyRequirement());
      anchor = `req-${draft.requirements.length - 1}-code`;
    } else if ((match = /^remove-requirement-(\d+)$/.exec(action))) {
      draft.requirements.splice(Number(match[1]), 1);
      anchor = 'requirements';
    }
    keepDraft(req, target.key, draft);
    if (anchor || action !== 'continue') return savedThenRedirect(req, res, `${target.base}${anchor ? `#${anchor}` : ''}`);
    const problems = checkDraft(draft);
    if (problems) return renderForm(res, target, draft, await options(req.viewer), problems, 400);
    await savedThenRedirect(req, res, `${target.base}/check`);
  };
  router.post('/specifications/new', buyer, submit);
  router.post('/specifications/:id/edit', buyer, submit);

  const check = async (req: express.Request, res: express.Response) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const draft = drafts(req)[target.key];
    if (!draft || checkDraft(draft)) return res.redirect(303, target.base);
    res.render('specification/check.njk', { target, draft, summary: summaryOf(draft, await options(req.viewer), target) });
  };
  router.get('/specifications/new/check', buyer, check);
  router.get('/specifications/:id/edit/check', buyer, check);

  // Save: the API's own create or update (quoting the version the edit began from), then the match page.
  const save = async (req: express.Request, res: express.Response) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const draft = drafts(req)[target.key];
    if (!draft) return res.redirect(303, target.base);
    const local = checkDraft(draft);
    if (local) return renderForm(res, target, draft, await options(req.viewer), local, 400);
    try {
      let id: string;
      if (target.id) {
        await web.operations.run(req.viewer, UpdateSpecificationDocument, { id: target.id, version: draft.version ?? 0, input: toInputOf(draft) });
        id = target.id;
      } else {
        id = (await web.operations.run(req.viewer, CreateSpecificationDocument, { input: toInputOf(draft) })).createSpecification.id;
      }
      delete drafts(req)[target.key];
      req.session.specificationSaved = { id, title: draft.title, created: !target.id };
      await savedThenRedirect(req, res, `/specifications/${id}/matches`);
    } catch (error) {
      if (target.id && error instanceof OperationError && error.code === 'CONFLICT' && !error.fields.length) {
        return res.redirect(303, `${target.base}/conflict`);
      }
      const problems = apiProblems(error, draft);
      if (!problems) throw error;
      renderForm(res, target, draft, await options(req.viewer), problems, 400);
    }
  };
  router.post('/specifications/new/check', buyer, save);
  router.post('/specifications/:id/edit/check', buyer, save);

  // Someone else saved it since this edit began: their version beside these changes; reapply or start again.
  router.get('/specifications/:id/edit/conflict', buyer, async (req, res) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const draft = drafts(req)[target.key];
    if (!draft) return res.redirect(303, target.base);
    const [{ specification }, o] = await Promise.all([web.operations.run(req.viewer, SpecificationForEditDocument, { id: target.id! }), options(req.viewer)]);
    const current = draftFromSpecification(specification);
    const yours = summaryOf(draft, o, target);
    const theirs = summaryOf(current, o, target);
    res.render('specification/conflict.njk', { target, draft, current, yours, theirs, differences: differences(theirs, yours) });
  });
  router.post('/specifications/:id/edit/conflict', buyer, async (req, res) => {
    const target = targetOf(req);
    if (!target) return web.notFound(req, res);
    const draft = drafts(req)[target.key];
    if (!draft) return res.redirect(303, target.base);
    if (req.body?.action === 'discard') {
      delete drafts(req)[target.key];
      return savedThenRedirect(req, res, target.base);
    }
    // Reapply against the version the person was shown: if it has moved again, they see the newer one.
    const raw = req.body?.version;
    const version = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(version) || version < 1) return res.redirect(303, `${target.base}/conflict`);
    keepDraft(req, target.key, { ...draft, version });
    await savedThenRedirect(req, res, `${target.base}/check`);
  });

  // The match page after a save shows a success banner once.
  router.get('/specifications/:id/matches', (req, res, next) => {
    const saved = req.session.specificationSaved;
    if (saved && saved.id === req.params.id) {
      res.locals.specificationSaved = saved;
      delete req.session.specificationSaved;
    }
    next();
  });

  return router;
}
