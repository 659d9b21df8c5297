/**
 * One task's run, start to end: pick its route, run the adapter under the route's
 * timeout while keeping the lock alive, report the outcome to the engine (or unlock the
 * task when the worker stops), and write exactly one log line.
 */
import { performance } from 'node:perf_hooks';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { AdapterResult, AdapterTaskInfo, FailureResult } from '../adapters/index.js';
import type { Logger } from '../observability/index.js';
import { WorkerErrors } from './errors.js';
import { nextRetries, retryTimeoutFor } from './retry.js';
import type { CompiledRoute, CompiledRoutes } from './routes.js';
import type { LockedTask, TaskTransport } from './transport.js';

/** How an execution ended, as logged (`outcome`) and counted. */
export type Outcome = 'completed' | 'bpmnError' | 'failure';

/** What the worker learns from one execution. */
export interface ExecutionRecord {
  readonly outcome: Outcome;
  /** True when the worker stopped mid-run and gave the task back (unlock) instead of reporting. */
  readonly unlocked: boolean;
  /** True when the engine accepted the report (or the unlock). */
  readonly reported: boolean;
}

/** What an execution needs from its worker. */
export interface ExecutionContext {
  readonly transport: TaskTransport;
  readonly workerId: string;
  readonly routes: CompiledRoutes;
  readonly logger: Logger;
  /** After aborting an adapter (timeout, stop), how long to wait for it to return, ms. */
  readonly abortGraceMs: number;
  /** Aborted (with a `PROCOS_WORKER_STOPPED` error) when the worker's stop grace period ends. */
  readonly stopSignal: AbortSignal;
}

/** The log message of the one line per execution. */
export const EXECUTION_LOG_MESSAGE = 'task executed';

/**
 * The task's correlation id: its `correlationId` variable when that is a non-empty string
 * or a number, else the process instance id.
 */
export function correlationIdOf(task: Pick<LockedTask, 'variables' | 'processInstanceId'>): string {
  const v = Object.hasOwn(task.variables, 'correlationId') ? task.variables.correlationId : undefined;
  if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
  return task.processInstanceId;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Waits for `p`; once `signal` aborts, waits at most `graceMs` more, then gives up (undefined). */
function settleWithin<T>(p: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(undefined), graceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    void p.then((r) => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    });
  });
}

/** Runs the route's adapter under its timeout, extending the lock every `lockDuration / 2`. */
async function runAdapter(task: LockedTask, route: CompiledRoute, correlationId: string, ctx: ExecutionContext): Promise<{ result: AdapterResult; stopped: boolean }> {
  const abort = new AbortController();
  const timeoutMessage = (): string => `task timed out after ${route.timeout} ms (timeout of topic "${route.topic}")`;
  const onStop = (): void => abort.abort(ctx.stopSignal.reason);
  // The timeout error (a stack capture) is made only when the timer fires, not for every task.
  const timer = setTimeout(() => abort.abort(new ProcosError(WorkerErrors.TIMEOUT, timeoutMessage(), { topic: route.topic, timeoutMs: route.timeout })), route.timeout);
  const lockTimer = setInterval(
    () => {
      ctx.transport.extendLock(task.id, ctx.workerId, route.lockDuration).then(
        () => ctx.logger.debug({ taskId: task.id, topic: route.topic, lockDuration: route.lockDuration }, 'lock extended'),
        (e: unknown) => ctx.logger.warn({ taskId: task.id, topic: route.topic, error: { message: messageOf(e) } }, 'lock extension failed'),
      );
    },
    Math.max(1, Math.floor(route.lockDuration / 2)),
  );
  ctx.stopSignal.addEventListener('abort', onStop, { once: true });
  if (ctx.stopSignal.aborted) onStop();

  const info: AdapterTaskInfo = {
    id: task.id,
    topicName: task.topicName,
    processInstanceId: task.processInstanceId,
    processDefinitionKey: task.processDefinitionKey,
    activityId: task.activityId,
    activityInstanceId: task.activityInstanceId,
    businessKey: task.businessKey,
    retries: task.retries,
    correlationId,
  };
  try {
    const running = route.adapter
      .execute({ variables: task.variables, task: info, signal: abort.signal, deadline: Date.now() + route.timeout })
      .catch(
        (e: unknown): FailureResult => ({
          kind: 'failure',
          code: WorkerErrors.ADAPTER_THREW.code,
          errorMessage: `adapter "${route.adapterName}" threw: ${messageOf(e)}`,
          ...(e instanceof Error && e.stack ? { errorDetails: e.stack } : {}),
          retryable: true,
        }),
      );
    const result = await settleWithin(running, abort.signal, ctx.abortGraceMs);
    const reason: unknown = abort.signal.aborted ? abort.signal.reason : undefined;
    // Work that completed (or raised its business error) counts, even when it came in late.
    if (result && (result.kind !== 'failure' || reason === undefined)) return { result, stopped: false };
    const cause = result ? result.errorMessage : `the adapter did not return within ${ctx.abortGraceMs} ms of being aborted`;
    if (isProcosError(reason, WorkerErrors.STOPPED)) {
      return { result: { kind: 'failure', code: reason.code, errorMessage: `${reason.message} (${cause})`, retryable: true }, stopped: true };
    }
    return { result: { kind: 'failure', code: WorkerErrors.TIMEOUT.code, errorMessage: timeoutMessage(), errorDetails: cause, retryable: true }, stopped: false };
  } finally {
    clearTimeout(timer);
    clearInterval(lockTimer);
    ctx.stopSignal.removeEventListener('abort', onStop);
  }
}

