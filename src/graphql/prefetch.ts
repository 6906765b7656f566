import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { joinSql, queryRowsPrepared, rawSql, sql, type LeanTable, type SqlFragment } from '../common/sql.js';
import type { ForeignKeyRelation } from './loader-utils.js';

/**
 * One statement instead of one per relation. A resolver returning parents (a page of suppliers, one
 * supplier) looks at what the query selects under them and reads every selected one-to-many
 * relation, nested ones included, as json arrays beside the parents, in the same statement; the
 * relations' loaders are primed with those rows, so the field resolvers (and every rule they apply
 * on visibility and validity) run unchanged and find their rows already loaded.
 *
 * Each relation carries all its rows, whatever their status, exactly as its loader would return them.
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

interface Chosen {
  spec: Prefetch;
  column: string;
  children: Chosen[];
}

function choose(specs: Prefetch[], fields: Map<string, FieldNode[]>, fragments: Record<string, FragmentDefinitionNode>): Chosen[] {
  const chosen: Chosen[] = [];
  for (const spec of specs) {
    const nodes = spec.fields.flatMap((f) => fields.get(f) ?? []);
    if (!nodes.length) continue;
    const children = spec.children?.length ? choose(spec.children, fieldsOf(nodes, fragments), fragments) : [];
    chosen.push({ spec, column: `__r${chosen.length}`, children });
  }
  return chosen;
}

/** The chosen relations as json subqueries correlated to `parentAlias`; named (for a plain row) at the top level only. */
function jsonColumns(chosen: Chosen[], parentAlias: string, depth: number): SqlFragment[] {
  return chosen.map((c, i) => {
    const alias = `pf${depth}_${i}`;
    const nested = jsonColumns(c.children, alias, depth + 1);
    const json = c.spec.relation.json(rawSql(`${parentAlias}."${c.spec.parentColumn}"`), alias, nested);
    return depth === 0 ? sql`${json} AS ${rawSql(`"${c.column}"`)}` : json;
  });
}

/** Primes the chosen relations from a parent row: a plain row (named columns) or a jsonRows row (positions). */
function prime(chosen: Chosen[], parent: Record<string, unknown> | unknown[], parentTable?: LeanTable<unknown>): void {
  chosen.forEach((c, i) => {
    const key = Array.isArray(parent) ? parent[parentTable!.indexOf(c.spec.parentColumn)] : parent[c.spec.parentColumn];
    const rows = ((Array.isArray(parent) ? parent[parentTable!.width + i] : parent[c.column]) ?? []) as unknown[][];
    if (key == null) return;
    c.spec.relation.prime(String(key), rows);
    if (c.children.length) for (const row of rows) prime(c.children, row, c.spec.relation.table as LeanTable<unknown>);
  });
}

/**
 * Reads the parents of `table` the condition (on alias `p`) selects, with the selected relations,
 * in one statement; primes the relations' loaders and returns the parents (lean rows).
 */
export async function readWithRelations<T>(
  em: EntityManager,
  table: LeanTable<T>,
  where: SqlFragment,
  info: { fields: Map<string, FieldNode[]>; fragments: Record<string, FragmentDefinitionNode> },
  specs: Prefetch[],
): Promise<T[]> {
  const chosen = choose(specs, info.fields, info.fragments);
  const extra = jsonColumns(chosen, 'p', 0);
  const rows = await queryRowsPrepared(em, sql`SELECT ${joinSql([table.columns('p'), ...extra], ', ')} FROM ${rawSql(table.table)} p WHERE ${where}`);
  return rows.map((row) => {
    prime(chosen, row);
    return table.map(row);
  });
}

/**
 * The selected relations as extra columns of a statement that reads parents (aliased `alias`), and
 * how to prime their loaders from each row it returns: for a statement built elsewhere (a filtered
 * page), so that the page and its relations are one statement.
 */
export function relationColumns(
  alias: string,
  info: { fields: Map<string, FieldNode[]>; fragments: Record<string, FragmentDefinitionNode> },
  specs: Prefetch[],
): { columns: SqlFragment[]; prime(row: Record<string, unknown>): void } {
  const chosen = choose(specs, info.fields, info.fragments);
  return { columns: jsonColumns(chosen, alias, 0), prime: (row) => prime(chosen, row) };
}

/**
 * For parents already read (a page): reads the selected relations of all of them in one statement
 * and primes their loaders. No statement when nothing selected needs one.
 */
export async function prefetchRelations(
  em: EntityManager,
  table: LeanTable<unknown>,
  ids: string[],
  info: { fields: Map<string, FieldNode[]>; fragments: Record<string, FragmentDefinitionNode> },
  specs: Prefetch[],
): Promise<void> {
  if (!ids.length) return;
  const chosen = choose(specs, info.fields, info.fragments);
  if (!chosen.length) return;
  const columns = [...new Set(chosen.map((c) => c.spec.parentColumn))].map((c) => rawSql(`p."${c}"`));
  const rows = await queryRowsPrepared(em, sql`SELECT ${joinSql([...columns, ...jsonColumns(chosen, 'p', 0)], ', ')} FROM ${rawSql(table.table)} p WHERE p.id IN (${ids})`);
  for (const row of rows) prime(chosen, row);
}
