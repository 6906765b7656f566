import { Migration } from '@mikro-orm/migrations';

/**
 * Prices, service recipients and cost over the term (issue 15, parts 1 to 3).
 *
 * - `solution_price`: a solution's price items, supplier evidence verified like the rest; rows are
 *   never replaced (history), the price rule picks the one in effect at contract start (price.store.ts).
 *   Money is integer pence (`price_pence`, and in `tiers`), never floating point.
 * - `organisation.registered_patients` with the date of the figure, for GP practices.
 * - `service_specification.service_recipient_ids` (empty: every practice under the owner) and
 *   `quantities` (per unit, for DECLARATIVE and ON_DEMAND items).
 */
export class Migration20261210110000_prices extends Migration {

  override name = 'Migration20261210110000_prices';

  override up(): void | Promise<void> {
    this.addSql(`create table "solution_price" ("id" uuid not null, "verification_status" text not null default 'SUBMITTED', "submitted_at" timestamptz not null default now(), "reviewed_at" timestamptz null, "reviewed_by" varchar(200) null, "rejection_reason" text null, "version" int not null default 1, "solution_id" uuid not null, "item" varchar(200) not null, "unit" text not null, "unit_name" varchar(100) null, "provisioning" text not null, "calculation" text not null, "tiered_rule" text null, "billing_period" text not null, "price_pence" int null, "tiers" jsonb null, "effective_from" date not null, "effective_until" date null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "solution_price_solution_id_effective_from_index" on "solution_price" ("solution_id", "effective_from");`);

    this.addSql(`alter table "organisation" add "registered_patients" int null, add "registered_patients_on" date null;`);
    this.addSql(`alter table "organisation" add constraint "organisation_registered_patients" check ((registered_patients IS NULL) = (registered_patients_on IS NULL) AND (registered_patients IS NULL OR registered_patients >= 0));`);

    this.addSql(`alter table "service_specification" add "service_recipient_ids" uuid[] not null default '{}', add "quantities" jsonb not null default '[]';`);

    this.addSql(`alter table "solution_price" add constraint "solution_price_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on delete cascade;`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_flat_or_tiered" check ((calculation = 'FLAT' AND price_pence IS NOT NULL AND price_pence >= 0 AND tiers IS NULL AND tiered_rule IS NULL) OR (calculation = 'TIERED' AND price_pence IS NULL AND tiers IS NOT NULL AND tiered_rule IS NOT NULL));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_dates" check (effective_until IS NULL OR effective_until > effective_from);`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_verification_status_check" check ("verification_status" in ('SUBMITTED', 'VERIFIED', 'REJECTED', 'WITHDRAWN'));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_unit_check" check ("unit" in ('PER_PRACTICE', 'PER_PATIENT', 'PER_USER', 'PER_LICENCE', 'PER_DEVICE', 'PER_CONSULTATION', 'NAMED'));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_provisioning_check" check ("provisioning" in ('PATIENT', 'DECLARATIVE', 'ON_DEMAND'));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_calculation_check" check ("calculation" in ('FLAT', 'TIERED'));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_tiered_rule_check" check ("tiered_rule" in ('SINGLE_FIXED', 'CUMULATIVE', 'VOLUME'));`);
    this.addSql(`alter table "solution_price" add constraint "solution_price_billing_period_check" check ("billing_period" in ('ONE_OFF', 'MONTHLY', 'YEARLY'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "solution_price" cascade;`);

    this.addSql(`alter table "organisation" drop constraint "organisation_registered_patients";`);
    this.addSql(`alter table "organisation" drop column "registered_patients", drop column "registered_patients_on";`);

    this.addSql(`alter table "service_specification" drop column "service_recipient_ids", drop column "quantities";`);
  }

}
