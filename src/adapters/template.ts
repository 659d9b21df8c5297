/**
 * `${…}` templating of configured string values: variable lookups only.
 *
 * A template is a configured string such as `"https://api/users/${userId}"` or
 * `"Bearer ${auth.token}"`. Placeholders are plain lookups in the task's variables: a
 * name, or a dotted path into objects and arrays (`${order.items.0.sku}`). Nothing is
 * evaluated: no operators, calls or expressions, so a template cannot run code. Write
 * `$${` for a literal `${`.
 *
 * Only configured values are templates. Variable values are inserted as data and never
 * scanned for placeholders again.
 */
import { ProcosError } from '../common/errors.js';
import type { JsonValue, Variables } from '../common/json.js';
import { AdaptersErrors } from './errors.js';

/** One piece of a parsed template: literal text, or a variable path (`['a', 'b']` for `${a.b}`). */
export type TemplatePart = { readonly text: string } | { readonly path: readonly string[]; readonly source: string };

const SEGMENT = /^(?:[A-Za-z_$][\w$-]*|\d+)$/;

/**
 * Parses a template into parts.
 * @throws ProcosError `PROCOS_ADAPTERS_TEMPLATE_INVALID` when a `${` is not closed, or a
 *   placeholder is not a variable path (e.g. `${a + b}`, `${f()}`, `${}`).
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!template.startsWith('${', i)) {
      text += template[i];
      i += 1;
      continue;
    }
    const end = template.indexOf('}', i + 2);
    if (end < 0) throw invalid(template, `"\${" at offset ${i} is not closed by "}"`);
    const source = template.slice(i + 2, end).trim();
    const path = source.split('.');
    if (source === '' || !path.every((s) => SEGMENT.test(s))) {
      throw invalid(template, `"\${${source}}" is not a variable name or dotted path (only lookups like \${name} or \${a.b} are allowed)`);
    }
    if (text !== '') parts.push({ text });
    text = '';
    parts.push({ path, source });
    i = end + 1;
  }
  if (text !== '' || parts.length === 0) parts.push({ text });
  return parts;
}

/** True when `value` has at least one placeholder (after `$${` escapes). */
export function hasPlaceholders(template: string): boolean {
  return parseTemplate(template).some((p) => 'path' in p);
}

/**
 * Looks a dotted path up in the variables. Only own properties count (no prototype
 * lookups such as `constructor`).
 */
export function lookupVariable(variables: Variables, path: readonly string[]): { found: true; value: JsonValue } | { found: false } {
  let current: JsonValue | undefined = Object.hasOwn(variables, path[0]!) ? variables[path[0]!] : undefined;
  if (current === undefined) return { found: false };
  for (const segment of path.slice(1)) {
    if (Array.isArray(current)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : NaN;
      if (!(index < current.length)) return { found: false };
      current = current[index]!;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = current[segment]!;
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/**
 * How an inserted value reads inside a string: strings as they are, numbers and booleans
 * as written in JSON, `null` as the empty string, objects and arrays as JSON.
 */
export function stringifyValue(value: JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function lookupOrThrow(variables: Variables, part: { path: readonly string[]; source: string }, template: string): JsonValue {
  const r = lookupVariable(variables, part.path);
  if (!r.found) {
    throw new ProcosError(AdaptersErrors.TEMPLATE_VARIABLE_MISSING, `template variable "${part.source}" is not set (in "${template}")`, {
      variable: part.source,
      template,
    });
  }
  return r.value;
}

/**
 * Renders a template to a string.
 * @param encode - applied to each inserted value (as text) with the index of its part,
 *   e.g. percent-encoding for URLs. @default none
 * @throws ProcosError `PROCOS_ADAPTERS_TEMPLATE_INVALID` (malformed template),
 *   `PROCOS_ADAPTERS_TEMPLATE_VARIABLE_MISSING` (details.variable names the missing path).
 * @example renderTemplate('Hello ${user.name}', { user: { name: 'Ada' } }) // 'Hello Ada'
 */
export function renderTemplate(template: string, variables: Variables, encode?: (value: string, partIndex: number) => string): string {
  let out = '';
  for (const [i, part] of parseTemplate(template).entries()) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = stringifyValue(lookupOrThrow(variables, part, template));
    out += encode ? encode(value, i) : value;
  }
  return out;
}

/**
 * Renders every string inside a JSON value. A string that is exactly one placeholder
 * (`"${items}"`) is replaced by the variable's value with its JSON type (array, number,
 * object …); other strings are rendered with {@link renderTemplate}. Object keys are not
 * templated.
 * @throws as {@link renderTemplate}.
 */
export function renderJson(value: JsonValue, variables: Variables): JsonValue {
  if (typeof value === 'string') {
    const parts = parseTemplate(value);
    const only = parts.length === 1 ? parts[0]! : undefined;
    if (only && 'path' in only) return lookupOrThrow(variables, only, value);
    return renderTemplate(value, variables);
  }
  if (Array.isArray(value)) return value.map((v) => renderJson(v, variables));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderJson(v, variables);
    return out;
  }
  return value;
}

/**
 * Checks every string inside a JSON value with {@link parseTemplate}; returns the first
 * problem with its path, or undefined.
 */
export function findTemplateProblem(value: JsonValue, path: (string | number)[] = []): { path: (string | number)[]; message: string } | undefined {
  if (typeof value === 'string') {
    try {
      parseTemplate(value);
      return undefined;
    } catch (e) {
      return { path, message: e instanceof Error ? e.message : String(e) };
    }
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = findTemplateProblem(v, [...path, i]);
      if (p) return p;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = findTemplateProblem(v, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

function invalid(template: string, reason: string): ProcosError {
  return new ProcosError(AdaptersErrors.TEMPLATE_INVALID, `invalid template "${template}": ${reason}`, { template, reason });
}
