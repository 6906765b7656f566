import express from 'express';
import { today } from '../../common/dates.js';
import { UUID } from '../../common/ids.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import {
  SupplierCreateCertificationDocument, SupplierPublishDsptDocument, SupplierRequestProfileChangeDocument,
  SupplierUpdateCertificationDocument, SupplierUpdateProfileDocument, SupplierWithdrawCertificationDocument, SupplierWithdrawProfileChangeDocument,
  type CertificationType, type DsptStatus, type SupplierProfileChangeInput,
} from '../generated/graphql.js';
import { shortDate } from '../charts/timeline-chart.js';
import { CERTIFICATIONS } from '../specification/draft.js';
import type { WebContext } from '../web.js';
import {
  attentionOf, CERTIFICATE_LABELS, certificateLabel, certificateRows, claimRows, DSPT_LABELS, DSPT_STATUS_OPTIONS, dsptRows, kpiRows, nextDsptDeadline,
  statusCounts, statusTag, type Supplier,
} from './evidence-dashboard.js';
import { expiryTimeline } from './expiry-timeline.js';
import {
  apiProblems, type Body, datePartsFromIso, loadSupplier, ownId, datePartsOf, type DateParts, hiddenFields, isRecordConflict, Problems, readDate, renderWithdrawConflict, savedThenRedirect, text,
} from './forms.js';
import { claimRoutes } from './claims.routes.js';
import { priceRoutes } from './prices.routes.js';

// ---------------------------------------------------------------------------------------------------
// Certificates

interface CertificateValues {
  version?: string;
  type: string;
  certificateNumber: string;
  certifyingBody: string;
  scope: string;
  scopeExclusions: string;
  validFrom: DateParts;
  validUntil: DateParts;
}
type Certificate = Supplier['certifications'][number];

const certificateValuesOf = (body: Body): CertificateValues => ({
  version: text(body, 'version') || undefined,
  type: text(body, 'type'),
  certificateNumber: text(body, 'certificateNumber'),
  certifyingBody: text(body, 'certifyingBody'),
  scope: text(body, 'scope'),
  scopeExclusions: text(body, 'scopeExclusions'),
  validFrom: datePartsOf(body, 'validFrom'),
  validUntil: datePartsOf(body, 'validUntil'),
});
const certificateValuesFrom = (c: Certificate): CertificateValues => ({
  version: String(c.version),
  type: c.type,
  certificateNumber: c.certificateNumber,
  certifyingBody: c.certifyingBody,
  scope: c.scope ?? '',
  scopeExclusions: c.scopeExclusions ?? '',
  validFrom: datePartsFromIso(c.validFrom),
  validUntil: datePartsFromIso(c.validUntil),
});
const CERTIFICATE_FIELDS = { type: 'type', certificateNumber: 'certificateNumber', certifyingBody: 'certifyingBody', scope: 'scope', scopeExclusions: 'scopeExclusions', validFrom: 'validFrom-day', validUntil: 'validUntil-day' };
/** The API's field names as the form's words, mid-sentence. */
const CERTIFICATE_WORDS = { validUntil: 'valid until', validFrom: 'valid from', certificateNumber: 'certificate number', certifyingBody: 'certifying body', scopeExclusions: 'scope exclusions' };

/** What the certificate's pages show of it: the conflict page's two columns and the withdraw page. */
function certificateSummary(v: CertificateValues) {
  const date = (p: DateParts) => (p.year ? shortDate(`${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`) : '');
  return [
    { key: 'Type', value: CERTIFICATE_LABELS[v.type] ?? v.type },
    { key: 'Certificate number', value: v.certificateNumber },
    { key: 'Certifying body', value: v.certifyingBody },
    { key: 'Scope', value: v.scope || 'None given' },
    { key: 'Scope exclusions', value: v.scopeExclusions || 'None given' },
    { key: 'Valid from', value: safeDate(date, v.validFrom) },
    { key: 'Valid until', value: safeDate(date, v.validUntil) },
  ];
}
const safeDate = (f: (p: DateParts) => string, p: DateParts) => {
  try {
    return f(p);
  } catch {
    return `${p.day} ${p.month} ${p.year}`;
  }
};

// ---------------------------------------------------------------------------------------------------
// DSPT

/** A DSPT cycle as the catalogue writes them: "2026-27", the second year following the first, within its date range. */
const isCycle = (value: unknown): value is string => {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  return !!m && Number(m[1]) >= 2000 && Number(m[1]) < 2200 && (Number(m[1]) + 1) % 100 === Number(m[2]);
};

