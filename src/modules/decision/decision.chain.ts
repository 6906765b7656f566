import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chainLinks, latestLink, recordedFinalisations, type ChainLink } from './decision.store.js';

/**
 * One hash chain per organisation over all its frozen decisions: finalised shortlists and finalised
 * competitions take the next number of the same sequence (1, 2, ...), each hash covering the previous
 * one. This module knows the decisions only as rows (decision.store.ts), so the shortlist and the
 * competition modules both use it without importing each other.
 */
export type DecisionKind = ChainLink['kind'];

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Each finalised decision's hash covers its snapshot and the previous hash of the same organisation. */
export function chainHash(previousHash: string | null | undefined, snapshot: unknown): string {
  return createHash('sha256').update(`${previousHash ?? ''}\n${canonicalJson(snapshot)}`).digest('hex');
}

const NAME: Record<DecisionKind, string> = { SHORTLIST: 'Shortlist', COMPETITION: 'Competition' };

/**
 * The next link of an organisation's chain: its sequence and the hash it points at. Call it with the
 * organisation row locked FOR UPDATE (lockOrganisationChain), so two finalisations never take the same number.
 */
export async function nextLink(em: EntityManager, ownerId: string): Promise<{ sequence: number; previousHash: string | null }> {
  const latest = await latestLink(em, ownerId);
  return { sequence: (latest?.sequence ?? 0) + 1, previousHash: latest?.hash ?? null };
}

/** One organisation's finalisations are serialised, so the chain never forks. */
export async function lockOrganisationChain(em: EntityManager, ownerId: string): Promise<void> {
  await em.getConnection().execute('SELECT id FROM organisation WHERE id = ? FOR UPDATE', [ownerId], 'all', em.getTransactionContext());
}

/**
 * Walks an organisation's chain up to a decision: every link in sequence order (shortlists and
 * competitions alike), its hash recomputed and its link to the one before checked; then the audit
 * trail, which anchors the chain: every finalisation it records must still be there with the hash it
 * had, and nothing may have been finalised that it does not record. Problems are in words, each naming
 * the kind of decision and its number in the chain.
 */
export async function verifyChain(em: EntityManager, ownerId: string, upTo: { id: string; sequence: number }): Promise<{ problems: string[]; recomputedHash: string | null }> {
  const problems: string[] = [];
  const links = await chainLinks(em, ownerId);
  let previousHash: string | null = null;
  let recomputedHash: string | null = null;
  links
    .filter((l) => l.sequence <= upTo.sequence)
    .forEach((link, i) => {
      if (link.sequence !== i + 1) problems.push(`Decision ${i + 1} of the chain is missing.`);
      if ((link.previous_hash ?? null) !== previousHash) problems.push(`${NAME[link.kind]} ${link.sequence} does not point at the hash of the one before it.`);
      const hash = chainHash(link.previous_hash, link.snapshot);
      if (hash !== link.hash) problems.push(`${NAME[link.kind]} ${link.sequence}'s snapshot does not match its stored hash.`);
      previousHash = link.hash ?? null;
      if (link.id === upTo.id) recomputedHash = hash;
    });
  const finalisations = await recordedFinalisations(em, ownerId);
  const byId = new Map(links.map((l) => [l.id, l]));
  for (const f of finalisations) {
    const link = byId.get(f.entity_id);
    const name = NAME[f.kind];
    if (!link) problems.push(`Finalised ${name.toLowerCase()} ${f.sequence} recorded in the audit trail is missing or no longer finalised.`);
    else if (link.hash !== f.hash || String(link.sequence) !== f.sequence) problems.push(`${name} ${f.sequence}'s hash differs from the one recorded when it was finalised.`);
  }
  const recorded = new Set(finalisations.map((f) => f.entity_id));
  for (const link of links) if (!recorded.has(link.id)) problems.push(`${NAME[link.kind]} ${link.sequence} was not finalised through the API.`);
  return { problems, recomputedHash };
}
