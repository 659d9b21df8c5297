/**
 * Coded errors of the `procos` commands. Codes are stable; a retired code is never
 * reused. Every code is documented in docs/errors.md (checked by
 * test/common/errors.test.ts). The commands print the message on one line and exit 1.
 */
import type { ErrorSpec } from '../common/errors.js';

/** The CLI's error registry. */
export const CliErrors = {
  /** The command line is wrong: unknown command or option, missing or extra argument. details: {reason} */
  USAGE: { code: 'PROCOS_CLI_USAGE', status: 400 },
  /** A `--var name=value` or a `--vars` file is not usable. details: {argument} */
  BAD_VARIABLE: { code: 'PROCOS_CLI_BAD_VARIABLE', status: 400 },
  /** An argument has a bad value (a timeout that is not a number, a file with several processes and no --process). details: {argument} */
  BAD_ARGUMENT: { code: 'PROCOS_CLI_BAD_ARGUMENT', status: 400 },
  /** A file named on the command line cannot be read. details: {file} */
  FILE_UNREADABLE: { code: 'PROCOS_CLI_FILE_UNREADABLE', status: 400 },
  /** No ProcOS kernel answers at the URL (nothing listens, or it did not answer in time). details: {url} */
  KERNEL_UNREACHABLE: { code: 'PROCOS_CLI_KERNEL_UNREACHABLE', status: 503 },
  /** Something answers at the URL, but not as a ProcOS kernel (not JSON, unexpected shape). details: {url, status} */
  KERNEL_BAD_ANSWER: { code: 'PROCOS_CLI_KERNEL_BAD_ANSWER', status: 502 },
} as const satisfies Record<string, ErrorSpec>;
