import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { startWorkers, type Workers } from '../src/modules/jobs/workers.js';
import { createMetrics } from '../src/http/observability.js';
import { dsptDue, kpiPeriodDue, runReminders } from '../src/modules/notification/reminders.js';
import { ensureUser } from '../src/modules/user/user.store.js';
import { deliverEmails } from '../src/modules/notification/email.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/mail.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * The other reminder kinds (KPI report overdue, rejected evidence not resubmitted, DSPT due), that
 * each kind is decided set-wise (as many statements for 30 suppliers as for 1), and a reminders run
 * that dies part-way and is run again by pg-boss, sending nothing twice.
 */
let db: TestDatabase;
const clock = new ManualClock('2027-03-01T07:00:00Z');
const ids: Record<string, string> = {};

const keys = async (kind: string) =>
  (await db.sql(`SELECT dedupe_key FROM notification_event WHERE kind = $1 ORDER BY dedupe_key`, [kind])).rows.map((r) => r.dedupe_key as string);
const remind = () => runReminders(db.orm.em.fork(), clock.now());

beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
  const suppliers = await insertSuppliers(db.orm, [
    { name: 'Reporter Ltd', odsCode: 'REP01' },
    { name: 'Punctual Ltd', odsCode: 'PUN01' },
    { name: 'Rejected Ltd', odsCode: 'REJ01' },
    { name: 'Dormant Ltd', odsCode: 'DOR01', active: false },
  ]);
  for (const [name, s] of Object.entries(suppliers)) ids[name.split(' ')[0].toLowerCase()] = s.id;
  // Both report KPIs monthly; Punctual has reported February, Reporter has not.
  for (const period of ['2026-12', '2027-01']) {
    for (const supplier of [ids.reporter, ids.punctual, ids.dormant]) {
      await db.sql(`INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value, verification_status) VALUES (gen_random_uuid(), $1, 'AVAILABILITY_CORE_HOURS', $2, 99.9, 'VERIFIED')`, [supplier, period]);
    }
  }
  await db.sql(`INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value) VALUES (gen_random_uuid(), $1, 'AVAILABILITY_CORE_HOURS', '2027-02', 99.7)`, [ids.punctual]);
  // Punctual also reports P1 resolution, once (October): its February figure is missing too.
  await db.sql(`INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value, verification_status) VALUES (gen_random_uuid(), $1, 'P1_RESOLUTION_4H', '2026-10', 97, 'VERIFIED')`, [ids.punctual]);
  // Verified DSPT publications for the cycle due in 2027, so DSPT reminders stay out of the way here.
  for (const ods of ['REP01', 'PUN01', 'REJ01']) {
    await db.sql(`INSERT INTO dspt_assessment (id, ods_code, cycle, status, published_on, verification_status) VALUES (gen_random_uuid(), $1, '2026-27', 'STANDARDS_MET', '2027-02-01', 'VERIFIED')`, [ods]);
  }
});
afterAll(() => db?.drop());

describe('the calendar rules', () => {
  it('DSPT is due from 1 May to 30 June, with a final reminder from 16 June', () => {
    expect(dsptDue('2027-04-30')).toBeNull();
    expect(dsptDue('2027-05-01')).toEqual({ cycle: '2026-27', deadline: '2027-06-30', stage: 'OPEN' });
    expect(dsptDue('2027-06-16')).toMatchObject({ stage: 'FINAL' });
    expect(dsptDue('2027-07-01')).toBeNull();
    expect(dsptDue('2100-05-01')).toMatchObject({ cycle: '2099-00' });
  });

  it("last month's KPI report is due by the 10th", () => {
    expect(kpiPeriodDue('2027-03-09')).toBeNull();
    expect(kpiPeriodDue('2027-03-10')).toBe('2027-02');
    expect(kpiPeriodDue('2027-01-31')).toBe('2026-12');
  });
});

