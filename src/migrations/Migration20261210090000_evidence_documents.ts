import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence documents (issue 16): the files a supplier attaches to its evidence (a certificate PDF, DSPT
 * evidence, a KPI report).
 *
 * - `document_blob`: the bytes, content-addressed by their SHA-256 (one row however many times the same
 *   file is attached). `content` holds them when the store is PostgreSQL (`stored_in` = 'postgres');
 *   never updated by the application, so a row whose content no longer hashes to its key was swapped.
 * - `evidence_document`: a blob attached to one piece of evidence (kind and id: evidence lives in seven
 *   tables, so no foreign key to it), with the name it was uploaded under and who uploaded it. Removing
 *   a document stamps `removed_at`: finalised shortlists may cite it, so it stays downloadable by the
 *   owner and the assurance team.
 * No entity maps these tables (raw SQL in document.store.ts; skipped by the schema generator).
 */
export class Migration20261210090000_evidence_documents extends Migration {
  override name = 'Migration20261210090000_evidence_documents';

  override async up(): Promise<void> {
    this.addSql(`create table "document_blob" (
      "sha256" char(64) not null,
      "media_type" varchar(50) not null,
      "size_bytes" int not null,
      "content" bytea null,
      "stored_in" text not null default 'postgres',
      "created_at" timestamptz not null default now(),
      constraint "document_blob_pkey" primary key ("sha256"),
      constraint "document_blob_sha256_check" check ("sha256" ~ '^[0-9a-f]{64}$'),
      constraint "document_blob_media_type_check" check ("media_type" in ('application/pdf', 'image/png', 'image/jpeg')),
      constraint "document_blob_size_check" check ("size_bytes" between 1 and 10485760),
      constraint "document_blob_stored_in_check" check (("stored_in" = 'postgres') = ("content" is not null)));`);
    // Toasted but not compressed: PDFs, PNGs and JPEGs are compressed already.
    this.addSql(`alter table "document_blob" alter column "content" set storage external;`);

    this.addSql(`create table "evidence_document" (
      "id" uuid not null default gen_random_uuid(),
      "evidence_kind" text not null,
      "evidence_id" uuid not null,
      "supplier_id" uuid not null,
      "sha256" char(64) not null,
      "filename" varchar(200) not null,
      "media_type" varchar(50) not null,
      "size_bytes" int not null,
      "uploaded_at" timestamptz not null default now(),
      "uploaded_by" varchar(200) not null,
      "removed_at" timestamptz null,
      "removed_by" varchar(200) null,
      constraint "evidence_document_pkey" primary key ("id"),
      constraint "evidence_document_kind_check" check ("evidence_kind" in ('CERTIFICATION', 'DSPT_ASSESSMENT', 'CAPABILITY_ASSESSMENT', 'EPIC_ASSESSMENT', 'STANDARD_COMPLIANCE', 'KPI_REPORT')),
      constraint "evidence_document_sha256_foreign" foreign key ("sha256") references "document_blob" ("sha256"),
      constraint "evidence_document_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on delete cascade);`);
    // The same file attached once per piece of evidence at a time.
    this.addSql(`create unique index "evidence_document_attached_unique" on "evidence_document" ("evidence_kind", "evidence_id", "sha256") where "removed_at" is null;`);
    this.addSql(`create index "evidence_document_evidence_index" on "evidence_document" ("evidence_id", "evidence_kind");`);
    this.addSql(`create index "evidence_document_sha256_index" on "evidence_document" ("sha256");`);
    this.addSql(`create index "evidence_document_supplier_id_index" on "evidence_document" ("supplier_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "evidence_document";`);
    this.addSql(`drop table if exists "document_blob";`);
  }
}
