import { Migration } from '@mikro-orm/migrations';

/**
 * The evidence columns of match_solution, recomputed for the rows `where` picks; `kind` is an SQL
 * expression naming the evidence table that changed, or 'all'. See matching.projection.ts.
 */
const evidenceUpdate = (kind: string, where: string) => `update match_solution m set
    standards_met = case when ${kind} in ('all', 'standard_compliance') then coalesce((select array_agg(sc.standard_id order by sc.standard_id) from standard_compliance sc
      where sc.solution_id = m.solution_id and sc.verification_status = 'VERIFIED' and sc.status = 'MET'), '{}') else m.standards_met end,
    standard_plans = case when ${kind} in ('all', 'standard_compliance') then (select jsonb_object_agg(sc.standard_id, sc.remediation_due_on) from standard_compliance sc
      where sc.solution_id = m.solution_id and sc.verification_status = 'VERIFIED' and sc.status <> 'MET' and sc.remediation_due_on is not null) else m.standard_plans end,
    capabilities_passed = case when ${kind} in ('all', 'capability_assessment') then coalesce((select array_agg(ca.capability_id order by ca.capability_id) from capability_assessment ca
      where ca.solution_id = m.solution_id and ca.verification_status = 'VERIFIED' and ca.result in ('PASSED_PARTIAL', 'PASSED_FULL')), '{}') else m.capabilities_passed end,
    capabilities_full = case when ${kind} in ('all', 'capability_assessment') then coalesce((select array_agg(ca.capability_id order by ca.capability_id) from capability_assessment ca
      where ca.solution_id = m.solution_id and ca.verification_status = 'VERIFIED' and ca.result = 'PASSED_FULL'), '{}') else m.capabilities_full end,
    epics_passed = case when ${kind} in ('all', 'epic_assessment') then coalesce((select array_agg(ea.epic_id order by ea.epic_id) from epic_assessment ea
      where ea.solution_id = m.solution_id and ea.verification_status = 'VERIFIED' and ea.result = 'PASSED'), '{}') else m.epics_passed end
  where ${where}`;

/** A supplier's verified KPI reports, newest period first, for the suppliers `where` picks. */
const kpiInsert = (where: string) => `insert into match_kpi (supplier_id, kpi_code, periods, vals)
      select r.supplier_id, r.kpi_code, array_agg(r.period order by r.period desc), array_agg(r.value order by r.period desc)
      from kpi_report r where ${where} and r.verification_status = 'VERIFIED' group by r.supplier_id, r.kpi_code`;

export class Migration20261122162116_match_evidence extends Migration {

  override name = 'Migration20261122162116_match_evidence';

