import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isLeafType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { LIMITS, LimitCode } from '../common/limits.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CatalogueSizes, ReferenceSnapshot } from '../modules/reference/reference-cache.js';
import { auditEventCounts } from '../modules/audit/audit.store.js';
import { requirementCounts } from '../modules/specification/specification.store.js';
import { supplierListSizes } from '../modules/supplier/supplier.store.js';
import { KPI_BATCH_LIMIT } from '../modules/evidence/evidence.inputs.js';
import { ChecklistItem } from '../modules/practice/practice.types.js';
import { MAX_EVIDENCE_FIELDS } from '../modules/evidence/evidence.types.js';
import { MAX_SHORTLIST_ENTRIES } from '../modules/shortlist/shortlist.inputs.js';
import { SPECIFICATION_LIMITS } from '../modules/specification/specification.inputs.js';
import { MAX_PAGE_SIZE } from './connection.js';
import { ALL_KINDS } from '../modules/notification/notification.kinds.js';
import { MAX_WEBHOOKS_PER_OWNER } from '../modules/webhook/webhook.types.js';
import { MAX_TIERS } from '../modules/price/price.entity.js';
import { MAX_DOCUMENTS_PER_EVIDENCE } from '../modules/document/document.types.js';
import { MAX_CRITERIA } from '../modules/competition/competition.inputs.js';

/**
 * What an operation may cost before it runs, in fields answered: a field costs 1, and the fields
 * under a list cost once per item the list may hold. A page holds `first` items (checked here to be
 * 1 to 100, literal or variable, at any depth, so no multiplier is ever zero or negative). A list
 * returned whole is priced by its real upper bound: the reference catalogue's counts, the caps of the
 * inputs that write it, or else the longest such list in the catalogue now (refreshed every minute
 * and soon after any committed write, with headroom). Counting (`totalCount`) and
 * filtering are priced by the rows they read. The estimate is an upper bound on the fields in the
 * answer; the fuzz test checks that property.
 */
export const COST_LIMIT = LIMITS.maxCost;

/** A page's rows read for a count or a filter, per 10 rows in the table. */
const ROWS_PER_COST_UNIT = 10;
/** Introspection is priced flat: it answers the whole schema. */
const INTROSPECTION_COST = 5_000;


/** The most items each list the API returns whole may hold: `Type.field` -> items. */
export type ListBounds = Record<string, number>;
/** The rows behind each connection (what its count and its filters read): `Type.field` -> rows. */
export type ConnectionRows = Record<string, number>;

function largestGroup<T>(rows: Iterable<T>, key: (row: T) => string): number {
  const counts = new Map<string, number>();
  let max = 0;
  for (const row of rows) {
    const n = (counts.get(key(row)) ?? 0) + 1;
    counts.set(key(row), n);
    if (n > max) max = n;
  }
  return max;
}

/**
 * Every list of objects without a `first` argument, with its bound. A new list field must be added
 * here: the schema test fails for any list the table does not price.
 */
