import type { Request, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, isDatabaseUnavailable } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { currentScope } from '../../common/request-scope.js';
import { publicBaseUri } from '../../config.js';
import { createContext } from '../../graphql/context.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import type { TokenVerifier } from '../identity/identity.service.js';
import { ANONYMOUS } from '../identity/identity.viewer.js';
import { ShortlistService } from './shortlist.service.js';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** GET /ocds/shortlists/:id: the same package as the shortlistOcds query, for OCDS tools that fetch URLs. */
export function ocdsShortlistRoute(opts: { orm: MikroORM; logger: Logger; verifier?: TokenVerifier }) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = currentScope()?.requestId;
    try {
      const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
      if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
      if (viewer.kind !== 'buyer') throw IdentityErrors.roleRequired(['BUYER']);
      const ctx = createContext(opts.orm, requestId, viewer);
      res.type('application/json').json(await new ShortlistService(ctx).ocds(String(req.params.id), publicBaseUri()));
    } catch (error) {
      if (error instanceof AppError) {
        const { http: _http, ...extensions } = error.extensions;
        res.status(STATUS[error.code] ?? 400).json({ error: { message: error.message, ...extensions } });
      } else if (isDatabaseUnavailable(error)) {
        res.status(503).json({ error: { message: 'The database is unavailable; try again shortly.', code: ErrorCode.SERVICE_UNAVAILABLE, requestId } });
      } else {
        opts.logger.error({ err: error, requestId }, 'unhandled error in GET /ocds/shortlists/:id');
        res.status(500).json({ error: { message: 'Internal server error', code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } });
      }
    }
  };
}
