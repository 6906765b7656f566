import type { Request, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../common/logger.js';
import { currentScope } from '../common/request-scope.js';
import { sendRestError } from '../common/rest-errors.js';
import { IdentityErrors } from '../modules/identity/identity.errors.js';
import type { TokenVerifier } from '../modules/identity/identity.service.js';
import { ANONYMOUS } from '../modules/identity/identity.viewer.js';
import { createContext, type Context } from './context.js';

/** What a REST route beside the API needs. */
export interface RouteOptions {
  orm: MikroORM;
  logger: Logger;
  verifier?: TokenVerifier;
}

/**
 * GET of one of a buyer's records beside the API (an OCDS package, a CSV of results): signed in as a
 * BUYER, then the same service call, access rules and errors as the query it mirrors.
 */
export function buyerRecordRoute(route: string, opts: RouteOptions, send: (ctx: Context, id: string, res: Response) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
      if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
      if (viewer.kind !== 'buyer') throw IdentityErrors.roleRequired(['BUYER']);
      await send(createContext(opts.orm, currentScope()?.requestId, viewer), String(req.params.id), res);
    } catch (error) {
      sendRestError(res, error, opts.logger, `GET ${route}`);
    }
  };
}
