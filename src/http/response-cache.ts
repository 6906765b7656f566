import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Context } from '../graphql/context.js';

/**
 * A short-lived, per-process cache of the public catalogue's answers: queries from anonymous callers
 * only (never a signed-in viewer's, whose answers depend on who they are), stored when they succeed,
 * dropped after the TTL, and cleared whenever this process commits a mutation. Across replicas an
 * answer can be up to the TTL stale; evidence is verified by people, so seconds do not matter.
 */
export interface ResponseCacheOptions {
  ttlMs: number;
  maxEntries?: number;
}

export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<Context> {
  const entries = new Map<string, { expires: number; response: GraphQLResponse }>();
  const max = options.maxEntries ?? 1_000;
  return {
    async requestDidStart({ contextValue }) {
      const anonymous = contextValue.viewer.kind === 'anonymous';
      let key: string | undefined;
      let served = false;
      return {
        async responseForOperation({ request, operation }) {
          if (operation.operation !== 'query' || !anonymous) return null;
          key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? {}]);
          const hit = entries.get(key);
          if (!hit) return null;
          if (hit.expires < Date.now()) {
            entries.delete(key);
            return null;
          }
          served = true; // a hit does not extend its own life
          return hit.response;
        },
        async willSendResponse({ response, operation, errors }) {
          if (operation?.operation === 'mutation' && !errors?.length) {
            entries.clear();
            return;
          }
          if (!key || served || errors?.length || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          if (entries.size >= max) entries.delete(entries.keys().next().value!);
          entries.set(key, {
            expires: Date.now() + options.ttlMs,
            response: { http: response.http, body: { kind: 'single', singleResult: response.body.singleResult } },
          });
        },
      };
    },
  };
}
