import { describe, expect, it } from 'vitest';
import { coverageChart, coverageOf } from '../src/web/matching/coverage-chart.js';

describe('the term coverage chart', () => {
  const term = { start: '2027-04-01', end: '2030-03-31' };

  it('classifies each record against the term with one rule', () => {
    expect(coverageOf({ from: '2026-01-01', to: '2031-01-01' }, term.start, term.end)).toBe('COVERS_TERM');
    expect(coverageOf({ from: '2026-01-01', to: '2030-03-31' }, term.start, term.end)).toBe('COVERS_TERM'); // inclusive
    expect(coverageOf({ from: '2026-01-01', to: '2028-03-01' }, term.start, term.end)).toBe('LAPSES_DURING_TERM');
    expect(coverageOf({ from: '2027-04-02', to: '2031-01-01' }, term.start, term.end)).toBe('NOT_VALID_AT_START');
    expect(coverageOf({ from: '2020-01-01', to: '2027-03-31' }, term.start, term.end)).toBe('NOT_VALID_AT_START');
  });

  it('draws a bar per record and says in words what lapses', () => {
    const chart = coverageChart({
      ...term,
      bars: [
        { kind: 'CERTIFICATION', label: 'ISO/IEC 27001 IS-1', from: '2026-03-02', to: '2028-03-01' },
        { kind: 'DSPT', label: 'DSPT 2025-26 <Standards met>', from: '2026-06-20', to: '2027-06-30' },
        { kind: 'FRAMEWORK_AWARD', label: 'HSSF lot 2', from: '2025-01-01', to: '2031-01-01' },
      ],
    });
    expect(chart.rows.map((r) => r.coverage)).toEqual(['LAPSES_DURING_TERM', 'LAPSES_DURING_TERM', 'COVERS_TERM']);
    expect(chart.rows[0].sentence).toBe('2 Mar 2026 to 1 Mar 2028: lapses on 1 Mar 2028, before the contract ends on 31 Mar 2030.');
    expect(chart.summary).toMatch(/^2 of 3 records do not cover the whole contract term/);
    expect(chart.svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="coverage-title coverage-desc">/);
    expect(chart.svg.match(/<rect /g)!.length).toBe(4); // the term and three bars
    expect(chart.svg).toContain('&lt;Standards met&gt;'); // labels are escaped
    expect(chart.svg).not.toContain('<Standards met>');
  });

  it('says so when there is nothing to draw', () => {
    expect(coverageChart({ ...term, bars: [] }).summary).toMatch(/^No certificates/);
  });
});
