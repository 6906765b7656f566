import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { addDays, addMonths, addYears, assertDate, today as todayUtc } from '../src/common/dates.js';
import { currentDsptCycle, dsptDeadline, shiftDsptCycle } from './data/dates.js';
import { identitySkeleton, websiteHost } from '../src/modules/supplier/supplier-identity.js';

/*
 * A deterministic synthetic catalogue for scale testing: N invented suppliers with solutions, assessments,
 * certificates, DSPT publications and framework awards, written with multi-row INSERTs.
 *
 * Synthetic suppliers are recognisable by their Companies House number ("SY" + 6 digits) and ODS code
 * ("SY" + 4 base-36 characters). Each run first deletes the previous synthetic suppliers (their rows go
 * with them by cascade) and their DSPT publications, so re-running replaces rather than duplicates.
 *
 * The data is a function of (suppliers, seed, today) only; row ids are random UUIDs.
 */

export interface SyntheticOptions {
  suppliers: number;
  /**
   * GP practices to generate (0 by default), with plausible registered patient counts dated the first
   * of today's month, under one synthetic ICB and its sub-ICB locations (ODS codes "SY..."); replaced on
   * every run like the suppliers.
   */
  practices?: number;
  /** PRNG seed; the same options give the same data. */
  seed?: number;
  log?: (line: string) => void;
  /** 'YYYY-MM-DD' that the relative dates are computed from; today's UTC date by default. */
  today?: string;
}

export interface SyntheticResult {
  suppliers: number;
  solutions: number;
  certifications: number;
  dspt: number;
  practices: number;
  ms: number;
}

export const DEFAULT_SYNTHETIC_SEED = 20261122;
export const MAX_SYNTHETIC_SUPPLIERS = 999_999;
/** England has about 6,300 GP practices; the generator allows a good margin over that. */
export const MAX_SYNTHETIC_PRACTICES = 99_999;
/** Practices per synthetic sub-ICB location (real ones hold from a few dozen to a few hundred). */
const PRACTICES_PER_LOCATION = 100;
/** Suppliers generated and inserted per round (bounds memory; progress is logged after each). */
const CHUNK = 1000;
/** Rows per INSERT statement, at most; fewer for wide tables so parameters stay under 65535. */
const ROWS_PER_INSERT = 1000;
const MAX_PARAMS = 65_535;

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      if ((x -= w) < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  /** `n` distinct items (or all of them when there are fewer), in a random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary

const PLACES = [
  'Northgate', 'Southmere', 'Eastbrook', 'Westfield', 'Highcliffe', 'Lowmoor', 'Ashcombe', 'Birchwood', 'Cedarbank',
  'Dunmore', 'Elmstead', 'Fairhaven', 'Glenrothe', 'Hartwell', 'Ivybridge', 'Juniper', 'Kingsmead', 'Larchfield',
  'Millbrook', 'Newholme', 'Oakridge', 'Penbury', 'Queensway', 'Redcastle', 'Stonebridge', 'Thornfield', 'Upperton',
  'Valebrook', 'Willowmere', 'Yarrowdale', 'Brookhaven', 'Coldharbour', 'Deepdale', 'Everleigh', 'Foxcote', 'Greystoke',
];
const NOUNS = [
  'Health Systems', 'Digital Health', 'Clinical Software', 'Care Technologies', 'Medical Informatics', 'Patient Services',
  'Health Analytics', 'Primary Care Solutions', 'Telehealth', 'Health Data', 'Practice Systems', 'Care Connect',
];
const PRODUCT_WORDS = ['One', 'Plus', 'Connect', 'Flow', 'Hub', 'Core', 'Link', 'View', 'Pro', 'Cloud', 'Go', 'Direct'];
const BODIES = [
  'Northbridge Certification Ltd', 'Albion Assurance Services Ltd', 'Keystone Management Registrars Ltd',
  'Tidewater Standards Ltd', 'Brackenfield Cyber Certification Ltd', 'Larkspur Cyber Assessors Ltd',
];

type Lot = `${string}/${number}`;
type ArchetypeName =
  | 'gp' | 'citizen' | 'consultation' | 'documents' | 'medicines' | 'vaccination' | 'sharedRecord' | 'care'
  | 'analytics' | 'service' | 'telephony' | 'innovation';

interface Archetype {
  label: string;
  /** Capabilities assessed with high probability, then optional ones. */
  core: string[];
  optional: string[];
  standards: string[];
  hosting: string[][];
  integrations: string[];
}

