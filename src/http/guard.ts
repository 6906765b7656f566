import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { ReferenceSnapshot } from '../modules/reference/reference-cache.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../config.js';
import { currentScope } from '../common/request-scope.js';
import type { Context } from '../graphql/context.js';
import { inspectVariables } from '../graphql/input-rules.js';
import { COST_LIMIT, connectionRows, estimateCost, listBounds, scopedBoundsFor, scopedRootsIn, tooCostly, type ConnectionRows, type ListBounds } from '../graphql/cost.js';

/**
 * The gate in front of execution. Everything here rejects a request as a whole, with a 400 and a
 * GraphQL error carrying a code, before any resolver (and so any SQL) runs; and refuses to send an
 * answer larger than the configured size.
 */

export const GuardCode = {
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  BAD_REQUEST: 'BAD_REQUEST',
} as const;

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 100 * 1024;

/** A whole request refused with a GraphQL-shaped error (plain Node response: Express's or the fast path's). */
export function reject(res: http.ServerResponse, status: number, message: string, extensions: Record<string, unknown>): void {
  const requestId = currentScope()?.requestId;
  const body = JSON.stringify({ errors: [{ message, extensions: { ...extensions, ...(requestId ? { requestId } : {}) } }] });
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Why a body could not be used, as the API says it. */
export const BodyProblem = {
  tooLarge: (res: http.ServerResponse) => reject(res, 413, `The request body is larger than the ${MAX_BODY_BYTES / 1024} kB this API accepts.`, { code: 'PAYLOAD_TOO_LARGE', limit: MAX_BODY_BYTES }),
  malformed: (res: http.ServerResponse) => reject(res, 400, 'The request body is not valid JSON.', { code: GuardCode.BAD_REQUEST, reason: 'MALFORMED_JSON' }),
  unreadable: (res: http.ServerResponse, status: number) =>
    reject(res, status, 'The request body could not be read (check its content type and encoding).', { code: GuardCode.BAD_REQUEST, reason: 'UNREADABLE_BODY' }),
};

/** Variables that could never be valid are refused before Apollo sees them; answers whether it refused. */
export function refuseVariables(body: unknown, res: http.ServerResponse): boolean {
  const variables = body && typeof body === 'object' && !Array.isArray(body) ? (body as { variables?: unknown }).variables : undefined;
  if (variables === undefined) return false;
  const problem = inspectVariables(variables);
  if (problem) reject(res, 400, problem.message, { code: 'BAD_USER_INPUT', reason: problem.reason, field: problem.field });
  return Boolean(problem);
}

/** Runs after the JSON body parser (see refuseVariables). */
export const variablesGuard: express.RequestHandler = (req, res, next) => {
  if (!refuseVariables(req.body, res)) next();
};

/** The body parser's failures (malformed JSON, too large, unsupported charset) as GraphQL errors, never an HTML page. */
export const bodyErrorHandler: express.ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const type = (error as { type?: string }).type;
  const status = (error as { status?: number }).status;
  if (type === 'entity.too.large') return BodyProblem.tooLarge(res);
  if (type === 'entity.parse.failed') return BodyProblem.malformed(res);
  if (typeof status === 'number' && status >= 400 && status < 500) return BodyProblem.unreadable(res, status);
  next(error);
};

/**
 * Serialised size of a JSON value, counted without building the string; stops once past `limit`.
 * (Counted as before: a string is its length plus quotes, a key its length plus quotes and colon,
 * each array item and object entry one separator; walked depth first without allocating.)
 */
export function jsonSizeOver(value: unknown, limit: number): boolean {
  let size = 0;
  const over = (v: unknown): boolean => {
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number' || typeof v === 'boolean') size += String(v).length;
    else if (v === null || v === undefined) size += 4;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      if (size > limit) return true;
      for (let i = 0; i < v.length; i++) if (over(v[i])) return true;
    } else if (typeof v === 'object') {
      size += 2;
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 0; i < keys.length; i++) {
        size += keys[i].length + 4;
        if (over(record[keys[i]])) return true;
      }
    }
    return size > limit;
  };
  return over(value);
}

