/**
 * FEEL (Zeebe's expression language, DMN 1.3 §10) through feelin.
 *
 * feelin returns `null` plus warnings where FEEL itself yields null (a missing variable
 * makes `x > 5` null). The engine does not let that pass silently: a null result, or a
 * condition that is not a boolean, while feelin warns `NO_VARIABLE_FOUND` is a
 * `PROCOS_ENGINE_EXPRESSION_FAILED` naming the variable.
 *
 * Results become JSON: dates, times and date-times become ISO-8601 strings, durations
 * ISO-8601 durations; functions and ranges cannot be variables and are refused.
 * Messages show the expression with its leading `=`; positions are 0-based offsets into
 * the FEEL text without the `=`.
 */
import {
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  SyntaxError as FeelSyntaxError,
  evaluate as feelinEvaluate,
  isFunction,
  isRange,
  parseExpression,
  type Warning,
} from 'feelin';
import type { JsonValue } from '../../common/json.js';
import { describeType, expressionFailed } from './failure.js';
import type { VariableScope } from './scope.js';

/** The FEEL text as written in a model attribute: with its leading `=`. */
function display(source: string): string {
  return `=${source}`;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The variables feelin gets: only those whose name occurs in the source text. A FEEL
 * expression can only reach a variable by writing its name (names with spaces included),
 * and feelin's cost grows with the size of its context (it copies it and its parser
 * tracks every name), so this keeps one evaluation from paying for the whole scope.
 */
function referencedVariables(source: string, scope: VariableScope): Record<string, JsonValue> {
  const all = scope.all();
  const used: Record<string, JsonValue> = {};
  for (const name of Object.keys(all)) {
    if (source.includes(name)) used[name] = all[name]!;
  }
  return used;
}

/** Runs feelin; syntax errors and exceptions inside feelin become EXPRESSION_FAILED. */
function run(source: string, scope: VariableScope): { value: unknown; warnings: Warning[] } {
  try {
    return feelinEvaluate(source, referencedVariables(source, scope));
  } catch (e) {
    if (e instanceof FeelSyntaxError) {
      const pos = e.position.from;
      throw expressionFailed(display(source), `syntax error at position ${pos}: ${e.message}`, { position: pos }, e);
    }
    throw expressionFailed(display(source), `evaluation error: ${errorMessage(e)}`, {}, e);
  }
}

/**
 * When feelin reported a missing variable (or function), the error naming it.
 * feelin's `NO_VARIABLE_FOUND` warning spans the name in the source; a name followed by
 * `(` is a function that does not exist.
 */
function missingName(source: string, warnings: readonly Warning[]): Error | undefined {
  const w = warnings.find((x) => x.type === 'NO_VARIABLE_FOUND');
  if (w === undefined) return undefined;
  const name = source.slice(w.position.from, w.position.to);
  const position = w.position.from;
  if (/^\s*\(/.test(source.slice(w.position.to))) {
    return expressionFailed(display(source), `function '${name}' is not defined`, { position });
  }
  return expressionFailed(display(source), `variable '${name}' is not defined`, { variable: name, position });
}

/** The FEEL type of a value, for messages. */
function describeFeel(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof FeelDate) return 'a date';
  if (value instanceof FeelDateTime) return 'a date and time';
  if (value instanceof FeelTime) return 'a time';
  if (value instanceof FeelDuration) return 'a duration';
  if (isFunction(value)) return 'a function';
  if (isRange(value)) return 'a range';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) {
    return describeType(value as JsonValue);
  }
  return 'a context';
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A date-time in an IANA zone as Java prints a `ZonedDateTime` (RFC 9557): `2020-01-01T10:00:00+01:00[Europe/Paris]`. */
function zonedDateTime(value: FeelDateTime): string {
  const iso = value.toJSON();
  if (value.zone === null || !iso.includes('@')) return iso;
  try {
    return value.unwrap().toZonedDateTime(value.zone).toString();
  } catch {
    return iso;
  }
}

/**
 * Converts a feelin result to JSON.
 *
 * @param path - where in the result `value` sits, for messages (`result`, `result.a[0]`).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` for functions, ranges,
 *   non-finite numbers and values of unknown classes.
 */
