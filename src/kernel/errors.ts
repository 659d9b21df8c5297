/**
 * Coded errors of the kernel (`procos boot`: configuration, boot sequence, supervision).
 * Codes are stable; a retired code is never reused. Every code is documented in
 * docs/errors.md (checked by test/common/errors.test.ts).
 */
import type { ErrorSpec } from '../common/errors.js';

/** The kernel's error registry. */
export const KernelErrors = {
  /** The configuration (procos.yml, `PROCOS_*` variables, flags) has a bad value or an unknown key. details: {issues: [{key, source, message}]} */
  CONFIG_INVALID: { code: 'PROCOS_KERNEL_CONFIG_INVALID', status: 400 },
  /** The configuration file cannot be read or is not valid YAML. details: {file, line?, column?} */
  CONFIG_UNREADABLE: { code: 'PROCOS_KERNEL_CONFIG_UNREADABLE', status: 400 },
  /** The store could not be opened or migrated (bad URL, database unreachable, file not writable). details: {db} */
  STORE_OPEN_FAILED: { code: 'PROCOS_KERNEL_STORE_OPEN_FAILED', status: 503 },
  /** A folder the kernel needs (data folder, SQLite folder) cannot be created. details: {path} */
  DATA_DIR_FAILED: { code: 'PROCOS_KERNEL_DATA_DIR_FAILED', status: 500 },
  /** The HTTP listener cannot listen on its host and port (in use, not allowed, unknown host). details: {host, port, reason} */
  LISTEN_FAILED: { code: 'PROCOS_KERNEL_LISTEN_FAILED', status: 500 },
  /** Some process files failed to deploy and boot ran with `--strict`. details: {failures: [{file, elementId?, message}]} */
  DEPLOY_FAILED: { code: 'PROCOS_KERNEL_DEPLOY_FAILED', status: 400 },
  /** The processes folder does not exist (an error only when it was configured explicitly or with `--strict`). details: {path} */
  PROCESSES_DIR_MISSING: { code: 'PROCOS_KERNEL_PROCESSES_DIR_MISSING', status: 404 },
  /** The configured root process is not deployed (an error only with `--strict`). details: {key} */
  ROOT_NOT_DEPLOYED: { code: 'PROCOS_KERNEL_ROOT_NOT_DEPLOYED', status: 404 },
  /** A kernel method was called in the wrong lifecycle state (boot twice, use after stop). details: {state} */
  LIFECYCLE: { code: 'PROCOS_KERNEL_LIFECYCLE', status: 409 },
} as const satisfies Record<string, ErrorSpec>;
