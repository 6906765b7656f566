import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { today } from '../../common/dates.js';
import { createContext, type Context } from '../../graphql/context.js';
import { createLoaders } from '../../graphql/loaders.js';
import { MatchingService } from '../matching/matching.service.js';
import type { MatchParameters } from '../matching/matching.store.js';
import { OutcomeStatus } from '../matching/outcome-status.js';
import type { SupplierMatch } from '../matching/matching.types.js';
import { NotificationKind } from '../notification/notification.kinds.js';
import { insertEvents, type NewEvent } from '../notification/notification.store.js';
import { contractEndOf, RequirementPriority, ServiceSpecification, type Requirement } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { clearRequests, lastJudged, recordChanges, takeRequests, watchedShortlists, type Change, type LastJudged, type WatchedShortlist } from './alerts.store.js';

/**
 * Alerts to commissioners: a solution included on a watched shortlist (open, or finalised with its
 * contract term not yet ended) that stops meeting a MUST requirement it met. The owning organisation
 * is told which requirement, the status before and after, and the reason sentence.
 *
 * Found set-wise, never per supplier per requirement: after a change (the outbox names the suppliers
 * it touched) only the watched shortlists including their solutions are re-judged; each night every
 * watched shortlist is, for what time alone makes lapse (certificate validity, the DSPT's 30 June, an
 * award's end). Either way the shortlists are grouped by specification and each specification is
 * judged once, for all its affected solutions, by the matcher's own judging query; one statement reads
 * the last judged statuses (shortlist_watch, or a finalised entry's snapshot), one writes the statuses
 * that moved and one inserts the alerts. The statements do not grow with the catalogue, the number of
 * shortlists of a specification, or its requirements.
 *
 * A watched set is a specification judged for some solutions on a day, tied to an owner: an open
 * competition (another issue) becomes one more kind of watched set beside shortlists, read by
 * watchedShortlists' sibling, with no change to the judging, the record or the alerts.
 *
 * Beside its MUST requirements each entry is watched on being a candidate at all: listed in the
 * catalogue (supplier active, solution published) and offered under a lot in scope with an active
 * award. A finalised shortlist's entries were candidates when it was finalised.
 */

/** The implicit MUST of every entry: still a candidate (see above). */
export const CANDIDATE_REQUIREMENT = { code: 'CATALOGUE', title: 'Listed in the catalogue and offered under an active award on the specification’s frameworks' };

/** How many outbox requests one drain transaction takes. */
export const DRAIN_BATCH = 5_000;

export interface AlertCounts {
  /** Outbox requests taken (drain) or cleared (sweep). */
  requests: number;
  shortlists: number;
  specifications: number;
  judgements: number;
  lapses: number;
  events: number;
  notifications: number;
  webhookDeliveries: number;
}

const zero = (): AlertCounts => ({ requests: 0, shortlists: 0, specifications: 0, judgements: 0, lapses: 0, events: 0, notifications: 0, webhookDeliveries: 0 });
const add = (a: AlertCounts, b: Partial<AlertCounts>) => {
  for (const k of Object.keys(a) as (keyof AlertCounts)[]) a[k] += b[k] ?? 0;
  return a;
};

/** A context whose services read inside the job's transaction. */
function jobContext(orm: MikroORM, em: EntityManager): Context {
  const ctx = createContext(orm);
  ctx.em = em;
  ctx.loaders = createLoaders(em, ctx.reference);
  return ctx;
}

interface Group {
  p: MatchParameters;
  musts: Requirement[];
  title: string;
  shortlists: WatchedShortlist[];
}

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The specifications to judge: a finalised shortlist on its frozen specification (what it was decided
 * on), an open one on the specification as it stands. Each is judged on `day` for what is left of its
 * contract term (from `day` once the contract has started), so a publication lapsing mid-term counts.
 */