/** The cycles a supplier may publish now: the one due by the next 30 June and the two before it. */
function dsptCycles(day: string): string[] {
  const { cycle } = nextDsptDeadline(day);
  const start = Number(cycle.slice(0, 4));
  return [0, 1, 2].map((n) => `${start - n}-${String((start - n + 1) % 100).padStart(2, '0')}`);
}

// ---------------------------------------------------------------------------------------------------

/** The supplier's pages: its evidence dashboard, and the forms that keep each kind of evidence current. */
export function supplierRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const supplier = web.requireViewer([Role.SUPPLIER]);

  // The banner a change leaves for the next supplier page (POST-redirect-GET), shown once.
  router.use((req, res, next) => {
    const notice = req.session.supplierNotice;
    if (notice && req.method === 'GET' && req.viewer.kind === 'supplier' && (req.path === '/supplier' || req.path.startsWith('/supplier/') || /^\/suppliers\/[^/]+\/evidence$/.test(req.path))) {
      res.locals.notice = notice;
      delete req.session.supplierNotice;
    }
    next();
  });

  async function dashboard(req: express.Request, res: express.Response, id: string) {
    const s = await loadSupplier(web, req, id);
    if (!s) return web.notFound(req, res);
    const day = today();
    const timeline = expiryTimeline(
      [
        ...s.certifications.map((c) => ({ kind: 'CERTIFICATION' as const, label: certificateLabel(c), from: c.validFrom, to: c.validUntil, verificationStatus: c.verificationStatus })),
        ...s.dsptHistory.map((d) => ({ kind: 'DSPT' as const, label: `DSPT ${d.cycle} (${DSPT_LABELS[d.status] ?? d.status})`, from: d.publishedOn, to: d.currentUntil, verificationStatus: d.verificationStatus })),
      ],
      day,
    );
    res.render('supplier/dashboard.njk', {
      supplier: s,
      attention: attentionOf(s),
      counts: statusCounts(s),
      certificates: certificateRows(s),
      dspt: dsptRows(s, day),
      solutions: claimRows(s),
      kpis: kpiRows(s),
      timeline,
      pendingProfileChange: s.pendingProfileChange,
      profileTag: s.profileChanges[0] ? statusTag(s.profileChanges[0].verificationStatus) : undefined,
    });
  }

  router.get('/supplier', supplier, (req, res) => dashboard(req, res, ownId(req)));
  // Anyone's address for the same page: the API answers another supplier's private evidence with FORBIDDEN (a 403 page).
  router.get('/suppliers/:id/evidence', supplier, (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    return dashboard(req, res, id);
  });

  // --- Certificates: add, update (quoting the version read), withdraw ---------------------------------

  const renderCertificate = (res: express.Response, action: string, values: CertificateValues, problems?: Problems, status = 200, existing?: Certificate) =>
    res.status(status).render('supplier/certificate-form.njk', {
      action, values, existing, errorList: problems?.errorList, errors: problems?.errors ?? {},
      typeItems: CERTIFICATIONS.map((c) => ({ value: c.value, text: c.text, checked: values.type === c.value })),
      existingTag: existing ? statusTag(existing.verificationStatus) : undefined,
    });

  const certificateOf = async (req: express.Request, res: express.Response): Promise<{ s: Supplier; c: Certificate } | undefined> => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return void web.notFound(req, res);
    const s = await loadSupplier(web, req);
    const c = s?.certifications.find((x) => x.id === id);
    if (!s || !c) return void web.notFound(req, res);
    return { s, c };
  };

  router.get('/supplier/certificates/new', supplier, (req, res) =>
    renderCertificate(res, '/supplier/certificates/new', { ...certificateValuesOf({}), type: typeof req.query.type === 'string' ? req.query.type : '' }),
  );
  router.get('/supplier/certificates/:id/edit', supplier, async (req, res) => {
    const found = await certificateOf(req, res);
    if (!found) return;
    if (found.c.verificationStatus === 'WITHDRAWN') return savedThenRedirect(req, res, '/supplier#certificates', `${certificateLabel(found.c)} has been withdrawn and cannot change.`, false);
    renderCertificate(res, `/supplier/certificates/${found.c.id}/edit`, certificateValuesFrom(found.c), undefined, 200, found.c);
  });

  const saveCertificate = async (req: express.Request, res: express.Response, id?: string) => {
    const values = certificateValuesOf(req.body ?? {});
    const action = id ? `/supplier/certificates/${id}/edit` : '/supplier/certificates/new';
    const problems = new Problems();
    const validFrom = readDate(problems, values.validFrom, 'validFrom', 'the first day the certificate is valid', true);
    const validUntil = readDate(problems, values.validUntil, 'validUntil', 'the last day the certificate is valid', true);
    if (!values.type) problems.add('type', 'Select the type of certificate');
    if (problems.any) return renderCertificate(res, action, values, problems, 400);
    const input = {
      type: values.type as CertificationType,
      certificateNumber: values.certificateNumber,
      certifyingBody: values.certifyingBody,
      scope: values.scope.trim() || null,
      scopeExclusions: values.scopeExclusions.trim() || null,
      validFrom: validFrom!,
      validUntil: validUntil!,
    };
    try {
      if (id) await web.operations.run(req.viewer, SupplierUpdateCertificationDocument, { id, version: Number(values.version) || 0, input });
      else await web.operations.run(req.viewer, SupplierCreateCertificationDocument, { input });
    } catch (error) {
      if (id && isRecordConflict(error)) {
        const s = await loadSupplier(web, req);
        const current = s?.certifications.find((c) => c.id === id);
        if (!current) throw error;
        return res.status(409).render('supplier/conflict.njk', {
          title: 'This certificate has changed since you opened it',
          intro: current.verificationStatus === 'WITHDRAWN'
            ? 'Your changes have not been saved: the certificate has been withdrawn since you opened it, so it cannot change. Add it as a new certificate instead.'
            : `Your changes have not been saved. Someone saved this certificate (it is now at version ${current.version}) after you opened it. Compare the current version with your changes, then reapply your changes to the current version or keep the current one.`,
          current: certificateSummary(certificateValuesFrom(current)),
          currentTag: statusTag(current.verificationStatus),
          currentVersion: current.version,
          yours: certificateSummary(values),
          action: current.verificationStatus === 'WITHDRAWN' ? undefined : action,
          hidden: hiddenFields({ ...values, version: String(current.version) }),
          reapplyText: 'Reapply my changes to the current version',
          backHref: '/supplier#certificates',
        });
      }
      const refused = apiProblems(web, error, CERTIFICATE_FIELDS, CERTIFICATE_WORDS);
      if (!refused) throw error;
      return renderCertificate(res, action, values, refused, 400);
    }
    await savedThenRedirect(req, res, '/supplier#certificates', `${CERTIFICATE_LABELS[input.type]} certificate ${input.certificateNumber.trim()} submitted: it is SUBMITTED until the assurance team verifies it.`);
  };
  router.post('/supplier/certificates/new', supplier, (req, res) => saveCertificate(req, res));
  router.post('/supplier/certificates/:id/edit', supplier, (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    return saveCertificate(req, res, id);
  });

  router.get('/supplier/certificates/:id/withdraw', supplier, async (req, res) => {
    const found = await certificateOf(req, res);
    if (!found) return;
    res.render('supplier/withdraw.njk', { certificate: found.c, label: certificateLabel(found.c), summary: certificateSummary(certificateValuesFrom(found.c)), tag: statusTag(found.c.verificationStatus) });
  });
  router.post('/supplier/certificates/:id/withdraw', supplier, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, SupplierWithdrawCertificationDocument, { id, version: Number(text(req.body, 'version')) || 0 });
    } catch (error) {
      if (!isRecordConflict(error)) throw error;
      const s = await loadSupplier(web, req);
      const current = s?.certifications.find((c) => c.id === id);
      if (!current) throw error;
      return renderWithdrawConflict(res, {
        what: 'certificate',
        current,
        summary: certificateSummary(certificateValuesFrom(current)),
        tag: statusTag(current.verificationStatus),
        changed: `Someone saved this certificate (it is now at version ${current.version}) after you opened it. Check the current version before you withdraw it.`,
        action: `/supplier/certificates/${id}/withdraw`,
        backHref: '/supplier#certificates',
      });
    }
    await savedThenRedirect(req, res, '/supplier#certificates', 'Certificate withdrawn: it is kept for the record and never counted again.');
  });

  // --- DSPT: publish a cycle's assessment (or replace it, quoting its version) --------------------------

  interface DsptValues { version?: string; cycle: string; status: string; publishedOn: DateParts }
  const renderDspt = (res: express.Response, s: Supplier, values: DsptValues, problems?: Problems, status = 200) => {
    const existing = s.dsptHistory.find((d) => d.cycle === values.cycle);
    const cycles = [...new Set([...dsptCycles(today()), ...(isCycle(values.cycle) ? [values.cycle] : [])])].sort().reverse();
    res.status(status).render('supplier/dspt-form.njk', {
      supplier: s, values, existing, existingTag: existing ? statusTag(existing.verificationStatus) : undefined,
      errorList: problems?.errorList, errors: problems?.errors ?? {},
      cycleItems: cycles.map((c) => ({ value: c, text: `${c} (due ${shortDate(`${Number(c.slice(0, 4)) + 1}-06-30`)})`, selected: values.cycle === c })),
      statusItems: DSPT_STATUS_OPTIONS.map((o) => ({ ...o, checked: values.status === o.value })),
    });
  };
  router.get('/supplier/dspt/publish', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    const cycle = typeof req.query.cycle === 'string' && isCycle(req.query.cycle) ? req.query.cycle : nextDsptDeadline(today()).cycle;
    const existing = s.dsptHistory.find((d) => d.cycle === cycle && d.verificationStatus !== 'WITHDRAWN');
    renderDspt(res, s, existing
      ? { version: String(existing.version), cycle, status: existing.status, publishedOn: datePartsFromIso(existing.publishedOn) }
      : { cycle, status: '', publishedOn: datePartsFromIso(null) });
  });
  router.post('/supplier/dspt/publish', supplier, async (req, res) => {
    const body = req.body ?? {};
    const values: DsptValues = { version: text(body, 'version') || undefined, cycle: text(body, 'cycle'), status: text(body, 'status'), publishedOn: datePartsOf(body, 'publishedOn') };
    const problems = new Problems();
    if (!values.status) problems.add('status', 'Select the status the assessment was published with');
    const publishedOn = readDate(problems, values.publishedOn, 'publishedOn', 'the day the assessment was published', true);
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    if (problems.any) return renderDspt(res, s, values, problems, 400);
    try {
      await web.operations.run(req.viewer, SupplierPublishDsptDocument, {
        input: { cycle: values.cycle, status: values.status as DsptStatus, publishedOn: publishedOn!, version: values.version ? Number(values.version) : undefined },
      });
    } catch (error) {
      if (isRecordConflict(error)) {
        const current = (await loadSupplier(web, req))?.dsptHistory.find((d) => d.cycle === values.cycle);
        if (!current) throw error;
        const row = (status: string, on: string) => [
          { key: 'Cycle', value: values.cycle },
          { key: 'Status', value: DSPT_LABELS[status] ?? status },
          { key: 'Published on', value: on },
        ];
        return res.status(409).render('supplier/conflict.njk', {
          title: values.version ? `DSPT ${values.cycle} has changed since you opened it` : `DSPT ${values.cycle} is already published here`,
          intro: values.version
            ? `Your changes have not been saved. This cycle's publication was saved (it is now at version ${current.version}) after you opened it. Compare it with yours, then replace it with yours or keep it.`
            : `Your publication has not been saved: this cycle already has one (version ${current.version}). Compare it with yours, then replace it with yours or keep it.`,
          current: row(current.status, shortDate(current.publishedOn)),
          currentTag: statusTag(current.verificationStatus),
          currentVersion: current.version,
          yours: row(values.status, shortDate(publishedOn!)),
          action: current.verificationStatus === 'WITHDRAWN' ? undefined : '/supplier/dspt/publish',
          hidden: hiddenFields({ ...values, version: String(current.version) }),
          reapplyText: 'Replace it with mine',
          backHref: '/supplier#dspt',
        });
      }
      const refused = apiProblems(web, error, { cycle: 'cycle', status: 'status', publishedOn: 'publishedOn-day', odsCode: 'cycle' }, { publishedOn: 'the publication date' });
      if (!refused) throw error;
      return renderDspt(res, s, values, refused, 400);
    }
    await savedThenRedirect(req, res, '/supplier#dspt', `DSPT ${values.cycle} published: it is SUBMITTED until the assurance team verifies it.`);
  });

  // --- Profile: the summary (at once) and a reviewed change to names, number and website ---------------

  const renderProfile = (res: express.Response, s: Supplier, values: { summary: string; version: string; change: Record<string, string> }, problems?: Problems, status = 200) =>
    res.status(status).render('supplier/profile.njk', {
      supplier: s, values, errorList: problems?.errorList, errors: problems?.errors ?? {},
      pending: s.pendingProfileChange, history: s.profileChanges.map((c) => ({ ...c, tag: statusTag(c.verificationStatus) })),
    });
  const changeOf = (s: Supplier) => ({
    name: s.pendingProfileChange?.name ?? s.name,
    legalName: s.pendingProfileChange?.legalName ?? s.legalName,
    companiesHouseNumber: s.pendingProfileChange?.companiesHouseNumber ?? s.companiesHouseNumber,
    website: s.pendingProfileChange?.website ?? s.website ?? '',
    note: s.pendingProfileChange?.note ?? '',
  });
  router.get('/supplier/profile', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    renderProfile(res, s, { summary: s.summary ?? '', version: String(s.version), change: changeOf(s) });
  });
  router.post('/supplier/profile/summary', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    const values = { summary: text(req.body, 'summary'), version: text(req.body, 'version'), change: changeOf(s) };
    try {
      await web.operations.run(req.viewer, SupplierUpdateProfileDocument, { id: s.id, version: Number(values.version) || 0, input: { summary: values.summary.trim() || null } });
    } catch (error) {
      if (isRecordConflict(error)) {
        return res.status(409).render('supplier/conflict.njk', {
          title: 'Your profile has changed since you opened it',
          intro: `Your summary has not been saved. Your profile was saved (it is now at version ${s.version}) after you opened it. Compare the current summary with yours, then save yours over it or keep it.`,
          current: [{ key: 'Summary', value: s.summary || 'None given' }],
          currentVersion: s.version,
          yours: [{ key: 'Summary', value: values.summary || 'None given' }],
          action: '/supplier/profile/summary',
          hidden: hiddenFields({ summary: values.summary, version: String(s.version) }),
          reapplyText: 'Save my summary over the current one',
          backHref: '/supplier/profile',
        });
      }
      const refused = apiProblems(web, error, { summary: 'summary' });
      if (!refused) throw error;
      return renderProfile(res, s, values, refused, 400);
    }
    await savedThenRedirect(req, res, '/supplier', 'Your summary is saved: it is public at once.');
  });
  router.post('/supplier/profile/change', supplier, async (req, res) => {
    const s = await loadSupplier(web, req);
    if (!s) return web.notFound(req, res);
    const body = req.body ?? {};
    const change = { name: text(body, 'name'), legalName: text(body, 'legalName'), companiesHouseNumber: text(body, 'companiesHouseNumber'), website: text(body, 'website'), note: text(body, 'note') };
    const values = { summary: s.summary ?? '', version: String(s.version), change };
    // Only what differs from the verified profile is asked for; the rest stays as it is.
    const current: Record<string, string> = { name: s.name, legalName: s.legalName, companiesHouseNumber: s.companiesHouseNumber, website: s.website ?? '' };
    const input: SupplierProfileChangeInput = {};
    for (const key of ['name', 'legalName', 'companiesHouseNumber', 'website'] as const) {
      if (change[key].trim() !== current[key]) input[key] = change[key].trim();
    }
    if (change.note.trim()) input.note = change.note.trim();
    // The version of the pending request the form showed; none when it showed none (so a request made
    // meanwhile by a colleague is a conflict, never silently replaced).
    if (s.pendingProfileChange && /^\d{1,9}$/.test(text(body, 'changeVersion'))) input.version = Number(text(body, 'changeVersion'));
    try {
      await web.operations.run(req.viewer, SupplierRequestProfileChangeDocument, { supplierId: s.id, input });
    } catch (error) {
      const refused = apiProblems(web, error, { name: 'name', legalName: 'legalName', companiesHouseNumber: 'companiesHouseNumber', website: 'website', note: 'note', input: 'name' }, {
        legalName: 'legal name', companiesHouseNumber: 'Companies House number',
      });
      if (refused) return renderProfile(res, s, values, refused, 400);
      if (isRecordConflict(error)) {
        // The pending request was replaced or reviewed meanwhile: show the form again with it as it now is.
        const fresh = await loadSupplier(web, req);
        const problems = new Problems().add('name', 'Your change request was replaced or reviewed after you opened this page: check it below, then send your change again');
        return renderProfile(res, fresh ?? s, values, problems, 409);
      }
      throw error;
    }
    await savedThenRedirect(req, res, '/supplier/profile', 'Change requested: it applies once the assurance team verifies it. Until then everyone else sees your current details.');
  });
  router.post('/supplier/profile/change/withdraw', supplier, async (req, res) => {
    const id = text(req.body, 'id');
    if (!UUID.test(id)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, SupplierWithdrawProfileChangeDocument, { id, version: Number(text(req.body, 'version')) || 0 });
    } catch (error) {
      if (!isRecordConflict(error)) throw error;
      return savedThenRedirect(req, res, '/supplier/profile', 'Your change request was changed or reviewed after you opened the page, so it was not withdrawn: check it below.', false);
    }
    await savedThenRedirect(req, res, '/supplier/profile', 'Change request withdrawn.');
  });

  router.use(claimRoutes(web, supplier));
  router.use(priceRoutes(web, supplier));
  return router;
}
