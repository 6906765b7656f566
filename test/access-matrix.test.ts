import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/graphql/context.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { PublicationStatus } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { ensureUser } from '../src/modules/user/user.store.js';

/**
 * One test per cell of role × operation × own/other tenant. OK means data and no error; HIDDEN means
 * null data (the record's existence is private); otherwise the error code expected.
 */
type Actor = 'PUBLIC' | 'SUPPLIER' | 'BUYER' | 'ASSURANCE';
type Target = 'own' | 'other' | '-';
type Outcome = 'OK' | 'HIDDEN' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

let api: TestApi;
const ids: Record<'own' | 'other', { supplier: string; solution: string; draft: string; ods: string }> = {} as never;
const now = today();
let lotCursor = 0;
let hssfLots: string[] = [];

const viewer = (actor: Actor): Viewer =>
  actor === 'PUBLIC' ? as.public() : actor === 'SUPPLIER' ? as.supplier(ids.own.supplier) : actor === 'BUYER' ? as.buyer('02T') : as.assurance();

async function freshCertification(target: 'own' | 'other'): Promise<{ id: string; version: number }> {
  const { rows } = await api.db.sql(
    `INSERT INTO certification (id, supplier_id, type, certificate_number, certifying_body, valid_from, valid_until, verification_status)
     VALUES (gen_random_uuid(), $1, 'ISO_9001', 'QM ' || floor(random() * 1e6), 'Matrix Certification Ltd', $2, $3, 'SUBMITTED') RETURNING id, version`,
    [ids[target].supplier, addDays(now, -10), addDays(now, 300)],
  );
  return rows[0];
}

async function freshAward(target: 'own' | 'other', status: 'ACTIVE' | 'SUSPENDED'): Promise<{ id: string; version: number }> {
  const lot = hssfLots[lotCursor++ % hssfLots.length];
  const { rows } = await api.db.sql(
    `INSERT INTO framework_award (id, supplier_id, lot_id, awarded_on, expires_on, recorded_status, suspension_reason)
     VALUES (gen_random_uuid(), $1, $2, '2024-01-01', '2027-12-31', $3, $4)
     ON CONFLICT (supplier_id, lot_id) DO UPDATE SET recorded_status = EXCLUDED.recorded_status, suspension_reason = EXCLUDED.suspension_reason
     RETURNING id, version`,
    [ids[target].supplier, lot, status, status === 'SUSPENDED' ? 'matrix' : null],
  );
  return rows[0];
}

/** A profile change awaiting review for the target supplier (any earlier pending one withdrawn first). */
async function freshProfileChange(target: 'own' | 'other'): Promise<{ id: string; version: number }> {
  await clearPendingProfileChange(target);
  const { rows } = await api.db.sql(
    `INSERT INTO supplier_profile_change (id, supplier_id, website) VALUES (gen_random_uuid(), $1, 'https://matrix-' || floor(random() * 1e9) || '.example') RETURNING id, version`,
    [ids[target].supplier],
  );
  return rows[0];
}

async function clearPendingProfileChange(target: 'own' | 'other'): Promise<void> {
  await api.db.sql(`UPDATE supplier_profile_change SET verification_status = 'WITHDRAWN' WHERE supplier_id = $1 AND verification_status = 'SUBMITTED'`, [ids[target].supplier]);
}

/** A notification in the inbox of the viewer's own account ('own') or of a person of the other supplier ('other'). */
async function freshNotification(v: Viewer, target: 'own' | 'other'): Promise<string> {
  const owner: Viewer = target === 'own' && v.kind !== 'anonymous' ? v : as.supplier(ids.other.supplier, 'matrix-other-person');
  if (owner.kind === 'anonymous') throw new Error('unreachable');
  const userId = await ensureUser(api.orm.em.fork(), { viewer: owner });
  const { rows } = await api.db.sql(
    `WITH e AS (INSERT INTO notification_event (kind, dedupe_key, supplier_id, subject, body, link_path, created_at)
                VALUES ('CERTIFICATE_EXPIRING', 'matrix:' || gen_random_uuid(), $1, 'Matrix', 'Matrix', '/', now()) RETURNING id)
     INSERT INTO notification (event_id, user_id, created_at, email_status) SELECT e.id, $2, now(), 'NOT_WANTED' FROM e RETURNING id`,
    [ids.own.supplier, userId],
  );
  return rows[0].id;
}