describe('KPI reports', () => {
  it("reminds a supplier whose last month's figure is missing for a KPI it reported in the year before, from the 10th, once, naming each KPI", async () => {
    clock.set('2027-03-09T23:00:00Z');
    await remind();
    expect(await keys('KPI_REPORT_OVERDUE')).toEqual([]);
    clock.set('2027-03-10T07:00:00Z');
    const counts = await remind();
    expect(counts.KPI_REPORT_OVERDUE.events).toBe(2);
    expect(await keys('KPI_REPORT_OVERDUE')).toEqual([`KPI_REPORT_OVERDUE:${ids.punctual}:2027-02`, `KPI_REPORT_OVERDUE:${ids.reporter}:2027-02`].sort());
    const payloads = (await db.sql(`SELECT supplier_id, payload FROM notification_event WHERE kind = 'KPI_REPORT_OVERDUE'`)).rows;
    expect(payloads.find((p) => p.supplier_id === ids.punctual).payload.kpiCodes).toEqual(['P1_RESOLUTION_4H']);
    expect(payloads.find((p) => p.supplier_id === ids.reporter).payload.kpiCodes).toEqual(['AVAILABILITY_CORE_HOURS']);
    expect((await remind()).KPI_REPORT_OVERDUE.events).toBe(0);
  });
});

describe('rejected evidence', () => {
  it('reminds 14 days after a rejection that was not resubmitted; a resubmission (or a new rejection) is judged afresh', async () => {
    const { rows } = await db.sql(
      `INSERT INTO certification (id, supplier_id, type, certificate_number, certifying_body, valid_from, valid_until, verification_status, reviewed_at, rejection_reason)
       VALUES (gen_random_uuid(), $1, 'ISO_9001', 'QM-9', 'Matrix Ltd', '2027-01-01', '2029-12-31', 'REJECTED', '2027-03-01T09:00:00Z', 'The scope does not cover the hosted service')
       RETURNING id, version`,
      [ids.rejected],
    );
    clock.set('2027-03-15T08:59:00Z');
    await remind();
    expect(await keys('EVIDENCE_NOT_RESUBMITTED')).toEqual([]);
    clock.set('2027-03-15T09:01:00Z');
    await remind();
    await remind();
    expect(await keys('EVIDENCE_NOT_RESUBMITTED')).toEqual([`EVIDENCE_NOT_RESUBMITTED:CERTIFICATION:${rows[0].id}:${rows[0].version}`]);
    const [event] = (await db.sql(`SELECT subject, body, payload FROM notification_event WHERE kind = 'EVIDENCE_NOT_RESUBMITTED'`)).rows;
    expect(event.subject).toBe('Rejected certificate not yet resubmitted');
    expect(event.body).toContain('The scope does not cover the hosted service');
    // Resubmitted: nothing more; rejected again (a new version) and left: reminded again 14 days later.
    await db.sql(`UPDATE certification SET verification_status = 'SUBMITTED', version = version + 1 WHERE id = $1`, [rows[0].id]);
    clock.set('2027-04-01T09:00:00Z');
    await remind();
    expect(await keys('EVIDENCE_NOT_RESUBMITTED')).toHaveLength(1);
    await db.sql(`UPDATE certification SET verification_status = 'REJECTED', version = version + 1, reviewed_at = '2027-04-01T09:00:00Z' WHERE id = $1`, [rows[0].id]);
    clock.set('2027-04-16T09:00:00Z');
    await remind();
    expect(await keys('EVIDENCE_NOT_RESUBMITTED')).toHaveLength(2);
  });
});

describe('without SMTP_URL', () => {
  it('emails are logged and marked SKIPPED, never sent later in a flood', async () => {
    const { rows } = await db.sql(`SELECT id FROM supplier WHERE name = 'Rejected Ltd'`);
    await ensureUser(db.orm.em.fork(), { viewer: { kind: 'supplier', role: Role.SUPPLIER, sub: 'rejected-1', supplierId: rows[0].id }, email: 'one@rejected.example' });
    await db.sql(`UPDATE certification SET reviewed_at = '2027-04-20T09:00:00Z', version = version + 1 WHERE supplier_id = $1`, [rows[0].id]);
    clock.set('2027-05-05T09:00:00Z');
    await remind();
    const logged: unknown[] = [];
    const logger = { info: (d: unknown) => logged.push(d), warn() {}, error() {} };
    const counts = await deliverEmails(db.orm.em.fork(), clock.now(), null, { from: 'x@catalogue.example', baseUrl: 'https://catalogue.example' }, logger);
    expect(counts).toMatchObject({ sent: 0, skipped: 1 });
    expect(logged).toEqual([expect.objectContaining({ kind: 'EVIDENCE_NOT_RESUBMITTED' })]);
    expect((await db.sql(`SELECT n.email_status FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.sub = 'rejected-1'`)).rows).toEqual([{ email_status: 'SKIPPED' }]);
  });
});

