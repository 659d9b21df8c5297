/**
 * EL operator semantics on JSON values (Unified EL 2.2, JSR-245 §1.6–§1.10).
 *
 * Each function takes the evaluated operands and an {@link OperatorSite}, which knows the
 * expression text and the operand nodes so that a failure names the operand that was
 * wrong. All failures are `PROCOS_ENGINE_EXPRESSION_FAILED`.
 */
import type { JsonValue } from '../../../common/json.js';
import { describeType, expressionFailed, showValue } from '../failure.js';
import type { Node } from './ast.js';
import { coerceToBoolean, coerceToNumber, coerceToString, deepEqual, isFloating } from './coerce.js';

/** Which operand of an operator. */
export type Side = 'left' | 'right';

/** Where an operator sits in an expression; builds its error messages. */
export class OperatorSite {
  /**
   * @param source - the whole expression text.
   * @param op - the operator as shown in messages (`+`, `&&`, `.` …).
   * @param left - the first (or only) operand node.
   * @param right - the second operand node, for binary operators.
   */
  constructor(
    readonly source: string,
    readonly op: string,
    readonly left: Node,
    readonly right?: Node,
  ) {}

  /** Throws `PROCOS_ENGINE_EXPRESSION_FAILED` with `reason`, positioned at the operator's left operand. */
  fail(reason: string): never {
    throw expressionFailed(this.source, reason, { position: this.left.pos });
  }

  /** An operand as shown in messages: `"abc"` for a literal, `name = "abc"` otherwise. */
  describe(side: Side, value: JsonValue): string {
    const node = side === 'left' ? this.left : (this.right ?? this.left);
    const shown = `${showValue(value)} (${describeType(value)})`;
    return node.type === 'literal' ? shown : `${this.source.slice(node.pos, node.end)} = ${shown}`;
  }

  /** §1.18.3 coercion of one operand to a number, failing with the operand named. */
  number(value: JsonValue, side: Side): number {
    const n = coerceToNumber(value);
    if (n !== undefined) return n;
    const hint = this.op === '+' && typeof value === 'string' ? "; EL has no string concatenation with '+'" : '';
    return this.fail(`operand ${this.describe(side, value)} of '${this.op}' is not a number${hint}`);
  }

  /** §1.18.5 coercion of one operand to a boolean, failing with the operand named. */
  boolean(value: JsonValue, side: Side): boolean {
    const b = coerceToBoolean(value);
    if (b !== undefined) return b;
    return this.fail(`operand ${this.describe(side, value)} of '${this.op}' cannot be coerced to a boolean`);
  }
}

/** -0 → 0: JSON and EL's `Long` have no negative zero. */
function noNegativeZero(n: number): number {
  return n === 0 ? 0 : n;
}

/**
 * `A + B`, `A - B`, `A * B` (§1.7.1): null and null → 0; otherwise both operands are
 * coerced to numbers. `+` never concatenates strings.
 */
export function arithmetic(op: '+' | '-' | '*', a: JsonValue, b: JsonValue, site: OperatorSite): number {
  if (a === null && b === null) return 0;
  const x = site.number(a, 'left');
  const y = site.number(b, 'right');
  return noNegativeZero(op === '+' ? x + y : op === '-' ? x - y : x * y);
}

/**
 * `A / B`, `A div B` (§1.7.2): null and null → 0; otherwise a `Double` division, so
 * `7 / 2` is 3.5 and `1 / 0` is Infinity (refused only if it becomes the result).
 */
export function divide(a: JsonValue, b: JsonValue, site: OperatorSite): number {
  if (a === null && b === null) return 0;
  return noNegativeZero(site.number(a, 'left') / site.number(b, 'right'));
}

/**
 * `A % B`, `A mod B` (§1.7.3): null and null → 0; with a floating operand a `Double`
 * remainder (`x % 0` is NaN), otherwise a `Long` remainder where `x % 0` is an error.
 */
export function modulo(a: JsonValue, b: JsonValue, site: OperatorSite): number {
  if (a === null && b === null) return 0;
  const x = site.number(a, 'left');
  const y = site.number(b, 'right');
  if (y === 0 && !isFloating(a) && !isFloating(b)) site.fail(`division by zero in '${site.op}'`);
  return noNegativeZero(x % y);
}

/** Unary `-A` (§1.7.4): null → 0; otherwise the negated number. */
export function negate(a: JsonValue, site: OperatorSite): number {
  if (a === null) return 0;
  return noNegativeZero(-site.number(a, 'left'));
}

/**
 * `< > <= >=` and `lt gt le ge` (§1.8.1): identical operands satisfy `<=`/`>=`; a null
 * operand makes the comparison false; with a number on either side both are compared as
 * numbers (a string that is not numeric is an error); otherwise with a string on either
 * side both are compared as strings (UTF-16 code units, like `String.compareTo`); two
 * booleans compare `false < true`; anything else (arrays, objects) is an error.
 */
export function compare(op: '<' | '>' | '<=' | '>=', a: JsonValue, b: JsonValue, site: OperatorSite): boolean {
  if (a === b && (op === '<=' || op === '>=')) return true;
  if (a === null || b === null) return false;
  let x: number | string;
  let y: number | string;
  if (typeof a === 'number' || typeof b === 'number') {
    x = site.number(a, 'left');
    y = site.number(b, 'right');
  } else if (typeof a === 'string' || typeof b === 'string') {
    x = coerceToString(a);
    y = coerceToString(b);
  } else if (typeof a === 'boolean' && typeof b === 'boolean') {
    x = Number(a);
    y = Number(b);
  } else {
    return site.fail(`cannot compare ${site.describe('left', a)} with ${site.describe('right', b)} using '${op}'`);
  }
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

/**
 * `==`/`eq` (§1.8.2; `!=` is its negation): identical → true; one null → false; a number
 * on either side → numeric comparison (a non-numeric string is an error); a boolean on
 * either side → both coerced to boolean; a string on either side → both coerced to
 * string; arrays and objects → structural equality.
 */
export function equals(a: JsonValue, b: JsonValue, site: OperatorSite): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' || typeof b === 'number') return site.number(a, 'left') === site.number(b, 'right');
  if (typeof a === 'boolean' || typeof b === 'boolean') return site.boolean(a, 'left') === site.boolean(b, 'right');
  if (typeof a === 'string' || typeof b === 'string') return coerceToString(a) === coerceToString(b);
  return deepEqual(a, b);
}

/**
 * `A.B` and `A[B]` on JSON (§1.6): a null base or a null property → null; an object
 * yields the value of key `String(B)` or null when it has no such own key; an array
 * yields the element at index B (a number, truncated, or an integer string) or null when
 * out of range; a base that is a string, number or boolean has no properties (an error,
 * as EL's `PropertyNotFoundException`).
 */
export function member(base: JsonValue, property: JsonValue, site: OperatorSite): JsonValue {
  if (base === null || property === null) return null;
  if (Array.isArray(base)) {
    let index: number | undefined;
    if (typeof property === 'number') index = Math.trunc(property);
    else if (typeof property === 'string' && /^[+-]?\d+$/.test(property)) index = Number(property);
    if (index === undefined) {
      const array = site.source.slice(site.left.pos, site.left.end);
      return site.fail(`${site.describe('right', property)} is not an index of the array ${array}`);
    }
    return index >= 0 && index < base.length ? base[index]! : null;
  }
  if (typeof base === 'object') {
    const key = coerceToString(property);
    return Object.prototype.hasOwnProperty.call(base, key) ? base[key]! : null;
  }
  return site.fail(`cannot read property ${showValue(property)} of ${site.describe('left', base)}`);
}
