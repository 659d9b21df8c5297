/**
 * Topic routing, the "generic worker" of the design papers: a workers config maps each
 * external-task topic to an adapter and its config, so a new topic needs configuration,
 * not code.
 *
 * ```yaml
 * # workers.yml (or the `workers:` section of procos.yml)
 * defaults: { retries: 3, retryTimeout: 1000, lockDuration: 30000, timeout: 60000 }
 * topics:
 *   fetch-user:
 *     adapter: http
 *     config: { url: "https://api.example/users/${userId}", errorCodes: { "404": USER_NOT_FOUND } }
 *     retries: 5
 *     retryTimeout: 2000
 *     retryBackoff: { factor: 2, maxTimeout: 60000 }
 *   convert:
 *     adapter: shell
 *     config: { command: /usr/bin/jq, args: ["-c", ".items"], stdin: "${doc}", stdoutJson: true }
 *     variables: [doc]
 * ```
 *
 * {@link compileRoutes} validates such an object once (as parsed by `yaml`), with every
 * adapter config, and returns {@link CompiledRoutes}; the worker only ever sees those.
 * Source: design paper 003 §4.2.2 / §5.2.2 "Generic Worker"; temporalio's
 * `compileRetryPolicy` for the compile-once pattern.
 */
import { z } from 'zod';
import { ProcosError } from '../common/errors.js';
import { builtinAdapters, describeIssues, toConfigIssues } from '../adapters/index.js';
import type { AdapterRegistry, ConfigIssue, ConfiguredAdapter } from '../adapters/index.js';
import { WorkerErrors } from './errors.js';
import type { RetryBackoff } from './retry.js';

/** Defaults of a route's policy fields. */
export const ROUTE_DEFAULTS = {
  /** Attempts before an incident: the first failure leaves `retries − 1`. */
  retries: 3,
  /** Wait before a failed task may run again, ms. */
  retryTimeout: 1000,
  /** Lock taken per fetch and per extension, ms. */
  lockDuration: 30_000,
  /** Longest run of one task before it is aborted and failed, ms. */
  timeout: 60_000,
} as const;

/** Defaults of `retryBackoff` fields when the object is given. */
export const RETRY_BACKOFF_DEFAULTS: RetryBackoff = { factor: 2, maxTimeout: 300_000 };

/** One route as written in a workers config (before validation). */
export interface RouteOptions {
  /** Adapter name in the registry (`http`, `shell`, …). */
  adapter: string;
  /** The adapter's config, validated by the adapter's schema. @default {} */
  config?: unknown;
  /** Attempts before an incident (≥ 0). @default 3 */
  retries?: number;
  /** Wait before a failed task may run again, ms (≥ 0). @default 1000 */
  retryTimeout?: number;
  /** Grow the retry timeout exponentially. @default none (constant retryTimeout) */
  retryBackoff?: Partial<RetryBackoff>;
  /** Lock duration per fetch and per extension, ms (≥ 1). @default 30000 */
  lockDuration?: number;
  /** Longest run of one task, ms (≥ 1). @default 60000 */
  timeout?: number;
  /** Variable names to fetch (`correlationId` is always added); @default all variables */
  variables?: string[];
}

/** A workers config as written (before validation). */
export interface WorkersConfig {
  /** Policy defaults for every topic (all but `adapter`, `config` and `variables`). */
  defaults?: Pick<RouteOptions, 'retries' | 'retryTimeout' | 'retryBackoff' | 'lockDuration' | 'timeout'>;
  /** Topic name → route. At least one. */
  topics: Record<string, RouteOptions>;
}

/** A validated route, with its adapter bound to its config. */
export interface CompiledRoute {
  readonly topic: string;
  readonly adapterName: string;
  readonly adapter: ConfiguredAdapter;
  readonly retries: number;
  /** ms */
  readonly retryTimeout: number;
  readonly retryBackoff: RetryBackoff | null;
  /** ms */
  readonly lockDuration: number;
  /** ms */
  readonly timeout: number;
  /** Variables to fetch; undefined = all. */
  readonly variables: readonly string[] | undefined;
}

