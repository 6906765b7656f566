import express from 'express';
import {
  AssuranceAuditTrailDocument, AssuranceAwardsDocument, AssuranceEvidenceDocument, AssuranceExpiringDocument, AssuranceQueueDocument,
  AssuranceReinstateAwardDocument, AssuranceRejectDocument, AssuranceSupplierAwardsDocument, AssuranceSuppliersDocument, AssuranceSuspendAwardDocument,
  AssuranceVerifyDocument,
  type AuditEntity, type AwardStatus, type CertificationType, type EvidenceKind,
} from '../generated/graphql.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import { OperationError } from '../operations.js';
import { fromCursor, one, PAGE_SIZE, urlOf } from '../public/paging.js';
import type { WebContext } from '../web.js';
import { documentRow } from '../supplier/documents.routes.js';
import { fieldChanges, labelOf } from './changes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const KIND_LABELS: Record<EvidenceKind, string> = {
  CERTIFICATION: 'Certificate',
  DSPT_ASSESSMENT: 'DSPT publication',
  CAPABILITY_ASSESSMENT: 'Capability assessment',
  EPIC_ASSESSMENT: 'Epic assessment',
  STANDARD_COMPLIANCE: 'Standard compliance',
  KPI_REPORT: 'KPI report',
  PROFILE_CHANGE: 'Profile change',
  PRICE: 'Price',
};
const KINDS = Object.keys(KIND_LABELS) as EvidenceKind[];

const ENTITY_LABELS: Record<AuditEntity, string> = {
  ...KIND_LABELS, SUPPLIER: 'Supplier', FRAMEWORK_AWARD: 'Framework award', SPECIFICATION: 'Specification', SHORTLIST: 'Shortlist', COMPETITION: 'Competition',
  USER: 'Account', NOTIFICATION: 'Notification', WEBHOOK: 'Webhook', WEBHOOK_DELIVERY: 'Webhook delivery',
};
const ENTITIES = Object.keys(ENTITY_LABELS) as AuditEntity[];

const CERTIFICATION_LABELS: Record<CertificationType, string> = {
  ISO_27001: 'ISO/IEC 27001', ISO_9001: 'ISO 9001', ISO_22301: 'ISO 22301', ISO_20000_1: 'ISO/IEC 20000-1', ISO_14001: 'ISO 14001',
  CYBER_ESSENTIALS: 'Cyber Essentials', CYBER_ESSENTIALS_PLUS: 'Cyber Essentials Plus', MHRA_REGISTRATION: 'MHRA registration',
};
const CERTIFICATION_TYPES = Object.keys(CERTIFICATION_LABELS) as CertificationType[];
const AWARD_STATUSES: AwardStatus[] = ['ACTIVE', 'SUSPENDED', 'EXPIRED', 'WITHDRAWN'];

/** Ages the queue can be narrowed to, in days waited. */
const AGES = [
  { value: '', text: 'Any age' },
  { value: '7', text: 'Waiting 7 days or more' },
  { value: '14', text: 'Waiting 14 days or more' },
  { value: '30', text: 'Waiting 30 days or more' },
];

/** Earlier pages' cursors, newest last, carried in the URL so "Previous page" works without JavaScript. */
const MAX_TRAIL = 20;
const trailOf = (value: unknown): string[] =>
  (one(value) ?? '').split('.').filter((c) => /^[A-Za-z0-9_-]{1,512}$/.test(c)).slice(-MAX_TRAIL);

/**
 * Next and previous links by the API's cursors: the next page's URL carries this page's cursor on
 * its trail; the previous page is the trail's last cursor (or the first page).
 */
function pages(pathname: string, params: Record<string, string | undefined>, after: string | undefined, trail: string[], pageInfo: { hasNextPage: boolean; endCursor?: string | null }) {
  const nextTrail = after ? [...trail, after].slice(-MAX_TRAIL) : [];
  return {
    nextUrl: pageInfo.hasNextPage && pageInfo.endCursor ? urlOf(pathname, { ...params, after: pageInfo.endCursor, trail: nextTrail.join('.') }) : undefined,
    previousUrl: after ? urlOf(pathname, { ...params, after: trail.at(-1), trail: trail.slice(0, -1).join('.') }) : undefined,
  };
}

const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }) : '');

/** A document attached or removed is a version of the evidence: the audit row names the file. */
const DOCUMENT_ACTIONS: Record<string, string> = { 'evidence.document.attach': 'Document attached', 'evidence.document.remove': 'Document removed' };
function documentChange(action: string, after: unknown) {
  const d = (after as { document?: { filename?: string; sha256?: string } } | null)?.document;
  const named = d ? `${d.filename ?? ''} (SHA-256 ${d.sha256 ?? ''})` : '';
  return action === 'evidence.document.attach'
    ? { field: 'document', label: DOCUMENT_ACTIONS[action], before: '', after: named }
    : { field: 'document', label: DOCUMENT_ACTIONS[action], before: named, after: '' };
}

