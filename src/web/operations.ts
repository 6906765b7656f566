import type { ApolloServer } from '@apollo/server';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { print } from 'graphql';
import { currentScope } from '../common/request-scope.js';
import { UNSAFE_CHARACTER_MESSAGE } from '../common/text.js';
import { inspectVariables } from '../graphql/input-rules.js';
import { createContext, type Context } from '../graphql/context.js';
import type { Viewer } from '../modules/identity/identity.viewer.js';

/** An error the API answered with, as a page needs it: its code, and the fields it names. */
export class OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[],
    readonly requestId?: string,
    /** The API's reason within the code, e.g. STALE_VERSION or EXISTS for a CONFLICT. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface Operations {
  /**
   * Runs one typed operation in-process against the API's own schema, as this viewer: every rule,
   * limit, loader and audit row is the API's. Resolves its data, or rejects with the first error.
   */
  run<R, V extends Record<string, unknown>>(viewer: Viewer, document: TypedDocumentNode<R, V>, variables?: V): Promise<R>;
  /**
   * Runs a paged operation with the largest page size, up to `first`, that the API's cost limit
   * allows for it: a large specification's outcomes make each match dearer, so its pages are smaller.
   * The API prices an operation before running it, so a refused size costs no resolver's SQL.
   * Resolves the data and the size used (to ask the next page at once).
   */
  runFitting<R, V extends Record<string, unknown> & { first: number }>(viewer: Viewer, document: TypedDocumentNode<R, V>, variables: V): Promise<{ data: R; first: number }>;
  /**
   * Every page of a paged operation in turn (`runFitting` each, the size that fitted kept for the next),
   * until the last page, `maxItems` items or `maxPages` pages; the caller may stop early.
   */
  pages<R, V extends Record<string, unknown> & { first: number; after?: string | null }>(
    viewer: Viewer,
    document: TypedDocumentNode<R, V>,
    variables: V,
    connectionOf: (data: R) => PagedConnection,
    limits: { maxItems: number; maxPages: number },
  ): AsyncGenerator<R>;
}

/** What `pages` reads of a connection to go on. */
export interface PagedConnection {
  edges: readonly unknown[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

const printed = new WeakMap<object, string>();

export function createOperations(apollo: ApolloServer<Context>, orm: MikroORM): Operations {
  return {
    async run(viewer, document, variables) {
      // The API's own gate on variables (it guards /graphql as middleware, which in-process calls skip):
      // text PostgreSQL cannot store is the person's mistake, not an outage.
      const problem = variables ? inspectVariables(variables) : undefined;
      if (problem) {
        const message = problem.reason in UNSAFE_CHARACTER_MESSAGE ? `This answer ${UNSAFE_CHARACTER_MESSAGE[problem.reason as keyof typeof UNSAFE_CHARACTER_MESSAGE]}` : problem.message;
        throw new OperationError('BAD_USER_INPUT', message, [{ field: problem.field, message }], currentScope()?.requestId);
      }
      let query = printed.get(document);
      if (!query) printed.set(document, (query = print(document)));
      const requestId = currentScope()?.requestId;
      const response = await apollo.executeOperation({ query, variables }, { contextValue: createContext(orm, requestId, viewer) });
      if (response.body.kind !== 'single') throw new OperationError('INTERNAL_SERVER_ERROR', 'unexpected incremental answer', [], requestId);
      const { data, errors } = response.body.singleResult;
      if (errors?.length) {
        const first = errors[0];
        const ext = (first.extensions ?? {}) as { code?: string; reason?: string; field?: string; fields?: { field: string; message: string }[] };
        const fields = ext.fields ?? (ext.field ? [{ field: ext.field, message: first.message }] : []);
        throw new OperationError(ext.code ?? 'INTERNAL_SERVER_ERROR', first.message, fields, requestId, ext.reason);
      }
      return data as never;
    },
    async *pages(viewer, document, variables, connectionOf, limits) {
      let vars = variables;
      for (let items = 0, page = 0; items < limits.maxItems && page < limits.maxPages; page++) {
        const { data, first } = await this.runFitting(viewer, document, vars);
        yield data;
        const connection = connectionOf(data);
        items += connection.edges.length;
        if (!connection.pageInfo.hasNextPage) return;
        vars = { ...vars, first, after: connection.pageInfo.endCursor ?? undefined };
      }
    },
    async runFitting(viewer, document, variables) {
      for (let first = variables.first; ; first = Math.floor(first / 2)) {
        try {
          return { data: await this.run(viewer, document, { ...variables, first }), first };
        } catch (error) {
          if (!(error instanceof OperationError) || error.code !== 'QUERY_TOO_COSTLY' || first <= 1) throw error;
        }
      }
    },
  };
}
