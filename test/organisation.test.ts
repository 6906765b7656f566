import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, errorCodes, type TestApi } from './helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.close());

const PAGE = `query($role: OrganisationRole, $search: String, $first: Int, $after: String, $parent: String) {
  organisations(role: $role, search: $search, first: $first, after: $after, parentOdsCode: $parent) {
    totalCount
    edges { cursor node { odsCode name role } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('organisation(odsCode:)', () => {
  it('walks from a practice up to its sub-ICB location and ICB', async () => {
    const res = await api.query(`{ organisation(odsCode: "B84001") { odsCode name role odsRoleCode postcode parent { odsCode role parent { odsCode role odsRoleCode parent { odsCode } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.organisation).toMatchObject({
      odsCode: 'B84001',
      name: 'Station Road Surgery',
      role: 'GP_PRACTICE',
      odsRoleCode: 'RO177',
      parent: { odsCode: '02T', role: 'SUB_ICB_LOCATION', parent: { odsCode: 'QWO', role: 'ICB', odsRoleCode: 'RO318', parent: null } },
    });
  });

  it('lists children by name, and accepts lower-case codes', async () => {
    const res = await api.query(`{ organisation(odsCode: "qwo") { children { odsCode name } } }`);
    const children = res.data!.organisation.children;
    expect(children.map((c: any) => c.odsCode).sort()).toEqual(['02T', '03R', '15F', '36J']);
    const names = children.map((c: any) => c.name);
    expect(names).toEqual([...names].sort());
    const practice = await api.query(`{ organisation(odsCode: "B84001") { children { odsCode } } }`);
    expect(practice.data!.organisation.children).toEqual([]);
  });

  it('answers null for an unknown code', async () => {
    const res = await api.query(`{ organisation(odsCode: "Z99999") { name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.organisation).toBeNull();
  });

  it.each(['B8', 'B840011', 'B84-01', '', 'B84001; DROP TABLE organisation'])('rejects the malformed code %j with BAD_USER_INPUT', async (code) => {
    const res = await api.query(`query($c: String!) { organisation(odsCode: $c) { name } }`, { c: code });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions).toMatchObject({ reason: 'INVALID_ODS_CODE', field: 'odsCode' });
  });

  it('resolves parents and children of many organisations in a fixed number of statements', async () => {
    const nested = (first: number) =>
      `{ organisations(role: GP_PRACTICE, first: ${first}) { edges { node { parent { odsCode parent { odsCode } } children { odsCode } } } } }`;
    const small = await api.query(nested(2));
    const large = await api.query(nested(22));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
    // practices; their parents; the parents' parents; children: one statement each.
    expect(large.statements).toBe(4);
  });
});

describe('organisations connection', () => {
  it('filters by role and counts across pages', async () => {
    const res = await api.query(PAGE, { role: 'GP_PRACTICE', first: 100 });
    expect(res.data!.organisations.totalCount).toBeGreaterThanOrEqual(20);
    expect(res.data!.organisations.edges.length).toBe(res.data!.organisations.totalCount);
    expect(res.data!.organisations.edges.every((e: any) => e.node.role === 'GP_PRACTICE')).toBe(true);
    const icbs = await api.query(PAGE, { role: 'ICB' });
    expect(icbs.data!.organisations.edges.map((e: any) => e.node.odsCode).sort()).toEqual(['QOP', 'QWO']);
  });

  it('defaults to 20 per page', async () => {
    const res = await api.query(PAGE, {});
    expect(res.data!.organisations.edges).toHaveLength(20);
    expect(res.data!.organisations.pageInfo.hasNextPage).toBe(true);
  });

  it('pages through everything with no duplicates or gaps, in name order', async () => {
    const all = await api.query(PAGE, { first: 100 });
    const expected = all.data!.organisations.edges.map((e: any) => e.node.odsCode);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await api.query(PAGE, { first: 7, after });
      expect(res.errors).toBeUndefined();
      const conn = res.data!.organisations;
      seen.push(...conn.edges.map((e: any) => e.node.odsCode));
      expect(conn.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    const names = all.data!.organisations.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('searches names and codes, case-insensitively, treating % and _ literally', async () => {
    const byName = await api.query(PAGE, { search: 'station road' });
    expect(byName.data!.organisations.edges.map((e: any) => e.node.odsCode)).toEqual(['B84001']);
    const byCode = await api.query(PAGE, { search: 'b8400' });
    expect(byCode.data!.organisations.totalCount).toBe(7);
    const wildcard = await api.query(PAGE, { search: '%' });
    expect(wildcard.data!.organisations.totalCount).toBe(0);
    const combined = await api.query(PAGE, { search: 'surgery', role: 'GP_PRACTICE', parent: '02T' });
    expect(combined.data!.organisations.edges.map((e: any) => e.node.odsCode).sort()).toEqual(['B84001', 'B84007']);
  });

  it('rejects a page size outside 1 to 100', async () => {
    for (const first of [0, -5, 101, 1000]) {
      const res = await api.query(PAGE, { first });
      expect(errorCodes(res), `first: ${first}`).toEqual(['BAD_USER_INPUT']);
      // Refused for the whole operation before it runs, naming the path to the argument.
      expect(res.errors![0].extensions).toMatchObject({ reason: 'INVALID_PAGE_SIZE', field: 'organisations.first' });
      expect(res.data).toBeUndefined();
    }
  });

  it('rejects cursors it did not issue', async () => {
    const wellFormedButWrong = Buffer.from(JSON.stringify({ id: 1 })).toString('base64url');
    for (const after of ['not-a-cursor!', 'abc', wellFormedButWrong, Buffer.from('[1,2,3]').toString('base64url')]) {
      const res = await api.query(PAGE, { after });
      expect(errorCodes(res), after).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.reason).toBe('INVALID_CURSOR');
    }
  });

  it('rejects an unknown role, a blank or over-long search, and a malformed parent code', async () => {
    expect(errorCodes(await api.query(PAGE, { role: 'HOSPITAL' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(PAGE, { search: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(PAGE, { search: 'x'.repeat(101) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(PAGE, { parent: '0' }))).toEqual(['BAD_USER_INPUT']);
  });
});
