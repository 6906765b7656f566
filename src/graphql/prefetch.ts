import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { joinSql, queryRowsPrepared, rawSql, sql, SqlFragment, type LeanTable, type RowShape } from '../common/sql.js';
import { propsReadBy, rowPropsReadBy } from './reads.js';
import type { ForeignKeyRelation, NodeGroup } from './loader-utils.js';

/**
 * One statement instead of one per relation. A resolver returning parents (a page of suppliers, one
 * supplier) looks at what the query selects under them and reads every selected one-to-many
 * relation, nested ones included, as json arrays beside the parents, in the same statement; the
 * relations' loaders are primed with those rows, so the field resolvers (and every rule they apply
 * on visibility and validity) run unchanged and find their rows already loaded.
 *
 * Each relation carries all its rows, whatever their status, as its loader would return them. When
 * everything the query does with a relation's rows is known (graphql/reads.ts), only those columns
 * are read, and such rows are given only to the fields they were read for; otherwise every column,
 * and the loader itself is primed.
 */
export interface Prefetch {
  /** The parent's fields served by this relation's loader (any of them selected reads it). */
  fields: string[];
  relation: ForeignKeyRelation<any>;
  /** The parent's column the relation's foreign key refers to (`id`, `ods_code`). */
  parentColumn: string;
  /** Relations of the child rows, read when selected under one of `fields`. */
  children?: Prefetch[];
}

/** The fields selected under the resolver's field, then under `path` (e.g. edges, node), through fragments. */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Map<string, FieldNode[]> {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) nodes = fieldsOf(nodes, info.fragments).get(name) ?? [];
  return fieldsOf(nodes, info.fragments);
}

function fieldsOf(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const list = out.get(sel.name.value);
        if (list) list.push(sel);
        else out.set(sel.name.value, [sel]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        visit(fragments[sel.name.value]?.selectionSet);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet);
  return out;
}

/**
 * A relation a selection chose: its place in the specs list (and so in every request's list), its
 * column, its chosen children, and, when everything the selection does with its rows is known
 * (graphql/reads.ts), the columns that is (otherwise every column).
 */
interface Chosen {
  spec: number;
  column: string;
  children: Chosen[];
  /** The parent's fields this relation was read for (every alias): only they are given rows of some columns. */
  group: NodeGroup;
  shape?: RowShape<unknown>;
}

/** Reads of some columns on (the default) or off: off, every relation is read whole, as before (a test compares the two). */
export const columnChoice = { on: true };

function choose(specs: Prefetch[], parent: Function, fields: Map<string, FieldNode[]>, fragments: Record<string, FragmentDefinitionNode>, mayPrune = true): Chosen[] {
  // A field beside the relations that may use their loaders (one whose reads are not known, such as a
  // supplier's attention list) must find every column there: then no relation here or under here is
  // read in part.
  const relationFields = new Set(specs.flatMap((s) => s.fields));
  const besideKnown = columnChoice.on && mayPrune && [...fields.keys()].every((f) => relationFields.has(f) || propsReadBy(parent, f) !== undefined);
  const chosen: Chosen[] = [];
  specs.forEach((spec, i) => {
    const nodes = spec.fields.flatMap((f) => fields.get(f) ?? []);
    if (!nodes.length) return;
    const under = fieldsOf(nodes, fragments);
    const children = spec.children?.length ? choose(spec.children, spec.relation.table.entity, under, fragments, besideKnown) : [];
    chosen.push({ spec: i, column: `__r${chosen.length}`, children, group: { nodes: new Set(nodes) }, shape: besideKnown ? shapeFor(spec, parent, fields, under, children) : undefined });
  });
  return chosen;
}

/**
 * The columns of a relation's rows that the selection needs: what the relation always needs (id,
 * foreign key, its order), what the parent's fields read of the rows to choose them, what each
 * field selected on the rows reads, and the keys of the relations nested under them. Undefined
 * (every column) as soon as one of them is not known, or when that is every column anyway.
 */
function shapeFor(spec: Prefetch, parent: Function, fields: Map<string, FieldNode[]>, under: Map<string, FieldNode[]>, children: Chosen[]): RowShape<unknown> | undefined {
  const { table, reads } = spec.relation;
  if (!reads) return undefined;
  const needed = new Set<string>(reads);
  const add = (props: readonly string[] | undefined) => {
    if (!props) return false;
    for (const p of props) needed.add(p);
    return true;
  };
  for (const f of spec.fields) if (fields.has(f) && !add(rowPropsReadBy(parent, f))) return undefined;
  for (const name of under.keys()) if (!add(propsReadBy(table.entity, name))) return undefined;
  for (const c of children) needed.add(table.propertyOf(spec.children![c.spec].parentColumn));
  for (const p of needed) if (!table.has(p)) return undefined;
  return needed.size < table.width ? table.subset([...needed]) : undefined;
}

