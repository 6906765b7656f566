import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityManager as CoreEntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { Capability, Epic } from '../src/modules/capability/capability.entity.js';
import { Certification } from '../src/modules/certification/certification.entity.js';
import { DsptAssessment } from '../src/modules/dspt/dspt.entity.js';
import { Lot } from '../src/modules/framework/framework.entity.js';
import { SolutionPrice } from '../src/modules/price/price.entity.js';
import {
  CapabilityAssessment,
  EpicAssessment,
  Solution,
  SolutionLot,
  StandardCompliance,
} from '../src/modules/solution/solution.entity.js';
import { Standard } from '../src/modules/standard/standard.entity.js';
import { FrameworkAward } from '../src/modules/supplier/framework-award.entity.js';
import { Supplier } from '../src/modules/supplier/supplier.entity.js';
import { identitySkeleton, normaliseName } from '../src/modules/supplier/supplier-identity.js';
import { assertDate, today as todayUtc } from '../src/common/dates.js';
import { queryRows, sql } from '../src/common/sql.js';
import { samplePrices } from './data/prices.js';
import { buildCatalogue, type LotRef, type SupplierSeed } from './data/suppliers.js';

export interface CatalogueSeederContext {
  /** The day the sample's relative dates are computed from ('YYYY-MM-DD'); today's UTC date by default. */
  today?: string;
}

function lookup<T>(map: Map<string, T>, key: string, what: string, owner: string): T {
  const found = map.get(key);
  if (!found) throw new Error(`${owner} names unknown ${what} ${key}; run the ReferenceSeeder first`);
  return found;
}

/**
 * The sample catalogue: invented suppliers with their framework awards, solutions, assessments,
 * certificates and DSPT publications (seeds/data/suppliers.ts), and verified prices for some of the
 * solutions (seeds/data/prices.ts).
 *
 * Idempotent by supplier: a supplier whose Companies House number is already present is left alone
 * with everything it holds (suppliers maintain their own evidence), and only missing suppliers are
 * inserted with all their rows, so a second run adds nothing. Reference rows are loaded once into maps;
 * everything is inserted in one flush.
 */
