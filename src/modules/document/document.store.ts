import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { S3Client, S3UnavailableError } from '../../common/s3-client.js';
import { executeBound, joinSql, queryRows, rawSql, sql } from '../../common/sql.js';
import { EVIDENCE_TABLES, OWNER_SQL } from '../evidence/evidence.store.js';
import type { EvidenceKind } from '../evidence/evidence.inputs.js';
import { MAX_DOCUMENT_BYTES, type DocumentMediaType } from './document.types.js';
import { DocumentErrors } from './document.errors.js';
import type { DocumentStorageConfig } from '../../config.js';

/** A row of evidence_document as the service reads it. */
export interface DocumentRow {
  id: string;
  evidence_kind: EvidenceKind;
  evidence_id: string;
  supplier_id: string;
  sha256: string;
  filename: string;
  media_type: DocumentMediaType;
  size_bytes: number;
  uploaded_at: Date;
  removed_at: Date | null;
}

const COLUMNS = rawSql('d.id, d.evidence_kind, d.evidence_id, d.supplier_id, d.sha256, d.filename, d.media_type, d.size_bytes, d.uploaded_at, d.removed_at');

/**
 * Where the bytes live, behind their SHA-256: PostgreSQL (document_blob.content) by default, or an
 * S3-compatible bucket (DOCUMENT_STORAGE=s3). Either way document_blob keeps each blob's hash, size and
 * media type, and `stored_in` says where its bytes are.
 */
export interface DocumentStore {
  /** Stores the bytes under their hash; storing the same bytes again is a no-op (content-addressed). */
  put(em: EntityManager, blob: { sha256: string; mediaType: DocumentMediaType; content: Buffer }): Promise<void>;
  /** The bytes stored under a hash, or null. */
  get(em: EntityManager, sha256: string): Promise<Buffer | null>;
  /** Each stored blob's SHA-256 recomputed from its bytes now (absent: not stored). */
  recompute(em: EntityManager, sha256s: string[]): Promise<Map<string, string>>;
}

export const postgresDocumentStore: DocumentStore = {
  async put(em, { sha256, mediaType, content }) {
    // The bytes as a bound parameter (bytea), never formatted into the statement's text.
    await executeBound(
      em,
      `INSERT INTO document_blob (sha256, media_type, size_bytes, content, stored_in) VALUES ($1, $2, $3, $4, 'postgres') ON CONFLICT (sha256) DO NOTHING`,
      [sha256, mediaType, content.length, content],
    );
  },
  async get(em, sha256) {
    const [row] = await queryRows<{ content: Buffer | null }>(em, sql`SELECT content FROM document_blob WHERE sha256 = ${sha256}`);
    return row?.content ?? null;
  },
  async recompute(em, sha256s) {
    if (sha256s.length === 0) return new Map();
    // PostgreSQL hashes the stored bytes itself: nothing is sent back but the digests.
    const rows = await queryRows<{ sha256: string; actual: string | null }>(
      em,
      sql`SELECT sha256, encode(sha256(content), 'hex') AS actual FROM document_blob WHERE sha256 IN (${[...new Set(sha256s)]})`,
    );
    return new Map(rows.filter((r) => r.actual).map((r) => [r.sha256, r.actual!]));
  },
};

/** A blob's object key in the bucket: its hash, so the same bytes are one object. */
export const objectKey = (sha256: string) => `sha256/${sha256}`;

const unavailable = (error: unknown): never => {
  if (error instanceof S3UnavailableError) throw DocumentErrors.storageUnavailable(error);
  throw error;
};

/**
 * Bytes in an S3-compatible bucket under `sha256/<hash>`; their metadata row in document_blob
 * (`stored_in` = 's3', no content). Blobs stored in PostgreSQL before the switch are still read from
 * there. Storage unreachable: DocumentErrors.storageUnavailable, and the caller's transaction writes
 * nothing (an object already put stays, harmless: it is the same bytes under the same key).
 */
export function s3DocumentStore(client: S3Client): DocumentStore {
  return {
    async put(em, { sha256, mediaType, content }) {
      const [known] = await queryRows<{ sha256: string }>(em, sql`SELECT sha256 FROM document_blob WHERE sha256 = ${sha256}`);
      if (known) return; // stored once, wherever it is
      await client.putObject(objectKey(sha256), content, sha256, mediaType).catch(unavailable);
      await executeBound(
        em,
        `INSERT INTO document_blob (sha256, media_type, size_bytes, content, stored_in) VALUES ($1, $2, $3, NULL, 's3') ON CONFLICT (sha256) DO NOTHING`,
        [sha256, mediaType, content.length],
      );
    },
    async get(em, sha256) {
      const [row] = await queryRows<{ content: Buffer | null; stored_in: string }>(em, sql`SELECT content, stored_in FROM document_blob WHERE sha256 = ${sha256}`);
      if (!row) return null;
      if (row.stored_in !== 's3') return row.content;
      return client.getObject(objectKey(sha256), MAX_DOCUMENT_BYTES).catch(unavailable);
    },
    async recompute(em, sha256s) {
      if (sha256s.length === 0) return new Map();
      const rows = await queryRows<{ sha256: string; stored_in: string; actual: string | null }>(
        em,
        sql`SELECT sha256, stored_in, encode(sha256(content), 'hex') AS actual FROM document_blob WHERE sha256 IN (${[...new Set(sha256s)]})`,
      );
      const result = new Map(rows.filter((r) => r.actual).map((r) => [r.sha256, r.actual!]));
      // Each object read back and hashed here, a few at a time (at most 10 MB each in memory).
      const pending = rows.filter((r) => r.stored_in === 's3');
      const worker = async () => {
        for (let r = pending.shift(); r; r = pending.shift()) {
          const bytes = await client.getObject(objectKey(r.sha256), MAX_DOCUMENT_BYTES).catch(unavailable);
          if (bytes) result.set(r.sha256, createHash('sha256').update(bytes).digest('hex'));
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, pending.length) }, worker));
      return result;
    },
  };
}

