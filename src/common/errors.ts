import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import { currentScope } from './request-scope.js';
import { LIMITS, LimitCode } from './limits.js';

const LIMIT_CODES = new Set<string>(Object.values(LimitCode));
const TOKEN_LIMIT = () => LIMITS.maxTokens;

/**
 * The closed set of error kinds the API answers with. Modules raise AppErrors through their own
 * `<module>.errors.ts` factories; this file is the one place that turns them into GraphQL errors.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A statement ran past its timeout, or the request past its deadline. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends GraphQLError {
  constructor(
    code: ErrorCode,
    message: string,
    /** A stable machine-readable reason within the code, e.g. INVALID_ODS_CODE. */
    reason: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, reason, ...details } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const badInput = (field: string, reason: string, message: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, reason, { field });

/** Codes that Apollo and graphql-js produce themselves for malformed requests; they pass unchanged. */
const PASS_THROUGH = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** class-validator's failures as `{ field, message }`, a nested field named by its path (`reports.2.period`). */
export function describeValidation(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...describeValidation(error.children ?? [], field)];
  });
}

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * Known errors keep their code; class-validator failures name the fields; anything else is masked
 * as INTERNAL_SERVER_ERROR carrying the request id that the log line also carries.
 */
export function createErrorFormatter(logger: ErrorLogger, options: { hideSuggestions?: boolean } = {}) {
  // In production, "Did you mean ...?" would map the schema for an attacker with introspection off.
  const hide = (message: string) => (options.hideSuggestions ? message.replace(/ ?Did you mean [^?]*\?/g, '') : message);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const requestId = currentScope()?.requestId;
    if (original instanceof AppError) {
      // `http` only sets the response status; it is not for clients.
      const { http: _http, ...extensions } = original.extensions;
      return { message: formatted.message.replace(/^Context creation failed: /, ''), path: formatted.path, locations: formatted.locations, extensions };
    }
    // Our own rejections raised as plain GraphQLErrors (page sizes, literal checks, wrapped by
    // Apollo as validation errors or thrown before execution) keep their code, reason and field.
    const own = ownRejection(original);
    if (own) {
      const { http: _http, ...extensions } = own.extensions;
      return { message: hide(own.message), locations: formatted.locations, extensions };
    }
    if (isQueryTimeout(original)) {
      return {
        message: 'The request took longer than this service allows and was stopped. Ask for less (fewer filters, a smaller page) and try again.',
        path: formatted.path,
        extensions: { code: ErrorCode.QUERY_TIMEOUT, requestId },
      };
    }
    const validationErrors = (original as GraphQLError)?.extensions?.validationErrors as ValidationError[] | undefined;
    if (Array.isArray(validationErrors)) {
      const fields = describeValidation(validationErrors);
      return {
        message: `Invalid input: ${fields.map((f) => f.message).join('; ')}`,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'VALIDATION_FAILED', field: fields[0]?.field, fields },
      };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code === 'BAD_USER_INPUT') {
      // graphql-js's variable coercion: 'Variable "$filter" got invalid value ... at "filter.certifications[0]"; ...'
      const match = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?;/.exec(formatted.message);
      const field = match ? (match[2] ?? match[1]).replace(/\[(\d+)\]/g, '.$1') : undefined;
      const reason = (innermost(original)?.extensions?.reason as string | undefined) ?? 'INVALID_VARIABLE';
      return { message: hide(formatted.message), locations: formatted.locations, extensions: { code, reason, ...(field ? { field } : {}) } };
    }
    // Query-protection rejections carry their own code and the limit they hit.
    // (Apollo wraps validation errors, keeping ours as originalError.)
    const limit = ((original as GraphQLError)?.originalError as GraphQLError | undefined)?.extensions ?? (original as GraphQLError)?.extensions;
    if (limit && typeof limit.code === 'string' && LIMIT_CODES.has(limit.code)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: limit.code, limit: limit.limit, actual: limit.actual } };
    }
    if (code === 'GRAPHQL_PARSE_FAILED' && /Document contains more th\w+ \d+ tokens/.test(formatted.message)) {
      return { message: `The query has more than ${TOKEN_LIMIT()} tokens; the limit is ${TOKEN_LIMIT()}.`, extensions: { code: 'QUERY_TOO_LARGE', limit: TOKEN_LIMIT() } };
    }
    if (code && PASS_THROUGH.has(code)) {
      return { message: hide(formatted.message), locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    if (isDatabaseUnavailable(original)) {
      return {
        message: 'The database is unavailable; try again shortly.',
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, requestId },
      };
    }
    logger.error({ err: original, path: formatted.path, requestId }, 'unhandled error in GraphQL operation');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
    };
  };
}

/** The deepest GraphQLError in a chain of wrappers (Apollo's, graphql-js's). */
function innermost(error: unknown): GraphQLError | undefined {
  let found: GraphQLError | undefined;
  let current = error as { originalError?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof GraphQLError) found = current;
    current = current.originalError as typeof current;
  }
  return found;
}

/** A rejection of ours: BAD_USER_INPUT or OPERATION_RESOLUTION_FAILURE raised with a reason or an http status. */
function ownRejection(error: unknown): GraphQLError | undefined {
  const inner = innermost(error);
  const ext = inner?.extensions;
  if (!ext || typeof ext.code !== 'string') return undefined;
  if (ext.code === 'BAD_USER_INPUT' && typeof ext.reason === 'string' && typeof ext.field === 'string') return inner;
  if (ext.code === 'OPERATION_RESOLUTION_FAILURE' && ext.http) return inner;
  return undefined;
}

/** PostgreSQL's query_canceled (57014: statement timeout, or cancelled because the request ended). */
export function isQueryTimeout(error: unknown): boolean {
  let current = error as { code?: string; sqlState?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code === '57014' || current.sqlState === '57014' || current.code === 'REQUEST_ABORTED') return true;
    current = (current.cause ?? current.originalError) as typeof current;
  }
  return false;
}

// Socket errors, PostgreSQL's connection-exception class (08), admin shutdown / cannot connect now
// (57P01-57P03) and too many connections (53300).
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|08\w{3}|57P0[123]|53300)$/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|not currently accepting connections|database system is (starting up|shutting down)|Client has encountered a connection error/i;

/** Whether an error means the database is unreachable (as opposed to a bug or a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error as { code?: string; sqlState?: string; cause?: unknown; message?: string } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if ([current.code, current.sqlState].some((c) => typeof c === 'string' && UNAVAILABLE_CODES.test(c))) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.test(current.message)) return true;
    current = current.cause as typeof current;
  }
  return false;
}
