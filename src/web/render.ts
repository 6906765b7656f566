import path from 'node:path';
import nunjucks from 'nunjucks';
import { projectRoot } from '../config.js';

/**
 * Nunjucks with the NHS.UK frontend's own templates and macros on its search path
 * (`{% from "nhsuk/components/button/macro.njk" import button %}`), and our views beside the
 * journeys that use them. Autoescaping is on: every value is HTML-escaped unless a macro says otherwise.
 */
export const NHSUK_DIST = path.join(projectRoot, 'node_modules/nhsuk-frontend/dist');

export function createViews(): nunjucks.Environment {
  // Templates are compiled once per process (re-reading them per request costs more than the page's SQL).
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([path.join(projectRoot, 'src/web'), NHSUK_DIST]), {
    autoescape: true,
    throwOnUndefined: false,
  });
  // One formatter for the process: toLocaleDateString builds a new one per call, which a match page
  // (hundreds of dates) paid for in tens of milliseconds.
  const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  env.addFilter('date', (value: string | Date | null | undefined) => {
    if (!value) return '';
    const day = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    const d = new Date(`${day}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? String(value) : longDate.format(d);
  });
  const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  env.addFilter('datetime', (value: string | Date | null | undefined) => {
    if (!value) return '';
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? String(value) : dateTime.format(d);
  });
  env.addFilter('words', (value: string | null | undefined) =>
    value ? value.toLowerCase().replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase()) : '',
  );
  return env;
}