const GP_CONNECT = [
  'GP_CONNECT_ACCESS_RECORD_HTML', 'GP_CONNECT_ACCESS_RECORD_STRUCTURED', 'GP_CONNECT_APPOINTMENT_MANAGEMENT',
  'GP_CONNECT_SEND_DOCUMENT', 'GP_CONNECT_UPDATE_RECORD',
];
const OVERARCHING = ['S24', 'S25', 'S29', 'S30'];

const ARCHETYPES: Record<ArchetypeName, Archetype> = {
  gp: {
    label: 'Clinical',
    core: ['C5', 'C11', 'C12', 'C13', 'C14', 'C15'],
    optional: ['C6', 'C9', 'C10', 'C16', 'C17', 'C45', 'C50'],
    standards: [...OVERARCHING, 'S26', 'S27', 'S28', 'S31', 'S32', 'S36', 'S43', 'S44', 'S47', 'S50', 'S56', 'S65', 'S69', 'S73'],
    hosting: [['PUBLIC_CLOUD_HSCN'], ['PUBLIC_CLOUD_HSCN', 'PRIVATE_CLOUD'], ['HYBRID'], ['ON_PREMISE', 'HYBRID']],
    integrations: [...GP_CONNECT, 'IM1_BULK', 'IM1_TRANSACTIONAL', 'IM1_PATIENT_FACING', 'NHS_APP'],
  },
  citizen: {
    label: 'Patient',
    core: ['C1', 'C3', 'C4'],
    optional: ['C2', 'C7'],
    standards: [...OVERARCHING, 'S32', 'S47', 'S68', 'S73'],
    hosting: [['PUBLIC_CLOUD']],
    integrations: ['IM1_PATIENT_FACING', 'NHS_APP', 'GP_CONNECT_APPOINTMENT_MANAGEMENT'],
  },
  consultation: {
    label: 'Consult',
    core: ['C43'],
    optional: ['C44', 'C2', 'C7'],
    standards: [...OVERARCHING, 'S32', 'S47', 'S68', 'S74'],
    hosting: [['PUBLIC_CLOUD'], ['PUBLIC_CLOUD_HSCN']],
    integrations: ['IM1_TRANSACTIONAL', 'GP_CONNECT_SEND_DOCUMENT', 'NHS_APP'],
  },
  documents: {
    label: 'Docs',
    core: ['C9'],
    optional: ['C17', 'C20', 'C7', 'C50'],
    standards: [...OVERARCHING, 'S32', 'S47', 'S50'],
    hosting: [['PUBLIC_CLOUD_HSCN'], ['HYBRID']],
    integrations: ['GP_CONNECT_SEND_DOCUMENT', 'IM1_TRANSACTIONAL'],
  },
  medicines: {
    label: 'Meds',
    core: ['C30'],
    optional: ['C14', 'C40', 'C42', 'C6'],
    standards: [...OVERARCHING, 'S32', 'S36', 'S47'],
    hosting: [['PUBLIC_CLOUD_HSCN']],
    integrations: ['IM1_TRANSACTIONAL', 'GP_CONNECT_ACCESS_RECORD_STRUCTURED'],
  },
  vaccination: {
    label: 'Vaccinate',
    core: ['C45', 'C47'],
    optional: ['C46', 'C7'],
    standards: [...OVERARCHING, 'S47', 'S68', 'S73'],
    hosting: [['PUBLIC_CLOUD']],
    integrations: ['IM1_TRANSACTIONAL', 'GP_CONNECT_UPDATE_RECORD', 'NHS_APP'],
  },
  sharedRecord: {
    label: 'Record',
    core: ['C39'],
    optional: ['C36', 'C24'],
    standards: [...OVERARCHING, 'S32', 'S44', 'S56', 'S73'],
    hosting: [['PUBLIC_CLOUD_HSCN']],
    integrations: ['GP_CONNECT_ACCESS_RECORD_STRUCTURED', 'GP_CONNECT_ACCESS_RECORD_HTML'],
  },
  care: {
    label: 'Care',
    core: ['C21', 'C36'],
    optional: ['C22', 'C27', 'C37', 'C38', 'C18', 'C23'],
    standards: [...OVERARCHING, 'S32', 'S44'],
    hosting: [['PUBLIC_CLOUD'], ['PUBLIC_CLOUD', 'ON_PREMISE']],
    integrations: ['GP_CONNECT_ACCESS_RECORD_HTML', 'GP_CONNECT_SEND_DOCUMENT'],
  },
  analytics: {
    label: 'Insights',
    core: ['C16'],
    optional: ['C34', 'C35', 'C26', 'C45', 'C10'],
    standards: ['S24', 'S29', 'S30', 'S47', 'S73', 'S78'],
    hosting: [['PUBLIC_CLOUD_HSCN'], ['PRIVATE_CLOUD']],
    integrations: ['IM1_BULK'],
  },
  service: {
    label: 'Services',
    core: [],
    optional: ['C12', 'C25'],
    standards: ['S24', 'S29', 'S30', 'S65', 'S69'],
    hosting: [['PRIVATE_CLOUD'], ['ON_PREMISE'], []],
    integrations: [],
  },
  telephony: {
    label: 'Telephony',
    core: ['C7'],
    optional: ['C16', 'C1'],
    standards: ['S24', 'S29', 'S30', 'S47', 'S65'],
    hosting: [['PUBLIC_CLOUD_HSCN'], ['PUBLIC_CLOUD']],
    integrations: ['IM1_TRANSACTIONAL', 'GP_CONNECT_ACCESS_RECORD_HTML'],
  },
  innovation: {
    label: 'Labs',
    core: ['C8'],
    optional: ['C15', 'C18', 'C6'],
    standards: [...OVERARCHING, 'S81'],
    hosting: [['PUBLIC_CLOUD']],
    integrations: ['IM1_TRANSACTIONAL', 'GP_CONNECT_SEND_DOCUMENT'],
  },
};

