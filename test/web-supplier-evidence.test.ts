import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from '../src/common/csv.js';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { nextDsptDeadline } from '../src/modules/dspt/dspt.entity.js';
import { EvidenceKind } from '../src/modules/evidence/evidence.inputs.js';
import { AttentionKind, attentionOf, type AttentionRecords } from '../src/modules/supplier/supplier-attention.js';
import { expiryText } from '../src/web/supplier/evidence-dashboard.js';
import { expiryOf, expiryTimeline } from '../src/web/supplier/expiry-timeline.js';
import { lineOfField, parseKpiCsv } from '../src/web/supplier/kpi-csv.js';

/** The supplier pages' own reading of the API's answers: attention, the expiry timeline, a CSV file's lines. */

const TODAY = '2026-11-27';

type Records = AttentionRecords;
const records = (o: Partial<Records> = {}): Records => ({ certifications: [], dspt: [], kpiReports: [], claims: [], profileChanges: [], ...o });
const cert = (o: Partial<Records['certifications'][number]>): Records['certifications'][number] =>
  ({ id: 'c', type: CertificationType.ISO_27001, certificateNumber: 'IS-1', validUntil: '2027-12-31', verificationStatus: VerificationStatus.VERIFIED, rejectionReason: null, ...o });
const dspt = (o: Partial<Records['dspt'][number]>): Records['dspt'][number] => ({ id: 'd', cycle: '2025-26', verificationStatus: VerificationStatus.VERIFIED, ...o });
const kpi = (code: string, period: string, status = VerificationStatus.VERIFIED): Records['kpiReports'][number] => ({ id: `${code}${period}`, kpiCode: code, period, verificationStatus: status });

/** The API's attention rules (Supplier.attention); the pages only word them (test/web-supplier.test.ts). */
describe('what needs attention', () => {
  it('puts rejections first (with the reason), then expiries within 90 days, the DSPT due by 30 June, and last month’s KPIs', () => {
    const items = attentionOf(
      records({
        certifications: [
          cert({ id: 'soon', certificateNumber: 'CE-SOON', type: CertificationType.CYBER_ESSENTIALS, validUntil: '2027-01-10' }),
          cert({ id: 'rej', certificateNumber: 'IS-REJ', verificationStatus: VerificationStatus.REJECTED, rejectionReason: 'Wrong scope' }),
          cert({ id: 'later', certificateNumber: 'IS-LATER', validUntil: '2027-06-01' }),
          // Lapsing, but renewed by a later one of its type: nothing to do.
          cert({ id: 'old', type: CertificationType.ISO_9001, certificateNumber: 'QM-OLD', validUntil: '2026-12-01' }),
          cert({ id: 'new', type: CertificationType.ISO_9001, certificateNumber: 'QM-NEW', validUntil: '2029-11-30', verificationStatus: VerificationStatus.SUBMITTED }),
          // Withdrawn: never asks for anything.
          cert({ id: 'gone', type: CertificationType.ISO_14001, certificateNumber: 'EM-GONE', validUntil: '2026-12-01', verificationStatus: VerificationStatus.WITHDRAWN }),
        ],
        dspt: [dspt({})],
        kpiReports: [kpi('AVAILABILITY', '2026-09'), kpi('P1', '2026-09'), kpi('P1', '2026-10'), kpi('ANCIENT', '2025-01')],
      }),
      TODAY,
    );
    expect(items.map((i) => [i.kind, i.evidenceId ?? i.dsptCycle ?? i.kpiCode])).toEqual([
      [AttentionKind.REJECTED, 'rej'],
      [AttentionKind.EXPIRING, 'soon'],
      [AttentionKind.DSPT_DUE, '2026-27'],
      [AttentionKind.KPI_DUE, 'AVAILABILITY'],
    ]);
    expect(items[0]).toMatchObject({ reason: 'Wrong scope', evidenceKind: EvidenceKind.CERTIFICATION });
    expect(items[1]).toMatchObject({ dueOn: '2027-01-10', daysUntilDue: 44 });
    expect(items[2]).toMatchObject({ dueOn: '2027-06-30', daysUntilDue: 215 });
    // Last month's figures are due by the 10th of this month.
    expect(items[3]).toMatchObject({ period: '2026-10', dueOn: '2026-11-10', daysUntilDue: -17 });
  });

  it('knows which DSPT cycle is due by the next 30 June, on either side of it', () => {
    expect(nextDsptDeadline('2026-11-27')).toEqual({ deadline: '2027-06-30', cycle: '2026-27' });
    expect(nextDsptDeadline('2027-06-30')).toEqual({ deadline: '2027-06-30', cycle: '2026-27' });
    expect(nextDsptDeadline('2027-07-01')).toEqual({ deadline: '2028-06-30', cycle: '2027-28' });
    expect(nextDsptDeadline('2099-12-31')).toEqual({ deadline: '2100-06-30', cycle: '2099-00' });
  });

  it('asks for the DSPT until a publication for its cycle is submitted', () => {
    const spring = attentionOf(records({ dspt: [dspt({})] }), '2027-05-01').find((i) => i.kind === AttentionKind.DSPT_DUE)!;
    expect(spring).toMatchObject({ dsptCycle: '2026-27', daysUntilDue: 60 });
    const published = attentionOf(records({ dspt: [dspt({ cycle: '2026-27', verificationStatus: VerificationStatus.SUBMITTED })] }), '2027-05-01');
    expect(published.some((i) => i.kind === AttentionKind.DSPT_DUE)).toBe(false);
  });

  it('asks for last month’s figures when none were ever reported, and for nothing once they are', () => {
    expect(attentionOf(records(), TODAY).find((i) => i.kind === AttentionKind.KPI_DUE)).toMatchObject({ subject: 'KPI figures for 2026-10', period: '2026-10' });
    expect(attentionOf(records({ kpiReports: [kpi('X', '2026-10', VerificationStatus.SUBMITTED)] }), TODAY).some((i) => i.kind === AttentionKind.KPI_DUE)).toBe(false);
  });

  it('words days to expiry', () => {
    expect([expiryText(14), expiryText(1), expiryText(0), expiryText(-1), expiryText(-3)]).toEqual(['Expires in 14 days', 'Expires in 1 day', 'Expires today', 'Expired 1 day ago', 'Expired 3 days ago']);
    expect([expiryText(215, 'Current until'), expiryText(-2, 'Current until')]).toEqual(['Current for 215 more days', 'No longer current (ended 2 days ago)']);
  });
});

