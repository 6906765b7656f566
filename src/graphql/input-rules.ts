import { GraphQLError, getNamedType, Kind, type ASTNode, type ASTVisitor, type ValidationContext } from 'graphql';
import { DATE_RANGE, inDateRange } from '../common/dates.js';
import { UNSAFE_CHARACTER_MESSAGE, unsafeCharacter } from '../common/text.js';

const VALUE_KINDS = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.VARIABLE]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const badLiteral = (node: ASTNode, field: string, reason: string, message: string) =>
  new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT', reason, field } });

/**
 * String literals written into the query text: no NUL characters or lone surrogates, and dates within
 * the catalogue's range. Each error names the argument path (`input.contractStart`), as variable
 * errors do. Variables are checked by the request guard and the Date scalar.
 */
export function inputLiteralRule(context: ValidationContext): ASTVisitor {
  const path: string[] = [];
  const pushed: boolean[] = [];
  return {
    enter(node, key, parent) {
      let name: string | undefined;
      if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) name = node.name.value;
      else if (typeof key === 'number' && Array.isArray(parent) && VALUE_KINDS.has(node.kind)) name = String(key);
      pushed.push(name !== undefined);
      if (name !== undefined) path.push(name);
      if (node.kind !== Kind.STRING) return;
      const field = path.join('.');
      const unsafe = unsafeCharacter(node.value);
      if (unsafe) {
        context.reportError(badLiteral(node, field, unsafe, `${field || 'A string'} ${UNSAFE_CHARACTER_MESSAGE[unsafe]}.`));
        return;
      }
      const type = context.getInputType();
      if (type && getNamedType(type).name === 'Date' && ISO_DATE.test(node.value) && !inDateRange(node.value)) {
        context.reportError(
          badLiteral(node, field, 'DATE_OUT_OF_RANGE', `${field}: ${node.value} is outside the dates this catalogue accepts (${DATE_RANGE.min} to ${DATE_RANGE.max}).`),
        );
      }
    },
    leave() {
      if (pushed.pop()) path.pop();
    },
  };
}

/** Variables nest no deeper than this: no input type of the schema is deeper than a handful of levels. */
export const MAX_VARIABLE_DEPTH = 16;


export type Problem = { field: string; reason: string; message: string };

/**
 * Walks variables without recursion: depth, and text PostgreSQL cannot store, in values and keys.
 * Both the /graphql request guard and the pages' in-process operations (web/operations.ts) run it.
 */
export function inspectVariables(variables: unknown): Problem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: variables, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const unsafe = unsafeCharacter(value);
      if (unsafe) return { field: path, reason: unsafe, message: `Variable "$${path}" ${UNSAFE_CHARACTER_MESSAGE[unsafe]}.` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_VARIABLE_DEPTH) {
      return { field: path, reason: 'TOO_DEEP', message: `Variables nest deeper than ${MAX_VARIABLE_DEPTH} levels at "$${path}"; no input of this API is that deep.` };
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      const unsafe = unsafeCharacter(key);
      const childPath = path ? `${path}.${key}` : key;
      if (unsafe) return { field: childPath, reason: unsafe, message: `A variable's field name ${UNSAFE_CHARACTER_MESSAGE[unsafe]}.` };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
