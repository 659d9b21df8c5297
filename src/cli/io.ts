/**
 * What a command may touch of the outside world: its output streams, working directory
 * and environment. `main.ts` passes the real ones; tests pass their own.
 */
import type { Writable } from 'node:stream';

/** The command's world. */
export interface CliIo {
  /** Standard output (results, tables, the boot summary). */
  readonly stdout: Pick<Writable, 'write'> & { isTTY?: boolean; columns?: number };
  /** Standard error (errors, progress, logs of one-shot runs). */
  readonly stderr: Pick<Writable, 'write'> & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process's streams, directory and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/**
 * How a person typed this command, for hints: `npx procos` when run through npx / npm exec
 * (npm sets `npm_command=exec`), else `procos`.
 */
export function commandName(io: CliIo): string {
  return io.env.npm_command === 'exec' ? 'npx procos' : 'procos';
}

/** Writes lines to standard output. */
export function print(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes lines to standard error. */
export function printErr(io: CliIo, text: string): void {
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
