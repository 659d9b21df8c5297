/**
 * The adapter contract: how a TDE does one unit of work, Input → Execute → Output.
 *
 * An adapter is a value, not a class hierarchy: a name, a zod schema for its config, and
 * an `execute` function. Its config is validated once, when the routes are compiled
 * (`configureAdapter`, `compileRoutes` in the worker); `execute` only ever sees the
 * parsed config. `execute` never throws for expected problems: it resolves with an
 * {@link AdapterResult} that says whether the work completed, raised a BPMN (business)
 * error, or failed technically.
 *
 * Source: design paper 000 "TDE contract" (inputs → execute → outputs, status,
 * timeout/cancel hooks); ARCHITECTURE.md "Business errors are not failures".
 */
import type { z } from 'zod';
import type { JsonValue, Variables } from '../common/json.js';

/**
 * What an adapter may know about the task it runs (a subset of the transport's
 * `LockedTask`; adapters do not depend on the worker).
 */
export interface AdapterTaskInfo {
  /** External task id. */
  readonly id: string;
  readonly topicName: string;
  readonly processInstanceId: string;
  readonly processDefinitionKey: string;
  readonly activityId: string;
  readonly activityInstanceId: string;
  readonly businessKey: string | null;
  /** Remaining retries; null before the first failure (Camunda semantics). */
  readonly retries: number | null;
  /** The correlation id the worker logs with (the `correlationId` variable, else the process instance id). */
  readonly correlationId: string;
}

/** The input of one execution. */
export interface AdapterInput<C> {
  /** The task's variables as fetched (plain JSON). */
  readonly variables: Variables;
  /** The adapter config, already validated and defaulted by the adapter's schema. */
  readonly config: C;
  readonly task: AdapterTaskInfo;
  /**
   * Aborted when the worker gives up on the run (the route's timeout passed, or the
   * worker is stopping and its grace period is over). The reason is an `Error`.
   * An adapter stops its work and resolves soon after (with a failure).
   */
  readonly signal: AbortSignal;
  /** When the run must be finished, epoch ms (the worker aborts `signal` then). */
  readonly deadline: number;
}

/**
 * Extra fields for the worker's execution log line, already free of secrets
 * (for example the HTTP method, URL without query, and request headers with
 * `Authorization` redacted). Logged under `details`.
 */
export type AdapterLogDetails = Record<string, JsonValue>;

/** The work is done; `variables` are sent with the completion. */
export interface CompleteResult {
  readonly kind: 'complete';
  readonly variables: Variables;
  readonly log?: AdapterLogDetails;
}

/**
 * A business error for the process: routed to a BPMN error boundary or event subprocess
 * catching `errorCode`. Not retried.
 */
export interface BpmnErrorResult {
  readonly kind: 'bpmnError';
  readonly errorCode: string;
  readonly errorMessage?: string;
  readonly variables?: Variables;
  readonly log?: AdapterLogDetails;
}

/**
 * A technical failure. `retryable: true` lets the worker count the task's retries down
 * (the route's retry policy); `false` reports 0 retries left, so the engine raises an
 * incident at once.
 */
export interface FailureResult {
  readonly kind: 'failure';
  /** One line for people; sent to the engine as the failure's errorMessage. */
  readonly errorMessage: string;
  /** Longer text (response body, stderr tail); sent to the engine, never logged. */
  readonly errorDetails?: string;
  readonly retryable: boolean;
  /** The coded error behind the failure (a `PROCOS_ADAPTERS_…` code), when there is one. */
  readonly code?: string;
  readonly log?: AdapterLogDetails;
}

/** The outcome of one execution. */
export type AdapterResult = CompleteResult | BpmnErrorResult | FailureResult;

/**
 * An adapter: a named, configurable way to do work (`http`, `shell`, …).
 * @typeParam C - the parsed config type (the output of `configSchema`).
 */
export interface Adapter<C> {
  /** Registry name, as used in a route's `adapter` field. */
  readonly name: string;
  /** Validates and defaults a raw config (from YAML/JSON). Unknown keys are refused. */
  readonly configSchema: z.ZodType<C>;
  /** Runs once per task. Resolves with a result; rejects only on a bug. */
  execute(input: AdapterInput<C>): Promise<AdapterResult>;
}

/** The input of a configured adapter: {@link AdapterInput} without the config. */
export type AdapterCall = Omit<AdapterInput<never>, 'config'>;

/** An adapter bound to one validated config, ready to run. */
export interface ConfiguredAdapter {
  readonly name: string;
  execute(call: AdapterCall): Promise<AdapterResult>;
}

/** One config problem: where (`path`, e.g. `headers.Accept`) and what was expected. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Result of {@link AdapterEntry.configure}: a ready adapter, or the config's issues. */
export type ConfigureResult =
  | { readonly ok: true; readonly adapter: ConfiguredAdapter }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * A registry entry: an adapter with its config type erased, so adapters of different
 * config types share one registry (see `adapterEntry`).
 */
export interface AdapterEntry {
  readonly name: string;
  /**
   * Validates a raw config; never throws. Issue paths start with `pathPrefix` (e.g.
   * `['topics', 'fetch-user', 'config']`), then the key inside the config.
   */
  configure(rawConfig: unknown, pathPrefix?: readonly PropertyKey[]): ConfigureResult;
}

/** Adapters by name, as the worker's routes refer to them. */
export type AdapterRegistry = Readonly<Record<string, AdapterEntry>>;
