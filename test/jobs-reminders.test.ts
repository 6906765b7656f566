import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { silentLogger } from '../src/common/logger.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { startWorkers, type Workers } from '../src/modules/jobs/workers.js';
import { ensureUser } from '../src/modules/user/user.store.js';
import { unsubscribeUrl } from '../src/modules/notification/unsubscribe.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { decoded, header, startSmtpServer } from './helpers/mail.js';

/**
 * Reminders to suppliers on a clock the test moves: 90, 30 and 7 days before a certificate expires,
 * each sent once across reruns and across a restart of the workers; emailed to a local SMTP server.
 */
let db: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let workers: Workers | undefined;
const clock = new ManualClock('2026-12-01T07:00:00Z'); // 120 days before the expiry
let supplierId: string;
const baseUrl = 'https://catalogue.example.nhs.uk';

const start = () =>
  startWorkers({ orm: db.orm, logger: silentLogger, clock, email: { smtpUrl: smtp.url, from: 'Catalogue <no-reply@catalogue.example>', baseUrl, unsubscribeSecret: 'reminders-test-session-secret-0123456789' }, schedule: false, chain: false });

async function events(kind: string): Promise<{ dedupe_key: string; subject: string }[]> {
  return (await db.sql(`SELECT dedupe_key, subject FROM notification_event WHERE kind = $1 ORDER BY created_at, dedupe_key`, [kind])).rows;
}

beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
  smtp = await startSmtpServer();
  const suppliers = await insertSuppliers(db.orm, [
    { name: 'Expiring Ltd', odsCode: 'EXP01', certs: [{ type: CertificationType.CYBER_ESSENTIALS_PLUS, from: '2026-03-01', until: '2027-03-31', number: 'CEP-1' }] },
  ]);
  supplierId = suppliers['Expiring Ltd'].id;
  // A verified DSPT for the cycle due in 2027 so only certificate reminders are raised here.
  await db.sql(`INSERT INTO dspt_assessment (id, ods_code, cycle, status, published_on, verification_status) VALUES (gen_random_uuid(), 'EXP01', '2026-27', 'STANDARDS_MET', '2027-04-01', 'VERIFIED')`);
  await ensureUser(db.orm.em.fork(), { viewer: { kind: 'supplier', role: Role.SUPPLIER, sub: 'alice', supplierId }, email: 'Alice@Expiring.example' });
  await ensureUser(db.orm.em.fork(), { viewer: { kind: 'supplier', role: Role.SUPPLIER, sub: 'bob', supplierId } }); // no email
});

afterAll(async () => {
  await workers?.stop();
  await smtp?.close();
  await db?.drop();
});

describe('certificate reminders', () => {
  it('sends nothing more than 90 days before expiry', async () => {
    workers = await start();
    const job = await workers.runNow('reminders');
    expect(job.state).toBe('completed');
    expect(await events('CERTIFICATE_EXPIRING')).toEqual([]);
  });

  it('at 90 days: one event, one inbox row per person of the supplier, one email to the one with an address', async () => {
    clock.set('2027-01-01T07:00:00Z'); // 89 days before 2027-03-31
    await workers!.runNow('reminders');
    await workers!.runNow('reminders'); // a rerun sends nothing twice
    expect((await events('CERTIFICATE_EXPIRING')).map((e) => e.dedupe_key)).toEqual([expect.stringMatching(/:2027-03-31:90$/)]);
    const inbox = await db.sql(`SELECT u.sub, n.email_status FROM notification n JOIN app_user u ON u.id = n.user_id ORDER BY u.sub`);
    expect(inbox.rows).toEqual([{ sub: 'alice', email_status: 'PENDING' }, { sub: 'bob', email_status: 'NO_ADDRESS' }]);

    await workers!.runNow('deliver-emails');
    await workers!.runNow('deliver-emails');
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.to).toEqual(['alice@expiring.example']);
    expect(header(mail.raw, 'Subject')).toMatch(/Cyber Essentials Plus certificate CEP-1 expires in 89 days/);
    // RFC 8058 one-click: a signed link for this person and kind first, then the preferences page.
    const aliceId = (await db.sql(`SELECT id FROM app_user WHERE sub = 'alice'`)).rows[0].id;
    expect(header(mail.raw, 'List-Unsubscribe')).toBe(
      `<${unsubscribeUrl(baseUrl, 'reminders-test-session-secret-0123456789', aliceId, 'CERTIFICATE_EXPIRING')}>, <${baseUrl}/notifications/preferences>`,
    );
    expect(header(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.raw).toMatch(/multipart\/alternative/);
    expect(mail.raw).toContain('text/html');
    expect(decoded(mail.raw)).toContain(`${baseUrl}/suppliers/${supplierId}`);
    expect(decoded(mail.raw)).toContain(`<a href="${baseUrl}/suppliers/${supplierId}">`);
  });

  it('survives a restart: stopped and started again, the workers send nothing twice, then the 30-day reminder once', async () => {
    await workers!.stop();
    workers = await start();
    await workers.runNow('reminders');
    expect(await events('CERTIFICATE_EXPIRING')).toHaveLength(1);

    clock.set('2027-03-02T07:00:00Z'); // 29 days before
    await workers.runNow('reminders');
    await workers.stop();
    workers = await start();
    await workers.runNow('reminders');
    await workers.runNow('deliver-emails');
    expect((await events('CERTIFICATE_EXPIRING')).map((e) => e.dedupe_key.split(':').pop())).toEqual(['90', '30']);
    expect(smtp.messages).toHaveLength(2);

    clock.set('2027-03-25T07:00:00Z'); // 6 days before
    await workers.runNow('reminders');
    await workers.runNow('reminders');
    await workers.runNow('deliver-emails');
    expect((await events('CERTIFICATE_EXPIRING')).map((e) => e.dedupe_key.split(':').pop())).toEqual(['90', '30', '7']);
    expect(smtp.messages.map((m) => header(m.raw, 'Subject'))).toEqual([
      expect.stringMatching(/in 89 days/), expect.stringMatching(/in 29 days/), expect.stringMatching(/in 6 days/),
    ]);
  });

  it('records every run for the assurance team', async () => {
    const runs = await db.sql(`SELECT job, outcome FROM job_run ORDER BY started_at`);
    expect(runs.rows.length).toBeGreaterThanOrEqual(10);
    expect(new Set(runs.rows.map((r) => r.outcome))).toEqual(new Set(['SUCCEEDED']));
  });
});
