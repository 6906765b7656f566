import { escapeXml } from '../charts/timeline-chart.js';

/**
 * Each solution's total as a horizontal bar out of 100, split into price points and quality points,
 * as server-rendered SVG (no JavaScript). The SVG has a title and a description; the page shows the
 * same figures in a table beside it (the text alternative). The two parts differ in pattern as well as
 * colour (quality is hatched), and each bar ends with its total in words.
 */
export interface ScoreBar {
  label: string;
  /** Points as the API gives them: decimal strings with 2 places, or null when not known. */
  price: string | null;
  quality: string | null;
  total: string | null;
  note?: string;
}

const WIDTH = 720;
const LABEL = 230;
const ROW = 34;
const TOP = 40;
const PLOT = WIDTH - LABEL - 90;
const PRICE = '#005eb8';
const QUALITY = '#41b6e6';
const INK = '#212b32';

export function scoreChart(input: { id: string; title: string; summary: string; bars: ScoreBar[] }): string {
  const height = TOP + input.bars.length * ROW + 30;
  const x = (points: number) => (points / 100) * PLOT;
  const rows = input.bars
    .map((b, i) => {
      const y = TOP + i * ROW;
      const label = b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label;
      const price = b.price === null ? 0 : Number(b.price);
      const quality = b.quality === null ? 0 : Number(b.quality);
      const words = b.total !== null ? `${b.total}` : (b.note ?? 'not ranked');
      return [
        `<text x="${LABEL - 8}" y="${y + 18}" text-anchor="end" font-size="13" fill="${INK}">${escapeXml(label)}</text>`,
        price > 0 ? `<rect x="${LABEL}" y="${y + 4}" width="${x(price).toFixed(1)}" height="20" fill="${PRICE}"><title>${escapeXml(`${b.label}: price ${b.price}`)}</title></rect>` : '',
        quality > 0
          ? `<rect x="${(LABEL + x(price)).toFixed(1)}" y="${y + 4}" width="${x(quality).toFixed(1)}" height="20" fill="url(#${input.id}-hatch)" stroke="${PRICE}" stroke-width="1"><title>${escapeXml(`${b.label}: quality ${b.quality}`)}</title></rect>`
          : '',
        `<text x="${(LABEL + x(price + quality) + 6).toFixed(1)}" y="${y + 18}" font-size="13" fill="${INK}">${escapeXml(words)}</text>`,
      ].join('');
    })
    .join('');
  const ticks = [0, 25, 50, 75, 100]
    .map((t) => `<line x1="${LABEL + x(t)}" y1="${TOP - 4}" x2="${LABEL + x(t)}" y2="${height - 26}" stroke="#d8dde0"/><text x="${LABEL + x(t)}" y="${height - 10}" text-anchor="middle" font-size="12" fill="${INK}">${t}</text>`)
    .join('');
  const legend =
    `<rect x="${LABEL}" y="8" width="14" height="14" fill="${PRICE}"/><text x="${LABEL + 20}" y="20" font-size="13" fill="${INK}">Price points</text>` +
    `<rect x="${LABEL + 130}" y="8" width="14" height="14" fill="url(#${input.id}-hatch)" stroke="${PRICE}"/><text x="${LABEL + 150}" y="20" font-size="13" fill="${INK}">Quality points</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-score-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${input.id}-title ${input.id}-desc">` +
    `<title id="${input.id}-title">${escapeXml(input.title)}</title><desc id="${input.id}-desc">${escapeXml(input.summary)}</desc>` +
    `<defs><pattern id="${input.id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${QUALITY}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>` +
    legend +
    ticks +
    rows +
    `</svg>`
  );
}
