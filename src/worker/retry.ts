/**
 * Retry arithmetic: how many retries a failed task has left, when it may run again, and
 * how long the worker waits before fetching again when the engine is unreachable.
 * Pure functions; randomness is passed in.
 */

/** Exponential growth of a route's retry timeout. */
export interface RetryBackoff {
  /** Each further failure multiplies the wait by this. @default 2 */
  readonly factor: number;
  /** The longest wait, ms. @default 300000 */
  readonly maxTimeout: number;
}

/**
 * Retries left after one more failure (Camunda semantics): a task that has never failed
 * (`taskRetries` null) starts from the route's `retries`; the result is never below 0,
 * and 0 makes the engine raise an incident.
 * @example nextRetries(null, 3) // 2
 * @example nextRetries(1, 3)    // 0
 */
export function nextRetries(taskRetries: number | null, routeRetries: number): number {
  return Math.max(0, (taskRetries ?? routeRetries) - 1);
}

/**
 * How long a failed task waits before it may be fetched again, ms. Without backoff it is
 * `retryTimeout`; with backoff it is `retryTimeout × factor^n`, capped at `maxTimeout`,
 * where n is the number of earlier failures (`routeRetries − taskRetries`; 0 when
 * `taskRetries` is null).
 */
export function retryTimeoutFor(taskRetries: number | null, routeRetries: number, retryTimeout: number, backoff: RetryBackoff | null): number {
  if (!backoff) return retryTimeout;
  const earlier = taskRetries === null ? 0 : Math.max(0, routeRetries - taskRetries);
  return Math.round(Math.min(backoff.maxTimeout, retryTimeout * backoff.factor ** earlier));
}

/** Backoff of the fetch loop while the engine is unreachable. */
export interface FetchBackoff {
  /** Wait after the first failed fetch, ms. @default 1000 */
  readonly initialMs: number;
  /** The longest wait, ms. @default 30000 */
  readonly maxMs: number;
}

/**
 * Wait before the next fetch after `failures` consecutive failed fetches (≥ 1), ms:
 * exponential (`initialMs × 2^(failures−1)`, capped at `maxMs`) with "equal jitter" (a
 * uniformly random half), so many workers do not return in step.
 * @param random - a number in [0, 1), e.g. `Math.random()`.
 */
export function fetchBackoffDelay(failures: number, backoff: FetchBackoff, random: number): number {
  const full = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + (full / 2) * random);
}
