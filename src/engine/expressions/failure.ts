/**
 * How expression errors are built, so that every message has the same shape:
 * `expression <text> failed: <reason>` / `expression <text> is not supported: <reason>`.
 *
 * The `<text>` is the expression as written in the model: JUEL with its `${…}`
 * delimiters, FEEL with its leading `=`.
 */
import { ProcosError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { EngineErrors } from '../errors.js';

/** Optional structured fields of an expression error. */
export interface FailureDetails {
  /** The variable that was not defined. */
  readonly variable?: string;
  /** 0-based offset into the expression text where the problem is. */
  readonly position?: number;
}

/**
 * A `PROCOS_ENGINE_EXPRESSION_FAILED` error.
 * details: `{expression, reason, variable?, position?}`.
 */
export function expressionFailed(expression: string, reason: string, extra: FailureDetails = {}, cause?: unknown): ProcosError {
  return new ProcosError(
    EngineErrors.EXPRESSION_FAILED,
    `expression ${expression} failed: ${reason}`,
    { expression, reason, ...extra },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * A `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED` error.
 * details: `{expression, reason, position?}`.
 */
export function expressionUnsupported(expression: string, reason: string, extra: FailureDetails = {}): ProcosError {
  return new ProcosError(EngineErrors.EXPRESSION_UNSUPPORTED, `expression ${expression} is not supported: ${reason}`, {
    expression,
    reason,
    ...extra,
  });
}

/** The JSON type of a value with its article, for messages: `a string`, `null`, `an array`. */
export function describeType(value: JsonValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}

const MAX_SHOWN = 60;

/** A value as shown in messages: JSON text, cut to 60 characters. */
export function showValue(value: JsonValue): string {
  const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
