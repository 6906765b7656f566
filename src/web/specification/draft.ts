import type {
  AssessmentResult, CertificationType, PriceUnit, CriterionInput, CriterionType, DsptStatus, HostingType, Integration, KpiDirection, RequirementPriority,
  SpecificationForEditQuery, SpecificationInput,
} from '../generated/graphql.js';

/**
 * A specification as the form holds it: every value as typed (strings), so a page re-rendered after
 * an error, an added row or a trip to check-your-answers shows exactly what the person entered.
 * One draft per specification lives in the session ("new" for one not yet saved).
 */
export interface KpiRow { code: string; name: string; unit: string; direction: string; target: string; measurementPeriod: string }

export interface RequirementRow {
  code: string; title: string; priority: string; weight: string; type: string;
  capability: string; minimumAssessment: string; epic: string; standard: string; allowRemediationPlan: boolean;
  certification: string; minimumDsptStatus: string; frameworks: string[]; lots: string;
  integrations: string[]; hostingTypes: string[]; kpiCode: string; periods: string;
}

export interface Draft {
  /** The version the edit started from (quoted to updateSpecification); absent for a new one. */
  version?: number;
  /** A new specification's owner when not the buyer's own organisation ('' for its own; edits keep theirs). */
  ownerOdsCode: string;
  title: string;
  frameworkCodes: string[];
  day: string; month: string; year: string;
  termMonths: string;
  kpis: KpiRow[];
  requirementSetIds: string[];
  requirements: RequirementRow[];
  /** ALL: every practice under the owner (the default); SOME: the practices ticked. */
  recipientChoice?: string;
  serviceRecipients?: string[];
  /** Quantities as typed, by unit (PER_USER...), and named units' rows. */
  quantities?: Record<string, string>;
  namedQuantities?: { name: string; quantity: string }[];
}

/** The units a buyer gives quantities for (PER_PATIENT and PER_PRACTICE are counted from the practices). */
export const QUANTITY_UNITS: { value: PriceUnit; text: string }[] = [
  { value: 'PER_USER', text: 'Users' }, { value: 'PER_LICENCE', text: 'Licences' }, { value: 'PER_DEVICE', text: 'Devices' },
  { value: 'PER_CONSULTATION', text: 'Consultations per billing period' },
];
/** Rows for units the suppliers name (no JavaScript: a fixed number). */
export const NAMED_QUANTITY_ROWS = 2;

