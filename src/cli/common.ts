/**
 * What the commands share: the `--url`/`--json` options, the client they make, JSON
 * output, and the exit code a command sets.
 */
import type { Command } from 'commander';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { InstanceView } from '../api/procos-v1/index.js';
import { KernelClient, resolveKernelUrl } from './client.js';
import { CliErrors } from './errors.js';
import { print } from './io.js';
import type { CliIo } from './io.js';

/** What a command's action may set besides printing. */
export interface CommandContext {
  readonly io: CliIo;
  /** The process exit code after the command (0 unless set). */
  exitCode: number;
}

/** Options every client command has. */
export interface ClientOptions {
  readonly url?: string;
  readonly json?: boolean;
}

/** Adds `--url` and `--json`. */
export function withClientOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'URL of the running kernel (default: $PROCOS_URL, then .procos/ready, then http://127.0.0.1:8080)')
    .option('--json', 'print JSON (for scripts) instead of text');
}

/** The client for the kernel the options point to. */
export function clientFor(io: CliIo, options: ClientOptions): KernelClient {
  return new KernelClient(resolveKernelUrl(io, options.url));
}

/** Prints a value as indented JSON. */
export function printJson(io: CliIo, value: unknown): void {
  print(io, JSON.stringify(value, null, 2));
}

/**
 * Finds an instance by its id, or by a part of it that only one instance id contains
 * (at least 4 characters, e.g. its last 8: ids start with their creation time, so the
 * end tells them apart).
 * @throws PROCOS_RUNTIME_INSTANCE_NOT_FOUND (from the kernel) when nothing matches;
 *   PROCOS_CLI_BAD_ARGUMENT when the part is in several ids.
 */
export async function resolveInstanceId(client: KernelClient, idOrPart: string): Promise<string> {
  if (idOrPart.length >= 36 || idOrPart.length < 4) return idOrPart;
  const { instances } = await client.get<{ instances: InstanceView[] }>('/instances?state=all&limit=10000');
  const matches = instances.filter((i) => i.id.includes(idOrPart));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) {
    throw new ProcosError(CliErrors.BAD_ARGUMENT, `"${idOrPart}" is part of ${matches.length} instance ids (${matches.slice(0, 3).map((m) => m.id).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id`, { argument: 'id' });
  }
  return idOrPart;
}

/** Parses a positive number of seconds. @throws PROCOS_CLI_BAD_ARGUMENT */
export function parseSeconds(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ProcosError(CliErrors.BAD_ARGUMENT, `${option} ${JSON.stringify(value)}: expected a number of seconds > 0`, { argument: option });
  return n;
}

/** Parses a positive integer. @throws PROCOS_CLI_BAD_ARGUMENT */
export function parsePositiveInt(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ProcosError(CliErrors.BAD_ARGUMENT, `${option} ${JSON.stringify(value)}: expected a whole number > 0`, { argument: option });
  return n;
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** True for errors a person caused (bad input, nothing found), whose stack is of no use. */
export function isUserError(e: unknown): boolean {
  return isProcosError(e) && e.status < 500;
}