/** The lots a supplier may be awarded, by weight, and the kinds of solution each lot carries. */
const LOTS: { lot: Lot; weight: number; kinds: ArchetypeName[] }[] = [
  { lot: 'DCS/1', weight: 40, kinds: ['gp', 'citizen', 'consultation', 'documents', 'medicines', 'vaccination', 'analytics'] },
  { lot: 'NHSDGP001/1', weight: 6, kinds: ['gp', 'citizen', 'documents'] },
  { lot: 'HSSF/1', weight: 4, kinds: ['sharedRecord'] },
  { lot: 'HSSF/2', weight: 5, kinds: ['citizen', 'consultation', 'care'] },
  { lot: 'HSSF/3', weight: 4, kinds: ['analytics'] },
  { lot: 'HSSF/4', weight: 5, kinds: ['care', 'sharedRecord'] },
  { lot: 'HSSF/5', weight: 3, kinds: ['service'] },
  { lot: 'HSSF/6', weight: 3, kinds: ['service'] },
  { lot: 'HSSF/7', weight: 5, kinds: ['service', 'documents'] },
  { lot: 'HSSF/8', weight: 3, kinds: ['service'] },
  { lot: 'HSSF/9', weight: 3, kinds: ['analytics'] },
  { lot: 'HSSF/10', weight: 2, kinds: ['service'] },
  { lot: 'TIF001/1', weight: 5, kinds: ['innovation'] },
  { lot: 'ATP001/1', weight: 5, kinds: ['telephony'] },
  { lot: 'DFOCVC001/1', weight: 3, kinds: ['consultation'] },
];
const LOT_WEIGHTS = LOTS.map((l) => [l, l.weight] as const);

const ENDED_FRAMEWORKS: Record<string, { awardedOn: string; expiresOn: string }> = {
  NHSDGP001: { awardedOn: '2020-01-06', expiresOn: '2023-03-31' },
  DFOCVC001: { awardedOn: '2020-09-01', expiresOn: '2024-08-31' },
};

const CERT_TYPES = [
  ['ISO_27001', 30], ['CYBER_ESSENTIALS', 18], ['CYBER_ESSENTIALS_PLUS', 16], ['ISO_9001', 14],
  ['ISO_22301', 8], ['ISO_20000_1', 7], ['ISO_14001', 3], ['MHRA_REGISTRATION', 4],
] as const;
const CERT_YEARS: Record<string, number> = { CYBER_ESSENTIALS: 1, CYBER_ESSENTIALS_PLUS: 1, MHRA_REGISTRATION: 5 };

