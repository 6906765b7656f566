import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { referenceSnapshot } from '../../src/modules/reference/reference-cache.js';
import { connectionRows, estimateCost as estimateWith, listBounds } from '../../src/graphql/cost.js';
import { mulberry32 } from '../../seeds/synthetic.js';

/*
 * Schema-driven fuzzing of the GraphQL API: an operation generator that walks the served schema, the
 * oracles every answer is held to, and a collector that groups failures into distinct classes, each
 * with its smallest reproduction. Used by test/fuzz.test.ts.
 */

// ---------------------------------------------------------------------------------------------------
// Cost: what the server's cost rule estimates for an operation

export type EstimateCost = (schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown>) => number;

let pricingOrm: MikroORM | undefined;
/** The server's ORM: its reference snapshot holds the list sizes the server prices by. */
export function priceWith(orm: MikroORM): void {
  pricingOrm = orm;
}

/** The server's own estimate (src/graphql/cost.ts), with the sizes it holds now. */
export const estimateCost: EstimateCost = (schema, document, operationName, variables) => {
  const reference = referenceSnapshot(pricingOrm!);
  try {
    return estimateWith(schema, document, { operationName, variables, bounds: listBounds(reference), rows: connectionRows(reference) });
  } catch {
    return Number.POSITIVE_INFINITY; // refused before execution (a page size out of range): nothing to bound
  }
};
export const estimateCostSource = 'src/graphql/cost.ts estimateCost';

/** The items the server prices a whole list at now. */
const boundOf = (key: string) => listBounds(referenceSnapshot(pricingOrm!))[key] ?? 0;

/** Every key of every object in a response's data, through lists; `__typename` is free in the cost model. */
export function countFields(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countFields(item), 0);
  if (value && typeof value === 'object') {
    let n = 0;
    for (const [key, child] of Object.entries(value)) n += (key === '__typename' ? 0 : 1) + countFields(child);
    return n;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Documents

export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

/** The operation a request runs: the named one, or the only one. */
export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/** The fields of a selection set, through fragment spreads and inline fragments (cycles cut). */
function flatFields(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: ReadonlySet<string> = new Set()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) for (const f of flatFields(sel.selectionSet, fragments, seen)) out.push(f);
    else if (!seen.has(sel.name.value) && fragments[sel.name.value]) {
      for (const f of flatFields(fragments[sel.name.value].selectionSet, fragments, new Set([...seen, sel.name.value]))) out.push(f);
    }
  }
  return out;
}

export function tryParse(query: unknown): DocumentNode | undefined {
  if (typeof query !== 'string') return undefined;
  try {
    return parse(query, { maxTokens: 20_000 });
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Oracles that need the document: cost, and input the server must refuse

/** Where the returned fields exceed the estimate, why: lists holding more than they were priced at, `first` below 1. */
export function explainCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, data: unknown): string[] {
  const fragments = fragmentsOf(document);
  const operation = operationOf(document, operationName);
  const reasons = new Set<string>();
  if (!operation) return [];
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, value: unknown, inherited: number, depth: number) => {
    if (!set || !parent || !isObjectType(parent) || depth > 12 || value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(set, parent, item, inherited, depth);
      return;
    }
    if (typeof value !== 'object') return;
    for (const field of flatFields(set, fragments)) {
      const def = parent.getFields()[field.name.value];
      if (!def) continue;
      const child = (value as Record<string, unknown>)[field.alias?.value ?? field.name.value];
      const firstNode = field.arguments?.find((a) => a.name.value === 'first');
      const firstArg = def.args.find((a) => a.name === 'first');
      const unwrapped = isNonNullType(def.type) ? def.type.ofType : def.type;
      const size = parent.name.endsWith('Connection')
        ? inherited
        : firstNode?.value.kind === Kind.INT
          ? Number(firstNode.value.value)
          : firstNode
            ? 100
            : firstArg
              ? ((firstArg.defaultValue as number | undefined) ?? 20)
              : isListType(unwrapped)
                ? boundOf(`${parent.name}.${def.name}`)
                : 1;
      if (Array.isArray(child) && child.length > Math.max(size, 0)) {
        reasons.add(
          firstArg || parent.name.endsWith('Connection')
            ? `${parent.name}.${def.name} returned more items than its page size`
            : `${parent.name}.${def.name}, a list without first, returned more than the ${boundOf(`${parent.name}.${def.name}`)} items it is priced at`,
        );
      }
      walk(field.selectionSet, getNamedType(def.type), child, size, depth + 1);
    }
  };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  walk(operation.selectionSet, root ?? undefined, data, 1, 0);
  // A `first` below 1 anywhere (in a fragment, on a field that answered nothing) lowers the estimate too.
  for (const m of print(document).matchAll(/\bfirst:\s*(-?\d+)/g)) {
    if (Number(m[1]) < 1) reasons.add(`a literal first: ${Number(m[1]) < 0 ? 'negative' : '0'} lowers the whole estimate`);
  }
  return [...reasons].sort();
}

