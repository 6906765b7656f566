import { decodeTypedCursor, encodeCursor } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { mutate } from '../../graphql/mutation.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { ensureUser } from '../user/user.store.js';
import { NotificationErrors } from './notification.errors.js';
import { ALL_KINDS, NOTIFICATION_KINDS, type NotificationKind } from './notification.kinds.js';
import { emailSettings, inboxPage, markAllRead, markRead, setDisabledKinds, unreadCount, type InboxRow } from './notification.store.js';
import { NotificationPreferences, NotificationView } from './notification.types.js';

const view = (r: InboxRow): NotificationView =>
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
    const before = after ? decodeTypedCursor<[string, string]>(after, ['digits', 'uuid']) : null;
    return (await inboxPage(this.ctx.em, viewer.sub, { first, unreadOnly, before })).map(view);
  }

  unreadCount(): Promise<number> {
    return unreadCount(this.ctx.em, this.signedIn().sub);
  }

  /** Marks one of the person's notifications read (again: no change). Another person's, or none: NOT_FOUND. */
  markRead(id: string): Promise<NotificationView> {
    if (!UUID.test(id)) throw NotificationErrors.invalidId();
    const viewer = this.signedIn();
    return mutate(this.ctx, 'notification', async ({ em, audit }) => {
      const row = await markRead(em, viewer.sub, id);
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
      const { userId, count } = await markAllRead(em, viewer.sub);
      if (count > 0) {
        audit.record({ action: 'notification.read_all', entityType: AuditEntity.USER, entityId: userId!, supplierId: viewer.kind === 'supplier' ? viewer.supplierId : null, before: null, after: { marked: count } });
      }
      return count;
    });
  }

  async preferences(): Promise<NotificationPreferences> {
    const viewer = this.signedIn();
    const settings = await emailSettings(this.ctx.em, viewer.sub);
    return preferencesOf(kindsFor(viewer), settings?.email ?? null, settings?.disabled ?? []);
  }

  /** Email for exactly these kinds (every other kind of the person's audience off). Creates the person's account if it is missing. */
  setEmailKinds(kinds: NotificationKind[]): Promise<NotificationPreferences> {
    const viewer = this.signedIn();
    const own = kindsFor(viewer);
    const disabled = own.filter((k) => !kinds.includes(k));
    return mutate(this.ctx, 'notification preference', async ({ em, audit }) => {
      const userId = await ensureUser(em, { viewer });
      if (!userId) throw IdentityErrors.notYours('supplier');
      const changed = await setDisabledKinds(em, userId, disabled);
      audit.record({
        action: 'user.notification_preferences', entityType: AuditEntity.USER, entityId: userId,
        supplierId: viewer.kind === 'supplier' ? viewer.supplierId : null,
        before: { emailDisabledKinds: changed.before }, after: { emailDisabledKinds: changed.after },
      });
      return preferencesOf(own, changed.email, changed.after);
    });
  }
}

/** The kinds a person can be told of: a supplier's people the supplier kinds, a buyer's the organisation kinds (the assurance team, all). */
function kindsFor(viewer: { kind: string }): NotificationKind[] {
  const audience = viewer.kind === 'supplier' ? 'SUPPLIER' : viewer.kind === 'buyer' ? 'ORGANISATION' : null;
  return audience ? ALL_KINDS.filter((k) => NOTIFICATION_KINDS[k].audience === audience) : ALL_KINDS;
}

function preferencesOf(kinds: NotificationKind[], email: string | null, disabled: string[]): NotificationPreferences {
  return Object.assign(new NotificationPreferences(), {
    emailAddress: email,
    kinds: kinds.map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, email: !disabled.includes(kind) })),
  });
}