describe('set-wise', () => {
  it('decides each kind in the same number of statements for 30 suppliers as for 1', async () => {
    const measure = async (n: number, day: string) => {
      const specs = Array.from({ length: n }, (_, i) => ({
        name: `Setwise ${day} ${i}`,
        certs: [{ type: CertificationType.ISO_27001, from: '2026-01-01', until: day, number: `SW-${day}-${i}` }],
      }));
      await insertSuppliers(db.orm, specs);
      clock.set(`${day}T00:00:00Z`);
      clock.advanceDays(-20);
      const { result, statements } = await countStatements(() => remind());
      expect(result.CERTIFICATE_EXPIRING.events).toBe(n);
      return statements;
    };
    const one = await measure(1, '2028-01-31');
    const thirty = await measure(30, '2028-03-31');
    expect(thirty).toBe(one);
    expect(one).toBeLessThanOrEqual(4 * 4); // per kind: begin, decide, insert with fan-out, commit
  });
});

describe('a run that dies part-way', () => {
  let workers: Workers | undefined;
  afterAll(async () => workers?.stop());

  it('is run again by pg-boss: the kinds committed before the failure are not sent twice, the rest are sent once', async () => {
    const smtp = await startSmtpServer();
    try {
      const { rows } = await db.sql(`SELECT id FROM supplier WHERE name = 'Reporter Ltd'`);
      await ensureUser(db.orm.em.fork(), { viewer: { kind: 'supplier', role: Role.SUPPLIER, sub: 'reporter-1', supplierId: rows[0].id }, email: 'one@reporter.example' });
      await db.sql(
        `INSERT INTO certification (id, supplier_id, type, certificate_number, certifying_body, valid_from, valid_until, verification_status)
         VALUES (gen_random_uuid(), $1, 'CYBER_ESSENTIALS', 'CE-7', 'Matrix Ltd', '2027-06-01', '2028-06-30', 'VERIFIED')`,
        [rows[0].id],
      );
      await db.sql(`INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value) VALUES (gen_random_uuid(), $1, 'AVAILABILITY_CORE_HOURS', '2028-03', 99.5)`, [rows[0].id]);
      clock.set('2028-05-10T07:00:00Z'); // certificate 51 days out (the 90-day reminder), April's KPI report overdue, DSPT 2027-28 due
      workers = await startWorkers({
        orm: db.orm, logger: silentLogger, clock, schedule: false, chain: true, retryDelaySeconds: 0, pollingIntervalSeconds: 0.5,
        email: { smtpUrl: smtp.url, from: 'x@catalogue.example', baseUrl: 'https://catalogue.example' },
        fault: { job: 'reminders', times: 1, afterReminderKinds: 1 },
      });
      const job = await workers.runNow('reminders', { settled: true });
      expect(job.state).toBe('completed');
      expect(job.retryCount).toBe(1);
      const runs = (await db.sql(`SELECT outcome, error FROM job_run WHERE job = 'reminders' ORDER BY started_at`)).rows;
      expect(runs).toEqual([
        { outcome: 'FAILED', error: 'injected crash after 1 reminder kinds' },
        { outcome: 'SUCCEEDED', error: null },
      ]);
      expect((await keys('CERTIFICATE_EXPIRING')).filter((k) => k.includes(':2028-06-30:'))).toHaveLength(1);
      expect((await keys('KPI_REPORT_OVERDUE')).filter((k) => k.endsWith(':2028-04'))).toHaveLength(1);
      // The delivery jobs chained after the successful run send each email once.
      await workers.runNow('deliver-emails');
      const subjects = smtp.messages.filter((m) => m.to.includes('one@reporter.example')).map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]);
      expect(subjects.sort()).toEqual([
        'Your Cyber Essentials certificate CE-7 expires in 51 days',
        'Your DSPT 2027-28 publication is due by 2028-06-30',
        'Your KPI report for 2028-04 is overdue',
      ]);

      const metrics = await createMetrics(db.orm).registry.metrics();
      expect(metrics).toMatch(/jobs_runs_last_24h\{job="reminders",outcome="FAILED"\} 1/);
      expect(metrics).toMatch(/jobs_last_success_timestamp_seconds\{job="reminders"\} \d+/);
      expect(metrics).toMatch(/notification_deliveries\{channel="webhook",status="DEAD"\} 0/);
    } finally {
      await smtp.close();
    }
  });
});