export function listBounds(ref: ReferenceSnapshot): ListBounds {
  const s = ref.sizes;
  const idOf = (e: unknown) => (e as { id: string } | undefined)?.id ?? '';
  return {
    'Query.capabilities': ref.capabilities.size,
    'Query.frameworks': ref.frameworks.size,
    'Query.standards': ref.standards.size,
    'Query.requirementSets': s.requirementSets,
    'Query.auditTrail': s.auditEventsPerRecord,
    'NotificationPreferences.kinds': ALL_KINDS.length,
    'Query.webhooks': MAX_WEBHOOKS_PER_OWNER,
    'EvidenceItem.fields': MAX_EVIDENCE_FIELDS,
    // Uploads refuse a document past the cap.
    'EvidenceItem.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'Certification.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'DsptAssessment.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'CapabilityAssessment.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'EpicAssessment.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'StandardCompliance.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'KpiReport.documents': MAX_DOCUMENTS_PER_EVIDENCE,
    'Capability.epics': largestGroup(ref.epics.values(), (e) => idOf(e.capability)),
    // A criterion names lots by framework and number; the service refuses ones that do not exist.
    'Criterion.lots': ref.lots.size,
    'Framework.lots': largestGroup(ref.lots.values(), (l) => idOf(l.framework)),
    'Organisation.children': s.childrenPerOrganisation,
    'Solution.lots': Math.min(ref.lots.size, s.lotsPerSolution),
    'Solution.capabilities': Math.min(ref.capabilities.size, s.capabilitiesPerSolution),
    'Solution.epics': Math.min(ref.epics.size, s.epicsPerSolution),
    'Solution.standards': Math.min(ref.standards.size, s.standardsPerSolution),
    'Supplier.certifications': s.certificationsPerSupplier,
    'Supplier.dsptHistory': s.dsptPerOdsCode,
    'Supplier.frameworkAwards': s.awardsPerSupplier,
    'Supplier.kpiReports': s.kpiReportsPerSupplier,
    'Mutation.submitKpiReports': KPI_BATCH_LIMIT,
    'Supplier.solutions': s.solutionsPerSupplier,
    'Supplier.profileChanges': s.profileChangesPerSupplier,
    // At most: each certificate rejected or expiring, each DSPT and KPI report rejected, each KPI code due, each claim rejected, the DSPT due, the profile.
    'Supplier.attention': attentionBound(s, { certifications: s.certificationsPerSupplier, dspt: s.dsptPerOdsCode, kpiReports: s.kpiReportsPerSupplier }),
    'RequirementSet.requirements': s.requirementsPerSet,
    // A specification's write records its lengths at once (growSize), so its next match is priced by them.
    'ServiceSpecification.requirements': s.requirementsPerSpecification,
    'ServiceSpecification.kpis': Math.min(SPECIFICATION_LIMITS.kpis, s.kpisPerSpecification),
    'ServiceSpecification.requirementSets': Math.min(SPECIFICATION_LIMITS.requirementSets, s.setsPerSpecification),
    'SupplierMatch.outcomes': s.requirementsPerSpecification,
    // A KPI outcome cites at most the 24 periods a criterion may ask for; the others one record.
    'RequirementOutcome.evidence': 24,
    'Shortlist.entries': MAX_SHORTLIST_ENTRIES,
    'DirectProcurementOption.checks': Object.keys(ChecklistItem).length,
    // A submit records the solution's new length at once (growSize); a cost has a line per item at most.
    'Solution.prices': s.pricesPerSolution,
    'SolutionPrice.tiers': MAX_TIERS,
    'MatchCost.lines': s.pricesPerSolution,
    'CostLine.tiers': MAX_TIERS,
    // Named recipients are practices under the owner: never more than the most under any organisation.
    'ServiceSpecification.serviceRecipients': s.practicesPerOrganisation,
    'ServiceSpecification.quantities': SPECIFICATION_LIMITS.quantities,
    // A competition's solutions are its shortlist's included entries; its criteria are capped at creation.
    'Competition.criteria': MAX_CRITERIA,
    // A create records the shortlist's new number at once (growSize).
    'Shortlist.competitions': s.competitionsPerShortlist,
    'Competition.results': MAX_SHORTLIST_ENTRIES,
    'CompetitionResult.criteria': MAX_CRITERIA,
    // One latest score per solution × criterion.
    'Competition.myScores': MAX_SHORTLIST_ENTRIES * MAX_CRITERIA,
  };
}

/** At most: each certificate rejected or expiring, each DSPT and KPI report rejected, each KPI code due, each claim rejected, the DSPT due, the profile. */
function attentionBound(s: CatalogueSizes, own: { certifications: number; dspt: number; kpiReports: number }): number {
  return 2 * own.certifications + own.dspt + 2 * own.kpiReports + 2 + s.solutionsPerSupplier * (s.capabilitiesPerSolution + s.epicsPerSolution + s.standardsPerSolution);
}

/** A record's own count, with the headroom the catalogue's sizes get (it may grow before the read). */
const own = (n: number) => Math.ceil(n * 1.1) + 2;

/**
 * The bounds below each root field naming one record, from that record's own sizes (one statement per
 * kind of record named). A record that does not exist keeps the catalogue's bounds (and is then not found).
 */
