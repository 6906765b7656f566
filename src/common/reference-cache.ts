import type { MikroORM } from '@mikro-orm/postgresql';
import { Capability, Epic } from '../modules/capability/capability.entity.js';
import { Framework, Lot } from '../modules/framework/framework.entity.js';
import { Standard } from '../modules/standard/standard.entity.js';

/**
 * The national reference catalogue (frameworks, lots, capabilities, epics, standards) is a few
 * hundred rows that change only through migrations and seeds, yet nearly every catalogue answer
 * names some of it. Each process keeps one read-only snapshot, refreshed in the background, so
 * requests resolve those relations from memory instead of joining them into every query.
 */
export interface ReferenceSnapshot {
  frameworks: Map<string, Framework>;
  lots: Map<string, Lot>;
  capabilities: Map<string, Capability>;
  epics: Map<string, Epic>;
  standards: Map<string, Standard>;
}

/** The row a code like C5, C5E1 or S24 names (case-insensitive), if the snapshot has it. */
export function findByReference<T extends { reference: string }>(rows: Map<string, T>, reference: string): T | undefined {
  const wanted = reference.toUpperCase();
  for (const row of rows.values()) if (row.reference === wanted) return row;
  return undefined;
}

const REFRESH_MS = 60_000;

interface Entry {
  snapshot: ReferenceSnapshot;
  timer: NodeJS.Timeout;
  /** Servers sharing this ORM (tests run several): the cache lives until the last one stops. */
  users: number;
}

const caches = new WeakMap<MikroORM, Entry>();

async function load(orm: MikroORM): Promise<ReferenceSnapshot> {
  const em = orm.em.fork();
  const [frameworks, lots, capabilities, epics, standards] = await Promise.all([
    em.find(Framework, {}),
    em.find(Lot, {}),
    em.find(Capability, {}),
    em.find(Epic, {}),
    em.find(Standard, {}),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  return { frameworks: byId(frameworks), lots: byId(lots), capabilities: byId(capabilities), epics: byId(epics), standards: byId(standards) };
}

/** Loads the snapshot (once per ORM) and keeps it fresh until stopReferenceCache. */
export async function startReferenceCache(orm: MikroORM): Promise<void> {
  const existing = caches.get(orm);
  if (existing) {
    existing.users++;
    return;
  }
  const entry: Entry = {
    users: 1,
    snapshot: await load(orm),
    timer: setInterval(() => {
      load(orm).then(
        (snapshot) => (entry.snapshot = snapshot),
        () => {}, // keep serving the last snapshot while the database is away
      );
    }, REFRESH_MS),
  };
  entry.timer.unref();
  caches.set(orm, entry);
}

export function stopReferenceCache(orm: MikroORM): void {
  const entry = caches.get(orm);
  if (!entry || --entry.users > 0) return;
  clearInterval(entry.timer);
  caches.delete(orm);
}

export function referenceSnapshot(orm: MikroORM): ReferenceSnapshot {
  const entry = caches.get(orm);
  if (!entry) throw new Error('reference cache not started for this ORM (startReferenceCache)');
  return entry.snapshot;
}

/** Reloads now: after seeding reference data in the same process. */
export async function refreshReferenceCache(orm: MikroORM): Promise<void> {
  const entry = caches.get(orm);
  if (entry) entry.snapshot = await load(orm);
}