/** A dead-lettered delivery to a webhook of the own or other supplier. */
async function deadDelivery(target: 'own' | 'other'): Promise<string> {
  const { rows } = await api.db.sql(
    `WITH h AS (INSERT INTO webhook (supplier_id, url, secret, created_by) VALUES ($1, 'https://hooks.example/x', 's', 'matrix') RETURNING id),
          e AS (INSERT INTO notification_event (kind, dedupe_key, supplier_id, subject, body, link_path, created_at)
                VALUES ('CERTIFICATE_EXPIRING', 'matrix:' || gen_random_uuid(), $1, 'Matrix', 'Matrix', '/', now()) RETURNING id)
     INSERT INTO webhook_delivery (webhook_id, event_id, status, attempts, created_at, window_started_at, dead_at)
     SELECT h.id, e.id, 'DEAD', 12, now(), now(), now() FROM h, e RETURNING id`,
    [ids[target].supplier],
  );
  return rows[0].id;
}

const cert = (n: string) => ({ type: 'ISO_22301', certificateNumber: n, certifyingBody: 'Matrix Certification Ltd', validFrom: '2026-01-01', validUntil: '2028-01-01' });
let counter = 0;

interface Operation {
  name: string;
  targets: Target[];
  run: (v: Viewer, target: Target) => Promise<GraphQLResult>;
  expected: (actor: Actor, target: Target) => Outcome;
}

/** Supplier mutations: the supplier on its own records only. */
const supplierOwn = (actor: Actor, target: Target): Outcome =>
  actor === 'PUBLIC' ? 'UNAUTHENTICATED' : actor !== 'SUPPLIER' ? 'FORBIDDEN' : target === 'other' ? 'FORBIDDEN' : 'OK';
/** Assurance operations: the assurance team, on anyone's records. */
const assuranceOnly = (actor: Actor): Outcome => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : actor === 'ASSURANCE' ? 'OK' : 'FORBIDDEN');
/** Private reads: the assurance team, and the supplier on its own records. */
const privateRead = (actor: Actor, target: Target): Outcome =>
  actor === 'ASSURANCE' || (actor === 'SUPPLIER' && target === 'own') ? 'OK' : actor === 'PUBLIC' && target === '-' ? 'UNAUTHENTICATED' : 'FORBIDDEN';

