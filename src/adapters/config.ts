/**
 * Config validation shared by adapters and the worker: zod building blocks for adapter
 * schemas, readable issue paths, and the registry entry that erases an adapter's config
 * type ({@link adapterEntry}).
 */
import { z } from 'zod';
import { ProcosError } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
import { AdaptersErrors } from './errors.js';
import { findTemplateProblem, parseTemplate } from './template.js';
import type { Adapter, AdapterEntry, ConfigIssue, ConfigureResult, ConfiguredAdapter } from './types.js';

/** A zod issue, as much of it as the formatter reads. */
interface IssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly IssueLike[])[];
}

/**
 * Formats a key path for people: `topics.fetch-user.config.headers.Accept`,
 * `args[2]`, `topics["a b"]`. An empty path is `(root)`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(root)' : out;
}

function depth(issues: readonly IssueLike[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/**
 * One message for a union none of whose alternatives matched:
 * `Invalid input: expected "fail" | "complete" | object, received number` when every
 * alternative failed on its type, else the alternatives' messages joined by ` | `.
 */
function describeAlternatives(branches: readonly (readonly IssueLike[])[]): string {
  const messages = branches.map((b) => b.map((i) => (i.path.length ? `${formatPath(i.path)}: ` : '') + i.message.replace(/^Invalid input: /, '')).join(', '));
  const parsed = messages.map((m) => /^expected (.+?)(?:, received (\S+))?$/.exec(m));
  if (parsed.every((m) => m !== null)) {
    const received = parsed.find((m) => m![2] !== undefined)?.[2];
    return `Invalid input: expected ${parsed.map((m) => m![1]).join(' | ')}${received ? `, received ${received}` : ''}`;
  }
  return `matches none of the allowed forms: ${messages.join(' | ')}`;
}

/**
 * Turns zod issues into {@link ConfigIssue}s with full paths (`prefix` + issue path).
 * A failed union reports the alternative that got furthest, or all alternatives when
 * none did (`expected "fail" | expected object`).
 */
export function toConfigIssues(issues: readonly IssueLike[], prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      const deepest = Math.max(...issue.errors.map(depth));
      const best = issue.errors.filter((b) => depth(b) === deepest);
      if (deepest > 0 && best.length === 1) {
        out.push(...toConfigIssues(best[0]!, path));
      } else {
        out.push({ path: formatPath(path), message: describeAlternatives(issue.errors) });
      }
      continue;
    }
    out.push({ path: formatPath(path), message: issue.message });
  }
  return out;
}

/** Joins issues into one message line per issue: `path: message`. */
export function describeIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/**
 * A zod schema for a configured string that may hold `${…}` placeholders; malformed
 * templates are refused at validation time with the template's problem.
 */
export const templateString = z.string().superRefine((value, ctx) => {
  try {
    parseTemplate(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
  }
});

/** A zod schema for a JSON value whose strings are templates (see `renderJson`). */
export const jsonTemplate = z.json().superRefine((value, ctx) => {
  const problem = findTemplateProblem(value as JsonValue);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
});

/** A zod schema for an output variable name, or `null` to leave that output out. */
export const outputName = z.union([z.string().min(1), z.null()]);

/** Wraps an adapter so it can live in an {@link AdapterRegistry} next to adapters of other config types. */
export function adapterEntry<C>(adapter: Adapter<C>): AdapterEntry {
  return {
    name: adapter.name,
    configure(rawConfig: unknown, pathPrefix: readonly PropertyKey[] = []): ConfigureResult {
      const parsed = adapter.configSchema.safeParse(rawConfig ?? {});
      if (!parsed.success) return { ok: false, issues: toConfigIssues(parsed.error.issues, pathPrefix) };
      const config = parsed.data;
      const configured: ConfiguredAdapter = {
        name: adapter.name,
        execute: (call) => adapter.execute({ ...call, config }),
      };
      return { ok: true, adapter: configured };
    },
  };
}

/**
 * Validates a config for one adapter and binds it.
 * @throws ProcosError `PROCOS_ADAPTERS_CONFIG_INVALID`, details `{adapter, issues}`, the
 *   message naming each bad key path and what was expected.
 */
export function configureAdapter<C>(adapter: Adapter<C>, rawConfig: unknown): ConfiguredAdapter {
  const r = adapterEntry(adapter).configure(rawConfig);
  if (r.ok) return r.adapter;
  throw new ProcosError(AdaptersErrors.CONFIG_INVALID, `invalid ${adapter.name} adapter config: ${describeIssues(r.issues)}`, {
    adapter: adapter.name,
    issues: r.issues,
  });
}
