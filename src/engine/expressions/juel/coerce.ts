/**
 * EL type coercions (Unified EL 2.2, JSR-245 §1.18) for JSON values.
 *
 * JSON has one number type; a number is treated as EL's `Long` when it is an integer and
 * as `Double` otherwise. JSON objects are EL `Map`s and JSON arrays EL `List`s. Strings
 * coerced from objects and arrays are their JSON text (what Camunda Spin's JSON values
 * print), not Java's `Map.toString()`.
 */
import type { JsonValue } from '../../../common/json.js';

/**
 * Numeric strings: an optional sign, digits with an optional fraction and exponent.
 * No surrounding whitespace, no `NaN`/`Infinity` (Java's `Long.valueOf` accepts neither).
 */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * §1.18.3 "Coerce A to Number": null and `""` → 0; a number → itself; a numeric string →
 * its value. Booleans, arrays, objects and other strings are not coercible.
 *
 * @returns the number, or undefined when `v` cannot be coerced (the caller reports it).
 */
export function coerceToNumber(v: JsonValue): number | undefined {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === '') return 0;
    return NUMERIC.test(v) ? Number(v) : undefined;
  }
  return undefined;
}

/**
 * §1.7.1: an operand that makes `+ - * %` work on `Double`s: a non-integer number, or a
 * string containing `.`, `e` or `E`. Otherwise the operation is done on `Long`s.
 */
export function isFloating(v: JsonValue): boolean {
  if (typeof v === 'number') return !Number.isInteger(v);
  if (typeof v === 'string') return v.includes('.') || v.includes('e') || v.includes('E');
  return false;
}

/**
 * §1.18.5 "Coerce A to Boolean": null and `""` → false; a boolean → itself; any other
 * string → true exactly when it equals `"true"` ignoring case (Java `Boolean.valueOf`).
 *
 * @returns the boolean, or undefined for numbers, arrays and objects (an EL error).
 */
export function coerceToBoolean(v: JsonValue): boolean | undefined {
  if (v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return undefined;
}

/**
 * §1.18.2 "Coerce A to String": null → `""`; a string → itself; booleans and numbers →
 * their text (`String(n)`, so `3` not Java's `3.0`); arrays and objects → JSON text.
 */
export function coerceToString(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** §1.10 `empty A`: true for null, `""`, an empty array and an object without keys. */
export function isEmpty(v: JsonValue): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** Structural equality of JSON values (Java `List.equals` / `Map.equals`, §1.8.2 last rule). */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]!));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k]!, b[k]!));
}
