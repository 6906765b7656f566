import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Query protection (OWASP GraphQL cheat sheet, graphql-armor's defaults): depth, aliases and cost are
 * checked before anything executes; each rejection names its limit and carries its own code.
 */
export const LIMITS = {
  maxDepth: 8,
  maxAliases: 15,
  maxCost: 100_000,
  maxTokens: 3_000,
  /** Items a list without a `first` argument is assumed to hold, for cost. */
  defaultListSize: 10,
} as const;

export const LimitCode = {
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
} as const;

const limitError = (code: string, message: string, limit: number, actual: number) =>
  new GraphQLError(message, { extensions: { code, limit, actual } });

/** Walks selection sets through fragment spreads, guarding against fragment cycles. */
function selections(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...selections(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value) && fragments[sel.name.value]) {
      out.push(...selections(fragments[sel.name.value].selectionSet, fragments, new Set([...seen, sel.name.value])));
    }
  }
  return out;
}

/** Depth, counted no further than one level past the limit, so fragment cycles cannot recurse forever. */
function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, level = 0): number {
  if (!set || level > LIMITS.maxDepth) return 0;
  const fields = selections(set, fragments).filter((f) => !f.name.value.startsWith('__'));
  return fields.length ? 1 + Math.max(...fields.map((f) => depthOf(f.selectionSet, fragments, level + 1))) : 0;
}

function fragmentsOf(context: ValidationContext): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

export function depthLimitRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragmentsOf(context));
      if (depth > LIMITS.maxDepth) {
        context.reportError(limitError(LimitCode.QUERY_TOO_DEEP, `The query is ${depth} levels deep; the limit is ${LIMITS.maxDepth}.`, LIMITS.maxDepth, depth));
      }
    },
  };
}

export function aliasLimitRule(context: ValidationContext): ASTVisitor {
  let aliases = 0;
  return {
    Field(node) {
      if (node.alias) aliases++;
    },
    Document: {
      leave() {
        if (aliases > LIMITS.maxAliases) {
          context.reportError(limitError(LimitCode.TOO_MANY_ALIASES, `The query uses ${aliases} aliases; the limit is ${LIMITS.maxAliases}.`, LIMITS.maxAliases, aliases));
        }
      },
    },
  };
}

/**
 * Cost: every field costs 1; a list's children cost once per item it may hold: `first` for a
 * connection or paged list (its default when omitted), otherwise a default list size.
 */
export function costLimitRule(context: ValidationContext): ASTVisitor {
  const fragments = fragmentsOf(context);
  const schema = context.getSchema();
  const sizeOf = (field: FieldNode, type: GraphQLOutputType, hasFirst: boolean, defaultFirst: number): number => {
    const first = field.arguments?.find((a) => a.name.value === 'first');
    if (first?.value.kind === Kind.INT) return Number(first.value.value);
    if (first) return 100; // a variable: assume the largest page allowed
    if (hasFirst) return defaultFirst;
    const unwrapped = isNonNullType(type) ? type.ofType : type;
    return isListType(unwrapped) ? LIMITS.defaultListSize : 1;
  };
  const cost = (set: SelectionSetNode | undefined, parent: ReturnType<typeof getNamedType>, seen: number): number => {
    if (!set || seen > LIMITS.maxDepth + 1 || !parent || !('getFields' in parent)) return 0;
    const fields = (parent as { getFields(): Record<string, { type: GraphQLOutputType; args: readonly { name: string; defaultValue?: unknown }[] }> }).getFields();
    let total = 0;
    for (const field of selections(set, fragments)) {
      const def = fields[field.name.value];
      if (!def) continue;
      const firstArg = def.args.find((a) => a.name === 'first');
      // A connection's page size already counts its edges: its own fields are not multiplied again.
      const size = parent.name.endsWith('Connection') ? 1 : sizeOf(field, def.type, !!firstArg, (firstArg?.defaultValue as number | undefined) ?? 20);
      total += 1 + size * cost(field.selectionSet, getNamedType(def.type), seen + 1);
    }
    return total;
  };
  return {
    OperationDefinition(node) {
      const root = node.operation === 'mutation' ? schema.getMutationType() : node.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
      const total = cost(node.selectionSet, root ?? undefined, 0);
      if (total > LIMITS.maxCost) {
        context.reportError(limitError(LimitCode.QUERY_TOO_COSTLY, `The query would cost ${total} (a list costs its page size times its fields); the limit is ${LIMITS.maxCost}.`, LIMITS.maxCost, total));
      }
    },
  };
}

export const queryLimitRules = [depthLimitRule, aliasLimitRule, costLimitRule];
