import { Migration } from '@mikro-orm/migrations';
import { identitySkeleton, normaliseName, websiteHost } from '../modules/supplier/supplier-identity.js';

interface Row {
  id: string;
  name: string;
  legal_name: string;
  website: string | null;
}

/**
 * Identities compared as they read, not as they are spelt (hostile review of issue 11): supplier names
 * are stored normalised (NFKC, invisible characters removed, spaces collapsed) and each supplier gets
 * the skeletons its names are compared by and its website's host (src/modules/supplier/supplier-identity.ts;
 * computed here in TypeScript, as SQL has no Unicode categories or punycode). Legal-name skeletons are
 * unique; website hosts are only indexed, because existing suppliers may share one (test fixtures all do):
 * the application refuses a new shared host on change requests and verification. A database in which two
 * suppliers' legal names already read the same stops here with a message naming them, changing nothing:
 * resolve it, then migrate.
 */
export class Migration20261127142816_identity_skeletons extends Migration {

  override name = 'Migration20261127142816_identity_skeletons';

  override async up(): Promise<void> {
    await this.execute(`alter table "supplier" add "name_skeleton" text null, add "legal_name_skeleton" text null, add "website_host" text null;`);

    const rows = (await this.execute(`select id, name, legal_name, website from "supplier" order by created_at, id`)) as unknown as Row[];
    const values = rows.map((row) => ({
      id: row.id,
      name: normaliseName(row.name),
      legal_name: normaliseName(row.legal_name),
      name_skeleton: identitySkeleton(row.name),
      legal_name_skeleton: identitySkeleton(row.legal_name),
      website_host: websiteHost(row.website),
    }));
    const byLegal = new Map<string, Row[]>();
    rows.forEach((row, i) => byLegal.set(values[i].legal_name_skeleton, [...(byLegal.get(values[i].legal_name_skeleton) ?? []), row]));
    const clashes = [...byLegal.values()].filter((group) => group.length > 1);
    if (clashes.length) {
      const named = clashes.map((group) => group.map((row) => `${JSON.stringify(row.legal_name)} (${row.id})`).join(', ')).join('; ');
      throw new Error(`suppliers' legal names read the same, which is now unique: ${named}. Rename or merge them, then migrate again.`);
    }
    if (values.length) {
      await this.execute(
        `update "supplier" s set name = v.name, legal_name = v.legal_name, name_skeleton = v.name_skeleton,
           legal_name_skeleton = v.legal_name_skeleton, website_host = v.website_host
         from jsonb_to_recordset(?::jsonb) as v(id uuid, name text, legal_name text, name_skeleton text, legal_name_skeleton text, website_host text)
         where s.id = v.id`,
        [JSON.stringify(values)],
      );
    }

    await this.execute(`create index "supplier_website_host_index" on "supplier" ("website_host");`);
    await this.execute(`create index "supplier_name_skeleton_index" on "supplier" ("name_skeleton");`);
    await this.execute(`alter table "supplier" add constraint "supplier_legal_name_skeleton_unique" unique ("legal_name_skeleton");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "supplier_website_host_index";`);
    this.addSql(`drop index "supplier_name_skeleton_index";`);
    this.addSql(`alter table "supplier" drop constraint "supplier_legal_name_skeleton_unique";`);
    this.addSql(`alter table "supplier" drop column "name_skeleton", drop column "legal_name_skeleton", drop column "website_host";`);
  }

}