  override up(): void | Promise<void> {
    this.addSql(`create table "match_kpi" ("supplier_id" uuid not null, "kpi_code" varchar(64) not null, "periods" text[] not null, "vals" double precision[] not null, primary key ("supplier_id", "kpi_code"));`);

    this.addSql(`alter table "match_solution" add "standards_met" uuid[] not null default '{}', add "standard_plans" jsonb null, add "capabilities_passed" uuid[] not null default '{}', add "capabilities_full" uuid[] not null default '{}', add "epics_passed" uuid[] not null default '{}';`);

    this.addSql(`create or replace function "match_evidence_sync"() returns trigger language plpgsql as \$\$
declare
  key text := case when TG_TABLE_NAME = 'kpi_report' then 'supplier_id' else 'solution_id' end;
  touched uuid[];
begin
  -- The suppliers (KPI reports) or solutions (everything else) whose evidence the statement changed.
  if TG_OP = 'INSERT' then
    execute format('select array_agg(distinct %I) from new_rows', key) into touched;
  elsif TG_OP = 'UPDATE' then
    execute format('select array_agg(distinct %I) from (select %I from new_rows union select %I from old_rows) u', key, key, key) into touched;
  else
    execute format('select array_agg(distinct %I) from old_rows', key) into touched;
  end if;
  if touched is null then return null; end if;
  perform pg_advisory_xact_lock(hashtext('match_projection'));
  if TG_TABLE_NAME = 'kpi_report' then
    delete from match_kpi where supplier_id = any(touched);
    ${kpiInsert('r.supplier_id = any(touched)')};
  else
    -- match_solution itself: rows (re)made by match_projection_sync get their evidence here.
    ${evidenceUpdate("(case when TG_TABLE_NAME = 'match_solution' then 'all' else TG_TABLE_NAME end)", 'm.solution_id = any(touched)')};
  end if;
  return null;
end;
\$\$;`);

    this.addSql(`create trigger "standard_compliance_match_evidence_insert" after insert on "standard_compliance" referencing new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "standard_compliance_match_evidence_update" after update on "standard_compliance" referencing old table as old_rows new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "standard_compliance_match_evidence_delete" after delete on "standard_compliance" referencing old table as old_rows for each statement execute function "match_evidence_sync"();`);

    this.addSql(`create trigger "epic_assessment_match_evidence_insert" after insert on "epic_assessment" referencing new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "epic_assessment_match_evidence_update" after update on "epic_assessment" referencing old table as old_rows new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "epic_assessment_match_evidence_delete" after delete on "epic_assessment" referencing old table as old_rows for each statement execute function "match_evidence_sync"();`);

    this.addSql(`create trigger "capability_assessment_match_evidence_insert" after insert on "capability_assessment" referencing new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "capability_assessment_match_evidence_update" after update on "capability_assessment" referencing old table as old_rows new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "capability_assessment_match_evidence_delete" after delete on "capability_assessment" referencing old table as old_rows for each statement execute function "match_evidence_sync"();`);

    this.addSql(`create trigger "kpi_report_match_evidence_insert" after insert on "kpi_report" referencing new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "kpi_report_match_evidence_update" after update on "kpi_report" referencing old table as old_rows new table as new_rows for each statement execute function "match_evidence_sync"();`);
    this.addSql(`create trigger "kpi_report_match_evidence_delete" after delete on "kpi_report" referencing old table as old_rows for each statement execute function "match_evidence_sync"();`);

    this.addSql(`create trigger "match_solution_match_evidence_insert" after insert on "match_solution" referencing new table as new_rows for each statement execute function "match_evidence_sync"();`);

    // One process reads the projection whole: parallel workers would each rebuild every hashed set,
    // and the score, computed above the gather, would drag every wide row through a sort.
    this.addSql(`alter table "match_solution" set (parallel_workers = 0);`);

    // Fill from what is already there.
    this.addSql(evidenceUpdate(`'all'`, 'true'));
    this.addSql(kpiInsert('true'));
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "match_solution_match_evidence_insert" on "match_solution";`);
    this.addSql(`drop table if exists "match_kpi" cascade;`);

    this.addSql(`drop trigger if exists "capability_assessment_match_evidence_insert" on "capability_assessment";`);
    this.addSql(`drop trigger if exists "capability_assessment_match_evidence_update" on "capability_assessment";`);
    this.addSql(`drop trigger if exists "capability_assessment_match_evidence_delete" on "capability_assessment";`);

    this.addSql(`drop trigger if exists "epic_assessment_match_evidence_insert" on "epic_assessment";`);
    this.addSql(`drop trigger if exists "epic_assessment_match_evidence_update" on "epic_assessment";`);
    this.addSql(`drop trigger if exists "epic_assessment_match_evidence_delete" on "epic_assessment";`);

    this.addSql(`drop trigger if exists "kpi_report_match_evidence_insert" on "kpi_report";`);
    this.addSql(`drop trigger if exists "kpi_report_match_evidence_update" on "kpi_report";`);
    this.addSql(`drop trigger if exists "kpi_report_match_evidence_delete" on "kpi_report";`);

    this.addSql(`alter table "match_solution" reset (parallel_workers);`);
    this.addSql(`alter table "match_solution" drop column "standards_met", drop column "standard_plans", drop column "capabilities_passed", drop column "capabilities_full", drop column "epics_passed";`);

    this.addSql(`drop trigger if exists "standard_compliance_match_evidence_insert" on "standard_compliance";`);
    this.addSql(`drop trigger if exists "standard_compliance_match_evidence_update" on "standard_compliance";`);
    this.addSql(`drop trigger if exists "standard_compliance_match_evidence_delete" on "standard_compliance";`);
    this.addSql(`drop function if exists "match_evidence_sync"();`);
  }

}
