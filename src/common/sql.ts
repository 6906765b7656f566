import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { countStatement } from './request-scope.js';

/**
 * A raw SQL fragment with its parameters, for the set-wise catalogue queries the ORM's query
 * language cannot express (correlated EXISTS, windowed pages, full-text). Parameters are always
 * bound through `?` placeholders, never spliced into the text.
 */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: unknown[] = [],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) {
      text += value.text;
      params.push(...value.params);
    } else if (Array.isArray(value)) {
      // `IN (?)`-style lists: one placeholder per element (an empty list is the caller's bug).
      if (value.length === 0) throw new Error('empty list in SQL fragment');
      text += value.map(() => '?').join(', ');
      params.push(...value);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return new SqlFragment(text, params);
}

export function joinSql(fragments: SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(fragments.map((f) => f.text).join(separator), fragments.flatMap((f) => f.params));
}

export const rawSql = (text: string) => new SqlFragment(text);

/**
 * Reads rows of an entity's table as plain objects shaped like the entity (property names, a
 * many-to-one as `{ id }`), without the ORM's identity map and change tracking. Read paths that
 * serialise hundreds of rows per request use this: hydrating managed entities costs several times
 * the query itself. Writes always go through the EntityManager.
 */
export class LeanTable<T> {
  private static readonly cache = new Map<unknown, LeanTable<unknown>>();

  /** One mapping per entity class (metadata does not change at run time). */
  static of<T extends object>(em: EntityManager, entity: EntityName<T>): LeanTable<T> {
    let table = LeanTable.cache.get(entity) as LeanTable<T> | undefined;
    if (!table) LeanTable.cache.set(entity, (table = new LeanTable<T>(em, entity)));
    return table;
  }

  private readonly props: { name: string; column: string; reference: boolean; timestamp: boolean }[];
  private readonly prototype: object;
  readonly table: string;
  /** The entity class the rows are made as. */
  readonly entity: Function;

