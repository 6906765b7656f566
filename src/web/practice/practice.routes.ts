import express from 'express';
import { publicBaseUri } from '../../config.js';
import {
  PracticeChooserDocument,
  PracticeNamesDocument,
  PracticeOptionsDocument,
  type PracticeChooserQuery,
  type PracticeOptionsQuery,
} from '../generated/graphql.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';

/** The most options the API gives for one question (its own bound). */
const MAX_OPTIONS = 100;
const MIN_COMPARE = 2;
const MAX_COMPARE = 3;
/** The API's argument names, as this journey's form fields. */
const FIELDS = { capabilities: 'capabilities', practiceOdsCode: 'practice', search: 'q' };

type Option = PracticeOptionsQuery['directProcurementOptions'][number];
type Problems = NonNullable<ReturnType<WebContext['formErrors']>>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);

/** What the person asked about, from the URL: every page of the journey keeps it there (no session state). */
interface Selection {
  /** The practice's ODS code as asked for; empty when none was chosen. */
  practice: string;
  capabilities: string[];
  q: string;
}

function selectionOf(req: express.Request): Selection {
  return { practice: text(req.query.practice).toUpperCase(), capabilities: [...new Set(list(req.query.capability).map((c) => c.toUpperCase()))], q: text(req.query.q) };
}

