/**
 * Wakes waiting `fetchAndLock` requests (long polling) as soon as a task for one of their
 * topics may have become fetchable: created, unlocked, its retries set, or its retry
 * time reached. In-process, and across the processes sharing a PostgreSQL database:
 * local notifications are handed to {@link TopicNotifier.publish} (the runtime sends them
 * as `NOTIFY`), and what other processes sent comes in through
 * {@link TopicNotifier.receive}.
 *
 * A per-topic sequence number closes the race between "fetch found nothing" and "start
 * waiting": a waiter passes the sequence it saw before fetching and returns at once if
 * it has moved on.
 */
export class TopicNotifier {
  private readonly seq = new Map<string, number>();
  private readonly waiters = new Set<{ topics: readonly string[]; wake: () => void }>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** The current sequence number of a set of topics (sum of per-topic counters). */
  version(topics: readonly string[]): number {
    let v = 0;
    for (const t of topics) v += this.seq.get(t) ?? 0;
    return v;
  }

  /** Called with the topics of every local {@link TopicNotifier.notify} (not of {@link TopicNotifier.receive}). */
  publish: ((topics: readonly string[]) => void) | undefined;

  /** Tells every waiter on any of `topics` to fetch again, here and (through {@link TopicNotifier.publish}) elsewhere. */
  notify(topics: Iterable<string>): void {
    const set = new Set(topics);
    if (set.size === 0) return;
    this.wakeTopics(set);
    this.publish?.([...set]);
  }

  /** A notification from another process: wakes the waiters of `topics` (null: of every topic); not published again. */
  receive(topics: readonly string[] | null): void {
    // null: every topic known here, and every topic a waiter waits for.
    const set = topics === null ? new Set([...this.seq.keys(), ...[...this.waiters].flatMap((w) => w.topics)]) : new Set(topics);
    if (set.size > 0) this.wakeTopics(set);
  }

  private wakeTopics(set: ReadonlySet<string>): void {
    for (const t of set) this.seq.set(t, (this.seq.get(t) ?? 0) + 1);
    for (const w of [...this.waiters]) if (w.topics.some((t) => set.has(t))) w.wake();
  }

  /** Notifies `topics` after `delayMs` (a task whose retry time lies in the future). */
  notifyLater(topics: readonly string[], delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.notify(topics);
    }, Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * Resolves when `topics` are notified after `seenVersion`, when `timeoutMs` passes, or
   * when `signal` aborts. Resolves to true when woken by a notification.
   */
  wait(topics: readonly string[], seenVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.version(topics) !== seenVersion) return Promise.resolve(true);
    if (timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        resolve(woken);
      };
      const waiter = { topics, wake: () => done(true) };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), Math.min(timeoutMs, 2 ** 31 - 1));
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of requests waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Wakes every waiter and clears pending timers (shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of [...this.waiters]) w.wake();
  }
}
