/**
 * JUEL, the Camunda 7 expression language: a subset of Unified EL 2.2 (JSR-245) over JSON
 * variables. See `parser.ts` for the grammar, `operators.ts` and `coerce.ts` for the
 * semantics, and `src/engine/expressions/index.ts` for the public API.
 */
import type { JsonValue } from '../../../common/json.js';
import { BoundedCache } from '../cache.js';
import { expressionFailed } from '../failure.js';
import type { VariableScope } from '../scope.js';
import { compileTemplate, type Evaluator } from './compile.js';
import { parseTemplate } from './parser.js';

/** How many distinct JUEL sources stay compiled. @default 10000 */
export const JUEL_CACHE_SIZE = 10_000;

const cache = new BoundedCache<Evaluator>(JUEL_CACHE_SIZE);

/**
 * The compiled form of a JUEL text, parsed at most once per distinct source while it
 * stays in the cache. Failed parses are not cached.
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` (syntax) or
 *   `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED` (method/function calls, host objects).
 */
export function compileJuel(source: string): Evaluator {
  let compiled = cache.get(source);
  if (compiled === undefined) {
    compiled = compileTemplate(source, parseTemplate(source));
    cache.set(source, compiled);
  }
  return compiled;
}

/**
 * Evaluates a JUEL text (`${…}`, `#{…}` or composite text) against `scope`.
 *
 * @returns the typed value of a lone `${…}`, or the concatenated string of a composite.
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED`: syntax error, undefined variable
 *   (`details.variable`), operand that cannot be coerced, or a result that is not a
 *   finite number (JSON has no Infinity/NaN).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED`: method or function calls.
 */
export function evaluateJuel(source: string, scope: VariableScope): JsonValue {
  const value = compileJuel(source)(scope);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw expressionFailed(source, `the result ${String(value)} is not a finite number and cannot be stored as JSON`);
  }
  return value;
}
