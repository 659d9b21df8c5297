/**
 * Log output for people: a pino destination that turns each JSON line into one short,
 * readable line (`12:04:05 warn  task failed …`). Used when the log format is `pretty`
 * (or `auto` on a terminal); `json` keeps pino's lines as they are, for machines.
 */
import type { Writable } from 'node:stream';
import { createLogger } from '../observability/index.js';
import type { Logger, LogLevel } from '../observability/index.js';
import type { LogFormat } from './config.js';

/** Fields not repeated on a pretty line (the prefix has them, or they are noise for people). */
const HIDDEN = new Set(['time', 'level', 'msg', 'name', 'pid', 'hostname', 'details', 'correlationId', 'taskId', 'event', 'workerId']);

function scalar(v: unknown): string {
  if (Array.isArray(v) && v.length > 4) return `[${v.length} items]`;
  if (typeof v === 'string') return /^[\w./:@-]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function clock(time: unknown): string {
  const d = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  return Number.isNaN(d.getTime()) ? '' : d.toTimeString().slice(0, 8);
}

/** The readable form of a task execution line (worker `task executed`). */
function taskLine(o: Record<string, unknown>): string {
  const outcome = String(o.outcome);
  const err = o.error as { code?: string; message?: string } | undefined;
  let line = `task ${String(o.topic)} (${String(o.activityId)}) ${outcome === 'completed' ? 'completed' : outcome === 'bpmnError' ? `raised BPMN error ${err?.code ?? ''}` : 'failed'} in ${String(o.durationMs)} ms`;
  if (outcome === 'failure' && err?.message) line += `: ${err.message}`;
  if (typeof o.retries === 'number') line += o.retries > 0 ? ` (${o.retries} ${o.retries === 1 ? 'retry' : 'retries'} left, next in ${String(o.retryTimeout)} ms)` : ' (no retries left: incident raised)';
  if (o.unlocked === true) line += ' (unlocked for another worker)';
  const report = o.reportError as { message?: string } | undefined;
  if (report?.message) line += `; ${report.message}`;
  return `${line}  instance=${String(o.processInstanceId)}`;
}

/** Formats one pino JSON line for people. Lines that are not JSON pass through. */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = String(o.level ?? 'info').padEnd(5);
  let body: string;
  if (o.msg === 'task executed' && typeof o.topic === 'string') {
    body = taskLine(o);
  } else {
    body = String(o.msg ?? '');
    const rest = Object.entries(o).filter(([k]) => !HIDDEN.has(k));
    for (const [k, v] of rest) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && k === 'error') {
        const e = v as { message?: unknown; code?: unknown };
        body += ` error=${scalar(e.message ?? v)}${e.code !== undefined ? ` (${String(e.code)})` : ''}`;
      } else {
        body += ` ${k}=${scalar(v)}`;
      }
    }
  }
  return `${clock(o.time)} ${level} ${body}\n`;
}

/** Options of {@link createKernelLogger}. */
export interface KernelLoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where lines go. @default process.stdout */
  readonly stream?: Pick<Writable, 'write'> & { isTTY?: boolean };
}

/** True when this format writes pretty lines to this stream. */
export function isPretty(format: LogFormat, stream: { isTTY?: boolean }): boolean {
  return format === 'pretty' || (format === 'auto' && stream.isTTY === true);
}

/** The kernel's logger: pino, written as JSON lines or as pretty lines (see the module doc). */
export function createKernelLogger(options: KernelLoggerOptions): Logger {
  const stream = options.stream ?? process.stdout;
  const pretty = isPretty(options.format, stream);
  return createLogger({
    level: options.level,
    name: 'procos',
    destination: { write: (line: string) => void stream.write(pretty ? prettyLine(line) : line) },
  });
}
