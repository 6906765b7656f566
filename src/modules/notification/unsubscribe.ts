import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '../../common/ids.js';
import { queryRows, sql } from '../../common/sql.js';
import { ALL_KINDS, type NotificationKind } from './notification.kinds.js';

/**
 * One-click unsubscribe (RFC 8058) from one kind of email, without signing in: the email's
 * List-Unsubscribe link carries the person's account id, the kind and an HMAC of both keyed from the
 * session secret, so the link can only turn off that kind for that person.
 */
const key = (secret: string) => createHmac('sha256', secret).update('notification-unsubscribe').digest();

export function unsubscribeToken(secret: string, userId: string, kind: string): string {
  return createHmac('sha256', key(secret)).update(`${userId}:${kind}`).digest('base64url');
}

export function unsubscribeUrl(baseUrl: string, secret: string, userId: string, kind: string): string {
  return `${baseUrl}/notifications/unsubscribe?${new URLSearchParams({ u: userId, k: kind, t: unsubscribeToken(secret, userId, kind) })}`;
}

/** The account and kind a link names, when its token is right; otherwise null. */
export function checkUnsubscribe(secret: string, query: Record<string, unknown>): { userId: string; kind: NotificationKind } | null {
  const { u, k, t } = query;
  if (typeof u !== 'string' || typeof k !== 'string' || typeof t !== 'string') return null;
  if (!UUID.test(u) || !(ALL_KINDS as string[]).includes(k) || t.length > 100) return null;
  const expected = Buffer.from(unsubscribeToken(secret, u, k));
  const given = Buffer.from(t);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { userId: u, kind: k as NotificationKind } : null;
}

/** Turns that kind of email off for the account, with an audit row in the same transaction; false when the account is gone. */
export async function unsubscribe(em: EntityManager, userId: string, kind: NotificationKind): Promise<boolean> {
  return em.fork().transactional(async (tx) => {
    const [row] = await queryRows<{ sub: string; role: string; supplier_id: string | null; before: string[]; after: string[] }>(
      tx,
      sql`WITH old AS (SELECT id, email_disabled_kinds FROM app_user WHERE id = ${userId}::uuid FOR UPDATE)
          UPDATE app_user u
             SET email_disabled_kinds = CASE WHEN ${kind} = ANY (old.email_disabled_kinds) THEN old.email_disabled_kinds ELSE array_append(old.email_disabled_kinds, ${kind}::text) END,
                 updated_at = now()
            FROM old WHERE u.id = old.id
          RETURNING u.sub, u.role, u.supplier_id, old.email_disabled_kinds AS before, u.email_disabled_kinds AS after`,
    );
    if (!row) return false;
    await queryRows(
      tx,
      sql`INSERT INTO audit_event (id, actor_sub, actor_role, action, entity_type, entity_id, supplier_id, before, after)
          VALUES (gen_random_uuid(), ${row.sub}, ${row.role}, 'user.unsubscribe', 'USER', ${userId}::uuid, ${row.supplier_id}::uuid,
                  ${JSON.stringify({ emailDisabledKinds: row.before })}::jsonb, ${JSON.stringify({ emailDisabledKinds: row.after })}::jsonb)`,
    );
    return true;
  });
}