const DSPT_STATUSES = [
  ['STANDARDS_EXCEEDED', 15], ['STANDARDS_MET', 55], ['APPROACHING_STANDARDS', 15], ['STANDARDS_NOT_MET', 8], ['NOT_PUBLISHED', 7],
] as const;
const PUBLICATION_STATUSES = [['PUBLISHED', 85], ['IN_REMEDIATION', 5], ['DRAFT', 4], ['SUSPENDED', 3], ['UNPUBLISHED', 3]] as const;
const VERIFICATION = [['VERIFIED', 90], ['SUBMITTED', 8], ['REJECTED', 2]] as const;

// ---------------------------------------------------------------------------------------------------
// Generation

interface Reference {
  lotIds: Map<string, string>;
  capabilityIds: Map<string, string>;
  /** Epic references and ids by capability reference. */
  epicsByCapability: Map<string, { id: string; reference: string }[]>;
  standardIds: Map<string, string>;
}

/** Rows per table for one chunk of suppliers, as positional arrays in COLUMNS order. */
type Rows = Record<keyof typeof COLUMNS, unknown[][]>;

const COLUMNS = {
  supplier: [
    'id', 'name', 'legal_name', 'companies_house_number', 'ods_code', 'size', 'website', 'summary', 'active',
    'name_skeleton', 'legal_name_skeleton', 'website_host',
  ],
  framework_award: ['id', 'supplier_id', 'lot_id', 'awarded_on', 'expires_on', 'recorded_status'],
  solution: ['id', 'supplier_id', 'name', 'summary', 'publication_status', 'hosting_types', 'integrations', 'data_processing_agreement_url'],
  solution_lot: ['solution_id', 'lot_id'],
  capability_assessment: ['id', 'solution_id', 'capability_id', 'result', 'assessed_on', 'verification_status'],
  epic_assessment: ['id', 'solution_id', 'epic_id', 'result', 'verification_status'],
  standard_compliance: ['id', 'solution_id', 'standard_id', 'status', 'remediation_due_on', 'remediation_plan', 'verification_status'],
  certification: [
    'id', 'supplier_id', 'type', 'certificate_number', 'certifying_body', 'scope', 'scope_exclusions', 'valid_from', 'valid_until',
    'verification_status',
  ],
  dspt_assessment: ['id', 'ods_code', 'cycle', 'status', 'published_on', 'verification_status'],
  kpi_report: ['id', 'supplier_id', 'kpi_code', 'period', 'value', 'verification_status'],
} as const;

const emptyRows = (): Rows =>
  Object.fromEntries(Object.keys(COLUMNS).map((table) => [table, []])) as unknown as Rows;

function need<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`unknown ${what} ${key}: run the reference seeder first`);
  return value;
}

class Generator {
  private readonly cycle0: string;
  private readonly width: number;

  constructor(
    private readonly rng: Random,
    private readonly ref: Reference,
    private readonly today: string,
    total: number,
  ) {
    this.cycle0 = currentDsptCycle(today);
    this.width = Math.max(4, String(total).length);
  }

  private day(offset: number): string {
    return addDays(this.today, offset);
  }