/** Every criterion type, in the form's order: a type the API adds and this map lacks does not compile. */
export const CRITERION_LABELS: Record<CriterionType, string> = {
  CAPABILITY: 'Capability', EPIC: 'Epic', STANDARD: 'Standard', CERTIFICATION: 'Certification', DSPT: 'DSPT status',
  FRAMEWORK: 'Framework or lots', INTEGRATION: 'Integrations', HOSTING: 'Hosting', KPI: 'KPI performance',
};
export const CRITERION_TYPES = Object.keys(CRITERION_LABELS) as CriterionType[];
/** The form field an error about a whole criterion points to: the first field its type needs. */
const FIRST_FIELD: Record<CriterionType, keyof RequirementRow> = {
  CAPABILITY: 'capability', EPIC: 'epic', STANDARD: 'standard', CERTIFICATION: 'certification', DSPT: 'minimumDsptStatus',
  FRAMEWORK: 'frameworks', INTEGRATION: 'integrations', HOSTING: 'hostingTypes', KPI: 'kpiCode',
};
export const ASSESSMENTS: { value: AssessmentResult; text: string }[] = [
  { value: 'PASSED_PARTIAL', text: 'Partly passed or better' },
  { value: 'PASSED_FULL', text: 'Fully passed' },
];
export const CERTIFICATIONS: { value: CertificationType; text: string }[] = [
  { value: 'ISO_27001', text: 'ISO/IEC 27001' }, { value: 'ISO_9001', text: 'ISO 9001' }, { value: 'ISO_22301', text: 'ISO 22301' },
  { value: 'ISO_20000_1', text: 'ISO/IEC 20000-1' }, { value: 'ISO_14001', text: 'ISO 14001' }, { value: 'CYBER_ESSENTIALS', text: 'Cyber Essentials' },
  { value: 'CYBER_ESSENTIALS_PLUS', text: 'Cyber Essentials Plus' }, { value: 'MHRA_REGISTRATION', text: 'MHRA registration' },
];
export const DSPT_STATUSES: { value: DsptStatus; text: string }[] = [
  { value: 'APPROACHING_STANDARDS', text: 'Approaching Standards' }, { value: 'STANDARDS_MET', text: 'Standards Met' }, { value: 'STANDARDS_EXCEEDED', text: 'Standards Exceeded' },
];
export const INTEGRATIONS: { value: Integration; text: string }[] = [
  { value: 'GP_CONNECT_ACCESS_RECORD_HTML', text: 'GP Connect Access Record HTML' },
  { value: 'GP_CONNECT_ACCESS_RECORD_STRUCTURED', text: 'GP Connect Access Record Structured' },
  { value: 'GP_CONNECT_APPOINTMENT_MANAGEMENT', text: 'GP Connect Appointment Management' },
  { value: 'GP_CONNECT_SEND_DOCUMENT', text: 'GP Connect Send Document' },
  { value: 'GP_CONNECT_UPDATE_RECORD', text: 'GP Connect Update Record' },
  { value: 'IM1_BULK', text: 'IM1 Bulk' }, { value: 'IM1_PATIENT_FACING', text: 'IM1 Patient Facing' }, { value: 'IM1_TRANSACTIONAL', text: 'IM1 Transactional' },
  { value: 'NHS_APP', text: 'NHS App' },
];
export const HOSTING_TYPES: { value: HostingType; text: string }[] = [
  { value: 'PUBLIC_CLOUD', text: 'Public cloud' }, { value: 'PUBLIC_CLOUD_HSCN', text: 'Public cloud with HSCN' },
  { value: 'PRIVATE_CLOUD', text: 'Private cloud' }, { value: 'HYBRID', text: 'Hybrid' }, { value: 'ON_PREMISE', text: 'On premise' },
];

export const emptyKpi = (): KpiRow => ({ code: '', name: '', unit: '', direction: '', target: '', measurementPeriod: '' });
export const emptyRequirement = (): RequirementRow => ({
  code: '', title: '', priority: '', weight: '10', type: '', capability: '', minimumAssessment: '', epic: '', standard: '', allowRemediationPlan: false,
  certification: '', minimumDsptStatus: '', frameworks: [], lots: '', integrations: [], hostingTypes: [], kpiCode: '', periods: '',
});
export const emptyDraft = (): Draft => ({ ownerOdsCode: '', title: '', frameworkCodes: [], day: '', month: '', year: '', termMonths: '', kpis: [], requirementSetIds: [], requirements: [] });

