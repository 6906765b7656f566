import type { MikroORM } from '@mikro-orm/postgresql';
import { Capability, Epic } from '../capability/capability.entity.js';
import { Framework, Lot } from '../framework/framework.entity.js';
import { Standard } from '../standard/standard.entity.js';

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
  /** How big the catalogue's lists are now: what the query cost model prices unpaged lists by. */
  sizes: CatalogueSizes;
}

/**
 * Row counts and the longest list of each kind (a supplier's certificates, an organisation's
 * children, ...), as of the last refresh. Lists the API returns whole are priced by these.
 */
export interface CatalogueSizes {
  suppliers: number;
  solutions: number;
  organisations: number;
  certifications: number;
  requirementSets: number;
  specifications: number;
  /** Records of every evidence kind together. */
  evidence: number;
  childrenPerOrganisation: number;
  certificationsPerSupplier: number;
  dsptPerOdsCode: number;
  awardsPerSupplier: number;
  kpiReportsPerSupplier: number;
  /** Price rows of one solution, history included. */
  pricesPerSolution: number;
  /** GP practices under one organisation (a sub-ICB location's or an ICB's): a specification's service recipients at most. */
  practicesPerOrganisation: number;
  solutionsPerSupplier: number;
  profileChangesPerSupplier: number;
  lotsPerSolution: number;
  capabilitiesPerSolution: number;
  epicsPerSolution: number;
  standardsPerSolution: number;
  requirementsPerSet: number;
  /** Its own requirements and those of its requirement sets. */
  requirementsPerSpecification: number;
  kpisPerSpecification: number;
  setsPerSpecification: number;
  entriesPerShortlist: number;
  /** Further competitions run from one shortlist. */
  competitionsPerShortlist: number;
  auditEventsPerRecord: number;
}

const SIZES_SQL = `SELECT
  (SELECT count(*) FROM supplier) AS "suppliers",
  (SELECT count(*) FROM solution) AS "solutions",
  (SELECT count(*) FROM organisation) AS "organisations",
  (SELECT count(*) FROM certification) AS "certifications",
  (SELECT count(*) FROM requirement_set) AS "requirementSets",
  (SELECT count(*) FROM service_specification) AS "specifications",
  (SELECT (SELECT count(*) FROM certification) + (SELECT count(*) FROM dspt_assessment) + (SELECT count(*) FROM capability_assessment)
        + (SELECT count(*) FROM epic_assessment) + (SELECT count(*) FROM standard_compliance) + (SELECT count(*) FROM kpi_report)
        + (SELECT count(*) FROM solution_price)) AS "evidence",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM organisation WHERE parent_id IS NOT NULL GROUP BY parent_id) x) AS "childrenPerOrganisation",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM certification GROUP BY supplier_id) x) AS "certificationsPerSupplier",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM dspt_assessment GROUP BY ods_code) x) AS "dsptPerOdsCode",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM framework_award GROUP BY supplier_id) x) AS "awardsPerSupplier",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM kpi_report GROUP BY supplier_id) x) AS "kpiReportsPerSupplier",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM solution_price GROUP BY solution_id) x) AS "pricesPerSolution",
  (SELECT greatest(max(n), 1) FROM (SELECT count(*) AS n FROM organisation p LEFT JOIN organisation s ON s.id = p.parent_id
     WHERE p.role = 'GP_PRACTICE' GROUP BY GROUPING SETS ((p.parent_id), (s.parent_id))) x) AS "practicesPerOrganisation",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM solution GROUP BY supplier_id) x) AS "solutionsPerSupplier",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM supplier_profile_change GROUP BY supplier_id) x) AS "profileChangesPerSupplier",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM solution_lot GROUP BY solution_id) x) AS "lotsPerSolution",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM capability_assessment GROUP BY solution_id) x) AS "capabilitiesPerSolution",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM epic_assessment GROUP BY solution_id) x) AS "epicsPerSolution",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM standard_compliance GROUP BY solution_id) x) AS "standardsPerSolution",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM requirement WHERE set_id IS NOT NULL GROUP BY set_id) x) AS "requirementsPerSet",
  (SELECT max((SELECT count(*) FROM requirement r WHERE r.specification_id = s.id)
            + (SELECT count(*) FROM service_specification_requirement_set l JOIN requirement r ON r.set_id = l.requirement_set_id
               WHERE l.service_specification_id = s.id)) FROM service_specification s) AS "requirementsPerSpecification",
  (SELECT max(jsonb_array_length(kpis)) FROM service_specification) AS "kpisPerSpecification",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM service_specification_requirement_set GROUP BY service_specification_id) x) AS "setsPerSpecification",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM shortlist_entry GROUP BY shortlist_id) x) AS "entriesPerShortlist",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM competition GROUP BY shortlist_id) x) AS "competitionsPerShortlist",
  (SELECT max(n) FROM (SELECT count(*) AS n FROM audit_event GROUP BY entity_type, entity_id) x) AS "auditEventsPerRecord"`;

