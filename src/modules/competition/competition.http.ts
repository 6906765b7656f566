import type { Request, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, isDatabaseUnavailable } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { currentScope } from '../../common/request-scope.js';
import { publicBaseUri } from '../../config.js';
import { createContext, type Context } from '../../graphql/context.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import type { TokenVerifier } from '../identity/identity.service.js';
import { ANONYMOUS } from '../identity/identity.viewer.js';
import { competitionCsv, competitionOcds } from './competition.ocds.js';
import { CompetitionService } from './competition.service.js';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** A buyer's REST export of a finalised competition, with the access of the competition query. */
function exportRoute(name: string, opts: { orm: MikroORM; logger: Logger; verifier?: TokenVerifier }, send: (ctx: Context, id: string, res: Response) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = currentScope()?.requestId;
    try {
      const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
      if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
      if (viewer.kind !== 'buyer') throw IdentityErrors.roleRequired(['BUYER']);
      await send(createContext(opts.orm, requestId, viewer), String(req.params.id), res);
    } catch (error) {
      if (error instanceof AppError) {
        const { http: _http, ...extensions } = error.extensions;
        res.status(STATUS[error.code] ?? 400).json({ error: { message: error.message, ...extensions } });
      } else if (isDatabaseUnavailable(error)) {
        res.status(503).json({ error: { message: 'The database is unavailable; try again shortly.', code: ErrorCode.SERVICE_UNAVAILABLE, requestId } });
      } else {
        opts.logger.error({ err: error, requestId }, `unhandled error in GET ${name}`);
        res.status(500).json({ error: { message: 'Internal server error', code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } });
      }
    }
  };
}

/** GET /ocds/competitions/:id: the same package as the competitionOcds query. */
export const ocdsCompetitionRoute = (opts: { orm: MikroORM; logger: Logger; verifier?: TokenVerifier }) =>
  exportRoute('/ocds/competitions/:id', opts, async (ctx, id, res) => {
    const { competition } = await new CompetitionService(ctx).frozen(id);
    res.type('application/json').json(competitionOcds(competition, publicBaseUri()));
  });

/** GET /competitions/:id/results.csv: the finalised results, one line per solution. */
export const csvCompetitionRoute = (opts: { orm: MikroORM; logger: Logger; verifier?: TokenVerifier }) =>
  exportRoute('/competitions/:id/results.csv', opts, async (ctx, id, res) => {
    const { snapshot } = await new CompetitionService(ctx).frozen(id);
    res.type('text/csv; charset=utf-8').attachment('competition results.csv').send(competitionCsv(snapshot));
  });