async function groupsOf(ctx: Context, shortlists: WatchedShortlist[], day: string): Promise<Group[]> {
  const groups = new Map<string, Group>();
  const base = { asOf: day, reference: ctx.reference, current: false };
  const musts = (requirements: Requirement[]) => {
    const seen = new Set<string>();
    return requirements.filter((r) => r.priority === RequirementPriority.MUST && !seen.has(r.code) && seen.add(r.code));
  };
  for (const s of shortlists.filter((x) => x.frozen)) {
    const f = s.frozen!;
    const key = `F:${f.id}:${f.version}`;
    if (!groups.has(key)) {
      const requirements = musts(f.requirements as unknown as Requirement[]);
      groups.set(key, {
        p: { ...base, requirements, frameworkCodes: f.frameworkCodes, start: later(f.contractStart, day), contractStart: f.contractStart, end: f.contractEnd, kpis: f.kpis as MatchParameters['kpis'] },
        musts: requirements,
        title: f.title,
        shortlists: [],
      });
    }
    groups.get(key)!.shortlists.push(s);
  }
  const open = shortlists.filter((x) => !x.frozen);
  if (open.length) {
    const specs = await ctx.em.find(ServiceSpecification, { id: { $in: [...new Set(open.map((s) => s.specification_id))] } });
    const service = new SpecificationService(ctx);
    // Concurrent loads: the loaders batch every specification's requirement sets and requirements.
    const requirements = await Promise.all(specs.map((spec) => service.requirementsOf(spec)));
    specs.forEach((spec, i) => {
      const required = musts(requirements[i]);
      groups.set(`D:${spec.id}`, {
        p: { ...base, requirements: required, frameworkCodes: spec.frameworkCodes, start: later(spec.contractStart, day), contractStart: spec.contractStart, end: contractEndOf(spec), kpis: spec.kpis },
        musts: required,
        title: spec.title,
        shortlists: [],
      });
    });
    for (const s of open) groups.get(`D:${s.specification_id}`)?.shortlists.push(s);
  }
  return [...groups.values()];
}

type Judged = SupplierMatch & { row: Record<string, unknown> };

/** The candidate requirement's status and sentence for one judged row. */
function candidacy(m: Judged | undefined, p: MatchParameters): { status: OutcomeStatus; reason: string } {
  const name = m ? String(m.row.solution_name) : 'The solution';
  const frameworks = p.frameworkCodes.join(', ');
  if (!m || !m.row.listed) return { status: OutcomeStatus.NOT_MET, reason: `${name} is no longer listed in the catalogue on ${p.asOf}: it was unpublished, or its supplier is no longer active.` };
  if (!m.row.offered) {
    return { status: OutcomeStatus.NOT_MET, reason: `${name} is not offered on ${p.asOf} under a lot of ${frameworks} on which its supplier holds an active award: the award was suspended, terminated or has expired.` };
  }
  return { status: OutcomeStatus.MET, reason: `${name} is listed in the catalogue and offered under an active award on ${frameworks} on ${p.asOf}.` };
}

interface Names {
  supplier: string;
  solution: string;
}

/**
 * Re-judges the watched shortlists including the solutions of `supplierIds` (all watched shortlists
 * when null) on `now`'s day, records the judgements and inserts an alert per entry that lapsed.
 * Runs in the caller's transaction (`em`).
 */
