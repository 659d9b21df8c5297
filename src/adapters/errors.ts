/**
 * Coded errors of the adapters layer. Codes are stable; a retired code is never reused.
 * Every code is documented in docs/errors.md (checked by test/common/errors.test.ts).
 *
 * Most adapter problems at run time are not thrown: they become a failure result
 * (`{kind: 'failure', code, …}`) that the worker reports to the engine. These codes name
 * those failures, and are thrown only where a caller can act on them (invalid config).
 */
import type { ErrorSpec } from '../common/errors.js';

/** The adapters layer's error specs by name; throw with `new ProcosError(AdaptersErrors.X, message, details)`. */
export const AdaptersErrors = {
  /** An adapter config does not match the adapter's schema. details: {adapter, issues: [{path, message}]} */
  CONFIG_INVALID: { code: 'PROCOS_ADAPTERS_CONFIG_INVALID', status: 400 },
  /** A `${…}` template is malformed or is more than a variable lookup. details: {template, reason} */
  TEMPLATE_INVALID: { code: 'PROCOS_ADAPTERS_TEMPLATE_INVALID', status: 400 },
  /** A `${name}` / `${a.b}` template names a variable the task does not have. details: {variable, template} */
  TEMPLATE_VARIABLE_MISSING: { code: 'PROCOS_ADAPTERS_TEMPLATE_VARIABLE_MISSING', status: 400 },
  /** An HTTP request could not be sent or its response not read (refused, reset, DNS). Retryable. details: {method, url} */
  HTTP_NETWORK: { code: 'PROCOS_ADAPTERS_HTTP_NETWORK', status: 502 },
  /** An HTTP request took longer than its timeout. Retryable. details: {method, url, timeoutMs} */
  HTTP_TIMEOUT: { code: 'PROCOS_ADAPTERS_HTTP_TIMEOUT', status: 504 },
  /** An HTTP response status is listed in `failOn`. details: {method, url, status} */
  HTTP_STATUS: { code: 'PROCOS_ADAPTERS_HTTP_STATUS', status: 502 },
  /** An HTTP request or response is unusable: bad URL after templating, body too large, invalid JSON. details: {method, url} */
  HTTP_BAD_EXCHANGE: { code: 'PROCOS_ADAPTERS_HTTP_BAD_EXCHANGE', status: 502 },
  /** A shell command could not be started (not found, not executable). details: {command} */
  SHELL_SPAWN: { code: 'PROCOS_ADAPTERS_SHELL_SPAWN', status: 500 },
  /** A shell command ran longer than its timeout; its process group was killed. Retryable. details: {command, timeoutMs} */
  SHELL_TIMEOUT: { code: 'PROCOS_ADAPTERS_SHELL_TIMEOUT', status: 504 },
  /** A shell command exited non-zero or was killed by a signal (`onNonZeroExit: 'fail'`). details: {command, exitCode, signal} */
  SHELL_EXIT: { code: 'PROCOS_ADAPTERS_SHELL_EXIT', status: 500 },
  /** `stdoutJson` is set but stdout is not valid JSON (or was truncated). details: {command} */
  SHELL_BAD_OUTPUT: { code: 'PROCOS_ADAPTERS_SHELL_BAD_OUTPUT', status: 500 },
  /** The run was aborted by the worker (task timeout, worker stop) before it finished. Retryable. details: {reason} */
  ABORTED: { code: 'PROCOS_ADAPTERS_ABORTED', status: 503 },
} as const satisfies Record<string, ErrorSpec>;
