import { decodeTypedCursor, encodeCursor } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { mutate } from '../../common/mutation.js';
import { queryRows, rawSql, sql } from '../../common/sql.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { ensureUser } from '../user/user.store.js';
import { NotificationErrors } from './notification.errors.js';
import { ALL_KINDS, NOTIFICATION_KINDS, type NotificationKind } from './notification.kinds.js';
import { NotificationPreferences, NotificationView } from './notification.types.js';

interface Row {
  id: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  link_path: string;
  created_at: Date;
  read_at: Date | null;
  micros: string;
}

const COLUMNS = rawSql(`n.id, e.kind, e.subject, e.body, e.link_path, n.created_at, n.read_at, (extract(epoch from n.created_at) * 1000000)::bigint::text AS micros`);

const view = (r: Row): NotificationView =>
  Object.assign(new NotificationView(), { id: r.id, kind: r.kind, subject: r.subject, body: r.body, path: r.link_path, createdAt: r.created_at, readAt: r.read_at, cursorMicros: r.micros });

export const notificationCursor = (n: NotificationView) => encodeCursor([n.cursorMicros, n.id]);

/** The signed-in person's inbox: only ever their own rows (found through their `sub`), newest first. */
export class NotificationService {
  constructor(private readonly ctx: Context) {}

  private signedIn() {
    const viewer = this.ctx.viewer;
    if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
    return viewer;
  }

  async list(first: number, unreadOnly: boolean, after?: string | null): Promise<NotificationView[]> {
    const viewer = this.signedIn();
    const cursor = after ? decodeTypedCursor<[string, string]>(after, ['digits', 'uuid']) : null;
    const rows = await queryRows<Row>(
      this.ctx.em,
      sql`SELECT ${COLUMNS}
            FROM notification n
            JOIN app_user u ON u.id = n.user_id
            JOIN notification_event e ON e.id = n.event_id
           WHERE u.sub = ${viewer.sub}
             ${unreadOnly ? rawSql('AND n.read_at IS NULL') : rawSql('')}
             ${cursor ? sql`AND (n.created_at, n.id) < (to_timestamp(${cursor[0]}::bigint / 1000000.0), ${cursor[1]}::uuid)` : rawSql('')}
           ORDER BY n.created_at DESC, n.id DESC
           LIMIT ${first}`,
    );
    return rows.map(view);
  }

  async unreadCount(): Promise<number> {
    const viewer = this.signedIn();
    const [row] = await queryRows<{ n: string }>(
      this.ctx.em,
      sql`SELECT count(*) AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.sub = ${viewer.sub} AND n.read_at IS NULL`,
    );
    return Number(row.n);
  }

  /** Marks one of the person's notifications read (again: no change). Another person's, or none: NOT_FOUND. */
  markRead(id: string): Promise<NotificationView> {
    if (!UUID.test(id)) throw NotificationErrors.invalidId();
    const viewer = this.signedIn();
    return mutate(this.ctx, 'notification', async ({ em, audit }) => {
      const [row] = await queryRows<Row & { user_id: string; was_read: boolean }>(
        em,
        sql`WITH target AS (
              SELECT n.id, n.read_at IS NOT NULL AS was_read FROM notification n JOIN app_user u ON u.id = n.user_id
               WHERE n.id = ${id}::uuid AND u.sub = ${viewer.sub} FOR UPDATE OF n)
            UPDATE notification n SET read_at = coalesce(n.read_at, clock_timestamp())
              FROM target, notification_event e
             WHERE n.id = target.id AND e.id = n.event_id
            RETURNING ${COLUMNS}, n.user_id, target.was_read`,
      );
      if (!row) throw NotificationErrors.notFound();
      if (!row.was_read) {
        audit.record({ action: 'notification.read', entityType: AuditEntity.NOTIFICATION, entityId: row.id, supplierId: viewer.kind === 'supplier' ? viewer.supplierId : null, before: { readAt: null }, after: { readAt: row.read_at } });
      }
      return view(row);
    });
  }

  /** Marks every unread notification of the person read; answers how many changed. */
  markAllRead(): Promise<number> {
    const viewer = this.signedIn();
    return mutate(this.ctx, 'notification', async ({ em, audit }) => {
      const [row] = await queryRows<{ user_id: string | null; n: string }>(
        em,
        sql`WITH changed AS (
              UPDATE notification n SET read_at = clock_timestamp() FROM app_user u
               WHERE u.id = n.user_id AND u.sub = ${viewer.sub} AND n.read_at IS NULL
              RETURNING n.user_id)
            SELECT (SELECT user_id FROM changed LIMIT 1) AS user_id, (SELECT count(*) FROM changed) AS n`,
      );
      const n = Number(row.n);
      if (n > 0) {
        audit.record({ action: 'notification.read_all', entityType: AuditEntity.USER, entityId: row.user_id!, supplierId: viewer.kind === 'supplier' ? viewer.supplierId : null, before: null, after: { marked: n } });
      }
      return n;
    });
  }

  async preferences(): Promise<NotificationPreferences> {
    const viewer = this.signedIn();
    const [row] = await queryRows<{ email: string | null; disabled: string[] }>(
      this.ctx.em,
      sql`SELECT email, email_disabled_kinds AS disabled FROM app_user WHERE sub = ${viewer.sub}`,
    );
    return preferencesOf(row?.email ?? null, row?.disabled ?? []);
  }

  /** Email for exactly these kinds (every other kind off). Creates the person's account if it is missing. */
  setEmailKinds(kinds: NotificationKind[]): Promise<NotificationPreferences> {
    const viewer = this.signedIn();
    const disabled = ALL_KINDS.filter((k) => !kinds.includes(k));
    return mutate(this.ctx, 'notification preference', async ({ em, audit }) => {
      const userId = await ensureUser(em, { viewer });
      if (!userId) throw IdentityErrors.notYours('supplier');
      const [before] = await queryRows<{ disabled: string[] }>(em, sql`SELECT email_disabled_kinds AS disabled FROM app_user WHERE id = ${userId} FOR UPDATE`);
      const [row] = await queryRows<{ email: string | null; disabled: string[] }>(
        em,
        sql`UPDATE app_user SET email_disabled_kinds = ${`{${disabled.join(',')}}`}::text[], updated_at = now() WHERE id = ${userId}
            RETURNING email, email_disabled_kinds AS disabled`,
      );
      audit.record({
        action: 'user.notification_preferences', entityType: AuditEntity.USER, entityId: userId,
        supplierId: viewer.kind === 'supplier' ? viewer.supplierId : null,
        before: { emailDisabledKinds: before.disabled }, after: { emailDisabledKinds: row.disabled },
      });
      return preferencesOf(row.email, row.disabled);
    });
  }
}

function preferencesOf(email: string | null, disabled: string[]): NotificationPreferences {
  return Object.assign(new NotificationPreferences(), {
    emailAddress: email,
    kinds: ALL_KINDS.map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, email: !disabled.includes(kind) })),
  });
}
