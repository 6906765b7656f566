import { toCsv } from '../../common/csv.js';
import express from 'express';
import { MatchExportDocument, MatchResultsDocument, MySpecificationsDocument, type MatchResultsQuery } from '../generated/graphql.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import type { WebContext } from '../web.js';
import { coverageChart, type CoverageBar } from './coverage-chart.js';

const PAGE_SIZE = 10;
const one = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

const CERTIFICATE_LABELS: Record<string, string> = {
  ISO_27001: 'ISO/IEC 27001', ISO_9001: 'ISO 9001', ISO_22301: 'ISO 22301', ISO_20000_1: 'ISO/IEC 20000-1', ISO_14001: 'ISO 14001',
  CYBER_ESSENTIALS: 'Cyber Essentials', CYBER_ESSENTIALS_PLUS: 'Cyber Essentials Plus', MHRA_REGISTRATION: 'MHRA registration',
};

type Match = MatchResultsQuery['matchSuppliers']['edges'][number]['node'];

/** The records a match rests on over time, as bars against the term (the chart is drawn, not decided, here). */
function barsOf(match: Match): CoverageBar[] {
  const s = match.supplier;
  return [
    ...s.certifications.map((c) => ({ kind: 'CERTIFICATION' as const, label: `${CERTIFICATE_LABELS[c.type] ?? c.type} ${c.certificateNumber}`, from: c.validFrom, to: c.validUntil })),
    ...(s.currentDspt ? [{ kind: 'DSPT' as const, label: `DSPT ${s.currentDspt.cycle}`, from: s.currentDspt.publishedOn, to: s.currentDspt.currentUntil }] : []),
    ...s.frameworkAwards
      .filter((a) => a.status === 'ACTIVE')
      .map((a) => ({ kind: 'FRAMEWORK_AWARD' as const, label: `${a.lot.framework.code} lot ${a.lot.number} award`, from: a.awardedOn, to: a.expiresOn })),
  ];
}

const PERIOD_WORDS: Record<string, [string, string]> = { ONE_OFF: ['once', 'once'], MONTHLY: ['a month', 'months'], YEARLY: ['a year', 'years'] };
const RULE_WORDS: Record<string, string> = {
  SINGLE_FIXED: 'the price of the tier the quantity falls in, once',
  CUMULATIVE: 'each tier’s units at that tier’s price',
  VOLUME: 'every unit at the price of the tier the quantity falls in',
};

/** A cost line's working in words (the figures are the API's; only wording is decided here). */
function costWords(l: Match['cost']['lines'][number]) {
  const [per, many] = PERIOD_WORDS[l.billingPeriod] ?? ['', ''];
  const quantity = l.quantity === null ? 'not known' : `${Number(l.quantity).toLocaleString('en-GB')}${l.provisioning === 'ON_DEMAND' ? ` ${per === 'once' ? '' : per} (estimated)` : ''}`;
  const price = l.calculation === 'FLAT'
    ? `${l.unitPrice?.display} ${l.unitLabel}`
    : `Tiered ${l.unitLabel}: ${RULE_WORDS[l.tieredRule ?? ''] ?? ''}. ${l.tiers.map((t) => `${Number(t.units).toLocaleString('en-GB')} in ${t.lowerBound.toLocaleString('en-GB')}${t.upperBound === null ? ' and over' : ` to ${t.upperBound.toLocaleString('en-GB')}`} at ${t.price.display} = ${t.amount.display}`).join('; ')}`;
  const periods = l.billingPeriod === 'ONE_OFF' ? 'once' : `${l.periods} ${many}`;
  return { quantity, price, periods, per };
}