  /** Appends supplier `index` (0-based) and all its rows. */
  supplier(index: number, rows: Rows): void {
    const r = this.rng;
    const number = String(index + 1).padStart(this.width, '0');
    const place = r.pick(PLACES);
    const noun = r.pick(NOUNS);
    const name = `${place} ${noun} ${number}`;
    const id = randomUUID();
    const odsCode = 'SY' + index.toString(36).toUpperCase().padStart(4, '0');
    const slug = `${place}-${noun}`.toLowerCase().replace(/[^a-z]+/g, '-');
    const website = `https://${slug}-${number}.example`;
    const size = r.weighted([['MICRO', 30], ['SMALL', 40], ['MEDIUM', 20], ['LARGE', 10]] as const);
    const legalName = `${name} ${r.weighted([['Ltd', 70], ['Limited', 25], ['LLP', 5]] as const)}`;
    rows.supplier.push([
      id,
      name,
      legalName,
      'SY' + String(index + 1).padStart(6, '0'),
      odsCode,
      size,
      website,
      `Synthetic supplier ${number}: ${noun.toLowerCase()} for general practice and integrated care around ${place}.`,
      !r.chance(0.03),
      identitySkeleton(name),
      identitySkeleton(legalName),
      websiteHost(website),
    ]);

    // Framework awards on 1-3 distinct lots.
    const awardCount = r.weighted([[1, 45], [2, 40], [3, 15]] as const);
    const awarded: (typeof LOTS)[number][] = [];
    while (awarded.length < awardCount) {
      const lot = r.weighted(LOT_WEIGHTS);
      if (!awarded.includes(lot)) awarded.push(lot);
    }
    for (const { lot } of awarded) {
      const framework = lot.split('/')[0];
      const ended = ENDED_FRAMEWORKS[framework];
      const status = r.weighted([['ACTIVE', 90], ['SUSPENDED', 6], ['WITHDRAWN', 4]] as const);
      const awardedOn = ended ? ended.awardedOn : this.day(-r.int(30, 1100));
      const expiresOn = ended ? ended.expiresOn : this.day(r.int(-60, 1000));
      rows.framework_award.push([randomUUID(), id, need(this.ref.lotIds, lot, 'lot'), awardedOn, expiresOn, status]);
    }

    // 1-3 solutions, each of a kind one of its supplier's lots carries.
    const solutionCount = r.weighted([[1, 45], [2, 35], [3, 20]] as const);
    for (let s = 0; s < solutionCount; s++) {
      const primary = r.pick(awarded);
      const kind = r.pick(primary.kinds);
      this.solution(rows, id, place, website, kind, [primary.lot, ...awarded.filter((l) => l !== primary && l.kinds.includes(kind) && r.chance(0.6)).map((l) => l.lot)], s);
    }

    // 2-5 certificates.
    const certCount = r.int(2, 5);
    for (let c = 0; c < certCount; c++) {
      const type = c === 0 && r.chance(0.8) ? 'ISO_27001' : r.weighted(CERT_TYPES);
      const years = CERT_YEARS[type] ?? 3;
      // Mostly valid, some expired, some expiring within weeks, a few starting soon.
      const shape = r.weighted([['valid', 70], ['expired', 12], ['expiring', 12], ['future', 6]] as const);
      let validFrom: string;
      let validUntil: string;
      if (shape === 'future') {
        validFrom = this.day(r.int(1, 60));
        validUntil = addDays(addYears(validFrom, years), -1);
      } else {
        const until = shape === 'expired' ? -r.int(1, 400) : shape === 'expiring' ? r.int(0, 60) : r.int(61, years * 365 - 30);
        validUntil = this.day(until);
        validFrom = addDays(addYears(validUntil, -years), 1);
      }
      const body = type === 'MHRA_REGISTRATION' ? 'Medicines and Healthcare products Regulatory Agency' : r.pick(BODIES);
      rows.certification.push([
        randomUUID(),
        id,
        type,
        `SY-${type.replace(/_/g, '')}-${number}-${c + 1}`,
        body,
        `Synthetic scope: ${type.replace(/_/g, ' ')} for the products and services of ${name}.`,
        r.chance(0.15) ? 'Excludes sub-processor data centre operations.' : null,
        validFrom,
        validUntil,
        r.weighted(VERIFICATION),
      ]);
    }

    this.kpis(rows, id);

    // 1-3 DSPT publications over the last cycles; most include the current one.
    const dsptCount = r.weighted([[1, 35], [2, 40], [3, 25]] as const);
    const startBack = r.chance(0.85) ? 0 : 1;
    for (let k = 0; k < dsptCount; k++) {
      const cycle = shiftDsptCycle(this.cycle0, -(startBack + k));
      rows.dspt_assessment.push([
        randomUUID(),
        odsCode,
        cycle,
        r.weighted(DSPT_STATUSES),
        addDays(dsptDeadline(cycle), -r.int(0, 200)),
        r.weighted([['VERIFIED', 94], ['SUBMITTED', 5], ['REJECTED', 1]] as const),
      ]);
    }
  }

  /** Monthly KPI reports, the last 6-12 months, from about two in three suppliers; most above the usual targets. */
  private kpis(rows: Rows, supplierId: string): void {
    const r = this.rng;
    if (!r.chance(0.65)) return;
    const months = r.int(6, 12);
    const lag = r.chance(0.85) ? 1 : 2;
    const steady = r.chance(0.8);
    for (let m = lag; m < lag + months; m++) {
      const period = addMonths(`${this.today.slice(0, 7)}-01`, -m).slice(0, 7);
      const availability = steady ? 99.5 + r.int(0, 50) / 100 : 98.5 + r.int(0, 150) / 100;
      const p1 = steady ? 95 + r.int(0, 50) / 10 : 88 + r.int(0, 120) / 10;
      rows.kpi_report.push([randomUUID(), supplierId, 'AVAILABILITY_CORE_HOURS', period, availability, r.weighted(VERIFICATION)]);
      rows.kpi_report.push([randomUUID(), supplierId, 'P1_RESOLVED_WITHIN_4_HOURS', period, p1, r.weighted(VERIFICATION)]);
    }
  }

