import { Migration } from '@mikro-orm/migrations';

export class Migration20261122131719_catalogue extends Migration {

  override name = 'Migration20261122131719_catalogue';

  override up(): void | Promise<void> {
    this.addSql(`create table "dspt_assessment" ("id" uuid not null, "ods_code" varchar(10) not null, "cycle" varchar(7) not null, "status" text not null, "published_on" date not null, "current_until" date generated always as (make_date(substr(cycle, 1, 4)::int + 2, 6, 30)) stored null, "verification_status" text not null default 'SUBMITTED', "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "dspt_assessment_ods_code_published_on_index" on "dspt_assessment" ("ods_code", "published_on");`);
    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_ods_code_cycle_unique" unique ("ods_code", "cycle");`);

    this.addSql(`create table "supplier" ("id" uuid not null, "name" varchar(200) not null, "legal_name" varchar(200) not null, "companies_house_number" varchar(8) not null, "ods_code" varchar(10) null, "size" text not null, "website" varchar(500) null, "summary" text null, "active" boolean not null default true, "search_vector" tsvector generated always as (to_tsvector('english'::regconfig, coalesce(name, '') || ' ' || coalesce(legal_name, '') || ' ' || coalesce(summary, ''))) stored null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "supplier" add constraint "supplier_companies_house_number_unique" unique ("companies_house_number");`);
    this.addSql(`alter table "supplier" add constraint "supplier_ods_code_unique" unique ("ods_code");`);
    this.addSql(`create index "supplier_search_vector_index" on "public"."supplier" using gin("search_vector");`);
    this.addSql(`create index "supplier_name_id_index" on "supplier" ("name", "id");`);

    this.addSql(`create table "solution" ("id" uuid not null, "supplier_id" uuid not null, "name" varchar(200) not null, "summary" text null, "publication_status" text not null, "hosting_types" text[] not null default '{}', "integrations" text[] not null default '{}', "data_processing_agreement_url" varchar(500) null, "search_vector" tsvector generated always as (to_tsvector('english'::regconfig, coalesce(name, '') || ' ' || coalesce(summary, ''))) stored null, "version" int not null default 1, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "solution_supplier_id_index" on "solution" ("supplier_id");`);
    this.addSql(`create index "solution_publication_status_index" on "solution" ("publication_status");`);
    this.addSql(`create index "solution_search_vector_index" on "public"."solution" using gin("search_vector");`);
    this.addSql(`create index "solution_name_id_index" on "solution" ("name", "id");`);

    this.addSql(`create table "standard_compliance" ("id" uuid not null, "solution_id" uuid not null, "standard_id" uuid not null, "status" text not null, "remediation_due_on" date null, "remediation_plan" text null, "verification_status" text not null default 'SUBMITTED', "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "standard_compliance_standard_id_index" on "standard_compliance" ("standard_id");`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_solution_id_standard_id_unique" unique ("solution_id", "standard_id");`);

    this.addSql(`create table "solution_lot" ("solution_id" uuid not null, "lot_id" uuid not null, primary key ("solution_id", "lot_id"));`);
    this.addSql(`create index "solution_lot_lot_id_index" on "solution_lot" ("lot_id");`);

    this.addSql(`create table "epic_assessment" ("id" uuid not null, "solution_id" uuid not null, "epic_id" uuid not null, "result" text not null, "verification_status" text not null default 'SUBMITTED', "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "epic_assessment_epic_id_index" on "epic_assessment" ("epic_id");`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_solution_id_epic_id_unique" unique ("solution_id", "epic_id");`);

    this.addSql(`create table "capability_assessment" ("id" uuid not null, "solution_id" uuid not null, "capability_id" uuid not null, "result" text not null, "assessed_on" date not null, "verification_status" text not null default 'SUBMITTED', "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "capability_assessment_capability_id_result_index" on "capability_assessment" ("capability_id", "result");`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_solution_id_capability_id_unique" unique ("solution_id", "capability_id");`);

    this.addSql(`create table "framework_award" ("id" uuid not null, "supplier_id" uuid not null, "lot_id" uuid not null, "awarded_on" date not null, "expires_on" date not null, "recorded_status" text not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "framework_award_lot_id_index" on "framework_award" ("lot_id");`);
    this.addSql(`alter table "framework_award" add constraint "framework_award_supplier_id_lot_id_unique" unique ("supplier_id", "lot_id");`);

    this.addSql(`create table "certification" ("id" uuid not null, "supplier_id" uuid not null, "type" text not null, "certificate_number" varchar(100) not null, "certifying_body" varchar(200) not null, "scope" text null, "scope_exclusions" text null, "valid_from" date not null, "valid_until" date not null, "verification_status" text not null default 'SUBMITTED', "version" int not null default 1, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "certification_supplier_id_index" on "certification" ("supplier_id");`);
    this.addSql(`create index "certification_type_valid_until_index" on "certification" ("type", "valid_until");`);

    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_status_check" check ("status" in ('STANDARDS_EXCEEDED', 'STANDARDS_MET', 'APPROACHING_STANDARDS', 'STANDARDS_NOT_MET', 'NOT_PUBLISHED'));`);
    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "supplier" add constraint "supplier_size_check" check ("size" in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE'));`);

    this.addSql(`alter table "solution" add constraint "solution_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade;`);
    this.addSql(`alter table "solution" add constraint "solution_publication_status_check" check ("publication_status" in ('DRAFT', 'PUBLISHED', 'SUSPENDED', 'IN_REMEDIATION', 'UNPUBLISHED'));`);
    this.addSql(`alter table "solution" add constraint "solution_hosting_types_check" check ("hosting_types" <@ array['PUBLIC_CLOUD'::text, 'PUBLIC_CLOUD_HSCN'::text, 'PRIVATE_CLOUD'::text, 'HYBRID'::text, 'ON_PREMISE'::text]);`);
    this.addSql(`alter table "solution" add constraint "solution_integrations_check" check ("integrations" <@ array['GP_CONNECT_ACCESS_RECORD_HTML'::text, 'GP_CONNECT_ACCESS_RECORD_STRUCTURED'::text, 'GP_CONNECT_APPOINTMENT_MANAGEMENT'::text, 'GP_CONNECT_SEND_DOCUMENT'::text, 'GP_CONNECT_UPDATE_RECORD'::text, 'IM1_BULK'::text, 'IM1_TRANSACTIONAL'::text, 'IM1_PATIENT_FACING'::text, 'NHS_APP'::text]);`);

    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on delete cascade;`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_standard_id_foreign" foreign key ("standard_id") references "standard" ("id");`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_status_check" check ("status" in ('MET', 'REMEDIATION_PLAN'));`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "solution_lot" add constraint "solution_lot_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "solution_lot" add constraint "solution_lot_lot_id_foreign" foreign key ("lot_id") references "lot" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on delete cascade;`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_epic_id_foreign" foreign key ("epic_id") references "epic" ("id");`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_result_check" check ("result" in ('PASSED', 'NOT_EVIDENCED', 'FAILED'));`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on delete cascade;`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_capability_id_foreign" foreign key ("capability_id") references "capability" ("id");`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_result_check" check ("result" in ('FAILED', 'PASSED_PARTIAL', 'PASSED_FULL'));`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "framework_award" add constraint "framework_award_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade;`);
    this.addSql(`alter table "framework_award" add constraint "framework_award_lot_id_foreign" foreign key ("lot_id") references "lot" ("id");`);
    this.addSql(`alter table "framework_award" add constraint "framework_award_recorded_status_check" check ("recorded_status" in ('ACTIVE', 'SUSPENDED', 'WITHDRAWN'));`);

    this.addSql(`alter table "certification" add constraint "certification_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade;`);
    this.addSql(`alter table "certification" add constraint "certification_type_check" check ("type" in ('ISO_27001', 'ISO_9001', 'ISO_22301', 'ISO_20000_1', 'ISO_14001', 'CYBER_ESSENTIALS', 'CYBER_ESSENTIALS_PLUS', 'MHRA_REGISTRATION'));`);
    this.addSql(`alter table "certification" add constraint "certification_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "solution" drop constraint "solution_supplier_id_foreign";`);
    this.addSql(`alter table "framework_award" drop constraint "framework_award_supplier_id_foreign";`);
    this.addSql(`alter table "certification" drop constraint "certification_supplier_id_foreign";`);
    this.addSql(`alter table "standard_compliance" drop constraint "standard_compliance_solution_id_foreign";`);
    this.addSql(`alter table "solution_lot" drop constraint "solution_lot_solution_id_foreign";`);
    this.addSql(`alter table "epic_assessment" drop constraint "epic_assessment_solution_id_foreign";`);
    this.addSql(`alter table "capability_assessment" drop constraint "capability_assessment_solution_id_foreign";`);

    this.addSql(`drop table if exists "dspt_assessment" cascade;`);
    this.addSql(`drop table if exists "supplier" cascade;`);
    this.addSql(`drop table if exists "solution" cascade;`);
    this.addSql(`drop table if exists "standard_compliance" cascade;`);
    this.addSql(`drop table if exists "solution_lot" cascade;`);
    this.addSql(`drop table if exists "epic_assessment" cascade;`);
    this.addSql(`drop table if exists "capability_assessment" cascade;`);
    this.addSql(`drop table if exists "framework_award" cascade;`);
    this.addSql(`drop table if exists "certification" cascade;`);
  }

}
