import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { jsonSizeOver } from './guard.js';

/**
 * A short-lived, per-process cache of the public catalogue's answers: queries from anonymous callers
 * only (never a signed-in viewer's, whose answers depend on who they are), stored when they succeed,
 * dropped after the TTL, and cleared whenever this process commits a mutation (a rejected one changes
 * nothing, so it cannot be used to flush the cache). Keys are SHA-256 digests of the operation and
 * its variables, so a large unused variable costs 64 bytes, not its size. Across replicas an
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
          if (operation?.operation !== 'query' || !anonymous) return null;
          key = createHash('sha256')
            .update(JSON.stringify([request.query, request.operationName ?? null, request.variables ?? {}]))
            .digest('base64url');
          const hit = entries.get(key);
          if (!hit) return null;
          if (hit.expires < Date.now()) {
            drop(key);
            return null;
          }
          served = true; // a hit does not extend its own life
          return hit.response;
        },
        async willSendResponse({ response, operation, errors, contextValue: ctx }) {
          if (ctx.committed) {
            // Even a partly failed operation may have committed something.
            entries.clear();
            bytes = 0;
            return;
          }
          if (operation?.operation !== 'query') return;
          if (!key || served || errors?.length || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          // Measured without serialising first: an answer near the size limit is megabytes.
          if (jsonSizeOver(response.body.singleResult, maxEntryBytes)) return;
          const size = JSON.stringify(response.body.singleResult).length + key.length;
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
