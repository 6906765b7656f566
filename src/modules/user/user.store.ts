import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';
import type { Viewer } from '../identity/identity.viewer.js';

type SignedIn = Exclude<Viewer, { kind: 'anonymous' }>;

/** What identifies a person beyond their viewer: the email and name their identity provider or token gave. */
export interface Identity {
  viewer: SignedIn;
  email?: string | null;
  name?: string | null;
}

const EMAIL = /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An address fit to send to, lower-cased, or null (a claim that is not one is ignored, never stored). */
export function cleanEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.length <= 320 && EMAIL.test(email) ? email : null;
}

/**
 * The person's account: created the first time they sign in (web) or call the API with a token, and
 * brought up to date when their role, tenant, email or name changes (a missing email keeps the one
 * known). One statement; writes only when something changed. A SUPPLIER token naming a supplier that
 * does not exist creates nothing (the API refuses such a viewer its supplier's records anyway).
 * Returns the account's id, or null when none could be made.
 */
export async function ensureUser(em: EntityManager, identity: Identity): Promise<string | null> {
  const v = identity.viewer;
  const supplierId = v.kind === 'supplier' ? v.supplierId : null;
  const odsCode = v.kind === 'buyer' ? v.odsCode : null;
  const email = cleanEmail(identity.email);
  const name = typeof identity.name === 'string' && identity.name.trim() ? identity.name.trim().slice(0, 200) : null;
  const rows = await queryRows<{ id: string }>(
    em,
    sql`WITH up AS (
          INSERT INTO app_user (sub, role, supplier_id, ods_code, email, display_name)
          SELECT ${v.sub}, ${v.role}, ${supplierId}::uuid, ${odsCode}, ${email}, ${name}
           WHERE ${supplierId}::uuid IS NULL OR EXISTS (SELECT 1 FROM supplier WHERE id = ${supplierId}::uuid)
          ON CONFLICT (sub) DO UPDATE
             SET role = EXCLUDED.role, supplier_id = EXCLUDED.supplier_id, ods_code = EXCLUDED.ods_code,
                 email = coalesce(EXCLUDED.email, app_user.email), display_name = coalesce(EXCLUDED.display_name, app_user.display_name),
                 updated_at = now()
           WHERE (app_user.role, app_user.supplier_id, app_user.ods_code) IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.supplier_id, EXCLUDED.ods_code)
              OR (EXCLUDED.email IS NOT NULL AND EXCLUDED.email IS DISTINCT FROM app_user.email)
              OR (EXCLUDED.display_name IS NOT NULL AND EXCLUDED.display_name IS DISTINCT FROM app_user.display_name)
          RETURNING id)
        SELECT id FROM up UNION ALL SELECT id FROM app_user WHERE sub = ${v.sub} LIMIT 1`,
  );
  return rows[0]?.id ?? null;
}

/** The account of a viewer (by sub), without creating one. */
export async function userIdOf(em: EntityManager, viewer: SignedIn): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(em, sql`SELECT id FROM app_user WHERE sub = ${viewer.sub}`);
  return row?.id ?? null;
}

/**
 * Remembers which identities this process has already written, so the API writes an account once per
 * person per process (and again when their claims change), not on every request.
 */
export class UserRegistry {
  private readonly seen = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  async remember(em: EntityManager, identity: Identity): Promise<void> {
    const v = identity.viewer;
    const fingerprint = JSON.stringify([v.role, v.kind === 'supplier' ? v.supplierId : v.kind === 'buyer' ? v.odsCode : null, cleanEmail(identity.email), identity.name ?? null]);
    if (this.seen.get(v.sub) === fingerprint) return;
    await ensureUser(em, identity);
    if (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(v.sub, fingerprint);
  }
}
