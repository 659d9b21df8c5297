/** Shared helpers of the worker and adapter tests. */
import { z } from 'zod';
import { adapterEntry } from '../../src/adapters/index.js';
import type { AdapterInput, AdapterRegistry, AdapterResult } from '../../src/adapters/index.js';
import { createLogger } from '../../src/observability/index.js';
import type { Logger } from '../../src/observability/index.js';

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** A debug-level logger whose lines land in `lines`, parsed. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    name: 'test',
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  });
  return { logger, lines, raw };
}

/** Resolves once `check()` is true; rejects after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms`, or when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A behaviour a test adapter runs, chosen by its config's `mode`. */
export type Behaviour = (input: AdapterInput<{ mode: string }>) => Promise<AdapterResult>;

/** A registry with one adapter, `fn`, whose config `{mode}` picks a behaviour from `behaviours`. */
export function fnAdapters(behaviours: Record<string, Behaviour>): AdapterRegistry {
  return {
    fn: adapterEntry({
      name: 'fn',
      configSchema: z.strictObject({ mode: z.enum(Object.keys(behaviours) as [string, ...string[]]) }),
      execute: (input) => behaviours[input.config.mode]!(input),
    }),
  };
}

/** Log lines of executions (one per task run). */
export function executionLines(lines: LogLine[]): LogLine[] {
  return lines.filter((l) => l.msg === 'task executed');
}
