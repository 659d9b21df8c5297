/**
 * The `shell` adapter: runs one executable per task, without a shell.
 *
 * Config (YAML, under a route's `config`):
 * ```yaml
 * command: /usr/bin/jq               # the executable (looked up in the child's PATH when not absolute)
 * args: ["-c", ".items", "--arg", "name", "${user.name}"]   # each entry is ONE argv element
 * env: { pass: [PATH, HOME], set: { LANG: C.UTF-8, ORDER: "${orderId}" } }
 * stdin: "${document}"               # optional; a non-string value is written as JSON
 * timeout: 10000                     # ms, on top of the route's timeout
 * maxOutputBytes: 1048576            # cap of stdout and of stderr, each (default 1 MiB)
 * stdoutJson: true                   # parse stdout as JSON into the stdout variable
 * onNonZeroExit: fail                # fail (default) | complete | { bpmnError: CODE, errorMessage?: "…" }
 * output: { exitCode: exitCode, stdout: stdout, stderr: stderr, stdoutTruncated: stdoutTruncated, stderrTruncated: stderrTruncated }
 * ```
 *
 * Isolation: the process is spawned with `shell: false` (arguments are never parsed by a
 * shell, so `; rm -rf x` and `$(id)` arrive literally), `detached: true` (its own process
 * group), in a fresh temporary working directory that is removed afterwards, with an
 * environment made only of `env.pass` (copied from the worker's environment when set)
 * and `env.set`. On timeout or abort the whole process group is killed with SIGKILL; when
 * the command exits, whatever it left running in its group is killed too.
 *
 * Outcomes: exit code 0 completes with the output variables; a non-zero exit (or death by
 * a signal) does what `onNonZeroExit` says (`fail` is a retryable failure with the stderr
 * tail as details). A timeout or an abort is a retryable failure; a command that cannot
 * be started, a missing template variable or `stdoutJson` with unparsable or truncated
 * output is not retryable.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isProcosError } from '../common/errors.js';
import type { JsonValue, Variables } from '../common/json.js';
import { outputName, templateString } from './config.js';
import { AdaptersErrors } from './errors.js';
import { renderTemplate } from './template.js';
import type { Adapter, AdapterInput, AdapterResult, FailureResult } from './types.js';

/** Default cap of captured stdout and of stderr, bytes each (1 MiB). */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/** How much of stderr goes into a failure's errorDetails (its end), characters. */
const ERROR_DETAILS_CHARS = 4096;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)');

/** The zod schema of the `shell` adapter config (see the module doc for the fields). */
export const shellConfigSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(templateString).default([]),
  env: z
    .strictObject({
      pass: z.array(envName).default([]),
      set: z.record(envName, templateString).default({}),
    })
    .prefault({}),
  stdin: templateString.optional(),
  /** ms. */
  timeout: z.int().positive().optional(),
  /** bytes, stdout and stderr each. */
  maxOutputBytes: z.int().positive().default(DEFAULT_MAX_OUTPUT_BYTES),
  stdoutJson: z.boolean().default(false),
  onNonZeroExit: z
    .union([z.literal('fail'), z.literal('complete'), z.strictObject({ bpmnError: z.string().min(1), errorMessage: templateString.optional() })])
    .default('fail'),
  output: z
    .strictObject({
      exitCode: outputName.default('exitCode'),
      stdout: outputName.default('stdout'),
      stderr: outputName.default('stderr'),
      stdoutTruncated: outputName.default('stdoutTruncated'),
      stderrTruncated: outputName.default('stderrTruncated'),
    })
    .prefault({}),
});

/** The parsed `shell` adapter config. */
export type ShellConfig = z.output<typeof shellConfigSchema>;

/** Collects a stream's bytes up to a cap and remembers whether more came. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen in total, kept or not. */
  total = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.max - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return new TextDecoder().decode(Buffer.concat(this.chunks));
  }
}

/** What happened to one process. */
interface ProcessRun {
  pid: number | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: CappedBuffer;
  stderr: CappedBuffer;
  timedOut: boolean;
  aborted: boolean;
  spawnError?: NodeJS.ErrnoException;
}

interface ProcessSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: string | undefined;
  timeout: number | undefined;
  maxOutputBytes: number;
  signal: AbortSignal;
}

/** Kills a process group; a group that is already gone is fine. */
function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function runProcess(spec: ProcessSpec): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      shell: false,
      detached: true,
      windowsHide: true,
      stdio: [spec.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const run: ProcessRun = {
      pid: child.pid,
      exitCode: null,
      signal: null,
      stdout: new CappedBuffer(spec.maxOutputBytes),
      stderr: new CappedBuffer(spec.maxOutputBytes),
      timedOut: false,
      aborted: false,
    };
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      spec.signal.removeEventListener('abort', onAbort);
      resolve(run);
    };
    const onAbort = (): void => {
      run.aborted = true;
      killGroup(child.pid);
    };
    const timer =
      spec.timeout !== undefined && child.pid !== undefined
        ? setTimeout(() => {
            run.timedOut = true;
            killGroup(child.pid);
          }, spec.timeout)
        : undefined;

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        run.spawnError = e;
        finish();
      }
    });
    if (child.pid === undefined) return; // spawn failed: 'error' follows
    spec.signal.addEventListener('abort', onAbort, { once: true });
    if (spec.signal.aborted) onAbort();
    child.stdout?.on('data', (c: Buffer) => run.stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => run.stderr.push(c));
    // The command is done: whatever it left running in its group goes too, so its pipes close.
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      run.exitCode = code;
      run.signal = signal;
      finish();
    });
    if (spec.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the command does not read its input
      child.stdin.end(spec.stdin);
    }
  });
}

