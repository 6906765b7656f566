import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityManager as CoreEntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { Capability, CapabilityStatus, Epic, EpicLevel } from '../src/modules/capability/capability.entity.js';
import { Framework, Lot } from '../src/modules/framework/framework.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';
import { Standard, StandardType } from '../src/modules/standard/standard.entity.js';
import { readReferenceCsv } from './data/csv.js';
import { frameworks } from './data/frameworks.js';
import { organisations } from './data/organisations.js';

/** C50 is named in DOMAIN.md but absent from the Buying Catalogue export the CSV came from. */
const EXTRA_CAPABILITIES = [
  { reference: 'C50', name: 'Task Management', description: 'Supports the creation, allocation and tracking of tasks across the practice team.', foundation: 'false' },
];

/** The catalogue groups capabilities; the CSV has no category, so we derive it from the reference. */
export function capabilityCategory(n: number): string {
  if (n <= 4) return 'Citizen';
  if (n <= 20) return 'GP Practice';
  if (n <= 42) return 'Integrated Care';
  if (n <= 44) return 'Online and Video Consultation';
  if (n <= 47) return 'Vaccinations and Cohorts';
  return 'Practice Operations';
}

const numberOf = (reference: string) => Number(/(\d+)$/.exec(reference)![1]);

/**
 * The national reference catalogue: frameworks and lots, capabilities and epics, standards, and the
 * organisations of two ICBs. Idempotent: rows are matched on their natural keys, missing ones are
 * inserted and existing ones brought in line with the seed, so re-running it adds nothing.
 */
export class ReferenceSeeder extends Seeder {
  async run(coreEm: CoreEntityManager): Promise<void> {
    const em = coreEm as unknown as EntityManager;
    await this.frameworks(em);
    await this.capabilities(em);
    await this.standards(em);
    await this.organisations(em);
    await em.flush();
  }

  private async frameworks(em: EntityManager) {
    const existing = new Map((await em.find(Framework, {})).map((f) => [f.code, f]));
    const lots = await em.find(Lot, {});
    for (const { lots: lotSeeds, ...data } of frameworks) {
      const framework = existing.get(data.code) ?? em.create(Framework, data);
      em.assign(framework, data);
      for (const lot of lotSeeds) {
        const found = lots.find((l) => l.framework.id === framework.id && l.number === lot.number);
        if (found) em.assign(found, lot);
        else em.create(Lot, { ...lot, framework });
      }
    }
  }

  private async capabilities(em: EntityManager) {
    const existing = new Map((await em.find(Capability, {})).map((c) => [c.reference, c]));
    const rows = [...readReferenceCsv('capabilities.csv'), ...EXTRA_CAPABILITIES];
    for (const row of rows) {
      const n = numberOf(row.reference);
      const data = {
        reference: row.reference,
        number: n,
        name: row.name,
        description: row.description || null,
        category: capabilityCategory(n),
        isFoundation: row.foundation === 'true',
        status: CapabilityStatus.EFFECTIVE,
      };
      const capability = existing.get(data.reference) ?? em.create(Capability, data);
      em.assign(capability, data);
      existing.set(data.reference, capability);
    }
    const epics = new Map((await em.find(Epic, {})).map((e) => [e.reference, e]));
    for (const row of readReferenceCsv('epics.csv')) {
      const capability = existing.get(row.capability);
      if (!capability) throw new Error(`epic ${row.reference} names unknown capability ${row.capability}`);
      const data = {
        reference: row.reference,
        number: numberOf(row.reference),
        name: row.name,
        level: row.level as EpicLevel,
        active: row.active === 'true',
        capability,
      };
      const epic = epics.get(data.reference) ?? em.create(Epic, data);
      em.assign(epic, data);
    }
  }

  private async standards(em: EntityManager) {
    const existing = new Map((await em.find(Standard, {})).map((s) => [s.reference, s]));
    for (const row of readReferenceCsv('standards.csv')) {
      const data = {
        reference: row.reference,
        number: numberOf(row.reference),
        name: row.name,
        description: row.description || null,
        type: row.type as StandardType,
        version: row.version || null,
        withdrawn: row.withdrawn === 'true',
      };
      const standard = existing.get(data.reference) ?? em.create(Standard, data);
      em.assign(standard, data);
    }
  }

  private async organisations(em: EntityManager) {
    const existing = new Map((await em.find(Organisation, {})).map((o) => [o.odsCode, o]));
    // Parents come before children in the seed list, so each parent is known when its child is made.
    for (const { parent, ...data } of organisations) {
      const parentOrg = parent ? existing.get(parent) : null;
      if (parent && !parentOrg) throw new Error(`organisation ${data.odsCode} names unknown parent ${parent}`);
      const organisation = existing.get(data.odsCode) ?? em.create(Organisation, { ...data, parent: parentOrg });
      em.assign(organisation, { ...data, parent: parentOrg });
      existing.set(data.odsCode, organisation);
    }
  }
}
