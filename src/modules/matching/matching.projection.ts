import type { TriggerDef } from '@mikro-orm/core';

/**
 * Keeps match_solution and match_offer (matching.entity.ts) in step with the four tables they copy.
 * Statement-level AFTER triggers with transition tables, so a bulk load of 10,000 suppliers refreshes
 * set-wise rather than row by row; the refresh runs inside the writer's transaction, so a match never
 * sees a change the projection has not.
 *
 * Concurrency: refreshes take one transaction-scoped advisory lock, so they run one at a time, and
 * under READ COMMITTED each statement of the refresh reads what committed before it got the lock:
 * two writers touching the same supplier cannot leave a stale copy. Writes to these tables (supplier
 * and solution edits, lots, awards) are rare; evidence verification does not touch them.
 *
 * The triggers are declared on the entities with `expression` (MikroORM compares such triggers by
 * name); the function they call, match_projection_sync(), is created by
 * Migration20261122152913_match_projection, which also copies the data already there.
 */
export const MATCH_PROJECTION_FUNCTION = 'match_projection_sync';

/**
 * The evidence half of the projection: match_solution's MET arrays (standards, capabilities, epics)
 * and match_kpi, refreshed by match_evidence_sync() for the solutions and suppliers a write to
 * standard_compliance, capability_assessment, epic_assessment or kpi_report touched. Evidence is
 * reviewed one item at a time, so a refresh is one small UPDATE in the reviewer's transaction. Created
 * by Migration20261122162116_match_evidence; the same advisory lock serialises both functions.
 */
export const MATCH_EVIDENCE_FUNCTION = 'match_evidence_sync';

type Event = 'insert' | 'update' | 'delete';

/** One trigger per event: PostgreSQL allows transition tables only on single-event triggers. */
export function matchProjectionTriggers(table: string, events: Event[], fn: string = MATCH_PROJECTION_FUNCTION): TriggerDef[] {
  const suffix = fn === MATCH_PROJECTION_FUNCTION ? 'match_projection' : 'match_evidence';
  return events.map((event) => {
    const name = `${table}_${suffix}_${event}`;
    const referencing = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' }[event];
    return {
      name,
      timing: 'after',
      events: [event],
      forEach: 'statement',
      expression: `create trigger "${name}" after ${event} on "${table}" referencing ${referencing} for each statement execute function "${fn}"()`,
    };
  });
}
