/**
 * The ProcOS logger: structured JSON lines (pino), one object per event.
 *
 * Every layer that logs takes a {@link Logger} from its caller (no global logger), so a
 * test can capture lines by passing a `destination` stream to {@link createLogger}.
 * Secrets are kept out twice: callers redact what they know is secret, and the logger
 * censors the usual credential fields ({@link DEFAULT_REDACT_PATHS}) wherever they appear
 * up to two levels deep.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** A structured logger (pino's `Logger`). Child loggers add bound fields. */
export type Logger = PinoLogger;

/** Log levels, most to least verbose; `silent` logs nothing. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/**
 * Fields the logger always censors (pino redact paths): authorization-like headers and
 * password/token fields at the top level and one or two objects down.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'headers.authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["proxy-authorization"]',
  '*.headers.cookie',
  '*.*.headers.authorization',
  '*.*.headers["proxy-authorization"]',
  '*.*.headers.cookie',
  'password',
  '*.password',
  'token',
  '*.token',
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written. @default 'info' */
  level?: LogLevel;
  /** Bound as the `name` field of every line. @default 'procos' */
  name?: string;
  /**
   * Where lines go: any object with `write(line: string)` (a `Writable`, a pino
   * destination). Each line is one JSON object followed by `\n`.
   * @default standard output
   */
  destination?: DestinationStream;
  /** Extra redact paths (pino syntax), added to {@link DEFAULT_REDACT_PATHS}. */
  redact?: readonly string[];
}

/**
 * Creates a pino logger writing JSON lines with an ISO-8601 `time`, the `name`, and
 * `level` as a label (`"info"`, not 30).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const logger = createLogger({ level: 'debug', destination: { write: (l) => void lines.push(l) } });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    level: options.level ?? 'info',
    name: options.name ?? 'procos',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])], censor: REDACTED },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