describe('the expiry timeline', () => {
  it('classifies each record over the next 24 months with one rule', () => {
    expect(expiryOf({ to: '2027-02-25' }, TODAY, '2028-11-27')).toBe('EXPIRES_SOON'); // 90 days
    expect(expiryOf({ to: '2027-02-26' }, TODAY, '2028-11-27')).toBe('LAPSES_IN_WINDOW');
    expect(expiryOf({ to: '2028-11-27' }, TODAY, '2028-11-27')).toBe('OUTLASTS_WINDOW');
  });

  it('draws what is in force, soonest first, says it in words, and leaves out what has lapsed or was withdrawn or rejected', () => {
    const chart = expiryTimeline(
      [
        { kind: 'CERTIFICATION', label: 'ISO 9001 <QM-1>', from: '2025-01-01', to: '2029-01-01', verificationStatus: 'VERIFIED' },
        { kind: 'CERTIFICATION', label: 'Cyber Essentials CE-1', from: '2026-01-01', to: '2027-01-10', verificationStatus: 'VERIFIED' },
        { kind: 'DSPT', label: 'DSPT 2025-26', from: '2026-06-01', to: '2027-06-30', verificationStatus: 'SUBMITTED' },
        { kind: 'CERTIFICATION', label: 'Lapsed', from: '2024-01-01', to: '2026-11-26', verificationStatus: 'VERIFIED' },
        { kind: 'CERTIFICATION', label: 'Withdrawn', from: '2026-01-01', to: '2028-01-01', verificationStatus: 'WITHDRAWN' },
        { kind: 'CERTIFICATION', label: 'Rejected', from: '2026-01-01', to: '2028-01-01', verificationStatus: 'REJECTED' },
      ],
      TODAY,
    );
    expect(chart.rows.map((r) => [r.label, r.expiry])).toEqual([
      ['Cyber Essentials CE-1', 'EXPIRES_SOON'],
      ['DSPT 2025-26', 'LAPSES_IN_WINDOW'],
      ['ISO 9001 <QM-1>', 'OUTLASTS_WINDOW'],
    ]);
    expect(chart.rows.map((r) => r.sentence)).toEqual([
      'Valid until 10 Jan 2027: expires in 44 days.',
      'Current until 30 Jun 2027: stops being current in 215 days. Awaiting verification.',
      'Valid until 1 Jan 2029, beyond the next 24 months.',
    ]);
    expect(chart.summary).toBe(
      '3 records in force over the next 24 months (27 Nov 2026 to 27 Nov 2028). Within 90 days: Cyber Essentials CE-1 (10 Jan 2027). Later in the period: DSPT 2025-26 (30 Jun 2027). DSPT currency runs to 30 Jun 2027.',
    );
    expect(chart.svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="expiry-title expiry-desc">/);
    expect(chart.svg.match(/<rect /g)).toHaveLength(3);
    expect(chart.svg).toContain('stroke-dasharray="5 3"'); // awaiting verification, not by colour alone
    expect(chart.svg).toContain('&lt;QM-1&gt;');
    expect(chart.svg).not.toContain('<QM-1>');
    // Today, and the two 30 June deadlines in the window; gridlines every quarter, labelled in January and July.
    expect([...chart.svg.matchAll(/<text[^>]*>(Today|DSPT due [^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['Today', 'DSPT due 30 Jun 2027', 'DSPT due 30 Jun 2028']);
    expect([...chart.svg.matchAll(/<text[^>]*text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['Jan 2027', 'Jul 2027', 'Jan 2028', 'Jul 2028']);
  });

  it('says so when nothing is in force', () => {
    expect(expiryTimeline([], TODAY).summary).toBe('No certificates or DSPT publications in force over the next 24 months (27 Nov 2026 to 27 Nov 2028).');
  });
});

describe('reading a CSV file', () => {
  it('keeps the line each record starts on, through quoted newlines, CRLF, blank lines and a byte-order mark', () => {
    expect(parseCsvRecords('\uFEFFa,b\r\n"x\ny",2\n\n"say ""hi""",3\n4,5')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', '2'] },
      { line: 5, cells: ['say "hi"', '3'] },
      { line: 6, cells: ['4', '5'] },
    ]);
    expect(parseCsv('h1,h2\nv1,\n')).toEqual([{ h1: 'v1', h2: '' }]);
  });

  it('turns a month’s KPI file into the API’s inputs, remembering each one’s line', () => {
    const csv = parseKpiCsv('KPI Code,Value,solution_id,version\nAVAILABILITY,99.5,,\n\nP1, 96 ,0f8fad5b-d9cb-469f-a165-70867728950e,2\n', '2026-10');
    expect(csv.problems).toEqual([]);
    expect(csv.inputs).toEqual([
      { kpiCode: 'AVAILABILITY', period: '2026-10', value: 99.5 },
      { kpiCode: 'P1', period: '2026-10', value: 96, solutionId: '0f8fad5b-d9cb-469f-a165-70867728950e', version: 2 },
    ]);
    expect(csv.lines).toEqual([2, 4]);
    expect(lineOfField('reports.1.solutionId', csv.lines)).toEqual({ line: 4, column: 'solutionId' });
    expect(lineOfField('reports', csv.lines)).toBeUndefined();
  });

  it('names every line it cannot read, and leaves every rule about the figures to the API', () => {
    const csv = parseKpiCsv('kpiCode,value,version\nA,1e2,\nB,ninety,\nC,,\nD,5,two\nE,1,2,3\nlower case,5,\n', '2026-10');
    expect(csv.problems).toEqual([
      { line: 3, message: 'The value “ninety” is not a number (for example 99.5)' },
      { line: 4, message: 'Enter the figure in the value column' },
      { line: 5, message: 'The version “two” is not a whole number' },
      { line: 6, message: 'The line has 4 values but the header names 3 columns' },
    ]);
    // A malformed code is the API's to refuse (submitKpiReports names the row).
    expect(csv.inputs.map((i) => i.kpiCode)).toEqual(['A', 'lower case']);
    expect(csv.lines).toEqual([2, 7]);
    expect(parseKpiCsv('', '2026-10').problems[0].message).toMatch(/The file is empty/);
    expect(parseKpiCsv('code,amount\nA,1\n', '2026-10').problems).toEqual([
      { line: 1, message: 'Column “amount” is not one of kpiCode, value, solutionId, version' },
      { line: 1, message: 'The header has no value column' },
    ]);
    expect(parseKpiCsv('kpiCode,value\n', '2026-10').problems).toEqual([{ line: 2, message: 'The file has no figures: add a line for each KPI under the header' }]);
  });
});
