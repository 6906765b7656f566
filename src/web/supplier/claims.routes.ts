import express from 'express';
import { today } from '../../common/dates.js';
import {
  SupplierClaimCapabilityDocument, SupplierClaimEpicDocument, SupplierClaimOptionsDocument, SupplierClaimStandardDocument,
  SupplierSubmitKpiReportDocument, SupplierSubmitKpiReportsDocument,
  type AssessmentResult, type ComplianceStatus, type EpicOutcome, type KpiReportInput,
} from '../generated/graphql.js';
import { shortDate } from '../charts/timeline-chart.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import { ASSESSMENT_LABELS, EPIC_LABELS, monthFrom, monthName, statusTag, type Supplier } from './evidence-dashboard.js';
import {
  apiProblems, type Body, datePartsFromIso, datePartsOf, type DateParts, hiddenFields, isRecordConflict, loadSupplier, Problems, readDate, savedThenRedirect, text,
} from './forms.js';
import { KPI_CSV_COLUMNS, lineOfField, parseKpiCsv } from './kpi-csv.js';

type Solution = Supplier['solutions'][number];
type Kind = 'capability' | 'epic' | 'standard';

/** What a claim form holds, as typed. */
interface ClaimValues {
  version?: string;
  solution: string;
  reference: string;
  result: string;
  assessedOn: DateParts;
  remediationPlan: string;
  remediationDueOn: DateParts;
}

const KINDS: Record<Kind, { title: string; what: string; param: string; results: Record<string, string> }> = {
  capability: { title: 'Claim a capability', what: 'capability', param: 'capability', results: ASSESSMENT_LABELS },
  epic: { title: 'Claim an epic', what: 'epic', param: 'epic', results: EPIC_LABELS },
  standard: { title: 'Claim a standard', what: 'standard', param: 'standard', results: { MET: 'Met', REMEDIATION_PLAN: 'Not yet met, with a remediation plan' } },
};

/** The claim a supplier already has for this solution and reference, if any. */
function existingClaim(kind: Kind, solution: Solution | undefined, reference: string) {
  const ref = reference.trim().toUpperCase();
  if (!solution || !ref) return undefined;
  if (kind === 'capability') {
    const a = solution.capabilities.find((c) => c.capability.reference === ref);
    return a && { id: a.id, version: a.version, status: a.verificationStatus, result: a.result, assessedOn: a.assessedOn, name: a.capability.name, plan: '', due: null as string | null, rejectionReason: a.rejectionReason };
  }
  if (kind === 'epic') {
    const e = solution.epics.find((c) => c.epic.reference === ref);
    return e && { id: e.id, version: e.version, status: e.verificationStatus, result: e.result, assessedOn: null as string | null, name: e.epic.name, plan: '', due: null as string | null, rejectionReason: e.rejectionReason };
  }
  const st = solution.standards.find((c) => c.standard.reference === ref);
  return st && { id: st.id, version: st.version, status: st.verificationStatus, result: st.status, assessedOn: null as string | null, name: st.standard.name, plan: st.remediationPlan ?? '', due: st.remediationDueOn ?? null, rejectionReason: st.rejectionReason };
}

/** Capability, epic and standard claims for the supplier's solutions, and its KPI figures (one, or a month's as CSV). */
/** The most problems an upload's page lists one by one. */
const MAX_LISTED_PROBLEMS = 50;

