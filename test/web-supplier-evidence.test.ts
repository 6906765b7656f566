import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from '../src/common/csv.js';
import { attentionOf, expiryText, nextDsptDeadline, type Supplier } from '../src/web/supplier/evidence-dashboard.js';
import { expiryOf, expiryTimeline } from '../src/web/supplier/expiry-timeline.js';
import { lineOfField, parseKpiCsv } from '../src/web/supplier/kpi-csv.js';

/** The supplier pages' own reading of the API's answers: attention, the expiry timeline, a CSV file's lines. */

const TODAY = '2026-11-27';

function supplier(overrides: Partial<Supplier> = {}): Supplier {
  return {
    id: 'S', version: 1, name: 'Test', legalName: 'Test Ltd', companiesHouseNumber: '01234567', website: null, summary: null, odsCode: 'TST01',
    certifications: [], dsptHistory: [], kpiReports: [], solutions: [], pendingProfileChange: null, profileChanges: [],
    ...overrides,
  } as Supplier;
}
const cert = (o: Partial<Supplier['certifications'][number]>) =>
  ({ id: 'c', version: 1, type: 'ISO_27001', certificateNumber: 'IS-1', certifyingBody: 'B', scope: null, scopeExclusions: null, validFrom: '2026-01-01', validUntil: '2027-12-31', daysUntilExpiry: 399, verificationStatus: 'VERIFIED', rejectionReason: null, submittedAt: '', reviewedAt: null, ...o }) as Supplier['certifications'][number];
const dspt = (o: Partial<Supplier['dsptHistory'][number]>) =>
  ({ id: 'd', version: 1, cycle: '2025-26', status: 'STANDARDS_MET', publishedOn: '2026-06-01', currentUntil: '2027-06-30', verificationStatus: 'VERIFIED', rejectionReason: null, submittedAt: '', reviewedAt: null, ...o }) as Supplier['dsptHistory'][number];
const kpi = (code: string, period: string, status = 'VERIFIED') =>
  ({ id: `${code}${period}`, version: 1, kpiCode: code, period, value: 99, verificationStatus: status, rejectionReason: null, submittedAt: '', reviewedAt: null, solution: null }) as Supplier['kpiReports'][number];

describe('what needs attention', () => {
  it('puts rejections first (with the reason), then expiries within 90 days, the DSPT due by 30 June, and last month’s KPIs', () => {
    const items = attentionOf(
      supplier({
        certifications: [
          cert({ id: 'soon', certificateNumber: 'CE-SOON', type: 'CYBER_ESSENTIALS', validUntil: '2027-01-10', daysUntilExpiry: 44 }),
          cert({ id: 'rej', certificateNumber: 'IS-REJ', verificationStatus: 'REJECTED', rejectionReason: 'Wrong scope' }),
          cert({ id: 'later', certificateNumber: 'IS-LATER', validUntil: '2027-06-01', daysUntilExpiry: 186 }),
          // Lapsing, but renewed by a later one of its type: nothing to do.
          cert({ id: 'old', type: 'ISO_9001', certificateNumber: 'QM-OLD', validUntil: '2026-12-01', daysUntilExpiry: 4 }),
          cert({ id: 'new', type: 'ISO_9001', certificateNumber: 'QM-NEW', validFrom: '2026-11-01', validUntil: '2029-11-30', daysUntilExpiry: 1099, verificationStatus: 'SUBMITTED' }),
          // Withdrawn: never asks for anything.
          cert({ id: 'gone', type: 'ISO_14001', certificateNumber: 'EM-GONE', validUntil: '2026-12-01', daysUntilExpiry: 4, verificationStatus: 'WITHDRAWN' }),
        ],
        dsptHistory: [dspt({})],
        kpiReports: [kpi('AVAILABILITY', '2026-09'), kpi('P1', '2026-09'), kpi('P1', '2026-10'), kpi('ANCIENT', '2025-01')],
      }),
      TODAY,
    );
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['REJECTED', 'Certificate ISO/IEC 27001 IS-REJ was rejected.'],
      ['EXPIRING', 'Certificate Cyber Essentials CE-SOON: expires in 44 days (last valid day 10 Jan 2027).'],
      ['DSPT', 'DSPT 2026-27 is due by 30 Jun 2027 (in 215 days) and is not yet published here.'],
      ['KPI', 'KPI AVAILABILITY is not reported for October 2026.'],
    ]);
    expect(items[0]).toMatchObject({ reason: 'Wrong scope', href: '/supplier/certificates/rej/edit' });
    expect(items[2]).toMatchObject({ href: '/supplier/dspt/publish?cycle=2026-27', urgent: false });
    expect(items[3]).toMatchObject({ href: '/supplier/kpis/report?kpiCode=AVAILABILITY&period=2026-10' });
  });

  it('knows which DSPT cycle is due by the next 30 June, on either side of it', () => {
    expect(nextDsptDeadline('2026-11-27')).toEqual({ deadline: '2027-06-30', cycle: '2026-27' });
    expect(nextDsptDeadline('2027-06-30')).toEqual({ deadline: '2027-06-30', cycle: '2026-27' });
    expect(nextDsptDeadline('2027-07-01')).toEqual({ deadline: '2028-06-30', cycle: '2027-28' });
    expect(nextDsptDeadline('2099-12-31')).toEqual({ deadline: '2100-06-30', cycle: '2099-00' });
  });

  it('says the DSPT is urgent within 90 days, and that a supplier with no ODS code cannot publish it', () => {
    const spring = attentionOf(supplier({ dsptHistory: [dspt({})] }), '2027-05-01').find((i) => i.kind === 'DSPT')!;
    expect(spring).toMatchObject({ urgent: true, text: 'DSPT 2026-27 is due by 30 Jun 2027 (in 60 days) and is not yet published here.' });
    const published = attentionOf(supplier({ dsptHistory: [dspt({ cycle: '2026-27', verificationStatus: 'SUBMITTED' })] }), '2027-05-01');
    expect(published.some((i) => i.kind === 'DSPT')).toBe(false);
    const noOds = attentionOf(supplier({ odsCode: null }), TODAY).find((i) => i.kind === 'DSPT')!;
    expect(noOds.text).toMatch(/no ODS code/);
    expect(noOds.href).toBe('/supplier/profile');
  });

  it('asks for last month’s figures when none were ever reported, and for nothing once they are', () => {
    expect(attentionOf(supplier(), TODAY).find((i) => i.kind === 'KPI')).toMatchObject({ text: 'No KPI figures are reported for October 2026.', href: '/supplier/kpis/upload?period=2026-10' });
    expect(attentionOf(supplier({ kpiReports: [kpi('X', '2026-10', 'SUBMITTED')] }), TODAY).some((i) => i.kind === 'KPI')).toBe(false);
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
