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
