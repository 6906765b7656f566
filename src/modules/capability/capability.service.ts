import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { unsafeCharacter } from '../../common/text.js';
import { Capability } from './capability.entity.js';
import { CapabilityErrors } from './capability.errors.js';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

export class CapabilityService {
  constructor(private readonly em: EntityManager) {}

  list(filter: { foundationOnly?: boolean | null; category?: string | null; search?: string | null }): Promise<Capability[]> {
    const where: FilterQuery<Capability> = {};
    if (filter.foundationOnly) where.isFoundation = true;
    if (filter.category !== undefined && filter.category !== null) {
      const category = filter.category.trim();
      if (category.length === 0 || category.length > 100) throw CapabilityErrors.invalidCategory();
      where.category = { $ilike: escapeLike(category) };
    }
    if (filter.search !== undefined && filter.search !== null) {
      const search = filter.search.trim();
      // Checked here too: the pages run operations in-process, past the HTTP request guard.
      if (search.length === 0 || search.length > 100 || unsafeCharacter(search)) throw CapabilityErrors.invalidSearch();
      const pattern = `%${escapeLike(search)}%`;
      where.$or = [{ name: { $ilike: pattern } }, { reference: { $ilike: escapeLike(search.replace(/\s+/g, '')) } }];
    }
    return this.em.find(Capability, where, { orderBy: { number: 'asc' } });
  }

  findByReference(reference: string): Promise<Capability | null> {
    const normalised = reference.trim().toUpperCase();
    if (!/^C\d{1,4}$/.test(normalised)) throw CapabilityErrors.invalidReference(reference);
    return this.em.findOne(Capability, { reference: normalised });
  }
}
