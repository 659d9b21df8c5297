/**
 * Camunda 7 typed variables (`{value, type, valueInfo}`) ⇄ ProcOS variables (plain
 * JSON), for the engine-rest routes: the one implementation in
 * src/common/camunda-values.ts (its module doc has the mapping table), with conversion
 * failures turned into the API's coded errors.
 */
import { CamundaValueError, fromTypedValue as convertValue, fromTypedVariables as convertVariables } from '../../common/camunda-values.js';
import { ProcosError } from '../../common/errors.js';
import type { JsonValue, Variables } from '../../common/json.js';
import { ApiErrors } from '../errors.js';

export { binaryContent, isStoredDate, toTypedValue, toTypedVariables } from '../../common/camunda-values.js';
export type { BinaryContent, TypedValueDto } from '../../common/camunda-values.js';

/** A conversion failure → PROCOS_API_INVALID_VARIABLE (a value) or PROCOS_API_INVALID_REQUEST (not a map). */
function apiError(e: unknown): unknown {
  if (!(e instanceof CamundaValueError)) return e;
  if (e.kind === 'map') return new ProcosError(ApiErrors.INVALID_REQUEST, e.message, { field: e.variable });
  return new ProcosError(ApiErrors.INVALID_VARIABLE, e.message, { variable: e.variable, type: e.type });
}

/**
 * One typed value (VariableValueDto as sent) → the JSON value ProcOS stores.
 * @throws PROCOS_API_INVALID_VARIABLE naming the variable and type, when the value does
 *   not fit its type or the type is unknown.
 */
export function fromTypedValue(name: string, input: unknown): JsonValue {
  try {
    return convertValue(name, input);
  } catch (e) {
    throw apiError(e);
  }
}

/**
 * A map of typed values (`{"name": {value, type, valueInfo}}`) → ProcOS variables.
 * `undefined` and `null` give `undefined` (no variables).
 * @throws PROCOS_API_INVALID_REQUEST when `input` is not an object;
 *   PROCOS_API_INVALID_VARIABLE for a bad value (see {@link fromTypedValue}).
 */
export function fromTypedVariables(input: unknown, field: string): Variables | undefined {
  try {
    return convertVariables(input, field);
  } catch (e) {
    throw apiError(e);
  }
}