export async function rejudge(orm: MikroORM, em: EntityManager, now: Date, supplierIds: readonly string[] | null): Promise<AlertCounts> {
  const counts = zero();
  if (supplierIds && !supplierIds.length) return counts;
  const day = today(now);
  const ctx = jobContext(orm, em);
  const shortlists = await watchedShortlists(em, day, supplierIds);
  if (!shortlists.length) return counts;
  const groups = await groupsOf(ctx, shortlists, day);
  const judgements: Judgement[] = [];
  const names = new Map<string, Names>();
  const context = new Map<string, { group: Group; shortlist: WatchedShortlist }>();
  const matching = new MatchingService(ctx);
  for (const group of groups) {
    const solutionIds = [...new Set(group.shortlists.flatMap((s) => s.entries.map((e) => e.solution_id)))];
    const judged = new Map((await matching.judge(group.p, { solutionIds, evenIfNotCandidates: true })).map((m) => [m.solutionId, m as Judged]));
    for (const shortlist of group.shortlists) {
      context.set(shortlist.id, { group, shortlist });
      for (const { solution_id } of shortlist.entries) {
        const m = judged.get(solution_id);
        if (m) names.set(solution_id, { supplier: String(m.row.supplier_name), solution: String(m.row.solution_name) });
        const candidate = candidacy(m, group.p);
        judgements.push({ shortlist_id: shortlist.id, solution_id, code: CANDIDATE_REQUIREMENT.code, ...candidate, frozen: !!shortlist.frozen });
        // Outcomes of a solution that is not a candidate still say which evidence lapsed with it.
        for (const o of m?.outcomes ?? []) {
          judgements.push({ shortlist_id: shortlist.id, solution_id, code: o.requirement.code, status: o.status, reason: o.reason, frozen: !!shortlist.frozen });
        }
      }
    }
  }
  const entries = shortlists.flatMap((s) => s.entries.map((e) => ({ shortlist_id: s.id, solution_id: e.solution_id })));
  const { changes, lapses } = compare(judgements, await lastJudged(em, entries));
  await recordChanges(em, changes, day, now);
  const events = alertsFor(lapses, context, names, day);
  const inserted = await insertEvents(em, events, now);
  return add(counts, {
    shortlists: shortlists.length,
    specifications: groups.length,
    judgements: judgements.length,
    lapses: lapses.length,
    ...inserted,
  });
}

/** One requirement of one entry as judged now. */
interface Judgement {
  shortlist_id: string;
  solution_id: string;
  code: string;
  status: string;
  reason: string;
  /** The entry is on a finalised shortlist: it was a candidate, and its snapshot is the baseline. */
  frozen: boolean;
}

/**
 * Each judgement against the last: a first judgement of an open shortlist's entry is its baseline
 * (recorded, no alert); of a finalised one's, compared with the snapshot (the candidate requirement,
 * absent from snapshots, was MET: finalising needs a candidate), recorded only if it moved. A move from
 * MET to anything else is a lapse, counted.
 */
