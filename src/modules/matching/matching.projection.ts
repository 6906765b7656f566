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

type Event = 'insert' | 'update' | 'delete';

/** One trigger per event: PostgreSQL allows transition tables only on single-event triggers. */
export function matchProjectionTriggers(table: string, events: Event[]): TriggerDef[] {
  return events.map((event) => {
    const name = `${table}_match_projection_${event}`;
    const referencing = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' }[event];
    return {
      name,
      timing: 'after',
      events: [event],
      forEach: 'statement',
      expression: `create trigger "${name}" after ${event} on "${table}" referencing ${referencing} for each statement execute function "${MATCH_PROJECTION_FUNCTION}"()`,
    };
  });
}
