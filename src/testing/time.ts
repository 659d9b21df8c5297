/**
 * Time for scenarios: a clock the runner moves by hand, ISO-8601 durations and instants.
 * Durations follow the engine's timer arithmetic: years and months are calendar units in
 * UTC (P1M from Jan 31 → Feb 28/29), weeks, days, hours, minutes and seconds are fixed.
 */

/** Where every scenario's clock starts unless it says otherwise: 2026-01-01T00:00:00Z. */
export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

/** A parsed ISO-8601 duration. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  /** Weeks, days, hours, minutes and seconds together, ms. */
  readonly fixedMs: number;
}

/**
 * Parses a non-negative ISO-8601 duration: `PT30M`, `PT1H30M`, `P1D`, `P2W`, `P1Y2M`,
 * `PT0.5S` (at most ms precision).
 * @returns the duration, or null when `text` is not one.
 */
export function parseDuration(text: string): Duration | null {
  const t = text.trim();
  const m = DURATION.exec(t);
  if (m === null || t === 'P' || t.endsWith('T')) return null;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]!.replace(',', '.')));
  const fixedMs = Math.round(((n(3) * 7 + n(4)) * 86_400 + n(5) * 3_600 + n(6) * 60 + n(7)) * 1000);
  return { years: n(1), months: n(2), fixedMs };
}

/** `from` (epoch ms) plus a duration, with calendar years and months in UTC. */
export function addDuration(from: number, d: Duration): number {
  const date = new Date(from);
  if (d.years !== 0 || d.months !== 0) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCFullYear(date.getUTCFullYear() + d.years);
    date.setUTCMonth(date.getUTCMonth() + d.months);
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, last));
  }
  return date.getTime() + d.fixedMs;
}

/**
 * Parses an ISO-8601 instant with a zone (`2026-01-01T00:00:00Z`, `…+02:00`) or a date
 * (`2026-01-01`, midnight UTC).
 * @returns epoch ms, or null when `text` is not one.
 */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(t)) return null;
  const ms = Date.parse(t.includes('T') ? t : `${t}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** An instant as ISO-8601 text in UTC. */
export function showInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The scenario's clock: read by the runtime, moved only by the runner. */
export class ManualClock {
  /** Current time, epoch ms. */
  now: number;

  constructor(start: number) {
    this.now = start;
  }

  /** Moves the clock to `to` (epoch ms); never backwards. */
  moveTo(to: number): void {
    if (to > this.now) this.now = to;
  }

  /** The reader to give the runtime (`RuntimeOptions.clock`). */
  readonly read = (): number => this.now;
}