  constructor(em: EntityManager, entity: EntityName<T & object>) {
    const meta = em.getMetadata().get(entity);
    this.table = meta.tableName;
    this.entity = meta.class as Function;
    this.props = meta.props
      .filter((prop) => !prop.lazy && prop.fieldNames?.length === 1 && prop.persist !== false && (prop.kind === 'scalar' || prop.kind === 'm:1'))
      .map((prop) => ({
        name: prop.name,
        column: prop.fieldNames[0],
        reference: prop.kind === 'm:1',
        timestamp: prop.kind === 'scalar' && (String(prop.type).toLowerCase() === 'datetime' || prop.runtimeType === 'Date'),
      }));
    // Rows are made on a prototype of our own, below the entity's: a plain writable slot per column
    // there shadows the ORM's property accessors, so assigning makes an own property and never runs
    // them, and `instanceof` still holds. (Object.setPrototypeOf on each made row did the same 2 to 4
    // times slower.)
    this.prototype = Object.create(meta.class.prototype as object) as object;
    for (const p of this.props) Object.defineProperty(this.prototype, p.name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }

  column(property: string): string {
    const found = this.props.find((p) => p.name === property);
    if (!found) throw new Error(`${this.table} has no column for ${property}`);
    return found.column;
  }

  /** The select list, qualified by alias. */
  columns(alias: string): SqlFragment {
    return rawSql(this.props.map((p) => `${alias}."${p.column}"`).join(', '));
  }

  /**
   * Own data properties on the row prototype, below the entity's: `instanceof` holds (type-graphql
   * would otherwise copy every row into a new instance), and the ORM's property accessors never run.
   */
  map(row: Record<string, unknown>): T {
    const out = Object.create(this.prototype) as Record<string, unknown>;
    for (const p of this.props) out[p.name] = p.reference ? (row[p.column] == null ? null : { id: row[p.column] }) : row[p.column];
    return out as T;
  }

  /**
   * A row that came through jsonRows (a json array of the columns, in `columns` order): the same
   * object `map` makes from a plain read (timestamps are sent as text for that).
   */
  mapJson(values: unknown[]): T {
    const out = Object.create(this.prototype) as Record<string, unknown>;
    for (let i = 0; i < this.props.length; i++) {
      const p = this.props[i];
      const value = values[i];
      out[p.name] = p.reference ? (value == null ? null : { id: value }) : value;
    }
    return out as T;
  }

  /** How many columns a jsonRows row has before its extra values. */
  get width(): number {
    return this.props.length;
  }

  /** Whether the rows carry this property as a column. */
  has(property: string): boolean {
    return this.props.some((p) => p.name === property);
  }

  /** The property a column holds. */
  propertyOf(column: string): string {
    const found = this.props.find((p) => p.column === column);
    if (!found) throw new Error(`${this.table} has no column ${column}`);
    return found.name;
  }

  /**
   * Rows of only these properties (in the table's order): reading another throws, so such rows may
   * only reach code that reads nothing else (see graphql/reads.ts).
   */
  subset(properties: readonly string[]): RowShape<T> {
    const key = [...properties].sort().join(',');
    let shape = this.subsets.get(key);
    if (!shape) {
      const wanted = new Set(properties);
      const props = this.props.filter((p) => wanted.has(p.name));
      if (props.length !== wanted.size) throw new Error(`${this.table} has no column for some of ${[...wanted].join(', ')}`);
      // Below the rows' prototype: reading a property left out throws, so a read nobody declared fails
      // loudly (and in tests) instead of answering undefined.
      const prototype = Object.create(this.prototype) as object;
      for (const p of this.props) {
        if (wanted.has(p.name)) continue;
        Object.defineProperty(prototype, p.name, {
          get: () => {
            throw new Error(`${this.table}.${p.column} was not read for this field: declare what the resolver reads (graphql/reads.ts)`);
          },
          set(this: object, value: unknown) {
            Object.defineProperty(this, p.name, { value, writable: true, enumerable: true, configurable: true });
          },
          enumerable: false,
          configurable: true,
        });
      }
      this.subsets.set(key, (shape = new Subset<T>(this, props, prototype)));
    }
    return shape;
  }
  private readonly subsets = new Map<string, RowShape<T>>();

  /** The json values of jsonRows, qualified by alias. */
  jsonValues(alias: string): string {
    return jsonValuesOf(this.props, alias);
  }

  /** Where a column sits in a jsonRows row. */
  indexOf(column: string): number {
    this.positions ??= new Map(this.props.map((p, i) => [p.column, i]));
    const i = this.positions.get(column);
    if (i === undefined) throw new Error(`${this.table} has no column ${column}`);
    return i;
  }
  private positions?: Map<string, number>;

  /**
   * The rows of this table a correlated condition selects, as one json array of rows (`[]` when
   * none), each row an array of its columns (in `columns` order, no names repeated) followed by the
   * `extra` values (nested arrays, for instance), in the given order (qualified by the same alias).
   */
  jsonRows(alias: string, where: SqlFragment, orderBy: string, extra: SqlFragment[] = [], shape: RowShape<T> = this): SqlFragment {
    const values = joinSql([rawSql(shape.jsonValues(alias)), ...extra], ', ');
    return sql`(SELECT coalesce(json_agg(json_build_array(${values})${rawSql(orderBy ? ` ORDER BY ${orderBy}` : '')}), '[]')
      FROM ${rawSql(this.table)} ${rawSql(alias)} WHERE ${where})`;
  }
}

/** How rows that came through jsonRows are laid out and made: every column (a LeanTable) or some (its subset). */
export interface RowShape<T> {
  readonly width: number;
  indexOf(column: string): number;
  mapJson(values: unknown[]): T;
  jsonValues(alias: string): string;
}

class Subset<T> implements RowShape<T> {
  private readonly positions: Map<string, number>;
  constructor(
    private readonly table: LeanTable<T>,
    private readonly props: { name: string; column: string; reference: boolean; timestamp: boolean }[],
    private readonly prototype: object,
  ) {
    this.positions = new Map(props.map((p, i) => [p.column, i]));
  }

  get width(): number {
    return this.props.length;
  }

  indexOf(column: string): number {
    const i = this.positions.get(column);
    if (i === undefined) throw new Error(`this read of ${this.table.table} has no column ${column}`);
    return i;
  }