const pricing = new WeakMap<ReferenceSnapshot, { bounds: ListBounds; rows: ConnectionRows }>();
function pricesFor(reference: ReferenceSnapshot) {
  let prices = pricing.get(reference);
  if (!prices) pricing.set(reference, (prices = { bounds: listBounds(reference), rows: connectionRows(reference) }));
  return prices;
}

/** Costs already worked out, by parsed document (Apollo reuses the object for the same query text) and variables. */
const costs = new WeakMap<DocumentNode, Map<string, { prices: ReturnType<typeof pricesFor>; cost: number }>>();

export interface GuardOptions {
  maxResponseBytes?: number;
  /** Called after a request whose mutation committed (the list sizes may have grown). */
  onCommitted?: () => void;
}

/**
 * Prices the chosen operation with its variables (a page size outside 1 to 100 anywhere fails the
 * whole operation) and refuses it over the limit; refuses an answer over the size limit.
 * Must come before the response cache among the plugins, so an oversized answer is never cached.
 */
export function operationGuardPlugin(options: GuardOptions = {}): ApolloServerPlugin<Context> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) {
            throw new GraphQLError(
              typeof request.operationName === 'string' && request.operationName !== ''
                ? `The document has no operation named "${request.operationName}".`
                : document.definitions.filter((d) => d.kind === 'OperationDefinition').length > 1
                  ? 'The document has several operations: say which to run with operationName.'
                  : 'operationName does not name the operation in the document; leave it out or name it.',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          const prices = pricesFor(contextValue.reference);
          const { bounds, rows } = prices;
          // The same operation with the same variables costs the same while the list sizes stand: priced
          // once, by the catalogue's bounds (each list's longest).
          const key = `${request.operationName ?? ''}\u0000${JSON.stringify(request.variables ?? {})}`;
          let known = costs.get(document)?.get(key);
          if (known?.prices !== prices) known = undefined;
          let cost = known?.cost;
          if (cost === undefined) {
            cost = estimateCost(schema, document, { operationName: request.operationName, variables: request.variables, bounds, rows });
            if (key.length <= 2_048) {
              let byVariables = costs.get(document);
              if (!byVariables) costs.set(document, (byVariables = new Map()));
              if (byVariables.size >= 64) byVariables.clear();
              byVariables.set(key, { prices, cost });
            }
          }
          // Refused by the catalogue's bounds, an operation naming a record (a specification, a supplier,
          // an audited record) is priced again by that record's own sizes, which change with writes and
          // are looked up every time: one organisation's long lists must not price every other tenant's
          // pages out. Under the limit it needs no lookup, since a record's own sizes are at most the
          // catalogue's.
          if (cost > COST_LIMIT) {
            const roots = scopedRootsIn(document, request.operationName, request.variables);
            if (roots.length) {
              const scopedBounds = await scopedBoundsFor(contextValue.em, roots, contextValue.reference.sizes);
              cost = estimateCost(schema, document, { operationName: request.operationName, variables: request.variables, bounds, rows, scopedBounds });
            }
          }
          contextValue.cost = cost;
          if (cost > COST_LIMIT) throw tooCostly(cost);
        },
        async willSendResponse({ response, contextValue }) {
          if (contextValue.committed) options.onCommitted?.();
          if (response.body.kind !== 'single' || !response.body.singleResult.data) return;
          if (!jsonSizeOver(response.body.singleResult, maxBytes)) return;
          response.http.status = 400;
          response.body.singleResult = {
            errors: [
              {
                message: `The answer would be larger than the ${Math.round(maxBytes / 1024)} kB this API sends in one response; ask for fewer items (a smaller first) or fewer fields.`,
                extensions: { code: GuardCode.RESPONSE_TOO_LARGE, limit: maxBytes, requestId: currentScope()?.requestId },
              },
            ],
          };
        },
      };
    },
  };
}
