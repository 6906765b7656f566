import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, today } from '../src/common/dates.js';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { queryRows } from '../src/common/sql.js';
import { createContext } from '../src/graphql/context.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { CRITERIA, CriterionType, fieldsOf, ruleFor } from '../src/modules/matching/criteria/index.js';
import { eligibleQuery, matchQuery, type MatchParameters } from '../src/modules/matching/matching.store.js';
import { MatchingService } from '../src/modules/matching/matching.service.js';
import { AssessmentResult, ComplianceStatus, EpicOutcome, HostingType, Integration } from '../src/modules/solution/solution.entity.js';
import { RequirementPriority, ServiceSpecification } from '../src/modules/specification/specification.entity.js';
import { AwardStatus } from '../src/modules/supplier/framework-award.entity.js';
import { as, createTestApi, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * Each criterion type's rule states when a candidate MEETS it three times: in set form over the
 * evidence projection (match_solution's arrays and match_kpi, kept by plpgsql triggers, read when
 * judging today), in set form over the evidence tables (any other day), and as the status of the one
 * evidence row a candidate's outcome rests on. On a randomised catalogue, for every criterion type
 * and several settings of each, the three must pick the same candidates. The projection is SQL in a
 * migration, not generated from the rules: this test is what keeps the two in agreement.
 */
let api: TestApi;
const TODAY = today();
const START = addMonths(`${TODAY.slice(0, 7)}-01`, 3);
const END = addDays(addMonths(START, 24), -1);
const MONTH = TODAY.slice(0, 7);

/** A small seeded generator (mulberry32), so a failure can be replayed with its seed. */
const SEED = Number(process.env.CRITERIA_SEED ?? Math.floor(Math.random() * 2 ** 31));
let state = SEED;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
const some = <T>(values: readonly T[]): T[] => values.filter(() => random() < 0.4);
/** A day around `day`: up to `before` days earlier or `after` days later. */
const around = (day: string, before: number, after: number) => addDays(day, Math.floor(random() * (before + after + 1)) - before);

function randomSupplier(n: number): SupplierSpec {
  const cert = () => {
    const from = around(START, 700, 60);
    const until = around(END, 900, 300);
    return { from, until: until > from ? until : addDays(from, 90), status: pick([VerificationStatus.VERIFIED, VerificationStatus.VERIFIED, VerificationStatus.SUBMITTED]) };
  };
  const year = Number(TODAY.slice(0, 4));
  const cycles = [`${year - 2}-${String(year - 1).slice(2)}`, `${year - 1}-${String(year).slice(2)}`, `${year}-${String(year + 1).slice(2)}`];
  const assessment = () => pick<AssessmentResult | [AssessmentResult, VerificationStatus]>([
    AssessmentResult.PASSED_FULL, AssessmentResult.PASSED_PARTIAL, AssessmentResult.FAILED, [AssessmentResult.PASSED_FULL, VerificationStatus.SUBMITTED],
  ]);
  const compliance = () => pick<ComplianceStatus | [ComplianceStatus, string]>([
    ComplianceStatus.MET, ComplianceStatus.REMEDIATION_PLAN, [ComplianceStatus.REMEDIATION_PLAN, around(TODAY, 60, 200)], [ComplianceStatus.REMEDIATION_PLAN, around(START, 30, 30)],
  ]);
  // Some suppliers have no ODS code, so no DSPT publication can be theirs.
  const odsCode = random() < 0.1 ? null : undefined;
  return {
    name: `Random ${String(n).padStart(3, '0')}`,
    odsCode,
    certs: [
      ...(random() < 0.7 ? [{ type: CertificationType.ISO_27001, ...cert() }] : []),
      ...(random() < 0.3 ? [{ type: CertificationType.ISO_27001, ...cert() }] : []),
      ...(random() < 0.5 ? [{ type: CertificationType.CYBER_ESSENTIALS_PLUS, ...cert() }] : []),
    ],
    dspt: (odsCode === null ? [] : some(cycles)).map((cycle) => ({
      cycle,
      status: pick(Object.values(DsptStatus)),
      publishedOn: around(`${cycle.slice(0, 4)}-06-15`, 120, 60),
      verification: pick([VerificationStatus.VERIFIED, VerificationStatus.VERIFIED, VerificationStatus.SUBMITTED]),
    })).filter((d) => d.publishedOn <= TODAY || random() < 0.5),
    awards: [
      // Every supplier a candidate on DCS today; its award ends before, during or after the term.
      { framework: 'DCS', lot: 1, from: around(TODAY, 900, 0), until: pick([around(START, 30, 200), around(END, 200, 400)]) },
      ...(random() < 0.5 ? [{ framework: 'HSSF', lot: 1, from: around(TODAY, 900, 30), until: around(END, 400, 400), status: pick([AwardStatus.ACTIVE, AwardStatus.ACTIVE, AwardStatus.SUSPENDED]) }] : []),
      ...(random() < 0.3 ? [{ framework: 'HSSF', lot: 2, from: around(TODAY, 900, 0), until: around(END, 400, 400) }] : []),
    ],
    solutions: Array.from({ length: random() < 0.3 ? 2 : 1 }, (_, s) => ({
      name: `Random ${n} solution ${s}`,
      lots: [['DCS', 1] as [string, number]],
      capabilities: Object.fromEntries(some(['C5', 'C14', 'C11']).map((c) => [c, assessment()])),
      epics: Object.fromEntries(some(['C5E1', 'C5E2']).map((e) => [e, pick(Object.values(EpicOutcome))])),
      standards: Object.fromEntries(some(['S29', 'S44']).map((st) => [st, compliance()])),
      integrations: some([Integration.IM1_BULK, Integration.GP_CONNECT_ACCESS_RECORD_HTML, Integration.NHS_APP]),
      hosting: some([HostingType.PUBLIC_CLOUD, HostingType.PUBLIC_CLOUD_HSCN, HostingType.ON_PREMISE]),
    })),
  };
}

/** Settings of every criterion type, as a buyer would write them. */
const VARIANTS: Record<CriterionType, Record<string, unknown>[]> = {
  CAPABILITY: [{ capability: 'C5' }, { capability: 'C14', minimumAssessment: 'PASSED_FULL' }, { capability: 'C11', minimumAssessment: 'FAILED' }],
  EPIC: [{ epic: 'C5E1' }, { epic: 'C5E2' }],
  STANDARD: [{ standard: 'S29' }, { standard: 'S29', allowRemediationPlan: true }, { standard: 'S44', allowRemediationPlan: true }],
  CERTIFICATION: [{ certification: 'ISO_27001' }, { certification: 'CYBER_ESSENTIALS_PLUS' }],
  DSPT: [{ minimumDsptStatus: 'STANDARDS_MET' }, { minimumDsptStatus: 'APPROACHING_STANDARDS' }, { minimumDsptStatus: 'NOT_PUBLISHED' }],
  FRAMEWORK: [{ frameworks: ['DCS'] }, { frameworks: ['HSSF'] }, { lots: [{ framework: 'HSSF', number: 2 }] }],
  INTEGRATION: [{ integrations: ['IM1_BULK'] }, { integrations: ['IM1_BULK', 'NHS_APP'] }],
  HOSTING: [{ hostingTypes: ['PUBLIC_CLOUD_HSCN'] }, { hostingTypes: ['PUBLIC_CLOUD', 'ON_PREMISE'] }],
  KPI: [{ kpiCode: 'AVAILABILITY', periods: 3 }, { kpiCode: 'AVAILABILITY', periods: 1 }, { kpiCode: 'P1_HOURS' }],
};

let spec: ServiceSpecification;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = Object.values(await insertSuppliers(api.orm, Array.from({ length: 60 }, (_, n) => randomSupplier(n))));
  // Evidence reviewed at random times in the past (or never, loaded verified), KPI reports with gaps,
  // unverified ones and a few dated after this month.
  // Drawn one row at a time, written one statement per table: a connection per row took minutes on a busy machine.
  for (const table of ['certification', 'dspt_assessment', 'capability_assessment', 'epic_assessment', 'standard_compliance']) {
    const { rows } = await api.db.sql(`SELECT id FROM ${table} ORDER BY id`);
    const reviewed: [string[], number[]] = [[], []];
    const statuses: [string[], string[]] = [[], []];
    for (const { id } of rows) {
      if (random() < 0.5) {
        reviewed[0].push(id);
        reviewed[1].push(Math.floor(random() * 400));
      }
      if (random() < 0.1) {
        statuses[0].push(id);
        statuses[1].push(pick(['SUBMITTED', 'REJECTED']));
      }
    }
    await api.db.sql(`UPDATE ${table} t SET reviewed_at = now() - make_interval(days => x.d) FROM unnest($1::uuid[], $2::int[]) AS x(id, d) WHERE t.id = x.id`, reviewed);
    await api.db.sql(`UPDATE ${table} t SET verification_status = x.s FROM unnest($1::uuid[], $2::text[]) AS x(id, s) WHERE t.id = x.id`, statuses);
  }
  const kpis: [string[], string[], string[], number[], string[]] = [[], [], [], [], []];
  for (const supplier of suppliers) {
    for (const [code, centre] of [['AVAILABILITY', 99.5], ['P1_HOURS', 4]] as const) {
      if (random() < 0.2) continue;
      for (let back = -2; back < 6; back++) {
        if (random() < (back < 0 ? 0.8 : 0.15)) continue;
        const value = centre + (random() - 0.6) * (code === 'AVAILABILITY' ? 1 : 4);
        const row = [supplier.id, code, addMonths(`${MONTH}-01`, -back).slice(0, 7), Math.round(value * 100) / 100, random() < 0.85 ? 'VERIFIED' : 'SUBMITTED'] as const;
        row.forEach((v, i) => (kpis[i] as unknown[]).push(v));
      }
    }
  }
  await api.db.sql(
    `INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value, verification_status)
     SELECT gen_random_uuid(), x.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::text[]) AS x`,
    kpis,
  );
  const requirements = Object.entries(VARIANTS).flatMap(([type, variants]) =>
    variants.map((v, n) => ({ code: `${type.slice(0, 4)}-${n}`, title: `${type} ${n}`, priority: 'SHOULD', criterion: { type, ...v } })),
  );
  const created = await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, {
    input: {
      title: 'Every criterion, randomised catalogue', frameworkCodes: ['DCS'], contractStart: START, termMonths: 24, requirements,
      kpis: [
        { code: 'AVAILABILITY', name: 'Availability', unit: '%', direction: 'AT_LEAST', target: 99.5, measurementPeriod: 'MONTHLY' },
        { code: 'P1_HOURS', name: 'P1 resolution', unit: 'h', direction: 'AT_MOST', target: 4, measurementPeriod: 'MONTHLY' },
      ],
    },
  }, as.buyer('02T'));
  expect(created.errors).toBeUndefined();
  spec = (await api.orm.em.fork().findOne(ServiceSpecification, { id: created.data!.createSpecification.id }))!;
}, 120_000);
afterAll(() => api?.close());

