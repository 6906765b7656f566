import { Migration } from '@mikro-orm/migrations';

/**
 * Keeping evidence current (issue 16, first part): people, what they are told, and the jobs that tell
 * them.
 *
 * - `app_user`: one account per person (the token's or identity provider's `sub`), with role, tenant
 *   and email, created at first sign-in or first API call; which notification kinds they do not want
 *   by email.
 * - `notification_event`: one thing worth telling (a certificate 30 days from expiry...). Its
 *   `dedupe_key` (kind, record, threshold) is unique: a job that decides twice inserts once, in the
 *   same statement that makes the decision, so a rerun or a restart sends nothing twice.
 * - `notification`: the event in one person's inbox, with its email delivery state.
 * - `webhook` and `webhook_delivery`: an organisation's or supplier's endpoint and each event's
 *   delivery to it (retried with backoff for 24 hours, then DEAD until replayed).
 * - `job_run`: every run of every job, for the assurance team and /metrics.
 *
 * pg-boss keeps its own queue tables in the `pgboss` schema, which it creates and migrates itself when
 * a worker starts (its schema is versioned with the package); nothing here depends on them.
 * No entity maps these tables (raw SQL stores; the ORM's schema generator skips them: orm.config.ts).
 */
export class Migration20261205090000_notifications extends Migration {

  override name = 'Migration20261205090000_notifications';

