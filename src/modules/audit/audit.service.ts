import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../identity/identity.viewer.js';
import { AuditEvent } from './audit.entity.js';
import { AuditEntity } from './audit.inputs.js';

/** A plain JSON picture of a record: relations as ids, dates as ISO strings, no search vectors. */
export function snapshot(entity: object): Record<string, unknown> {
  const plain = wrap(entity).toObject() as Record<string, unknown>;
  delete plain.searchVector;
  return JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
}

export interface AuditEntry {
  action: string;
  entityType: AuditEntity;
  entityId: string;
  supplierId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes audit rows through the mutation's own EntityManager, so they commit or roll back with the change. */
export class AuditService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Exclude<Viewer, { kind: 'anonymous' }>,
    private readonly requestId: string,
  ) {}

  record(entry: AuditEntry): void {
    this.em.create(AuditEvent, {
      actorSub: this.viewer.sub,
      actorRole: this.viewer.role,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      supplierId: entry.supplierId,
      before: entry.before,
      after: entry.after,
      requestId: this.requestId,
    });
  }

  trail(entityType: AuditEntity, entityId: string): Promise<AuditEvent[]> {
    return this.em.find(AuditEvent, { entityType, entityId }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  }
}