/** The earliest and latest dates the API accepts (issue 11 item 5). */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-12-31' } as const;
/** Documented ranges of integer arguments: `first` (README), `withinDays` (the schema). */
const INT_RANGES: Record<string, [number, number]> = { first: [1, 100], withinDays: [0, 366] };

function wellFormedDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3])));
  d.setUTCFullYear(Number(m[1]));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Why an input value must be refused (a date outside DATE_RANGE anywhere in it), or undefined. */
function refusal(value: unknown, type: GraphQLInputType): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (isNonNullType(type)) return refusal(value, type.ofType);
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const r = refusal(item, type.ofType);
      if (r) return r;
    }
    return undefined;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    for (const [key, field] of Object.entries(type.getFields())) {
      const r = refusal((value as Record<string, unknown>)[key], field.type);
      if (r) return r;
    }
    return undefined;
  }
  if (isScalarType(type) && type.name === 'Date' && typeof value === 'string' && wellFormedDate(value) && (value < DATE_RANGE.min || value > DATE_RANGE.max)) {
    return `a date outside ${DATE_RANGE.min}..${DATE_RANGE.max}`;
  }
  return undefined;
}

export interface Refusal {
  /** Response keys from the root; lists are walked through. */
  path: string[];
  /** e.g. `Query.suppliers(filter)`: a date outside 1900-01-01..2200-12-31 */
  what: string;
}

/** Fields whose arguments the server must refuse: each must answer no value (null, with an error). */
export function refusals(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): Refusal[] {
  const fragments = fragmentsOf(document);
  const operation = operationOf(document, operationName);
  if (!operation) return [];
  const out: Refusal[] = [];
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, path: string[]) => {
    if (!set || !parent || !isObjectType(parent) || path.length > 12) return;
    for (const field of flatFields(set, fragments)) {
      const def = parent.getFields()[field.name.value];
      if (!def) continue;
      const key = [...path, field.alias?.value ?? field.name.value];
      for (const arg of field.arguments ?? []) {
        const argDef = def.args.find((a) => a.name === arg.name.value);
        if (!argDef) continue;
        let value: unknown;
        try {
          value = arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : valueFromAST(arg.value, argDef.type, variables);
        } catch {
          value = undefined;
        }
        const range = INT_RANGES[argDef.name];
        let why = refusal(value, argDef.type);
        if (!why && range && typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31 && (value < range[0] || value > range[1])) {
          why = `${argDef.name} outside ${range[0]}..${range[1]}`;
        }
        if (why) out.push({ path: key, what: `${parent.name}.${def.name}(${argDef.name}): ${why}` });
      }
      walk(field.selectionSet, getNamedType(def.type), key);
    }
  };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  walk(operation.selectionSet, root ?? undefined, []);
  return out;
}

/** Whether a value was answered at a path of response keys (through lists) despite having to be refused. */
export function answeredAt(data: unknown, path: string[]): boolean {
  if (data === null || data === undefined) return false;
  if (Array.isArray(data)) return data.some((item) => answeredAt(item, path));
  if (typeof data !== 'object') return false;
  const [head, ...rest] = path;
  const child = (data as Record<string, unknown>)[head];
  if (rest.length === 0) return child !== null && child !== undefined;
  return answeredAt(child, rest);
}

// ---------------------------------------------------------------------------------------------------
// The generator

/** Values from the seeded database that let generated operations reach past "not found". */
export interface Pools {
  ids: Record<'supplier' | 'solution' | 'certification' | 'evidence' | 'award' | 'specification' | 'shortlist' | 'requirementSet' | 'any', string[]>;
  /** endCursors the API issued, from every kind of connection (a cursor of one is a wrong-typed cursor for another). */
  cursors: string[];
  odsCodes: string[];
  frameworks: string[];
  capabilities: string[];
  standards: string[];
  epics: string[];
  categories: string[];
}

