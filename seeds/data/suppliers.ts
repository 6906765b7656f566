import { VerificationStatus } from '../../src/modules/evidence/evidence.entity.js';
import { CertificationType } from '../../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../../src/modules/dspt/dspt.entity.js';
import {
  AssessmentResult,
  ComplianceStatus,
  EpicOutcome,
  HostingType,
  Integration,
  PublicationStatus,
} from '../../src/modules/solution/solution.entity.js';
import { AwardStatus } from '../../src/modules/supplier/framework-award.entity.js';
import { SupplierSize } from '../../src/modules/supplier/supplier.entity.js';
import { addDays, addYears, assertDate, currentDsptCycle, dsptDeadline, dsptWindowOpens, shiftDsptCycle } from './dates.js';

/*
 * A sample catalogue of invented suppliers: every name, company number, ODS code, web address,
 * certificate number and certifying body here is made up (web addresses use the reserved .example
 * domain). Only the reference values (frameworks and lots, capabilities, epics, standards) are real.
 *
 * Dates are relative to `today`, so what is expired, expiring soon or current stays so whenever the
 * seed runs. The expired frameworks (NHSDGP001, DFOCVC001) keep their real, absolute end dates.
 */

// ---------------------------------------------------------------------------------------------------
// The shape of the data (plain objects, so tests can compute expectations from them)

export interface LotRef {
  framework: string;
  lot: number;
}

export interface AwardSeed extends LotRef {
  awardedOn: string;
  expiresOn: string;
  status: AwardStatus;
}

export interface CapabilityAssessmentSeed {
  capability: string;
  result: AssessmentResult;
  assessedOn: string;
  verificationStatus: VerificationStatus;
}

export interface EpicAssessmentSeed {
  epic: string;
  result: EpicOutcome;
  verificationStatus: VerificationStatus;
}

export interface StandardComplianceSeed {
  standard: string;
  status: ComplianceStatus;
  remediationDueOn: string | null;
  remediationPlan: string | null;
  verificationStatus: VerificationStatus;
}

export interface SolutionSeed {
  name: string;
  summary: string;
  publicationStatus: PublicationStatus;
  hostingTypes: HostingType[];
  integrations: Integration[];
  dataProcessingAgreementUrl: string | null;
  lots: LotRef[];
  capabilities: CapabilityAssessmentSeed[];
  epics: EpicAssessmentSeed[];
  standards: StandardComplianceSeed[];
}

export interface CertificationSeed {
  type: CertificationType;
  certificateNumber: string;
  certifyingBody: string;
  scope: string | null;
  scopeExclusions: string | null;
  validFrom: string;
  validUntil: string;
  verificationStatus: VerificationStatus;
}

export interface DsptSeed {
  odsCode: string;
  cycle: string;
  status: DsptStatus;
  publishedOn: string;
  verificationStatus: VerificationStatus;
}

export interface SupplierSeed {
  name: string;
  legalName: string;
  companiesHouseNumber: string;
  odsCode: string | null;
  size: SupplierSize;
  website: string;
  summary: string;
  active: boolean;
  awards: AwardSeed[];
  solutions: SolutionSeed[];
  certifications: CertificationSeed[];
  dspt: DsptSeed[];
}

export interface CatalogueSeed {
  today: string;
  /** The DSPT cycle whose publications are current today (see currentDsptCycle). */
  currentDsptCycle: string;
  suppliers: SupplierSeed[];
}

// ---------------------------------------------------------------------------------------------------
// Shorthands

const V = VerificationStatus;
const H = HostingType;
const I = Integration;

const GP_CONNECT_ALL = [
  I.GP_CONNECT_ACCESS_RECORD_HTML,
  I.GP_CONNECT_ACCESS_RECORD_STRUCTURED,
  I.GP_CONNECT_APPOINTMENT_MANAGEMENT,
  I.GP_CONNECT_SEND_DOCUMENT,
  I.GP_CONNECT_UPDATE_RECORD,
];
const IM1_ALL = [I.IM1_BULK, I.IM1_TRANSACTIONAL, I.IM1_PATIENT_FACING];

/** The kinds of solution in the sample, each with the hosting, integrations and standards typical of it. */
const ARCHETYPES = {
  gpClinical: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN],
    integrations: [...GP_CONNECT_ALL, ...IM1_ALL, I.NHS_APP],
    standards: 'S24 S25 S26 S27 S28 S29 S30 S31 S32 S36 S43 S44 S47 S50 S56 S65 S69 S73',
  },
  citizen: {
    hostingTypes: [H.PUBLIC_CLOUD],
    integrations: [I.IM1_PATIENT_FACING, I.NHS_APP],
    standards: 'S24 S25 S29 S30 S32 S47 S68 S73',
  },
  consultation: {
    hostingTypes: [H.PUBLIC_CLOUD],
    integrations: [I.IM1_TRANSACTIONAL, I.GP_CONNECT_SEND_DOCUMENT, I.NHS_APP],
    standards: 'S24 S25 S29 S30 S32 S47 S68 S74',
  },
  telephony: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN],
    integrations: [I.IM1_TRANSACTIONAL, I.GP_CONNECT_ACCESS_RECORD_HTML],
    standards: 'S24 S29 S30 S47 S65',
  },
  documents: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN, H.HYBRID],
    integrations: [I.GP_CONNECT_SEND_DOCUMENT, I.IM1_TRANSACTIONAL],
    standards: 'S24 S25 S29 S30 S32 S47 S50',
  },
  sharedRecord: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN],
    integrations: [I.GP_CONNECT_ACCESS_RECORD_STRUCTURED, I.GP_CONNECT_ACCESS_RECORD_HTML],
    standards: 'S24 S25 S29 S30 S32 S44 S56 S73',
  },
  analytics: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN],
    integrations: [I.IM1_BULK],
    standards: 'S24 S29 S30 S47 S73 S78',
  },
  care: {
    hostingTypes: [H.PUBLIC_CLOUD],
    integrations: [I.GP_CONNECT_ACCESS_RECORD_HTML],
    standards: 'S24 S25 S29 S30 S32 S44',
  },
  medicines: {
    hostingTypes: [H.PUBLIC_CLOUD_HSCN],
    integrations: [I.IM1_TRANSACTIONAL, I.GP_CONNECT_ACCESS_RECORD_STRUCTURED],
    standards: 'S24 S25 S29 S30 S32 S36 S47',
  },
  service: {
    hostingTypes: [H.PRIVATE_CLOUD],
    integrations: [],
    standards: 'S24 S29 S30 S65',
  },
  innovation: {
    hostingTypes: [H.PUBLIC_CLOUD],
    integrations: [I.IM1_TRANSACTIONAL],
    standards: 'S24 S25 S29 S30 S81',
  },
} satisfies Record<string, { hostingTypes: HostingType[]; integrations: Integration[]; standards: string }>;
type Archetype = keyof typeof ARCHETYPES;

const RESULT_CODES: Record<string, AssessmentResult> = {
  F: AssessmentResult.PASSED_FULL,
  P: AssessmentResult.PASSED_PARTIAL,
  X: AssessmentResult.FAILED,
};
const EPIC_CODES: Record<string, EpicOutcome> = { P: EpicOutcome.PASSED, N: EpicOutcome.NOT_EVIDENCED, X: EpicOutcome.FAILED };

/** "C5:F C14:P C43:X*": capability:result (F full, P partial, X failed), * for SUBMITTED (not yet verified). */
function parseCapabilities(spec: string, assessedOn: string): CapabilityAssessmentSeed[] {
  return words(spec).map((word) => {
    const m = /^(C\d+):([FPX])(\*?)$/.exec(word);
    if (!m) throw new Error(`bad capability spec "${word}"`);
    return { capability: m[1], result: RESULT_CODES[m[2]], assessedOn, verificationStatus: m[3] ? V.SUBMITTED : V.VERIFIED };
  });
}

/** "C5E1-7:P C14E5:X C13E13-21:N": epic or range of epics of one capability: outcome (P passed, N not evidenced, X failed). */
function parseEpics(spec: string): EpicAssessmentSeed[] {
  return words(spec).flatMap((word) => {
    const m = /^(C\d+)E(\d+)(?:-(\d+))?:([PNX])(\*?)$/.exec(word);
    if (!m) throw new Error(`bad epic spec "${word}"`);
    const from = Number(m[2]);
    const to = m[3] ? Number(m[3]) : from;
    const out: EpicAssessmentSeed[] = [];
    for (let n = from; n <= to; n++) {
      out.push({ epic: `${m[1]}E${n}`, result: EPIC_CODES[m[4]], verificationStatus: m[5] ? V.SUBMITTED : V.VERIFIED });
    }
    return out;
  });
}

const words = (spec: string) => spec.split(/\s+/).filter(Boolean);

interface Remediation {
  standard: string;
  /** Days from today the plan is due (negative: overdue). */
  due: number;
  plan: string;
  verificationStatus?: VerificationStatus;
}