/** The query string of a selection (and any extra pairs), for links between the journey's pages. */
function queryOf(sel: Selection, opts: { withFilter?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (sel.practice) params.append('practice', sel.practice);
  for (const c of sel.capabilities) params.append('capability', c);
  // The capability filter matters only on the chooser, where it is kept to come back to.
  if (opts.withFilter && sel.q) params.append('q', sel.q);
  return params.toString();
}

/** How an option is named in a URL: a solution can be offered on two frameworks. */
const keyOf = (o: Option) => `${o.solution.id}:${o.framework.code}`;

/**
 * A practice's direct procurement: choose capabilities (filtered by name or reference on the server,
 * live in the browser when JavaScript runs), see what the practice may buy directly with the local
 * checklist line by line, compare two or three options, and print the lot for the procurement file.
 * A practice's own buyers see their practice; an ICB's or sub-ICB location's buyers choose a practice
 * under them. Who may see which practice is the API's rule (its FORBIDDEN is the 403 page).
 */
export function practiceRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const buyer = web.requireViewer([Role.BUYER]);
  const odsCodeOf = (req: express.Request) => (req.viewer.kind === 'buyer' ? req.viewer.odsCode : '');

  /** The practices a buyer may choose from: none for a practice (it is the practice), else those under it. */
  function practicesUnder(org: NonNullable<PracticeChooserQuery['organisation']>) {
    return org.children.flatMap((child) =>
      child.role === 'GP_PRACTICE'
        ? [{ odsCode: child.odsCode, name: child.name, under: org.name }]
        : child.children.filter((g) => g.role === 'GP_PRACTICE').map((g) => ({ odsCode: g.odsCode, name: g.name, under: child.name })),
    );
  }

  async function renderChooser(req: express.Request, res: express.Response, sel: Selection, problems?: Problems) {
    let data: PracticeChooserQuery;
    let filterProblems: Problems | undefined;
    try {
      data = await web.operations.run(req.viewer, PracticeChooserDocument, { odsCode: odsCodeOf(req), search: sel.q || null });
    } catch (error) {
      filterProblems = web.formErrors(error, FIELDS);
      if (!filterProblems) throw error;
      data = await web.operations.run(req.viewer, PracticeChooserDocument, { odsCode: odsCodeOf(req), search: null });
    }
    const org = data.organisation;
    if (!org) throw new OperationError('FORBIDDEN', 'Your organisation is not in the catalogue.', []);
    const ownPractice = org.role === 'GP_PRACTICE';
    const practices = ownPractice ? [] : practicesUnder(org);
    // Neither a practice nor above one: there is no practice whose options this buyer may see.
    if (!ownPractice && practices.length === 0) throw new OperationError('FORBIDDEN', 'No GP practice is under your organisation.', []);

    const chosen = new Set(sel.capabilities);
    const shown = new Set(data.shownCapabilities.map((c) => c.reference));
    // The filter narrows the list, but what is already ticked stays in the form.
    const items = data.allCapabilities
      .filter((c) => shown.has(c.reference) || chosen.has(c.reference))
      .map((c) => ({ value: c.reference, text: `${c.reference} ${c.name}`, checked: chosen.has(c.reference) }));
    const all = [...(filterProblems?.errorList ?? []), ...(problems?.errorList ?? [])];
    res.status(all.length ? 400 : 200).render('practice/choose.njk', {
      org,
      ownPractice,
      practiceItems: [
        { value: '', text: 'Choose a practice' },
        ...practices.map((p) => ({ value: p.odsCode, text: `${p.name} (${p.odsCode}), ${p.under}`, selected: p.odsCode === sel.practice })),
      ],
      items,
      hiddenCount: data.allCapabilities.length - items.length,
      sel,
      errorList: all.length ? all : undefined,
      errors: { ...(filterProblems?.errors ?? {}), ...(problems?.errors ?? {}) },
    });
  }

  /**
   * The options for the selection, with the practice's and capabilities' names; on input the API
   * refused, the chooser again with the NHS error summary (and undefined is returned).
   */
  async function optionsFor(req: express.Request, res: express.Response) {
    const sel = selectionOf(req);
    // A practice's own buyers need not choose: their practice is theirs.
    const practice = sel.practice || odsCodeOf(req);
    let options: Option[];
    try {
      options = (await web.operations.run(req.viewer, PracticeOptionsDocument, { practice, capabilities: sel.capabilities, first: MAX_OPTIONS })).directProcurementOptions;
    } catch (error) {
      const problems = web.formErrors(error, FIELDS);
      if (!problems) throw error;
      if (!sel.practice && problems.errors.practice) {
        // The buyer's own organisation is not a practice, and none was chosen.
        problems.errors.practice = 'Choose the practice';
        problems.errorList = problems.errorList.map((e) => (e.href === '#practice' ? { ...e, text: 'Choose the practice' } : e));
      }
      await renderChooser(req, res, sel, problems);
      return undefined;
    }
    const names = await web.operations.run(req.viewer, PracticeNamesDocument, { practice });
    const byRef = new Map(names.capabilities.map((c) => [c.reference, c.name]));
    return {
      sel,
      practice: names.organisation!,
      capabilities: sel.capabilities.map((reference) => ({ reference, name: byRef.get(reference) ?? '' })),
      options: options.map((o) => ({ ...o, key: keyOf(o), failed: o.checks.filter((c) => !c.passed).length })),
    };
  }

  router.get('/practice', buyer, async (req, res) => {
    await renderChooser(req, res, selectionOf(req));
  });

  router.get('/practice/options', buyer, async (req, res) => {
    const found = await optionsFor(req, res);
    if (!found) return;
    res.render('practice/options.njk', {
      ...found,
      passing: found.options.filter((o) => o.passesChecklist).length,
      maybeMore: found.options.length >= MAX_OPTIONS,
      changeUrl: `/practice?${queryOf(found.sel, { withFilter: true })}`,
      recordUrl: `/practice/record?${queryOf(found.sel)}`,
    });
  });

  // Two or three options side by side, the checklist's lines as rows.
  router.get('/practice/compare', buyer, async (req, res) => {
    const found = await optionsFor(req, res);
    if (!found) return;
    const wanted = [...new Set(list(req.query.option))];
    const columns = wanted.map((k) => found.options.find((o) => o.key === k)).filter((o): o is (typeof found.options)[number] => Boolean(o));
    const backUrl = `/practice/options?${queryOf(found.sel)}`;
    if (columns.length !== wanted.length || columns.length < MIN_COMPARE || columns.length > MAX_COMPARE) {
      const message =
        columns.length !== wanted.length ? 'Choose options from the list of what the practice can buy' : columns.length < MIN_COMPARE ? 'Tick at least 2 options to compare' : 'Tick no more than 3 options to compare';
      return res.status(400).render('practice/compare.njk', { ...found, columns: [], rows: [], backUrl, errorList: [{ text: message, href: '#back-to-options' }] });
    }
    const rows = columns[0].checks.map((line) => ({ check: line.check, cells: columns.map((o) => o.checks.find((c) => c.check === line.check)) }));
    res.render('practice/compare.njk', { ...found, columns, rows, backUrl });
  });

  // A page for the practice's procurement file: the date, who looked, what for, and every option's checklist.
  router.get('/practice/record', buyer, async (req, res) => {
    const found = await optionsFor(req, res);
    if (!found) return;
    res.render('practice/record.njk', {
      ...found,
      passing: found.options.filter((o) => o.passesChecklist).length,
      backUrl: `/practice/options?${queryOf(found.sel)}`,
      // The service's own address, never the request's Host header.
      recordUrl: `${publicBaseUri()}${req.originalUrl}`,
      checkedAt: new Date().toISOString(),
      who: { account: res.locals.account?.name as string | undefined, sub: req.viewer.kind === 'buyer' ? req.viewer.sub : '' },
    });
  });

  return router;
}
