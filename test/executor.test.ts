import assert from 'node:assert';
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createContext, type Context, type Viewer } from '../src/graphql/context.js';
import { createApolloServer } from '../src/http/app.js';
import { as, createTestApi, type TestApi } from './helpers/api.js';

/**
 * The compiled executor (graphql-jit, the default) answers exactly what graphql-js's interpreter
 * answers: the same data and the same errors, codes and paths, for the shapes of operation the API
 * sees: nested pages through fragments, aliases and directives, bad variables, defaults, errors
 * inside a list, refusals and mutations.
 */
let api: TestApi;
let interpreted: ApolloServer<Context>;
let supplierId: string;

beforeAll(async () => {
  api = await createTestApi({ seed: true });
  interpreted = await createApolloServer({ orm: api.orm, logger: silentLogger, executor: 'graphql-js' });
  supplierId = (await api.db.sql(`SELECT id FROM supplier WHERE active ORDER BY name LIMIT 1`)).rows[0].id;
});
afterAll(async () => {
  await interpreted?.stop();
  await api?.close();
});

async function run(server: ApolloServer<Context>, query: string, variables?: Record<string, unknown>, viewer?: Viewer) {
  const result = await server.executeOperation({ query, variables }, { contextValue: createContext(api.orm, undefined, viewer) });
  assert(result.body.kind === 'single');
  return { status: result.http.status, ...result.body.singleResult };
}

const PAGE = `query Page($first: Int!, $withAwards: Boolean!, $on: Date) {
  suppliers(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ...Supplier } } }
}
fragment Supplier on Supplier {
  __typename id name
  certs: certifications(validOn: $on) { type validUntil isValid daysUntilExpiry }
  currentDspt { cycle status isCurrent }
  frameworkAwards @include(if: $withAwards) { status(on: $on) lot { number framework { code } } }
  solutions { name capabilities { result capability { reference name } } }
}`;

const CASES: { name: string; query: string; variables?: Record<string, unknown>; viewer?: () => Viewer }[] = [
  { name: 'a nested page through a fragment, aliases and @include', query: PAGE, variables: { first: 15, withAwards: true, on: '2026-06-30' } },
  { name: 'the same page without the directive’s subtree', query: PAGE, variables: { first: 5, withAwards: false } },
  { name: 'a variable of the wrong type', query: PAGE, variables: { first: 'ten', withAwards: true } },
  { name: 'a required variable not sent', query: PAGE, variables: { first: 5 } },
  { name: 'a date variable out of range', query: PAGE, variables: { first: 5, withAwards: true, on: '1899-12-31' } },
  { name: 'an unsent variable named after an Object.prototype member', query: 'query($constructor: Int = 2) { suppliers(first: $constructor) { edges { node { name } } } }' },
  { name: 'a refused field inside a list', query: 'query { suppliers(first: 3) { edges { node { name profileChanges { id } } } } }' },
  { name: 'one supplier by id', query: 'query($id: ID!) { supplier(id: $id) { name certifications { type certificateNumber } } }', variables: {} },
  { name: 'a supplier that does not exist', query: 'query($id: ID!) { supplier(id: $id) { name } }', variables: { id: '00000000-0000-4000-8000-000000000000' } },
  { name: 'a mutation by the public', query: 'mutation { withdrawSupplierProfileChange(version: 1) { id } }' },
  {
    name: 'a mutation with bad input',
    query: 'mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }',
    variables: { input: { title: '   ', frameworkCodes: ['NOPE'], requirements: [] } },
    viewer: () => as.buyer(),
  },
];

describe('the compiled executor', () => {
  for (const c of CASES) {
    it(`answers as graphql-js does: ${c.name}`, async () => {
      const variables = c.name === 'one supplier by id' ? { id: supplierId } : c.variables;
      const viewer = c.viewer?.();
      const compiled = await run(api.apollo, c.query, variables, viewer);
      const reference = await run(interpreted, c.query, variables, viewer);
      expect(compiled).toEqual(reference);
      expect(compiled.data ?? compiled.errors).toBeTruthy();
    });
  }

  it('is chosen by GRAPHQL_EXECUTOR, compiled unless told otherwise; anything else stops the start', () => {
    expect(loadConfig({}).executor).toBe('compiled');
    expect(loadConfig({ GRAPHQL_EXECUTOR: 'graphql-js' }).executor).toBe('graphql-js');
    expect(() => loadConfig({ GRAPHQL_EXECUTOR: 'jit\u0000' })).toThrow(ConfigError);
  });

  it('answers the errors it should, so the comparison means something', async () => {
    const codes = async (i: number) => (await run(api.apollo, CASES[i].query, CASES[i].variables, CASES[i].viewer?.())).errors?.map((e) => e.extensions?.code);
    expect(await codes(2)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(3)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(6)).toContain('UNAUTHENTICATED');
    const defaulted = await run(api.apollo, CASES[5].query);
    expect((defaulted.data as any).suppliers.edges).toHaveLength(2);
  });
});