/** The assurance team's pages: the queue, one piece of evidence to verify or reject, expiring certificates, awards, audit trails. */
export function assuranceRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const assurance = web.requireViewer([Role.ASSURANCE]);

  // The evidence queue: oldest first, by kind, supplier and age, a page at a time.
  router.get('/assurance', assurance, async (req, res) => {
    const kind = one(req.query.kind);
    const supplier = one(req.query.supplier);
    const age = one(req.query.age);
    const params = { kind, supplier, age };
    const filter = {
      kinds: kind && (KINDS as string[]).includes(kind) ? [kind as EvidenceKind] : undefined,
      supplierId: supplier,
      olderThanDays: age && /^\d{1,5}$/.test(age) ? Number(age) : age ? -1 : undefined,
    };
    const [suppliers, paged] = await Promise.all([
      web.operations.run(req.viewer, AssuranceSuppliersDocument),
      fromCursor((after) => web.operations.run(req.viewer, AssuranceQueueDocument, { filter, first: PAGE_SIZE, after }), one(req.query.after)).catch((error) => {
        const problems = web.formErrors(error, { supplierId: 'supplier', olderThanDays: 'age', kinds: 'kind' });
        if (!problems) throw error;
        return { problems };
      }),
    ]);
    if ('problems' in paged) {
      // A filter the API refused (an edited link): the form, with what was wrong, and no results.
      return res.status(400).render('assurance/queue.njk', { ...queueForm(params, suppliers), errorList: paged.problems!.errorList, errors: paged.problems!.errors });
    }
    const { data, after, status, errorList } = paged;
    const trail = after ? trailOf(req.query.trail) : [];
    res.status(status).render('assurance/queue.njk', {
      ...queueForm(params, suppliers),
      errorList, errors: {},
      queue: data.evidenceQueue,
      unverified: data.unverified.totalCount,
      filtered: Boolean(kind || supplier || age),
      rows: data.evidenceQueue.edges.map(({ node }) => ({
        ...node, kindLabel: KIND_LABELS[node.kind], submitted: date(node.submittedAt), href: `/assurance/evidence/${node.kind}/${node.id}`,
      })),
      ...pages('/assurance', params, after, trail, data.evidenceQueue.pageInfo),
    });
  });

  function queueForm(params: { kind?: string; supplier?: string; age?: string }, suppliers: { suppliers: { edges: { node: { id: string; name: string } }[] } }) {
    return {
      params,
      kindItems: [{ value: '', text: 'Every kind' }, ...KINDS.map((k) => ({ value: k, text: KIND_LABELS[k], selected: params.kind === k }))],
      supplierItems: [{ value: '', text: 'Every supplier' }, ...suppliers.suppliers.edges.map(({ node }) => ({ value: node.id, text: node.name, selected: params.supplier === node.id }))],
      ageItems: AGES.map((a) => ({ ...a, selected: (params.age ?? '') === a.value })),
    };
  }

  /** One piece of evidence: what was submitted, its earlier versions, its context, and the decision forms. */
  async function renderEvidence(req: express.Request, res: express.Response, extra: Record<string, unknown> = {}, status = 200) {
    const kind = String(req.params.kind) as EvidenceKind;
    const id = String(req.params.id);
    if (!KINDS.includes(kind) || !UUID.test(id)) return web.notFound(req, res);
    const data = await web.operations.run(req.viewer, AssuranceEvidenceDocument, { kind, id, entity: kind });
    const item = data.evidenceItem;
    if (!item) return web.notFound(req, res);
    // Each version the supplier submitted (created or updated), newest first, with what changed from the one before.
    const versions = data.auditTrail
      .filter((e) => /\.(create|update)$/.test(e.action) || DOCUMENT_ACTIONS[e.action])
      .map((e) => ({
        version: (e.after as { version?: number } | null)?.version,
        when: date(e.occurredAt), who: e.actorSub, created: e.action.endsWith('.create'),
        changes: DOCUMENT_ACTIONS[e.action]
          ? [documentChange(e.action, e.after)]
          : fieldChanges(e.before, e.after).filter((c) => !['id', 'supplier', 'version', 'submittedAt', 'verificationStatus', 'reviewedAt', 'reviewedBy', 'rejectionReason', 'documents'].includes(c.field)),
      }))
      .reverse();
    const decisions = data.auditTrail
      .filter((e) => e.action === 'evidence.verify' || e.action === 'evidence.reject')
      .map((e) => ({ when: date(e.occurredAt), who: e.actorSub, verified: e.action === 'evidence.verify', reason: (e.after as { rejectionReason?: string } | null)?.rejectionReason }))
      .reverse();
    res.status(status).render('assurance/evidence.njk', {
      item, kindLabel: KIND_LABELS[item.kind], submitted: date(item.submittedAt),
      documents: (item.documents ?? []).map(documentRow),
      fields: item.fields.map((f) => ({ label: labelOf(f.name), value: f.value ?? '' })),
      versions, decisions,
      certifications: (item.supplier?.certifications ?? []).filter((c) => c.id !== item.id).map((c) => ({ ...c, label: CERTIFICATION_LABELS[c.type] })),
      errors: {}, reason: '',
      decided: one(req.query.decided),
      ...extra,
    });
  }
  router.get('/assurance/evidence/:kind/:id', assurance, (req, res) => renderEvidence(req, res));

  /** A decision answered CONFLICT: someone changed or decided it first. The current state, nothing written. */
  const conflict = (req: express.Request, res: express.Response) => renderEvidence(req, res, { conflict: true }, 409);

  router.post('/assurance/evidence/:kind/:id/verify', assurance, async (req, res) => {
    const kind = String(req.params.kind) as EvidenceKind;
    const id = String(req.params.id);
    const version = Number(req.body?.version);
    if (!KINDS.includes(kind) || !UUID.test(id) || !Number.isInteger(version)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, AssuranceVerifyDocument, { kind, id, version });
    } catch (error) {
      if (error instanceof OperationError && error.code === 'CONFLICT') return conflict(req, res);
      throw error;
    }
    res.redirect(303, `/assurance/evidence/${kind}/${id}?decided=verified`);
  });

  router.post('/assurance/evidence/:kind/:id/reject', assurance, async (req, res) => {
    const kind = String(req.params.kind) as EvidenceKind;
    const id = String(req.params.id);
    const version = Number(req.body?.version);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    if (!KINDS.includes(kind) || !UUID.test(id) || !Number.isInteger(version)) return web.notFound(req, res);
    try {
      await web.operations.run(req.viewer, AssuranceRejectDocument, { kind, id, version, reason });
    } catch (error) {
      if (error instanceof OperationError && error.code === 'CONFLICT') return conflict(req, res);
      const problems = web.formErrors(error, { reason: 'reason' });
      if (!problems) throw error;
      return renderEvidence(req, res, { errorList: problems.errorList, errors: problems.errors, reason }, 400);
    }
    res.redirect(303, `/assurance/evidence/${kind}/${id}?decided=rejected`);
  });

  // Certificates lapsing within N days, by type.
  router.get('/assurance/expiring', assurance, async (req, res) => {
    const days = one(req.query.days) ?? '90';
    const types = ([] as unknown[]).concat(req.query.type ?? []).filter((t): t is CertificationType => (CERTIFICATION_TYPES as unknown[]).includes(t));
    const typeItems = CERTIFICATION_TYPES.map((t) => ({ value: t, text: CERTIFICATION_LABELS[t], checked: types.includes(t) }));
    const withinDays = /^\d{1,4}$/.test(days) ? Number(days) : -1;
    try {
      const data = await web.operations.run(req.viewer, AssuranceExpiringDocument, { withinDays, types: types.length ? types : undefined });
      res.render('assurance/expiring.njk', {
        days, typeItems, errors: {},
        rows: data.expiringCertifications.map((c) => ({ ...c, label: CERTIFICATION_LABELS[c.type] })),
      });
    } catch (error) {
      const problems = web.formErrors(error, { withinDays: 'days' });
      if (!problems) throw error;
      const message = 'Enter a number of days from 0 to 366';
      res.status(400).render('assurance/expiring.njk', { days, typeItems, rows: [], errorList: [{ text: message, href: '#days' }], errors: { days: message } });
    }
  });

  // Framework awards by framework, supplier and status, with suspend and reinstate.
  router.get('/assurance/awards', assurance, async (req, res) => {
    const framework = one(req.query.framework);
    const supplier = one(req.query.supplier);
    const statusParam = one(req.query.status);
    const status = statusParam && (AWARD_STATUSES as string[]).includes(statusParam) ? (statusParam as AwardStatus) : undefined;
    const params = { framework, supplier, status };
    const [suppliers, paged] = await Promise.all([
      web.operations.run(req.viewer, AssuranceSuppliersDocument),
      fromCursor((after) => web.operations.run(req.viewer, AssuranceAwardsDocument, { framework, supplierId: supplier, status, first: PAGE_SIZE, after }), one(req.query.after)),
    ]);
    const { data, after, errorList } = paged;
    const trail = after ? trailOf(req.query.trail) : [];
    res.status(paged.status).render('assurance/awards.njk', {
      params, errorList,
      frameworkItems: [{ value: '', text: 'Every framework' }, ...data.frameworks.map((f) => ({ value: f.code, text: `${f.name} (${f.code})`, selected: framework?.toUpperCase() === f.code }))],
      supplierItems: [{ value: '', text: 'Every supplier' }, ...suppliers.suppliers.edges.map(({ node }) => ({ value: node.id, text: node.name, selected: supplier === node.id }))],
      statusItems: [{ value: '', text: 'Any status' }, ...AWARD_STATUSES.map((s) => ({ value: s, text: s.charAt(0) + s.slice(1).toLowerCase(), selected: status === s }))],
      awards: data.frameworkAwards,
      returnTo: urlOf('/assurance/awards', { framework, supplier, status, after, trail: trail.join('.') }),
      notice: one(req.query.done),
      ...pages('/assurance/awards', params, after, trail, data.frameworkAwards.pageInfo),
    });
  });

  /** The award to suspend, from its supplier's awards (there is no one-award query); undefined when none. */
  async function awardFor(req: express.Request) {
    const id = String(req.params.id);
    const supplierId = one(req.query.supplier) ?? one(req.body?.supplier);
    if (!UUID.test(id) || !supplierId || !UUID.test(supplierId)) return undefined;
    const { supplier } = await web.operations.run(req.viewer, AssuranceSupplierAwardsDocument, { id: supplierId });
    const award = supplier?.frameworkAwards.find((a) => a.id === id);
    return award && supplier ? { award, supplier } : undefined;
  }
  const back = (value: unknown) => {
    const url = one(value);
    if (!url || !url.startsWith('/') || url.startsWith('//') || url.includes('\\')) return '/assurance/awards';
    // Resolved first: "/assurance/awardsx/../../sign-out" must not pass as an awards address.
    const resolved = new URL(url, 'http://localhost');
    return resolved.origin === 'http://localhost' && (resolved.pathname === '/assurance/awards' || resolved.pathname.startsWith('/assurance/awards/'))
      ? `${resolved.pathname}${resolved.search}`
      : '/assurance/awards';
  };

  router.get('/assurance/awards/:id/suspend', assurance, async (req, res) => {
    const found = await awardFor(req);
    if (!found) return web.notFound(req, res);
    res.render('assurance/suspend.njk', { ...found, errors: {}, reason: '', returnTo: back(req.query.returnTo) });
  });

  router.post('/assurance/awards/:id/suspend', assurance, async (req, res) => {
    const found = await awardFor(req);
    if (!found) return web.notFound(req, res);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    const returnTo = back(req.body?.returnTo);
    try {
      await web.operations.run(req.viewer, AssuranceSuspendAwardDocument, { id: found.award.id, version: Number(req.body?.version) || 0, reason });
    } catch (error) {
      if (error instanceof OperationError && error.code === 'CONFLICT') {
        return res.status(409).render('assurance/suspend.njk', { ...found, errors: {}, reason, returnTo, conflict: true });
      }
      const problems = web.formErrors(error, { reason: 'reason' });
      if (!problems) throw error;
      return res.status(400).render('assurance/suspend.njk', { ...found, errorList: problems.errorList, errors: problems.errors, reason, returnTo });
    }
    res.redirect(303, `${returnTo}${returnTo.includes('?') ? '&' : '?'}done=suspended`);
  });

  router.post('/assurance/awards/:id/reinstate', assurance, async (req, res) => {
    const id = String(req.params.id);
    const version = Number(req.body?.version);
    if (!UUID.test(id) || !Number.isInteger(version)) return web.notFound(req, res);
    const returnTo = back(req.body?.returnTo);
    try {
      await web.operations.run(req.viewer, AssuranceReinstateAwardDocument, { id, version });
    } catch (error) {
      // Someone else changed it first: the list as it stands now says what happened.
      if (error instanceof OperationError && error.code === 'CONFLICT') return res.redirect(303, `${returnTo}${returnTo.includes('?') ? '&' : '?'}done=conflict`);
      throw error;
    }
    res.redirect(303, `${returnTo}${returnTo.includes('?') ? '&' : '?'}done=reinstated`);
  });

  // Any record's audit trail as a timeline, newest first.
  router.get('/assurance/audit/:entity/:id', assurance, async (req, res) => {
    const entity = String(req.params.entity) as AuditEntity;
    const id = String(req.params.id);
    if (!ENTITIES.includes(entity) || !UUID.test(id)) return web.notFound(req, res);
    const { auditTrail } = await web.operations.run(req.viewer, AssuranceAuditTrailDocument, { entity, id });
    res.render('assurance/audit.njk', {
      entity, id, entityLabel: ENTITY_LABELS[entity],
      evidenceHref: (KINDS as string[]).includes(entity) ? `/assurance/evidence/${entity}/${id}` : undefined,
      events: auditTrail
        .map((e) => ({ ...e, when: date(e.occurredAt), changes: fieldChanges(e.before, e.after), created: !e.before }))
        .reverse(),
    });
  });

  return router;
}
