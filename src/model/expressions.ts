/**
 * Building {@link Expr} values from attribute and element text.
 *
 * Rules (one place, so every attribute follows them):
 * - text starting with `=` → FEEL (Zeebe), source = the rest, trimmed;
 * - text containing `${` or `#{` → JUEL (Camunda 7), source = the whole text (composite
 *   expressions such as `order-${id}` stay whole);
 * - anything else → a literal (a number where the attribute is numeric).
 *
 * JUEL is checked for what the engine cannot evaluate without a JVM: method calls
 * (`${bean.check(a)}`, `${execution.getVariable('x')}`, `${fn:f(x)}`) →
 * `PROCOS_MODEL_JAVA_IMPLEMENTATION`. The EL operator keywords (`empty`, `not`, `and`, …)
 * before `(` are operators, not calls.
 *
 * Source: Camunda 7 docs "Expression Language" (JUEL, composite expressions);
 * Zeebe docs "Expressions" (`=` prefix, FEEL); JSR 245 (Unified EL) §1.17 reserved words.
 */
import type { ErrorSpec } from '../common/errors.js';
import { ModelErrors } from './errors.js';
import type { Expr } from './types.js';

/** A built expression, or the problem that prevents it. */
export type ExprResult = { readonly expr: Expr } | { readonly problem: { readonly spec: ErrorSpec; readonly message: string } };

/** Options of {@link valueExpr}. */
export interface ValueExprOptions {
  /** Literal numeric text (`10`, `-1.5`) becomes a number. @default false */
  readonly numeric?: boolean;
  /** Empty (or blank) text becomes literal `null` instead of `""`. @default false */
  readonly emptyIsNull?: boolean;
}

/** EL reserved words that may stand before `(` as operators (JSR 245 §1.17). */
const OPERATOR_WORDS = new Set(['empty', 'not', 'and', 'or', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'instanceof', 'true', 'false', 'null']);

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when `text` contains a JUEL expression (`${` or `#{`). */
export function isJuel(text: string): boolean {
  return text.includes('${') || text.includes('#{');
}

/**
 * Builds the expression for an attribute value or a mapping body, per the module rules.
 * Literal text is kept as written (not trimmed); FEEL source is trimmed.
 */
export function valueExpr(text: string, options: ValueExprOptions = {}): ExprResult {
  const trimmed = text.trim();
  if (trimmed.startsWith('=')) {
    const source = trimmed.slice(1).trim();
    if (source === '') return { problem: { spec: ModelErrors.INVALID, message: 'empty FEEL expression "="' } };
    return { expr: { kind: 'feel', source } };
  }
  if (isJuel(text)) return juelExpr(text);
  if (options.emptyIsNull === true && trimmed === '') return { expr: { kind: 'literal', value: null } };
  if (options.numeric === true && NUMBER.test(trimmed)) return { expr: { kind: 'literal', value: Number(trimmed) } };
  return { expr: { kind: 'literal', value: text } };
}

/** Builds a JUEL expression after checking that it is terminated and calls no methods. */
export function juelExpr(source: string): ExprResult {
  const segments = juelSegments(source);
  if (segments === undefined) return { problem: { spec: ModelErrors.INVALID, message: `unterminated expression in ${JSON.stringify(source)}` } };
  for (const body of segments) {
    const call = findMethodCall(body);
    if (call !== undefined) {
      return {
        problem: {
          spec: ModelErrors.JAVA_IMPLEMENTATION,
          message: `expression ${JSON.stringify(source)} calls "${call}(…)", a Java method; only variables, properties and operators can be evaluated without a JVM`,
        },
      };
    }
  }
  return { expr: { kind: 'juel', source } };
}

