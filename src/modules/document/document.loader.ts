import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EvidenceKind } from '../evidence/evidence.inputs.js';
import { documentsOfEvidence, type DocumentRow } from './document.store.js';

/** A piece of evidence's owner and the documents attached now; null when there is no such evidence. */
export interface EvidenceDocuments {
  owner: string | null;
  documents: DocumentRow[];
}

export const documentKey = (kind: EvidenceKind, id: string) => `${kind}:${id}`;

/** Keyed `KIND:id`: every piece of evidence a response shows, of whatever kind, in one statement. */
export function createDocumentLoaders(em: EntityManager) {
  return {
    documentsByEvidence: new DataLoader<string, EvidenceDocuments | null>(async (keys) => {
      const parsed = keys.map((k) => {
        const i = k.indexOf(':');
        return { kind: k.slice(0, i) as EvidenceKind, id: k.slice(i + 1) };
      });
      const rows = await documentsOfEvidence(em, parsed);
      const byKey = new Map(rows.map((r) => [`${r.kind}:${r.evidence_id}`, { owner: r.owner, documents: r.documents ?? [] }]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
  };
}
