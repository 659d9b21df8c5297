/**
 * The observability layer: logging (and, later, metrics and tracing) behind small
 * interfaces. Imports no other ProcOS layer.
 */
export { createLogger, DEFAULT_REDACT_PATHS, REDACTED } from './logger.js';
export type { Logger, LoggerOptions, LogLevel } from './logger.js';