  mapJson(values: unknown[]): T {
    const out = Object.create(this.prototype) as Record<string, unknown>;
    for (let i = 0; i < this.props.length; i++) {
      const p = this.props[i];
      const value = values[i];
      out[p.name] = p.reference ? (value == null ? null : { id: value }) : value;
    }
    return out as T;
  }

  jsonValues(alias: string): string {
    return jsonValuesOf(this.props, alias);
  }
}

/** Timestamps as their text (what a plain read returns), not json's ISO form. */
const jsonValuesOf = (props: { column: string; timestamp: boolean }[], alias: string) => props.map((p) => `${alias}."${p.column}"${p.timestamp ? '::text' : ''}`).join(', ');

/** Runs on the EntityManager's transaction when it has one: a read inside a mutation must not take a second pool connection. */
export async function queryRows<R = Record<string, unknown>>(em: EntityManager, fragment: SqlFragment): Promise<R[]> {
  return (await em.getConnection().execute(fragment.text, fragment.params as never[], 'all', em.getTransactionContext())) as R[];
}

/**
 * The catalogue's hot reads (a page of suppliers and the relations it selects, one supplier with its
 * relations) as named prepared statements with bound parameters: PostgreSQL parses and plans such a
 * statement once per connection instead of on every request (planning the nested catalogue page took
 * 3 ms of its 7). The ORM's own path formats every value into the text, so no two requests share one.
 *
 * A statement's name is a hash of its text; at most MAX_PREPARED texts are named per process (each
 * holds a plan on every pooled connection), others run bound but unnamed. Inside a transaction it
 * runs on the transaction, as queryRows does. Logged and counted like any statement.
 */
const MAX_PREPARED = 200;
/** By the fragment's text: the text with numbered placeholders, how many, and the statement's name. */
const prepared = new Map<string, { text: string; placeholders: number; name: string }>();

function numbered(text: string): { text: string; placeholders: number; name?: string } {
  const known = prepared.get(text);
  if (known) return known;
  let n = 0;
  const numberedText = text.replace(/\?/g, () => `$${++n}`);
  if (prepared.size >= MAX_PREPARED) return { text: numberedText, placeholders: n };
  const entry = { text: numberedText, placeholders: n, name: `q${createHash('sha1').update(numberedText).digest('hex')}` };
  prepared.set(text, entry);
  return entry;
}

export async function queryRowsPrepared<R = Record<string, unknown>>(em: EntityManager, fragment: SqlFragment): Promise<R[]> {
  if (em.getTransactionContext()) return queryRows<R>(em, fragment);
  const { text, placeholders, name } = numbered(fragment.text);
  // Only placeholders may carry a question mark here; anything else goes the ORM's way.
  if (placeholders !== fragment.params.length) return queryRows<R>(em, fragment);
  const connection = em.getConnection() as unknown as {
    getNativeClient(): Promise<{ connect(): Promise<{ query(config: object): Promise<{ rows: R[] }>; release(): void }> }>;
    executeQuery<T>(query: string, cb: () => Promise<T>): Promise<T>;
  };
  const pool = await connection.getNativeClient();
  return connection.executeQuery(fragment.text, async () => {
    // Through the pool's own connect: the request's fair share and statement timeout apply (fair-pool.ts).
    const client = await pool.connect();
    try {
      return (await client.query({ name, text, values: fragment.params })).rows;
    } finally {
      client.release();
    }
  });
}

/**
 * Runs one statement with its parameters bound by the driver ($1, $2…), not formatted into the text:
 * for large binary values (a 10 MB document), which the ORM's inline formatting would quote character
 * by character (seconds for 10 MB). Counted and timed like any other statement.
 */
export async function executeBound<R = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[]): Promise<R[]> {
  const connection = em.getConnection();
  const client = (em.getTransactionContext() ?? connection.getClient()) as { executeQuery(q: CompiledQuery): Promise<{ rows: R[] }> };
  countStatement();
  return (await client.executeQuery(CompiledQuery.raw(text, params))).rows;
}