function toJson(source: string, value: unknown, path: string): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw expressionFailed(display(source), `${path} is ${String(value)}, which is not a finite number and cannot be stored as JSON`);
      }
      return value === 0 ? 0 : value;
    case 'object':
      break;
    default:
      throw expressionFailed(display(source), `cannot store a FEEL ${typeof value} as a variable (${path})`);
  }
  if (Array.isArray(value)) return value.map((v: unknown, i) => toJson(source, v, `${path}[${i}]`));
  if (value instanceof FeelDateTime) return zonedDateTime(value);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) return value.toJSON();
  if (isFunction(value)) throw expressionFailed(display(source), `cannot store a FEEL function as a variable (${path})`);
  if (isRange(value)) throw expressionFailed(display(source), `cannot store a FEEL range as a variable (${path})`);
  if (!isPlainObject(value)) {
    throw expressionFailed(display(source), `cannot store a FEEL ${value.constructor.name} as a variable (${path})`);
  }
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJson(source, v, `${path}.${k}`);
  return out;
}

/** FEEL words that are not variable names when they stand alone. */
const FEEL_WORDS: ReadonlySet<string> = new Set(
  'true false null for if then else some every in return satisfies and or between instance of function external not'.split(' '),
);
const LONE_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/**
 * The variable name when the source is nothing but a plain name (`=orderId`, the most
 * common Zeebe mapping). Such sources skip feelin: a name evaluates to the variable's
 * value, which is already JSON.
 */
function loneVariable(source: string): string | undefined {
  const m = LONE_NAME.exec(source);
  return m === null || FEEL_WORDS.has(m[1]!) ? undefined : m[1];
}

/**
 * Evaluates FEEL text (without the leading `=`) against the scope's variables.
 *
 * @returns the result as JSON (see the module comment for the conversions).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED`: syntax error (with position), a
 *   null result while a variable was missing (`details.variable`), a function or range
 *   result, or an exception inside feelin.
 */
export function evaluateFeel(source: string, scope: VariableScope): JsonValue {
  const name = loneVariable(source);
  if (name !== undefined) {
    const value = scope.get(name);
    if (value === undefined) {
      throw expressionFailed(display(source), `variable '${name}' is not defined`, { variable: name, position: source.indexOf(name) });
    }
    return value;
  }
  const { value, warnings } = run(source, scope);
  if (value === null || value === undefined) {
    const missing = missingName(source, warnings);
    if (missing !== undefined) throw missing;
    return null;
  }
  return toJson(source, value, 'result');
}

/**
 * Evaluates FEEL text as a condition: the result must be a boolean.
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED`: as {@link evaluateFeel}, and
 *   when the result is not a boolean (the message says which type came back and lists
 *   feelin's warnings).
 */
export function evaluateFeelCondition(source: string, scope: VariableScope): boolean {
  const { value, warnings } = run(source, scope);
  if (typeof value === 'boolean') return value;
  const missing = missingName(source, warnings);
  if (missing !== undefined) throw missing;
  const notes = warnings.length === 0 ? '' : ` (FEEL warnings: ${warnings.slice(0, 3).map((w) => w.message).join('; ')})`;
  throw expressionFailed(display(source), `the condition returned ${describeFeel(value)}, not a boolean${notes}`);
}

/**
 * Checks FEEL syntax without evaluating (no variables, no function calls).
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` at the first syntax error, with its
 *   position.
 */
export function checkFeel(source: string): void {
  const tree = parseExpression(source, {}, undefined);
  let error: { from: number; to: number } | undefined;
  tree.iterate({
    enter(node) {
      if (error !== undefined) return false;
      if (node.type.isError) {
        error = { from: node.from, to: node.to };
        return false;
      }
      return undefined;
    },
  });
  if (error === undefined) return;
  const { from, to } = error;
  const near = source.slice(from, Math.min(Math.max(to, from + 1), from + 20));
  const what = from >= source.length ? 'unexpected end of expression' : `unexpected ${JSON.stringify(near)}`;
  throw expressionFailed(display(source), `syntax error at position ${from}: ${what}`, { position: from });
}