/**
 * Builds a sequence-flow condition from a `conditionExpression`.
 * - `language` absent: by the body (`${…}`/`#{…}` JUEL, `=…` FEEL); other text is refused
 *   unless `defaultLanguage` (the definitions' `expressionLanguage`) is FEEL.
 * - `language` FEEL (`…/FEEL/`, `feel`) → FEEL (a leading `=` is dropped); `juel` → JUEL;
 *   any other language (javascript, groovy, XPath …) → `PROCOS_MODEL_UNSUPPORTED_ELEMENT`.
 */
export function conditionExpr(body: string, language: string | undefined, defaultLanguage?: string): ExprResult {
  const text = body.trim();
  if (language !== undefined && language.trim() !== '') {
    if (isFeelLanguage(language)) return feelCondition(text);
    if (/^juel$/i.test(language.trim())) return juelCondition(text);
    return { problem: { spec: ModelErrors.UNSUPPORTED_ELEMENT, message: `script condition in language "${language}" is not supported; use \${…} (JUEL) or =… (FEEL)` } };
  }
  if (text.startsWith('=')) return feelCondition(text);
  if (isJuel(text)) return juelCondition(text);
  if (defaultLanguage !== undefined && isFeelLanguage(defaultLanguage)) return feelCondition(text);
  if (text === '') return { problem: { spec: ModelErrors.INVALID, message: 'empty condition expression; remove it or write ${…} (JUEL) or =… (FEEL)' } };
  return { problem: { spec: ModelErrors.INVALID, message: `condition ${JSON.stringify(text)} is not an expression; write \${…} (JUEL) or =… (FEEL)` } };
}

function isFeelLanguage(language: string): boolean {
  return /(^|[/:])feel([/]|$)/i.test(language.trim());
}

function feelCondition(text: string): ExprResult {
  const source = (text.startsWith('=') ? text.slice(1) : text).trim();
  if (source === '') return { problem: { spec: ModelErrors.INVALID, message: 'empty FEEL condition' } };
  return { expr: { kind: 'feel', source } };
}

function juelCondition(text: string): ExprResult {
  return juelExpr(text);
}

/**
 * The bodies of the `${…}` / `#{…}` segments of a composite expression, or undefined
 * when one is not terminated. Braces inside string literals are skipped.
 */
export function juelSegments(source: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if ((c === '$' || c === '#') && source[i + 1] === '{' && source[i - 1] !== '\\') {
      const start = i + 2;
      let depth = 0;
      let j = start;
      let quote: string | undefined;
      for (; j < source.length; j++) {
        const d = source[j];
        if (quote !== undefined) {
          if (d === '\\') j++;
          else if (d === quote) quote = undefined;
        } else if (d === "'" || d === '"') quote = d;
        else if (d === '{') depth++;
        else if (d === '}') {
          if (depth === 0) break;
          depth--;
        }
      }
      if (j >= source.length) return undefined;
      out.push(source.slice(start, j));
      i = j + 1;
    } else i++;
  }
  return out;
}

/**
 * The name of the first method or function called in a JUEL expression body, or
 * undefined. A call is an identifier (or `]`) directly followed by `(`, where the
 * identifier is not an operator word. String literals are skipped.
 */
export function findMethodCall(body: string): string | undefined {
  let i = 0;
  let lastWord: string | undefined;
  let lastWasBracket = false;
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== c) j += body[j] === '\\' ? 2 : 1;
      i = j + 1;
      lastWord = undefined;
      lastWasBracket = false;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < body.length && /[\w$]/.test(body[j] ?? '')) j++;
      lastWord = body.slice(i, j);
      lastWasBracket = false;
      i = j;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      if (lastWord !== undefined && !OPERATOR_WORDS.has(lastWord)) return lastWord;
      if (lastWasBracket) return '[…]';
    }
    lastWasBracket = c === ']';
    if (/[0-9]/.test(c)) {
      // a number: skip digits (and a following identifier-like exponent) as one token
      let j = i + 1;
      while (j < body.length && /[\w.]/.test(body[j] ?? '')) j++;
      i = j;
      lastWord = undefined;
      continue;
    }
    lastWord = undefined;
    i++;
  }
  return undefined;
}
