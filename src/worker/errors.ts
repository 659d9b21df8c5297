/**
 * Coded errors of the worker layer. Codes are stable; a retired code is never reused.
 * Every code is documented in docs/errors.md (checked by test/common/errors.test.ts).
 *
 * Thrown: `CONFIG_INVALID`, `OPTIONS_INVALID`, `ALREADY_STARTED`, and by the REST
 * transport (rest-transport.ts) the `ENGINE_…`, `TASK_GONE` and `LOCK_LOST` codes. The
 * others name what happened to one task; they appear in failure reports and in the
 * execution log line (`error.code`), never as exceptions.
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
  /** REST transport: the engine cannot be reached (connection refused or reset, DNS, timeout) or answered 5xx. Retryable: the fetch loop backs off. details: {url, status?, reason} */
  ENGINE_UNREACHABLE: { code: 'PROCOS_WORKER_ENGINE_UNREACHABLE', status: 503 },
  /** REST transport: the engine refused the credentials (401, 403). details: {url, status} */
  ENGINE_UNAUTHORIZED: { code: 'PROCOS_WORKER_ENGINE_UNAUTHORIZED', status: 401 },
  /** REST transport: the engine refused a request (a 4xx other than the cases with their own code). details: {url, status, engineType, engineMessage} */
  ENGINE_REFUSED: { code: 'PROCOS_WORKER_ENGINE_REFUSED', status: 502 },
  /** REST transport: the engine's answer is not what the Camunda 7 REST API answers (not `application/json`, not valid JSON, a missing field). details: {url, status} */
  ENGINE_BAD_ANSWER: { code: 'PROCOS_WORKER_ENGINE_BAD_ANSWER', status: 502 },
  /** REST transport: the task no longer exists in the engine (completed by another worker, its instance ended or was cancelled): 404. details: {taskId, url} */
  TASK_GONE: { code: 'PROCOS_WORKER_TASK_GONE', status: 404 },
  /** REST transport: the task is locked by another worker, or (extendLock) this worker's lock has expired: 400 from the engine. details: {taskId, url, engineMessage} */
  LOCK_LOST: { code: 'PROCOS_WORKER_LOCK_LOST', status: 409 },
  /** REST transport: a fetched variable cannot be converted from Camunda's typed format (unknown type, bad value, unreadable File content); the task is failed with 0 retries (an incident). details: {taskId, variable, type} */
  BAD_VARIABLE: { code: 'PROCOS_WORKER_BAD_VARIABLE', status: 400 },
} as const satisfies Record<string, ErrorSpec>;