export async function scopedBoundsFor(em: EntityManager, roots: readonly ScopedRoot[], sizes: CatalogueSizes): Promise<Map<string, ListBounds>> {
  const ofKind = (kind: ScopedRoot['kind']) => roots.filter((r) => r.kind === kind);
  const [specifications, suppliers, audits] = await Promise.all([
    ofKind('specification').length ? requirementCounts(em, ofKind('specification').map((r) => r.id)) : undefined,
    ofKind('supplier').length ? supplierListSizes(em, ofKind('supplier').map((r) => r.id)) : undefined,
    ofKind('audit').length ? auditEventCounts(em, ofKind('audit').filter((r) => r.entity).map((r) => ({ entity: r.entity!, id: r.id }))) : undefined,
  ]);
  const scoped = new Map<string, ListBounds>();
  for (const root of roots) {
    if (root.kind === 'specification') {
      const n = specifications?.get(root.id);
      if (n !== undefined) scoped.set(scopeKey(root), { 'ServiceSpecification.requirements': own(n), 'SupplierMatch.outcomes': own(n) });
    } else if (root.kind === 'supplier') {
      const l = suppliers?.get(root.id);
      if (l) {
        scoped.set(scopeKey(root), {
          'Supplier.certifications': own(l.certifications), 'Supplier.dsptHistory': own(l.dspt), 'Supplier.kpiReports': own(l.kpiReports),
          'Supplier.profileChanges': own(l.profileChanges),
          'Supplier.attention': attentionBound(sizes, { certifications: own(l.certifications), dspt: own(l.dspt), kpiReports: own(l.kpiReports) }),
        });
      }
    } else if (root.entity) {
      // No row yet is zero events: the trail is then priced as empty (plus headroom).
      scoped.set(scopeKey(root), { 'Query.auditTrail': own(audits?.get(`${root.entity}:${root.id}`) ?? 0) });
    }
  }
  return scoped;
}

export function connectionRows(ref: ReferenceSnapshot): ConnectionRows {
  const s = ref.sizes;
  return {
    'Query.suppliers': s.suppliers,
    'Framework.suppliers': s.suppliers,
    'Query.solutions': s.solutions,
    'Capability.solutions': s.solutions,
    'Query.matchSuppliers': s.solutions,
    'Query.organisations': s.organisations,
    'Query.evidenceQueue': s.evidence,
    'Query.frameworkAwards': s.suppliers * Math.max(1, s.awardsPerSupplier),
    'Query.specifications': s.specifications,
  };
}

export interface CostInput {
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  bounds: ListBounds;
  rows: ConnectionRows;
  /**
   * The bounds of the lists under a root field that names one record, by that record's own sizes:
   * `scopeKey(...)` -> bounds. A specification's requirements and its match's outcomes, a supplier's
   * certificates and KPI reports, a record's audit trail are priced by their own length, not the
   * longest of their kind in the catalogue (which would let one tenant's volume price every other
   * tenant's reads out).
   */
  scopedBounds?: ReadonlyMap<string, ListBounds>;
}

/** A root field that names one record: the kind of record, and the id (and entity) it names. */
export interface ScopedRoot {
  kind: 'specification' | 'supplier' | 'audit';
  id: string;
  entity?: string;
}
export const scopeKey = (root: ScopedRoot) => `${root.kind}:${root.entity ?? ''}:${root.id.toLowerCase()}`;

/** Root fields that name one record, and how to read it from their arguments. */
const SCOPED_ROOTS: Record<string, (arg: (name: string) => unknown) => Omit<ScopedRoot, 'id'> & { id: unknown }> = {
  specification: (arg) => ({ kind: 'specification', id: arg('id') }),
  matchSuppliers: (arg) => ({ kind: 'specification', id: arg('specificationId') }),
  supplier: (arg) => ({ kind: 'supplier', id: arg('id') }),
  auditTrail: (arg) => ({ kind: 'audit', id: arg('id'), entity: typeof arg('entity') === 'string' ? (arg('entity') as string) : undefined }),
};
/** The most records one operation's pricing looks up. */
const MAX_SCOPED_LOOKUPS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The records an operation's root fields name (a specification, a supplier, an audited record), literal
 * or variable; at most ten, each by a UUID. Only queries: a mutation's answer is priced as before.
 */
