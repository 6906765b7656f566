import { Migration } from '@mikro-orm/migrations';
import { REJUDGE_CHANNEL, REJUDGE_FUNCTION, rejudgeTriggers } from '../db/rejudge-outbox.js';

type Event = 'insert' | 'update' | 'delete';
const ALL: Event[] = ['insert', 'update', 'delete'];
/** As REJUDGE_TABLES in src/db/rejudge-outbox.ts was when this migration was written (a migration does not change later). */
const REJUDGE_TABLES: Record<string, Event[]> = {
  certification: ALL,
  dspt_assessment: ALL,
  capability_assessment: ALL,
  epic_assessment: ALL,
  standard_compliance: ALL,
  kpi_report: ALL,
  framework_award: ALL,
  solution: ['update', 'delete'],
  solution_lot: ALL,
  supplier: ['update', 'delete'],
};

/**
 * The supplier each changed row belongs to, from the statement's transition table (new rows; old rows
 * for a delete: a row's supplier, solution or ODS code does not change). Static statements, one branch
 * per shape, so PL/pgSQL plans each once per table and session: a dynamic EXECUTE cost a single-row
 * evidence update about 3 ms more.
 */
const owners = (rows: string) => `
    if TG_TABLE_NAME = 'supplier' then
      insert into rejudge_request (supplier_id) select distinct r.id from ${rows} r;
    elsif TG_TABLE_NAME = 'dspt_assessment' then
      insert into rejudge_request (supplier_id) select distinct s.id from ${rows} r join supplier s on s.ods_code = r.ods_code;
    elsif TG_TABLE_NAME in ('capability_assessment', 'epic_assessment', 'standard_compliance', 'solution_lot') then
      insert into rejudge_request (supplier_id) select distinct so.supplier_id from ${rows} r join solution so on so.id = r.solution_id;
    else
      insert into rejudge_request (supplier_id) select distinct r.supplier_id from ${rows} r where r.supplier_id is not null;
    end if;`;

const rejudgeFunction = `create or replace function "${REJUDGE_FUNCTION}"() returns trigger language plpgsql as \$\$
declare
  added int;
begin
  if TG_OP = 'DELETE' then${owners('old_rows')}
  else${owners('new_rows')}
  end if;
  get diagnostics added = row_count;
  if added > 0 then perform pg_notify('${REJUDGE_CHANNEL}', ''); end if;
  return null;
end;
\$\$;`;

/**
 * Alerts to commissioners (issue 16): a shortlisted solution that stops meeting a MUST requirement.
 *
 * - `rejudge_request`: the transactional outbox. A statement-level trigger on every table a judgement
 *   reads (evidence, awards, solutions and lots, suppliers) inserts the suppliers the statement touched,
 *   in the writer's transaction, and NOTIFYs `rejudge_requested` (delivered at commit). The job workers
 *   drain it; rows are never updated, so writers never wait for a drain.
 * - `shortlist_watch`: the last judged status of each MUST requirement of each included entry of a
 *   watched shortlist, so an alert fires once per transition from MET (`lapses` counts them and is part
 *   of the alert's dedupe key: a rerun sends nothing twice, a recovery and a new lapse alert again).
 *
 * No entity maps these tables (raw SQL in src/modules/alerts/alerts.store.ts; orm.config.ts skips them).
 */
export class Migration20261210100000_commissioner_alerts extends Migration {

  override name = 'Migration20261210100000_commissioner_alerts';

  override async up(): Promise<void> {
    this.addSql(`create table "rejudge_request" (
      "id" bigint generated always as identity,
      "supplier_id" uuid not null,
      "requested_at" timestamptz not null default now(),
      constraint "rejudge_request_pkey" primary key ("id"));`);

    this.addSql(`create table "shortlist_watch" (
      "shortlist_id" uuid not null,
      "solution_id" uuid not null,
      "requirement_code" varchar(64) not null,
      "status" text not null,
      "previous_status" text null,
      "reason" text not null,
      "lapses" int not null default 0,
      "judged_on" date not null,
      "changed_at" timestamptz not null,
      constraint "shortlist_watch_pkey" primary key ("shortlist_id", "solution_id", "requirement_code"),
      constraint "shortlist_watch_shortlist_id_foreign" foreign key ("shortlist_id") references "shortlist" ("id") on delete cascade);`);

    this.addSql(rejudgeFunction);

    for (const [table, events] of Object.entries(REJUDGE_TABLES)) {
      for (const trigger of rejudgeTriggers(table, events)) this.addSql(`${trigger.expression};`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, events] of Object.entries(REJUDGE_TABLES)) {
      for (const trigger of rejudgeTriggers(table, events)) this.addSql(`drop trigger if exists "${trigger.name}" on "${table}";`);
    }
    this.addSql(`drop function if exists "${REJUDGE_FUNCTION}"();`);
    this.addSql(`drop table if exists "shortlist_watch";`);
    this.addSql(`drop table if exists "rejudge_request";`);
  }
}