/**
 * Runs one fetched task and reports its outcome. Never rejects: transport errors are
 * logged (`reportError`, code `PROCOS_WORKER_REPORT_FAILED`) and the lock is left to
 * expire, so the engine offers the task again (at-least-once delivery).
 *
 * Failures: a retryable failure reports `retries` = {@link nextRetries} and the route's
 * retry timeout; a non-retryable one (and an unknown topic) reports 0 retries, so the
 * engine raises an incident.
 *
 * Logs exactly one line (message {@link EXECUTION_LOG_MESSAGE}) with `correlationId`,
 * `topic`, `taskId`, `processInstanceId`, `activityId`, `adapter`, `durationMs`,
 * `outcome`, and where they apply `error: {code, message}`, `retries`, `retryTimeout`,
 * `unlocked`, `details` (the adapter's secret-free log fields) and `reportError`.
 * Level: info, warn for failures, error when the report failed.
 */
export async function executeTask(task: LockedTask, ctx: ExecutionContext): Promise<ExecutionRecord> {
  const started = performance.now();
  const correlationId = correlationIdOf(task);
  const route = ctx.routes.topics.get(task.topicName);

  let result: AdapterResult;
  let stopped = false;
  if (route) {
    ({ result, stopped } = await runAdapter(task, route, correlationId, ctx));
  } else {
    const known = [...ctx.routes.topics.keys()].map((t) => `"${t}"`).join(', ');
    result = {
      kind: 'failure',
      code: WorkerErrors.UNKNOWN_TOPIC.code,
      errorMessage: `no route for topic "${task.topicName}" in worker "${ctx.workerId}" (it routes ${known})`,
      retryable: false,
    };
  }

  let retries: number | undefined;
  let retryTimeout: number | undefined;
  let reportError: unknown;
  try {
    if (stopped) {
      await ctx.transport.unlock(task.id);
    } else if (result.kind === 'complete') {
      await ctx.transport.complete(task.id, ctx.workerId, result.variables);
    } else if (result.kind === 'bpmnError') {
      await ctx.transport.handleBpmnError(task.id, ctx.workerId, result.errorCode, result.errorMessage, result.variables);
    } else {
      retries = result.retryable && route ? nextRetries(task.retries, route.retries) : 0;
      retryTimeout = route && retries > 0 ? retryTimeoutFor(task.retries, route.retries, route.retryTimeout, route.retryBackoff) : 0;
      await ctx.transport.handleFailure(task.id, ctx.workerId, {
        errorMessage: result.errorMessage,
        ...(result.errorDetails !== undefined ? { errorDetails: result.errorDetails } : {}),
        retries,
        retryTimeout,
      });
    }
  } catch (e) {
    reportError = e;
  }

  const outcome: Outcome = result.kind === 'complete' ? 'completed' : result.kind;
  const fields: Record<string, unknown> = {
    correlationId,
    topic: task.topicName,
    taskId: task.id,
    processInstanceId: task.processInstanceId,
    activityId: task.activityId,
    adapter: route?.adapterName ?? null,
    durationMs: Math.round(performance.now() - started),
    outcome,
  };
  if (result.kind === 'failure') fields.error = { ...(result.code !== undefined ? { code: result.code } : {}), message: result.errorMessage };
  if (result.kind === 'bpmnError') fields.error = { code: result.errorCode, ...(result.errorMessage !== undefined ? { message: result.errorMessage } : {}) };
  if (retries !== undefined) Object.assign(fields, { retries, retryTimeout });
  if (stopped) fields.unlocked = true;
  if (result.log) fields.details = result.log;
  if (reportError !== undefined) {
    fields.reportError = {
      code: WorkerErrors.REPORT_FAILED.code,
      message: `${stopped ? 'unlock' : 'report'} of task ${task.id} failed: ${messageOf(reportError)}`,
      ...(isProcosError(reportError) ? { cause: reportError.code } : {}),
    };
    ctx.logger.error(fields, EXECUTION_LOG_MESSAGE);
  } else if (outcome === 'failure') {
    ctx.logger.warn(fields, EXECUTION_LOG_MESSAGE);
  } else {
    ctx.logger.info(fields, EXECUTION_LOG_MESSAGE);
  }
  return { outcome, unlocked: stopped, reported: reportError === undefined };
}
