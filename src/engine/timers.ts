/**
 * Timer definitions → due times. BPMN 2.0.2 §10.5.3 (timer event definition: ISO-8601
 * timeDate, timeDuration, timeCycle); Camunda 7 and Zeebe also accept cron expressions
 * for timeCycle (Quartz style with seconds and `?` in Camunda, 5/6 fields in Zeebe).
 *
 * Pure: "now" is passed in. Durations use calendar arithmetic in UTC for years, months
 * and days (P1M from Jan 31 → Feb 28/29, as java.time does), fixed units otherwise.
 */
import { Cron } from 'croner';
import { ProcosError } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
import { EngineErrors } from './errors.js';

/** A parsed timer: when it is first due, and how it repeats. */
export interface TimerSchedule {
  /** First due time, epoch ms. */
  readonly dueTime: number;
  /** For cycles: the cycle text to compute the next due time from, and runs left after this one (null = unbounded). */
  readonly repeat?: { readonly cycle: string; readonly remaining: number | null };
}

const DURATION = /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

function bad(text: string, why: string): ProcosError {
  return new ProcosError(EngineErrors.INVALID_VALUE, `timer "${text}": ${why}`, { field: 'timer', value: text });
}

/** Adds an ISO-8601 duration (`P1Y2M3DT4H5M6.5S`, `P2W`) to `from` (epoch ms). */
export function addDuration(from: number, text: string): number {
  const m = DURATION.exec(text.trim());
  if (m === null || text.trim() === 'P' || text.trim().endsWith('T')) throw bad(text, 'not an ISO-8601 duration (e.g. PT5M, P1DT2H)');
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]!.replace(',', '.')));
  const sign = m[1] === '-' ? -1 : 1;
  const d = new Date(from);
  if (n(2) !== 0 || n(3) !== 0) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCFullYear(d.getUTCFullYear() + sign * Math.trunc(n(2)));
    d.setUTCMonth(d.getUTCMonth() + sign * Math.trunc(n(3)));
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  }
  const ms = ((n(4) * 7 + n(5)) * 86_400 + n(6) * 3_600 + n(7) * 60 + n(8)) * 1000;
  return d.getTime() + sign * Math.round(ms);
}

/** Parses an ISO-8601 date-time (offset or Z; without one, UTC). */
export function parseDate(text: string): number {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(t)) throw bad(text, 'not an ISO-8601 date-time (e.g. 2026-01-01T10:00:00Z)');
  const withZone = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(t) && t.includes('T') ? t : t.includes('T') ? `${t}Z` : `${t}T00:00:00Z`;
  const ms = Date.parse(withZone.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw bad(text, 'not a valid date-time');
  return ms;
}

function cronNext(expr: string, after: number): number {
  let cron: Cron;
  try {
    cron = new Cron(expr.trim(), { timezone: 'UTC', paused: true, sloppyRanges: true, mode: 'auto' });
  } catch (e) {
    throw bad(expr, `not a valid cron expression (${e instanceof Error ? e.message : String(e)})`);
  }
  const next = cron.nextRun(new Date(after));
  if (next === null) throw bad(expr, 'the cron expression never fires again');
  return next.getTime();
}

/**
 * The next due time of a cycle after `after`: ISO-8601 repeating interval
 * `R[n]/[start/]duration` or a cron expression.
 */
export function nextCycle(cycle: string, after: number): number {
  const t = cycle.trim();
  if (t.startsWith('R')) {
    const parts = t.split('/');
    const interval = parts[parts.length - 1]!;
    return addDuration(after, interval);
  }
  return cronNext(t, after);
}

/**
 * Computes a timer's schedule from its evaluated text.
 * @param kind `duration` | `date` | `cycle`
 * @param value the evaluated expression: an ISO-8601 string (or a cron string for cycles)
 * @param now epoch ms
 * @throws PROCOS_ENGINE_INVALID_VALUE naming the text when it cannot be parsed.
 */
export function schedule(kind: 'duration' | 'date' | 'cycle', value: JsonValue, now: number): TimerSchedule {
  if (typeof value !== 'string' || value.trim() === '') throw bad(String(value), 'a timer needs a non-empty ISO-8601 or cron text');
  const text = value.trim();
  if (kind === 'date') return { dueTime: parseDate(text) };
  if (kind === 'duration') {
    // Seen in real models: a repeating interval inside timeDuration; its first interval counts.
    if (text.startsWith('R')) return { dueTime: nextCycle(text, now) };
    return { dueTime: addDuration(now, text) };
  }
  if (text.startsWith('R')) {
    const parts = text.split('/');
    const countText = parts[0]!.slice(1);
    const count = countText === '' ? null : Number(countText);
    if (count !== null && (!Number.isInteger(count) || count < 0)) throw bad(text, 'repeat count must be a whole number (R3/PT10S)');
    if (parts.length < 2 || parts.length > 3) throw bad(text, 'expected R[n]/duration or R[n]/start/duration');
    const start = parts.length === 3 ? parseDate(parts[1]!) : undefined;
    const first = start !== undefined && start > now ? start : addDuration(start ?? now, parts[parts.length - 1]!);
    if (count === 0) return { dueTime: first };
    return { dueTime: first, repeat: { cycle: text, remaining: count === null ? null : count - 1 } };
  }
  return { dueTime: cronNext(text, now), repeat: { cycle: text, remaining: null } };
}
