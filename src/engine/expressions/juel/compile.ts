/**
 * Compiles a parsed JUEL {@link Template} into a closure tree, so that evaluating a cached
 * expression is a few function calls with no re-parsing and no `switch` over node types.
 */
import type { JsonValue } from '../../../common/json.js';
import { expressionFailed } from '../failure.js';
import type { VariableScope } from '../scope.js';
import type { Node, Template } from './ast.js';
import { coerceToString, isEmpty } from './coerce.js';
import { OperatorSite, arithmetic, compare, divide, equals, member, modulo, negate } from './operators.js';

/** A compiled expression: evaluates against a scope, throwing `PROCOS_ENGINE_EXPRESSION_FAILED` on failure. */
export type Evaluator = (scope: VariableScope) => JsonValue;

/**
 * Compiles a template. One `${…}` part alone keeps its type; otherwise parts are coerced
 * to strings (EL 2.2 §1.18.2) and concatenated (§1.2.1.1 composite expressions).
 *
 * @param source - the whole expression text, quoted in error messages.
 */
export function compileTemplate(source: string, template: Template): Evaluator {
  const parts = template.parts.map((p) => (typeof p === 'string' ? p : compileNode(source, p)));
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const only = parts[0]!;
    return typeof only === 'string' ? () => only : only;
  }
  return (scope) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : coerceToString(p(scope));
    return out;
  };
}

function compileNode(source: string, node: Node): Evaluator {
  switch (node.type) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'identifier': {
      const { name, pos } = node;
      return (scope) => {
        const value = scope.get(name);
        if (value === undefined) throw expressionFailed(source, `variable '${name}' is not defined`, { variable: name, position: pos });
        return value;
      };
    }
    case 'member': {
      const object = compileNode(source, node.object);
      const site = new OperatorSite(source, '.', node.object, node.property);
      if (node.property.type === 'literal') {
        const key = node.property.value;
        return (scope) => member(object(scope), key, site);
      }
      const property = compileNode(source, node.property);
      return (scope) => member(object(scope), property(scope), site);
    }
    case 'unary': {
      const operand = compileNode(source, node.operand);
      const site = new OperatorSite(source, node.op, node.operand);
      switch (node.op) {
        case '-':
          return (scope) => negate(operand(scope), site);
        case '!':
          return (scope) => !site.boolean(operand(scope), 'left');
        default:
          return (scope) => isEmpty(operand(scope));
      }
    }
    case 'logical': {
      const left = compileNode(source, node.left);
      const right = compileNode(source, node.right);
      const site = new OperatorSite(source, node.op, node.left, node.right);
      return node.op === '&&'
        ? (scope) => site.boolean(left(scope), 'left') && site.boolean(right(scope), 'right')
        : (scope) => site.boolean(left(scope), 'left') || site.boolean(right(scope), 'right');
    }
    case 'conditional': {
      const test = compileNode(source, node.test);
      const consequent = compileNode(source, node.consequent);
      const alternate = compileNode(source, node.alternate);
      const site = new OperatorSite(source, '?', node.test);
      return (scope) => (site.boolean(test(scope), 'left') ? consequent(scope) : alternate(scope));
    }
    case 'binary': {
      const left = compileNode(source, node.left);
      const right = compileNode(source, node.right);
      const site = new OperatorSite(source, node.op, node.left, node.right);
      switch (node.op) {
        case '+':
        case '-':
        case '*': {
          const op = node.op;
          return (scope) => arithmetic(op, left(scope), right(scope), site);
        }
        case '/':
          return (scope) => divide(left(scope), right(scope), site);
        case '%':
          return (scope) => modulo(left(scope), right(scope), site);
        case '==':
          return (scope) => equals(left(scope), right(scope), site);
        case '!=':
          return (scope) => !equals(left(scope), right(scope), site);
        default: {
          const op = node.op;
          return (scope) => compare(op, left(scope), right(scope), site);
        }
      }
    }
  }
}
