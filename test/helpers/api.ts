import assert from 'node:assert';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { silentLogger } from '../../src/common/logger.js';
import { countStatements } from '../../src/common/request-scope.js';
import { createContext, type Context } from '../../src/graphql/context.js';
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
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
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
    async query(query, variables) {
      const { result, statements } = await countStatements(() =>
        apollo.executeOperation({ query, variables }, { contextValue: createContext(db.orm) }),
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
