import { Migration } from '@mikro-orm/migrations';

export class Migration20261210130000_competitions extends Migration {

  override name = 'Migration20261210130000_competitions';

  override up(): void | Promise<void> {
    this.addSql(`create table "competition" ("id" uuid not null, "shortlist_id" uuid not null, "owner_id" uuid not null, "status" text not null default 'OPEN', "price_weight" int not null, "created_by" varchar(200) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "award_outcome" text null, "award_solution_id" uuid null, "award_reason" text null, "awarded_at" timestamptz null, "awarded_by" varchar(200) null, "finalised_at" timestamptz null, "finalised_by" varchar(200) null, "sequence" int null, "snapshot" jsonb null, "hash" varchar(64) null, "previous_hash" varchar(64) null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "competition_shortlist_id_index" on "competition" ("shortlist_id");`);
    this.addSql(`create index "competition_award_solution_id_index" on "competition" ("award_solution_id");`);
    this.addSql(`alter table "competition" add constraint "competition_owner_id_sequence_unique" unique ("owner_id", "sequence");`);

    this.addSql(`create table "competition_score" ("id" uuid not null, "competition_id" uuid not null, "solution_id" uuid not null, "criterion_code" varchar(32) not null, "evaluator" varchar(200) not null, "score" int not null, "justification" text not null, "version" int not null, "seq" int not null, "scored_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "competition_score_solution_id_index" on "competition_score" ("solution_id");`);
    this.addSql(`alter table "competition_score" add constraint "competition_score_competition_id_seq_unique" unique ("competition_id", "seq");`);
    this.addSql(`alter table "competition_score" add constraint "competition_score_competition_id_solution_id_crit_d6b0e_unique" unique ("competition_id", "solution_id", "criterion_code", "evaluator", "version");`);

    this.addSql(`create table "competition_moderation" ("id" uuid not null, "competition_id" uuid not null, "solution_id" uuid not null, "criterion_code" varchar(32) not null, "moderator" varchar(200) not null, "score" int not null, "justification" text not null, "version" int not null, "seq" int not null, "moderated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "competition_moderation_solution_id_index" on "competition_moderation" ("solution_id");`);
    this.addSql(`alter table "competition_moderation" add constraint "competition_moderation_competition_id_seq_unique" unique ("competition_id", "seq");`);
    this.addSql(`alter table "competition_moderation" add constraint "competition_moderation_competition_id_solution_id_d8f2e_unique" unique ("competition_id", "solution_id", "criterion_code", "version");`);

    this.addSql(`create table "competition_criterion" ("id" uuid not null, "competition_id" uuid not null, "code" varchar(32) not null, "title" varchar(200) not null, "weight" int not null, "requirement_code" varchar(32) null, "position" int not null, primary key ("id"));`);
    this.addSql(`alter table "competition_criterion" add constraint "competition_criterion_competition_id_code_unique" unique ("competition_id", "code");`);

    this.addSql(`alter table "competition" add constraint "competition_shortlist_id_foreign" foreign key ("shortlist_id") references "shortlist" ("id");`);
    this.addSql(`alter table "competition" add constraint "competition_owner_id_foreign" foreign key ("owner_id") references "organisation" ("id");`);
    this.addSql(`alter table "competition" add constraint "competition_award_solution_id_foreign" foreign key ("award_solution_id") references "solution" ("id") on delete set null;`);
    this.addSql(`alter table "competition" add constraint "competition_price_weight" check (price_weight >= 30 AND price_weight <= 90 AND price_weight % 5 = 0);`);
    this.addSql(`alter table "competition" add constraint "competition_status_check" check ("status" in ('OPEN', 'AWARDED', 'FINALISED'));`);
    this.addSql(`alter table "competition" add constraint "competition_award_outcome_check" check ("award_outcome" in ('WINNER', 'NO_AWARD', 'DIRECT_AWARD'));`);
    this.addSql(`create or replace function "competition_competition_frozen_fn"() returns trigger as \$\$ begin IF OLD.status = 'FINALISED' THEN RAISE EXCEPTION 'a finalised competition cannot change' USING ERRCODE = 'insufficient_privilege'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_frozen" BEFORE UPDATE OR DELETE on "competition" for each ROW execute function "competition_competition_frozen_fn"();`);

    this.addSql(`alter table "competition_score" add constraint "competition_score_competition_id_foreign" foreign key ("competition_id") references "competition" ("id");`);
    this.addSql(`alter table "competition_score" add constraint "competition_score_solution_id_foreign" foreign key ("solution_id") references "solution" ("id");`);
    this.addSql(`alter table "competition_score" add constraint "competition_score_range" check (score >= 1 AND score <= 5);`);
    this.addSql(`create or replace function "competition_score_competition_score_while_open_fn"() returns trigger as \$\$ begin IF (SELECT status FROM competition WHERE id = NEW.competition_id) <> 'OPEN' THEN RAISE EXCEPTION 'the competition is no longer open' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_score_while_open" BEFORE INSERT on "competition_score" for each ROW execute function "competition_score_competition_score_while_open_fn"();`);
    this.addSql(`create or replace function "competition_score_competition_score_append_only_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'competition_score is append-only: changes are new versions' USING ERRCODE = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_score_append_only" BEFORE UPDATE OR DELETE on "competition_score" for each ROW execute function "competition_score_competition_score_append_only_fn"();`);

    this.addSql(`alter table "competition_moderation" add constraint "competition_moderation_competition_id_foreign" foreign key ("competition_id") references "competition" ("id");`);
    this.addSql(`alter table "competition_moderation" add constraint "competition_moderation_solution_id_foreign" foreign key ("solution_id") references "solution" ("id");`);
    this.addSql(`alter table "competition_moderation" add constraint "competition_moderation_range" check (score >= 1 AND score <= 5);`);
    this.addSql(`create or replace function "competition_moderation_competition_moderation_while_open_fn"() returns trigger as \$\$ begin IF (SELECT status FROM competition WHERE id = NEW.competition_id) <> 'OPEN' THEN RAISE EXCEPTION 'the competition is no longer open' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_moderation_while_open" BEFORE INSERT on "competition_moderation" for each ROW execute function "competition_moderation_competition_moderation_while_open_fn"();`);
    this.addSql(`create or replace function "competition_moderation_competition_moderation_append_only_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'competition_moderation is append-only: changes are new versions' USING ERRCODE = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_moderation_append_only" BEFORE UPDATE OR DELETE on "competition_moderation" for each ROW execute function "competition_moderation_competition_moderation_append_only_fn"();`);

    this.addSql(`alter table "competition_criterion" add constraint "competition_criterion_competition_id_foreign" foreign key ("competition_id") references "competition" ("id");`);
    this.addSql(`alter table "competition_criterion" add constraint "competition_criterion_weight" check (weight >= 1 AND weight <= 70);`);
    this.addSql(`create or replace function "competition_criterion_competition_criterion_fixed_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'competition_criterion is append-only: changes are new versions' USING ERRCODE = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "competition_criterion_fixed" BEFORE UPDATE OR DELETE on "competition_criterion" for each ROW execute function "competition_criterion_competition_criterion_fixed_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "competition_score" drop constraint "competition_score_competition_id_foreign";`);
    this.addSql(`alter table "competition_moderation" drop constraint "competition_moderation_competition_id_foreign";`);
    this.addSql(`alter table "competition_criterion" drop constraint "competition_criterion_competition_id_foreign";`);

    this.addSql(`drop trigger if exists "competition_frozen" on "competition";`);
    this.addSql(`drop function if exists "competition_competition_frozen_fn"();`);
    this.addSql(`drop table if exists "competition" cascade;`);
    this.addSql(`drop trigger if exists "competition_score_while_open" on "competition_score";`);
    this.addSql(`drop function if exists "competition_score_competition_score_while_open_fn"();`);
    this.addSql(`drop trigger if exists "competition_score_append_only" on "competition_score";`);
    this.addSql(`drop function if exists "competition_score_competition_score_append_only_fn"();`);
    this.addSql(`drop table if exists "competition_score" cascade;`);
    this.addSql(`drop trigger if exists "competition_moderation_while_open" on "competition_moderation";`);
    this.addSql(`drop function if exists "competition_moderation_competition_moderation_while_open_fn"();`);
    this.addSql(`drop trigger if exists "competition_moderation_append_only" on "competition_moderation";`);
    this.addSql(`drop function if exists "competition_moderation_competition_moderation_append_only_fn"();`);
    this.addSql(`drop table if exists "competition_moderation" cascade;`);
    this.addSql(`drop trigger if exists "competition_criterion_fixed" on "competition_criterion";`);
    this.addSql(`drop function if exists "competition_criterion_competition_criterion_fixed_fn"();`);
    this.addSql(`drop table if exists "competition_criterion" cascade;`);
  }

}
