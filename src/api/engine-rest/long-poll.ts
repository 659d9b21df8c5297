/**
 * Admission of long-polling `fetchAndLock` requests (those with an
 * `asyncResponseTimeout` that found no task at once and must wait).
 *
 * At most `capacity` requests wait at a time. One more is refused, never dropped: like
 * Camunda 7's `FetchAndLockHandlerImpl` (a bounded queue of 200), it is answered with
 * an `InvalidRequestException`, status 500, "At the moment the server has to handle too
 * many requests at the same time. Please try again later." (PROCOS_API_TOO_MANY_LONG_POLLS).
 * Each waiting request has an AbortSignal: aborted when its client disconnects, and for
 * all of them when the server closes (they then answer with no tasks).
 */
import { ProcosError } from '../../common/errors.js';
import { ApiErrors } from '../errors.js';

/** Camunda's message for a refused long poll. */
export const TOO_MANY_REQUESTS_MESSAGE = 'At the moment the server has to handle too many requests at the same time. Please try again later.';

/** A held long poll. */
export interface LongPollTicket {
  /** Aborted when the client disconnects or the server closes. */
  readonly signal: AbortSignal;
  /** True once the server began closing. */
  readonly shuttingDown: () => boolean;
  /** Frees the slot (idempotent). */
  release(): void;
}

/** Counts waiting long polls against a capacity. */
export class LongPollGate {
  private readonly held = new Set<AbortController>();
  private closing = false;
  /** Resolves {@link LongPollGate.close}'s wait once the last held request is released. */
  private drained: (() => void) | undefined;

  /**
   * @param capacity how many requests may wait at once (≥ 0; 0 refuses every long poll).
   * @throws PROCOS_API_OPTIONS_INVALID when capacity is not a non-negative integer.
   */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new ProcosError(ApiErrors.OPTIONS_INVALID, `longPollCapacity must be an integer ≥ 0, got ${String(capacity)}`, { option: 'longPollCapacity' });
    }
  }

  /** Number of requests waiting now. */
  get waiting(): number {
    return this.held.size;
  }

  /**
   * Takes a slot for a request that is about to wait.
   * @param clientGone a signal aborted when the client disconnects.
   * @throws PROCOS_API_TOO_MANY_LONG_POLLS when `capacity` requests already wait.
   */
  admit(clientGone: AbortSignal): LongPollTicket {
    if (this.held.size >= this.capacity || this.closing) {
      throw new ProcosError(ApiErrors.TOO_MANY_LONG_POLLS, TOO_MANY_REQUESTS_MESSAGE, { capacity: this.capacity });
    }
    const ctl = new AbortController();
    const onGone = (): void => ctl.abort(clientGone.reason);
    if (clientGone.aborted) ctl.abort(clientGone.reason);
    else clientGone.addEventListener('abort', onGone, { once: true });
    this.held.add(ctl);
    return {
      signal: ctl.signal,
      shuttingDown: () => this.closing,
      release: () => {
        clientGone.removeEventListener('abort', onGone);
        this.held.delete(ctl);
        if (this.held.size === 0) this.drained?.();
      },
    };
  }

  /**
   * Server shutdown: wakes every waiting request (they answer with no tasks) and admits no
   * more. Resolves once every woken request has let go of its slot and had a turn of the
   * event loop to write its answer (at most `graceMs`), so that a server closing its
   * connections next does not cut those answers off.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    if (this.held.size > 0) {
      const drained = new Promise<void>((resolve) => (this.drained = resolve));
      for (const ctl of this.held) ctl.abort(new Error('server closing'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
