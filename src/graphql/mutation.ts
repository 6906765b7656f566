import {
  CheckConstraintViolationException,
  ForeignKeyConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from './context.js';
import { createLoaders } from './loaders.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { IdentityErrors } from '../modules/identity/identity.errors.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { useWorkClass } from '../common/request-scope.js';

export const conflict = (what: string, currentVersion: number | null, reason = 'STALE_VERSION') =>
  new AppError(
    ErrorCode.CONFLICT,
    currentVersion === null
      ? `The ${what} was changed or removed by someone else; reload it.`
      : `The ${what} has changed since you read it (it is now at version ${currentVersion}); reload it and try again.`,
    reason,
    { currentVersion },
  );

/** Optimistic concurrency: the client quotes the version it saw; anything else is a CONFLICT. */
export function expectVersion(entity: { version: number }, version: number, what: string): void {
  if (entity.version !== version) throw conflict(what, entity.version);
}

export interface MutationScope {
  em: EntityManager;
  audit: AuditService;
}

/**
 * One mutation, one transaction: the change and its audit rows commit together or not at all. A
 * concurrent writer that got there first surfaces as CONFLICT with the version now current.
 */
export async function mutate<T>(
  ctx: Context,
  what: string,
  work: (scope: MutationScope) => Promise<T>,
  currentVersion?: () => Promise<number | null>,
): Promise<T> {
  const viewer = ctx.viewer;
  if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
  const requestEm = ctx.em;
  const requestLoaders = ctx.loaders;
  useWorkClass('write');
  try {
    const committed = await ctx.em.transactional(async (em) => {
      // Services and loaders reached through the context read inside this transaction too: on its
      // connection (no second pool connection per mutation, which could exhaust the pool under load)
      // and seeing its own writes. Mutations run one at a time per request, so swapping is safe.
      ctx.em = em;
      ctx.loaders = createLoaders(em, ctx.reference);
      const result = await work({ em, audit: new AuditService(em, viewer, ctx.requestId) });
      await em.flush();
      return result;
    });
    ctx.committed = true;
    return committed;
  } catch (error) {
    if (error instanceof OptimisticLockError) throw conflict(what, currentVersion ? await currentVersion() : null);
    if (error instanceof UniqueConstraintViolationException) {
      throw new AppError(ErrorCode.CONFLICT, `A ${what} like this already exists.`, 'DUPLICATE');
    }
    if (error instanceof CheckConstraintViolationException || error instanceof ForeignKeyConstraintViolationException) {
      // The database's own message would name tables and constraints; the client gets a plain one.
      throw new AppError(ErrorCode.BAD_USER_INPUT, `The ${what} breaks a rule the catalogue enforces (dates in order, references that exist).`, 'CONSTRAINT');
    }
    throw error;
  } finally {
    ctx.em = requestEm;
    ctx.loaders = requestLoaders;
  }
}
