import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Standard, type StandardType } from './standard.entity.js';
import { StandardErrors } from './standard.errors.js';

export class StandardService {
  constructor(private readonly em: EntityManager) {}

  list(filter: { type?: StandardType | null; includeWithdrawn?: boolean | null }): Promise<Standard[]> {
    const where: FilterQuery<Standard> = {};
    if (filter.type) where.type = filter.type;
    if (!filter.includeWithdrawn) where.withdrawn = false;
    return this.em.find(Standard, where, { orderBy: { number: 'asc' } });
  }

  findByReference(reference: string): Promise<Standard | null> {
    const normalised = reference.trim().toUpperCase();
    if (!/^S\d{1,4}$/.test(normalised)) throw StandardErrors.invalidReference(reference);
    return this.em.findOne(Standard, { reference: normalised });
  }
}
