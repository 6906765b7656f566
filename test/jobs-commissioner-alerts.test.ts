import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { rejudge } from '../src/modules/alerts/alerts.service.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { startWorkers, type Workers } from '../src/modules/jobs/workers.js';
import { HostingType } from '../src/modules/solution/solution.entity.js';
import { verifyWebhookSignature } from '../src/modules/webhook/webhook.delivery.js';
import { ensureUser } from '../src/modules/user/user.store.js';
import { as, createTestApi, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';
import { decoded, header, startSmtpServer } from './helpers/mail.js';

/**
 * Alerts to commissioners, on a clock the test moves: a shortlisted solution that stops meeting a MUST
 * requirement tells the shortlist's owning organisation once (which requirement, before and after, and
 * why), found by the nightly sweep (time) or by draining the outbox a change filled in its own
 * transaction (the API here runs no workers, as a WORKERS=0 replica).
 */
let api: TestApi;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let workers: Workers | undefined;
const clock = new ManualClock('2027-06-30T07:00:00Z');
const baseUrl = 'https://catalogue.example.nhs.uk';
const supplier: Record<string, string> = {};
const solution: Record<string, string> = {};
const shortlist: Record<string, string> = {};

/** Each organisation's webhook receiver (a local HTTP server) and what it got, signature checked on arrival. */
interface Hit { path: string; body: string; valid: boolean; headers: http.IncomingHttpHeaders }
const hooks: { server?: http.Server; url: string; secrets: Record<string, string>; hits: Hit[] } = { url: '', secrets: {}, hits: [] };

const start = (listen = false) =>
  startWorkers({
    orm: api.orm,
    logger: silentLogger,
    clock,
    email: { smtpUrl: smtp.url, from: 'Catalogue <no-reply@catalogue.example>', baseUrl },
    schedule: false,
    chain: false,
    listen,
  });

// Every supplier holds what the specifications ask, unless its own lines below say otherwise.
const holder = (name: string, over: Partial<SupplierSpec> = {}): SupplierSpec => ({
  name,
  certs: [{ type: CertificationType.CYBER_ESSENTIALS_PLUS, from: '2026-01-01', until: '2029-12-31' }],
  dspt: [{ cycle: '2026-27', status: DsptStatus.STANDARDS_MET, publishedOn: '2026-11-01' }],
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]], hosting: [HostingType.PUBLIC_CLOUD] }],
  ...over,
});
// Its only DSPT publication (cycle 2025-26) is current until 30 June 2027.
const lapsing = [{ cycle: '2025-26', status: DsptStatus.STANDARDS_MET, publishedOn: '2026-06-01' }];

const MUSTS = [
  { code: 'DSPT-01', title: 'DSPT Standards Met', priority: 'MUST', weight: 1, criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } },
  { code: 'CE-01', title: 'Cyber Essentials Plus', priority: 'MUST', weight: 1, criterion: { type: 'CERTIFICATION', certification: 'CYBER_ESSENTIALS_PLUS' } },
  { code: 'FW-01', title: 'DCS award', priority: 'MUST', weight: 1, criterion: { type: 'FRAMEWORK', frameworks: ['DCS'] } },
  { code: 'HOST-01', title: 'Public cloud', priority: 'SHOULD', weight: 10, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } },
];
const spec = (title: string, ownerOdsCode: string, over: Record<string, unknown> = {}) => ({
  title,
  ownerOdsCode,
  frameworkCodes: ['DCS'],
  kpis: [],
  requirements: MUSTS,
  contractStart: '2027-01-01',
  termMonths: 24,
  ...over,
});

async function createSpec(odsCode: string, input: Record<string, unknown>): Promise<string> {
  const res = await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, { input }, as.buyer(odsCode));
  expect(res.errors).toBeUndefined();
  return res.data!.createSpecification.id;
}