interface SolutionSpec {
  name: string;
  summary: string;
  kind: Archetype;
  status?: PublicationStatus;
  lots: string;
  /** See parseCapabilities. */
  caps?: string;
  /** Days before today the capabilities were assessed. */
  assessedDaysAgo?: number;
  /** See parseEpics. */
  epics?: string;
  hosting?: HostingType[];
  integrations?: Integration[];
  /** Replaces the archetype's standards (space-separated references). */
  standards?: string;
  /** Standards, on top of the archetype's, whose evidence is SUBMITTED rather than VERIFIED. */
  submittedStandards?: string;
  remediation?: Remediation[];
  /** False when the supplier has not published a data processing agreement for it. */
  dpa?: boolean;
}

interface CertSpec {
  type: CertificationType;
  /** Days from today to the last valid day; omit when `from` is given. */
  until?: number;
  /** Days from today to the first valid day; by default the type's usual term before `until`. */
  from?: number;
  body: string;
  scope?: string;
  exclusions?: string;
  status?: VerificationStatus;
}

interface DsptSpec {
  /** Cycles relative to the current one: 0 current, -1 the one before, 1 the next (published early). */
  cycle: number;
  status: DsptStatus;
  /** Days before the cycle's deadline it was published (for cycle 1: days after its window opened). */
  days: number;
  verification?: VerificationStatus;
}

interface AwardSpec {
  lot: string;
  /** Days ago the award was made (ignored for the expired frameworks, which use their real dates). */
  since?: number;
  /** Days from today the award expires (negative: already past). */
  expires?: number;
  status?: AwardStatus;
}

interface SupplierSpec {
  name: string;
  legalName: string;
  companiesHouseNumber: string;
  odsCode: string | null;
  size: SupplierSize;
  domain: string;
  summary: string;
  active?: boolean;
  awards: AwardSpec[];
  solutions: SolutionSpec[];
  certs: CertSpec[];
  dspt: DsptSpec[];
}

/** "DCS/1 HSSF/7" */
function parseLots(spec: string): LotRef[] {
  return words(spec).map((word) => {
    const m = /^([A-Z0-9]+)\/(\d+)$/.exec(word);
    if (!m) throw new Error(`bad lot spec "${word}"`);
    return { framework: m[1], lot: Number(m[2]) };
  });
}

const lotKey = (l: LotRef) => `${l.framework}/${l.lot}`;

/** Frameworks that have ended: awards on them keep the framework's real dates (and so are expired by date). */
const ENDED_FRAMEWORKS: Record<string, { awardedOn: string; expiresOn: string }> = {
  NHSDGP001: { awardedOn: '2020-01-06', expiresOn: '2023-03-31' },
  DFOCVC001: { awardedOn: '2020-09-01', expiresOn: '2024-08-31' },
};

// Invented certifying bodies. MHRA registrations are recorded against the regulator itself.
const NORTHBRIDGE = 'Northbridge Certification Ltd';
const ALBION = 'Albion Assurance Services Ltd';
const KEYSTONE = 'Keystone Management Registrars Ltd';
const TIDEWATER = 'Tidewater Standards Ltd';
const BRACKENFIELD = 'Brackenfield Cyber Certification Ltd';
const LARKSPUR = 'Larkspur Cyber Assessors Ltd';
const MHRA = 'Medicines and Healthcare products Regulatory Agency';

const BODY_PREFIX: Record<string, string> = {
  [NORTHBRIDGE]: 'NBC',
  [ALBION]: 'AAS',
  [KEYSTONE]: 'KMR',
  [TIDEWATER]: 'TWS',
  [BRACKENFIELD]: 'BCC',
  [LARKSPUR]: 'LCA',
  [MHRA]: 'MHRA-DR',
};

const TYPE_CODE: Record<CertificationType, string> = {
  ISO_27001: 'ISMS',
  ISO_9001: 'QMS',
  ISO_22301: 'BCMS',
  ISO_20000_1: 'ITSM',
  ISO_14001: 'EMS',
  CYBER_ESSENTIALS: 'CE',
  CYBER_ESSENTIALS_PLUS: 'CEP',
  MHRA_REGISTRATION: 'GB',
};

/** How long each kind of certificate runs: ISO certificates three years, Cyber Essentials one. */
const TERM_YEARS: Record<CertificationType, number> = {
  ISO_27001: 3,
  ISO_9001: 3,
  ISO_22301: 3,
  ISO_20000_1: 3,
  ISO_14001: 3,
  CYBER_ESSENTIALS: 1,
  CYBER_ESSENTIALS_PLUS: 1,
  MHRA_REGISTRATION: 5,
};

function defaultScope(type: CertificationType, supplierName: string): string {
  switch (type) {
    case CertificationType.ISO_27001:
      return `Information security management system covering the design, development, hosting and support of ${supplierName}'s solutions for health and care organisations, in accordance with the Statement of Applicability.`;
    case CertificationType.ISO_9001:
      return `Quality management system for the design, development, implementation and support of ${supplierName}'s software and services.`;
    case CertificationType.ISO_22301:
      return `Business continuity management of the hosted services ${supplierName} provides to health and care customers.`;
    case CertificationType.ISO_20000_1:
      return `Service management system for the service desk, incident, change and release management of ${supplierName}'s managed services.`;
    case CertificationType.ISO_14001:
      return `Environmental management system for ${supplierName}'s offices and operations.`;
    case CertificationType.CYBER_ESSENTIALS:
      return 'Whole organisation.';
    case CertificationType.CYBER_ESSENTIALS_PLUS:
      return 'Whole organisation, including remote workers and cloud services.';
    case CertificationType.MHRA_REGISTRATION:
      return 'Standalone software registered as a Class I medical device in Great Britain.';
  }
}

// ---------------------------------------------------------------------------------------------------
// The suppliers

const FOUNDATION_FULL = 'C5:F C11:F C12:F C13:F C14:F C15:F';
const FOUNDATION_MUST_EPICS = 'C5E1-7:P C11E1-2:P C12E1-6:P C13E1-12:P C14E1-13:P C15E1-8:P';

