import { Migration } from '@mikro-orm/migrations';

export class Migration20261122135921_specifications extends Migration {

  override name = 'Migration20261122135921_specifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "requirement_set" ("id" uuid not null, "name" varchar(200) not null, "edition" varchar(32) not null, "description" text null, "owner_id" uuid null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "requirement_set_owner_id_index" on "requirement_set" ("owner_id");`);

    this.addSql(`create table "service_specification" ("id" uuid not null, "owner_id" uuid not null, "title" varchar(300) not null, "framework_codes" text[] not null, "kpis" jsonb not null, "contract_start" date not null, "term_months" int not null, "created_by" varchar(200) not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "service_specification_owner_id_index" on "service_specification" ("owner_id");`);

    this.addSql(`create table "service_specification_requirement_set" ("service_specification_id" uuid not null, "requirement_set_id" uuid not null, primary key ("service_specification_id", "requirement_set_id"));`);

    this.addSql(`create table "requirement" ("id" uuid not null, "set_id" uuid null, "specification_id" uuid null, "code" varchar(32) not null, "title" varchar(300) not null, "priority" text not null, "weight" int not null, "criterion" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "requirement_set_id_index" on "requirement" ("set_id");`);
    this.addSql(`create index "requirement_specification_id_index" on "requirement" ("specification_id");`);

    this.addSql(`alter table "requirement_set" add constraint "requirement_set_owner_id_foreign" foreign key ("owner_id") references "organisation" ("id") on delete set null;`);

    this.addSql(`alter table "service_specification" add constraint "service_specification_owner_id_foreign" foreign key ("owner_id") references "organisation" ("id");`);
    this.addSql(`alter table "service_specification" add constraint "service_specification_term_positive" check (term_months > 0);`);

    this.addSql(`alter table "service_specification_requirement_set" add constraint "service_specification_requirement_set_service_sp_872fd_foreign" foreign key ("service_specification_id") references "service_specification" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "service_specification_requirement_set" add constraint "service_specification_requirement_set_requiremen_2d817_foreign" foreign key ("requirement_set_id") references "requirement_set" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "requirement" add constraint "requirement_set_id_foreign" foreign key ("set_id") references "requirement_set" ("id") on delete cascade;`);
    this.addSql(`alter table "requirement" add constraint "requirement_specification_id_foreign" foreign key ("specification_id") references "service_specification" ("id") on delete cascade;`);
    this.addSql(`alter table "requirement" add constraint "requirement_weight_range" check (weight >= 1 AND weight <= 100);`);
    this.addSql(`alter table "requirement" add constraint "requirement_one_owner" check ((set_id IS NULL) <> (specification_id IS NULL));`);
    this.addSql(`alter table "requirement" add constraint "requirement_priority_check" check ("priority" in ('MUST', 'SHOULD'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "service_specification_requirement_set" drop constraint "service_specification_requirement_set_requiremen_2d817_foreign";`);
    this.addSql(`alter table "requirement" drop constraint "requirement_set_id_foreign";`);
    this.addSql(`alter table "service_specification_requirement_set" drop constraint "service_specification_requirement_set_service_sp_872fd_foreign";`);
    this.addSql(`alter table "requirement" drop constraint "requirement_specification_id_foreign";`);

    this.addSql(`drop table if exists "requirement_set" cascade;`);
    this.addSql(`drop table if exists "service_specification" cascade;`);
    this.addSql(`drop table if exists "service_specification_requirement_set" cascade;`);
    this.addSql(`drop table if exists "requirement" cascade;`);
  }

}
