import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { referenceSnapshot, type ReferenceSnapshot } from '../modules/reference/reference-cache.js';
import { ANONYMOUS, type Viewer } from '../modules/identity/identity.viewer.js';
import { createLoaders, type Loaders } from './loaders.js';

export type { Viewer };

export interface Context {
  requestId: string;
  em: EntityManager;
  loaders: Loaders;
  viewer: Viewer;
  /** The in-memory reference catalogue (frameworks, lots, capabilities, epics, standards). */
  reference: ReferenceSnapshot;
  /** The operation's estimated cost, once priced (for the log line). */
  cost?: number;
  /** Set once a mutation of this request has committed (the response cache clears only then). */
  committed?: boolean;
}

export function createContext(orm: MikroORM, requestId: string = randomUUID(), viewer: Viewer = ANONYMOUS): Context {
  // A fork per request: its own identity map and unit of work, never the global EntityManager.
  const em = orm.em.fork();
  const reference = referenceSnapshot(orm);
  return { requestId, em, loaders: createLoaders(em, reference), viewer, reference };
}