async function createShortlist(odsCode: string, specificationId: string, entries: { name: string; included: boolean }[], finalise = true): Promise<string> {
  const created = await api.query(
    `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`,
    { input: { specificationId, entries: entries.map((e) => ({ solutionId: solution[e.name], included: e.included, rationale: e.included ? null : 'Not this time' })) } },
    as.buyer(odsCode),
  );
  expect(created.errors).toBeUndefined();
  const { id, version } = created.data!.createShortlist;
  if (finalise) {
    const done = await api.query(`mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { status } }`, { id, version }, as.buyer(odsCode));
    expect(done.errors).toBeUndefined();
  }
  return id;
}

async function alerts(): Promise<{ dedupe_key: string; ods_code: string; subject: string; body: string; link_path: string; payload: any }[]> {
  return (await api.db.sql(`SELECT dedupe_key, ods_code, subject, body, link_path, payload FROM notification_event WHERE kind = 'SHORTLISTED_SOLUTION_LAPSED' ORDER BY created_at, dedupe_key`)).rows;
}
/** An RFC 2047 header in plain words (nodemailer Q-encodes non-ASCII subjects). */
const mimeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_m, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
const inbox = async (sub: string) =>
  (await api.db.sql(`SELECT e.subject FROM notification n JOIN app_user u ON u.id = n.user_id JOIN notification_event e ON e.id = n.event_id WHERE u.sub = $1`, [sub])).rows;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  smtp = await startSmtpServer();
  const made = await insertSuppliers(api.orm, [
    holder('Lapsing', { dspt: lapsing }),
    holder('Steady'),
    holder('Excluded', { dspt: lapsing }),
    holder('Certified'),
    holder('Awarded'),
    holder('Published'),
  ]);
  for (const [name, s] of Object.entries(made)) {
    supplier[name] = s.id;
    solution[name] = (await api.db.sql(`SELECT id FROM solution WHERE name = $1`, [`${name} GP`])).rows[0].id;
  }
  await ensureUser(api.orm.em.fork(), { viewer: as.buyer('B84001', 'buyer-a') as never, email: 'buyer.a@practice.example' });
  await ensureUser(api.orm.em.fork(), { viewer: as.buyer('B84002', 'buyer-b') as never, email: 'buyer.b@practice.example' });

  const specA = await createSpec('B84001', spec('Practice A clinical system', 'B84001'));
  shortlist.A = await createShortlist('B84001', specA, [
    { name: 'Lapsing', included: true },
    { name: 'Steady', included: true },
    { name: 'Excluded', included: false },
  ]);
  // Another organisation's shortlist of the same supplier: told nothing about A's.
  shortlist.B = await createShortlist('B84002', await createSpec('B84002', spec('Practice B clinical system', 'B84002')), [{ name: 'Steady', included: true }]);
  // A contract that ended on 31 December 2026: no longer watched.
  shortlist.C = await createShortlist('B84001', await createSpec('B84001', spec('Ended contract', 'B84001', { contractStart: '2026-01-01', termMonths: 12 })), [{ name: 'Lapsing', included: true }]);
  // The DSPT only a SHOULD here.
  const shouldOnly = [MUSTS[2], { ...MUSTS[0], priority: 'SHOULD', weight: 5 }];
  shortlist.D = await createShortlist('B84001', await createSpec('B84001', spec('DSPT preferred', 'B84001', { requirements: shouldOnly })), [{ name: 'Lapsing', included: true }]);
  const specE = await createSpec('B84001', spec('Certificates', 'B84001'));
  shortlist.E = await createShortlist('B84001', specE, [{ name: 'Certified', included: true }]);
  shortlist.F = await createShortlist('B84001', specE, [{ name: 'Certified', included: true }], false); // open
  shortlist.G = await createShortlist('B84001', await createSpec('B84001', spec('Awards', 'B84001')), [{ name: 'Awarded', included: true }, { name: 'Published', included: true }]);
  // Both organisations register a webhook: A's must get A's alert, B's nothing.
  hooks.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const org = req.url!.split('/').pop()!;
      const valid = verifyWebhookSignature(hooks.secrets[org] ?? '', { timestamp: req.headers['x-timestamp'] as string, signature: req.headers['x-signature'] as string }, body, Math.floor(clock.now().getTime() / 1000));
      hooks.hits.push({ path: req.url!, body, valid, headers: req.headers });
      res.statusCode = valid ? 204 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hooks.server!.listen(0, '127.0.0.1', resolve));
  hooks.url = `http://127.0.0.1:${(hooks.server.address() as AddressInfo).port}/hooks`;
  for (const [org, sub] of [['B84001', 'buyer-a'], ['B84002', 'buyer-b']]) {
    const made = await api.query('mutation($url: String!) { createWebhook(url: $url) { secret webhook { odsCode supplierId } } }', { url: `${hooks.url}/${org}` }, as.buyer(org, sub));
    expect(made.errors).toBeUndefined();
    expect(made.data!.createWebhook.webhook).toEqual({ odsCode: org, supplierId: null });
    hooks.secrets[org] = made.data!.createWebhook.secret;
  }
  // Setting up filled the outbox; the scenarios start from an empty one.
  await api.db.sql(`DELETE FROM rejudge_request`);
  workers = await start();
});

