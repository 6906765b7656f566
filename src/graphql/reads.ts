import { getMetadataStorage } from 'type-graphql';

/**
 * What resolving a field reads of a row, so that a statement reading rows for a known selection (see
 * prefetch.ts) can leave the other columns out. Known three ways:
 * - a plain `@Field` on an entity property reads that property;
 * - a field resolver says what it reads of its root with `@Reads(...)`;
 * - a field resolver listing related rows (a supplier's certificates) says what it reads of those
 *   rows to choose them (visibility, validity) with `@ReadsRows(...)`.
 * Anything else (a getter, a method, a resolver that says nothing) is unknown, and unknown means
 * every column: forgetting a declaration costs speed, never an answer.
 */

type Declared = Map<Function, Map<string, readonly string[]>>;
const readsOfRoot: Declared = new Map();
const readsOfRows: Declared = new Map();

function declare(into: Declared, resolverClass: Function, method: string, props: readonly string[]): void {
  let methods = into.get(resolverClass);
  if (!methods) into.set(resolverClass, (methods = new Map()));
  methods.set(method, props);
}

/** The properties of its root this field resolver reads (an m:1 by its property name, e.g. `lot`). */
export function Reads<T>(...props: (keyof T & string)[]): MethodDecorator {
  return (target, key) => declare(readsOfRoot, target.constructor, String(key), props);
}

/** The properties of the related rows this field resolver reads to choose which to answer. */
export function ReadsRows<T>(...props: (keyof T & string)[]): MethodDecorator {
  return (target, key) => declare(readsOfRows, target.constructor, String(key), props);
}

const isSubclass = (entity: Function, of: unknown) => typeof of === 'function' && (entity === of || entity.prototype instanceof of);

function fieldResolverOf(entity: Function, field: string) {
  return getMetadataStorage().fieldResolvers.find((fr) => fr.schemaName === field && isSubclass(entity, fr.kind === 'external' ? fr.getObjectType?.() : fr.target));
}

/** A property whose reading runs code (a getter) or that is a method: it may read anything. */
function computed(entity: Function, name: string): boolean {
  for (let proto = entity.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return Boolean(descriptor.get || typeof descriptor.value === 'function');
  }
  return false;
}

const known = new Map<Function, Map<string, readonly string[] | undefined>>();
function memo(entity: Function, key: string, work: () => readonly string[] | undefined): readonly string[] | undefined {
  let byKey = known.get(entity);
  if (!byKey) known.set(entity, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, work());
  return byKey.get(key);
}

/** The properties of an `entity` row that resolving its GraphQL field `field` reads; undefined when unknown. */
export function propsReadBy(entity: Function, field: string): readonly string[] | undefined {
  if (field === '__typename') return [];
  return memo(entity, field, () => {
    const resolver = fieldResolverOf(entity, field);
    if (resolver) return resolver.kind === 'external' ? readsOfRoot.get(resolver.target)?.get(resolver.methodName) : undefined;
    const plain = getMetadataStorage().fields.find((f) => f.schemaName === field && isSubclass(entity, f.target));
    if (!plain || computed(entity, plain.name)) return undefined;
    return [plain.name];
  });
}

/** The properties of the related rows that `parent`'s list field `field` reads to choose them; undefined when unknown. */
export function rowPropsReadBy(parent: Function, field: string): readonly string[] | undefined {
  return memo(parent, `rows:${field}`, () => {
    const resolver = fieldResolverOf(parent, field);
    return resolver?.kind === 'external' ? readsOfRows.get(resolver.target)?.get(resolver.methodName) : undefined;
  });
}