export class CatalogueSeeder extends Seeder<CatalogueSeederContext> {
  async run(coreEm: CoreEntityManager, context?: CatalogueSeederContext): Promise<void> {
    const em = coreEm as unknown as EntityManager;
    const today = assertDate(context?.today ?? todayUtc());
    const { suppliers } = buildCatalogue(today);
    const prices = samplePrices(today);
    const names = new Set(suppliers.flatMap((s) => s.solutions.map((sol) => sol.name)));
    for (const name of Object.keys(prices)) if (!names.has(name)) throw new Error(`seeds/data/prices.ts prices unknown solution ${name}`);

    const missing = await this.missingSuppliers(em, suppliers);
    if (missing.length === 0) return;

    const lots = await em.find(Lot, {}, { populate: ['framework'] });
    const capabilities = await em.find(Capability, {});
    const epics = await em.find(Epic, {});
    const standards = await em.find(Standard, {});
    const lotByKey = new Map(lots.map((l) => [`${l.framework.code}/${l.number}`, l]));
    const capabilityByRef = new Map(capabilities.map((c) => [c.reference, c]));
    const epicByRef = new Map(epics.map((e) => [e.reference, e]));
    const standardByRef = new Map(standards.map((s) => [s.reference, s]));
    const lotOf = (ref: LotRef, owner: string) => lookup(lotByKey, `${ref.framework}/${ref.lot}`, 'lot', owner);

    // DSPT rows belong to an ODS code, not a supplier row, so they can outlive a deleted supplier.
    const odsCodes = missing.flatMap((s) => (s.odsCode ? [s.odsCode] : []));
    const existingDspt = new Set(
      odsCodes.length
        ? (await em.find(DsptAssessment, { odsCode: { $in: odsCodes } }, { fields: ['odsCode', 'cycle'] })).map((d) => `${d.odsCode}|${d.cycle}`)
        : [],
    );

    for (const seed of missing) {
      const { awards, solutions, certifications, dspt, ...data } = seed;
      // Names go through the same normaliser as a verified profile change (supplier-identity.ts).
      const supplier = em.create(Supplier, { ...data, name: normaliseName(data.name), legalName: normaliseName(data.legalName) });
      for (const { framework, lot, status, ...award } of awards) {
        em.create(FrameworkAward, { ...award, recordedStatus: status, supplier, lot: lotOf({ framework, lot }, seed.name) });
      }
      for (const { lots: solutionLots, capabilities: caps, epics: epicSeeds, standards: stds, ...solutionData } of solutions) {
        const solution = em.create(Solution, { ...solutionData, supplier });
        for (const ref of solutionLots) em.create(SolutionLot, { solution, lot: lotOf(ref, solution.name) });
        for (const { capability, ...assessment } of caps) {
          em.create(CapabilityAssessment, { ...assessment, solution, capability: lookup(capabilityByRef, capability, 'capability', solution.name) });
        }
        for (const { epic, ...assessment } of epicSeeds) {
          em.create(EpicAssessment, { ...assessment, solution, epic: lookup(epicByRef, epic, 'epic', solution.name) });
        }
        for (const { standard, ...compliance } of stds) {
          em.create(StandardCompliance, { ...compliance, solution, standard: lookup(standardByRef, standard, 'standard', solution.name) });
        }
        for (const price of prices[solution.name] ?? []) em.create(SolutionPrice, { ...price, solution });
      }
      for (const certification of certifications) em.create(Certification, { ...certification, supplier });
      for (const publication of dspt) {
        if (!existingDspt.has(`${publication.odsCode}|${publication.cycle}`)) em.create(DsptAssessment, publication);
      }
    }
    await em.flush();
  }

  /**
   * The seed suppliers not yet in the database, matched on Companies House number. A seed supplier whose
   * ODS code or legal name (or one reading the same: its skeleton) another supplier already holds is skipped too: both are unique, and
   * that supplier owns them. This is onboarding: the only way a supplier's legal name and Companies House
   * number are set other than through a profile change the assurance team verifies.
   */
  private async missingSuppliers(em: EntityManager, suppliers: SupplierSeed[]): Promise<SupplierSeed[]> {
    const numbers = suppliers.map((s) => s.companiesHouseNumber);
    const odsCodes = suppliers.flatMap((s) => (s.odsCode ? [s.odsCode] : []));
    const present = await em.find(
      Supplier,
      { $or: [{ companiesHouseNumber: { $in: numbers } }, { odsCode: { $in: odsCodes } }] },
      { fields: ['companiesHouseNumber', 'odsCode'] },
    );
    const presentNumbers = new Set(present.map((s) => s.companiesHouseNumber));
    const takenOds = new Set(present.map((s) => s.odsCode).filter(Boolean));
    const key = (name: string) => identitySkeleton(name);
    const takenLegalNames = new Set(
      (
        suppliers.length
          ? await queryRows<{ k: string }>(
              em,
              sql`SELECT legal_name_skeleton AS k FROM supplier WHERE legal_name_skeleton IN (${suppliers.map((s) => key(s.legalName))})
                  UNION SELECT lower(btrim(legal_name)) FROM supplier WHERE lower(btrim(legal_name)) IN (${suppliers.map((s) => s.legalName.trim().toLowerCase())})`,
            )
          : []
      ).map((r) => r.k),
    );
    return suppliers.filter(
      (s) =>
        !presentNumbers.has(s.companiesHouseNumber) &&
        !(s.odsCode && takenOds.has(s.odsCode)) &&
        !takenLegalNames.has(key(s.legalName)) &&
        !takenLegalNames.has(s.legalName.trim().toLowerCase()),
    );
  }
}