afterAll(async () => {
  await workers?.stop();
  await new Promise((resolve) => (hooks.server ? hooks.server.close(resolve) : resolve(undefined)));
  await smtp?.close();
  await api?.close();
});

describe('the nightly sweep', () => {
  it('finds nothing while everything holds (30 June): the open shortlist is watched from now on', async () => {
    const run = await workers!.runNow('commissioner-alerts-sweep');
    expect(run.state).toBe('completed');
    expect(await alerts()).toEqual([]);
    // The open shortlist's baseline is what it is now; the finalised ones compare with their snapshot.
    const watched = await api.db.sql(`SELECT requirement_code, status FROM shortlist_watch WHERE shortlist_id = $1 ORDER BY requirement_code`, [shortlist.F]);
    expect(watched.rows).toEqual([
      { requirement_code: 'CATALOGUE', status: 'MET' },
      { requirement_code: 'CE-01', status: 'MET' },
      { requirement_code: 'DSPT-01', status: 'MET' },
      { requirement_code: 'FW-01', status: 'MET' },
    ]);
  });

  it('a DSPT publication lapsing on 30 June alerts the owner of the finalised shortlist, naming the requirement, before and after, and why; by email too', async () => {
    clock.set('2027-07-01T05:30:00Z');
    await workers!.runNow('commissioner-alerts-sweep');
    const raised = await alerts();
    // Only A's included Lapsing entry: not the excluded one, not C (term ended), not D (a SHOULD).
    expect(raised).toHaveLength(1);
    const [alert] = raised;
    expect(alert.ods_code).toBe('B84001');
    expect(alert.link_path).toBe(`/shortlists/${shortlist.A}`);
    expect(alert.subject).toBe('Lapsing GP no longer meets DSPT-01 DSPT Standards Met on your shortlist for “Practice A clinical system”');
    expect(alert.payload).toMatchObject({ shortlistId: shortlist.A, solutionId: solution.Lapsing, supplierId: supplier.Lapsing, judgedOn: '2027-07-01' });
    // Judged mid-term: the sentence says the contract is running, not that it is yet to start.
    expect(alert.payload.requirements).toEqual([
      {
        code: 'DSPT-01',
        title: 'DSPT Standards Met',
        before: 'MET',
        after: 'NOT_MET',
        reason: 'DSPT 2025-26 publication of 2026-06-01 is current only until 2027-06-30, which has passed: the contract has been running since 2027-01-01 (judged on 2027-07-01).',
      },
    ]);
    expect(alert.body).toContain('Lapsing GP (Lapsing), included on your finalised shortlist for “Practice A clinical system”');
    expect(alert.body).toContain('DSPT-01 DSPT Standards Met: was MET, now NOT_MET.');

    // The owning organisation's people are told; the other organisation's are not.
    expect(await inbox('buyer-a')).toEqual([{ subject: alert.subject }]);
    expect(await inbox('buyer-b')).toEqual([]);
    await workers!.runNow('deliver-emails');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].to).toEqual(['buyer.a@practice.example']);
    expect(mimeWords(header(smtp.messages[0].raw, 'Subject')!)).toBe(alert.subject);
    expect(decoded(smtp.messages[0].raw)).toContain(`${baseUrl}/shortlists/${shortlist.A}`);
  });

  it('the alert reaches the owning organisation’s webhook, signed (X-Signature HMAC over timestamp and body); the other organisation’s gets nothing', async () => {
    const [alert] = await alerts();
    await workers!.runNow('deliver-webhooks');
    expect(hooks.hits.map((h) => [h.path, h.valid])).toEqual([['/hooks/B84001', true]]);
    const [hit] = hooks.hits;
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const { event } = JSON.parse(hit.body);
    expect(event).toMatchObject({ kind: 'SHORTLISTED_SOLUTION_LAPSED', odsCode: 'B84001', subject: alert.subject, link: `${baseUrl}/shortlists/${shortlist.A}` });
    expect(event.data).toMatchObject({ shortlistId: shortlist.A, solutionId: solution.Lapsing, judgedOn: '2027-07-01' });
    expect(event.data.requirements).toEqual([{ code: 'DSPT-01', title: 'DSPT Standards Met', before: 'MET', after: 'NOT_MET', reason: expect.stringContaining('current only until 2027-06-30') }]);
    // Signed with A's secret: B's secret, a changed body or a stale timestamp fail the receiver's check.
    const signed = { timestamp: hit.headers['x-timestamp'] as string, signature: hit.headers['x-signature'] as string };
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(verifyWebhookSignature(hooks.secrets.B84002, signed, hit.body, now)).toBe(false);
    expect(verifyWebhookSignature(hooks.secrets.B84001, signed, hit.body.replace('NOT_MET', 'MET'), now)).toBe(false);
    expect(verifyWebhookSignature(hooks.secrets.B84001, signed, hit.body, now + 301)).toBe(false);
    // Delivered once: another run sends nothing.
    await workers!.runNow('deliver-webhooks');
    expect(hooks.hits).toHaveLength(1);
    const deliveries = await api.query('{ webhookDeliveries(first: 5) { status attempts } }', {}, as.buyer('B84001', 'buyer-a'));
    expect(deliveries.data!.webhookDeliveries).toEqual([{ status: 'DELIVERED', attempts: 1 }]);
    expect((await api.query('{ webhookDeliveries(first: 5) { status } }', {}, as.buyer('B84002', 'buyer-b'))).data!.webhookDeliveries).toEqual([]);
  });

  it('a rerun sends nothing twice', async () => {
    await workers!.runNow('commissioner-alerts-sweep');
    clock.set('2027-07-02T05:30:00Z');
    await workers!.runNow('commissioner-alerts-sweep');
    await workers!.runNow('deliver-emails');
    expect(await alerts()).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    const runs = await api.db.sql(`SELECT outcome, summary FROM job_run WHERE job = 'commissioner-alerts-sweep' ORDER BY started_at`);
    expect(runs.rows.map((r) => r.outcome)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(runs.rows.map((r) => r.summary.events)).toEqual([0, 1, 0, 0]);
  });
});