/**
 * Counts as of now, with headroom for what may be added before the next refresh (soon after any
 * committed write, at the latest a minute): a list priced below its real length would let a query
 * past the cost limit. The response-size guard backs this up.
 */
const withHeadroom = (n: number) => Math.ceil(n * 1.1) + 2;

async function loadSizes(orm: MikroORM): Promise<CatalogueSizes> {
  const [row] = await orm.em.fork().getConnection().execute<Record<string, string | null>[]>(SIZES_SQL);
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, withHeadroom(Number(value ?? 0))])) as unknown as CatalogueSizes;
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
  /** A sizes refresh asked for after a write: scheduled, or running. */
  sizesRefresh?: Promise<void>;
  /** Servers sharing this ORM (tests run several): the cache lives until the last one stops. */
  users: number;
}

const caches = new WeakMap<MikroORM, Entry>();
/** Each snapshot handed out, to the cache it came from (a request holds its snapshot, not the ORM). */
const entries = new WeakMap<ReferenceSnapshot, Entry>();

async function load(orm: MikroORM): Promise<ReferenceSnapshot> {
  const em = orm.em.fork();
  const [frameworks, lots, capabilities, epics, standards, sizes] = await Promise.all([
    em.find(Framework, {}),
    em.find(Lot, {}),
    em.find(Capability, {}),
    em.find(Epic, {}),
    em.find(Standard, {}),
    loadSizes(orm),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  return { frameworks: byId(frameworks), lots: byId(lots), capabilities: byId(capabilities), epics: byId(epics), standards: byId(standards), sizes };
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
        (snapshot) => void entries.set((entry.snapshot = snapshot), entry),
        () => {}, // keep serving the last snapshot while the database is away
      );
    }, REFRESH_MS),
  };
  entry.timer.unref();
  caches.set(orm, entry);
  entries.set(entry.snapshot, entry);
}

/** The sizes query reads every evidence table: after writes, refresh at most this often. */
const SIZES_AFTER_WRITE_MS = 2_000;

/**
 * After a committed write: re-count soon, so a list that grew is priced by its new length. Writes in
 * a burst share one refresh.
 */
export function refreshSizesSoon(orm: MikroORM): void {
  const entry = caches.get(orm);
  if (!entry || entry.sizesRefresh) return;
  entry.sizesRefresh = new Promise<void>((resolve) => setTimeout(resolve, SIZES_AFTER_WRITE_MS).unref())
    .then(() => loadSizes(orm))
    .then(
      (sizes) => void entries.set((entry.snapshot = { ...entry.snapshot, sizes }), entry),
      () => {}, // keep the last sizes while the database is away
    )
    .finally(() => (entry.sizesRefresh = undefined));
}

/**
 * A write that made a list longer than the sizes say (a specification with more requirements than
 * any before it) records its length at once, before the next re-count, so the very next query is
 * priced by it. Raises only; the re-count settles the true value.
 */
export function growSize(reference: ReferenceSnapshot, key: keyof CatalogueSizes, length: number): void {
  const entry = entries.get(reference);
  if (!entry || entry.snapshot.sizes[key] >= length) return;
  entry.snapshot = { ...entry.snapshot, sizes: { ...entry.snapshot.sizes, [key]: withHeadroom(length) } };
  entries.set(entry.snapshot, entry);
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
  if (entry) entries.set((entry.snapshot = await load(orm)), entry);
}
