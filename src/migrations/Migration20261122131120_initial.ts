import { Migration } from '@mikro-orm/migrations';

export class Migration20261122131120_initial extends Migration {

  override name = 'Migration20261122131120_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "capability" ("id" uuid not null, "reference" varchar(8) not null, "number" int not null, "name" varchar(200) not null, "description" text null, "category" varchar(100) not null, "is_foundation" boolean not null default false, "status" text not null default 'EFFECTIVE', primary key ("id"));`);
    this.addSql(`alter table "capability" add constraint "capability_reference_unique" unique ("reference");`);
    this.addSql(`create index "capability_number_index" on "capability" ("number");`);
    this.addSql(`create index "capability_category_index" on "capability" ("category");`);

    this.addSql(`create table "epic" ("id" uuid not null, "reference" varchar(16) not null, "capability_id" uuid not null, "number" int not null, "name" varchar(300) not null, "level" text not null, "active" boolean not null default true, primary key ("id"));`);
    this.addSql(`alter table "epic" add constraint "epic_reference_unique" unique ("reference");`);
    this.addSql(`create index "epic_capability_id_index" on "epic" ("capability_id");`);

    this.addSql(`create table "framework" ("id" uuid not null, "code" varchar(32) not null, "name" varchar(200) not null, "owner" varchar(200) not null, "status" text not null, "active_from" date not null, "expires_on" date null, "maximum_term_months" int not null, "practices_may_buy_directly" boolean not null default false, "funding_types" text[] not null default '{}', "description" text null, primary key ("id"));`);
    this.addSql(`alter table "framework" add constraint "framework_code_unique" unique ("code");`);

    this.addSql(`create table "lot" ("id" uuid not null, "framework_id" uuid not null, "number" int not null, "name" varchar(200) not null, "description" text null, primary key ("id"));`);
    this.addSql(`alter table "lot" add constraint "lot_framework_id_number_unique" unique ("framework_id", "number");`);

    this.addSql(`create table "organisation" ("id" uuid not null, "ods_code" varchar(10) not null, "name" varchar(200) not null, "role" text not null, "postcode" varchar(10) null, "parent_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "organisation" add constraint "organisation_ods_code_unique" unique ("ods_code");`);
    this.addSql(`create index "organisation_name_index" on "organisation" ("name");`);
    this.addSql(`create index "organisation_role_index" on "organisation" ("role");`);
    this.addSql(`create index "organisation_parent_id_index" on "organisation" ("parent_id");`);

    this.addSql(`create table "standard" ("id" uuid not null, "reference" varchar(8) not null, "number" int not null, "name" varchar(200) not null, "description" text null, "type" text not null, "version" varchar(32) null, "withdrawn" boolean not null default false, primary key ("id"));`);
    this.addSql(`alter table "standard" add constraint "standard_reference_unique" unique ("reference");`);
    this.addSql(`create index "standard_number_index" on "standard" ("number");`);

    this.addSql(`alter table "capability" add constraint "capability_status_check" check ("status" in ('EFFECTIVE', 'RETIRED'));`);

    this.addSql(`alter table "epic" add constraint "epic_capability_id_foreign" foreign key ("capability_id") references "capability" ("id") on delete cascade;`);
    this.addSql(`alter table "epic" add constraint "epic_level_check" check ("level" in ('MUST', 'SHOULD', 'MAY'));`);

    this.addSql(`alter table "framework" add constraint "framework_status_check" check ("status" in ('COMING', 'OPEN', 'LIVE', 'EXPIRED'));`);
    this.addSql(`alter table "framework" add constraint "framework_funding_types_check" check ("funding_types" <@ array['GPIT_FUNDING'::text, 'LOCAL_FUNDING'::text]);`);

    this.addSql(`alter table "lot" add constraint "lot_framework_id_foreign" foreign key ("framework_id") references "framework" ("id") on delete cascade;`);

    this.addSql(`alter table "organisation" add constraint "organisation_parent_id_foreign" foreign key ("parent_id") references "organisation" ("id") on delete set null;`);
    this.addSql(`alter table "organisation" add constraint "organisation_role_check" check ("role" in ('ICB', 'SUB_ICB_LOCATION', 'GP_PRACTICE', 'CSU'));`);

    this.addSql(`alter table "standard" add constraint "standard_type_check" check ("type" in ('OVERARCHING', 'INTEROPERABILITY', 'CAPABILITY_SPECIFIC'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "epic" drop constraint "epic_capability_id_foreign";`);
    this.addSql(`alter table "lot" drop constraint "lot_framework_id_foreign";`);
    this.addSql(`alter table "organisation" drop constraint "organisation_parent_id_foreign";`);

    this.addSql(`drop table if exists "capability" cascade;`);
    this.addSql(`drop table if exists "epic" cascade;`);
    this.addSql(`drop table if exists "framework" cascade;`);
    this.addSql(`drop table if exists "lot" cascade;`);
    this.addSql(`drop table if exists "organisation" cascade;`);
    this.addSql(`drop table if exists "standard" cascade;`);
  }

}
