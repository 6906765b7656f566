import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Capability } from './capability.entity.js';
import { CapabilityErrors } from './capability.errors.js';

export class CapabilityService {
  constructor(private readonly em: EntityManager) {}

  list(filter: { foundationOnly?: boolean | null; category?: string | null }): Promise<Capability[]> {
    const where: FilterQuery<Capability> = {};
    if (filter.foundationOnly) where.isFoundation = true;
    if (filter.category !== undefined && filter.category !== null) {
      const category = filter.category.trim();
      if (category.length === 0 || category.length > 100) throw CapabilityErrors.invalidCategory();
      where.category = { $ilike: category.replace(/[\\%_]/g, (c) => '\\' + c) };
    }
    return this.em.find(Capability, where, { orderBy: { number: 'asc' } });
  }

  findByReference(reference: string): Promise<Capability | null> {
    const normalised = reference.trim().toUpperCase();
    if (!/^C\d{1,4}$/.test(normalised)) throw CapabilityErrors.invalidReference(reference);
    return this.em.findOne(Capability, { reference: normalised });
  }
}
