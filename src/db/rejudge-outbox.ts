import type { TriggerDef } from '@mikro-orm/core';

/**
 * The alerts' transactional outbox (see src/modules/alerts/): a statement that changes anything a
 * shortlisted solution is judged on (evidence, awards, solutions and their lots, suppliers) inserts
 * the suppliers it touched into `rejudge_request`, in the writer's own transaction, from a
 * statement-level trigger. Whatever process made the change (an API replica with WORKERS=0, a seed,
 * a console), the request commits with it or not at all; the job workers drain it (every minute, and
 * at once when the commit's NOTIFY reaches them). The function, rejudge_request_enqueue(), is created
 * by Migration20261210100000_commissioner_alerts; here the triggers are declared on the entities, as
 * MikroORM compares triggers by name.
 */
export const REJUDGE_FUNCTION = 'rejudge_request_enqueue';

/** The channel the trigger NOTIFYs on (delivered at commit, once per transaction). */
export const REJUDGE_CHANNEL = 'rejudge_requested';

type Event = 'insert' | 'update' | 'delete';

/** One statement-level trigger per event (transition tables allow one event per trigger). */
export function rejudgeTriggers(table: string, events: Event[] = ['insert', 'update', 'delete']): TriggerDef[] {
  return events.map((event) => {
    const name = `${table}_rejudge_${event}`;
    const referencing = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' }[event];
    return {
      name,
      timing: 'after',
      events: [event],
      forEach: 'statement',
      expression: `create trigger "${name}" after ${event} on "${table}" referencing ${referencing} for each statement execute function "${REJUDGE_FUNCTION}"()`,
    };
  });
}

/** The tables whose changes can change a judgement, and the events that matter on each. */
export const REJUDGE_TABLES: Record<string, Event[]> = {
  certification: ['insert', 'update', 'delete'],
  dspt_assessment: ['insert', 'update', 'delete'],
  capability_assessment: ['insert', 'update', 'delete'],
  epic_assessment: ['insert', 'update', 'delete'],
  standard_compliance: ['insert', 'update', 'delete'],
  kpi_report: ['insert', 'update', 'delete'],
  framework_award: ['insert', 'update', 'delete'],
  solution: ['update', 'delete'],
  solution_lot: ['insert', 'update', 'delete'],
  supplier: ['update', 'delete'],
};