  private solution(rows: Rows, supplierId: string, place: string, website: string, kind: ArchetypeName, lots: string[], index: number): void {
    const r = this.rng;
    const a = ARCHETYPES[kind];
    const id = randomUUID();
    const status = r.weighted(PUBLICATION_STATUSES);
    rows.solution.push([
      id,
      supplierId,
      `${place} ${a.label} ${r.pick(PRODUCT_WORDS)}${index ? ' ' + (index + 1) : ''}`,
      `Synthetic ${kind} solution offered under ${lots.join(', ')}.`,
      status,
      r.pick(a.hosting),
      r.sample(a.integrations, r.int(Math.min(1, a.integrations.length), a.integrations.length)),
      r.chance(0.9) ? `${website}/legal/dpa` : null,
    ]);
    for (const lot of lots) rows.solution_lot.push([id, need(this.ref.lotIds, lot, 'lot')]);

    // 2-8 capability assessments: the archetype's core ones mostly, then optional ones.
    const wanted = r.int(2, 8);
    const caps = a.core.filter(() => r.chance(0.9));
    for (const c of r.sample(a.optional, Math.max(0, wanted - caps.length))) caps.push(c);
    const assessedOn = this.day(-r.int(10, 900));
    for (const capability of caps) {
      const result = r.weighted([['PASSED_FULL', 75], ['PASSED_PARTIAL', 20], ['FAILED', 5]] as const);
      rows.capability_assessment.push([randomUUID(), id, need(this.ref.capabilityIds, capability, 'capability'), result, assessedOn, r.weighted(VERIFICATION)]);
      // A few epic assessments for some capabilities.
      const epics = this.ref.epicsByCapability.get(capability);
      if (epics?.length && r.chance(0.35)) {
        for (const epic of r.sample(epics, r.int(1, 4))) {
          const outcome = result === 'FAILED' ? r.pick(['FAILED', 'NOT_EVIDENCED']) : r.weighted([['PASSED', 85], ['NOT_EVIDENCED', 12], ['FAILED', 3]] as const);
          rows.epic_assessment.push([randomUUID(), id, epic.id, outcome, r.weighted(VERIFICATION)]);
        }
      }
    }

    // Standards: every overarching one (they apply to every catalogue solution) and a sample of the
    // archetype's own; mostly met, some with remediation plans.
    const overarching = a.standards.filter((s) => OVERARCHING.includes(s));
    const own = a.standards.filter((s) => !OVERARCHING.includes(s));
    for (const standard of [...overarching, ...r.sample(own, r.int(Math.min(1, own.length), Math.min(5, own.length)))]) {
      const remediation = r.chance(status === 'IN_REMEDIATION' ? 0.5 : 0.06);
      rows.standard_compliance.push([
        randomUUID(),
        id,
        need(this.ref.standardIds, standard, 'standard'),
        remediation ? 'REMEDIATION_PLAN' : 'MET',
        remediation ? this.day(r.int(-90, 240)) : null,
        remediation ? `Synthetic remediation plan for ${standard}: close the gaps found at assurance and re-submit evidence.` : null,
        r.weighted(VERIFICATION),
      ]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// GP practices

export interface SyntheticOrganisation {
  id: string;
  odsCode: string;
  name: string;
  role: 'ICB' | 'SUB_ICB_LOCATION' | 'GP_PRACTICE';
  parentId: string | null;
  registeredPatients: number | null;
  registeredPatientsOn: string | null;
}

/**
 * A plausible registered list size: log-normal around a median of 8,500 (NHS Digital's monthly
 * "Patients Registered at a GP Practice" puts the English mean near 10,000, skewed right by large
 * practices), bounded to 1,000-45,000 and rounded to a whole patient.
 */
export function plausiblePatients(rng: () => number): number {
  // Box-Muller from two uniforms in (0, 1].
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.min(45_000, Math.max(1_000, Math.round(8_500 * Math.exp(0.5 * z))));
}

/**
 * `count` synthetic GP practices under one synthetic ICB (SYI01) and sub-ICB locations of up to
 * PRACTICES_PER_LOCATION practices (SYL001, ...); practices are SYP00001, ... Each has a list size
 * (plausiblePatients) dated the first of today's month, when NHS Digital publishes the figures. Its
 * own PRNG stream, so asking for practices does not change the suppliers a seed makes.
 */
export function syntheticPractices(count: number, seed: number, today: string): SyntheticOrganisation[] {
  if (count === 0) return [];
  const rng = mulberry32((seed ^ 0x5eed_9a7c) >>> 0);
  const on = `${today.slice(0, 7)}-01`;
  const icb: SyntheticOrganisation = { id: randomUUID(), odsCode: 'SYI01', name: 'Synthetic Integrated Care Board', role: 'ICB', parentId: null, registeredPatients: null, registeredPatientsOn: null };
  const out = [icb];
  let location: SyntheticOrganisation | undefined;
  for (let i = 0; i < count; i++) {
    if (i % PRACTICES_PER_LOCATION === 0) {
      const n = i / PRACTICES_PER_LOCATION + 1;
      location = { id: randomUUID(), odsCode: `SYL${String(n).padStart(3, '0')}`, name: `Synthetic sub-ICB location ${n}`, role: 'SUB_ICB_LOCATION', parentId: icb.id, registeredPatients: null, registeredPatientsOn: null };
      out.push(location);
    }
    const place = PLACES[Math.floor(rng() * PLACES.length)];
    const kind = ['Surgery', 'Medical Centre', 'Health Centre', 'Medical Practice', 'Family Practice'][Math.floor(rng() * 5)];
    out.push({
      id: randomUUID(),
      odsCode: `SYP${String(i + 1).padStart(5, '0')}`,
      name: `${place} ${kind} ${i + 1}`,
      role: 'GP_PRACTICE',
      parentId: location!.id,
      registeredPatients: plausiblePatients(rng),
      registeredPatientsOn: on,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Database

async function loadReference(client: pg.Client): Promise<Reference> {
  const lots = await client.query<{ key: string; id: string }>(
    `SELECT f.code || '/' || l.number AS key, l.id FROM lot l JOIN framework f ON f.id = l.framework_id`,
  );
  const capabilities = await client.query<{ reference: string; id: string }>('SELECT reference, id FROM capability');
  const epics = await client.query<{ reference: string; id: string; capability: string }>(
    'SELECT e.reference, e.id, c.reference AS capability FROM epic e JOIN capability c ON c.id = e.capability_id WHERE e.active ORDER BY c.number, e.number',
  );
  const standards = await client.query<{ reference: string; id: string }>('SELECT reference, id FROM standard');
  if (!lots.rowCount || !capabilities.rowCount || !standards.rowCount) {
    throw new Error('the reference catalogue (frameworks, capabilities, standards) is missing: run the reference seeder first');
  }
  const epicsByCapability = new Map<string, { id: string; reference: string }[]>();
  for (const e of epics.rows) {
    const list = epicsByCapability.get(e.capability) ?? [];
    list.push({ id: e.id, reference: e.reference });
    epicsByCapability.set(e.capability, list);
  }
  return {
    lotIds: new Map(lots.rows.map((r) => [r.key, r.id])),
    capabilityIds: new Map(capabilities.rows.map((r) => [r.reference, r.id])),
    epicsByCapability,
    standardIds: new Map(standards.rows.map((r) => [r.reference, r.id])),
  };
}

/** INSERTs `rows` into `table` in multi-row statements of at most ROWS_PER_INSERT rows and MAX_PARAMS parameters. */
async function insertRows(client: pg.Client, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMS / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const placeholders: string[] = [];
      for (const value of row) {
        params.push(value);
        placeholders.push(`$${params.length}`);
      }
      tuples.push(`(${placeholders.join(',')})`);
    }
    await client.query(head + tuples.join(','), params);
  }
}

function connectionConfig(orm: MikroORM): pg.ClientConfig {
  const { host, port, user, password, database } = orm.em.getConnection().getConnectionOptions() as Record<string, any>;
  return { host, port: port || undefined, user, password: password || undefined, database };
}

/**
 * Replaces the synthetic suppliers with `opts.suppliers` freshly generated ones (and everything they
 * hold), in one transaction. The same options give the same data.
 */
export async function generateSynthetic(orm: MikroORM, opts: SyntheticOptions): Promise<SyntheticResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const total = opts.suppliers;
  if (!Number.isInteger(total) || total < 0 || total > MAX_SYNTHETIC_SUPPLIERS) {
    throw new Error(`suppliers must be an integer from 0 to ${MAX_SYNTHETIC_SUPPLIERS} (got ${total})`);
  }
  const practices = opts.practices ?? 0;
  if (!Number.isInteger(practices) || practices < 0 || practices > MAX_SYNTHETIC_PRACTICES) {
    throw new Error(`practices must be an integer from 0 to ${MAX_SYNTHETIC_PRACTICES} (got ${practices})`);
  }
  const today = assertDate(opts.today ?? todayUtc());
  const seed = opts.seed ?? DEFAULT_SYNTHETIC_SEED;
  let practiceRows = 0;
  const rng = new Random(mulberry32(seed));
  const counts: Record<string, number> = Object.fromEntries(Object.keys(COLUMNS).map((t) => [t, 0]));
  const insertMs: Record<string, number> = Object.fromEntries(Object.keys(COLUMNS).map((t) => [t, 0]));
  let generateMs = 0;

  const client = new pg.Client(connectionConfig(orm));
  await client.connect();
  try {
    const ref = await loadReference(client);
    const generator = new Generator(rng, ref, today, total);
    await client.query('BEGIN');
    try {
      let t = performance.now();
      const deleted = await client.query(`DELETE FROM supplier WHERE companies_house_number LIKE 'SY%'`);
      const deletedDspt = await client.query(`DELETE FROM dspt_assessment WHERE ods_code LIKE 'SY%'`);
      log(`deleted ${deleted.rowCount} previous synthetic suppliers and ${deletedDspt.rowCount} DSPT publications in ${Math.round(performance.now() - t)} ms`);
      // Synthetic organisations too (a specification owned by one would stop this: they are for scale runs only).
      const deletedOrgs = await client.query(`DELETE FROM organisation WHERE ods_code LIKE 'SY%'`);
      const orgs = syntheticPractices(practices, seed, today);
      await insertRows(
        client,
        'organisation',
        ['id', 'ods_code', 'name', 'role', 'postcode', 'parent_id', 'registered_patients', 'registered_patients_on'],
        orgs.map((o) => [o.id, o.odsCode, o.name, o.role, null, o.parentId, o.registeredPatients, o.registeredPatientsOn]),
      );
      practiceRows = orgs.filter((o) => o.role === 'GP_PRACTICE').length;
      log(`replaced ${deletedOrgs.rowCount} synthetic organisations with ${orgs.length} (${practiceRows} GP practices)`);

      for (let from = 0; from < total; from += CHUNK) {
        const to = Math.min(total, from + CHUNK);
        t = performance.now();
        const rows = emptyRows();
        for (let i = from; i < to; i++) generator.supplier(i, rows);
        generateMs += performance.now() - t;
        for (const table of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
          t = performance.now();
          await insertRows(client, table, COLUMNS[table], rows[table]);
          insertMs[table] += performance.now() - t;
          counts[table] += rows[table].length;
        }
        log(`suppliers ${to}/${total} (${Math.round(performance.now() - started)} ms)`);
      }
      t = performance.now();
      await client.query('COMMIT');
      log(`committed in ${Math.round(performance.now() - t)} ms`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    // Fresh planner statistics (and a cleanup of the rows the delete left behind) for the queries that follow.
    const t = performance.now();
    // The matcher's projection tables were filled by triggers along the way: analyse them too.
    await client.query(`VACUUM ANALYZE ${[...Object.keys(COLUMNS), 'match_solution', 'match_offer', 'match_kpi'].map((table) => `"${table}"`).join(', ')}`);
    log(`vacuumed and analysed in ${Math.round(performance.now() - t)} ms`);
  } finally {
    await client.end();
  }

  const ms = Math.round(performance.now() - started);
  log(`generated in ${Math.round(generateMs)} ms (seed ${seed}, today ${today})`);
  for (const table of Object.keys(COLUMNS)) log(`  ${table.padEnd(22)} ${String(counts[table]).padStart(8)} rows  ${String(Math.round(insertMs[table])).padStart(6)} ms`);
  log(`total ${Object.values(counts).reduce((a, b) => a + b, 0)} rows in ${ms} ms`);
  return {
    suppliers: counts.supplier,
    solutions: counts.solution,
    certifications: counts.certification,
    dspt: counts.dspt_assessment,
    practices: practiceRows,
    ms,
  };
}