export function scopedRootsIn(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): ScopedRoot[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.operation !== 'query') return [];
  const roots = new Map<string, ScopedRoot>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !SCOPED_ROOTS[selection.name.value]) continue;
    const arg = (name: string): unknown => {
      const node = selection.arguments?.find((a) => a.name.value === name)?.value;
      if (node?.kind === Kind.STRING || node?.kind === Kind.ENUM) return node.value;
      if (node?.kind === Kind.VARIABLE && variables && Object.hasOwn(variables, node.name.value)) return variables[node.name.value];
      return undefined;
    };
    const root = SCOPED_ROOTS[selection.name.value](arg);
    if (typeof root.id === 'string' && UUID.test(root.id)) {
      const scoped = { ...root, id: root.id.toLowerCase() } as ScopedRoot;
      roots.set(scopeKey(scoped), scoped);
    }
    if (roots.size >= MAX_SCOPED_LOOKUPS) break;
  }
  return [...roots.values()];
}

const badPage = (field: string, value: unknown) =>
  new GraphQLError(`${field} must be between 1 and ${MAX_PAGE_SIZE} (got ${typeof value === 'number' || value === null ? String(value) : JSON.stringify(value)}).`, {
    extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE', field, http: { status: 400 } },
  });

type Fields = Record<string, GraphQLField<unknown, unknown>>;
const fieldsOf = (type: GraphQLNamedType | undefined): Fields | undefined =>
  type && 'getFields' in type ? (type.getFields() as Fields) : undefined;

/** Leaf values in an argument (each list element and object field one term): what a filter asks the database to do. */
function terms(value: unknown, depth = 0): number {
  if (value === null || value === undefined || depth > 8) return 0;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + terms(v, depth + 1), 0);
  if (typeof value === 'object') return Object.values(value).reduce<number>((n, v) => n + terms(v, depth + 1), 0);
  return 1;
}

/**
 * The operation's cost; throws BAD_USER_INPUT for a page size outside 1 to 100 anywhere in it.
 * Fragments are costed once per type they are spread into, so a fan-out of spreads (2^17 copies of
 * one field) is priced, not expanded.
 */
/** The bounds that hold below a root field naming one record. */
type Scope = { key: string; bounds: ListBounds };