const SUPPLIERS: SupplierSpec[] = [
  {
    name: 'Pennine Clinical Systems',
    legalName: 'Pennine Clinical Systems Ltd',
    companiesHouseNumber: '09876543',
    odsCode: '8PC01',
    size: SupplierSize.LARGE,
    domain: 'pennine-clinical.example',
    summary:
      'Builds and hosts a GP clinical system used by practices across the North of England, with a patient app and document tools that share its record.',
    awards: [{ lot: 'DCS/1', since: 1150, expires: 860 }, { lot: 'NHSDGP001/1' }, { lot: 'HSSF/2', since: 900, expires: 500 }],
    solutions: [
      {
        name: 'Pennine GP',
        kind: 'gpClinical',
        summary: 'A cloud-hosted GP clinical system: appointments, consultations, prescribing, referrals and the patient record in one application.',
        lots: 'DCS/1 NHSDGP001/1',
        caps: `${FOUNDATION_FULL} C6:P C9:F C10:F C16:F C17:P C45:F`,
        assessedDaysAgo: 240,
        epics: `${FOUNDATION_MUST_EPICS} C13E13-16:P C13E17-21:N C14E14-16:P C6E1-3:P C6E4:N`,
      },
      {
        name: 'Pennine Online',
        kind: 'citizen',
        summary: 'Lets patients book appointments, order repeat prescriptions and view their record online, including through the NHS App.',
        lots: 'DCS/1 HSSF/2',
        caps: 'C1:F C2:F C3:F C4:F',
        assessedDaysAgo: 200,
        epics: 'C1E1-2:P C2E1-2:P C3E1-2:P C3E3-5:P C4E1-2:P',
      },
      {
        name: 'Pennine Docs',
        kind: 'documents',
        summary: 'Incoming correspondence workflow for practices, from scanning and coding to filing in the patient record.',
        lots: 'DCS/1',
        caps: 'C9:F C17:F C20:P',
        assessedDaysAgo: 400,
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 400, body: NORTHBRIDGE },
      { type: CertificationType.ISO_9001, until: 610, body: NORTHBRIDGE },
      { type: CertificationType.ISO_22301, until: 300, body: NORTHBRIDGE, exclusions: 'Excludes the Halifax training centre.' },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 14, body: BRACKENFIELD },
      { type: CertificationType.MHRA_REGISTRATION, until: 900, body: MHRA, scope: 'Pennine GP clinical decision support prompts, registered as a Class I medical device.' },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 40 },
      { cycle: -1, status: DsptStatus.STANDARDS_EXCEEDED, days: 35 },
      { cycle: -2, status: DsptStatus.STANDARDS_MET, days: 20 },
    ],
  },
  {
    name: 'Meridian Primary Care Software',
    legalName: 'Meridian Primary Care Software Limited',
    companiesHouseNumber: '07311842',
    odsCode: '8MP14',
    size: SupplierSize.LARGE,
    domain: 'meridian-primarycare.example',
    summary: 'A long-established supplier of GP clinical and reporting software, with a national hosting platform on HSCN.',
    awards: [
      { lot: 'DCS/1', since: 1180, expires: 700 },
      { lot: 'NHSDGP001/1' },
      { lot: 'HSSF/3', since: 1000, expires: 25 },
    ],
    solutions: [
      {
        name: 'Meridian Clinical',
        kind: 'gpClinical',
        hosting: [H.PUBLIC_CLOUD_HSCN, H.PRIVATE_CLOUD],
        summary: 'GP clinical system with integrated prescribing, recalls and practice reporting, hosted on a resilient private cloud.',
        lots: 'DCS/1 NHSDGP001/1',
        caps: `${FOUNDATION_FULL} C6:F C9:F C10:F C16:F C45:P C50:F`,
        assessedDaysAgo: 320,
        epics: `${FOUNDATION_MUST_EPICS} C12E7:P C10E1:P C10E2:N`,
      },
      {
        name: 'Meridian Insights',
        kind: 'analytics',
        summary: 'Practice and PCN dashboards over the GP record: QOF, access, workforce and population measures.',
        lots: 'HSSF/3',
        caps: 'C16:F C34:P C26:P',
        assessedDaysAgo: 500,
        epics: 'C16E1:P C34E1-3:P C34E4-5:N',
      },
      {
        name: 'Meridian Appointments Plus',
        kind: 'citizen',
        summary: 'Extended-access booking across a PCN: shared slots, hub appointments and patient self-booking.',
        lots: 'DCS/1',
        caps: 'C1:F C5:P C23:F',
        assessedDaysAgo: 150,
        epics: 'C23E1-4:P C23E5-9:N',
      },
    ],
    certs: [
      // Valid until exactly today: valid today, not tomorrow.
      { type: CertificationType.ISO_27001, until: 0, body: ALBION },
      { type: CertificationType.ISO_20000_1, until: 500, body: ALBION },
      { type: CertificationType.ISO_22301, until: 45, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 200, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 10 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 5 },
    ],
  },
  {
    name: 'Calder Valley Health Informatics',
    legalName: 'Calder Valley Health Informatics Ltd',
    companiesHouseNumber: '11045672',
    odsCode: '8CV22',
    size: SupplierSize.MEDIUM,
    domain: 'caldervalley-hi.example',
    summary: 'A Yorkshire supplier of a GP clinical system and patient app, built with practices in the Calder Valley.',
    awards: [{ lot: 'DCS/1', since: 1100, expires: 640 }, { lot: 'NHSDGP001/1' }],
    solutions: [
      {
        name: 'CalderCare GP',
        kind: 'gpClinical',
        hosting: [H.PUBLIC_CLOUD_HSCN, H.HYBRID],
        summary: 'GP clinical system with an offline-capable desktop client for branch surgeries and home visits.',
        lots: 'DCS/1 NHSDGP001/1',
        caps: 'C5:F C11:F C12:P C13:F C14:F C15:F C9:F C17:F C16:P',
        assessedDaysAgo: 280,
        epics: 'C5E1-7:P C12E1-5:P C12E6-7:N C14E1-13:P',
      },
      {
        name: 'CalderCare Patient',
        kind: 'citizen',
        summary: 'Patient app for CalderCare GP practices: appointments, repeat prescriptions and record access.',
        lots: 'DCS/1',
        caps: 'C1:F C3:P C4:F',
        assessedDaysAgo: 260,
        epics: 'C3E1-2:P C3E3-10:N',
      },
    ],
    certs: [
      // The ISO 27001 certificate lapsed; its renewal starts tomorrow.
      { type: CertificationType.ISO_27001, until: -20, body: KEYSTONE },
      { type: CertificationType.ISO_27001, from: 1, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 120, body: LARKSPUR },
      { type: CertificationType.ISO_9001, until: 700, body: KEYSTONE },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 15 },
      { cycle: -1, status: DsptStatus.APPROACHING_STANDARDS, days: 2 },
      { cycle: -2, status: DsptStatus.STANDARDS_MET, days: 30 },
    ],
  },
  {
    name: 'Tamar Health Technologies',
    legalName: 'Tamar Health Technologies Ltd',
    companiesHouseNumber: '08865120',
    odsCode: '8TH07',
    size: SupplierSize.MEDIUM,
    domain: 'tamar-health.example',
    summary: 'Clinical and dispensing software for rural and dispensing practices in the South West.',
    awards: [
      { lot: 'DCS/1', since: 1000, expires: 580 },
      { lot: 'HSSF/7', since: 800, expires: 420 },
    ],
    solutions: [
      {
        name: 'Tamar Practice Manager',
        kind: 'gpClinical',
        summary: 'GP clinical system designed for dispensing practices, with stock and dispensing linked to prescribing.',
        lots: 'DCS/1',
        caps: `${FOUNDATION_FULL} C42:F C16:P`,
        assessedDaysAgo: 350,
        epics: 'C5E1-7:P C14E1-13:P C14E14-16:N C42E1-8:P',
        remediation: [
          {
            standard: 'S44',
            due: -30,
            plan: 'GP Connect Access Record: Structured v1.6 upgrade; assurance testing with NHS England booked after a supplier-side delay.',
          },
        ],
      },
      {
        name: 'Tamar Dispensary',
        kind: 'medicines',
        summary: 'Dispensary management for dispensing practices: stock, endorsements and dispensing audit.',
        lots: 'DCS/1',
        caps: 'C42:F C30:P',
        assessedDaysAgo: 600,
        epics: 'C42E1-8:P C30E1-2:P C30E3-6:N',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 250, body: TIDEWATER },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 90, body: BRACKENFIELD },
      { type: CertificationType.ISO_9001, until: -100, body: TIDEWATER },
      { type: CertificationType.ISO_22301, until: 400, body: TIDEWATER },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.APPROACHING_STANDARDS, days: 0 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 12 },
    ],
  },
  {
    name: 'Severnside Medical Software',
    legalName: 'Severnside Medical Software Ltd',
    companiesHouseNumber: '10293847',
    odsCode: '8SM33',
    size: SupplierSize.SMALL,
    domain: 'severnside-medical.example',
    summary: 'A small GP clinical system supplier whose electronic prescribing module is being rebuilt.',
    awards: [{ lot: 'DCS/1', since: 700, expires: 760 }],
    solutions: [
      {
        name: 'Severnside Clinical',
        kind: 'gpClinical',
        integrations: [...GP_CONNECT_ALL, I.IM1_TRANSACTIONAL, I.IM1_PATIENT_FACING],
        summary: 'GP clinical system for appointments, consultations, referrals and registration; prescribing is being re-assured.',
        lots: 'DCS/1',
        caps: 'C5:F C11:F C12:F C13:F C14:X C15:F',
        assessedDaysAgo: 90,
        epics: 'C5E1-7:P C14E1-4:P C14E5-6:X C14E7-13:N',
        remediation: [
          {
            standard: 'S36',
            due: 60,
            plan: 'Rebuild of the EPS prescribing module against the current EPS specification; end-to-end testing with NHS England in progress.',
          },
        ],
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 320, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS, until: -90, body: LARKSPUR },
      { type: CertificationType.CYBER_ESSENTIALS, until: 275, body: LARKSPUR, status: V.SUBMITTED },
      { type: CertificationType.ISO_9001, until: 30, body: ALBION },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 22 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 18 },
    ],
  },
  {
    name: 'Harbourview Digital Health',
    legalName: 'Harbourview Digital Health Ltd',
    companiesHouseNumber: '12567834',
    odsCode: '8HD45',
    size: SupplierSize.MEDIUM,
    domain: 'harbourview.example',
    summary: 'Online and video consultation for general practice, with clinical triage that routes requests to the right member of the team.',
    awards: [{ lot: 'DCS/1', since: 1050, expires: 690 }, { lot: 'DFOCVC001/1' }, { lot: 'HSSF/2', since: 850, expires: 450 }],
    solutions: [
      {
        name: 'Harbourview Consult',
        kind: 'consultation',
        summary: 'Online consultation: patients describe their problem online and the practice triages, replies or books from one worklist.',
        lots: 'DCS/1 DFOCVC001/1',
        caps: 'C43:F C44:F C2:P C7:P',
        assessedDaysAgo: 210,
        epics: 'C2E1:P C2E2:N C7E1-7:P C7E8-10:N',
      },
      {
        name: 'Harbourview Video',
        kind: 'consultation',
        summary: 'Browser-based video consultation with no app to install, with screen sharing and a waiting room.',
        lots: 'DCS/1 DFOCVC001/1',
        caps: 'C44:F',
        assessedDaysAgo: 210,
      },
      {
        name: 'Harbourview Triage Navigator',
        kind: 'consultation',
        summary: 'Care navigation for reception teams: structured questions that signpost patients to the right service.',
        lots: 'HSSF/2',
        caps: 'C43:P*',
        assessedDaysAgo: 30,
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 30, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 180, body: BRACKENFIELD },
      {
        type: CertificationType.MHRA_REGISTRATION,
        until: 1200,
        body: MHRA,
        scope: 'Harbourview Consult symptom triage, registered as a Class I medical device.',
      },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 60 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 45 },
    ],
  },
  {
    name: 'Riverside Consult Online',
    legalName: 'Riverside Consult Online Ltd',
    companiesHouseNumber: 'NI612345',
    odsCode: '8RC50',
    size: SupplierSize.SMALL,
    domain: 'riverside-consult.example',
    summary: 'Online consultation and patient messaging for practices in Northern Ireland and England.',
    awards: [{ lot: 'DCS/1', since: 600, expires: 800 }, { lot: 'DFOCVC001/1' }],
    solutions: [
      {
        name: 'Riverside Practice Door',
        kind: 'consultation',
        status: PublicationStatus.IN_REMEDIATION,
        summary: 'Online consultation and admin requests with automatic routing to the practice team.',
        lots: 'DCS/1 DFOCVC001/1',
        caps: 'C43:F C2:F',
        assessedDaysAgo: 180,
        epics: 'C2E1-2:P',
        remediation: [
          {
            standard: 'S68',
            due: -15,
            plan: 'Move patient sign-in to NHS login (P9 identity) for record access; integration testing was not completed by the agreed date.',
          },
        ],
      },
      {
        name: 'Riverside Triage Lite',
        kind: 'consultation',
        status: PublicationStatus.DRAFT,
        summary: 'A lighter online request form for small practices, not yet assessed.',
        lots: 'DCS/1',
        standards: 'S24 S25 S30',
        submittedStandards: 'S24 S25 S30',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 500, body: TIDEWATER, exclusions: 'Excludes the Belfast sales office.' },
      { type: CertificationType.CYBER_ESSENTIALS, until: 10, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_NOT_MET, days: 1 },
      { cycle: -1, status: DsptStatus.APPROACHING_STANDARDS, days: 3 },
    ],
  },
  {
    name: 'Wolds Patient Apps',
    legalName: 'Wolds Patient Apps Ltd',
    companiesHouseNumber: '13398201',
    odsCode: '8WP61',
    size: SupplierSize.SMALL,
    domain: 'wolds-apps.example',
    summary: 'Patient-facing apps for appointments, repeat prescriptions and record access, connected to the main GP systems through IM1.',
    awards: [
      { lot: 'DCS/1', since: 900, expires: 520 },
      { lot: 'HSSF/2', since: 780, expires: 380 },
    ],
    solutions: [
      {
        name: 'Wolds Patient App',
        kind: 'citizen',
        summary: 'A patient app for booking appointments, ordering repeat medication and viewing the GP record.',
        lots: 'DCS/1 HSSF/2',
        caps: 'C1:F C2:F C3:F C4:F',
        assessedDaysAgo: 300,
        epics: 'C1E1:P C1E2:N C3E1-2:P C4E1:P C4E2:N',
      },
      {
        name: 'Wolds Repeat Prescriptions',
        kind: 'citizen',
        summary: 'Repeat prescription ordering with nominated pharmacy management, embeddable in practice websites.',
        lots: 'DCS/1',
        caps: 'C3:F',
        assessedDaysAgo: 300,
        epics: 'C3E1-5:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 150, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 300, body: BRACKENFIELD, status: V.SUBMITTED },
    ],
    dspt: [
      // The current publication is still with the assurance team; only last cycle's is verified.
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 5, verification: V.SUBMITTED },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 25 },
    ],
  },
  {
    name: 'Kestrel Telephony Solutions',
    legalName: 'Kestrel Telephony Solutions Ltd',
    companiesHouseNumber: '06654321',
    odsCode: '8KT72',
    size: SupplierSize.MEDIUM,
    domain: 'kestrel-telephony.example',
    summary: 'Cloud-based advanced telephony for general practice, with call queueing, call-backs and demand reporting.',
    awards: [
      { lot: 'ATP001/1', since: 850, expires: 540 },
      { lot: 'HSSF/6', since: 1000, expires: 300 },
    ],
    solutions: [
      {
        name: 'Kestrel Cloud Telephony',
        kind: 'telephony',
        summary: 'Cloud telephony with queue position messages, call-back, patient record pop-up and call recording.',
        lots: 'ATP001/1',
        caps: 'C7:P',
        assessedDaysAgo: 400,
        epics: 'C7E1-4:P C7E5-7:N',
      },
      {
        name: 'Kestrel Call Analytics',
        kind: 'analytics',
        integrations: [],
        summary: 'Demand and capacity reporting on practice telephony: call volumes, waits and abandoned calls by hour.',
        lots: 'ATP001/1 HSSF/6',
        caps: 'C16:P',
        assessedDaysAgo: 400,
        standards: 'S24 S29 S30',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 600, body: NORTHBRIDGE },
      { type: CertificationType.ISO_9001, until: 600, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 45, body: LARKSPUR },
      { type: CertificationType.ISO_22301, until: 200, body: NORTHBRIDGE },
    ],
    dspt: [{ cycle: 0, status: DsptStatus.STANDARDS_MET, days: 50 }],
  },
  {
    name: 'Brightwater Telecom Health',
    legalName: 'Brightwater Telecom Health Ltd',
    companiesHouseNumber: '10987234',
    odsCode: '8BT81',
    size: SupplierSize.SMALL,
    domain: 'brightwater-telecom.example',
    summary: 'Telephony for surgeries, moving practices from analogue lines to cloud systems.',
    awards: [{ lot: 'ATP001/1', since: 820, expires: 500, status: AwardStatus.SUSPENDED }],
    solutions: [
      {
        name: 'Brightwater Surgery Connect',
        kind: 'telephony',
        status: PublicationStatus.SUSPENDED,
        summary: 'Cloud telephony for small practices; suspended from the catalogue pending a service review.',
        lots: 'ATP001/1',
        caps: 'C7:P',
        assessedDaysAgo: 700,
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 90, body: TIDEWATER },
      { type: CertificationType.CYBER_ESSENTIALS, until: -5, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.NOT_PUBLISHED, days: 0 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 40 },
    ],
  },
  {
    name: 'Fenland Document Services',
    legalName: 'Fenland Document Services Ltd',
    companiesHouseNumber: '05512398',
    odsCode: '8FD09',
    size: SupplierSize.MEDIUM,
    domain: 'fenland-docs.example',
    summary: 'Clinical correspondence workflow and a scanning bureau for GP practices and PCNs.',
    awards: [
      { lot: 'DCS/1', since: 1120, expires: 650 },
      { lot: 'HSSF/7', since: 950, expires: 330, status: AwardStatus.SUSPENDED },
    ],
    solutions: [
      {
        name: 'Fenland DocFlow',
        kind: 'documents',
        summary: 'Workflow for incoming letters and results: read, code, task and file into the GP record.',
        lots: 'DCS/1',
        caps: 'C9:F C17:F C20:P C7:P',
        assessedDaysAgo: 330,
        epics: 'C9E1-16:P C9E17:N C17E1-2:P C20E1-8:P C20E9-11:N',
        remediation: [
          {
            standard: 'S50',
            due: 120,
            plan: 'Replace the legacy MESH client with the current MESH API; first practices migrating this quarter.',
          },
        ],
      },
      {
        name: 'Fenland Scan Bureau',
        kind: 'service',
        summary: 'Off-site scanning and indexing of Lloyd George records and historical correspondence.',
        lots: 'HSSF/7',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 210, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: -3, body: BRACKENFIELD },
      { type: CertificationType.ISO_9001, until: 800, body: KEYSTONE },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 14 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 16 },
      { cycle: -2, status: DsptStatus.STANDARDS_MET, days: 21 },
    ],
  },
  {
    name: 'Cheviot Care Record',
    legalName: 'Cheviot Care Record Ltd',
    companiesHouseNumber: 'SC719204',
    odsCode: '8CR18',
    size: SupplierSize.MEDIUM,
    domain: 'cheviot-record.example',
    summary: 'Shared care records and shared care planning for integrated care systems, drawing on GP, acute, community and social care data.',
    awards: [
      { lot: 'HSSF/1', since: 1300, expires: 470 },
      { lot: 'HSSF/4', since: 1300, expires: 470 },
    ],
    solutions: [
      {
        name: 'Cheviot Shared Care Record',
        kind: 'sharedRecord',
        summary: 'A longitudinal record across health and care, viewed in context from the GP system and other clinical systems.',
        lots: 'HSSF/1',
        caps: 'C39:F C36:P',
        assessedDaysAgo: 420,
        epics: 'C39E1-3:P C36E1-4:P C36E5-12:N',
      },
      {
        name: 'Cheviot Care Plans',
        kind: 'care',
        summary: 'Shared care and support plans, including end-of-life preferences, visible to every team involved.',
        lots: 'HSSF/4',
        caps: 'C36:F C22:P',
        assessedDaysAgo: 380,
        epics: 'C36E1-8:P C22E1-4:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 330, body: TIDEWATER },
      { type: CertificationType.ISO_9001, until: 59, body: TIDEWATER },
      { type: CertificationType.ISO_20000_1, until: 420, body: TIDEWATER },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 220, body: BRACKENFIELD },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 75 },
      { cycle: -1, status: DsptStatus.STANDARDS_EXCEEDED, days: 70 },
    ],
  },
  {
    name: 'Quayside Population Health',
    legalName: 'Quayside Population Health Ltd',
    companiesHouseNumber: '11876520',
    odsCode: '8QP27',
    size: SupplierSize.SMALL,
    domain: 'quayside-phm.example',
    summary: 'Population health management for PCNs and ICBs: risk stratification, cohorts and outcomes.',
    awards: [
      { lot: 'HSSF/3', since: 760, expires: 600 },
      { lot: 'HSSF/9', since: 760, expires: 600 },
    ],
    solutions: [
      {
        name: 'Quayside PHM',
        kind: 'analytics',
        summary: 'Linked primary and secondary care data to find patients at rising risk and track interventions.',
        lots: 'HSSF/3 HSSF/9',
        caps: 'C34:F C35:F C26:P C45:F',
        assessedDaysAgo: 270,
        epics: 'C34E1-5:P C35E1:P C26E1-4:P C26E5-6:N C45E1-3:P',
      },
      {
        name: 'Quayside Cohorts',
        kind: 'analytics',
        summary: 'Cohort identification and recall lists for vaccination, screening and long-term condition reviews.',
        lots: 'HSSF/3',
        caps: 'C45:F',
        assessedDaysAgo: 200,
        epics: 'C45E1-9:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 7, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS, until: 250, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 8 },
      { cycle: -1, status: DsptStatus.APPROACHING_STANDARDS, days: 0 },
    ],
  },
  {
    name: 'Lindum Medicines Optimisation',
    legalName: 'Lindum Medicines Optimisation Ltd',
    companiesHouseNumber: '09123987',
    odsCode: '8LM36',
    size: SupplierSize.SMALL,
    domain: 'lindum-meds.example',
    summary: 'Medicines optimisation and structured medication review tools for practice pharmacists.',
    awards: [{ lot: 'DCS/1', since: 640, expires: 720 }],
    solutions: [
      {
        name: 'Lindum MedsReview',
        kind: 'medicines',
        status: PublicationStatus.IN_REMEDIATION,
        summary: 'Finds patients due a structured medication review and records the review back to the GP record.',
        lots: 'DCS/1',
        caps: 'C30:F C14:P C40:P',
        assessedDaysAgo: 120,
        epics: 'C30E1-2:P C30E3-8:P C30E9-14:N C40E1-2:P',
        remediation: [
          {
            standard: 'S36',
            due: 45,
            plan: 'Add EPS cancellation messaging for medicines stopped during a review; development complete, awaiting assurance.',
          },
        ],
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 180, body: NORTHBRIDGE },
      {
        type: CertificationType.MHRA_REGISTRATION,
        until: 1000,
        body: MHRA,
        scope: 'Lindum MedsReview medication risk scoring, registered as a Class I medical device.',
      },
      { type: CertificationType.CYBER_ESSENTIALS, until: 120, body: LARKSPUR },
    ],
    dspt: [{ cycle: 0, status: DsptStatus.STANDARDS_MET, days: 33 }],
  },
  {
    name: 'Ashdown Connect',
    legalName: 'Ashdown Connect Ltd',
    companiesHouseNumber: '12009876',
    odsCode: '8AC42',
    size: SupplierSize.MICRO,
    domain: 'ashdown-connect.example',
    summary: 'Social prescribing case management linking practices, link workers and community groups.',
    awards: [{ lot: 'HSSF/2', since: 500, expires: 850 }],
    solutions: [
      {
        name: 'Ashdown Social Prescribing',
        kind: 'care',
        summary: 'Referral, case management and outcome measures for social prescribing link workers.',
        lots: 'HSSF/2',
        caps: 'C37:F',
        assessedDaysAgo: 160,
        epics: 'C37E1-7:P C37E8-16:N',
      },
    ],
    certs: [{ type: CertificationType.CYBER_ESSENTIALS, until: 100, body: LARKSPUR }],
    dspt: [{ cycle: 0, status: DsptStatus.APPROACHING_STANDARDS, days: 4 }],
  },
  {
    name: 'Mendip Care Home Systems',
    legalName: 'Mendip Care Home Systems Ltd',
    companiesHouseNumber: '08432175',
    odsCode: '8MC53',
    size: SupplierSize.SMALL,
    domain: 'mendip-carehomes.example',
    summary: 'Digital care records and telecare monitoring for care homes and domiciliary care providers.',
    awards: [{ lot: 'HSSF/4', since: 1200, expires: 380 }],
    solutions: [
      {
        name: 'Mendip CareLink',
        kind: 'care',
        summary: 'A care home record shared with the GP practice and community teams, with ward-round support.',
        lots: 'HSSF/4',
        caps: 'C21:F C27:P',
        assessedDaysAgo: 550,
        epics: 'C21E1-4:P C27E1-3:P',
      },
      {
        name: 'Mendip Telecare Monitor',
        kind: 'care',
        hosting: [H.PUBLIC_CLOUD, H.ON_PREMISE],
        integrations: [],
        summary: 'Sensor and alarm monitoring for residents, with alerts routed to carers.',
        lots: 'HSSF/4',
        caps: 'C38:P',
        assessedDaysAgo: 550,
        standards: 'S24 S29 S30',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 40, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 300, body: LARKSPUR },
    ],
    // Only last cycle's publication, which is no longer current.
    dspt: [{ cycle: -1, status: DsptStatus.STANDARDS_MET, days: 28 }],
  },
  {
    name: 'Solway Cyber Assurance',
    legalName: 'Solway Cyber Assurance Ltd',
    companiesHouseNumber: 'SC604418',
    odsCode: '8SC64',
    size: SupplierSize.SMALL,
    domain: 'solway-cyber.example',
    summary: 'Cyber security services for primary care: managed detection and response, penetration testing and DSPT support.',
    awards: [
      { lot: 'HSSF/8', since: 1100, expires: 560 },
      { lot: 'HSSF/5', since: 1100, expires: 560, status: AwardStatus.WITHDRAWN },
    ],
    solutions: [
      {
        name: 'Solway Managed Security Service',
        kind: 'service',
        summary: 'Round-the-clock monitoring of practice endpoints and Microsoft 365, with incident response.',
        lots: 'HSSF/8',
        standards: 'S24 S29 S30 S65',
      },
      {
        name: 'Solway Penetration Testing',
        kind: 'service',
        hosting: [],
        summary: 'Penetration testing and remediation advice for practices and PCNs.',
        lots: 'HSSF/8',
        standards: 'S30 S65',
        dpa: false,
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 700, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 330, body: BRACKENFIELD },
      { type: CertificationType.ISO_20000_1, until: 250, body: NORTHBRIDGE },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 90 },
      { cycle: -1, status: DsptStatus.STANDARDS_EXCEEDED, days: 80 },
    ],
  },
  {
    name: 'Thornbury GP IT Services',
    legalName: 'Thornbury GP IT Services Ltd',
    companiesHouseNumber: '07765432',
    odsCode: '8TG75',
    size: SupplierSize.MEDIUM,
    domain: 'thornbury-gpit.example',
    summary: 'GP IT delivery partner: service desk, desktop support and infrastructure for practices on behalf of ICBs.',
    awards: [
      { lot: 'HSSF/7', since: 1250, expires: 490 },
      { lot: 'HSSF/6', since: 1250, expires: 490 },
    ],
    solutions: [
      {
        name: 'Thornbury Managed Practice IT',
        kind: 'service',
        hosting: [H.ON_PREMISE, H.PRIVATE_CLOUD],
        summary: 'Desktop, network and device support for practices, with hardware refresh and HSCN connectivity.',
        lots: 'HSSF/6 HSSF/7',
      },
      {
        name: 'Thornbury Service Desk',
        kind: 'service',
        summary: 'A GP IT service desk answering in core hours with P1 incidents resolved within four hours.',
        lots: 'HSSF/7',
        standards: 'S24 S30 S65',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 100, body: ALBION },
      { type: CertificationType.ISO_20000_1, until: 150, body: ALBION },
      { type: CertificationType.ISO_9001, until: 300, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 58, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 19 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 11 },
    ],
  },
  {
    name: 'Ironbridge Hosting',
    legalName: 'Ironbridge Hosting Ltd',
    companiesHouseNumber: '10564738',
    odsCode: '8IH86',
    size: SupplierSize.LARGE,
    domain: 'ironbridge-hosting.example',
    summary: 'HSCN-connected private cloud and backup services for health and care suppliers and organisations.',
    awards: [{ lot: 'HSSF/6', since: 1280, expires: 480 }],
    solutions: [
      {
        name: 'Ironbridge HSCN Cloud',
        kind: 'service',
        hosting: [H.PRIVATE_CLOUD, H.PUBLIC_CLOUD_HSCN],
        summary: 'Infrastructure as a service in two UK data centres connected to HSCN.',
        lots: 'HSSF/6',
        standards: 'S24 S29 S30 S65 S69',
      },
      {
        name: 'Ironbridge Backup Vault',
        kind: 'service',
        summary: 'Immutable off-site backup for clinical systems and file servers, with tested restores.',
        lots: 'HSSF/6',
        standards: 'S24 S29 S30',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 450, body: TIDEWATER },
      { type: CertificationType.ISO_22301, until: 450, body: TIDEWATER },
      { type: CertificationType.ISO_20000_1, until: 450, body: TIDEWATER },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 150, body: BRACKENFIELD },
      { type: CertificationType.ISO_14001, until: 520, body: TIDEWATER },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 100 },
      { cycle: -1, status: DsptStatus.STANDARDS_EXCEEDED, days: 95 },
    ],
  },
  {
    name: 'Greenway Digital Advisory',
    legalName: 'Greenway Digital Advisory LLP',
    companiesHouseNumber: 'OC412987',
    odsCode: null,
    size: SupplierSize.MICRO,
    domain: 'greenway-advisory.example',
    summary: 'Digital transformation advice for PCNs and ICBs: procurement support, benefits cases and change management.',
    awards: [{ lot: 'HSSF/5', since: 600, expires: 700 }],
    solutions: [
      {
        name: 'Greenway Digital Transformation Service',
        kind: 'service',
        hosting: [],
        summary: 'Advisory support for practice system migrations, from options appraisal to go-live.',
        lots: 'HSSF/5',
        standards: 'S26 S28',
        dpa: false,
      },
    ],
    certs: [
      { type: CertificationType.ISO_9001, until: 200, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 75, body: LARKSPUR },
    ],
    dspt: [],
  },
  {
    name: 'Beacon Workforce Health',
    legalName: 'Beacon Workforce Health Ltd',
    companiesHouseNumber: '13654987',
    odsCode: '8BW02',
    size: SupplierSize.SMALL,
    domain: 'beacon-workforce.example',
    summary: 'Rota, workforce and locum management for practices and PCNs.',
    awards: [{ lot: 'HSSF/10', since: 540, expires: 780 }],
    solutions: [
      {
        name: 'Beacon Rota',
        kind: 'service',
        hosting: [H.PUBLIC_CLOUD],
        summary: 'Clinical rotas across a PCN, with leave, sessions and ARRS roles in one view.',
        lots: 'HSSF/10',
        caps: 'C25:P C12:P',
        assessedDaysAgo: 230,
        epics: 'C25E1-2:P C25E3:N',
        standards: 'S24 S29 S30',
      },
      {
        name: 'Beacon Locum Finder',
        kind: 'service',
        hosting: [H.PUBLIC_CLOUD],
        summary: 'Advertise and fill locum sessions from a vetted pool, with compliance checks.',
        lots: 'HSSF/10',
        standards: 'S24 S30',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 260, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 20, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_NOT_MET, days: 6 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 9 },
    ],
  },
  {
    name: 'Ouse Valley Vaccination Systems',
    legalName: 'Ouse Valley Vaccination Systems Ltd',
    companiesHouseNumber: '11223344',
    odsCode: '8OV13',
    size: SupplierSize.SMALL,
    domain: 'ousevalley-vacc.example',
    summary: 'Vaccination booking, recording and recall for practices, PCNs and vaccination sites.',
    awards: [{ lot: 'DCS/1', since: 980, expires: 610 }],
    solutions: [
      {
        name: 'Ouse Valley Vaccinate',
        kind: 'citizen',
        integrations: [I.IM1_TRANSACTIONAL, I.NHS_APP, I.GP_CONNECT_UPDATE_RECORD],
        summary: 'Vaccination clinics end to end: booking, point-of-care recording and adverse reaction reporting.',
        lots: 'DCS/1',
        caps: 'C45:F C46:F C47:F',
        assessedDaysAgo: 340,
        epics: 'C46E1-4:P C47E1-7:P C47E14-20:P',
      },
      {
        name: 'Ouse Valley Recall',
        kind: 'analytics',
        summary: 'Invitations and reminders for eligible cohorts by text, email and letter.',
        lots: 'DCS/1',
        caps: 'C45:F C7:P',
        assessedDaysAgo: 340,
        epics: 'C45E1-3:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 380, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 190, body: BRACKENFIELD },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 27 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 31 },
    ],
  },
  {
    name: 'Saltmarsh Ambient Health',
    legalName: 'Saltmarsh Ambient Health Ltd',
    companiesHouseNumber: '14098765',
    odsCode: '8SA24',
    size: SupplierSize.MICRO,
    domain: 'saltmarsh-ambient.example',
    summary: 'Ambient voice technology that drafts consultation notes for clinicians to review.',
    awards: [{ lot: 'TIF001/1', since: 300, expires: 700 }],
    solutions: [
      {
        name: 'Saltmarsh Scribe',
        kind: 'innovation',
        status: PublicationStatus.IN_REMEDIATION,
        summary: 'Listens to the consultation and drafts a structured note and coding suggestions for the clinician to approve.',
        lots: 'TIF001/1',
        caps: 'C15:P',
        assessedDaysAgo: 60,
        epics: 'C15E1:P C15E2-3:N C15E4:P C15E5-8:N',
        remediation: [
          {
            standard: 'S25',
            due: 90,
            plan: 'Complete the DCB0129 hazard log and clinical safety case for the coding suggestions feature.',
          },
        ],
      },
    ],
    certs: [
      {
        type: CertificationType.ISO_27001,
        until: 300,
        body: TIDEWATER,
        status: V.REJECTED,
        exclusions: 'Excludes the speech-processing service, which is operated by a sub-processor.',
      },
      {
        type: CertificationType.MHRA_REGISTRATION,
        until: 1400,
        body: MHRA,
        status: V.SUBMITTED,
        scope: 'Saltmarsh Scribe, registered as a Class I medical device.',
      },
      { type: CertificationType.CYBER_ESSENTIALS, until: 200, body: LARKSPUR },
    ],
    dspt: [{ cycle: 0, status: DsptStatus.STANDARDS_MET, days: 3 }],
  },
  {
    name: 'Peakland Telehealth',
    legalName: 'Peakland Telehealth Ltd',
    companiesHouseNumber: '09988776',
    odsCode: '8PT35',
    size: SupplierSize.SMALL,
    domain: 'peakland-telehealth.example',
    summary: 'Remote monitoring of patients with long-term conditions at home, with readings shared with the practice.',
    awards: [
      { lot: 'HSSF/4', since: 1000, expires: 350 },
      // Recorded as active, but past its expiry date: expired by date.
      { lot: 'TIF001/1', since: 760, expires: -10 },
    ],
    solutions: [
      {
        name: 'Peakland Remote Monitoring',
        kind: 'care',
        integrations: [I.GP_CONNECT_SEND_DOCUMENT, I.IM1_TRANSACTIONAL],
        summary: 'Blood pressure, oxygen saturation and weight readings from home, with thresholds that alert the care team.',
        lots: 'HSSF/4 TIF001/1',
        caps: 'C18:F C38:P',
        assessedDaysAgo: 450,
        epics: 'C18E1-4:P C38E1-4:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 500, body: ALBION },
      { type: CertificationType.MHRA_REGISTRATION, until: 800, body: MHRA, scope: 'Peakland Remote Monitoring alerting, registered as a Class I medical device.' },
      { type: CertificationType.CYBER_ESSENTIALS, until: 140, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 44 },
      { cycle: -1, status: DsptStatus.APPROACHING_STANDARDS, days: 1 },
    ],
  },
  {
    name: 'Kingfisher Decision Support',
    legalName: 'Kingfisher Decision Support Ltd',
    companiesHouseNumber: '10456123',
    odsCode: '8KD46',
    size: SupplierSize.MICRO,
    domain: 'kingfisher-cds.example',
    summary: 'Clinical decision support that surfaces guideline prompts and frailty scores inside the GP record.',
    awards: [{ lot: 'DCS/1', since: 620, expires: 900 }],
    solutions: [
      {
        name: 'Kingfisher Prompt',
        kind: 'medicines',
        summary: 'Guideline and safety prompts at the point of care, driven by the coded record.',
        lots: 'DCS/1',
        caps: 'C6:F',
        assessedDaysAgo: 190,
        epics: 'C6E1-4:P',
      },
      {
        name: 'Kingfisher Frailty Index',
        kind: 'analytics',
        summary: 'Electronic frailty scoring and lists of patients for proactive review.',
        lots: 'DCS/1',
        caps: 'C35:F C34:P',
        assessedDaysAgo: 190,
        epics: 'C35E1:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 220, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 160, body: LARKSPUR },
      { type: CertificationType.MHRA_REGISTRATION, until: 1100, body: MHRA, scope: 'Kingfisher Prompt, registered as a Class I medical device.' },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 13 },
      // Next cycle's publication, made early on the day its window opened.
      { cycle: 1, status: DsptStatus.STANDARDS_EXCEEDED, days: 0 },
    ],
  },
  {
    name: 'Wrekin Digital Diagnostics',
    legalName: 'Wrekin Digital Diagnostics Ltd',
    companiesHouseNumber: '12876109',
    odsCode: '8WD57',
    size: SupplierSize.SMALL,
    domain: 'wrekin-diagnostics.example',
    summary: 'Digital diagnostics for primary care: ECG, spirometry and dermatology images reviewed remotely.',
    awards: [
      { lot: 'DCS/1', since: 450, expires: 880 },
      { lot: 'TIF001/1', since: 700, expires: 400, status: AwardStatus.SUSPENDED },
    ],
    solutions: [
      {
        name: 'Wrekin Diagnostics Hub',
        kind: 'innovation',
        integrations: [I.GP_CONNECT_SEND_DOCUMENT, I.IM1_TRANSACTIONAL],
        summary: 'Capture tests in the practice and get a specialist report back into the GP record.',
        lots: 'DCS/1 TIF001/1',
        caps: 'C8:F',
        assessedDaysAgo: 220,
        epics: 'C8E1-2:P C8E3-4:N',
      },
      {
        name: 'Wrekin Pathology Viewer',
        kind: 'innovation',
        status: PublicationStatus.DRAFT,
        summary: 'Trend views of pathology results for patients and clinicians; in development.',
        lots: 'DCS/1',
        standards: 'S24 S25',
        submittedStandards: 'S24 S25',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 130, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: -60, body: BRACKENFIELD },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 305, body: BRACKENFIELD },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_MET, days: 36 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 39 },
    ],
  },
  {
    name: 'Holloway Dispensing Systems',
    legalName: 'Holloway Dispensing Systems Ltd',
    companiesHouseNumber: '06123789',
    odsCode: '8HS68',
    size: SupplierSize.SMALL,
    domain: 'holloway-dispensing.example',
    summary: 'Dispensary software for dispensing GP practices.',
    awards: [{ lot: 'DCS/1', since: 1080, expires: 300 }],
    solutions: [
      {
        name: 'Holloway Dispensary',
        kind: 'medicines',
        summary: 'Stock control, dispensing, endorsement and claims for dispensing practices.',
        lots: 'DCS/1',
        caps: 'C42:F C14:P',
        assessedDaysAgo: 610,
        epics: 'C42E1-8:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 290, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS, until: 170, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.APPROACHING_STANDARDS, days: 7 },
      { cycle: -1, status: DsptStatus.APPROACHING_STANDARDS, days: 17 },
    ],
  },
  {
    name: 'Marlstone Appointments',
    legalName: 'Marlstone Appointments Ltd',
    companiesHouseNumber: '11567890',
    odsCode: '8MA79',
    size: SupplierSize.SMALL,
    domain: 'marlstone-appointments.example',
    summary: 'Cross-organisation appointment booking for PCN hubs and enhanced access services.',
    awards: [
      { lot: 'DCS/1', since: 880, expires: 540 },
      { lot: 'HSSF/4', since: 880, expires: 540 },
    ],
    solutions: [
      {
        name: 'Marlstone Hub Booking',
        kind: 'care',
        integrations: [I.GP_CONNECT_APPOINTMENT_MANAGEMENT, I.GP_CONNECT_ACCESS_RECORD_HTML],
        summary: 'Book patients into hub and partner-practice slots through GP Connect, with shared waiting lists.',
        lots: 'DCS/1 HSSF/4',
        caps: 'C23:F C5:P C1:P',
        assessedDaysAgo: 260,
        epics: 'C23E1-4:P C23E5-6:P C5E1-5:P C5E6-7:N',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 210, body: TIDEWATER },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 260, body: BRACKENFIELD },
    ],
    dspt: [{ cycle: 0, status: DsptStatus.STANDARDS_MET, days: 24 }],
  },
  {
    name: 'Caldbeck Risk Analytics',
    legalName: 'Caldbeck Risk Analytics Ltd',
    companiesHouseNumber: 'SC550731',
    odsCode: '8CA80',
    size: SupplierSize.MICRO,
    domain: 'caldbeck-risk.example',
    summary: 'Risk stratification models for ICBs, trained and validated on primary care data.',
    awards: [
      { lot: 'HSSF/3', since: 990, expires: 430 },
      { lot: 'HSSF/9', since: 990, expires: 430 },
    ],
    solutions: [
      {
        name: 'Caldbeck Risk Stratifier',
        kind: 'analytics',
        summary: 'Predicts emergency admission risk and lists patients for case finding by practice and PCN.',
        lots: 'HSSF/3 HSSF/9',
        caps: 'C35:F C34:P',
        assessedDaysAgo: 480,
        epics: 'C35E1:P C34E1-2:P C34E3-5:N',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: -45, body: ALBION },
      { type: CertificationType.CYBER_ESSENTIALS, until: 95, body: LARKSPUR },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 55 },
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 48 },
    ],
  },
  {
    name: 'Evenlode Workflow',
    legalName: 'Evenlode Workflow Ltd',
    companiesHouseNumber: '08901234',
    odsCode: null,
    size: SupplierSize.MICRO,
    domain: 'evenlode-workflow.example',
    summary: 'Task management and digital forms for practice teams.',
    awards: [{ lot: 'DCS/1', since: 420, expires: 940 }],
    solutions: [
      {
        name: 'Evenlode Tasks',
        kind: 'documents',
        summary: 'Team task lists with workload balancing, linked to patients in the GP record.',
        lots: 'DCS/1',
        caps: 'C50:F C20:F C24:P',
        assessedDaysAgo: 140,
        epics: 'C20E1-11:P C24E1-2:P C24E3-7:N',
      },
      {
        name: 'Evenlode Forms',
        kind: 'documents',
        integrations: [I.IM1_TRANSACTIONAL],
        summary: 'Configurable digital forms for registrations and admin requests, filed to the record.',
        lots: 'DCS/1',
        caps: 'C20:P',
        assessedDaysAgo: 140,
        standards: 'S24 S25 S29 S30',
        dpa: false,
      },
    ],
    certs: [{ type: CertificationType.CYBER_ESSENTIALS, until: 210, body: LARKSPUR }],
    dspt: [],
  },
  {
    name: 'Wessex Primary Care Analytics',
    legalName: 'Wessex Primary Care Analytics Ltd',
    companiesHouseNumber: '13012345',
    odsCode: '8WA92',
    size: SupplierSize.SMALL,
    domain: 'wessex-pca.example',
    summary: 'Reporting and data quality tools for practices and PCNs.',
    awards: [
      { lot: 'HSSF/9', since: 930, expires: 510 },
      { lot: 'DCS/1', since: 930, expires: 510 },
    ],
    solutions: [
      {
        name: 'Wessex Practice Dashboards',
        kind: 'analytics',
        summary: 'Daily dashboards for access, QOF and prescribing with practice-to-practice comparison.',
        lots: 'HSSF/9 DCS/1',
        caps: 'C16:F C10:P',
        assessedDaysAgo: 390,
        epics: 'C16E1:P C10E1:P C10E2:N',
      },
      {
        name: 'Wessex Extract Check',
        kind: 'analytics',
        summary: 'Checks national GP extracts before submission and explains differences.',
        lots: 'DCS/1',
        caps: 'C10:F',
        assessedDaysAgo: 390,
        epics: 'C10E1-2:P',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 410, body: KEYSTONE },
      { type: CertificationType.ISO_9001, until: 35, body: KEYSTONE },
    ],
    // Only old publications, neither current today.
    dspt: [
      { cycle: -1, status: DsptStatus.STANDARDS_MET, days: 20 },
      { cycle: -2, status: DsptStatus.STANDARDS_MET, days: 26 },
    ],
  },
  {
    name: 'Hadrian Health Records',
    legalName: 'Hadrian Health Records Ltd',
    companiesHouseNumber: '04567123',
    odsCode: '8HR03',
    size: SupplierSize.MEDIUM,
    domain: 'hadrian-records.example',
    summary: 'Former GP IT Futures supplier of a GP clinical system, now withdrawn from the market.',
    active: false,
    awards: [{ lot: 'NHSDGP001/1' }, { lot: 'DCS/1', since: 1150, expires: 800, status: AwardStatus.WITHDRAWN }],
    solutions: [
      {
        name: 'Hadrian GP Classic',
        kind: 'gpClinical',
        status: PublicationStatus.UNPUBLISHED,
        hosting: [H.ON_PREMISE, H.HYBRID],
        integrations: [I.GP_CONNECT_ACCESS_RECORD_HTML, I.IM1_BULK, I.IM1_TRANSACTIONAL],
        summary: 'A GP clinical system for practices with on-site servers; no longer offered to new customers.',
        lots: 'NHSDGP001/1 DCS/1',
        caps: FOUNDATION_FULL,
        assessedDaysAgo: 1500,
        standards: 'S24 S25 S26 S29 S30 S32 S43 S44 S47',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: -400, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS, until: -300, body: LARKSPUR },
    ],
    dspt: [{ cycle: -2, status: DsptStatus.STANDARDS_MET, days: 10 }],
  },
  {
    name: 'Eskdale Patient Messaging',
    legalName: 'Eskdale Patient Messaging Ltd',
    companiesHouseNumber: '09345678',
    odsCode: null,
    size: SupplierSize.SMALL,
    domain: 'eskdale-messaging.example',
    summary: 'Text messaging for practices: reminders, results and questionnaires. Ceased trading.',
    active: false,
    awards: [{ lot: 'DCS/1', since: 1000, expires: 400, status: AwardStatus.SUSPENDED }],
    solutions: [
      {
        name: 'Eskdale SMS',
        kind: 'citizen',
        status: PublicationStatus.UNPUBLISHED,
        integrations: [I.IM1_TRANSACTIONAL],
        summary: 'Bulk and individual text messages to patients from the GP system.',
        lots: 'DCS/1',
        caps: 'C7:F',
        assessedDaysAgo: 900,
        epics: 'C7E1-7:P',
        standards: 'S24 S29 S30',
        dpa: false,
      },
    ],
    certs: [
      { type: CertificationType.ISO_9001, until: -200, body: KEYSTONE },
      { type: CertificationType.CYBER_ESSENTIALS, until: -30, body: LARKSPUR },
    ],
    dspt: [],
  },
  {
    name: 'Northmoor Integrated Care',
    legalName: 'Northmoor Integrated Care Ltd',
    companiesHouseNumber: '03456789',
    odsCode: '8NI19',
    size: SupplierSize.LARGE,
    domain: 'northmoor-ic.example',
    summary: 'Clinical systems for general practice and community services on a single shared record.',
    awards: [
      { lot: 'DCS/1', since: 1170, expires: 830 },
      { lot: 'HSSF/1', since: 1290, expires: 460 },
      { lot: 'HSSF/4', since: 1290, expires: 460 },
    ],
    solutions: [
      {
        name: 'Northmoor Practice',
        kind: 'gpClinical',
        summary: 'GP clinical system on the same record as Northmoor community services, so district nurses and practices see one record.',
        lots: 'DCS/1',
        // The prescribing assessment has been submitted but not yet verified.
        caps: 'C5:F C11:P C12:F C13:F C14:F* C15:F C9:P C16:F',
        assessedDaysAgo: 45,
        epics: 'C5E1-7:P C11E1:P C11E2:N C14E1-13:P*',
        submittedStandards: 'S36',
      },
      {
        name: 'Northmoor Community',
        kind: 'care',
        summary: 'Community nursing and therapy caseloads, scheduling and shared care plans.',
        lots: 'HSSF/4',
        caps: 'C22:F C36:F C29:P C24:F',
        assessedDaysAgo: 300,
        epics: 'C22E1-9:P C36E1-4:P C29E1-2:P C24E1-7:P',
      },
      {
        name: 'Northmoor Shared Record',
        kind: 'sharedRecord',
        summary: 'Shared record viewer across the Northmoor estate and partner organisations.',
        lots: 'HSSF/1',
        caps: 'C39:P',
        assessedDaysAgo: 300,
        epics: 'C39E1:P C39E2-3:N',
      },
    ],
    certs: [
      { type: CertificationType.ISO_27001, until: 540, body: NORTHBRIDGE },
      { type: CertificationType.ISO_9001, until: 540, body: NORTHBRIDGE },
      { type: CertificationType.ISO_22301, until: 540, body: NORTHBRIDGE },
      { type: CertificationType.ISO_20000_1, until: 290, body: NORTHBRIDGE },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, until: 240, body: BRACKENFIELD },
    ],
    dspt: [
      { cycle: 0, status: DsptStatus.STANDARDS_EXCEEDED, days: 65 },
      { cycle: -1, status: DsptStatus.STANDARDS_EXCEEDED, days: 60 },
      { cycle: -2, status: DsptStatus.STANDARDS_EXCEEDED, days: 58 },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------
// Expansion into plain data, with every date fixed against `today`

/**
 * The sample catalogue as plain data, with every date computed from `today` ('YYYY-MM-DD', UTC).
 * Deterministic: the same `today` gives the same data.
 */
export function buildCatalogue(today: string): CatalogueSeed {
  assertDate(today);
  const cycle0 = currentDsptCycle(today);
  const day = (offset: number) => addDays(today, offset);

  const suppliers = SUPPLIERS.map((spec, supplierIndex): SupplierSeed => {
    const website = `https://${spec.domain}`;
    const awards = spec.awards.map((a): AwardSeed => {
      const [ref] = parseLots(a.lot);
      const ended = ENDED_FRAMEWORKS[ref.framework];
      if (ended) return { ...ref, ...ended, status: a.status ?? AwardStatus.ACTIVE };
      if (a.since === undefined || a.expires === undefined) throw new Error(`${spec.name}: award on ${a.lot} needs since and expires`);
      return { ...ref, awardedOn: day(-a.since), expiresOn: day(a.expires), status: a.status ?? AwardStatus.ACTIVE };
    });
    const awarded = new Set(awards.map(lotKey));

    const solutions = spec.solutions.map((s): SolutionSeed => {
      const archetype = ARCHETYPES[s.kind];
      const lots = parseLots(s.lots);
      for (const lot of lots) {
        if (!awarded.has(lotKey(lot))) throw new Error(`${s.name} is offered under ${lotKey(lot)}, which ${spec.name} is not awarded`);
      }
      const submitted = new Set(words(s.submittedStandards ?? ''));
      const remediation = new Map((s.remediation ?? []).map((r) => [r.standard, r]));
      const standardRefs = [...new Set([...words(s.standards ?? archetype.standards), ...submitted, ...remediation.keys()])];
      const standards = standardRefs.map((standard): StandardComplianceSeed => {
        const r = remediation.get(standard);
        if (r) {
          return {
            standard,
            status: ComplianceStatus.REMEDIATION_PLAN,
            remediationDueOn: day(r.due),
            remediationPlan: r.plan,
            verificationStatus: r.verificationStatus ?? V.VERIFIED,
          };
        }
        return {
          standard,
          status: ComplianceStatus.MET,
          remediationDueOn: null,
          remediationPlan: null,
          verificationStatus: submitted.has(standard) ? V.SUBMITTED : V.VERIFIED,
        };
      });
      return {
        name: s.name,
        summary: s.summary,
        publicationStatus: s.status ?? PublicationStatus.PUBLISHED,
        hostingTypes: [...(s.hosting ?? archetype.hostingTypes)],
        integrations: [...(s.integrations ?? archetype.integrations)],
        dataProcessingAgreementUrl: s.dpa === false ? null : `${website}/legal/data-processing-agreement`,
        lots,
        capabilities: parseCapabilities(s.caps ?? '', day(-(s.assessedDaysAgo ?? 180))),
        epics: parseEpics(s.epics ?? ''),
        standards,
      };
    });

    const certifications = spec.certs.map((c, certIndex): CertificationSeed => {
      const years = TERM_YEARS[c.type];
      let validFrom: string;
      let validUntil: string;
      if (c.from !== undefined) {
        validFrom = day(c.from);
        validUntil = c.until !== undefined ? day(c.until) : addDays(addYears(validFrom, years), -1);
      } else if (c.until !== undefined) {
        validUntil = day(c.until);
        validFrom = addDays(addYears(validUntil, -years), 1);
      } else throw new Error(`${spec.name}: certificate ${c.type} needs from or until`);
      // An invented number, stable for a supplier and its certificate's position in the list.
      const serial = 100000 + ((supplierIndex + 1) * 7919 + (certIndex + 1) * 104729) % 900000;
      return {
        type: c.type,
        certificateNumber: `${BODY_PREFIX[c.body]}-${TYPE_CODE[c.type]}-${serial}`,
        certifyingBody: c.body,
        scope: c.scope ?? defaultScope(c.type, spec.name),
        scopeExclusions: c.exclusions ?? null,
        validFrom,
        validUntil,
        verificationStatus: c.status ?? V.VERIFIED,
      };
    });

    if (spec.dspt.length && !spec.odsCode) throw new Error(`${spec.name} has DSPT publications but no ODS code`);
    const dspt = spec.dspt.map((d): DsptSeed => {
      const cycle = shiftDsptCycle(cycle0, d.cycle);
      // Published in the cycle's window, which (for cycles up to the current one) lies wholly before today.
      const publishedOn = d.cycle >= 1 ? addDays(dsptWindowOpens(cycle), d.days) : addDays(dsptDeadline(cycle), -d.days);
      if (publishedOn > today) throw new Error(`${spec.name}: DSPT ${cycle} would be published after today`);
      return { odsCode: spec.odsCode!, cycle, status: d.status, publishedOn, verificationStatus: d.verification ?? V.VERIFIED };
    });

    return {
      name: spec.name,
      legalName: spec.legalName,
      companiesHouseNumber: spec.companiesHouseNumber,
      odsCode: spec.odsCode,
      size: spec.size,
      website,
      summary: spec.summary,
      active: spec.active ?? true,
      awards,
      solutions,
      certifications,
      dspt,
    };
  });

  return { today, currentDsptCycle: cycle0, suppliers };
}
