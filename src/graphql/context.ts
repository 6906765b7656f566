import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { referenceSnapshot } from '../common/reference-cache.js';
import { ANONYMOUS, type Viewer } from '../modules/identity/identity.viewer.js';
import { createLoaders, type Loaders } from './loaders.js';

export type { Viewer };

export interface Context {
  requestId: string;
  em: EntityManager;
  loaders: Loaders;
  viewer: Viewer;
}

export function createContext(orm: MikroORM, requestId: string = randomUUID(), viewer: Viewer = ANONYMOUS): Context {
  // A fork per request: its own identity map and unit of work, never the global EntityManager.
  const em = orm.em.fork();
  return { requestId, em, loaders: createLoaders(em, referenceSnapshot(orm)), viewer };
}