export interface Rand {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A random string from fast-check: any code points, sometimes long. */
  text(): string;
}

/**
 * Every choice of one operation, from a seed fast-check draws (so a run is fixed by fast-check's seed).
 * A plain PRNG rather than fc.gen(): drawing thousands of values through fc.gen costs milliseconds per
 * operation, and fast-check's bias towards small integers would skew every chance.
 */
export function randFrom(seed: number): Rand {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const codePoint = () => {
    switch (int(0, 5)) {
      case 0:
        return int(0, 0x1f); // control characters, NUL among them
      case 1:
        return int(0xd800, 0xdfff); // a lone surrogate
      case 2:
        return int(0x80, 0x7ff);
      case 3:
        return int(0x10000, 0x10ffff);
      default:
        return int(0x20, 0x7e);
    }
  };
  return {
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)],
    text: () => {
      let out = '';
      for (let n = int(0, 24); n > 0; n--) {
        const c = codePoint();
        out += c >= 0xd800 && c <= 0xdfff ? String.fromCharCode(c) : String.fromCodePoint(c);
      }
      return out;
    },
  };
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nested = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Cursors this API never issued, well-formed base64url JSON of the wrong shape or type among them. */
export const HANDMADE_CURSORS: readonly string[] = [
  b64(['x', true]),
  b64(12345678901234567890123456),
  b64('12345678901234567890123456'),
  b64(['12345678901234567890123456']),
  b64(['x', 12345678901234567890123456]),
  b64([null, null]),
  b64([1, 2]),
  b64(['a', 'b', 'c']),
  b64([true, '00000000-0000-0000-0000-000000000000']),
  b64(['', '00000000-0000-0000-0000-000000000000']),
  b64(['\u0000', '00000000-0000-0000-0000-000000000000']),
  b64([[], {}]),
  b64({}),
  b64([]),
  b64(nested(40)),
  b64(nested(400)),
  b64([1e308, -1e308]),
  'not-a-cursor',
  '!!!',
  '',
  'A'.repeat(600),
];

/** Integers around every boundary: 0, negatives, page limits, 32-bit and 53-bit edges. */
const HOSTILE_INTS = [0, -1, 1, 2, 20, 57, 99, 100, 101, -100_000_000, 2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, 2 ** 53, 1e20] as const;
/** Far and malformed dates (issue 11 item 5) and ordinary ones. */
export const DATES = [
  '2026-06-01', '2027-04-01', '2025-01-01', '2028-03-31', '1900-01-01', '2200-12-31',
  '0000-01-01', '0001-01-01', '0099-12-31', '9999-12-31', '1899-12-31', '2201-01-01',
  '2026-02-29', '2024-02-29', '2026-13-01', '2026-1-1', '26-01-01', '+002026-01-01', '2026-01-01T00:00:00Z', '',
] as const;
const HOSTILE_STRINGS = [
  '', ' ', 'a\u0000b', '\u0000', 'surgery\u0000', 'x\ud800', '\udc00y', '\ud83d', 'a\ud800\u0000b', 'digital\udfff', '💥'.repeat(20), "'; DROP TABLE supplier; --", '" OR 1=1 --', '%', '_%_', '\\', '\\x00',
  '<script>alert(1)</script>', '${7*7}', '__proto__', 'constructor', '\u202e\u0041', '\r\n', 'a'.repeat(600), 'b'.repeat(5000), 'null', 'undefined', 'NaN',
] as const;
const SEARCHES = ['surgery', 'online consultation -video', '"patient record"', 'OR', '-', '!', '&', '|', '(', 'a:*', "don't", 'practice | OR & !', 'e-consult', 'records -', '""'] as const;
const WORDS = ['Northbridge Certification Ltd', 'CEP-2026-0042', 'GP IT enabling services', 'Synthetic', 'Evidence', 'x'] as const;

/** Which pool an ID argument draws from, by field and argument name. */
function idKind(field: string, arg: string): keyof Pools['ids'] {
  if (arg === 'specificationId' || /Specification$|^specification$/.test(field)) return 'specification';
  if (arg === 'solutionId' || field === 'solution') return 'solution';
  if (arg === 'supplierId' || field === 'supplier' || field === 'updateSupplierProfile') return 'supplier';
  if (arg === 'requirementSetIds') return 'requirementSet';
  if (/Shortlist$|^shortlist/.test(field)) return 'shortlist';
  if (/Certification$/.test(field)) return 'certification';
  if (/Evidence$/.test(field)) return 'evidence';
  if (/FrameworkAward$/.test(field)) return 'award';
  return 'any';
}

