/**
 * The term coverage chart: each certificate, DSPT currency window and framework award of a matched
 * solution drawn as a bar against the contract term, so a lapse mid-term is seen at a glance.
 * Server-rendered SVG (no JavaScript, drawn by charts/timeline-chart.ts), with a title, a description
 * and a table as its text alternative.
 */
import { addDays } from '../../common/dates.js';
import { shortDate, timelineChart } from '../charts/timeline-chart.js';

export type CoverageKind = 'CERTIFICATION' | 'DSPT' | 'FRAMEWORK_AWARD';

export interface CoverageBar {
  kind: CoverageKind;
  label: string;
  /** First and last day covered, YYYY-MM-DD (inclusive). */
  from: string;
  to: string;
}

export interface CoverageInput {
  /** Contract term, YYYY-MM-DD, inclusive. */
  start: string;
  end: string;
  bars: CoverageBar[];
}

/** How a bar stands against the term: the words of the text alternative and the colour of the bar. */
export type Coverage = 'COVERS_TERM' | 'LAPSES_DURING_TERM' | 'NOT_VALID_AT_START';

export interface CoverageRow extends CoverageBar {
  coverage: Coverage;
  /** The sentence the table shows for this bar. */
  sentence: string;
}

export interface CoverageChart {
  svg: string;
  rows: CoverageRow[];
  /** One sentence for screen readers and the SVG's description. */
  summary: string;
}

const display = shortDate;

/** Where a bar stands against the term: the one rule the chart, its colours and its words share. */
export function coverageOf(bar: Pick<CoverageBar, 'from' | 'to'>, start: string, end: string): Coverage {
  if (bar.from > start || bar.to < start) return 'NOT_VALID_AT_START';
  return bar.to >= end ? 'COVERS_TERM' : 'LAPSES_DURING_TERM';
}

function sentenceOf(bar: CoverageBar, coverage: Coverage, end: string): string {
  const span = `${display(bar.from)} to ${display(bar.to)}`;
  if (coverage === 'COVERS_TERM') return `${span}: covers the whole term.`;
  if (coverage === 'LAPSES_DURING_TERM') return `${span}: lapses on ${display(bar.to)}, before the contract ends on ${display(end)}.`;
  return `${span}: not valid when the contract starts.`;
}

// NHS.UK colours: green, warm yellow (with a dark outline for contrast), red; the term in blue.
const FILL: Record<Coverage, string> = { COVERS_TERM: '#007f3b', LAPSES_DURING_TERM: '#ffb81c', NOT_VALID_AT_START: '#d5281b' };
const PATTERN: Record<Coverage, string> = { COVERS_TERM: '', LAPSES_DURING_TERM: ' stroke="#212b32" stroke-width="1"', NOT_VALID_AT_START: ' stroke="#212b32" stroke-width="1" stroke-dasharray="4 2"' };

export function coverageChart(input: CoverageInput, id = 'coverage'): CoverageChart {
  const rows: CoverageRow[] = input.bars.map((bar) => {
    const coverage = coverageOf(bar, input.start, input.end);
    return { ...bar, coverage, sentence: sentenceOf(bar, coverage, input.end) };
  });
  // The axis runs from the earliest day shown to the latest, with a little room either side of the term.
  const days = [input.start, input.end, ...rows.flatMap((r) => [r.from, r.to])].sort();
  const lapsing = rows.filter((r) => r.coverage !== 'COVERS_TERM');
  const summary =
    rows.length === 0
      ? 'No certificates, DSPT publications or framework awards to show against the contract term.'
      : lapsing.length === 0
        ? `All ${rows.length} records cover the whole contract term, ${display(input.start)} to ${display(input.end)}.`
        : `${lapsing.length} of ${rows.length} records do not cover the whole contract term, ${display(input.start)} to ${display(input.end)}: ${lapsing.map((r) => r.label).join('; ')}.`;
  const svg = timelineChart({
    id,
    className: 'app-coverage-chart',
    title: 'Contract term coverage',
    summary,
    axis: { from: addDays(days[0], -30), to: addDays(days[days.length - 1], 30) },
    band: { from: input.start, to: input.end, startText: `Term starts ${display(input.start)}`, endText: `Term ends ${display(input.end)}` },
    bars: rows.map((row) => ({ label: row.label, from: row.from, to: row.to, fill: FILL[row.coverage], outline: PATTERN[row.coverage], title: `${row.label}: ${row.sentence}` })),
  });
  return { svg, rows, summary };
}
