import { Migration } from '@mikro-orm/migrations';

/**
 * Supplier identity under review (issue 11): the supplier_profile_change table (requests to change a
 * supplier's names, Companies House number or website, at most one awaiting review per supplier), a
 * unique index on legal names compared ignoring case and surrounding spaces, and an index for looking
 * trading names up the same way. A database in which two suppliers already share a legal name stops
 * here with a message naming them, rather than a bare unique violation: resolve it, then migrate.
 */
export class Migration20261127135718_profile_changes extends Migration {

  override name = 'Migration20261127135718_profile_changes';

  override up(): void | Promise<void> {
    this.addSql(`create table "supplier_profile_change" ("id" uuid not null, "verification_status" text not null default 'SUBMITTED', "submitted_at" timestamptz not null default now(), "reviewed_at" timestamptz null, "reviewed_by" varchar(200) null, "rejection_reason" text null, "version" int not null default 1, "supplier_id" uuid not null, "name" varchar(200) null, "legal_name" varchar(200) null, "companies_house_number" varchar(8) null, "website" varchar(500) null, "note" text null, primary key ("id"));`);
    this.addSql(`create index "supplier_profile_change_supplier_id_index" on "supplier_profile_change" ("supplier_id");`);
    this.addSql(`create unique index "supplier_profile_change_one_pending" on "supplier_profile_change" ("supplier_id") where "verification_status" = 'SUBMITTED';`);

    this.addSql(`do \$\$ declare clashes text; begin
  select string_agg(format('%s (%s)', names, ids), '; ') into clashes from (
    select string_agg(quote_literal(legal_name), ', ') as names, string_agg(id::text, ', ') as ids
    from "supplier" group by lower(btrim(legal_name)) having count(*) > 1) d;
  if clashes is not null then
    raise exception 'suppliers share a legal name, which is now unique: %', clashes using hint = 'rename or merge them, then migrate again';
  end if;
end \$\$;`);
    this.addSql(`create unique index "supplier_legal_name_unique" on "supplier" (lower(btrim("legal_name")));`);
    this.addSql(`create index "supplier_name_key_index" on "supplier" (lower(btrim("name")));`);

    this.addSql(`alter table "supplier_profile_change" add constraint "supplier_profile_change_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade;`);
    this.addSql(`alter table "supplier_profile_change" add constraint "supplier_profile_change_not_empty" check (coalesce(name, legal_name, companies_house_number, website) is not null);`);
    this.addSql(`alter table "supplier_profile_change" add constraint "supplier_profile_change_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "supplier_profile_change" cascade;`);

    this.addSql(`drop index if exists "supplier_name_key_index";`);
    this.addSql(`drop index if exists "supplier_legal_name_unique";`);
  }

}