/** The commissioner's pages: their organisation's specifications and what matches each. */
export function matchingRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/specifications', web.requireViewer([Role.BUYER]), async (req, res) => {
    const data = await web.operations.run(req.viewer, MySpecificationsDocument, { first: 50, after: one(req.query.after) });
    res.render('matching/specifications.njk', {
      specifications: data.specifications.edges.map((e) => e.node),
      totalCount: data.specifications.totalCount,
      nextUrl: data.specifications.pageInfo.hasNextPage ? `/specifications?after=${encodeURIComponent(data.specifications.pageInfo.endCursor!)}` : undefined,
    });
  });

  router.get('/specifications/:id/matches', web.requireViewer([Role.BUYER]), async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f-]{36}$/i.test(id)) return web.notFound(req, res);
    const asOf = one(req.query.asOf);
    const after = one(req.query.after);
    const orderBy = one(req.query.orderBy) === 'COST' ? 'COST' : undefined;
    try {
      const { data } = await web.operations.runFitting(req.viewer, MatchResultsDocument, { id, asOf, first: PAGE_SIZE, after, orderBy });
      const spec = data.specification;
      const matches = data.matchSuppliers.edges.map(({ node }, i) => ({
        ...node,
        scorePercent: Math.round(node.score * 100),
        met: node.outcomes.filter((o) => o.status === 'MET').length,
        costLines: node.cost.lines.map((l) => ({ ...l, words: costWords(l) })),
        // Records that ended before the term starts say nothing about it: only the rest are drawn.
        chart: coverageChart({ start: spec.contractStart, end: spec.contractEnd, bars: barsOf(node).filter((b) => b.to >= spec.contractStart) }, `coverage-${i}`),
      }));
      const params = (extra: Record<string, string>) => {
        const p = new URLSearchParams({ ...(asOf ? { asOf } : {}), ...(orderBy ? { orderBy } : {}), ...extra });
        const text = p.toString();
        return `/specifications/${spec.id}/matches${text ? `?${text}` : ''}`;
      };
      res.render('matching/matches.njk', {
        spec,
        asOf,
        orderBy,
        matches,
        totalCount: data.matchSuppliers.totalCount,
        nextUrl: data.matchSuppliers.pageInfo.hasNextPage ? params({ after: data.matchSuppliers.pageInfo.endCursor! }) : undefined,
        firstUrl: after ? params({}) : undefined,
      });
    } catch (error) {
      const problems = web.formErrors(error, { asOf: 'asOf', after: 'asOf' });
      if (!problems) throw error;
      res.status(400).render('matching/matches.njk', { spec: { id, title: 'Match results' }, asOf, orderBy, matches: [], totalCount: 0, ...problems });
    }
  });

  // One row per solution and requirement, for a procurement file: every page of the match, in order.
  router.get('/specifications/:id/matches.csv', web.requireViewer([Role.BUYER]), async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f-]{36}$/i.test(id)) return web.notFound(req, res);
    const asOf = one(req.query.asOf);
    const rows: string[][] = [['supplier', 'supplier_id', 'solution', 'solution_id', 'eligible', 'score', 'requirement', 'title', 'priority', 'status', 'reason', 'evidence']];
    let title = 'match';
    for await (const data of web.operations.pages(req.viewer, MatchExportDocument, { id, asOf, first: EXPORT_PAGE }, (d) => d.matchSuppliers, EXPORT_LIMITS)) {
      title = data.specification.title;
      for (const { node } of data.matchSuppliers.edges) {
        for (const o of node.outcomes) {
          rows.push([
            node.supplier.name, node.supplier.id, node.solution?.name ?? '(no longer listed)', node.solution?.id ?? '', String(node.eligible), node.score.toFixed(4),
            o.requirement.code, o.requirement.title, o.requirement.priority, o.status, o.reason, o.evidence.map((e) => `${e.kind}:${e.id}`).join(' '),
          ]);
        }
      }
    }
    res.type('text/csv; charset=utf-8').attachment(`${title.replace(/[^\w -]+/g, '').trim() || 'match'}${asOf ? ` as of ${asOf}` : ''}.csv`).send(toCsv(rows));
  });

  return router;
}

/** An export reads the match 50 at a time (fewer for a specification too long for 50 within the cost limit), up to 1,000 solutions. */
const EXPORT_PAGE = 50;
const EXPORT_LIMITS = { maxItems: 1_000, maxPages: 200 };

/** RFC 4180 CSV, formula-safe (src/common/csv.ts). */
export { toCsv };
