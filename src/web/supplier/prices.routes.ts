import express from 'express';
import { UUID } from '../../common/ids.js';
import { SupplierPricesDocument, SupplierSubmitPriceDocument, SupplierWithdrawPriceDocument, type PriceInput, type SupplierPricesQuery } from '../generated/graphql.js';
import { shortDate } from '../charts/timeline-chart.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import { statusTag } from './evidence-dashboard.js';
import { type Body, datePartsOf, type DateParts, isRecordConflict, ownId, Problems, readDate, renderWithdrawConflict, savedThenRedirect, text } from './forms.js';

/** Tier rows the form offers (no JavaScript: a fixed number; the API takes up to ten). */
export const TIER_ROWS = 4;

const UNITS: Record<string, string> = {
  PER_PATIENT: 'Per patient', PER_PRACTICE: 'Per practice', PER_USER: 'Per user', PER_LICENCE: 'Per licence', PER_DEVICE: 'Per device',
  PER_CONSULTATION: 'Per consultation', NAMED: 'Per a unit you name',
};
const PROVISIONING: Record<string, string> = {
  PATIENT: 'From the practices (their registered patients, or their number)',
  DECLARATIVE: 'The buyer declares the quantity',
  ON_DEMAND: 'The buyer estimates a quantity per billing period',
};
const BILLING: Record<string, string> = { ONE_OFF: 'One-off', MONTHLY: 'Monthly', YEARLY: 'Yearly' };
/** A price the supplier may still withdraw (a rejected one never counted; a withdrawn one cannot change). */
const WITHDRAWABLE = new Set(['SUBMITTED', 'VERIFIED']);

type Price = Solution['prices'][number];

/** What the withdraw and conflict pages show of a price. */
function priceSummary(solution: Solution, p: Price): { key: string; value: string }[] {
  return [
    { key: 'Solution', value: solution.name },
    { key: 'Item', value: p.item },
    { key: 'Price', value: priceText(p) },
    { key: 'Billed', value: BILLING[p.billingPeriod] },
    { key: 'In effect', value: `From ${shortDate(p.effectiveFrom)}${p.effectiveUntil ? ` until ${shortDate(p.effectiveUntil)}` : ''}` },
  ];
}
const RULES: Record<string, string> = {
  SINGLE_FIXED: 'Single fixed: the price of the tier the quantity falls in, once',
  CUMULATIVE: 'Cumulative: each tier’s units at that tier’s price',
  VOLUME: 'Volume: every unit at the price of the tier the quantity falls in',
};

interface PriceValues {
  solution: string; item: string; unit: string; unitName: string; provisioning: string; calculation: string; price: string;
  tieredRule: string; billingPeriod: string; tiers: { lowerBound: string; upperBound: string; price: string }[];
  effectiveFrom: DateParts; effectiveUntil: DateParts;
}

type Solution = NonNullable<SupplierPricesQuery['supplier']>['solutions'][number];

const valuesOf = (body: Body): PriceValues => ({
  solution: text(body, 'solution'), item: text(body, 'item'), unit: text(body, 'unit'), unitName: text(body, 'unitName'),
  provisioning: text(body, 'provisioning'), calculation: text(body, 'calculation'), price: text(body, 'price').trim().replace(/^£/, ''),
  tieredRule: text(body, 'tieredRule'), billingPeriod: text(body, 'billingPeriod'),
  tiers: Array.from({ length: TIER_ROWS }, (_, i) => ({ lowerBound: text(body, `tiers-${i}-lowerBound`).trim(), upperBound: text(body, `tiers-${i}-upperBound`).trim(), price: text(body, `tiers-${i}-price`).trim().replace(/^£/, '') })),
  effectiveFrom: datePartsOf(body, 'effectiveFrom'), effectiveUntil: datePartsOf(body, 'effectiveUntil'),
});

/** The API's field to the id it is shown on: tiers.1.lowerBound on its row's box, dates on their day box. */
function idOf(field: string): string {
  const f = field.replace(/^input\./, '');
  if (f === 'solutionId') return 'solution';
  if (f === 'effectiveFrom' || f === 'effectiveUntil') return `${f}-day`;
  if (f === 'tiers') return 'tiers-0-lowerBound';
  const tier = /^tiers\.(\d+)\.(\w+)$/.exec(f);
  if (tier) return `tiers-${tier[1]}-${tier[2]}`;
  return f;
}

