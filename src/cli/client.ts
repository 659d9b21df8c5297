/**
 * How the commands reach a running kernel: `/procos/v1` over HTTP.
 *
 * The URL is, in order: `--url`, `PROCOS_URL`, the readiness marker of a kernel booted
 * in this folder (`.procos/ready`, or `$PROCOS_DATA_DIR/ready`) whose process is alive,
 * then `http://127.0.0.1:8080`.
 */
import { resolve } from 'node:path';
import { ProcosError } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
// The marker reader alone, not the whole kernel (keeps client commands quick to start).
import { isProcessAlive, readReadyMarker } from '../kernel/ready-marker.js';
import { CliErrors } from './errors.js';
import type { CliIo } from './io.js';

/** The URL commands use when nothing else says. */
export const DEFAULT_KERNEL_URL = 'http://127.0.0.1:8080';

/** Where the URL came from, for messages. */
export interface KernelTarget {
  readonly url: string;
  readonly source: '--url' | 'PROCOS_URL' | 'ready file' | 'default';
  /** Something a person should know when the kernel does not answer (a stale ready file). */
  readonly note?: string;
}

/** Picks the kernel URL (see the module doc). */
export function resolveKernelUrl(io: CliIo, flag: string | undefined): KernelTarget {
  if (flag !== undefined && flag !== '') return { url: flag.replace(/\/+$/, ''), source: '--url' };
  const env = io.env.PROCOS_URL;
  if (env !== undefined && env !== '') return { url: env.replace(/\/+$/, ''), source: 'PROCOS_URL' };
  const marker = readReadyMarker(resolve(io.cwd, io.env.PROCOS_DATA_DIR ?? '.procos', 'ready'));
  if (marker !== null && isProcessAlive(marker.pid)) return { url: marker.url, source: 'ready file' };
  if (marker !== null) return { url: DEFAULT_KERNEL_URL, source: 'default', note: `.procos/ready was left by a kernel that no longer runs (pid ${marker.pid}, ${marker.url})` };
  return { url: DEFAULT_KERNEL_URL, source: 'default' };
}

/** Options of {@link KernelClient}. */
export interface KernelClientOptions {
  /** Longest wait for an answer, ms. @default 30000 */
  readonly timeoutMs?: number;
}

function causeCode(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** A `/procos/v1` client. Every method rejects with a coded error: the kernel's own, or a `PROCOS_CLI_…` one. */
export class KernelClient {
  private readonly timeoutMs: number;

  constructor(
    readonly target: KernelTarget,
    options: KernelClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** GET a `/procos/v1` path (e.g. `/instances?state=all`). */
  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** POST JSON to a `/procos/v1` path. */
  post<T>(path: string, body: JsonValue): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** DELETE a `/procos/v1` path. */
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private unreachable(why: string): ProcosError {
    const { url, source, note } = this.target;
    const whence = source === 'default' ? ' (the default)' : source === 'ready file' ? ' (from .procos/ready)' : ` (from ${source})`;
    return new ProcosError(
      CliErrors.KERNEL_UNREACHABLE,
      `no ProcOS kernel answers at ${url}${whence}: ${why}${note !== undefined ? `; ${note}` : ''}. Start one with "npx procos boot", or point to it with --url or PROCOS_URL`,
      { url },
    );
  }

  private async request<T>(method: string, path: string, body?: JsonValue): Promise<T> {
    const url = `${this.target.url}/procos/v1${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) throw this.unreachable(`no answer within ${Math.round(this.timeoutMs / 1000)} s`);
      const code = causeCode(e);
      if (code === 'ECONNREFUSED') throw this.unreachable('connection refused');
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw this.unreachable('unknown host');
      if (e instanceof TypeError && /invalid url|failed to parse url/i.test(`${e.message} ${String(e.cause)}`)) {
        throw new ProcosError(CliErrors.BAD_ARGUMENT, `${this.target.url} is not a valid URL (expected e.g. http://127.0.0.1:8080)`, { argument: 'url' });
      }
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
      throw this.unreachable(code ?? cause ?? (e instanceof Error ? e.message : String(e)));
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw new ProcosError(CliErrors.KERNEL_BAD_ANSWER, `${url} answered HTTP ${res.status} with something that is not JSON: is this a ProcOS kernel?`, { url, status: res.status });
    }
    if (!res.ok) {
      const err = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      if (err !== undefined && typeof err.code === 'string' && typeof err.message === 'string') {
        throw new ProcosError({ code: err.code, status: res.status }, err.message, (err.details as Record<string, unknown> | undefined) ?? {});
      }
      throw new ProcosError(CliErrors.KERNEL_BAD_ANSWER, `${url} answered HTTP ${res.status}${res.status === 404 ? ' (not found): is this a ProcOS kernel?' : ''}`, { url, status: res.status });
    }
    return parsed as T;
  }
}
