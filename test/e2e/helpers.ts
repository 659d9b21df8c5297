/**
 * Helpers for tests that run `procos` as a real child process: free ports, temporary
 * folders, one-shot commands with their output and exit code, and a booted kernel that
 * can be stopped (SIGTERM) or killed (SIGKILL) and booted again on the same store.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs as dist/test/e2e/helpers.js.
const here = dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const REPO = resolve(here, '../../..');
/** The compiled `procos` executable. */
export const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
/** The shipped processes folder. */
export const PROCESSES = join(REPO, 'processes');

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** A new empty temporary folder and its removal. */
export async function tempDir(prefix = 'procos-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment for child processes: this one without PROCOS_* settings (so the test's own win). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PROCOS_')) env[k] = v;
  return { ...env, ...extra };
}

/** What a finished command printed and how it exited. */
export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `procos <args>` to its end (killed after `timeoutMs`). */
export function procos(args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Finished> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', rej);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    });
  });
}

/** Waits until `check` returns a value other than undefined/false, polling every 50 ms. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A `procos boot` child process. */
export interface BootedKernel {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of {@link bootKernel}. */
export interface BootOptions {
  /** Working directory; the store and ready file go to `<cwd>/.procos` unless args say otherwise. */
  readonly cwd: string;
  readonly port?: number;
  /** Extra arguments after `boot`. */
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** Wait for `.procos/ready` (with this child's pid) and /health/ready. @default true */
  readonly waitReady?: boolean;
}

/** Starts `procos boot --port <port> --processes <shipped>` in `cwd` and waits until it is ready. */
export async function bootKernel(options: BootOptions): Promise<BootedKernel> {
  const port = options.port ?? (await freePort());
  const args = ['boot', '--port', String(port), '--processes', PROCESSES, '--log-format', 'json', ...(options.args ?? [])];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('close', (code, signal) => res({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://127.0.0.1:${port}`;
  const kernel: BootedKernel = {
    child,
    url,
    port,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady !== false) {
    const marker = join(options.cwd, '.procos', 'ready');
    try {
      await waitFor('the kernel to be ready', async () => {
        if (done) throw new Error(`procos boot exited early:\n${out}\n${err}`);
        if (!existsSync(marker)) return false;
        const m = JSON.parse(readFileSync(marker, 'utf8')) as { pid: number };
        if (m.pid !== child.pid) return false;
        const res = await fetch(`${url}/health/ready`).catch(() => null);
        return res?.status === 200;
      });
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }
  return kernel;
}

/** GET JSON from the kernel. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  return (await res.json()) as T;
}