let configured: DocumentStore = postgresDocumentStore;

/** The store for this process's configuration (main, worker and tests set it at start-up). */
export function documentStoreFor(config: DocumentStorageConfig): DocumentStore {
  return config.kind === 's3' ? s3DocumentStore(new S3Client(config.s3)) : postgresDocumentStore;
}

/** Sets the store DocumentService uses from now on; returns the one it replaces. */
export function useDocumentStore(store: DocumentStore): DocumentStore {
  const previous = configured;
  configured = store;
  return previous;
}

export const currentDocumentStore = (): DocumentStore => configured;

export async function insertDocument(
  em: EntityManager,
  d: { kind: EvidenceKind; evidenceId: string; supplierId: string; sha256: string; filename: string; mediaType: DocumentMediaType; sizeBytes: number; uploadedBy: string },
): Promise<DocumentRow> {
  const [row] = await queryRows<DocumentRow>(
    em,
    sql`INSERT INTO evidence_document AS d (evidence_kind, evidence_id, supplier_id, sha256, filename, media_type, size_bytes, uploaded_by)
        VALUES (${d.kind}, ${d.evidenceId}::uuid, ${d.supplierId}::uuid, ${d.sha256}, ${d.filename}, ${d.mediaType}, ${d.sizeBytes}, ${d.uploadedBy})
        RETURNING ${COLUMNS}`,
  );
  return row;
}

export async function documentById(em: EntityManager, id: string): Promise<DocumentRow | null> {
  const [row] = await queryRows<DocumentRow>(em, sql`SELECT ${COLUMNS} FROM evidence_document d WHERE d.id = ${id}::uuid`);
  return row ?? null;
}

export async function markRemoved(em: EntityManager, id: string, by: string): Promise<void> {
  await queryRows(em, sql`UPDATE evidence_document SET removed_at = now(), removed_by = ${by} WHERE id = ${id}::uuid AND removed_at IS NULL`);
}

/** The documents attached now to one piece of evidence, oldest first. */
export function attachedDocuments(em: EntityManager, kind: EvidenceKind, evidenceId: string): Promise<DocumentRow[]> {
  return queryRows<DocumentRow>(
    em,
    sql`SELECT ${COLUMNS} FROM evidence_document d WHERE d.evidence_id = ${evidenceId}::uuid AND d.evidence_kind = ${kind} AND d.removed_at IS NULL ORDER BY d.uploaded_at, d.id`,
  );
}

/**
 * For each piece of evidence asked for that exists: its owner (as OWNER_SQL says) and the documents
 * attached now. One statement, whatever the kinds.
 */
export async function documentsOfEvidence(
  em: EntityManager,
  keys: { kind: EvidenceKind; id: string }[],
): Promise<{ kind: EvidenceKind; evidence_id: string; owner: string | null; documents: DocumentRow[] | null }[]> {
  const byKind = new Map<EvidenceKind, string[]>();
  for (const k of keys) byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), k.id]);
  if (byKind.size === 0) return [];
  const parts = [...byKind].map(
    ([kind, ids]) =>
      sql`SELECT ${kind}::text AS kind, e.id AS evidence_id, ${rawSql(OWNER_SQL[kind])} AS owner,
                 (SELECT json_agg(json_build_object('id', d.id, 'evidence_kind', d.evidence_kind, 'evidence_id', d.evidence_id, 'supplier_id', d.supplier_id,
                     'sha256', d.sha256, 'filename', d.filename, 'media_type', d.media_type, 'size_bytes', d.size_bytes, 'uploaded_at', d.uploaded_at,
                     'removed_at', d.removed_at) ORDER BY d.uploaded_at, d.id)
                  FROM evidence_document d WHERE d.evidence_id = e.id AND d.evidence_kind = ${kind} AND d.removed_at IS NULL) AS documents
          FROM ${rawSql(EVIDENCE_TABLES[kind])} e WHERE e.id IN (${[...new Set(ids)]})`,
  );
  const rows = await queryRows<{ kind: EvidenceKind; evidence_id: string; owner: string | null; documents: DocumentRow[] | null }>(em, joinSql(parts, ' UNION ALL '));
  // json_build_object gives timestamps as text.
  for (const r of rows) for (const d of r.documents ?? []) d.uploaded_at = new Date(d.uploaded_at);
  return rows;
}

/** Whether a piece of evidence exists, and its owner as OWNER_SQL says (null: none, e.g. DSPT under an unknown ODS code). */
export async function evidenceOwnerIfAny(em: EntityManager, kind: EvidenceKind, id: string): Promise<{ owner: string | null } | null> {
  const [row] = await queryRows<{ owner: string | null }>(em, sql`SELECT ${rawSql(OWNER_SQL[kind])} AS owner FROM ${rawSql(EVIDENCE_TABLES[kind])} e WHERE e.id = ${id}::uuid`);
  return row ?? null;
}
