/**
 * The variables an expression sees.
 *
 * The engine passes a view of the instance's scope chain (see `src/engine/variables.ts`);
 * tests and callers without an instance use {@link variablesScope}.
 */
import type { JsonValue } from '../../common/json.js';

/** Variables visible from the evaluating scope (inner scopes shadow outer). */
export interface VariableScope {
  /** The value, or undefined when no visible scope defines it (null = defined as null). */
  get(name: string): JsonValue | undefined;
  /** Every visible variable (for FEEL contexts). */
  all(): Record<string, JsonValue>;
}

/**
 * A {@link VariableScope} over one plain record of variables. Only the record's own
 * properties are variables (`constructor`, `__proto__` … are not).
 *
 * @example
 * evaluate({ kind: 'juel', source: '${x > 5}' }, variablesScope({ x: 7 })); // true
 */
export function variablesScope(vars: Readonly<Record<string, JsonValue>>): VariableScope {
  return {
    get: (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined),
    all: () => ({ ...vars }),
  };
}
