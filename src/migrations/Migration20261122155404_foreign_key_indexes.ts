import { Migration } from '@mikro-orm/migrations';

export class Migration20261122155404_foreign_key_indexes extends Migration {

  override name = 'Migration20261122155404_foreign_key_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "shortlist_entry_supplier_id_index" on "shortlist_entry" ("supplier_id");`);
    this.addSql(`create index "shortlist_entry_solution_id_index" on "shortlist_entry" ("solution_id");`);

    this.addSql(`create index "kpi_report_solution_id_index" on "kpi_report" ("solution_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "kpi_report_solution_id_index";`);

    this.addSql(`drop index "shortlist_entry_supplier_id_index";`);
    this.addSql(`drop index "shortlist_entry_solution_id_index";`);
  }

}