/** The chosen relations as json subqueries correlated to `parentAlias`; named (for a plain row) at the top level only. */
function jsonColumns(chosen: Chosen[], specs: Prefetch[], parentAlias: string, depth: number): SqlFragment[] {
  return chosen.map((c, i) => {
    const spec = specs[c.spec];
    const alias = `pf${depth}_${i}`;
    const nested = jsonColumns(c.children, spec.children ?? [], alias, depth + 1);
    const json = spec.relation.json(rawSql(`${parentAlias}."${spec.parentColumn}"`), alias, nested, c.shape);
    return depth === 0 ? sql`${json} AS ${rawSql(`"${c.column}"`)}` : json;
  });
}

/**
 * Primes this request's loaders of the chosen relations from a parent row: a plain row (named
 * columns) or a jsonRows row (positions). Rows of every column prime the loader for everyone; rows
 * of some columns only are held for the fields they were read for.
 */
function prime(chosen: Chosen[], specs: Prefetch[], parent: Record<string, unknown> | unknown[], parentShape?: RowShape<unknown>): void {
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i];
    const spec = specs[c.spec];
    const key = Array.isArray(parent) ? parent[parentShape!.indexOf(spec.parentColumn)] : parent[spec.parentColumn];
    const rows = ((Array.isArray(parent) ? parent[parentShape!.width + i] : parent[c.column]) ?? []) as unknown[][];
    if (key == null) continue;
    if (c.shape) spec.relation.primeFor(c.group, String(key), rows, c.shape);
    else spec.relation.prime(String(key), rows);
    if (c.children.length) for (const row of rows) prime(c.children, spec.children!, row, c.shape ?? (spec.relation.table as RowShape<unknown>));
  }
}

/**
 * What a selection chose and the json columns that read it, worked out once per field of a parsed
 * document (Apollo keeps one parsed document per query text, graphql-jit one compiled query per
 * document): the same query asked again builds no SQL. The columns depend on the specs' shapes
 * only (tables, keys, order, conditions), which are the same on every request; priming uses each
 * request's own loaders, found by position.
 */
interface Planned {
  chosen: Chosen[];
  columns: SqlFragment[];
  /** Whole statements built from these columns, by the text of their condition. */
  statements: Map<string, { text: string; params: unknown[] }>;
}
// By operation, then field: a field inside a fragment is one node wherever the fragment is spread,
// and two operations of a document may select different things beside it.
const plans = new WeakMap<OperationDefinitionNode, WeakMap<FieldNode, Map<string, Planned>>>();

function planned(info: GraphQLResolveInfo, path: string[], alias: string, parent: LeanTable<unknown>, specs: Prefetch[]): Planned {
  let byNode = plans.get(info.operation);
  if (!byNode) plans.set(info.operation, (byNode = new WeakMap()));
  const node = info.fieldNodes[0];
  let byPlace = byNode.get(node);
  if (!byPlace) byNode.set(node, (byPlace = new Map()));
  const place = path.length ? `${alias}|${path.join('.')}` : alias;
  let plan = byPlace.get(place);
  if (!plan) {
    const chosen = choose(specs, parent.entity, selectedFields(info, path), info.fragments);
    byPlace.set(place, (plan = { chosen, columns: jsonColumns(chosen, specs, alias, 0), statements: new Map() }));
  }
  return plan;
}

/**
 * Reads the parents of `table` the condition (on alias `p`) selects, with the relations selected
 * under the resolver's field, in one statement; primes the relations' loaders and returns the
 * parents (lean rows). The condition's text must not vary between requests (its values are bound).
 */
export async function readWithRelations<T>(em: EntityManager, table: LeanTable<T>, where: SqlFragment, info: GraphQLResolveInfo, specs: Prefetch[]): Promise<T[]> {
  const plan = planned(info, [], 'p', table as LeanTable<unknown>, specs);
  let statement = plan.statements.get(where.text);
  if (!statement) {
    const built = sql`SELECT ${joinSql([table.columns('p'), ...plan.columns], ', ')} FROM ${rawSql(table.table)} p WHERE ${rawSql(where.text)}`;
    plan.statements.set(where.text, (statement = { text: built.text, params: built.params }));
  }
  const rows = await queryRowsPrepared(em, new SqlFragment(statement.text, where.params.length ? [...statement.params, ...where.params] : statement.params));
  return rows.map((row) => {
    prime(plan.chosen, specs, row);
    return table.map(row);
  });
}

/**
 * The relations selected under `path` of the resolver's field as extra columns of a statement that
 * reads parents (aliased `alias`), and how to prime their loaders from each row it returns: for a
 * statement built elsewhere (a filtered page), so that the page and its relations are one statement.
 */
export function relationColumns(
  alias: string,
  parent: LeanTable<unknown>,
  info: GraphQLResolveInfo,
  path: string[],
  specs: Prefetch[],
): { columns: SqlFragment[]; prime(row: Record<string, unknown>): void } {
  const plan = planned(info, path, alias, parent, specs);
  return { columns: plan.columns, prime: (row) => prime(plan.chosen, specs, row) };
}