function buildEnv(config: ShellConfig['env'], variables: Variables): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of config.pass) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, template] of Object.entries(config.set)) env[name] = renderTemplate(template, variables);
  return env;
}

async function execute(input: AdapterInput<ShellConfig>): Promise<AdapterResult> {
  const { config, variables, signal } = input;
  const command = config.command;
  let args: string[];
  let env: Record<string, string>;
  let stdin: string | undefined;
  try {
    args = config.args.map((a) => renderTemplate(a, variables));
    env = buildEnv(config.env, variables);
    stdin = config.stdin !== undefined ? renderTemplate(config.stdin, variables) : undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { kind: 'failure', errorMessage: message, retryable: false, ...(isProcosError(e) ? { code: e.code } : {}) };
  }
  if (signal.aborted) {
    return { kind: 'failure', code: AdaptersErrors.ABORTED.code, errorMessage: `"${command}" not started: aborted`, retryable: true };
  }

  const workdir = await mkdtemp(join(tmpdir(), 'procos-shell-'));
  let run: ProcessRun;
  try {
    run = await runProcess({ command, args, env, cwd: workdir, stdin, timeout: config.timeout, maxOutputBytes: config.maxOutputBytes, signal });
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }

  const log: Record<string, JsonValue> = {
    command,
    pid: run.pid ?? null,
    exitCode: run.exitCode,
    signal: run.signal,
    stdoutBytes: run.stdout.total,
    stderrBytes: run.stderr.total,
    stdoutTruncated: run.stdout.truncated,
    stderrTruncated: run.stderr.truncated,
  };
  const stderr = run.stderr.text();
  const fail = (spec: { code: string }, errorMessage: string, retryable: boolean, errorDetails?: string): FailureResult => ({
    kind: 'failure',
    code: spec.code,
    errorMessage,
    retryable,
    log,
    ...(errorDetails ? { errorDetails } : {}),
  });

  if (run.spawnError) {
    const code = run.spawnError.code;
    const retryable = code === 'EAGAIN' || code === 'EMFILE' || code === 'ENFILE' || code === 'ENOMEM';
    return fail(AdaptersErrors.SHELL_SPAWN, `cannot start "${command}": ${run.spawnError.message}`, retryable);
  }
  if (run.timedOut) {
    return fail(AdaptersErrors.SHELL_TIMEOUT, `"${command}" timed out after ${config.timeout} ms; its process group was killed`, true, stderr.slice(-ERROR_DETAILS_CHARS));
  }
  if (run.aborted) {
    const reason: unknown = signal.reason;
    const why = reason instanceof Error ? reason.message : String(reason);
    return fail(AdaptersErrors.ABORTED, `"${command}" aborted (${why}); its process group was killed`, true);
  }

  const stdoutText = run.stdout.text();
  const outputs: Variables = {};
  const names = config.output;
  if (names.exitCode !== null) outputs[names.exitCode] = run.exitCode;
  if (names.stdout !== null) outputs[names.stdout] = stdoutText;
  if (names.stderr !== null) outputs[names.stderr] = stderr;
  if (names.stdoutTruncated !== null) outputs[names.stdoutTruncated] = run.stdout.truncated;
  if (names.stderrTruncated !== null) outputs[names.stderrTruncated] = run.stderr.truncated;

  const ok = run.exitCode === 0;
  if (!ok && config.onNonZeroExit !== 'complete') {
    const how = run.exitCode !== null ? `exited with code ${run.exitCode}` : `was killed by ${run.signal ?? 'a signal'}`;
    if (config.onNonZeroExit === 'fail') return fail(AdaptersErrors.SHELL_EXIT, `"${command}" ${how}`, true, stderr.slice(-ERROR_DETAILS_CHARS));
    let errorMessage = `"${command}" ${how}`;
    if (config.onNonZeroExit.errorMessage !== undefined) {
      try {
        errorMessage = renderTemplate(config.onNonZeroExit.errorMessage, { ...variables, ...outputs });
      } catch {
        // keep the default message
      }
    }
    return { kind: 'bpmnError', errorCode: config.onNonZeroExit.bpmnError, errorMessage, variables: outputs, log };
  }

  if (config.stdoutJson) {
    if (run.stdout.truncated) {
      return fail(AdaptersErrors.SHELL_BAD_OUTPUT, `"${command}": stdout is larger than ${config.maxOutputBytes} bytes and cannot be parsed as JSON`, false);
    }
    try {
      const value = stdoutText.trim() === '' ? null : (JSON.parse(stdoutText) as JsonValue);
      if (names.stdout !== null) outputs[names.stdout] = value;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return fail(AdaptersErrors.SHELL_BAD_OUTPUT, `"${command}": stdout is not valid JSON (${why})`, false, stdoutText.slice(0, ERROR_DETAILS_CHARS));
    }
  }
  return { kind: 'complete', variables: outputs, log };
}

/**
 * The `shell` adapter. Never throws: every problem is a result (see the module doc).
 * Failure codes: `PROCOS_ADAPTERS_SHELL_SPAWN`, `…_SHELL_TIMEOUT`, `…_SHELL_EXIT`,
 * `…_SHELL_BAD_OUTPUT`, `…_ABORTED`, `…_TEMPLATE_VARIABLE_MISSING`.
 */
export const shellAdapter: Adapter<ShellConfig> = {
  name: 'shell',
  configSchema: shellConfigSchema,
  execute,
};
