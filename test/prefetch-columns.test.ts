import { getNamedType, GraphQLObjectType, isLeafType, isNonNullType, type GraphQLSchema } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnChoice } from '../src/graphql/prefetch.js';
import { getSchema } from '../src/graphql/schema.js';
import { as, createTestApi, type TestApi } from './helpers/api.js';
import type { Viewer } from '../src/graphql/context.js';

/**
 * The catalogue's nested reads take only the columns a query needs (graphql/reads.ts). Whatever is
 * selected under a supplier's relations, the answer must be the one every column gives: for every
 * field of every prefetched relation, for the public, a supplier with evidence awaiting review and
 * the assurance team, on a page and on one supplier.
 */
let api: TestApi;
let schema: GraphQLSchema;
let own: string;
const statements: string[] = [];
const query = pg.Client.prototype.query;

beforeAll(async () => {
  api = await createTestApi({ seed: true });
  schema = await getSchema();
  // A supplier with evidence in every state, so the visibility rules have something to drop.
  own = (
    await api.db.sql(`SELECT supplier_id FROM certification GROUP BY supplier_id ORDER BY count(DISTINCT verification_status) DESC, supplier_id LIMIT 1`)
  ).rows[0].supplier_id;
  // Every statement's text, to see which columns were read (the driver's own method, wrapped to look).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { text?: string } | string;
    statements.push(typeof config === 'string' ? config : (config?.text ?? ''));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  columnChoice.on = true;
  await api?.close();
});

/** Each field of a type that needs no argument, as a selection (an object by its __typename). */
function selections(typeName: string): string[] {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields())
    .filter((f) => f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => (isLeafType(getNamedType(f.type)) ? f.name : `${f.name} { __typename }`));
}

const RELATIONS: { field: string; type: string; args?: string }[] = [
  { field: 'certifications', type: 'Certification', args: '(includeUnverified: $all)' },
  // The parent field's own choices (validity on a day, types, the day's current DSPT) read the rows too.
  { field: 'certifications', type: 'Certification', args: '(includeUnverified: $all, validOn: "2026-06-01", types: [ISO_27001, CYBER_ESSENTIALS_PLUS, ISO_9001])' },
  { field: 'currentDspt', type: 'DsptAssessment', args: '(includeUnverified: $all)' },
  { field: 'currentDspt', type: 'DsptAssessment', args: '(includeUnverified: $all, asOf: "2025-09-30")' },
  { field: 'dsptHistory', type: 'DsptAssessment', args: '(includeUnverified: $all)' },
  { field: 'frameworkAwards', type: 'FrameworkAward' },
  { field: 'kpiReports', type: 'KpiReport', args: '(includeUnverified: $all)' },
  { field: 'solutions', type: 'Solution' },
];

async function both(text: string, variables: Record<string, unknown>, viewer: Viewer) {
  const answers = [];
  for (const on of [true, false]) {
    columnChoice.on = on;
    // Plans are kept per parsed document: each mode its own text.
    answers.push(await api.query(`# columns ${on ? 'chosen' : 'all'}\n${text}`, variables, viewer));
  }
  columnChoice.on = true;
  return answers;
}

