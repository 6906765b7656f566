import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';

/**
 * Operations executed by graphql-jit: each parsed document (Apollo keeps one object per query text)
 * is compiled once into a function that walks its selections directly, instead of graphql-js
 * interpreting the document field by field on every request (argument maps, field lookups and a
 * promise check per field were the larger part of a nested page's CPU). Resolvers, Apollo's plugins
 * and error formatting run as before.
 *
 * What graphql-js decides stays graphql-js's: variables are coerced by graphql-js first (its errors,
 * which Apollo answers as BAD_USER_INPUT, and its rule that an unsent variable named like an
 * Object.prototype member takes its default); resolver errors keep graphql-js's shape (nodes,
 * original error). A document the compiler refuses is executed by graphql-js.
 *
 * Compiled functions live as long as their document does in Apollo's document store (an LRU bounded
 * in bytes), so they are bounded by it too.
 */
export function compiledExecutor(schema: GraphQLSchema): GatewayExecutor {
  // Keyed by document object: Apollo's document store hands back the same object for the same text.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  return async ({ document, operationName, operation, request, context: contextValue }) => {
    const variables = request.variables ?? {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };

    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let query = byName.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      query = isCompiledQuery(result) ? result : null;
      byName.set(key, query);
    }
    if (!query) return execute({ schema, document, operationName, variableValues: variables, contextValue });
    // Only the sent variables, on no prototype: the compiled reader looks names up with `in`-like reads.
    const result = (await query.query(undefined, contextValue, Object.assign(Object.create(null), variables))) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/** graphql-jit's error as graphql-js would have made it: a GraphQLError carrying the original error. */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (original instanceof GraphQLError && original.path) return original;
  const located = new GraphQLError(error.message, { path: error.path, originalError: original ?? undefined, extensions: error.extensions });
  // graphql-jit knows where in the query the field was (it compiled it), not the AST node graphql-js keeps.
  (located as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return located;
}

/** Apollo runs a custom executor only for a "gateway": this one serves our own schema. */
export function compiledGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor: compiledExecutor(schema) };
    },
    async stop() {},
  };
}
