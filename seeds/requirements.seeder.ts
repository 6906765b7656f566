import type { EntityManager as CoreEntityManager } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { Requirement, RequirementSet } from '../src/modules/specification/specification.entity.js';
import { OPERATING_MODEL_SET } from './data/requirements.js';

/** The national requirement sets. Idempotent: matched on name and edition, requirements on code. */
export class RequirementsSeeder extends Seeder {
  async run(coreEm: CoreEntityManager): Promise<void> {
    const em = coreEm as unknown as EntityManager;
    const { requirements, ...data } = OPERATING_MODEL_SET;
    const set = (await em.findOne(RequirementSet, { name: data.name, edition: data.edition, owner: null })) ?? em.create(RequirementSet, data);
    em.assign(set, { description: data.description });
    const existing = new Map((await em.find(Requirement, { set })).map((r) => [r.code, r]));
    for (const requirement of requirements) {
      const row = existing.get(requirement.code) ?? em.create(Requirement, { ...requirement, set });
      em.assign(row, requirement);
    }
    await em.flush();
  }
}