/** The validated routing table a `TdeWorker` runs on. */
export interface CompiledRoutes {
  readonly topics: ReadonlyMap<string, CompiledRoute>;
}

/** Options of {@link compileRoutes}. */
export interface CompileRoutesOptions {
  /** Adapters routes may name. @default builtinAdapters (http, shell) */
  adapters?: AdapterRegistry;
}

const backoffSchema = z.strictObject({
  factor: z.number().min(1).default(RETRY_BACKOFF_DEFAULTS.factor),
  maxTimeout: z.int().min(0).default(RETRY_BACKOFF_DEFAULTS.maxTimeout),
});

const policyFields = {
  retries: z.int().min(0).max(1_000_000).optional(),
  retryTimeout: z.int().min(0).optional(),
  retryBackoff: backoffSchema.optional(),
  lockDuration: z.int().min(1).optional(),
  timeout: z.int().min(1).optional(),
};

function workersSchema(adapters: AdapterRegistry) {
  const names = Object.keys(adapters);
  const adapterName = z.string().superRefine((name, ctx) => {
    if (!Object.hasOwn(adapters, name)) {
      ctx.addIssue({ code: 'custom', message: `unknown adapter "${name}": expected one of ${names.map((n) => `"${n}"`).join(' | ')}` });
    }
  });
  const route = z.strictObject({
    adapter: adapterName,
    config: z.unknown().optional(),
    variables: z.array(z.string().min(1)).optional(),
    ...policyFields,
  });
  return z.strictObject({
    defaults: z.strictObject(policyFields).optional(),
    topics: z
      .record(z.string().min(1), route)
      .refine((t) => Object.keys(t).length > 0, 'expected at least one topic'),
  });
}

/**
 * Validates a workers config and binds every route's adapter to its validated config.
 *
 * @param raw - the config object, e.g. `YAML.parse(text)` of a workers.yml ({@link WorkersConfig}).
 * @throws ProcosError `PROCOS_WORKER_CONFIG_INVALID` listing every problem as
 *   `key.path: what was expected` (e.g. `topics.fetch-user.config.url: Invalid input:
 *   expected string, received undefined`); `details.issues` holds them as `{path, message}`.
 */
export function compileRoutes(raw: unknown, options: CompileRoutesOptions = {}): CompiledRoutes {
  const adapters = options.adapters ?? builtinAdapters;
  const parsed = workersSchema(adapters).safeParse(raw);
  if (!parsed.success) throw invalid(toConfigIssues(parsed.error.issues));

  const defaults = parsed.data.defaults ?? {};
  const issues: ConfigIssue[] = [];
  const topics = new Map<string, CompiledRoute>();
  for (const [topic, r] of Object.entries(parsed.data.topics)) {
    const configured = adapters[r.adapter]!.configure(r.config, ['topics', topic, 'config']);
    if (!configured.ok) {
      issues.push(...configured.issues);
      continue;
    }
    const variables = r.variables ? [...new Set([...r.variables, 'correlationId'])] : undefined;
    topics.set(topic, {
      topic,
      adapterName: r.adapter,
      adapter: configured.adapter,
      retries: r.retries ?? defaults.retries ?? ROUTE_DEFAULTS.retries,
      retryTimeout: r.retryTimeout ?? defaults.retryTimeout ?? ROUTE_DEFAULTS.retryTimeout,
      retryBackoff: r.retryBackoff ?? defaults.retryBackoff ?? null,
      lockDuration: r.lockDuration ?? defaults.lockDuration ?? ROUTE_DEFAULTS.lockDuration,
      timeout: r.timeout ?? defaults.timeout ?? ROUTE_DEFAULTS.timeout,
      variables,
    });
  }
  if (issues.length > 0) throw invalid(issues);
  return { topics };
}

function invalid(issues: readonly ConfigIssue[]): ProcosError {
  return new ProcosError(WorkerErrors.CONFIG_INVALID, `invalid workers config: ${describeIssues(issues)}`, { issues });
}