const operations: Operation[] = [
  {
    name: 'createCertification',
    targets: ['-'],
    run: (v) => api.query(`mutation($i: CertificationInput!) { createCertification(input: $i) { id } }`, { i: cert(`BC ${++counter}`) }, v),
    expected: supplierOwn,
  },
  {
    name: 'updateCertification',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshCertification(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!, $i: CertificationInput!) { updateCertification(id: $id, version: $v, input: $i) { id } }`, { id: c.id, v: c.version, i: cert(`BC ${++counter}`) }, v);
    },
    expected: supplierOwn,
  },
  {
    name: 'withdrawCertification',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshCertification(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { withdrawCertification(id: $id, version: $v) { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: supplierOwn,
  },
  {
    name: 'publishDsptAssessment',
    targets: ['-'],
    run: (v) =>
      api.query(`mutation($i: DsptPublicationInput!) { publishDsptAssessment(input: $i) { id } }`, { i: { cycle: '2025-26', status: 'STANDARDS_MET', publishedOn: '2026-06-01' } }, v),
    expected: supplierOwn,
  },
  {
    name: 'claimCapability',
    targets: ['own', 'other'],
    run: (v, t) =>
      api.query(`mutation($i: CapabilityClaimInput!) { claimCapability(input: $i) { id } }`, { i: { solutionId: ids[t as 'own'].solution, capability: 'C12', result: 'PASSED_FULL' } }, v),
    expected: supplierOwn,
  },
  {
    name: 'claimEpic',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`mutation($i: EpicClaimInput!) { claimEpic(input: $i) { id } }`, { i: { solutionId: ids[t as 'own'].solution, epic: 'C5E2', result: 'PASSED' } }, v),
    expected: supplierOwn,
  },
  {
    name: 'claimStandard',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`mutation($i: StandardClaimInput!) { claimStandard(input: $i) { id } }`, { i: { solutionId: ids[t as 'own'].solution, standard: 'S25', status: 'MET' } }, v),
    expected: supplierOwn,
  },
  {
    name: 'submitKpiReport',
    targets: ['own', 'other'],
    run: (v, t) =>
      api.query(`mutation($i: KpiReportInput!) { submitKpiReport(input: $i) { id } }`, { i: { kpiCode: 'P1_RESOLVED_4H', period: '2026-08', value: 97.5, solutionId: ids[t as 'own'].solution } }, v),
    expected: supplierOwn,
  },
  {
    name: 'submitKpiReports',
    targets: ['own', 'other'],
    run: (v, t) =>
      api.query(`mutation($r: [KpiReportInput!]!) { submitKpiReports(reports: $r) { id } }`, { r: [{ kpiCode: `BATCH_${++counter}`, period: '2026-08', value: 97.5, solutionId: ids[t as 'own'].solution }] }, v),
    expected: supplierOwn,
  },
  {
    name: 'updateSupplierProfile',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const { rows } = await api.db.sql(`SELECT version FROM supplier WHERE id = $1`, [ids[t as 'own'].supplier]);
      return api.query(`mutation($id: ID!, $v: Int!) { updateSupplierProfile(id: $id, version: $v, input: { summary: "Updated" }) { id } }`, { id: ids[t as 'own'].supplier, v: rows[0].version }, v);
    },
    expected: supplierOwn,
  },
  {
    name: 'requestSupplierProfileChange',
    targets: ['own', 'other'],
    run: async (v, t) => {
      await clearPendingProfileChange(t as 'own');
      return api.query(`mutation($s: ID!, $i: SupplierProfileChangeInput!) { requestSupplierProfileChange(supplierId: $s, input: $i) { id } }`,
        { s: ids[t as 'own'].supplier, i: { name: `Matrix Renamed ${++counter}` } }, v);
    },
    expected: supplierOwn,
  },
  {
    name: 'withdrawSupplierProfileChange',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshProfileChange(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { withdrawSupplierProfileChange(id: $id, version: $v) { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: supplierOwn,
  },
  {
    name: 'verifyEvidence(PROFILE_CHANGE)',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshProfileChange(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { verifyEvidence(kind: PROFILE_CHANGE, id: $id, version: $v) { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'rejectEvidence(PROFILE_CHANGE)',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshProfileChange(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { rejectEvidence(kind: PROFILE_CHANGE, id: $id, version: $v, reason: "Not yours") { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'Supplier.pendingProfileChange and profileChanges',
    targets: ['own', 'other'],
    run: async (v, t) => {
      await freshProfileChange(t as 'own');
      return api.query(`query($id: ID!) { supplier(id: $id) { pendingProfileChange { id } profileChanges { id } } }`, { id: ids[t as 'own'].supplier }, v);
    },
    expected: (actor, target) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : privateRead(actor, target)),
  },
  {
    name: 'verifyEvidence',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshCertification(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: $v) { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'rejectEvidence',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshCertification(t as 'own');
      return api.query(`mutation($id: ID!, $v: Int!) { rejectEvidence(kind: CERTIFICATION, id: $id, version: $v, reason: "Expired scope") { id } }`, { id: c.id, v: c.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'suspendFrameworkAward',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const a = await freshAward(t as 'own', 'ACTIVE');
      return api.query(`mutation($id: ID!, $v: Int!) { suspendFrameworkAward(id: $id, version: $v, reason: "Audit") { id } }`, { id: a.id, v: a.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'reinstateFrameworkAward',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const a = await freshAward(t as 'own', 'SUSPENDED');
      return api.query(`mutation($id: ID!, $v: Int!) { reinstateFrameworkAward(id: $id, version: $v) { id } }`, { id: a.id, v: a.version }, v);
    },
    expected: assuranceOnly,
  },
  {
    name: 'evidenceQueue',
    targets: ['-'],
    run: (v) => api.query(`{ evidenceQueue(first: 5) { totalCount } }`, {}, v),
    expected: assuranceOnly,
  },
  {
    name: 'evidenceQueue(filter)',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($s: ID) { evidenceQueue(first: 5, filter: { supplierId: $s, kinds: [CERTIFICATION] }) { totalCount } }`, { s: ids[t as 'own'].supplier }, v),
    expected: assuranceOnly,
  },
  {
    name: 'evidenceItem',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const c = await freshCertification(t as 'own');
      return api.query(`query($id: ID!) { evidenceItem(kind: CERTIFICATION, id: $id) { id fields { name } } }`, { id: c.id }, v);
    },
    // A supplier reads its own (the page where it attaches documents).
    expected: (a, t) => (a === 'PUBLIC' ? 'UNAUTHENTICATED' : privateRead(a, t)),
  },
  {
    name: 'frameworkAwards',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($s: ID) { frameworkAwards(supplierId: $s, first: 5) { totalCount edges { node { id } } } }`, { s: ids[t as 'own'].supplier }, v),
    expected: assuranceOnly,
  },
  {
    name: 'auditTrail',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const { rows } = await api.db.sql(`SELECT entity_id FROM audit_event WHERE supplier_id = $1 AND entity_type = 'SUPPLIER' LIMIT 1`, [ids[t as 'own'].supplier]);
      return api.query(`query($id: ID!) { auditTrail(entity: SUPPLIER, id: $id) { action } }`, { id: rows[0].entity_id }, v);
    },
    expected: (actor, target) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : privateRead(actor, target)),
  },
  {
    name: 'Supplier.certifications(includeUnverified)',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($id: ID!) { supplier(id: $id) { certifications(includeUnverified: true) { id } } }`, { id: ids[t as 'own'].supplier }, v),
    expected: privateRead,
  },
  {
    name: 'Solution.capabilities(includeUnverified)',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($id: ID!) { solution(id: $id) { capabilities(includeUnverified: true) { id } } }`, { id: ids[t as 'own'].solution }, v),
    expected: privateRead,
  },
  {
    name: 'Supplier.dsptHistory(includeUnverified)',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($id: ID!) { supplier(id: $id) { dsptHistory(includeUnverified: true) { id } } }`, { id: ids[t as 'own'].supplier }, v),
    expected: privateRead,
  },
  {
    name: 'Supplier.kpiReports(includeUnverified)',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($id: ID!) { supplier(id: $id) { kpiReports(includeUnverified: true) { id } } }`, { id: ids[t as 'own'].supplier }, v),
    expected: privateRead,
  },
  {
    name: 'Solution.epics and standards(includeUnverified)',
    targets: ['own', 'other'],
    run: (v, t) =>
      api.query(`query($id: ID!) { solution(id: $id) { epics(includeUnverified: true) { id } standards(includeUnverified: true) { id } } }`, { id: ids[t as 'own'].solution }, v),
    expected: privateRead,
  },
  {
    name: 'FrameworkAward.suspensionReason',
    targets: ['own', 'other'],
    run: async (v, t) => {
      await freshAward(t as 'own', 'SUSPENDED');
      return api.query(`query($id: ID!) { supplier(id: $id) { frameworkAwards { suspensionReason } } }`, { id: ids[t as 'own'].supplier }, v);
    },
    expected: (actor, target) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : privateRead(actor, target)),
  },
  {
    name: 'claimCapability on a draft solution',
    targets: ['own', 'other'],
    run: (v, t) =>
      api.query(`mutation($i: CapabilityClaimInput!) { claimCapability(input: $i) { id } }`, { i: { solutionId: ids[t as 'own'].draft, capability: 'C13', result: 'PASSED_FULL' } }, v),
    // Another supplier's draft is not known to exist: NOT_FOUND, as solution(id) answers null.
    expected: (actor, target) => (actor === 'SUPPLIER' && target === 'other' ? ('NOT_FOUND' as Outcome) : supplierOwn(actor, target)),
  },
  {
    name: 'suppliers(filter: { includeUnverified })',
    targets: ['-'],
    run: (v) => api.query(`{ suppliers(filter: { includeUnverified: true }) { totalCount } }`, {}, v),
    expected: (actor) => (actor === 'ASSURANCE' || actor === 'SUPPLIER' ? 'OK' : 'FORBIDDEN'),
  },
  {
    name: 'expiringCertifications(includeUnverified)',
    targets: ['-'],
    run: (v) => api.query(`{ expiringCertifications(withinDays: 30, includeUnverified: true) { id } }`, {}, v),
    expected: (actor) => (actor === 'ASSURANCE' ? 'OK' : 'FORBIDDEN'),
  },
  {
    name: 'solution(id) of a draft',
    targets: ['own', 'other'],
    run: (v, t) => api.query(`query($id: ID!) { solution(id: $id) { id } }`, { id: ids[t as 'own'].draft }, v),
    expected: (actor, target) => (actor === 'ASSURANCE' || (actor === 'SUPPLIER' && target === 'own') ? 'OK' : 'HIDDEN'),
  },
  {
    name: 'notifications',
    targets: ['-'],
    run: (v) => api.query(`{ notifications(first: 5) { id } unreadNotificationCount }`, {}, v),
    expected: (actor) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : 'OK'),
  },
  {
    name: 'markNotificationRead',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const id = await freshNotification(v, t as 'own');
      return api.query(`mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }`, { id }, v);
    },
    // Another person's notification is not found: its existence is private, whatever the role.
    expected: (actor, target) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : target === 'own' ? 'OK' : 'NOT_FOUND'),
  },
  {
    name: 'setNotificationPreferences',
    targets: ['-'],
    run: (v) => api.query(`mutation { setNotificationPreferences(emailKinds: [CERTIFICATE_EXPIRING]) { kinds { kind email } } }`, {}, v),
    expected: (actor) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : 'OK'),
  },
  {
    name: 'jobRuns',
    targets: ['-'],
    run: (v) => api.query(`{ jobRuns(first: 5) { id } }`, {}, v),
    expected: assuranceOnly,
  },
  {
    name: 'webhooks',
    targets: ['-'],
    run: (v) => api.query(`{ webhooks { id } }`, {}, v),
    expected: (actor) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : actor === 'ASSURANCE' ? 'FORBIDDEN' : 'OK'),
  },
  {
    name: 'createWebhook',
    targets: ['-'],
    run: (v) => api.query(`mutation { createWebhook(url: "https://hooks.example/matrix") { secret } }`, {}, v),
    expected: (actor) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : actor === 'ASSURANCE' ? 'FORBIDDEN' : 'OK'),
  },
  {
    name: 'webhookDeliveries',
    targets: ['-'],
    run: (v) => api.query(`{ webhookDeliveries(first: 5, status: DEAD) { id } }`, {}, v),
    expected: (actor) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : 'OK'),
  },
  {
    name: 'replayWebhookDelivery',
    targets: ['own', 'other'],
    run: async (v, t) => {
      const id = await deadDelivery(t as 'own');
      return api.query(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }`, { id }, v);
    },
    // The supplier that owns the webhook, or the assurance team.
    expected: (actor, target) => (actor === 'PUBLIC' ? 'UNAUTHENTICATED' : actor === 'ASSURANCE' || (actor === 'SUPPLIER' && target === 'own') ? 'OK' : 'FORBIDDEN'),
  },
];

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    { name: 'Matrix Own', odsCode: 'MXOWN', solutions: [{ name: 'Matrix Own GP' }, { name: 'Matrix Own Draft', status: PublicationStatus.DRAFT }] },
    { name: 'Matrix Other', odsCode: 'MXOTH', solutions: [{ name: 'Matrix Other GP' }, { name: 'Matrix Other Draft', status: PublicationStatus.DRAFT }] },
  ]);
  for (const [target, name] of [['own', 'Matrix Own'], ['other', 'Matrix Other']] as const) {
    const supplier = suppliers[name].id;
    const sol = (await api.db.sql(`SELECT id, name FROM solution WHERE supplier_id = $1 ORDER BY name`, [supplier])).rows;
    ids[target] = { supplier, draft: sol.find((s) => s.name.endsWith('Draft'))!.id, solution: sol.find((s) => s.name.endsWith('GP'))!.id, ods: '' };
    // An audited change on each supplier, so each has a trail to read.
    const version = (await api.db.sql(`SELECT version FROM supplier WHERE id = $1`, [supplier])).rows[0].version;
    const res = await api.query(`mutation($id: ID!, $v: Int!) { updateSupplierProfile(id: $id, version: $v, input: { summary: "Seeded" }) { id } }`, { id: supplier, v: version }, as.supplier(supplier));
    expect(res.errors).toBeUndefined();
  }
  hssfLots = (await api.db.sql(`SELECT l.id FROM lot l JOIN framework f ON f.id = l.framework_id ORDER BY f.code, l.number`)).rows.map((r) => r.id);
});
afterAll(() => api?.close());

const actors: Actor[] = ['PUBLIC', 'SUPPLIER', 'BUYER', 'ASSURANCE'];
const cells = operations.flatMap((op) => actors.flatMap((actor) => op.targets.map((target) => ({ op, actor, target, outcome: op.expected(actor, target) }))));

describe('access matrix', () => {
  it.each(cells.map((c) => [c.op.name, c.actor, c.target, c.outcome, c] as const))('%s as %s on %s record: %s', async (_n, actor, target, outcome, cell) => {
    const res = await cell.op.run(viewer(actor), target);
    if (outcome === 'OK') {
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(Object.values(res.data ?? {})[0]).not.toBeNull();
    } else if (outcome === 'HIDDEN') {
      expect(res.errors).toBeUndefined();
      expect(Object.values(res.data ?? {})[0]).toBeNull();
    } else {
      expect([...new Set(res.errors?.map((e) => e.extensions?.code))], JSON.stringify(res.errors)).toEqual([outcome]);
    }
  });
});
