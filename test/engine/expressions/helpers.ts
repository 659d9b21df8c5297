/**
 * Shared helper of the expression tests: an assertion for expression errors (code,
 * message quoting the expression, named variable, position).
 */
import assert from 'node:assert/strict';
import { isProcosError, type ProcosError } from '../../../src/common/errors.js';
import { EngineErrors } from '../../../src/engine/errors.js';

/** What an expression error must look like. */
export interface ExpectedFailure {
  /** Which registered code. */
  readonly code: 'FAILED' | 'UNSUPPORTED';
  /** The expression as the message quotes it (JUEL source, or FEEL with its `=`). */
  readonly expression: string;
  /** The undefined variable the message and `details.variable` must name. */
  readonly variable?: string;
  /** Text the message must contain. */
  readonly includes?: string | readonly string[];
  /** `details.position`, also quoted in the message for syntax errors. */
  readonly position?: number;
}

/** Runs `fn`, asserts it throws the expected expression error, and returns the error. */
export function assertExpressionError(fn: () => unknown, expected: ExpectedFailure): ProcosError {
  let thrown: unknown;
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected an error for ${expected.expression}, got ${JSON.stringify(result)}`);
  const spec = expected.code === 'FAILED' ? EngineErrors.EXPRESSION_FAILED : EngineErrors.EXPRESSION_UNSUPPORTED;
  assert.ok(isProcosError(thrown, spec), `expected ${spec.code} for ${expected.expression}, got ${String(thrown)}`);
  const e = thrown;
  const verb = expected.code === 'FAILED' ? 'failed:' : 'is not supported:';
  assert.ok(e.message.startsWith(`expression ${expected.expression} ${verb} `), `message does not quote the expression: ${e.message}`);
  assert.equal(e.details['expression'], expected.expression);
  assert.equal(typeof e.details['reason'], 'string');
  if (expected.variable !== undefined) {
    const named = `variable '${expected.variable}' is not defined`;
    assert.ok(e.message.includes(named), `message does not name ${expected.variable}: ${e.message}`);
    assert.equal(e.details['variable'], expected.variable);
  } else {
    assert.equal(e.details['variable'], undefined, `unexpected details.variable in: ${e.message}`);
  }
  const includes = expected.includes === undefined ? [] : typeof expected.includes === 'string' ? [expected.includes] : expected.includes;
  for (const text of includes) assert.ok(e.message.includes(text), `message lacks ${JSON.stringify(text)}: ${e.message}`);
  if (expected.position !== undefined) assert.equal(e.details['position'], expected.position, e.message);
  return e;
}
