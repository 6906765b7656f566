/**
 * The term coverage chart: each certificate, DSPT currency window and framework award of a matched
 * solution drawn as a bar against the contract term, so a lapse mid-term is seen at a glance.
 * Server-rendered SVG (no JavaScript), with a title, a description and a table as its text alternative.
 */

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

const DAY = 86_400_000;
const time = (date: string) => Date.parse(`${date}T00:00:00Z`);
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const display = (date: string) => shortDate.format(new Date(time(date)));

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
  const width = 720;
  const labelWidth = 240;
  const rowHeight = 28;
  const top = 36;
  const rows: CoverageRow[] = input.bars.map((bar) => {
    const coverage = coverageOf(bar, input.start, input.end);
    return { ...bar, coverage, sentence: sentenceOf(bar, coverage, input.end) };
  });
  // The axis runs from the earliest day shown to the latest, with a little room either side of the term.
  const days = [input.start, input.end, ...rows.flatMap((r) => [r.from, r.to])].map(time);
  const min = Math.min(...days) - 30 * DAY;
  const max = Math.max(...days) + 30 * DAY;
  const x = (date: string) => labelWidth + ((time(date) - min) / (max - min)) * (width - labelWidth - 10);
  const height = top + rows.length * rowHeight + 24;
  const lapsing = rows.filter((r) => r.coverage !== 'COVERS_TERM');
  const summary =
    rows.length === 0
      ? 'No certificates, DSPT publications or framework awards to show against the contract term.'
      : lapsing.length === 0
        ? `All ${rows.length} records cover the whole contract term, ${display(input.start)} to ${display(input.end)}.`
        : `${lapsing.length} of ${rows.length} records do not cover the whole contract term, ${display(input.start)} to ${display(input.end)}: ${lapsing.map((r) => r.label).join('; ')}.`;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="app-coverage-chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">`);
  parts.push(`<title id="${id}-title">Contract term coverage</title><desc id="${id}-desc">${escape(summary)}</desc>`);
  const termX1 = x(input.start);
  const termX2 = x(input.end);
  parts.push(`<rect x="${termX1.toFixed(1)}" y="${top - 8}" width="${Math.max(1, termX2 - termX1).toFixed(1)}" height="${rows.length * rowHeight + 8}" fill="#e8edee" stroke="#005eb8" stroke-width="2"/>`);
  parts.push(`<text x="${termX1.toFixed(1)}" y="${top - 14}" font-size="13" fill="#212b32">Term starts ${escape(display(input.start))}</text>`);
  parts.push(`<text x="${termX2.toFixed(1)}" y="${height - 6}" font-size="13" fill="#212b32" text-anchor="end">Term ends ${escape(display(input.end))}</text>`);
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const x1 = x(row.from);
    const x2 = x(row.to) + 1;
    parts.push(`<text x="0" y="${y + 17}" font-size="13" fill="#212b32">${escape(row.label.length > 34 ? `${row.label.slice(0, 33)}…` : row.label)}</text>`);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${y + 4}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${rowHeight - 10}" fill="${FILL[row.coverage]}"${PATTERN[row.coverage]}><title>${escape(`${row.label}: ${row.sentence}`)}</title></rect>`);
  });
  parts.push('</svg>');
  return { svg: parts.join(''), rows, summary };
}
