import type { Response } from 'express';
import { AppError, ErrorCode, isDatabaseUnavailable } from './errors.js';
import type { Logger } from './logger.js';
import { currentScope } from './request-scope.js';

/** The HTTP status of each error code, for the REST endpoints beside the GraphQL API. */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/**
 * An error as the REST endpoints answer it: JSON `{ error: { message, code, reason, ..., requestId } }`
 * with its HTTP status. Only a fault of ours is logged, and no stack trace leaves the server.
 */
export function sendRestError(res: Response, error: unknown, logger: Logger, route: string): void {
  const requestId = currentScope()?.requestId;
  if (error instanceof AppError) {
    const { http, ...extensions } = error.extensions as { http?: { status?: number } };
    const status = http?.status ?? STATUS[error.code] ?? (error.code === ErrorCode.INTERNAL_SERVER_ERROR ? 500 : 400);
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    // Busy or a dependency down (503) is an expected state worth a warning; other 5xx are faults of ours.
    if (status === 503) logger.warn({ requestId, code: error.code }, `${route}: ${error.message}`);
    else if (status >= 500) logger.error({ err: error, requestId }, `${route}: ${error.message}`);
    res.status(status).json({ error: { message: error.message, ...extensions, requestId } });
  } else if (isDatabaseUnavailable(error)) {
    res.status(503).json({ error: { message: 'The database is unavailable; try again shortly.', code: ErrorCode.SERVICE_UNAVAILABLE, requestId } });
  } else {
    logger.error({ err: error, requestId }, `unhandled error in ${route}`);
    res.status(500).json({ error: { message: 'Internal server error', code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } });
  }
}
