import type express from 'express';
import { SupplierDashboardDocument } from '../generated/graphql.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import type { Supplier } from './evidence-dashboard.js';

/**
 * What the supplier's forms share: reading what was typed (every value kept as typed, so a page shown
 * again after an error shows exactly what was entered), the NHS error summary with inline messages,
 * and the conflict page's rows.
 */
export type Body = Record<string, unknown>;

/** The signed-in supplier's id (the supplier's routes admit SUPPLIER viewers only). */
export const ownId = (req: express.Request) => (req.viewer as { supplierId: string }).supplierId;

/** A supplier's evidence, whatever its status: the API answers it for the supplier itself only (FORBIDDEN for another). */
export async function loadSupplier(web: WebContext, req: express.Request, id = ownId(req)): Promise<Supplier | null> {
  return (await web.operations.run(req.viewer, SupplierDashboardDocument, { id })).supplier ?? null;
}

export const text = (body: Body | undefined, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');

export interface DateParts { day: string; month: string; year: string }

/** An NHS date input's three fields (`name[day]`, `name[month]`, `name[year]`) as typed. */
export const datePartsOf = (body: Body | undefined, name: string): DateParts => ({
  day: text(body, `${name}[day]`).trim(),
  month: text(body, `${name}[month]`).trim(),
  year: text(body, `${name}[year]`).trim(),
});

export const datePartsFromIso = (iso: string | null | undefined): DateParts => {
  if (!iso) return { day: '', month: '', year: '' };
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** The parts as YYYY-MM-DD; 'empty' when nothing was typed, 'invalid' when they are not a calendar day. */
export function isoOf(parts: DateParts): string | 'empty' | 'invalid' {
  if (!parts.day && !parts.month && !parts.year) return 'empty';
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return 'invalid';
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? 'invalid' : iso;
}

/** Problems to show: the NHS error summary's list, and each message by the id of the field it is shown on. */
export class Problems {
  errorList: { text: string; href: string }[] = [];
  errors: Record<string, string> = {};
  add(id: string, message: string): this {
    this.errorList.push({ text: message, href: `#${id}` });
    this.errors[id] ??= message;
    return this;
  }
  get any(): boolean {
    return this.errorList.length > 0;
  }
}

/**
 * A date the form needs before the API can be asked: reading it is the page's job (three boxes into
 * one day); every rule about it is the API's. Returns the day, or undefined with the problem added.
 */
export function readDate(problems: Problems, parts: DateParts, id: string, what: string, required: boolean): string | undefined {
  const iso = isoOf(parts);
  if (iso === 'empty') {
    if (required) problems.add(`${id}-day`, `Enter ${what}`);
    return undefined;
  }
  if (iso === 'invalid') {
    problems.add(`${id}-day`, `${what[0].toUpperCase()}${what.slice(1)} must be a real date, for example 27 3 2027`);
    return undefined;
  }
  return iso;
}

/**
 * Input the API refused, on the form's own fields: BAD_USER_INPUT, and a CONFLICT that names a field
 * (a name another supplier holds). `fields` maps the API's field (its last part) to the id it is shown
 * on; `labels` rewrites the API's field names in its messages into the form's words.
 */
export function apiProblems(web: WebContext, error: unknown, fields: Record<string, string>, labels: Record<string, string> = {}): Problems | undefined {
  if (!(error instanceof OperationError)) return undefined;
  if (error.code !== 'BAD_USER_INPUT' && !(error.code === 'CONFLICT' && error.fields.length)) return undefined;
  const asInput = error.code === 'CONFLICT' ? new OperationError('BAD_USER_INPUT', error.message, error.fields, error.requestId, error.reason) : error;
  const fieldMap = Object.fromEntries(asInput.fields.map((f) => [f.field, fields[f.field.split('.').pop() ?? ''] ?? f.field.split('.').pop() ?? '']));
  const found = web.formErrors(asInput, fieldMap)!;
  const problems = new Problems();
  for (const item of found.errorList) problems.add(item.href.slice(1) || 'main-content', humanise(item.text, labels));
  return problems;
}

/**
 * "validUntil must be after validFrom" in the form's words, "Valid until must be after valid from":
 * each label as it reads mid-sentence, the first letter of the message made a capital.
 */
export function humanise(message: string, labels: Record<string, string>): string {
  let out = message;
  for (const [field, label] of Object.entries(labels)) out = out.replace(new RegExp(`\\b${field}\\b`, 'g'), label);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

/** A CONFLICT about the record as a whole (someone changed it, or one exists already): the conflict page's case. */
export const isRecordConflict = (error: unknown): error is OperationError => error instanceof OperationError && error.code === 'CONFLICT' && error.fields.length === 0;

/** Hidden fields that post these values again (the conflict page's "reapply"). */
export function hiddenFields(values: Record<string, string | DateParts | undefined>): { name: string; value: string }[] {
  return Object.entries(values).flatMap(([name, value]) =>
    value === undefined ? [] : typeof value === 'string' ? [{ name, value }] : (['day', 'month', 'year'] as const).map((part) => ({ name: `${name}[${part}]`, value: value[part] })),
  );
}

/**
 * Redirects once the session is stored (with a notice for the next page, when given): express-session
 * sends the headers before its own save ends, so a browser quick to follow would read the old session.
 */
export function savedThenRedirect(req: express.Request, res: express.Response, url: string, notice?: string, success = true): Promise<void> {
  if (notice) req.session.supplierNotice = { text: notice, success };
  return new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve()))).then(() => res.redirect(303, url));
}

declare module 'express-session' {
  interface SessionData {
    /** The success banner for the supplier's next page after a change (POST-redirect-GET). */
    supplierNotice?: { text: string; success: boolean };
  }
}

/**
 * The 409 page when a withdrawal met a record that changed or was withdrawn since the form was opened:
 * already withdrawn says nothing changed; otherwise it shows the current version to withdraw instead.
 */
export function renderWithdrawConflict(
  res: express.Response,
  o: { what: string; current: { version: number; verificationStatus: string }; summary: unknown; tag: unknown; changed: string; action: string; backHref: string },
): void {
  const already = o.current.verificationStatus === 'WITHDRAWN';
  res.status(409).render('supplier/conflict.njk', {
    title: already ? `This ${o.what} is already withdrawn` : `This ${o.what} has changed since you opened it`,
    intro: already ? `Nothing has changed: the ${o.what} was withdrawn already.` : `It has not been withdrawn. ${o.changed}`,
    current: o.summary,
    currentTag: o.tag,
    currentVersion: o.current.version,
    action: already ? undefined : o.action,
    hidden: [{ name: 'version', value: String(o.current.version) }],
    reapplyText: 'Withdraw the current version',
    backHref: o.backHref,
  });
}
