import { addDays, addMonths, daysBetween } from '../../common/dates.js';
import { shortDate, timelineChart } from '../charts/timeline-chart.js';
import type { VerificationStatus } from '../generated/graphql.js';
import { EXPIRY_WARNING_DAYS } from './evidence-dashboard.js';

/**
 * A supplier's expiry timeline: each certificate and DSPT publication in force (submitted or
 * verified) drawn from today over the next 24 months, so what lapses, and when, is seen at a glance.
 * Server-rendered SVG (charts/timeline-chart.ts), with a description and a table as its text alternative.
 */
export const TIMELINE_MONTHS = 24;

export interface ExpiryRecord {
  kind: 'CERTIFICATION' | 'DSPT';
  label: string;
  /** First and last day in force (a DSPT publication: published, and current until), YYYY-MM-DD. */
  from: string;
  to: string;
  verificationStatus: VerificationStatus;
}

/** How a record stands over the window: the one rule its colour and its words share. */
export type Expiry = 'EXPIRES_SOON' | 'LAPSES_IN_WINDOW' | 'OUTLASTS_WINDOW';

export interface ExpiryRow extends ExpiryRecord {
  expiry: Expiry;
  days: number;
  sentence: string;
}

export interface ExpiryTimeline {
  svg: string;
  rows: ExpiryRow[];
  summary: string;
  from: string;
  to: string;
}

export function expiryOf(record: Pick<ExpiryRecord, 'to'>, today: string, end: string): Expiry {
  if (daysBetween(today, record.to) <= EXPIRY_WARNING_DAYS) return 'EXPIRES_SOON';
  return record.to < end ? 'LAPSES_IN_WINDOW' : 'OUTLASTS_WINDOW';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function sentenceOf(r: ExpiryRecord, expiry: Expiry, days: number, today: string): string {
  const ends = r.kind === 'DSPT' ? 'Current until' : 'Valid until';
  const starts = r.from > today ? ` Not in force until ${shortDate(r.from)}.` : '';
  const waiting = r.verificationStatus === 'SUBMITTED' ? ' Awaiting verification.' : '';
  const when =
    expiry === 'OUTLASTS_WINDOW'
      ? `${ends} ${shortDate(r.to)}, beyond the next ${TIMELINE_MONTHS} months.`
      : days === 0
        ? `${ends} today.`
        : `${ends} ${shortDate(r.to)}: ${r.kind === 'DSPT' ? 'stops being current' : 'expires'} in ${plural(days, 'day')}.`;
  return `${when}${starts}${waiting}`;
}

// NHS.UK colours, with outlines so that colour is never the only difference: warm yellow (soon), blue (later), green (beyond).
const FILL: Record<Expiry, string> = { EXPIRES_SOON: '#ffb81c', LAPSES_IN_WINDOW: '#005eb8', OUTLASTS_WINDOW: '#007f3b' };
const OUTLINE: Record<Expiry, string> = { EXPIRES_SOON: ' stroke="#212b32" stroke-width="1"', LAPSES_IN_WINDOW: '', OUTLASTS_WINDOW: '' };
/** Awaiting verification: a dashed outline (and the words say so). */
const SUBMITTED_OUTLINE = ' stroke="#212b32" stroke-width="2" stroke-dasharray="5 3"';

export function expiryTimeline(records: ExpiryRecord[], today: string, id = 'expiry'): ExpiryTimeline {
  const end = addMonths(today, TIMELINE_MONTHS);
  const rows: ExpiryRow[] = records
    .filter((r) => (r.verificationStatus === 'SUBMITTED' || r.verificationStatus === 'VERIFIED') && r.to >= today && r.from <= end)
    .sort((a, b) => a.to.localeCompare(b.to) || a.label.localeCompare(b.label))
    .map((r) => {
      const expiry = expiryOf(r, today, end);
      const days = daysBetween(today, r.to);
      return { ...r, expiry, days, sentence: sentenceOf(r, expiry, days, today) };
    });
  const soon = rows.filter((r) => r.expiry === 'EXPIRES_SOON');
  const later = rows.filter((r) => r.expiry === 'LAPSES_IN_WINDOW');
  const dspt = rows.filter((r) => r.kind === 'DSPT');
  const window = `${shortDate(today)} to ${shortDate(end)}`;
  const summary =
    rows.length === 0
      ? `No certificates or DSPT publications in force over the next ${TIMELINE_MONTHS} months (${window}).`
      : [
          `${plural(rows.length, 'record')} in force over the next ${TIMELINE_MONTHS} months (${window}).`,
          soon.length ? `Within ${EXPIRY_WARNING_DAYS} days: ${soon.map((r) => `${r.label} (${shortDate(r.to)})`).join('; ')}.` : `Nothing lapses within ${EXPIRY_WARNING_DAYS} days.`,
          later.length ? `Later in the period: ${later.map((r) => `${r.label} (${shortDate(r.to)})`).join('; ')}.` : '',
          dspt.length ? `DSPT currency runs to ${shortDate(dspt[dspt.length - 1].to)}.` : 'No DSPT publication is current.',
        ]
          .filter(Boolean)
          .join(' ');

  // A gridline every quarter from the next one (labelled in January and July), and the DSPT deadlines (30 June) within the window.
  const ticks: { date: string; text: string }[] = [];
  const firstMonth = Number(today.slice(5, 7));
  const quarterStart = addMonths(`${today.slice(0, 7)}-01`, ((3 - ((firstMonth - 1) % 3)) % 3) || 3);
  for (let d = quarterStart; d < end; d = addMonths(d, 3)) {
    const labelled = d.slice(5, 7) === '01' || d.slice(5, 7) === '07';
    ticks.push({ date: d, text: labelled ? new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }) : '' });
  }
  const markers = [{ date: today, text: 'Today' }];
  for (let year = Number(today.slice(0, 4)); `${year}-06-30` <= end; year++) {
    if (`${year}-06-30` > today) markers.push({ date: `${year}-06-30`, text: `DSPT due ${shortDate(`${year}-06-30`)}` });
  }

  const svg = timelineChart({
    id,
    className: 'app-expiry-timeline',
    title: `Certificates and DSPT currency over the next ${TIMELINE_MONTHS} months`,
    summary,
    axis: { from: addDays(today, -7), to: end },
    labelWidth: 290,
    labelChars: 36,
    markers,
    ticks,
    bars: rows.map((r) => ({
      label: r.label,
      from: r.from < today ? addDays(today, -7) : r.from,
      to: r.to,
      fill: FILL[r.expiry],
      outline: r.verificationStatus === 'SUBMITTED' ? SUBMITTED_OUTLINE : OUTLINE[r.expiry],
      title: `${r.label}: ${r.sentence}`,
    })),
  });
  return { svg, rows, summary, from: today, to: end };
}