type Body = Record<string, unknown>;
const text = (body: Body, key: string): string => (typeof body[key] === 'string' ? (body[key] as string) : Array.isArray(body[key]) ? String((body[key] as unknown[])[0] ?? '') : '');
const list = (body: Body, key: string): string[] => {
  const value = body[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
};
/** The row numbers a form posted for a prefix (each row always posts its code). */
const rowsOf = (body: Body, prefix: string): number[] =>
  Object.keys(body).map((k) => new RegExp(`^${prefix}-(\\d+)-code$`).exec(k)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b).slice(0, 100);

/** The draft as the form posted it (url-encoded, flat names such as `req-0-capability`). */
export function draftFromBody(body: Body, previous: Draft): Draft {
  return {
    version: previous.version,
    ownerOdsCode: previous.version === undefined ? text(body, 'ownerOdsCode').trim() : '',
    title: text(body, 'title'),
    frameworkCodes: list(body, 'frameworkCodes'),
    day: text(body, 'contractStart[day]').trim(),
    month: text(body, 'contractStart[month]').trim(),
    year: text(body, 'contractStart[year]').trim(),
    termMonths: text(body, 'termMonths').trim(),
    kpis: rowsOf(body, 'kpi').map((i) => {
      const f = (name: string) => text(body, `kpi-${i}-${name}`);
      return { code: f('code').trim(), name: f('name'), unit: f('unit'), direction: f('direction'), target: f('target').trim(), measurementPeriod: f('measurementPeriod') };
    }),
    requirementSetIds: list(body, 'requirementSetIds'),
    recipientChoice: text(body, 'recipientChoice') === 'SOME' ? 'SOME' : 'ALL',
    serviceRecipients: list(body, 'serviceRecipients').slice(0, 2000),
    quantities: Object.fromEntries(QUANTITY_UNITS.map((u) => [u.value, text(body, `qty-${u.value}`).trim()])),
    namedQuantities: Array.from({ length: NAMED_QUANTITY_ROWS }, (_, i) => ({ name: text(body, `qty-named-${i}-name`).trim(), quantity: text(body, `qty-named-${i}-quantity`).trim() })),
    requirements: rowsOf(body, 'req').map((i) => {
      const f = (name: string) => text(body, `req-${i}-${name}`);
      return {
        code: f('code').trim(), title: f('title'), priority: f('priority'), weight: f('weight').trim(), type: f('type'),
        capability: f('capability').trim(), minimumAssessment: f('minimumAssessment'), epic: f('epic').trim(), standard: f('standard').trim(),
        allowRemediationPlan: f('allowRemediationPlan') === 'yes', certification: f('certification'), minimumDsptStatus: f('minimumDsptStatus'),
        frameworks: list(body, `req-${i}-frameworks`), lots: f('lots'), integrations: list(body, `req-${i}-integrations`),
        hostingTypes: list(body, `req-${i}-hostingTypes`), kpiCode: f('kpiCode').trim(), periods: f('periods').trim(),
      };
    }),
  };
}

type Spec = SpecificationForEditQuery['specification'];

/** The draft of a saved specification: its fields, and its own requirements (not those of its sets). */
export function draftFromSpecification(spec: Spec): Draft {
  const fromSets = new Set(spec.requirementSets.flatMap((s) => s.requirements.map((r) => r.id)));
  const [year, month, day] = spec.contractStart.split('-');
  return {
    version: spec.version,
    ownerOdsCode: '',
    title: spec.title,
    frameworkCodes: [...spec.frameworkCodes],
    day: String(Number(day)), month: String(Number(month)), year,
    termMonths: String(spec.termMonths),
    kpis: spec.kpis.map((k) => ({ code: k.code, name: k.name, unit: k.unit, direction: k.direction, target: String(k.target), measurementPeriod: k.measurementPeriod })),
    requirementSetIds: spec.requirementSets.map((s) => s.id),
    recipientChoice: spec.allPracticesAreRecipients ? 'ALL' : 'SOME',
    serviceRecipients: spec.allPracticesAreRecipients ? [] : spec.serviceRecipients.map((o) => o.odsCode),
    quantities: Object.fromEntries(spec.quantities.filter((q) => q.unit !== 'NAMED').map((q) => [q.unit, String(q.quantity)])),
    namedQuantities: Array.from({ length: NAMED_QUANTITY_ROWS }, (_, i) => {
      const q = spec.quantities.filter((x) => x.unit === 'NAMED')[i];
      return { name: q?.unitName ?? '', quantity: q ? String(q.quantity) : '' };
    }),
    requirements: spec.requirements.filter((r) => !fromSets.has(r.id)).map((r) => {
      const c = r.criterion;
      return {
        code: r.code, title: r.title, priority: r.priority, weight: String(r.weight), type: c.type,
        capability: c.capability ?? '', minimumAssessment: c.minimumAssessment ?? '', epic: c.epic ?? '', standard: c.standard ?? '',
        allowRemediationPlan: c.allowRemediationPlan === true, certification: c.certification ?? '', minimumDsptStatus: c.minimumDsptStatus ?? '',
        frameworks: c.frameworks ?? [], lots: (c.lots ?? []).map((l) => `${l.framework} ${l.number}`).join(', '),
        integrations: c.integrations ?? [], hostingTypes: c.hostingTypes ?? [], kpiCode: c.kpiCode ?? '', periods: c.periods == null ? '' : String(c.periods),
      };
    }),
  };
}

export interface Problems { errorList: { text: string; href: string }[]; errors: Record<string, string> }

const LOT = /^([A-Za-z0-9]{2,32})\s*(?:lot\s*)?(\d{1,3})$/i;
const isInt = (value: string) => /^\d{1,9}$/.test(value);

/**
 * What the form can tell before asking the API: answers it needs to build an input at all (a real date,
 * whole numbers, a chosen option). Whether a capability or framework exists is the API's to say.
 */
export function checkDraft(d: Draft): Problems | undefined {
  const errors: Record<string, string> = {};
  const add = (id: string, message: string) => void (errors[id] ??= message);
  if (!d.title.trim()) add('title', 'Enter a title for the specification');
  if (!d.frameworkCodes.length) add('frameworkCodes', 'Select at least one framework');
  if (!d.day || !d.month || !d.year) add('contractStart-day', 'Enter the contract start date, with a day, month and year');
  else if (!toDate(d)) add('contractStart-day', 'Contract start must be a real date, for example 1 4 2027');
  if (!isInt(d.termMonths) || Number(d.termMonths) < 1 || Number(d.termMonths) > 120) add('termMonths', 'Enter the term in whole months, from 1 to 120');
  d.kpis.forEach((k, i) => {
    if (!k.code) add(`kpi-${i}-code`, `Enter a code for KPI ${i + 1}`);
    if (!k.name.trim()) add(`kpi-${i}-name`, `Enter a name for KPI ${i + 1}`);
    if (!k.unit.trim()) add(`kpi-${i}-unit`, `Enter a unit for KPI ${i + 1}`);
    if (k.direction !== 'AT_LEAST' && k.direction !== 'AT_MOST') add(`kpi-${i}-direction`, `Select whether KPI ${i + 1}'s target is a minimum or a maximum`);
    if (!/^-?\d+(\.\d+)?$/.test(k.target)) add(`kpi-${i}-target`, `Enter KPI ${i + 1}'s target as a number, for example 99.5`);
    if (!k.measurementPeriod.trim()) add(`kpi-${i}-measurementPeriod`, `Enter how often KPI ${i + 1} is measured, for example MONTHLY`);
  });
  if (d.recipientChoice === 'SOME' && !d.serviceRecipients?.length) add('serviceRecipients', 'Select the practices the service is for, or choose every practice');
  for (const u of QUANTITY_UNITS) {
    const q = d.quantities?.[u.value] ?? '';
    if (q && !isInt(q)) add(`qty-${u.value}`, `Enter the number of ${u.text.toLowerCase()} as a whole number, or leave it empty`);
  }
  (d.namedQuantities ?? []).forEach((q, i) => {
    if (q.quantity && !isInt(q.quantity)) add(`qty-named-${i}-quantity`, `Enter the quantity of ${q.name || 'the named unit'} as a whole number`);
    if (q.quantity && !q.name) add(`qty-named-${i}-name`, 'Enter the name of the unit the quantity is for');
  });
  d.requirements.forEach((r, i) => {
    const n = `requirement ${i + 1}`;
    if (!r.code) add(`req-${i}-code`, `Enter a code for ${n}`);
    if (!r.title.trim()) add(`req-${i}-title`, `Enter a title for ${n}`);
    if (r.priority !== 'MUST' && r.priority !== 'SHOULD') add(`req-${i}-priority`, `Select whether ${n} is a MUST or a SHOULD`);
    if (r.weight && !isInt(r.weight)) add(`req-${i}-weight`, `Enter ${n}'s weight as a whole number from 1 to 100`);
    if (!CRITERION_TYPES.includes(r.type as CriterionType)) add(`req-${i}-type`, `Select what ${n} is checked against`);
    if (r.type === 'KPI' && r.periods && !isInt(r.periods)) add(`req-${i}-periods`, `Enter the number of periods for ${n} as a whole number`);
    if (r.type === 'FRAMEWORK' && r.lots.trim() && !splitLots(r.lots).every((l) => LOT.test(l))) add(`req-${i}-lots`, `Enter ${n}'s lots as a framework code and a lot number, separated by commas, for example HSSF 2, DCS 1`);
  });
  const entries = Object.entries(errors);
  return entries.length ? { errors, errorList: entries.map(([id, message]) => ({ text: message, href: `#${id}` })) } : undefined;
}

const splitLots = (lots: string) => lots.split(/[,;\n]/).map((l) => l.trim()).filter(Boolean);

function toDate(d: Draft): string | undefined {
  if (!isInt(d.day) || !isInt(d.month) || !/^\d{4}$/.test(d.year)) return undefined;
  const iso = `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso ? iso : undefined;
}

const orNull = (value: string) => (value ? value : null);

/** The API's input from a draft that passed checkDraft. */
export function toInput(d: Draft): SpecificationInput {
  return {
    ownerOdsCode: d.ownerOdsCode || null,
    title: d.title,
    frameworkCodes: d.frameworkCodes,
    contractStart: toDate(d)!,
    termMonths: Number(d.termMonths),
    kpis: d.kpis.map((k) => ({ code: k.code, name: k.name, unit: k.unit, direction: k.direction as KpiDirection, target: Number(k.target), measurementPeriod: k.measurementPeriod })),
    requirementSetIds: d.requirementSetIds,
    serviceRecipients: d.recipientChoice === 'SOME' ? d.serviceRecipients ?? [] : [],
    quantities: quantityRows(d).map((q) => ({ unit: q.unit, unitName: q.name ?? null, quantity: Number(q.quantity) })),
    requirements: d.requirements.map((r) => {
      const type = r.type as CriterionType;
      const criterion: CriterionInput = { type };
      if (type === 'CAPABILITY') Object.assign(criterion, { capability: r.capability, minimumAssessment: orNull(r.minimumAssessment) });
      if (type === 'EPIC') criterion.epic = r.epic;
      if (type === 'STANDARD') Object.assign(criterion, { standard: r.standard, allowRemediationPlan: r.allowRemediationPlan });
      if (type === 'CERTIFICATION') criterion.certification = orNull(r.certification) as CertificationType | null;
      if (type === 'DSPT') criterion.minimumDsptStatus = orNull(r.minimumDsptStatus) as DsptStatus | null;
      if (type === 'FRAMEWORK') {
        criterion.frameworks = r.frameworks;
        criterion.lots = splitLots(r.lots).map((l) => LOT.exec(l)!).map((m) => ({ framework: m[1].toUpperCase(), number: Number(m[2]) }));
      }
      if (type === 'INTEGRATION') criterion.integrations = r.integrations as Integration[];
      if (type === 'HOSTING') criterion.hostingTypes = r.hostingTypes as HostingType[];
      if (type === 'KPI') Object.assign(criterion, { kpiCode: r.kpiCode, periods: r.periods ? Number(r.periods) : null });
      return { code: r.code, title: r.title, priority: r.priority as RequirementPriority, weight: r.weight ? Number(r.weight) : 10, criterion };
    }),
  };
}

/** The quantities a draft gives, in the order the input carries them, each with its form field's id. */
export function quantityRows(d: Draft): { unit: PriceUnit; name?: string; quantity: string; id: string }[] {
  return [
    ...QUANTITY_UNITS.filter((u) => d.quantities?.[u.value]).map((u) => ({ unit: u.value, quantity: d.quantities![u.value], id: `qty-${u.value}` })),
    ...(d.namedQuantities ?? []).flatMap((q, i) => (q.quantity ? [{ unit: 'NAMED' as PriceUnit, name: q.name, quantity: q.quantity, id: `qty-named-${i}-${q.name ? 'quantity' : 'name'}` }] : [])),
  ];
}

/**
 * The form's field id for a field the API named: `input.requirements.0.criterion.capability` and
 * `requirements.0.criterion` (a whole criterion: its type's first field) both point at `req-0-capability`.
 */
export function formFieldOf(field: string, d: Draft): string {
  const f = field.replace(/^input\./, '');
  let m = /^kpis\.(\d+)\.(\w+)/.exec(f);
  if (m) return `kpi-${m[1]}-${m[2]}`;
  m = /^requirements\.(\d+)\.criterion(?:\.(\w+))?/.exec(f);
  if (m) {
    const type = d.requirements[Number(m[1])]?.type as CriterionType | undefined;
    return `req-${m[1]}-${m[2] ?? (type && FIRST_FIELD[type]) ?? 'type'}`;
  }
  m = /^requirements\.(\d+)\.(\w+)/.exec(f);
  if (m) return `req-${m[1]}-${m[2]}`;
  if (f.startsWith('serviceRecipients')) return 'serviceRecipients';
  m = /^quantities\.(\d+)\.(\w+)/.exec(f);
  if (m) {
    const row = quantityRows(d)[Number(m[1])];
    return row ? (m[2] === 'unitName' && row.unit === 'NAMED' ? row.id.replace(/quantity$/, 'name') : row.id) : 'qty-PER_USER';
  }
  if (f.startsWith('contractStart')) return 'contractStart-day';
  if (f.startsWith('frameworkCodes')) return 'frameworkCodes';
  if (f.startsWith('requirementSetIds')) return 'requirementSetIds';
  if (f === 'termMonths') return 'termMonths';
  return f === 'title' || f === '' ? 'title' : f;
}

/** How a criterion reads in a summary: "Capability C5, partly passed or better". */
export function describeCriterion(r: RequirementRow, frameworks: Map<string, string>): string {
  const labels = (options: { value: string; text: string }[], values: string[]) => values.map((v) => options.find((o) => o.value === v)?.text ?? v).join(', ');
  switch (r.type) {
    case 'CAPABILITY': return `Capability ${r.capability}${r.minimumAssessment ? `, ${labels(ASSESSMENTS, [r.minimumAssessment]).toLowerCase()}` : ''}`;
    case 'EPIC': return `Epic ${r.epic}`;
    case 'STANDARD': return `Standard ${r.standard}${r.allowRemediationPlan ? ', or a remediation plan due by contract start' : ''}`;
    case 'CERTIFICATION': return `${labels(CERTIFICATIONS, [r.certification]) || 'A certification'} valid for the whole term`;
    case 'DSPT': return `DSPT status ${labels(DSPT_STATUSES, [r.minimumDsptStatus]) || '(none chosen)'} or better`;
    case 'FRAMEWORK': return `Awarded on ${[...r.frameworks.map((c) => frameworks.get(c) ?? c), ...splitLots(r.lots)].join(', ') || '(none chosen)'}`;
    case 'INTEGRATION': return `Integrations: ${labels(INTEGRATIONS, r.integrations) || '(none chosen)'}`;
    case 'HOSTING': return `Hosting: ${labels(HOSTING_TYPES, r.hostingTypes) || '(none chosen)'}`;
    case 'KPI': return `KPI ${r.kpiCode} met in the last ${r.periods || '3'} reported periods`;
    default: return '(not chosen)';
  }
}
