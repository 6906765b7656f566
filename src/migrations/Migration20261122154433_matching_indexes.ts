import { Migration } from '@mikro-orm/migrations';

export class Migration20261122154433_matching_indexes extends Migration {

  override name = 'Migration20261122154433_matching_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "dspt_assessment_ods_code_published_on_index";`);
    this.addSql(`create index "dspt_assessment_matching_index" on "dspt_assessment" ("ods_code", "published_on", "id") include ("status", "current_until", "verification_status", "reviewed_at");`);

    this.addSql(`drop index "standard_compliance_standard_id_index";`);
    this.addSql(`create index "standard_compliance_matching_index" on "standard_compliance" ("standard_id", "solution_id") include ("status", "verification_status", "reviewed_at", "remediation_due_on");`);

    this.addSql(`drop index "capability_assessment_capability_id_result_index";`);
    this.addSql(`create index "capability_assessment_matching_index" on "capability_assessment" ("capability_id", "solution_id") include ("result", "verification_status", "reviewed_at");`);

    this.addSql(`create index "kpi_report_matching_index" on "kpi_report" ("kpi_code", "supplier_id", "period" DESC) include ("value", "verification_status", "reviewed_at");`);

    this.addSql(`create index "certification_matching_index" on "certification" ("type", "supplier_id") include ("valid_from", "valid_until", "verification_status", "reviewed_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "capability_assessment_matching_index";`);
    this.addSql(`create index "capability_assessment_capability_id_result_index" on "capability_assessment" ("capability_id", "result");`);

    this.addSql(`drop index "certification_matching_index";`);

    this.addSql(`drop index "dspt_assessment_matching_index";`);
    this.addSql(`create index "dspt_assessment_ods_code_published_on_index" on "dspt_assessment" ("ods_code", "published_on");`);

    this.addSql(`drop index "kpi_report_matching_index";`);

    this.addSql(`drop index "standard_compliance_matching_index";`);
    this.addSql(`create index "standard_compliance_standard_id_index" on "standard_compliance" ("standard_id");`);
  }

}
