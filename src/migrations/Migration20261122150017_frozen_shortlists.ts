import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150017_frozen_shortlists extends Migration {

  override name = 'Migration20261122150017_frozen_shortlists';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "shortlist_shortlist_frozen_fn"() returns trigger as \$\$ begin IF OLD.status = 'FINALISED' THEN RAISE EXCEPTION 'a finalised shortlist cannot change' USING ERRCODE = 'insufficient_privilege'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "shortlist_frozen" BEFORE UPDATE OR DELETE on "shortlist" for each ROW execute function "shortlist_shortlist_frozen_fn"();`);

    this.addSql(`create or replace function "shortlist_entry_shortlist_entry_frozen_fn"() returns trigger as \$\$ begin IF (SELECT status FROM shortlist WHERE id = COALESCE(NEW.shortlist_id, OLD.shortlist_id)) = 'FINALISED' THEN RAISE EXCEPTION 'a finalised shortlist cannot change' USING ERRCODE = 'insufficient_privilege'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "shortlist_entry_frozen" BEFORE INSERT OR UPDATE OR DELETE on "shortlist_entry" for each ROW execute function "shortlist_entry_shortlist_entry_frozen_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "shortlist_frozen" on "shortlist";`);
    this.addSql(`drop function if exists "shortlist_shortlist_frozen_fn"();`);

    this.addSql(`drop trigger if exists "shortlist_entry_frozen" on "shortlist_entry";`);
    this.addSql(`drop function if exists "shortlist_entry_shortlist_entry_frozen_fn"();`);
  }

}