export function estimateCost(schema: GraphQLSchema, document: DocumentNode, input: CostInput): number {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!input.operationName || d.name?.value === input.operationName),
  );
  if (!operation) return 0;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const variables = input.variables ?? {};
  const defaults = new Map(operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]) ?? []);

  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    switch (node.kind) {
      case Kind.VARIABLE: {
        const name = node.name.value;
        // Own keys only: a variable named `valueOf` or `constructor` must not read Object.prototype.
        if (Object.hasOwn(variables, name)) return variables[name];
        return valueOf(defaults.get(name) ?? undefined);
      }
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.STRING:
      case Kind.ENUM:
        return node.value;
      case Kind.BOOLEAN:
        return node.value;
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return node.values.map(valueOf);
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value)]));
    }
  };

  /** An argument's value as the resolver will see it: an omitted one takes its default, an explicit null stays null. */
  const argument = (field: FieldNode, def: GraphQLField<unknown, unknown>, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name);
    const value = node ? valueOf(node.value) : undefined;
    return value === undefined ? def.args.find((a) => a.name === name)?.defaultValue : value;
  };

  const pageSize = (field: FieldNode, def: GraphQLField<unknown, unknown>, path: string): number | undefined => {
    let size: number | undefined;
    for (const name of ['first', 'last']) {
      if (!def.args.some((a) => a.name === name)) continue;
      const value = argument(field, def, name);
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) throw badPage(`${path}.${name}`, value);
      size = Math.max(size ?? 0, value);
    }
    return size;
  };

  const memo = new Map<string, number>();
  // A fragment cycle is a validation error already; it must not recurse here.
  const visiting = new Set<string>();

  const costOf = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, path: string, depth: number, scope?: Scope): number => {
    const fields = fieldsOf(parent);
    if (!set || !parent || !fields || depth > 20) return 0;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? parent) : parent;
        total += costOf(selection.selectionSet, type, path, depth, scope);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        const key = `${fragment.name.value}@${parent.name}@${scope?.key ?? ''}`;
        let cost = memo.get(key);
        if (cost === undefined) {
          visiting.add(fragment.name.value);
          cost = costOf(fragment.selectionSet, type, path, depth, scope);
          visiting.delete(fragment.name.value);
          memo.set(key, cost);
        }
        total += cost;
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') {
        total += 1;
        continue;
      }
      if (name === '__schema' || name === '__type') {
        total += INTROSPECTION_COST;
        continue;
      }
      const def = fields[name];
      if (!def) continue;
      const key = `${parent.name}.${name}`;
      const fieldPath = path ? `${path}.${selection.alias?.value ?? name}` : (selection.alias?.value ?? name);
      const child = getNamedType(def.type);
      // Under (or at) a root field that names one record, that record's own sizes bound its lists.
      let inner = scope;
      if (depth === 0 && SCOPED_ROOTS[name]) {
        const root = SCOPED_ROOTS[name]((arg) => argument(selection, def, arg));
        const rootKey = typeof root.id === 'string' ? scopeKey({ ...root, id: root.id } as ScopedRoot) : undefined;
        const bounds = rootKey ? input.scopedBounds?.get(rootKey) : undefined;
        inner = bounds ? { key: rootKey!, bounds } : undefined;
      }
      const page = pageSize(selection, def, fieldPath);
      if (page !== undefined && child.name.endsWith('Connection')) {
        total += 1 + connectionCost(selection, def, child, key, page, fieldPath, depth, inner);
        continue;
      }
      const nullable = getNullableType(def.type);
      const bound = inner?.bounds[key] ?? input.bounds[key] ?? maxBound;
      const items = isListType(nullable) ? (page ?? (isLeafType(child) ? 1 : bound)) : 1;
      total += 1 + items * costOf(selection.selectionSet, child, fieldPath, depth + 1, inner);
    }
    return total;
  };

  const maxBound = Math.max(100, ...Object.values(input.bounds));

  /** A page of `page` edges; its count and filters priced by the rows they read. */
  const connectionCost = (
    field: FieldNode,
    def: GraphQLField<unknown, unknown>,
    type: GraphQLNamedType,
    key: string,
    page: number,
    path: string,
    depth: number,
    scope: Scope | undefined,
  ): number => {
    const rowUnits = Math.ceil((input.rows[key] ?? maxBound) / ROWS_PER_COST_UNIT);
    const filterTerms = def.args
      .filter((a) => !['first', 'last', 'after', 'before'].includes(a.name))
      .reduce((n, a) => n + terms(field.arguments?.find((x) => x.name.value === a.name) ? argument(field, def, a.name) : undefined), 0);
    let total = filterTerms * rowUnits;
    const fields = fieldsOf(type)!;
    const walk = (set: SelectionSetNode): number => {
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) cost += walk(selection.selectionSet);
        else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visiting.has(fragment.name.value)) continue;
          const memoKey = `${fragment.name.value}@${key}@${page}@${filterTerms}@${scope?.key ?? ''}`;
          let part = memo.get(memoKey);
          if (part === undefined) {
            visiting.add(fragment.name.value);
            part = walk(fragment.selectionSet);
            visiting.delete(fragment.name.value);
            memo.set(memoKey, part);
          }
          cost += part;
        } else if (selection.name.value === 'totalCount') cost += 1 + rowUnits * (1 + filterTerms);
        else if (selection.name.value === 'edges') cost += 1 + page * costOf(selection.selectionSet, getNamedType(fields.edges.type), `${path}.edges`, depth + 1, scope);
        else cost += costOf({ kind: Kind.SELECTION_SET, selections: [selection] }, type, path, depth + 1, scope);
      }
      return cost;
    };
    return total + (field.selectionSet ? walk(field.selectionSet) : 0);
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  return costOf(operation.selectionSet, root ?? undefined, '', 0);
}

export const tooCostly = (cost: number) =>
  new GraphQLError(
    `The query would cost ${cost} (a list costs the items it may hold times their fields; counts and filters the rows they read); the limit is ${COST_LIMIT}. Ask for fewer items or fields.`,
    { extensions: { code: LimitCode.QUERY_TOO_COSTLY, limit: COST_LIMIT, actual: cost, http: { status: 400 } } },
  );