describe(`criterion rules on a randomised catalogue (CRITERIA_SEED=${SEED})`, () => {
  it('every criterion type is in the registry and exercised here', () => {
    expect(Object.keys(CRITERIA).sort()).toEqual(Object.values(CriterionType).sort());
    expect(Object.keys(VARIANTS).sort()).toEqual(Object.values(CriterionType).sort());
  });

  it('the API\'s CriterionType and CriterionInput are made from the rules: one value per rule, described by it; every field a rule takes, and no other', async () => {
    const result = await api.query(`{ type: __type(name: "CriterionType") { enumValues { name description } }
      input: __type(name: "CriterionInput") { inputFields { name type { kind } } } }`);
    expect(result.errors).toBeUndefined();
    const values = result.data!.type.enumValues as { name: CriterionType; description: string }[];
    expect(values.map((v) => v.name).sort()).toEqual(Object.values(CriterionType).sort());
    for (const v of values) expect(v.description).toBe(ruleFor(v.name).description);
    const fields = result.data!.input.inputFields as { name: string; type: { kind: string } }[];
    const declared = new Set(Object.values(CriterionType).flatMap((t) => fieldsOf(ruleFor(t))));
    expect(fields.map((f) => f.name).sort()).toEqual(['type', ...declared].sort());
    // Only `type` is required: the rest belong to one type or another.
    expect(fields.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name)).toEqual(['type']);
  });

  it('for every criterion type, the projected MET set, the evidence tables\' MET set and the judged statuses agree', async () => {
    const ctx = createContext(api.orm, undefined, as.buyer('02T'));
    const all = await new MatchingService(ctx).parameters(spec, TODAY);
    expect(all.current).toBe(true);
    const everyone = await queryRows<{ solution_id: string }>(ctx.em, eligibleQuery({ ...all, requirements: [] }));
    const candidates = everyone.map((r) => r.solution_id);
    expect(candidates.length).toBeGreaterThan(40);
    const split: Record<string, boolean> = {};
    for (const requirement of all.requirements) {
      const p: MatchParameters = { ...all, requirements: [Object.assign(Object.create(Object.getPrototypeOf(requirement)), requirement, { priority: RequirementPriority.MUST })] };
      const ids = async (q: MatchParameters) => (await queryRows<{ solution_id: string }>(ctx.em, eligibleQuery(q))).map((r) => r.solution_id);
      const projected = await ids(p);
      const tables = await ids({ ...p, current: false });
      const judged = (await queryRows<{ solution_id: string; s0: string }>(ctx.em, matchQuery(p, { solutionIds: candidates })))
        .filter((r) => r.s0 === 'MET').map((r) => r.solution_id).sort();
      const what = `${requirement.code} ${JSON.stringify(requirement.criterion)}`;
      expect(tables, `${what}: evidence tables against the projection`).toEqual(projected);
      expect(judged, `${what}: judged statuses against the projection`).toEqual(projected);
      if (projected.length > 0 && projected.length < candidates.length) split[requirement.criterion.type] = true;
    }
    // Not vacuous: for every type, some setting tells candidates apart.
    expect(Object.keys(split).sort()).toEqual(Object.values(CriterionType).sort());
  }, 120_000);
});
