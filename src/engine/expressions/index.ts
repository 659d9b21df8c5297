/**
 * Expression evaluation for the engine: JUEL (Camunda 7 `${…}`), FEEL (Zeebe `=…`) and
 * literals, over JSON variables.
 *
 * - JUEL: a subset of Unified EL 2.2 (JSR-245), parsed once per source and cached; see
 *   `juel/parser.ts` (grammar, refused constructs) and `juel/operators.ts` (semantics).
 * - FEEL: DMN 1.3 FEEL through feelin; see `feel.ts`.
 * - literal: the value as compiled from the model.
 *
 * Errors are `ProcosError`s with `EngineErrors.EXPRESSION_FAILED` or
 * `EngineErrors.EXPRESSION_UNSUPPORTED`; the message quotes the expression as written and
 * names a missing variable, e.g. `expression ${amount > 5} failed: variable 'amount' is
 * not defined`. details: `{expression, reason, variable?, position?}` where `position` is
 * a 0-based offset into `Expr.source`. A failed evaluation is never a silent false/null.
 *
 * Pure: no I/O, no clock, no randomness in this code (feelin's own `now()`/`today()` read
 * the clock inside feelin).
 */
import type { JsonValue } from '../../common/json.js';
import type { Expr } from '../../model/types.js';
import { checkFeel, evaluateFeel, evaluateFeelCondition } from './feel.js';
import { describeType, expressionFailed } from './failure.js';
import { compileJuel, evaluateJuel } from './juel/index.js';
import type { VariableScope } from './scope.js';

export type { VariableScope } from './scope.js';
export { variablesScope } from './scope.js';

/**
 * Evaluates an expression against the visible variables.
 *
 * @returns a JSON value: a literal's value; a lone JUEL `${…}`'s typed value or a
 *   composite JUEL text's string; a FEEL result converted to JSON (dates as ISO-8601
 *   strings). The result may share structure with the scope's values: treat it as
 *   immutable.
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED`: syntax error, undefined variable
 *   (`details.variable`), operand that cannot be coerced, non-finite number result,
 *   FEEL function/range result.
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED`: JUEL method or function
 *   calls, the `execution` host object.
 * @example
 * evaluate({ kind: 'juel', source: 'order-${id}' }, variablesScope({ id: 7 })); // 'order-7'
 */
export function evaluate(expr: Expr, scope: VariableScope): JsonValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'juel':
      return evaluateJuel(expr.source, scope);
    case 'feel':
      return evaluateFeel(expr.source, scope);
  }
}

/**
 * Evaluates a sequence-flow condition (BPMN 2.0.2 §10.5.1 `conditionExpression`). The
 * result must be a boolean, as Camunda 7 requires (`UelExpressionCondition`): `"true"`,
 * 1 or null are not conditions.
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED`: as {@link evaluate}, and when
 *   the result is not a boolean (the message says which type came back).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED`: as {@link evaluate}.
 * @example
 * evaluateCondition({ kind: 'juel', source: '${x > 5}' }, variablesScope({ x: 7 })); // true
 * evaluateCondition({ kind: 'juel', source: '${x > 5}' }, variablesScope({}));       // throws: variable 'x' is not defined
 */
export function evaluateCondition(expr: Expr, scope: VariableScope): boolean {
  if (expr.kind === 'feel') return evaluateFeelCondition(expr.source, scope);
  const value = evaluate(expr, scope);
  if (typeof value === 'boolean') return value;
  const text = expr.kind === 'juel' ? expr.source : JSON.stringify(expr.value);
  throw expressionFailed(text, `the condition returned ${describeType(value)}, not a boolean`);
}

/**
 * Deploy-time check without variables: parses the expression and refuses what the engine
 * cannot run. Literals always pass.
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` on a syntax error (with position).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED` on JUEL method or function
 *   calls and the `execution` host object.
 */
export function checkExpression(expr: Expr): void {
  switch (expr.kind) {
    case 'literal':
      return;
    case 'juel':
      compileJuel(expr.source);
      return;
    case 'feel':
      checkFeel(expr.source);
      return;
  }
}
