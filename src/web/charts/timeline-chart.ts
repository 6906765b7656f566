/**
 * Dated records as horizontal bars on a time axis, as server-rendered SVG (no JavaScript): the
 * drawing shared by the term coverage chart (matching) and the supplier's expiry timeline. What a bar
 * means, its colour and its words are decided by the caller; this only draws. The SVG carries a title
 * and a description; callers show the same rows as a table beside it, the text alternative.
 */

export interface TimelineBar {
  label: string;
  /** First and last day, YYYY-MM-DD (inclusive); drawn clipped to the axis. */
  from: string;
  to: string;
  fill: string;
  /** Extra SVG attributes for the bar's outline (a pattern that does not rely on colour alone). */
  outline?: string;
  /** The bar's tooltip (an SVG <title>). */
  title: string;
}

export interface TimelineChartInput {
  /** Prefix of the SVG's title and description ids (unique in the page). */
  id: string;
  className: string;
  title: string;
  /** One sentence: the SVG's description. */
  summary: string;
  /** The days the axis runs over, YYYY-MM-DD. */
  axis: { from: string; to: string };
  /** A window drawn behind the bars (a contract term), with a caption at each end. */
  band?: { from: string; to: string; startText: string; endText: string };
  /** Vertical lines with a caption at the top (today, 30 June). */
  markers?: { date: string; text: string }[];
  /** Gridlines with their labels under the axis (every quarter, say; an empty text draws the line only). */
  ticks?: { date: string; text: string }[];
  bars: TimelineBar[];
  /** Room for the labels left of the bars (240 px of 720), and the characters a label is cut to. */
  labelWidth?: number;
  labelChars?: number;
}

const time = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** "2 Mar 2026": the short date the charts' words use. */
// One formatter for the process: toLocaleDateString would build one per call.
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const shortDate = (date: string) => SHORT_DATE.format(new Date(time(date)));

const WIDTH = 720;
const ROW_HEIGHT = 28;
const TOP = 36;
const INK = '#212b32';

export function timelineChart(input: TimelineChartInput): string {
  const labelWidth = input.labelWidth ?? 240;
  const labelChars = input.labelChars ?? 34;
  const min = time(input.axis.from);
  const max = Math.max(time(input.axis.to), min + 1);
  const plot = WIDTH - labelWidth - 10;
  const x = (date: string) => labelWidth + ((Math.min(Math.max(time(date), min), max) - min) / (max - min)) * plot;
  const rows = input.bars.length;
  const tickSpace = input.ticks?.length ? 18 : 0;
  // Two or more markers caption on alternate lines, so that captions close together do not overprint.
  const top = TOP + ((input.markers?.length ?? 0) > 1 ? 14 : 0);
  const height = top + rows * ROW_HEIGHT + 24 + tickSpace;
  const bottom = top + rows * ROW_HEIGHT;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="${escapeXml(input.className)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${input.id}-title ${input.id}-desc">`);
  parts.push(`<title id="${input.id}-title">${escapeXml(input.title)}</title><desc id="${input.id}-desc">${escapeXml(input.summary)}</desc>`);
  if (input.band) {
    const x1 = x(input.band.from);
    const x2 = x(input.band.to);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${top - 8}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${rows * ROW_HEIGHT + 8}" fill="#e8edee" stroke="#005eb8" stroke-width="2"/>`);
    parts.push(`<text x="${x1.toFixed(1)}" y="${top - 14}" font-size="13" fill="${INK}">${escapeXml(input.band.startText)}</text>`);
    parts.push(`<text x="${x2.toFixed(1)}" y="${height - 6 - tickSpace}" font-size="13" fill="${INK}" text-anchor="end">${escapeXml(input.band.endText)}</text>`);
  }
  for (const tick of input.ticks ?? []) {
    const tx = x(tick.date);
    parts.push(`<line x1="${tx.toFixed(1)}" y1="${top - 4}" x2="${tx.toFixed(1)}" y2="${bottom + 4}" stroke="#d8dde0" stroke-width="1"/>`);
    if (tick.text) parts.push(`<text x="${tx.toFixed(1)}" y="${bottom + 20}" font-size="12" fill="${INK}" text-anchor="middle">${escapeXml(tick.text)}</text>`);
  }
  input.markers?.forEach((marker, i) => {
    const mx = x(marker.date);
    const anchor = mx > WIDTH - 160 ? 'end' : 'start';
    const y = top - 14 - (i % 2) * 14;
    parts.push(`<line x1="${mx.toFixed(1)}" y1="${y + 4}" x2="${mx.toFixed(1)}" y2="${bottom + 4}" stroke="#005eb8" stroke-width="2" stroke-dasharray="6 3"/>`);
    parts.push(`<text x="${(mx + (anchor === 'start' ? 4 : -4)).toFixed(1)}" y="${y}" font-size="13" fill="${INK}" text-anchor="${anchor}">${escapeXml(marker.text)}</text>`);
  });
  input.bars.forEach((bar, i) => {
    const y = top + i * ROW_HEIGHT;
    const x1 = x(bar.from);
    const x2 = x(bar.to) + 1;
    parts.push(`<text x="0" y="${y + 17}" font-size="13" fill="${INK}">${escapeXml(bar.label.length > labelChars ? `${bar.label.slice(0, labelChars - 1)}…` : bar.label)}</text>`);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${y + 4}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${bar.fill}"${bar.outline ?? ''}><title>${escapeXml(bar.title)}</title></rect>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
