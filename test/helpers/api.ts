import assert from 'node:assert';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { silentLogger } from '../../src/common/logger.js';
import { countStatements } from '../../src/common/request-scope.js';
import { createContext, type Context, type Viewer } from '../../src/graphql/context.js';
import { Role } from '../../src/modules/identity/identity.viewer.js';
import { createApolloServer } from '../../src/http/app.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  /** SQL statements sent while executing the operation. */
  statements: number;
}

export interface TestApi {
  db: TestDatabase;
  orm: MikroORM;
  apollo: ApolloServer<Context>;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

/** A clean seeded database and an Apollo server over it; operations run through executeOperation. */
export async function createTestApi(opts: { seed?: boolean | 'reference' } = {}): Promise<TestApi> {
  const db = await createTestDatabase(opts);
  const apollo = await createApolloServer({ orm: db.orm, logger: silentLogger });
  return {
    db,
    orm: db.orm,
    apollo,
    async query(query, variables, viewer) {
      const { result, statements } = await countStatements(() =>
        apollo.executeOperation({ query, variables }, { contextValue: createContext(db.orm, undefined, viewer) }),
      );
      assert(result.body.kind === 'single');
      const { data, errors } = result.body.singleResult;
      return { data: data as never, errors: errors as never, statements };
    },
    async close() {
      await apollo.stop();
      await db.drop();
    },
  };
}

/** The extension codes of a result's errors, for compact assertions. */
export const errorCodes = (result: GraphQLResult) => (result.errors ?? []).map((e) => e.extensions?.code);

/** Viewers for tests that exercise rules rather than token verification (see identity tests for that). */
export const as = {
  supplier: (supplierId: string, sub = `supplier-user-${supplierId.slice(0, 8)}`): Viewer => ({ kind: 'supplier', role: Role.SUPPLIER, sub, supplierId }),
  buyer: (odsCode = '02T', sub = `buyer-user-${odsCode}`): Viewer => ({ kind: 'buyer', role: Role.BUYER, sub, odsCode }),
  assurance: (sub = 'assurance-user-1'): Viewer => ({ kind: 'assurance', role: Role.ASSURANCE, sub }),
  public: (): Viewer => ({ kind: 'anonymous' }),
};

/**
 * A finalised shortlist of one solution (by name) for a DCS specification whose one MUST is an
 * ISO 27001 certificate, made by a buyer of 02T: the frozen decision the document tests verify.
 */
export async function finalisedIsoShortlist(api: TestApi, solutionName: string, title: string): Promise<{ id: string; snapshot: any }> {
  const buyer = as.buyer('02T');
  const spec = await api.query(
    `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
    {
      input: {
        title,
        frameworkCodes: ['DCS'],
        contractStart: '2027-04-01',
        termMonths: 24,
        requirements: [{ code: 'M1', title: 'ISO 27001', priority: 'MUST', criterion: { type: 'CERTIFICATION', certification: 'ISO_27001' } }],
      },
    },
    buyer,
  );
  if (spec.errors) throw new Error(JSON.stringify(spec.errors));
  const solution = (await api.db.sql(`SELECT id FROM solution WHERE name = $1`, [solutionName])).rows[0].id;
  const draft = await api.query(
    `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`,
    { input: { specificationId: spec.data!.createSpecification.id, entries: [{ solutionId: solution, included: true }] } },
    buyer,
  );
  if (draft.errors) throw new Error(JSON.stringify(draft.errors));
  const { id, version } = draft.data!.createShortlist;
  const final = await api.query(`mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { status } }`, { id, version }, buyer);
  if (final.errors) throw new Error(JSON.stringify(final.errors));
  return { id, snapshot: (await api.db.sql(`SELECT snapshot FROM shortlist WHERE id = $1`, [id])).rows[0].snapshot };
}