function compare(judgements: Judgement[], last: LastJudged[]): { changes: Change[]; lapses: Change[] } {
  const key = (r: { shortlist_id: string; solution_id: string; code: string }) => `${r.shortlist_id}:${r.solution_id}:${r.code}`;
  const recorded = new Map<string, { status: string; lapses: number }>();
  const frozen = new Map<string, string>();
  for (const r of last) {
    if (r.recorded) recorded.set(key(r), { status: r.status, lapses: Number(r.lapses) });
    else frozen.set(key(r), r.status);
  }
  const changes: Change[] = [];
  const lapses: Change[] = [];
  for (const j of judgements) {
    const k = key(j);
    const snapshot = frozen.get(k) ?? (j.code === CANDIDATE_REQUIREMENT.code ? OutcomeStatus.MET : undefined);
    const before = recorded.get(k) ?? (j.frozen && snapshot ? { status: snapshot, lapses: 0 } : undefined);
    const { frozen: _frozen, ...judged } = j;
    if (!before) {
      // First seen (an open shortlist's entry, or a requirement its snapshot does not hold): the baseline.
      changes.push({ ...judged, previous_status: null, lapses: 0 });
      continue;
    }
    if (before.status === j.status) continue;
    const lapsed = before.status === OutcomeStatus.MET && j.status !== OutcomeStatus.MET;
    const change = { ...judged, previous_status: before.status, lapses: before.lapses + (lapsed ? 1 : 0) };
    changes.push(change);
    if (lapsed) lapses.push(change);
  }
  return { changes, lapses };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** One alert per entry that lapsed, naming each requirement with its status before and after and the reason. */
function alertsFor(lapses: Change[], context: Map<string, { group: Group; shortlist: WatchedShortlist }>, names: Map<string, Names>, day: string): NewEvent[] {
  const byEntry = new Map<string, Change[]>();
  for (const l of lapses) {
    const key = `${l.shortlist_id}:${l.solution_id}`;
    byEntry.set(key, [...(byEntry.get(key) ?? []), l]);
  }
  return [...byEntry.values()].map((entry) => {
    const { group, shortlist } = context.get(entry[0].shortlist_id)!;
    const solutionId = String(entry[0].solution_id);
    const who = names.get(solutionId) ?? { supplier: 'its supplier', solution: 'A shortlisted solution' };
    const supplierId = shortlist.entries.find((e) => e.solution_id === solutionId)?.supplier_id ?? null;
    const requirements = entry.map((l) => {
      const requirement = l.code === CANDIDATE_REQUIREMENT.code ? CANDIDATE_REQUIREMENT : group.musts.find((r) => r.code === l.code);
      return { code: l.code, title: requirement?.title ?? l.code, before: l.previous_status, after: l.status, reason: l.reason };
    });
    const which = requirements.length === 1 ? `${requirements[0].code} ${requirements[0].title}` : plural(requirements.length, 'MUST requirement');
    const kind = shortlist.status === 'FINALISED' ? 'finalised' : 'open';
    const fingerprint = createHash('sha256')
      .update(entry.map((l) => `${l.code}#${l.lapses}`).sort().join(','))
      .digest('hex')
      .slice(0, 16);
    return {
      kind: NotificationKind.SHORTLISTED_SOLUTION_LAPSED,
      dedupeKey: `${NotificationKind.SHORTLISTED_SOLUTION_LAPSED}:${shortlist.id}:${solutionId}:${fingerprint}`,
      odsCode: shortlist.owner_ods_code,
      subject: clip(`${who.solution} no longer meets ${which} on your shortlist for “${group.title}”`, 300),
      body:
        `${who.solution} (${who.supplier}), included on your ${kind} shortlist for “${group.title}”, no longer meets ` +
        `${requirements.length === 1 ? 'a MUST requirement' : plural(requirements.length, 'MUST requirement')}, judged on ${day} for the rest of the contract term (to ${group.p.end}). ` +
        requirements.map((r) => `${r.code} ${r.title}: was ${r.before}, now ${r.after}. ${r.reason}`).join(' ') +
        ' Review the shortlist, and ask the supplier.',
      linkPath: `/shortlists/${shortlist.id}`,
      payload: { shortlistId: shortlist.id, specificationId: shortlist.specification_id, solutionId, supplierId, judgedOn: day, requirements },
    };
  });
}

/**
 * The frequent job: drains the outbox in batches, each batch in one transaction with its re-judging
 * (if the re-judging fails, the requests are back for the next run).
 */
export async function drainAlerts(orm: MikroORM, now: Date, batch = DRAIN_BATCH): Promise<AlertCounts> {
  const counts = zero();
  for (;;) {
    const done = await orm.em.fork().transactional(async (em) => {
      const { requests, supplierIds } = await takeRequests(em, batch);
      if (!requests) return null;
      return { ...(await rejudge(orm, em, now, supplierIds)), requests };
    });
    if (!done) return counts;
    add(counts, done);
    if (done.requests < batch) return counts;
  }
}

/** The nightly sweep: every watched shortlist (the outbox is cleared, as everything is re-judged). */
export function sweepAlerts(orm: MikroORM, now: Date): Promise<AlertCounts> {
  return orm.em.fork().transactional(async (em) => {
    const requests = await clearRequests(em);
    return { ...(await rejudge(orm, em, now, null)), requests };
  });
}
