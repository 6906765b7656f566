import { Migration } from '@mikro-orm/migrations';

export class Migration20261122141437_shortlists extends Migration {

  override name = 'Migration20261122141437_shortlists';

  override up(): void | Promise<void> {
    this.addSql(`create table "shortlist" ("id" uuid not null, "specification_id" uuid not null, "owner_id" uuid not null, "as_of" date not null, "status" text not null default 'DRAFT', "notes" text null, "created_by" varchar(200) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "finalised_at" timestamptz null, "finalised_by" varchar(200) null, "sequence" int null, "snapshot" jsonb null, "hash" varchar(64) null, "previous_hash" varchar(64) null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "shortlist_specification_id_index" on "shortlist" ("specification_id");`);
    this.addSql(`alter table "shortlist" add constraint "shortlist_owner_id_sequence_unique" unique ("owner_id", "sequence");`);

    this.addSql(`create table "shortlist_entry" ("id" uuid not null, "shortlist_id" uuid not null, "supplier_id" uuid not null, "solution_id" uuid not null, "included" boolean not null, "rationale" text null, "eligible" boolean not null, "score" double precision not null, primary key ("id"));`);
    this.addSql(`alter table "shortlist_entry" add constraint "shortlist_entry_shortlist_id_solution_id_unique" unique ("shortlist_id", "solution_id");`);

    this.addSql(`alter table "shortlist" add constraint "shortlist_specification_id_foreign" foreign key ("specification_id") references "service_specification" ("id");`);
    this.addSql(`alter table "shortlist" add constraint "shortlist_owner_id_foreign" foreign key ("owner_id") references "organisation" ("id");`);
    this.addSql(`alter table "shortlist" add constraint "shortlist_status_check" check ("status" in ('DRAFT', 'FINALISED'));`);

    this.addSql(`alter table "shortlist_entry" add constraint "shortlist_entry_shortlist_id_foreign" foreign key ("shortlist_id") references "shortlist" ("id") on delete cascade;`);
    this.addSql(`alter table "shortlist_entry" add constraint "shortlist_entry_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id");`);
    this.addSql(`alter table "shortlist_entry" add constraint "shortlist_entry_solution_id_foreign" foreign key ("solution_id") references "solution" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "shortlist_entry" drop constraint "shortlist_entry_shortlist_id_foreign";`);

    this.addSql(`drop table if exists "shortlist" cascade;`);
    this.addSql(`drop table if exists "shortlist_entry" cascade;`);
  }

}
