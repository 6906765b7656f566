import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../src/modules/evidence/evidence.entity.js';
import { Capability, Epic } from '../../src/modules/capability/capability.entity.js';
import { Certification, CertificationType } from '../../src/modules/certification/certification.entity.js';
import { DsptAssessment, DsptStatus } from '../../src/modules/dspt/dspt.entity.js';
import { Lot } from '../../src/modules/framework/framework.entity.js';
import {
  AssessmentResult,
  CapabilityAssessment,
  ComplianceStatus,
  EpicAssessment,
  EpicOutcome,
  HostingType,
  Integration,
  PublicationStatus,
  Solution,
  SolutionLot,
  StandardCompliance,
} from '../../src/modules/solution/solution.entity.js';
import { Standard } from '../../src/modules/standard/standard.entity.js';
import { AwardStatus, FrameworkAward } from '../../src/modules/supplier/framework-award.entity.js';
import { Supplier, SupplierSize } from '../../src/modules/supplier/supplier.entity.js';

/** Hand-written catalogue rows for tests whose expected answers are worked out by hand. */
export interface SupplierSpec {
  name: string;
  odsCode?: string | null;
  active?: boolean;
  summary?: string;
  certs?: { type: CertificationType; from: string; until: string; status?: VerificationStatus; number?: string }[];
  dspt?: { cycle: string; status: DsptStatus; publishedOn: string; verification?: VerificationStatus }[];
  awards?: { framework: string; lot: number; from: string; until: string; status?: AwardStatus }[];
  solutions?: {
    name: string;
    summary?: string;
    status?: PublicationStatus;
    hosting?: HostingType[];
    integrations?: Integration[];
    lots?: [string, number][];
    capabilities?: Record<string, AssessmentResult | [AssessmentResult, VerificationStatus]>;
    epics?: Record<string, EpicOutcome>;
    standards?: Record<string, ComplianceStatus | [ComplianceStatus, string]>;
  }[];
}

let counter = 0;

export async function insertSuppliers(orm: MikroORM, specs: SupplierSpec[]): Promise<Record<string, Supplier>> {
  const em = orm.em.fork() as EntityManager;
  const lots = await em.find(Lot, {}, { populate: ['framework'] });
  const lot = (code: string, number: number) => {
    const found = lots.find((l) => l.framework.code === code && l.number === number);
    if (!found) throw new Error(`no lot ${code} ${number}`);
    return found;
  };
  const capabilities = new Map((await em.find(Capability, {})).map((c) => [c.reference, c]));
  const epics = new Map((await em.find(Epic, {})).map((e) => [e.reference, e]));
  const standards = new Map((await em.find(Standard, {})).map((s) => [s.reference, s]));
  const out: Record<string, Supplier> = {};
  for (const spec of specs) {
    counter++;
    const supplier = em.create(Supplier, {
      name: spec.name,
      legalName: `${spec.name} Ltd`,
      companiesHouseNumber: `TS${String(process.pid % 1000).padStart(3, '0')}${String(counter).padStart(3, '0')}`,
      odsCode: spec.odsCode === undefined ? `T${String(counter).padStart(4, '0')}` : spec.odsCode,
      size: SupplierSize.SMALL,
      website: 'https://supplier.example',
      summary: spec.summary ?? null,
      active: spec.active ?? true,
    });
    out[spec.name] = supplier;
    for (const c of spec.certs ?? []) {
      em.create(Certification, {
        supplier,
        type: c.type,
        certificateNumber: c.number ?? `CERT-${counter}-${c.type}`,
        certifyingBody: 'Test Certification Ltd',
        validFrom: c.from,
        validUntil: c.until,
        verificationStatus: c.status ?? VerificationStatus.VERIFIED,
      });
    }
    for (const d of spec.dspt ?? []) {
      em.create(DsptAssessment, {
        odsCode: supplier.odsCode!,
        cycle: d.cycle,
        status: d.status,
        publishedOn: d.publishedOn,
        verificationStatus: d.verification ?? VerificationStatus.VERIFIED,
      } as never);
    }
    for (const a of spec.awards ?? []) {
      em.create(FrameworkAward, {
        supplier,
        lot: lot(a.framework, a.lot),
        awardedOn: a.from,
        expiresOn: a.until,
        recordedStatus: a.status ?? AwardStatus.ACTIVE,
      });
    }
    for (const s of spec.solutions ?? []) {
      const solution = em.create(Solution, {
        supplier,
        name: s.name,
        summary: s.summary ?? null,
        publicationStatus: s.status ?? PublicationStatus.PUBLISHED,
        hostingTypes: s.hosting ?? [],
        integrations: s.integrations ?? [],
      });
      for (const [code, number] of s.lots ?? []) em.create(SolutionLot, { solution, lot: lot(code, number) });
      for (const [ref, value] of Object.entries(s.capabilities ?? {})) {
        const [result, verificationStatus] = Array.isArray(value) ? value : [value, VerificationStatus.VERIFIED];
        em.create(CapabilityAssessment, { solution, capability: capabilities.get(ref)!, result, assessedOn: '2025-01-01', verificationStatus });
      }
      for (const [ref, result] of Object.entries(s.epics ?? {})) {
        em.create(EpicAssessment, { solution, epic: epics.get(ref)!, result, verificationStatus: VerificationStatus.VERIFIED });
      }
      for (const [ref, value] of Object.entries(s.standards ?? {})) {
        const [status, due] = Array.isArray(value) ? value : [value, null];
        em.create(StandardCompliance, {
          solution,
          standard: standards.get(ref)!,
          status,
          remediationDueOn: due,
          remediationPlan: due ? 'Work-off plan agreed with the assurance team' : null,
          verificationStatus: VerificationStatus.VERIFIED,
        });
      }
    }
  }
  await em.flush();
  return out;
}