describe('in the catalogue', () => {
  it('the buyer reads the alert in their notifications, linked to the shortlist page; the preferences list the kind to buyers, not to suppliers', async () => {
    const read = await api.query('{ notifications(first: 5) { kind subject path } notificationPreferences { kinds { kind label email } } }', {}, as.buyer('B84001', 'buyer-a'));
    expect(read.errors).toBeUndefined();
    expect(read.data!.notifications).toEqual([{ kind: 'SHORTLISTED_SOLUTION_LAPSED', subject: expect.stringContaining('DSPT-01'), path: `/shortlists/${shortlist.A}` }]);
    expect(read.data!.notificationPreferences.kinds).toEqual([{ kind: 'SHORTLISTED_SOLUTION_LAPSED', label: 'A shortlisted solution no longer meets a requirement', email: true }]);
    const supplierKinds = await api.query('{ notificationPreferences { kinds { kind } } }', {}, as.supplier(supplier.Steady));
    expect(supplierKinds.data!.notificationPreferences.kinds.map((k: { kind: string }) => k.kind)).not.toContain('SHORTLISTED_SOLUTION_LAPSED');
    // A buyer turning it off leaves the supplier kinds alone (they never get them).
    const off = await api.query('mutation { setNotificationPreferences(emailKinds: []) { kinds { kind email } } }', {}, as.buyer('B84002', 'buyer-b'));
    expect(off.data!.setNotificationPreferences.kinds).toEqual([{ kind: 'SHORTLISTED_SOLUTION_LAPSED', email: false }]);
    expect((await api.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE sub = 'buyer-b'`)).rows[0].email_disabled_kinds).toEqual(['SHORTLISTED_SOLUTION_LAPSED']);
  });
});

describe('after a change (the outbox)', () => {
  it('a certificate withdrawn through the API alerts after the drain: the API ran no workers, the request committed with the change', async () => {
    const [cert] = (await api.db.sql(`SELECT id, version FROM certification WHERE supplier_id = $1`, [supplier.Certified])).rows;
    const res = await api.query(`mutation($id: ID!, $version: Int!) { withdrawCertification(id: $id, version: $version) { verificationStatus } }`, { id: cert.id, version: cert.version }, as.supplier(supplier.Certified));
    expect(res.errors).toBeUndefined();
    expect((await api.db.sql(`SELECT DISTINCT supplier_id FROM rejudge_request`)).rows).toEqual([{ supplier_id: supplier.Certified }]);

    await workers!.runNow('commissioner-alerts');
    expect((await api.db.sql(`SELECT count(*)::int AS n FROM rejudge_request`)).rows[0].n).toBe(0);
    const raised = (await alerts()).filter((a) => a.payload.solutionId === solution.Certified);
    // The finalised shortlist (against its snapshot) and the open one (against its baseline).
    expect(raised.map((a) => a.link_path).sort()).toEqual([`/shortlists/${shortlist.E}`, `/shortlists/${shortlist.F}`].sort());
    for (const a of raised) {
      expect(a.payload.requirements).toEqual([{ code: 'CE-01', title: 'Cyber Essentials Plus', before: 'MET', after: 'NO_EVIDENCE', reason: expect.any(String) }]);
    }
    expect(raised.find((a) => a.link_path.endsWith(shortlist.F))!.body).toContain('included on your open shortlist');

    await workers!.runNow('commissioner-alerts');
    await workers!.runNow('commissioner-alerts-sweep');
    expect((await alerts()).filter((a) => a.payload.solutionId === solution.Certified)).toHaveLength(2);
  });

  it('an award suspended through the API alerts: the framework requirement and being offered at all, in one alert', async () => {
    const [award] = (await api.db.sql(`SELECT id, version FROM framework_award WHERE supplier_id = $1`, [supplier.Awarded])).rows;
    const res = await api.query(`mutation($id: ID!, $version: Int!) { suspendFrameworkAward(id: $id, reason: "Under investigation", version: $version) { id } }`, { id: award.id, version: award.version }, as.assurance());
    expect(res.errors).toBeUndefined();
    await workers!.runNow('commissioner-alerts');
    const raised = (await alerts()).filter((a) => a.payload.solutionId === solution.Awarded);
    expect(raised).toHaveLength(1);
    expect(raised[0].subject).toBe('Awarded GP no longer meets 2 MUST requirements on your shortlist for “Awards”');
    expect(raised[0].payload.requirements).toEqual([
      { code: 'CATALOGUE', title: expect.stringContaining('active award'), before: 'MET', after: 'NOT_MET', reason: expect.stringContaining('suspended') },
      { code: 'FW-01', title: 'DCS award', before: 'MET', after: 'NOT_MET', reason: 'No active award on the required frameworks or lots.' },
    ]);
  });

  it('an unpublished solution alerts; republished it recovers silently, and unpublished again it alerts again', async () => {
    const unpublished = (n: number) => raisedFor(solution.Published).then((r) => expect(r).toHaveLength(n));
    const raisedFor = async (id: string) => (await alerts()).filter((a) => a.payload.solutionId === id);
    await api.db.sql(`UPDATE solution SET publication_status = 'UNPUBLISHED' WHERE id = $1`, [solution.Published]);
    await workers!.runNow('commissioner-alerts');
    await unpublished(1);
    expect((await raisedFor(solution.Published))[0].payload.requirements).toEqual([
      { code: 'CATALOGUE', title: expect.any(String), before: 'MET', after: 'NOT_MET', reason: expect.stringContaining('no longer listed') },
    ]);
    await api.db.sql(`UPDATE solution SET publication_status = 'PUBLISHED' WHERE id = $1`, [solution.Published]);
    await workers!.runNow('commissioner-alerts');
    await unpublished(1);
    await api.db.sql(`UPDATE solution SET publication_status = 'UNPUBLISHED' WHERE id = $1`, [solution.Published]);
    await workers!.runNow('commissioner-alerts');
    await unpublished(2);
  });

  it('a change to a supplier on no watched shortlist is drained and judges nothing', async () => {
    const [other] = Object.values(await insertSuppliers(api.orm, [holder('Unlisted elsewhere')]));
    await workers!.runNow('commissioner-alerts');
    const [run] = (await api.db.sql(`SELECT summary FROM job_run WHERE job = 'commissioner-alerts' ORDER BY started_at DESC LIMIT 1`)).rows;
    expect(run.summary).toMatchObject({ shortlists: 0, specifications: 0, events: 0 });
    expect(run.summary.requests).toBeGreaterThan(0);
    expect((await api.db.sql(`SELECT count(*)::int AS n FROM rejudge_request WHERE supplier_id = $1`, [other.id])).rows[0].n).toBe(0);
  });

  it('a committed change wakes the drain at once (LISTEN/NOTIFY), without waiting for the schedule', async () => {
    await workers!.stop();
    workers = await start(true);
    const before = Number((await api.db.sql(`SELECT count(*) FROM job_run WHERE job = 'commissioner-alerts'`)).rows[0].count);
    await api.db.sql(`UPDATE certification SET certifying_body = 'Renamed body' WHERE supplier_id = $1`, [supplier.Steady]);
    for (let i = 0; i < 200; i++) {
      const { rows } = await api.db.sql(`SELECT count(*) AS runs, (SELECT count(*) FROM rejudge_request) AS waiting FROM job_run WHERE job = 'commissioner-alerts' AND outcome = 'SUCCEEDED'`);
      if (Number(rows[0].runs) > before && Number(rows[0].waiting) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the drain did not run after the commit');
  });
});

describe('cost', () => {
  const statementsToRejudge = async (supplierIds: string[]) => {
    const { statements } = await countStatements(() => api.orm.em.fork().transactional((em) => rejudge(api.orm, em, clock.now(), supplierIds)));
    return statements;
  };

  it('re-judging after one change: the same statements however many unrelated suppliers, shortlists and requirements there are', async () => {
    // Steady is on A and B (two specifications): BEGIN, find, judge A, judge B, record, COMMIT.
    const small = await statementsToRejudge([supplier.Steady]);
    expect(small).toBe(6);

    const names = Array.from({ length: 10 }, (_, i) => `Unrelated ${i}`);
    const made = await insertSuppliers(api.orm, names.map((n) => holder(n)));
    for (const n of names) solution[n] = (await api.db.sql(`SELECT id FROM solution WHERE name = $1`, [`${n} GP`])).rows[0].id;
    const many = [...MUSTS, ...Array.from({ length: 8 }, (_, i) => ({ ...MUSTS[1], code: `CE-${i + 2}` }))];
    for (const [i, n] of names.entries()) await createShortlist(i % 2 ? 'B84001' : 'B84002', await createSpec(i % 2 ? 'B84001' : 'B84002', spec(`Unrelated ${i}`, i % 2 ? 'B84001' : 'B84002', { requirements: many })), [{ name: n, included: true }]);
    expect(await statementsToRejudge([supplier.Steady])).toBe(small);
    // Ten unrelated suppliers changing at once: one more specification each is judged, nothing per requirement.
    expect(await statementsToRejudge(Object.values(made).map((s) => s.id))).toBe(2 + 1 + 10 + 1);
  });
});
