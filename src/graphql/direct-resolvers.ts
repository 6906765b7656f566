import { GraphQLObjectType, GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Getter = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;
type ParamMetadata = NonNullable<ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']>[number];

/**
 * Field resolvers called directly. type-graphql wraps every `@FieldResolver` method in a handler that,
 * on each call, looks its resolver instance up in a list, sorts the parameters, and validates each
 * argument in an async function, so a field with any argument (a supplier's certificates `validOn`)
 * answers with a promise even when its rows are already loaded. On a nested page that is hundreds
 * of calls per request.
 *
 * Where that handler has nothing to do (no middleware, no roles, parameters that are the root, the
 * context, the info or scalar and enum arguments, which type-graphql neither converts nor validates),
 * the schema's resolver becomes a direct call of the same method on the same kind of instance. A
 * root that is not an instance of the declared class (which type-graphql would convert) goes the
 * original way. Everything else keeps type-graphql's handler.
 *
 * Returns the fields made direct, as `Type.field`.
 */
export function directFieldResolvers(schema: GraphQLSchema, resolverClasses: readonly Function[]): string[] {
  const storage = getMetadataStorage();
  const enums = new Set<unknown>(storage.enums.map((e) => e.enumObj));
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  const made: string[] = [];
  const queryType = schema.getQueryType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    // The root queries too (a supplier by id): the same handler, with no root.
    const objectClass = type === queryType ? undefined : storage.objectTypes.find((o) => o.name === type.name)?.target;
    if (!objectClass && type !== queryType) continue;
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve;
      if (!original) continue;
      const candidates = objectClass
        ? storage.fieldResolvers.filter(
            (fr) =>
              fr.kind === 'external' &&
              fr.schemaName === field.name &&
              resolverClasses.includes(fr.target) &&
              (fr.getObjectType?.() === objectClass || objectClass.prototype instanceof (fr.getObjectType?.() as Function)),
          )
        : storage.queries.filter((q) => q.schemaName === field.name && resolverClasses.includes(q.target));
      if (candidates.length !== 1) continue;
      const [fr] = candidates;
      if (fr.middlewares?.length || fr.roles || !fr.params) continue;
      const params = [...fr.params].sort((a, b) => a.index - b.index);
      const getters = params.map((p) => getter(p, enums));
      if (getters.some((g) => g === undefined)) continue;
      const rootParam = params.find((p) => p.kind === 'root');
      const rootClass = rootParam && rootParam.kind === 'root' ? (rootParam.getType?.() as Function | undefined) : undefined;
      let instance = instances.get(fr.target);
      if (!instance) instances.set(fr.target, (instance = new (fr.target as new () => Record<string, (...args: unknown[]) => unknown>)()));
      const method = instance[fr.methodName];
      if (typeof method !== 'function') continue;
      field.resolve = direct(instance, method, getters as Getter[], original, typeof rootClass === 'function' ? rootClass : undefined);
      made.push(`${type.name}.${field.name}`);
    }
  }
  return made;
}

/** How a parameter is read from the resolver's arguments, or undefined when type-graphql must do it. */
function getter(p: ParamMetadata, enums: Set<unknown>): Getter | undefined {
  switch (p.kind) {
    case 'root':
      return p.propertyName ? undefined : (root) => root;
    case 'context':
      return p.propertyName ? (_r, _a, ctx) => (ctx as Record<string, unknown>)[p.propertyName!] : (_r, _a, ctx) => ctx;
    case 'info':
      return (_r, _a, _c, info) => info;
    case 'arg': {
      if (p.validateFn) return undefined;
      const argType = p.getType();
      const plain = argType instanceof GraphQLScalarType || argType === String || argType === Number || argType === Boolean || enums.has(argType);
      const name = p.name;
      return plain ? (_r, args) => args[name] : undefined;
    }
    default:
      return undefined;
  }
}

function direct(
  instance: object,
  method: (...args: unknown[]) => unknown,
  getters: Getter[],
  original: GraphQLFieldResolver<unknown, unknown>,
  rootClass: Function | undefined,
): GraphQLFieldResolver<unknown, unknown> {
  const fallback = (root: unknown) => rootClass !== undefined && rootClass !== Object && !(root instanceof rootClass);
  const [g0, g1, g2] = getters;
  switch (getters.length) {
    case 1:
      return (root, args, ctx, info) => (fallback(root) ? original(root, args, ctx, info) : method.call(instance, g0(root, args, ctx, info)));
    case 2:
      return (root, args, ctx, info) =>
        fallback(root) ? original(root, args, ctx, info) : method.call(instance, g0(root, args, ctx, info), g1(root, args, ctx, info));
    case 3:
      return (root, args, ctx, info) =>
        fallback(root)
          ? original(root, args, ctx, info)
          : method.call(instance, g0(root, args, ctx, info), g1(root, args, ctx, info), g2(root, args, ctx, info));
    default:
      return (root, args, ctx, info) =>
        fallback(root) ? original(root, args, ctx, info) : method.apply(instance, getters.map((g) => g(root, args, ctx, info)));
  }
}
