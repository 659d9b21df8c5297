/**
 * Coded errors of the worker layer. Codes are stable; a retired code is never reused.
 * Every code is documented in docs/errors.md (checked by test/common/errors.test.ts).
 *
 * Thrown: `CONFIG_INVALID`, `OPTIONS_INVALID`, `ALREADY_STARTED`. The others name what
 * happened to one task; they appear in failure reports and in the execution log line
 * (`error.code`), never as exceptions.
 */
import type { ErrorSpec } from '../common/errors.js';

/** The worker layer's error specs by name; throw with `new ProcosError(WorkerErrors.X, message, details)`. */
export const WorkerErrors = {
  /** A workers config (topic → adapter routes) is invalid. details: {issues: [{path, message}]} */
  CONFIG_INVALID: { code: 'PROCOS_WORKER_CONFIG_INVALID', status: 400 },
  /** `new TdeWorker(options)` got an invalid option (parallel < 1, empty workerId, no routes). details: {option} */
  OPTIONS_INVALID: { code: 'PROCOS_WORKER_OPTIONS_INVALID', status: 400 },
  /** `start()` was called on a worker that is running or has stopped. details: {state} */
  ALREADY_STARTED: { code: 'PROCOS_WORKER_ALREADY_STARTED', status: 409 },
  /** A fetched task has a topic no route handles; reported as a failure with 0 retries (incident). details: {topic} */
  UNKNOWN_TOPIC: { code: 'PROCOS_WORKER_UNKNOWN_TOPIC', status: 400 },
  /** A task ran longer than its route's timeout; reported as a retryable failure. details: {topic, timeoutMs} */
  TIMEOUT: { code: 'PROCOS_WORKER_TIMEOUT', status: 504 },
  /** The worker stopped and its grace period ended before the task finished; the task was unlocked. details: {graceMs} */
  STOPPED: { code: 'PROCOS_WORKER_STOPPED', status: 503 },
  /** An adapter rejected instead of resolving with a result (a bug in the adapter); reported as a retryable failure. details: {adapter} */
  ADAPTER_THREW: { code: 'PROCOS_WORKER_ADAPTER_THREW', status: 500 },
  /** Reporting an outcome (complete, failure, BPMN error, unlock) to the engine failed; the lock will expire and the task be offered again. details: {taskId} */
  REPORT_FAILED: { code: 'PROCOS_WORKER_REPORT_FAILED', status: 502 },
} as const satisfies Record<string, ErrorSpec>;