export function claimRoutes(web: WebContext, supplier: express.RequestHandler): express.Router {
  const router = express.Router();
  const options = (req: express.Request) => web.operations.run(req.viewer, SupplierClaimOptionsDocument, {});

  async function renderClaim(req: express.Request, res: express.Response, kind: Kind, s: Supplier, values: ClaimValues, problems?: Problems, status = 200) {
    const o = kind === 'epic' ? undefined : await options(req);
    const solution = s.solutions.find((x) => x.id === values.solution);
    const existing = existingClaim(kind, solution, values.reference);
    res.status(status).render('supplier/claim-form.njk', {
      kind, meta: KINDS[kind], values, existing, existingTag: existing ? statusTag(existing.status) : undefined,
      errorList: problems?.errorList, errors: problems?.errors ?? {},
      solutionItems: [{ value: '', text: 'Choose a solution' }, ...s.solutions.map((x) => ({ value: x.id, text: `${x.name} (${x.publicationStatus.toLowerCase().replace(/_/g, ' ')})`, selected: x.id === values.solution }))],
      referenceItems:
        kind === 'capability'
          ? [{ value: '', text: 'Choose a capability' }, ...o!.capabilities.map((c) => ({ value: c.reference, text: `${c.reference} ${c.name}`, selected: c.reference === values.reference.toUpperCase() }))]
          : kind === 'standard'
            ? [{ value: '', text: 'Choose a standard' }, ...o!.standards.map((c) => ({ value: c.reference, text: `${c.reference} ${c.name}${c.version ? ` (${c.version})` : ''}`, selected: c.reference === values.reference.toUpperCase() }))]
            : [],
      resultItems: Object.entries(KINDS[kind].results).map(([value, text]) => ({ value, text, checked: values.result === value })),
    });
  }

  const valuesFromQuery = (kind: Kind, s: Supplier, query: express.Request['query']): ClaimValues => {
    const solution = typeof query.solution === 'string' ? query.solution : '';
    const reference = typeof query[KINDS[kind].param] === 'string' ? String(query[KINDS[kind].param]) : '';
    const existing = existingClaim(kind, s.solutions.find((x) => x.id === solution), reference);
    return {
      version: existing && existing.status !== 'WITHDRAWN' ? String(existing.version) : undefined,
      solution,
      reference: reference.toUpperCase(),
      result: existing?.result ?? '',
      assessedOn: datePartsFromIso(existing?.assessedOn),
      remediationPlan: existing?.plan ?? '',
      remediationDueOn: datePartsFromIso(existing?.due),
    };
  };
  const valuesOf = (body: Body): ClaimValues => ({
    version: text(body, 'version') || undefined,
    solution: text(body, 'solution'),
    reference: text(body, 'reference'),
    result: text(body, 'result'),
    assessedOn: datePartsOf(body, 'assessedOn'),
    remediationPlan: text(body, 'remediationPlan'),
    remediationDueOn: datePartsOf(body, 'remediationDueOn'),
  });

  for (const kind of ['capability', 'epic', 'standard'] as Kind[]) {
    const path = `/supplier/claims/${kind}`;
    router.get(path, supplier, async (req, res) => {
      const s = await loadSupplier(web, req);
      if (!s) return web.notFound(req, res);
      await renderClaim(req, res, kind, s, valuesFromQuery(kind, s, req.query));
    });
    router.post(path, supplier, async (req, res) => {
      const s = await loadSupplier(web, req);
      if (!s) return web.notFound(req, res);
      const values = valuesOf(req.body ?? {});
      const problems = new Problems();
      if (!values.solution) problems.add('solution', 'Choose the solution the claim is for');
      if (!values.reference.trim()) problems.add('reference', kind === 'epic' ? 'Enter the epic’s reference, for example C5E1' : `Choose the ${kind}`);
      if (!values.result) problems.add('result', kind === 'standard' ? 'Select whether the standard is met' : 'Select the result');
      const assessedOn = kind === 'capability' ? readDate(problems, values.assessedOn, 'assessedOn', 'the day it was assessed', false) : undefined;
      const plan = kind === 'standard' && values.result === 'REMEDIATION_PLAN';
      const dueOn = plan ? readDate(problems, values.remediationDueOn, 'remediationDueOn', 'the day the remediation plan completes', false) : undefined;
      if (problems.any) return renderClaim(req, res, kind, s, values, problems, 400);
      const version = values.version ? Number(values.version) : undefined;
      const common = { solutionId: values.solution, version };
      try {
        if (kind === 'capability') {
          await web.operations.run(req.viewer, SupplierClaimCapabilityDocument, { input: { ...common, capability: values.reference.trim(), result: values.result as AssessmentResult, assessedOn } });
        } else if (kind === 'epic') {
          await web.operations.run(req.viewer, SupplierClaimEpicDocument, { input: { ...common, epic: values.reference.trim(), result: values.result as EpicOutcome } });
        } else {
          await web.operations.run(req.viewer, SupplierClaimStandardDocument, {
            input: { ...common, standard: values.reference.trim(), status: values.result as ComplianceStatus, ...(plan ? { remediationPlan: values.remediationPlan, remediationDueOn: dueOn ?? null } : {}) },
          });
        }
      } catch (error) {
        if (isRecordConflict(error)) {
          const fresh = await loadSupplier(web, req);
          const solution = fresh?.solutions.find((x) => x.id === values.solution);
          const current = existingClaim(kind, solution, values.reference);
          if (!current || !solution) throw error;
          const rows = (result: string, assessed: string | null, planText: string, due: string | null) => [
            { key: 'Solution', value: solution.name },
            { key: KINDS[kind].what[0].toUpperCase() + KINDS[kind].what.slice(1), value: `${values.reference.trim().toUpperCase()} ${current.name}` },
            { key: kind === 'standard' ? 'Status' : 'Result', value: KINDS[kind].results[result] ?? result },
            ...(kind === 'capability' ? [{ key: 'Assessed on', value: assessed ? shortDate(assessed) : 'Today' }] : []),
            ...(kind === 'standard' && result === 'REMEDIATION_PLAN' ? [{ key: 'Remediation plan', value: planText }, { key: 'Plan due', value: due ? shortDate(due) : '' }] : []),
          ];
          return res.status(409).render('supplier/conflict.njk', {
            title: version ? `This ${kind} claim has changed since you opened it` : `You already have a claim for ${values.reference.trim().toUpperCase()} on ${solution.name}`,
            intro: current.status === 'WITHDRAWN'
              ? 'Your claim has not been saved: the existing one has been withdrawn and cannot change.'
              : version
                ? `Your claim has not been saved. It was saved again (it is now at version ${current.version}) after you opened it. Compare it with yours, then replace it with yours or keep it.`
                : `Your claim has not been saved: this solution already has one (version ${current.version}). Compare it with yours, then replace it with yours or keep it.`,
            current: rows(current.result, current.assessedOn, current.plan, current.due),
            currentTag: statusTag(current.status),
            currentVersion: current.version,
            yours: rows(values.result, assessedOn ?? null, values.remediationPlan, dueOn ?? null),
            action: current.status === 'WITHDRAWN' ? undefined : path,
            hidden: hiddenFields({ ...values, version: String(current.version) }),
            reapplyText: 'Replace it with mine',
            backHref: '/supplier#claims',
          });
        }
        const refused = apiProblems(
          web, error,
          { solutionId: 'solution', capability: 'reference', epic: 'reference', standard: 'reference', result: 'result', status: 'result', assessedOn: 'assessedOn-day', remediationPlan: 'remediationPlan', remediationDueOn: 'remediationDueOn-day' },
          { solutionId: 'solution', remediationDueOn: 'plan due', remediationPlan: 'remediation plan', assessedOn: 'assessed on' },
        );
        if (!refused) throw error;
        return renderClaim(req, res, kind, s, values, refused, 400);
      }
      const solutionName = s.solutions.find((x) => x.id === values.solution)?.name ?? 'your solution';
      await savedThenRedirect(req, res, '/supplier#claims', `${values.reference.trim().toUpperCase()} claimed for ${solutionName}: it is SUBMITTED until the assurance team verifies it.`);
    });
  }

  // --- KPI figures: one at a time, or a month's as a CSV file ----------------------------------------

  /** The months a figure may be reported for: this one and the 23 before it. */
  const monthItems = (selected: string) =>
    Array.from({ length: 24 }, (_, i) => monthFrom(today(), -i)).map((m) => ({ value: m, text: monthName(m), selected: m === selected }));

  interface KpiValues { version?: string; kpiCode: string; period: string; value: string; solution: string }
  const renderKpi = (res: express.Response, s: Supplier, values: KpiValues, problems?: Problems, status = 200) => {
    const existing = s.kpiReports.find((k) => k.kpiCode === values.kpiCode.trim() && k.period === values.period);
    res.status(status).render('supplier/kpi-form.njk', {
      values, existing, existingTag: existing ? statusTag(existing.verificationStatus) : undefined,
      errorList: problems?.errorList, errors: problems?.errors ?? {},
      monthItems: monthItems(values.period),
      solutionItems: [{ value: '', text: 'The whole service', selected: !values.solution }, ...s.solutions.map((x) => ({ value: x.id, text: x.name, selected: x.id === values.solution }))],
    });
  };
  router.get('/supplier/kpis/report', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    const kpiCode = typeof req.query.kpiCode === 'string' ? req.query.kpiCode : '';
    const period = typeof req.query.period === 'string' && /^\d{4}-\d{2}$/.test(req.query.period) ? req.query.period : monthFrom(today(), -1);
    const existing = s.kpiReports.find((k) => k.kpiCode === kpiCode && k.period === period);
    renderKpi(res, s, { version: existing ? String(existing.version) : undefined, kpiCode, period, value: existing ? String(existing.value) : '', solution: existing?.solution?.id ?? '' });
  });
  router.post('/supplier/kpis/report', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    const body = req.body ?? {};
    const values: KpiValues = { version: text(body, 'version') || undefined, kpiCode: text(body, 'kpiCode'), period: text(body, 'period'), value: text(body, 'value'), solution: text(body, 'solution') };
    const problems = new Problems();
    const value = values.value.trim();
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) problems.add('value', value ? 'Enter the figure as a number, for example 99.5' : 'Enter the figure');
    if (problems.any) return renderKpi(res, s, values, problems, 400);
    const input: KpiReportInput = { kpiCode: values.kpiCode.trim(), period: values.period, value: Number(value), solutionId: values.solution || null, version: values.version ? Number(values.version) : null };
    try {
      await web.operations.run(req.viewer, SupplierSubmitKpiReportDocument, { input });
    } catch (error) {
      if (isRecordConflict(error)) {
        const current = (await loadSupplier(web, req))?.kpiReports.find((k) => k.kpiCode === input.kpiCode && k.period === input.period);
        if (!current) throw error;
        const rows = (figure: string, solution: string | undefined) => [
          { key: 'KPI', value: input.kpiCode },
          { key: 'Month', value: monthName(input.period) },
          { key: 'Figure', value: figure },
          { key: 'For', value: solution ?? 'The whole service' },
        ];
        return res.status(409).render('supplier/conflict.njk', {
          title: values.version ? `${input.kpiCode} for ${monthName(input.period)} has changed since you opened it` : `${input.kpiCode} is already reported for ${monthName(input.period)}`,
          intro: values.version
            ? `Your figure has not been saved. The report was saved again (it is now at version ${current.version}) after you opened it. Compare it with yours, then replace it with yours or keep it.`
            : `Your figure has not been saved: this month already has one (version ${current.version}). Compare it with yours, then replace it with yours or keep it.`,
          current: rows(String(current.value), current.solution?.name),
          currentTag: statusTag(current.verificationStatus),
          currentVersion: current.version,
          yours: rows(value, s.solutions.find((x) => x.id === values.solution)?.name),
          action: '/supplier/kpis/report',
          hidden: hiddenFields({ ...values, version: String(current.version) }),
          reapplyText: 'Replace it with mine',
          backHref: '/supplier#kpis',
        });
      }
      const refused = apiProblems(web, error, { kpiCode: 'kpiCode', period: 'period', value: 'value', solutionId: 'solution' }, { kpiCode: 'KPI code', solutionId: 'solution' });
      if (!refused) throw error;
      return renderKpi(res, s, values, refused, 400);
    }
    await savedThenRedirect(req, res, '/supplier#kpis', `${input.kpiCode} for ${monthName(input.period)} reported: it is SUBMITTED until the assurance team verifies it.`);
  });

  const renderUpload = (res: express.Response, period: string, problems?: Problems, lines?: { line: number; message: string }[], status = 200) =>
    res.status(status).render('supplier/kpi-upload.njk', {
      period, monthItems: monthItems(period), columns: KPI_CSV_COLUMNS, lines,
      errorList: problems?.errorList, errors: problems?.errors ?? {},
    });
  router.get('/supplier/kpis/upload', supplier, (req, res) =>
    renderUpload(res, typeof req.query.period === 'string' && /^\d{4}-\d{2}$/.test(req.query.period) ? req.query.period : monthFrom(today(), -1)),
  );
  router.post('/supplier/kpis/upload', supplier, async (req, res) => {
    const period = text(req.body, 'period');
    const file = req.uploads?.file;
    const problems = new Problems();
    if (!/^\d{4}-\d{2}$/.test(period)) problems.add('period', 'Choose the month the figures are for');
    if (!file || (file.data.length === 0 && !file.filename)) problems.add('file', 'Choose a CSV file of the month’s figures');
    else if (file.truncated) problems.add('file', 'The file must be smaller than 100 KB');
    else if (file.data.length === 0) problems.add('file', 'The file is empty');
    if (problems.any) return renderUpload(res, period, problems, undefined, 400);

    // The page reads the file; the API checks every row (and, if the file has unreadable lines, is asked
    // only to check the rest, so that every bad line is listed at once). Nothing is written unless all are good.
    const csv = parseKpiCsv(file!.data.toString('utf8'), period);
    const lines = [...csv.problems];
    let written = 0;
    if (csv.inputs.length) {
      try {
        const result = await web.operations.run(req.viewer, SupplierSubmitKpiReportsDocument, { reports: csv.inputs, validateOnly: lines.length > 0 });
        written = result.submitKpiReports.length;
      } catch (error) {
        // A solution of another supplier's named in the file: the API refuses the whole batch; the page says so on the file.
        if (error instanceof OperationError && error.code === 'FORBIDDEN') lines.push({ line: 0, message: 'The file names a solution that is not yours: use the id of one of your own solutions, or leave solutionId empty.' });
        else if (!(error instanceof OperationError) || error.code !== 'BAD_USER_INPUT') throw error;
        else for (const f of error.fields.length ? error.fields : [{ field: '', message: error.message }]) {
          const at = lineOfField(f.field, csv.lines);
          // A row's problem names its line; one about the whole upload (too many rows) stands alone.
          const message = f.message.replace(/^Variable "\$\w+" got invalid value .*?; /, '');
          // The column, unless the message names it already ("kpiCode must be ...").
          const column = at?.column && !message.includes(at.column) ? `${at.column}: ` : '';
          lines.push(at ? { line: at.line, message: `${column}${message}` } : { line: 0, message });
        }
      }
    }
    if (lines.length) {
      lines.sort((a, b) => a.line - b.line);
      // The first 50 problems, and how many more: a file of thousands of bad lines must not make a page of megabytes.
      const messages = lines.slice(0, MAX_LISTED_PROBLEMS).map((l) => ({ line: l.line, message: l.line ? `Line ${l.line}: ${l.message}` : l.message }));
      if (lines.length > MAX_LISTED_PROBLEMS) messages.push({ line: 0, message: `And ${lines.length - MAX_LISTED_PROBLEMS} more problems: correct these, then upload the file again.` });
      for (const m of messages) problems.add('file', m.message);
      return renderUpload(res, period, problems, messages, 400);
    }
    await savedThenRedirect(req, res, '/supplier#kpis', `${written} KPI ${written === 1 ? 'figure' : 'figures'} for ${monthName(period)} uploaded: each is SUBMITTED until the assurance team verifies it.`);
  });

  return router;
}
