import type { EntityManager } from '@mikro-orm/postgresql';
import { Framework, type FrameworkStatus } from './framework.entity.js';
import { FrameworkErrors } from './framework.errors.js';

export class FrameworkService {
  constructor(private readonly em: EntityManager) {}

  list(status?: FrameworkStatus | null): Promise<Framework[]> {
    return this.em.find(Framework, status ? { status } : {}, { orderBy: { code: 'asc' } });
  }

  /** Unknown codes are null (the catalogue simply has no such framework); malformed ones are errors. */
  findByCode(code: string): Promise<Framework | null> {
    const normalised = code.trim().toUpperCase();
    if (!/^[A-Z0-9]{2,32}$/.test(normalised)) throw FrameworkErrors.invalidCode(code);
    return this.em.findOne(Framework, { code: normalised });
  }
}
