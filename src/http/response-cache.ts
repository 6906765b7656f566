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
  const entries = new Map<string, { expires: number; bytes: number; response: GraphQLResponse }>();
  const max = options.maxEntries ?? 1_000;
  // Bounded by bytes too: one answer near the cost limit can be megabytes.
  const maxBytes = 32 * 1024 * 1024;
  const maxEntryBytes = 256 * 1024;
  let bytes = 0;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (entry) bytes -= entry.bytes;
    entries.delete(key);
  };
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
            drop(key);
            return null;
          }
          served = true; // a hit does not extend its own life
          return hit.response;
        },
        async willSendResponse({ response, operation, errors }) {
          if (operation?.operation === 'mutation') {
            // Even a partly failed mutation may have committed something.
            entries.clear();
            bytes = 0;
            return;
          }
          if (!key || served || errors?.length || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          const size = JSON.stringify(response.body.singleResult).length;
          if (size > maxEntryBytes) return;
          while (entries.size && (entries.size >= max || bytes + size > maxBytes)) drop(entries.keys().next().value!);
          bytes += size;
          entries.set(key, {
            expires: Date.now() + options.ttlMs,
            bytes: size,
            response: { http: response.http, body: { kind: 'single', singleResult: response.body.singleResult } },
          });
        },
      };
    },
  };
}