/** A price in a line, for the list: "£1.25 per patient" or the tiers. */
function priceText(p: Solution['prices'][number]): string {
  const unit = p.unit === 'NAMED' ? `per ${p.unitName}` : (UNITS[p.unit] ?? p.unit).toLowerCase();
  if (p.price) return `${p.price.display} ${unit}`;
  return `${RULES[p.tieredRule ?? '']?.split(':')[0] ?? 'Tiered'} tiers ${unit}: ${p.tiers.map((t) => `${t.lowerBound}${t.upperBound === null ? ' and over' : ` to ${t.upperBound}`} at ${t.price.display}`).join('; ')}`;
}

/** A supplier's price items for its solutions, and the form that submits a new one (verified like any evidence). */
export function priceRoutes(web: WebContext, supplier: express.RequestHandler): express.Router {
  const router = express.Router();
  const load = async (req: express.Request) => (await web.operations.run(req.viewer, SupplierPricesDocument, { id: ownId(req) })).supplier;

  router.get('/supplier/prices', supplier, async (req, res) => {
    const s = await load(req);
    if (!s) return web.notFound(req, res);
    res.render('supplier/prices.njk', {
      solutions: s.solutions.map((sol) => ({
        ...sol,
        rows: sol.prices.map((p) => ({ ...p, text: priceText(p), billing: BILLING[p.billingPeriod], tag: statusTag(p.verificationStatus), withdrawable: WITHDRAWABLE.has(p.verificationStatus) })),
      })),
    });
  });

  function render(res: express.Response, solutions: Solution[], values: PriceValues, problems?: Problems, status = 200) {
    const items = (labels: Record<string, string>, chosen: string, blank?: string) => [
      ...(blank ? [{ value: '', text: blank }] : []),
      ...Object.entries(labels).map(([value, t]) => ({ value, text: t, selected: value === chosen, checked: value === chosen })),
    ];
    res.status(status).render('supplier/price-form.njk', {
      values,
      errorList: problems?.errorList, errors: problems?.errors ?? {},
      solutionItems: [{ value: '', text: 'Choose a solution' }, ...solutions.map((x) => ({ value: x.id, text: x.name, selected: x.id === values.solution }))],
      unitItems: items(UNITS, values.unit, 'Choose a unit'),
      provisioningItems: items(PROVISIONING, values.provisioning),
      billingItems: items(BILLING, values.billingPeriod, 'Choose how often'),
      ruleItems: items(RULES, values.tieredRule, 'Choose a rule'),
      calculationItems: [
        { value: 'FLAT', text: 'Flat: one price per unit', checked: values.calculation === 'FLAT' },
        { value: 'TIERED', text: 'Tiered: prices by quantity band', checked: values.calculation === 'TIERED' },
      ],
    });
  }

  const blank = (solution = ''): PriceValues => ({
    solution, item: '', unit: '', unitName: '', provisioning: '', calculation: '', price: '', tieredRule: '', billingPeriod: '',
    tiers: Array.from({ length: TIER_ROWS }, () => ({ lowerBound: '', upperBound: '', price: '' })),
    effectiveFrom: { day: '', month: '', year: '' }, effectiveUntil: { day: '', month: '', year: '' },
  });

  router.get('/supplier/prices/new', supplier, async (req, res) => {
    const s = await load(req);
    if (!s) return web.notFound(req, res);
    render(res, s.solutions, blank(typeof req.query.solution === 'string' ? req.query.solution : ''));
  });

  router.post('/supplier/prices/new', supplier, async (req, res) => {
    const s = await load(req);
    if (!s) return web.notFound(req, res);
    const values = valuesOf(req.body ?? {});
    // Reading the form is the page's job (choices made, numbers that are numbers, days that are days); every rule about a price is the API's.
    const problems = new Problems();
    if (!values.solution) problems.add('solution', 'Choose the solution the price is for');
    if (!values.unit) problems.add('unit', 'Choose the unit');
    if (!values.provisioning) problems.add('provisioning', 'Choose where the quantity comes from');
    if (!values.calculation) problems.add('calculation', 'Choose flat or tiered');
    if (!values.billingPeriod) problems.add('billingPeriod', 'Choose how often it is billed');
    if (values.calculation === 'FLAT' && !values.price) problems.add('price', 'Enter the price per unit in pounds, for example 1.25');
    const tiers = values.tiers.filter((t) => t.lowerBound || t.upperBound || t.price);
    values.tiers.forEach((t, i) => {
      for (const part of ['lowerBound', 'upperBound'] as const) {
        if (t[part] && !/^\d{1,10}$/.test(t[part])) problems.add(`tiers-${i}-${part}`, `Tier ${i + 1}: enter the ${part === 'lowerBound' ? 'first' : 'last'} unit as a whole number`);
      }
    });
    const effectiveFrom = readDate(problems, values.effectiveFrom, 'effectiveFrom', 'the first day the price applies', true);
    const effectiveUntil = readDate(problems, values.effectiveUntil, 'effectiveUntil', 'the day it stops applying', false);
    if (problems.any) return render(res, s.solutions, values, problems, 400);
    const tiered = values.calculation === 'TIERED';
    const input: PriceInput = {
      solutionId: values.solution,
      item: values.item,
      unit: values.unit as PriceInput['unit'],
      unitName: values.unitName.trim() || null,
      provisioning: values.provisioning as PriceInput['provisioning'],
      calculation: values.calculation as PriceInput['calculation'],
      tieredRule: tiered ? ((values.tieredRule || null) as PriceInput['tieredRule']) : null,
      billingPeriod: values.billingPeriod as PriceInput['billingPeriod'],
      price: tiered ? null : values.price,
      tiers: tiered ? tiers.map((t) => ({ lowerBound: Number(t.lowerBound || 0), upperBound: t.upperBound ? Number(t.upperBound) : null, price: t.price })) : null,
      effectiveFrom: effectiveFrom!,
      effectiveUntil: effectiveUntil ?? null,
    };
    try {
      await web.operations.run(req.viewer, SupplierSubmitPriceDocument, { input });
    } catch (error) {
      if (!(error instanceof OperationError) || error.code !== 'BAD_USER_INPUT') throw error;
      const found = web.formErrors(error, Object.fromEntries(error.fields.map((f) => [f.field, idOf(f.field)])))!;
      const refused = new Problems();
      for (const item of found.errorList) refused.add(item.href.slice(1) || 'main-content', item.text.charAt(0).toUpperCase() + item.text.slice(1));
      return render(res, s.solutions, values, refused, 400);
    }
    await savedThenRedirect(req, res, '/supplier/prices', `Price for ${values.item.trim()} submitted: it counts once the assurance team verifies it.`);
  });

  // --- Withdraw: a confirmation page, then the API (quoting the version read) ------------------------

  /** One of the supplier's own prices; another's (or none) is the 404 page, as for certificates. */
  const priceOf = async (req: express.Request, res: express.Response): Promise<{ solution: Solution; price: Price } | undefined> => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return void web.notFound(req, res);
    const s = await load(req);
    for (const solution of s?.solutions ?? []) {
      const price = solution.prices.find((p) => p.id === id);
      if (price) return { solution, price };
    }
    return void web.notFound(req, res);
  };

  router.get('/supplier/prices/:id/withdraw', supplier, async (req, res) => {
    const found = await priceOf(req, res);
    if (!found) return;
    if (!WITHDRAWABLE.has(found.price.verificationStatus)) {
      return savedThenRedirect(req, res, '/supplier/prices', `The price for ${found.price.item} is ${found.price.verificationStatus.toLowerCase()} and cannot be withdrawn.`, false);
    }
    res.render('supplier/price-withdraw.njk', { price: found.price, summary: priceSummary(found.solution, found.price), tag: statusTag(found.price.verificationStatus) });
  });

  router.post('/supplier/prices/:id/withdraw', supplier, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    // Another supplier's price is the API's to refuse (FORBIDDEN: the 403 page).
    let item: string;
    try {
      item = (await web.operations.run(req.viewer, SupplierWithdrawPriceDocument, { id, version: Number(text(req.body, 'version')) || 0 })).withdrawPrice.item;
    } catch (error) {
      if (!isRecordConflict(error)) throw error;
      const s = await load(req);
      const solution = s?.solutions.find((sol) => sol.prices.some((p) => p.id === id));
      const current = solution?.prices.find((p) => p.id === id);
      if (!solution || !current) throw error;
      return renderWithdrawConflict(res, {
        what: 'price',
        current,
        summary: priceSummary(solution, current),
        tag: statusTag(current.verificationStatus),
        changed: `The price changed (it is now at version ${current.version}, ${current.verificationStatus.toLowerCase()}) after you opened it. Check it before you withdraw it.`,
        action: `/supplier/prices/${id}/withdraw`,
        backHref: '/supplier/prices',
      });
    }
    await savedThenRedirect(req, res, '/supplier/prices', `Price for ${item} withdrawn: it is kept for the record and never counted again.`);
  });

  return router;
}
