import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { LIMITS, LimitCode } from '../common/limits.js';
import { inputLiteralRule } from './input-rules.js';

/**
 * Query protection (OWASP GraphQL cheat sheet, graphql-armor's defaults): depth and aliases are
 * checked while validating, cost once the operation and its variables are known (cost.ts); each
 * rejection names its limit and carries its own code.
 */
export { LIMITS, LimitCode };

const limitError = (code: string, message: string, limit: number, actual: number) =>
  new GraphQLError(message, { extensions: { code, limit, actual } });

/**
 * Depth, counted no further than one level past the limit. Each fragment's depth is worked out once,
 * so neither a cycle nor a fan-out of spreads (each fragment spreading the next twice) recurses
 * without end or expands exponentially.
 */
function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, memo = new Map<string, number>(), level = 0): number {
  if (!set || level > LIMITS.maxDepth) return 0;
  let deepest = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (!sel.name.value.startsWith('__')) deepest = Math.max(deepest, 1 + depthOf(sel.selectionSet, fragments, memo, level + 1));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(sel.selectionSet, fragments, memo, level));
    } else {
      const key = `${sel.name.value}@${level}`;
      if (!memo.has(key)) {
        memo.set(key, 0); // a cycle counts as nothing more (validation rejects it anyway)
        const fragment = fragments[sel.name.value];
        memo.set(key, fragment ? depthOf(fragment.selectionSet, fragments, memo, level) : 0);
      }
      deepest = Math.max(deepest, memo.get(key)!);
    }
  }
  return deepest;
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
 * One mutation field per operation. Each mutation is its own transaction; with several, a later one
 * failing would null the whole answer (its fields are non-null) while an earlier one had committed,
 * and the client could not tell what was written.
 */
export function singleMutationRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      const fields = node.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || !s.name.value.startsWith('__'));
      if (fields.length > 1 || fields.some((s) => s.kind !== Kind.FIELD)) {
        context.reportError(
          new GraphQLError('A mutation operation runs exactly one mutation field; send each change as its own request, so every answer says what was committed.', {
            nodes: node,
          }),
        );
      }
    },
  };
}

export const queryLimitRules = [depthLimitRule, aliasLimitRule, inputLiteralRule, singleMutationRule];