type HostileKind = 'int' | 'date' | 'string' | 'id' | 'cursor' | 'float' | 'invalid';

interface Value {
  /** JSON value for a variable. */
  js: unknown;
  /** The same value as a GraphQL literal. */
  literal: string;
}

const lit = (js: unknown, literal?: string): Value => ({ js, literal: literal ?? JSON.stringify(js) });

export interface GeneratedOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  kind: 'query' | 'mutation';
}

export interface GeneratorOptions {
  /** Chance that an argument is sent as a variable rather than written into the query. */
  variableChance?: number;
  mutationChance?: number;
  /** Scales the chance of every hostile value (0: plausible values only); drawn per operation when omitted. */
  hostility?: number;
  /** Force the operation's name (null: anonymous); random when omitted. */
  name?: string | null;
}

/** Builds one operation by walking the schema from a root type, drawing every choice from `r`. */
export class OperationBuilder {
  private vars: { name: string; type: string; value: unknown }[] = [];
  private fragments: string[] = [];
  private maxDepth = 4;
  private aliases = 0;
  /** How often a value is hostile rather than plausible, per operation: some operations are entirely plausible. */
  private h = 1;
  /** How many hostile values this operation may still carry (Infinity: no limit), so most get past validation with one or two. */
  private budget = Infinity;
  private focus: HostileKind | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly r: Rand,
    private readonly pools: Pools,
    private readonly opts: GeneratorOptions = {},
  ) {}

  build(): GeneratedOperation {
    const r = this.r;
    this.vars = [];
    this.fragments = [];
    this.aliases = 0;
    // A quarter plausible throughout; half plausible but for one or two hostile values (so that the
    // operation runs and the hostile value reaches a resolver); a quarter hostile anywhere.
    const mode = this.opts.hostility !== undefined ? 'chaos' : r.pick(['plain', 'one', 'one', 'chaos'] as const);
    this.h = this.opts.hostility ?? (mode === 'plain' ? 0 : mode === 'one' ? 4 : r.pick([0.3, 1, 1.5]));
    this.budget = mode === 'one' ? r.int(1, 2) : Infinity;
    // One kind of hostile value per budgeted operation, so that each kind gets its share.
    this.focus = mode === 'one' ? r.pick(['int', 'date', 'date', 'string', 'string', 'id', 'cursor', 'cursor', 'float'] as const) : undefined;
    this.maxDepth = r.chance(0.1) ? r.int(6, 9) : r.int(2, 5);
    const mutation = r.chance(this.opts.mutationChance ?? 0.3) && this.schema.getMutationType();
    const root = (mutation ? this.schema.getMutationType() : this.schema.getQueryType())!;
    const candidates = Object.values(root.getFields()).filter((f) => !f.name.startsWith('__'));
    const parts: string[] = [];
    const fields = mutation ? (r.chance(0.15) ? 2 : 1) : r.pick([1, 1, 1, 2, 2, 3]);
    let aliasN = 0;
    for (let i = 0; i < fields; i++) {
      const field = r.pick(candidates);
      // Sometimes the same root field many times over (alias floods, heavy siblings).
      const copies = r.chance(0.07) ? r.int(2, 16) : 1;
      const text = this.field(root, field, 0);
      for (let c = 0; c < copies; c++) parts.push(copies > 1 || fields > 1 || r.chance(0.1) ? `a${aliasN++}: ${text}` : text);
    }
    const named = this.opts.name === undefined ? r.chance(0.3) : this.opts.name !== null;
    const name = named ? (this.opts.name ?? `Op${r.int(1, 99)}`) : undefined;
    const header = this.vars.length ? `(${this.vars.map((v) => `$${v.name}: ${v.type}`).join(', ')})` : '';
    const keyword = mutation ? 'mutation' : 'query';
    const opening = named ? `${keyword} ${name}${header}` : mutation || header ? `${keyword}${header}` : '';
    const query = `${opening}${opening ? ' ' : ''}{ ${parts.join(' ')} }${this.fragments.length ? ' ' + this.fragments.join(' ') : ''}`;
    const variables = this.vars.length ? Object.fromEntries(this.vars.map((v) => [v.name, v.value])) : undefined;
    return { query, variables, operationName: named && r.chance(0.6) ? name : undefined, kind: mutation ? 'mutation' : 'query' };
  }

  private field(parent: GraphQLObjectType, def: GraphQLField<unknown, unknown>, depth: number): string {
    const r = this.r;
    const args: string[] = [];
    for (const arg of def.args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && !r.chance(this.focused(arg.name, arg.type) ? 0.95 : arg.name === 'first' ? 0.6 : 0.45)) continue;
      if (required && this.invalid(0.02)) continue; // a missing required argument, now and then
      const value = this.value(arg.type, def.name, arg.name, 0);
      if (r.chance(this.opts.variableChance ?? 0.35)) {
        const name = `v${this.vars.length}`;
        this.vars.push({ name, type: String(arg.type), value: value.js });
        args.push(`${arg.name}: $${name}`);
      } else {
        args.push(`${arg.name}: ${value.literal}`);
      }
    }
    const directive = r.chance(0.03) ? (r.chance(0.5) ? ' @include(if: true)' : ' @skip(if: false)') : '';
    const head = `${def.name}${args.length ? `(${args.join(', ')})` : ''}${directive}`;
    const type = getNamedType(def.type);
    if (isLeafType(type)) return head;
    if (!isObjectType(type)) return head;
    return `${head} { ${this.selection(type, depth + 1)} }`;
  }

  /** A selection set on an object type: a few fields, recursing while depth allows; sometimes through fragments. */
  private selection(type: GraphQLObjectType, depth: number): string {
    const r = this.r;
    const all = Object.values(type.getFields());
    const leaves = all.filter((f) => isLeafType(getNamedType(f.type)));
    const objects = all.filter((f) => !isLeafType(getNamedType(f.type)));
    const picked = new Set<GraphQLField<unknown, unknown>>();
    if (type.name.endsWith('Connection')) {
      // Mostly the usual shape: edges { cursor node { ... } }, the count, the page.
      for (const name of ['edges', 'totalCount', 'pageInfo']) if (r.chance(name === 'edges' ? 0.8 : 0.5)) picked.add(type.getFields()[name]);
    } else {
      const nLeaves = leaves.length ? r.int(1, Math.min(leaves.length, 4)) : 0;
      for (let i = 0; i < nLeaves; i++) picked.add(r.pick(leaves));
      if (depth < this.maxDepth && objects.length) {
        const nObjects = r.int(0, Math.min(objects.length, depth < 2 ? 3 : 2));
        for (let i = 0; i < nObjects; i++) picked.add(r.pick(objects));
      }
    }
    if (picked.size === 0) picked.add(leaves.length ? r.pick(leaves) : all[0]);
    const parts = [...picked].map((f) => (r.chance(0.05) ? `k${this.aliases++}: ` : '') + this.field(type, f, depth));
    if (r.chance(0.03)) parts.push('__typename');
    const text = parts.join(' ');
    if (r.chance(0.08)) {
      const name = `F${this.fragments.length}`;
      this.fragments.push(`fragment ${name} on ${type.name} { ${text} }`);
      return `...${name}`;
    }
    if (r.chance(0.05)) return `... on ${type.name} { ${text} }`;
    return text;
  }

  /** A value for an input type: mostly plausible (to get past the first check), often hostile. */
  private value(type: GraphQLInputType, field: string, arg: string, depth: number, nonNull = false): Value {
    const r = this.r;
    if (isNonNullType(type)) return this.invalid(0.02) ? lit(null, 'null') : this.value(type.ofType, field, arg, depth, true);
    if (!nonNull && r.chance(0.03)) return lit(null, 'null');
    if (isListType(type)) {
      const itemType = type.ofType;
      const named = getNamedType(itemType);
      if (this.invalid(0.05)) return this.value(itemType, field, arg, depth + 1); // a single value where a list is expected
      let n = r.pick([0, 1, 1, 2, 3, 4]);
      // Every capability, every certification type: the heavy filters of issue 11 item 3.
      if (r.chance(0.1)) n = arg === 'capabilities' ? 50 : isEnumType(named) ? named.getValues().length : 12;
      const items: Value[] = [];
      for (let i = 0; i < n; i++) {
        if (arg === 'capabilities' && n === 50) items.push(lit(`C${i + 1}`));
        else if (isEnumType(named) && n === named.getValues().length) items.push(lit(named.getValues()[i].name, named.getValues()[i].name));
        else items.push(this.value(itemType, field, arg, depth + 1));
      }
      return { js: items.map((i) => i.js), literal: `[${items.map((i) => i.literal).join(', ')}]` };
    }
    if (isInputObjectType(type)) {
      if (depth > 5) return lit(null, 'null');
      const entries: [string, Value][] = [];
      for (const f of Object.values(type.getFields())) {
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        if (required ? this.invalid(0.02) : !r.chance(this.focused(f.name, f.type) ? 0.9 : 0.4)) continue;
        entries.push([f.name, this.value(f.type, field, f.name, depth + 1)]);
      }
      if (this.invalid(0.03)) entries.push(['notAField', lit(1, '1')]);
      return { js: Object.fromEntries(entries.map(([k, v]) => [k, v.js])), literal: `{${entries.map(([k, v]) => `${k}: ${v.literal}`).join(', ')}}` };
    }
    if (isEnumType(type)) {
      const values = type.getValues().map((v) => v.name);
      if (this.invalid(0.06)) {
        const bad = r.pick(['NOT_A_VALUE', values[0].toLowerCase(), '__proto__', 'null']);
        return lit(bad, bad === 'null' ? '"null"' : bad);
      }
      const v = r.pick(values);
      return lit(v, v);
    }
    // Scalars; now and then a value of the wrong JSON type.
    if (this.invalid(0.03)) return r.pick([lit({ a: 1 }, '{a: 1}'), lit([1], '[1]'), lit(true, 'true'), lit('7', '"7"'), lit(7, '7')]);
    switch (type.name) {
      case 'Int': {
        const n = this.int(arg);
        return lit(n, String(n));
      }
      case 'Float': {
        if (this.hostile(0.1, 'float')) return lit(1e308, '1e400'); // Infinity as a literal; the JSON number is finite
        const x = r.pick([99.5, 0, -1, 100, 1e308, -1e308, 5e-324, 0.1, 99.95]);
        return lit(x, String(x));
      }
      case 'Boolean': {
        const b = r.chance(0.5);
        return lit(b, String(b));
      }
      case 'Date':
        // Far but well-formed dates get past validation to the resolvers; malformed ones do not.
        return lit(this.invalid(0.1) ? r.pick([...HOSTILE_STRINGS, ...DATES.slice(12)]) : this.hostile(0.5, 'date') ? r.pick(DATES.slice(6, 12)) : r.pick(DATES.slice(0, 6)));
      case 'ID':
        return lit(this.id(field, arg));
      default:
        return lit(this.string(field, arg));
    }
  }

  /** Whether an optional argument or input field takes the kind of value this operation is hostile with (then it is nearly always given). */
  private focused(name: string, type: GraphQLInputType): boolean {
    const named = getNamedType(type).name;
    const kind = name === 'after' ? 'cursor' : named === 'Date' ? 'date' : named === 'Int' ? 'int' : named === 'Float' ? 'float' : named === 'ID' ? 'id' : named === 'String' ? 'string' : undefined;
    return !!kind && kind === this.focus;
  }

  /** A value GraphQL itself refuses (a missing argument, a wrong type, an unknown enum value): only in chaos mode. */
  private invalid(p: number): boolean {
    return this.budget === Infinity && this.hostile(p, 'invalid');
  }

  /** A hostile value that passes validation and reaches a resolver, at this operation's hostility and within its budget. */
  private hostile(p: number, kind?: HostileKind): boolean {
    if (this.focus && kind !== this.focus) return false;
    if (this.h === 0 || this.budget <= 0 || !this.r.chance(Math.min(1, p * this.h))) return false;
    this.budget--;
    return true;
  }

  private int(arg: string): number {
    const r = this.r;
    if (this.invalid(0.1)) return r.pick(HOSTILE_INTS.filter((n) => Math.abs(n) >= 2 ** 31));
    if (this.hostile(0.4, 'int')) return r.pick(HOSTILE_INTS.filter((n) => Math.abs(n) < 2 ** 31));
    switch (arg) {
      case 'first':
        return r.pick([1, 2, 5, 20, 57, 100]);
      case 'version':
        return r.pick([1, 1, 2, 3]);
      case 'withinDays':
        return r.pick([0, 30, 60, 366]);
      case 'termMonths':
        return r.pick([12, 24, 36, 37]);
      case 'number':
        return r.pick([1, 2, 3, 99]);
      case 'periods':
        return r.pick([1, 3, 12]);
      case 'weight':
        return r.pick([1, 10, 100]);
      default:
        return r.int(-5, 200);
    }
  }

  private id(field: string, arg: string): string {
    const r = this.r;
    if (this.hostile(0.12, 'id')) return r.pick([...HOSTILE_STRINGS, '00000000-0000-0000-0000-000000000000', 'not-a-uuid', '1']);
    const pool = this.pools.ids[idKind(field, arg)];
    return r.pick(pool.length && r.chance(0.85) ? pool : this.pools.ids.any);
  }

  private string(field: string, arg: string): string {
    const r = this.r;
    const p = this.pools;
    if (arg !== 'after' && this.hostile(0.2, 'string')) return r.chance(0.5) ? r.pick(HOSTILE_STRINGS) : r.text();
    switch (arg) {
      case 'after':
        return r.pick(!this.hostile(0.6, 'cursor') && p.cursors.length ? p.cursors : HANDMADE_CURSORS);
      case 'odsCode':
      case 'practiceOdsCode':
      case 'parentOdsCode':
      case 'ownerOdsCode':
        return r.pick([...p.odsCodes, 'ZZZ999', 'b84001', 'QW', 'TOOLONG1']);
      case 'code':
      case 'frameworks':
      case 'frameworkCodes':
      case 'framework':
        return r.pick([...p.frameworks, 'hssf', 'NOPE']);
      case 'reference':
        return r.pick([...p.capabilities, ...p.standards, 'C0', 'C999', 'S0']);
      case 'capability':
      case 'capabilities':
        return r.pick([...p.capabilities, 'C0', 'c5']);
      case 'standard':
        return r.pick([...p.standards, 'S0']);
      case 'epic':
        return r.pick([...p.epics, 'C5E999']);
      case 'category':
        return r.pick([...p.categories, 'none']);
      case 'search':
        return r.pick(SEARCHES);
      case 'kpiCode':
        return r.pick(['AVAILABILITY_CORE_HOURS', 'P1_RESOLVED_WITHIN_4_HOURS', 'NOPE']);
      case 'cycle':
        return r.pick(['2025-26', '2024-25', '2026-27', '1899-00', '2025-2026', '0000-01']);
      case 'period':
        return r.pick(['2026-05', '2025-12', '0000-01', '2026-13', '2026-5', '9999-12']);
      case 'website':
        return r.pick(['https://supplier.example', 'javascript:alert(1)', 'ftp://x', 'not a url']);
      case 'companiesHouseNumber':
        return r.pick(['01234567', 'SC123456', '1234', 'ZZZZZZZZ']);
      default:
        return r.pick(WORDS);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Findings: failures grouped into classes, each with its smallest reproduction

export interface Reproduction {
  /** Who sent it: public, BUYER, SUPPLIER, ASSURANCE or a bad token. */
  role: string;
  method?: string;
  contentType?: string;
  /** The raw request body (JSON text, or whatever malformed thing was sent). */
  body: string;
}

export class Findings {
  private readonly classes = new Map<string, { count: number; detail: string; example: Reproduction }>();

  add(key: string, detail: string, example: Reproduction): void {
    const existing = this.classes.get(key);
    if (!existing) {
      this.classes.set(key, { count: 1, detail, example });
      return;
    }
    existing.count++;
    if (example.body.length < existing.example.body.length) {
      existing.example = example;
      existing.detail = detail;
    }
  }

  get size(): number {
    return this.classes.size;
  }

  keys(): string[] {
    return [...this.classes.keys()].sort();
  }

  /** One paragraph per class: the class, how often, what was seen, and the smallest request that shows it. */
  report(): string {
    return [...this.classes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, { count, detail, example }]) => {
        const body = example.body.length > 1_500 ? `${example.body.slice(0, 1_500)}… (${example.body.length} bytes)` : example.body;
        const how = [example.method && example.method !== 'POST' ? example.method : '', example.contentType && example.contentType !== 'application/json' ? `content-type: ${JSON.stringify(example.contentType)}` : '', `as ${example.role}`].filter(Boolean).join(', ');
        return `• ${key}  (×${count})\n    seen: ${detail}\n    repro (${how}): ${body}`;
      })
      .join('\n');
  }
}

/** Stable text for a class key: ids, numbers and long quoted parts taken out. */
export function normalise(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]{20,}"/g, '"…"')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}
