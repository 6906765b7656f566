import { Migration } from '@mikro-orm/migrations';

/**
 * audit_event already refuses UPDATE and DELETE row by row (audit.entity.ts); TRUNCATE fires no row
 * triggers, so it gets a statement-level one of its own. Written by hand: MikroORM reads triggers
 * from information_schema.triggers, which does not list TRUNCATE triggers, so it can neither declare
 * nor diff this one (and, for the same reason, never proposes to drop it).
 */
export class Migration20261127140000_audit_refuses_truncate extends Migration {

  override name = 'Migration20261127140000_audit_refuses_truncate';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "audit_event_refuse_truncate_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'audit_event is append-only: TRUNCATE is not allowed' USING ERRCODE = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_event_refuse_truncate" BEFORE TRUNCATE on "audit_event" for each STATEMENT execute function "audit_event_refuse_truncate_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_refuse_truncate" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_refuse_truncate_fn"();`);
  }

}
