import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { referenceSnapshot } from '../common/reference-cache.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Who is asking. Until identity lands every request is the public. */
export interface Viewer {
  kind: 'anonymous';
}

export interface Context {
  requestId: string;
  em: EntityManager;
  loaders: Loaders;
  viewer: Viewer;
}

export function createContext(orm: MikroORM, requestId: string = randomUUID()): Context {
  // A fork per request: its own identity map and unit of work, never the global EntityManager.
  const em = orm.em.fork();
  const viewer: Viewer = { kind: 'anonymous' };
  return { requestId, em, loaders: createLoaders(em, viewer, referenceSnapshot(orm)), viewer };
}
