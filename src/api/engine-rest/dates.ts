/**
 * Dates on the Camunda 7 wire: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 * `2026-01-01T00:00:00.000+0000` (Camunda's default date format, REST reference
 * "Date Format"). Reading and writing are in src/common/camunda-values.ts (shared with
 * the worker's REST transport); the helpers for optional dates are the API's.
 */
import { formatDate } from '../../common/camunda-values.js';

export { formatDate, parseDate } from '../../common/camunda-values.js';

/** Like {@link formatDate}, null for null. */
export function formatOptionalDate(ms: number | null): string | null {
  return ms === null ? null : formatDate(ms);
}

/** An ISO-8601 string (as user tasks store due dates) → Camunda's format; null when absent or unreadable. */
export function formatIsoDate(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : formatDate(ms);
}
