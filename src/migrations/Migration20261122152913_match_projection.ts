import { Migration } from '@mikro-orm/migrations';

export class Migration20261122152913_match_projection extends Migration {

  override name = 'Migration20261122152913_match_projection';

  override up(): void | Promise<void> {
    // The trigger function first: see src/modules/matching/matching.projection.ts for why and how.
    this.addSql(`create or replace function "match_projection_sync"() returns trigger language plpgsql as \$\$
declare
  touched uuid[];
begin
  if TG_OP = 'DELETE' then
    -- A delete only ever removes rows from the copy: remove exactly those, by index. (Cascades from a
    -- supplier's deletion run this once per parent row, so it must be cheap.)
    if not exists (select from old_rows) then return null; end if;
    perform pg_advisory_xact_lock(hashtext('match_projection'));
    if TG_TABLE_NAME = 'supplier' then
      delete from match_solution where supplier_id = any(array(select id from old_rows));
      delete from match_offer where supplier_id = any(array(select id from old_rows));
    elsif TG_TABLE_NAME = 'solution' then
      delete from match_solution where solution_id = any(array(select id from old_rows));
      delete from match_offer where solution_id = any(array(select id from old_rows));
    elsif TG_TABLE_NAME = 'solution_lot' then
      delete from match_offer where solution_id = any(array(select solution_id from old_rows))
        and (solution_id, lot_id) in (select solution_id, lot_id from old_rows);
    else
      delete from match_offer where supplier_id = any(array(select supplier_id from old_rows))
        and (supplier_id, lot_id) in (select supplier_id, lot_id from old_rows);
    end if;
    return null;
  end if;
  -- An insert or update: copy afresh every solution of the suppliers the statement touched.
  if TG_TABLE_NAME = 'supplier' then
    select array_agg(id) into touched from (select id from new_rows union select id from old_rows) u;
  elsif TG_TABLE_NAME = 'solution_lot' then
    if TG_OP = 'INSERT' then select array_agg(distinct so.supplier_id) into touched from solution so where so.id in (select solution_id from new_rows);
    else select array_agg(distinct so.supplier_id) into touched from solution so
      where so.id in (select solution_id from new_rows union select solution_id from old_rows); end if;
  else
    if TG_OP = 'INSERT' then select array_agg(distinct supplier_id) into touched from new_rows;
    else select array_agg(distinct supplier_id) into touched from (select supplier_id from new_rows union select supplier_id from old_rows) u; end if;
  end if;
  if touched is null then return null; end if;
  perform pg_advisory_xact_lock(hashtext('match_projection'));
  delete from match_solution where supplier_id = any(touched);
  delete from match_offer where supplier_id = any(touched);
  insert into match_solution (solution_id, supplier_id, supplier_name, solution_name, ods_code, integrations, hosting_types, listed)
    select so.id, so.supplier_id, s.name, so.name, s.ods_code, so.integrations, so.hosting_types, s.active and so.publication_status = 'PUBLISHED'
    from solution so join supplier s on s.id = so.supplier_id where so.supplier_id = any(touched);
  insert into match_offer (solution_id, lot_id, supplier_id, award_id, awarded_on, expires_on, recorded_status)
    select sl.solution_id, sl.lot_id, so.supplier_id, fa.id, fa.awarded_on, fa.expires_on, fa.recorded_status
    from solution_lot sl join solution so on so.id = sl.solution_id
    join framework_award fa on fa.lot_id = sl.lot_id and fa.supplier_id = so.supplier_id where so.supplier_id = any(touched);
  return null;
end;
\$\$;`);

    this.addSql(`create table "match_offer" ("solution_id" uuid not null, "lot_id" uuid not null, "supplier_id" uuid not null, "award_id" uuid not null, "awarded_on" date not null, "expires_on" date not null, "recorded_status" text not null, primary key ("solution_id", "lot_id"));`);
    this.addSql(`create index "match_offer_supplier_id_index" on "match_offer" ("supplier_id");`);

    this.addSql(`create table "match_solution" ("solution_id" uuid not null, "supplier_id" uuid not null, "supplier_name" varchar(200) not null, "solution_name" varchar(200) not null, "ods_code" varchar(10) null, "integrations" text[] not null, "hosting_types" text[] not null, "listed" boolean not null, primary key ("solution_id"));`);
    this.addSql(`create index "match_solution_supplier_id_index" on "match_solution" ("supplier_id");`);

    this.addSql(`create trigger "supplier_match_projection_update" after update on "supplier" referencing old table as old_rows new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "supplier_match_projection_delete" after delete on "supplier" referencing old table as old_rows for each statement execute function "match_projection_sync"();`);

    this.addSql(`create trigger "solution_match_projection_insert" after insert on "solution" referencing new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "solution_match_projection_update" after update on "solution" referencing old table as old_rows new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "solution_match_projection_delete" after delete on "solution" referencing old table as old_rows for each statement execute function "match_projection_sync"();`);

    this.addSql(`create trigger "solution_lot_match_projection_insert" after insert on "solution_lot" referencing new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "solution_lot_match_projection_update" after update on "solution_lot" referencing old table as old_rows new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "solution_lot_match_projection_delete" after delete on "solution_lot" referencing old table as old_rows for each statement execute function "match_projection_sync"();`);

    this.addSql(`create trigger "framework_award_match_projection_insert" after insert on "framework_award" referencing new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "framework_award_match_projection_update" after update on "framework_award" referencing old table as old_rows new table as new_rows for each statement execute function "match_projection_sync"();`);
    this.addSql(`create trigger "framework_award_match_projection_delete" after delete on "framework_award" referencing old table as old_rows for each statement execute function "match_projection_sync"();`);

    // Copy what is already there.
    this.addSql(`insert into match_solution (solution_id, supplier_id, supplier_name, solution_name, ods_code, integrations, hosting_types, listed)
    select so.id, so.supplier_id, s.name, so.name, s.ods_code, so.integrations, so.hosting_types, s.active and so.publication_status = 'PUBLISHED'
    from solution so join supplier s on s.id = so.supplier_id where true;`);
    this.addSql(`insert into match_offer (solution_id, lot_id, supplier_id, award_id, awarded_on, expires_on, recorded_status)
    select sl.solution_id, sl.lot_id, so.supplier_id, fa.id, fa.awarded_on, fa.expires_on, fa.recorded_status
    from solution_lot sl join solution so on so.id = sl.solution_id
    join framework_award fa on fa.lot_id = sl.lot_id and fa.supplier_id = so.supplier_id where true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "framework_award_match_projection_insert" on "framework_award";`);
    this.addSql(`drop trigger if exists "framework_award_match_projection_update" on "framework_award";`);
    this.addSql(`drop trigger if exists "framework_award_match_projection_delete" on "framework_award";`);
    this.addSql(`drop trigger if exists "solution_match_projection_insert" on "solution";`);
    this.addSql(`drop trigger if exists "solution_match_projection_update" on "solution";`);
    this.addSql(`drop trigger if exists "solution_match_projection_delete" on "solution";`);
    this.addSql(`drop trigger if exists "solution_lot_match_projection_insert" on "solution_lot";`);
    this.addSql(`drop trigger if exists "solution_lot_match_projection_update" on "solution_lot";`);
    this.addSql(`drop trigger if exists "solution_lot_match_projection_delete" on "solution_lot";`);
    this.addSql(`drop trigger if exists "supplier_match_projection_update" on "supplier";`);
    this.addSql(`drop trigger if exists "supplier_match_projection_delete" on "supplier";`);
    this.addSql(`drop function if exists "match_projection_sync"();`);
    this.addSql(`drop table if exists "match_offer" cascade;`);
    this.addSql(`drop table if exists "match_solution" cascade;`);
  }

}