describe('reading only the columns a query needs', () => {
  it('answers every field of every relation as reading every column does', async () => {
    const viewers: [string, Viewer, boolean][] = [
      ['public', as.public(), false],
      ['the supplier', as.supplier(own), true],
      ['assurance', as.assurance(), true],
    ];
    let compared = 0;
    for (const { field, type, args } of RELATIONS) {
      const fields = [...selections(type), ...(type === 'Solution' ? selections('CapabilityAssessment').map((c) => `capabilities(includeUnverified: $all) { ${c} }`) : [])];
      for (const sel of fields) {
        for (const [who, viewer, all] of viewers) {
          const selection = `${field}${args ?? ''} { ${sel} }`;
          const uses = selection.includes('$all');
          const one = `query($id: ID!${uses ? ', $all: Boolean' : ''}) { supplier(id: $id) { id ${selection} } }`;
          const page = `query${uses ? '($all: Boolean)' : ''} { suppliers(first: 25) { edges { node { id ${selection} } } } }`;
          for (const [text, variables] of [[one, { id: own, ...(uses ? { all } : {}) }], [page, uses ? { all: false } : {}]] as const) {
            const [chosen, every] = await both(text, variables, viewer);
            // Something to compare: data, not a query refused whole (a field refused to this viewer is fine).
            expect(every.data, `${who} ${selection}: ${JSON.stringify(every.errors)}`).toBeTruthy();
            expect({ who, sel, data: chosen.data, errors: chosen.errors }).toEqual({ who, sel, data: every.data, errors: every.errors });
            expect(chosen.statements, `${who} ${field} { ${sel} }`).toBeLessThanOrEqual(every.statements);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, 120_000);

  it('gives rows read for a fragment in one place only to places that select no more under it', async () => {
    const sid = (await api.db.sql(`SELECT s.id FROM solution s WHERE s.supplier_id = $1 AND s.publication_status = 'PUBLISHED' LIMIT 1`, [own])).rows[0]?.id;
    const cases: [string, Record<string, unknown>][] = [
      // A field inside a fragment is one node wherever the fragment is spread; the second place adds a column.
      [`query($id: ID!) { a: supplier(id: $id) { ...F } b: supplier(id: $id) { ...F certifications { certificateNumber } } } fragment F on Supplier { certifications { id } }`, { id: own }],
      [`query($id: ID!) { b: supplier(id: $id) { ...F certifications { certificateNumber } } a: supplier(id: $id) { ...F } } fragment F on Supplier { certifications { id } }`, { id: own }],
      [`query($id: ID!) { a: supplier(id: $id) { ...F } b: suppliers(first: 25) { edges { node { ...F certifications { certificateNumber certifyingBody } } } } } fragment F on Supplier { certifications { id } }`, { id: own }],
      [`query($id: ID!) { a: supplier(id: $id) { ...F } s: solutions(first: 5) { edges { node { supplier { ...F certifications { certificateNumber } } } } } } fragment F on Supplier { certifications { id } }`, { id: own }],
      [`query($id: ID!) { a: supplier(id: $id) { ...W frameworkAwards { id } } b: suppliers(first: 25) { edges { node { ...W frameworkAwards { awardedOn status lot { number } } } } } } fragment W on Supplier { solutions { id } }`, { id: own }],
      ...(sid
        ? ([[`query($id: ID!, $sid: ID!) { a: supplier(id: $id) { solutions { ...S } } b: solution(id: $sid) { ...S capabilities { assessedOn } } } fragment S on Solution { capabilities { id } }`, { id: own, sid }]] as [string, Record<string, unknown>][])
        : []),
    ];
    for (const [text, variables] of cases) {
      for (const viewer of [as.public(), as.supplier(own), as.assurance()]) {
        const [chosen, every] = await both(text, variables, viewer);
        expect(every.errors).toBeUndefined();
        expect({ text, data: chosen.data, errors: chosen.errors }).toEqual({ text, data: every.data, errors: every.errors });
      }
    }
  });

  it('leaves out the columns nothing reads, and reads every column beside a field whose reads are unknown', async () => {
    const page = `{ suppliers(first: 5) { edges { node { id solutions { name capabilities { result capability { reference } } } } } } }`;
    statements.length = 0;
    const res = await api.query(page);
    expect(res.errors).toBeUndefined();
    const text = statements.find((s) => s.includes('FROM solution'))!;
    expect(text).toMatch(/"publication_status"/); // the public sees published solutions only
    // (the supplier's own columns are all read: pf… are the relations' aliases)
    expect(text).not.toMatch(/pf\d_\d\."(summary|data_processing_agreement_url)"/);
    expect(text).not.toMatch(/pf\d_\d\."(reviewed_by|rejection_reason)"/);

    // A supplier's attention list reads the same loaders: beside it, whole rows, and no second read.
    statements.length = 0;
    const withAttention = await api.query(`query($id: ID!) { supplier(id: $id) { attention { kind } solutions { name summary } } }`, { id: own }, as.supplier(own));
    expect(withAttention.errors).toBeUndefined();
    expect(statements.find((s) => s.includes('FROM solution'))).toMatch(/pf\d_\d\."summary"/);
  });
});
