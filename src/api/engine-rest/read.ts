/**
 * Reading request bodies and query strings at the edge: every field is checked once,
 * and a bad one is refused with PROCOS_API_INVALID_REQUEST naming the field, as
 * Camunda's `InvalidRequestException` does. `null` counts as absent (Camunda's DTO
 * fields are nullable).
 */
import { ProcosError } from '../../common/errors.js';
import { ApiErrors } from '../errors.js';
import { parseDate } from './dates.js';

function invalid(field: string, message: string, value?: unknown): ProcosError {
  return new ProcosError(ApiErrors.INVALID_REQUEST, message, value === undefined ? { field } : { field, value: typeof value === 'string' ? value : JSON.stringify(value) });
}

/** A checked view of a JSON request body (an object, or absent). */
export class Body {
  private readonly o: Record<string, unknown>;

  /**
   * @param body the parsed body (`undefined` when the request had none).
   * @throws PROCOS_API_INVALID_REQUEST when the body is not a JSON object.
   */
  constructor(body: unknown) {
    if (body === undefined || body === null) this.o = {};
    else if (typeof body === 'object' && !Array.isArray(body)) this.o = body as Record<string, unknown>;
    else throw invalid('body', 'The request body must be a JSON object');
  }

  /** The raw field (`undefined` when absent or null). */
  raw(name: string): unknown {
    const v = this.o[name];
    return v === null ? undefined : v;
  }

  /** An optional string field. */
  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || typeof v === 'string') return v;
    throw invalid(name, `${name} must be a string, got ${JSON.stringify(v)}`, v);
  }

  /** A required, non-empty string field. */
  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw invalid(name, `${name} is required (a non-empty string)`);
    return v;
  }

  /** An optional boolean field. */
  boolean(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined || typeof v === 'boolean') return v;
    throw invalid(name, `${name} must be true or false, got ${JSON.stringify(v)}`, v);
  }

  /** An optional integer field within [min, max]. */
  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(name, `${name} must be an integer, got ${JSON.stringify(v)}`, v);
    if (v < min || v > max) throw invalid(name, `${name} must be between ${min} and ${max}, got ${v}`, v);
    return v;
  }

  /** An optional list of strings. */
  strings(name: string): string[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw invalid(name, `${name} must be a list of strings`, v);
    return v;
  }

  /** An optional list of objects, each read as a {@link Body}. */
  objects(name: string): Body[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw invalid(name, `${name} must be a list of objects`, v);
    return v.map((x, i) => {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) throw invalid(`${name}[${i}]`, `${name}[${i}] must be an object`, x);
      return new Body(x);
    });
  }

  /** An optional object field (returned as is). */
  object(name: string): Record<string, unknown> | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw invalid(name, `${name} must be an object`, v);
    return v as Record<string, unknown>;
  }
}

/** How a query parameter is read. */
export type ParamKind = 'string' | 'boolean' | 'integer' | 'list' | 'date';

/** A query value as Fastify parses it. */
export type RawQuery = Record<string, string | string[] | undefined>;

/** A checked view of a query string: only the declared parameters can be read. */
export class Query {
  private readonly values = new Map<string, string>();

  /**
   * @param raw the parsed query string (repeated keys: the first value counts, as JAX-RS).
   * @param kinds the parameters this route reads and how.
   * @param camunda parameters Camunda documents for the route; any of them that is not
   *   in `kinds` is refused (it would otherwise be silently ignored and widen the
   *   result), except a boolean flag set to `false`, which Camunda ignores too.
   *   Parameters Camunda does not know are ignored, as Camunda ignores them.
   * @throws PROCOS_API_INVALID_REQUEST for a bad value; PROCOS_API_NOT_SUPPORTED for a
   *   Camunda filter ProcOS does not implement.
   */
  constructor(raw: RawQuery, kinds: Readonly<Record<string, ParamKind>>, camunda: readonly string[] = []) {
    for (const [name, v] of Object.entries(raw)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (value === undefined) continue;
      if (kinds[name] === undefined) {
        if (camunda.includes(name) && value !== 'false') {
          throw new ProcosError(ApiErrors.NOT_SUPPORTED, `Query parameter '${name}' is not supported by ProcOS yet; supported: ${Object.keys(kinds).join(', ')}`, { feature: name });
        }
        continue;
      }
      this.values.set(name, value);
      this.check(name, kinds[name]!, value);
    }
  }

  private check(name: string, kind: ParamKind, value: string): void {
    const ok =
      kind === 'boolean' ? value === 'true' || value === 'false' : kind === 'integer' ? /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) : kind === 'date' ? parseDate(value) !== null : true;
    if (!ok) throw invalid(name, `Cannot set query parameter '${name}' to value '${value}'`, value);
  }

  /** Whether the parameter was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A string parameter. */
  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A boolean flag: true only when given as `true` (Camunda ignores `false` flags). */
  flag(name: string): boolean {
    return this.values.get(name) === 'true';
  }

  /** A boolean parameter: true, false, or undefined when absent. */
  boolean(name: string): boolean | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : v === 'true';
  }

  /** An integer parameter. */
  integer(name: string): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : Number(v);
  }

  /** A comma-separated list parameter. */
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : v.split(',').filter((s) => s !== '');
  }

  /** A date parameter, epoch ms. */
  date(name: string): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : (parseDate(v) ?? undefined);
  }
}

/**
 * Camunda's `…Like` match: `%` any run of characters, `_` any one character, `\` escapes.
 */
export function likeMatch(pattern: string, value: string | null): boolean {
  if (value === null) return false;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`).test(value);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
