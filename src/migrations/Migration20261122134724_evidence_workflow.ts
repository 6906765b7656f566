import { Migration } from '@mikro-orm/migrations';

export class Migration20261122134724_evidence_workflow extends Migration {

  override name = 'Migration20261122134724_evidence_workflow';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_event" ("id" uuid not null, "occurred_at" timestamptz not null default clock_timestamp(), "actor_sub" varchar(200) not null, "actor_role" varchar(20) not null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" uuid not null, "supplier_id" uuid null, "before" jsonb null, "after" jsonb null, "request_id" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "audit_event_supplier_id_index" on "audit_event" ("supplier_id");`);
    this.addSql(`create index "audit_event_entity_type_entity_id_occurred_at_index" on "audit_event" ("entity_type", "entity_id", "occurred_at");`);

    this.addSql(`create table "kpi_report" ("id" uuid not null, "verification_status" text not null default 'SUBMITTED', "submitted_at" timestamptz not null default now(), "reviewed_at" timestamptz null, "reviewed_by" varchar(200) null, "rejection_reason" text null, "version" int not null default 1, "supplier_id" uuid not null, "solution_id" uuid null, "kpi_code" varchar(64) not null, "period" varchar(7) not null, "value" double precision not null, primary key ("id"));`);
    this.addSql(`create index "kpi_report_kpi_code_period_index" on "kpi_report" ("kpi_code", "period");`);
    this.addSql(`alter table "kpi_report" add constraint "kpi_report_supplier_id_kpi_code_period_unique" unique ("supplier_id", "kpi_code", "period");`);

    this.addSql(`alter table "dspt_assessment" drop constraint "dspt_assessment_verification_status_check";`);
    this.addSql(`alter table "dspt_assessment" add "submitted_at" timestamptz not null default now(), add "reviewed_at" timestamptz null, add "reviewed_by" varchar(200) null, add "rejection_reason" text null;`);
    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_cycle_format" check (cycle ~ '^[0-9]{4}-[0-9]{2}\$');`);
    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);

    this.addSql(`alter table "standard_compliance" drop constraint "standard_compliance_verification_status_check";`);
    this.addSql(`alter table "standard_compliance" add "submitted_at" timestamptz not null default now(), add "reviewed_at" timestamptz null, add "reviewed_by" varchar(200) null, add "rejection_reason" text null;`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);

    this.addSql(`alter table "epic_assessment" drop constraint "epic_assessment_verification_status_check";`);
    this.addSql(`alter table "epic_assessment" add "submitted_at" timestamptz not null default now(), add "reviewed_at" timestamptz null, add "reviewed_by" varchar(200) null, add "rejection_reason" text null;`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);

    this.addSql(`alter table "capability_assessment" drop constraint "capability_assessment_verification_status_check";`);
    this.addSql(`alter table "capability_assessment" add "submitted_at" timestamptz not null default now(), add "reviewed_at" timestamptz null, add "reviewed_by" varchar(200) null, add "rejection_reason" text null;`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);

    this.addSql(`alter table "framework_award" add "suspension_reason" text null;`);

    this.addSql(`alter table "certification" drop constraint "certification_verification_status_check";`);
    this.addSql(`alter table "certification" add "submitted_at" timestamptz not null default now(), add "reviewed_at" timestamptz null, add "reviewed_by" varchar(200) null, add "rejection_reason" text null;`);
    this.addSql(`alter table "certification" add constraint "certification_dates_in_order" check (valid_until >= valid_from);`);
    this.addSql(`alter table "certification" add constraint "certification_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);

    this.addSql(`create or replace function "audit_event_audit_event_append_only_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_event_append_only" BEFORE UPDATE OR DELETE on "audit_event" for each ROW execute function "audit_event_audit_event_append_only_fn"();`);

    this.addSql(`alter table "kpi_report" add constraint "kpi_report_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade;`);
    this.addSql(`alter table "kpi_report" add constraint "kpi_report_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on delete set null;`);
    this.addSql(`alter table "kpi_report" add constraint "kpi_report_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop table if exists "kpi_report" cascade;`);

    this.addSql(`alter table "capability_assessment" drop constraint "capability_assessment_verification_status_check";`);
    this.addSql(`alter table "capability_assessment" drop column "submitted_at", drop column "reviewed_at", drop column "reviewed_by", drop column "rejection_reason";`);
    this.addSql(`alter table "capability_assessment" add constraint "capability_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "certification" drop constraint "certification_dates_in_order";`);
    this.addSql(`alter table "certification" drop constraint "certification_verification_status_check";`);
    this.addSql(`alter table "certification" drop column "submitted_at", drop column "reviewed_at", drop column "reviewed_by", drop column "rejection_reason";`);
    this.addSql(`alter table "certification" add constraint "certification_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "dspt_assessment" drop constraint "dspt_assessment_cycle_format";`);
    this.addSql(`alter table "dspt_assessment" drop constraint "dspt_assessment_verification_status_check";`);
    this.addSql(`alter table "dspt_assessment" drop column "submitted_at", drop column "reviewed_at", drop column "reviewed_by", drop column "rejection_reason";`);
    this.addSql(`alter table "dspt_assessment" add constraint "dspt_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "epic_assessment" drop constraint "epic_assessment_verification_status_check";`);
    this.addSql(`alter table "epic_assessment" drop column "submitted_at", drop column "reviewed_at", drop column "reviewed_by", drop column "rejection_reason";`);
    this.addSql(`alter table "epic_assessment" add constraint "epic_assessment_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);

    this.addSql(`alter table "framework_award" drop column "suspension_reason";`);

    this.addSql(`alter table "standard_compliance" drop constraint "standard_compliance_verification_status_check";`);
    this.addSql(`alter table "standard_compliance" drop column "submitted_at", drop column "reviewed_at", drop column "reviewed_by", drop column "rejection_reason";`);
    this.addSql(`alter table "standard_compliance" add constraint "standard_compliance_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED'));`);
  }

}