  override async up(): Promise<void> {
    this.addSql(`create table "app_user" (
      "id" uuid not null default gen_random_uuid(),
      "sub" varchar(200) not null,
      "role" text not null,
      "supplier_id" uuid null,
      "ods_code" varchar(10) null,
      "email" varchar(320) null,
      "display_name" varchar(200) null,
      "email_disabled_kinds" text[] not null default '{}',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "app_user_pkey" primary key ("id"),
      constraint "app_user_sub_unique" unique ("sub"),
      constraint "app_user_role_check" check ("role" in ('SUPPLIER', 'BUYER', 'ASSURANCE')),
      constraint "app_user_tenant_check" check (
        ("role" = 'SUPPLIER' and "supplier_id" is not null and "ods_code" is null)
        or ("role" = 'BUYER' and "ods_code" is not null and "supplier_id" is null)
        or ("role" = 'ASSURANCE' and "supplier_id" is null and "ods_code" is null)),
      constraint "app_user_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade);`);
    this.addSql(`create index "app_user_supplier_id_index" on "app_user" ("supplier_id") where "supplier_id" is not null;`);
    this.addSql(`create index "app_user_ods_code_index" on "app_user" ("ods_code") where "ods_code" is not null;`);

    this.addSql(`create table "notification_event" (
      "id" uuid not null default gen_random_uuid(),
      "kind" varchar(64) not null,
      "dedupe_key" varchar(300) not null,
      "supplier_id" uuid null,
      "ods_code" varchar(10) null,
      "subject" varchar(300) not null,
      "body" text not null,
      "link_path" varchar(500) not null,
      "payload" jsonb not null default '{}',
      "created_at" timestamptz not null,
      constraint "notification_event_pkey" primary key ("id"),
      constraint "notification_event_dedupe_key_unique" unique ("dedupe_key"),
      constraint "notification_event_audience_check" check ("supplier_id" is not null or "ods_code" is not null),
      constraint "notification_event_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade);`);
    this.addSql(`create index "notification_event_supplier_id_index" on "notification_event" ("supplier_id");`);

    this.addSql(`create table "notification" (
      "id" uuid not null default gen_random_uuid(),
      "event_id" uuid not null,
      "user_id" uuid not null,
      "created_at" timestamptz not null,
      "read_at" timestamptz null,
      "email_status" text not null,
      "email_attempts" int not null default 0,
      "email_next_at" timestamptz null,
      "email_sent_at" timestamptz null,
      "email_error" text null,
      constraint "notification_pkey" primary key ("id"),
      constraint "notification_event_user_unique" unique ("event_id", "user_id"),
      constraint "notification_email_status_check" check ("email_status" in ('PENDING', 'SENT', 'FAILED', 'NOT_WANTED', 'NO_ADDRESS', 'SKIPPED')),
      constraint "notification_event_id_foreign" foreign key ("event_id") references "notification_event" ("id") on delete cascade,
      constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade);`);
    this.addSql(`create index "notification_user_created_index" on "notification" ("user_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "notification_user_unread_index" on "notification" ("user_id") where "read_at" is null;`);
    this.addSql(`create index "notification_email_due_index" on "notification" ("email_next_at") where "email_status" = 'PENDING';`);

    this.addSql(`create table "webhook" (
      "id" uuid not null default gen_random_uuid(),
      "supplier_id" uuid null,
      "ods_code" varchar(10) null,
      "url" varchar(2000) not null,
      "secret" varchar(200) not null,
      "active" boolean not null default true,
      "created_at" timestamptz not null default now(),
      "created_by" varchar(200) not null,
      "version" int not null default 1,
      constraint "webhook_pkey" primary key ("id"),
      constraint "webhook_owner_check" check (("supplier_id" is null) <> ("ods_code" is null)),
      constraint "webhook_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade);`);
    this.addSql(`create index "webhook_supplier_id_index" on "webhook" ("supplier_id") where "supplier_id" is not null;`);
    this.addSql(`create index "webhook_ods_code_index" on "webhook" ("ods_code") where "ods_code" is not null;`);

    this.addSql(`create table "webhook_delivery" (
      "id" uuid not null default gen_random_uuid(),
      "webhook_id" uuid not null,
      "event_id" uuid not null,
      "status" text not null default 'PENDING',
      "attempts" int not null default 0,
      "created_at" timestamptz not null,
      "window_started_at" timestamptz null,
      "next_attempt_at" timestamptz null,
      "last_attempt_at" timestamptz null,
      "last_status_code" int null,
      "last_error" text null,
      "delivered_at" timestamptz null,
      "dead_at" timestamptz null,
      "replays" int not null default 0,
      constraint "webhook_delivery_pkey" primary key ("id"),
      constraint "webhook_delivery_webhook_event_unique" unique ("webhook_id", "event_id"),
      constraint "webhook_delivery_status_check" check ("status" in ('PENDING', 'DELIVERED', 'DEAD')),
      constraint "webhook_delivery_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on delete cascade,
      constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "notification_event" ("id") on delete cascade);`);
    this.addSql(`create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`);
    this.addSql(`create index "webhook_delivery_webhook_status_index" on "webhook_delivery" ("webhook_id", "status", "created_at" desc);`);
    this.addSql(`create index "webhook_delivery_event_id_index" on "webhook_delivery" ("event_id");`);

    this.addSql(`create table "job_run" (
      "id" uuid not null default gen_random_uuid(),
      "job" varchar(64) not null,
      "queue_job_id" varchar(64) null,
      "started_at" timestamptz not null default clock_timestamp(),
      "finished_at" timestamptz null,
      "as_of" timestamptz not null,
      "outcome" text not null default 'RUNNING',
      "summary" jsonb not null default '{}',
      "error" text null,
      constraint "job_run_pkey" primary key ("id"),
      constraint "job_run_outcome_check" check ("outcome" in ('RUNNING', 'SUCCEEDED', 'FAILED')));`);
    this.addSql(`create index "job_run_started_at_index" on "job_run" ("started_at" desc, "id" desc);`);
    this.addSql(`create index "job_run_job_started_at_index" on "job_run" ("job", "started_at" desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "job_run";`);
    this.addSql(`drop table if exists "webhook_delivery";`);
    this.addSql(`drop table if exists "webhook";`);
    this.addSql(`drop table if exists "notification";`);
    this.addSql(`drop table if exists "notification_event";`);
    this.addSql(`drop table if exists "app_user";`);
  }

}
