import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUR_CATALOGUE, OUR_SUPPLIER, PEER_CATALOGUE, PEER_SUPPLIER, shapeOurs, shapePeer, type Shaped } from '../bench/peer.js';
import { startPeer, type PeerServer } from '../bench/peer-server.js';
import { today } from '../src/graphql/scalars.js';
import { createTestApi, type TestApi } from './helpers/api.js';

/**
 * The benchmark's peer (PostGraphile 5 over the same database) must answer its two queries with the
 * same rows as ours: the same suppliers, certificates, current DSPT publication, awards, solutions
 * and capability assessments. Otherwise the comparison in `npm run bench:peer` would not be honest.
 */
let api: TestApi;
let peer: PeerServer;

beforeAll(async () => {
  api = await createTestApi();
  peer = await startPeer(api.db.url, 2);
});
afterAll(async () => {
  await peer?.close();
  await api?.close();
});

async function askPeer(query: string, variables: Record<string, unknown>): Promise<Shaped[]> {
  const res = await fetch(peer.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return shapePeer(json.data!);
}

async function askUs(query: string, variables: Record<string, unknown>): Promise<Shaped[]> {
  const result = await api.query(query, variables);
  expect(result.errors).toBeUndefined();
  return shapeOurs(result.data!);
}

describe('the benchmark peer answers what we answer', () => {
  it('the nested catalogue page: suppliers, certificates, current DSPT, awards, solutions and assessments', async () => {
    for (const first of [3, 20]) {
      const ours = await askUs(OUR_CATALOGUE, { first });
      const theirs = await askPeer(PEER_CATALOGUE, { first, today: today() });
      expect(theirs).toEqual(ours);
      expect(ours.length).toBeGreaterThan(0);
    }
    // The rules are exercised, not vacuous: the seed holds what they leave out.
    const { rows } = await api.db.sql(`SELECT
      (SELECT count(*) FROM supplier WHERE NOT active) AS inactive,
      (SELECT count(*) FROM certification WHERE verification_status <> 'VERIFIED') AS unverified,
      (SELECT count(*) FROM solution WHERE publication_status <> 'PUBLISHED') AS unpublished`);
    expect(Number(rows[0].unverified)).toBeGreaterThan(0);
    expect(Number(rows[0].unpublished) + Number(rows[0].inactive)).toBeGreaterThan(0);
    const page = await askUs(OUR_CATALOGUE, { first: 20 });
    expect(page.some((s) => s.dspt)).toBe(true);
    expect(page.some((s) => s.awards!.length > 0 && s.solutions!.some((so: any) => so.capabilities.length > 0))).toBe(true);
  });

  it('one supplier with its certificates, for every supplier (inactive ones too)', async () => {
    const { rows } = await api.db.sql(`SELECT id FROM supplier ORDER BY name`);
    expect(rows.length).toBeGreaterThan(1);
    for (const { id } of rows) {
      const ours = await askUs(OUR_SUPPLIER, { id });
      expect(await askPeer(PEER_SUPPLIER, { id })).toEqual(ours);
      expect(ours).toHaveLength(1);
    }
  });
});
