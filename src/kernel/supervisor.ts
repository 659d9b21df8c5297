/**
 * Supervision: checks components periodically and restarts a failed one, with
 * exponential backoff between attempts (1 s, 2 s, 4 s … 30 s). A component that stays
 * healthy for a minute has its attempt count reset. One log line when a component
 * fails, one per restart attempt, one when it is healthy again.
 */
import type { Logger } from '../observability/index.js';

/** A supervised component. */
export interface SupervisedComponent {
  readonly name: string;
  /** Null when healthy, else why not (for the log line). Must not throw. */
  check(): Promise<string | null>;
  /**
   * Restarts the component. May throw; the next attempt follows the backoff. Without it
   * the component is only watched (failing and healthy-again lines, e.g. the store, which
   * reconnects by itself).
   */
  restart?(): Promise<void>;
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  readonly logger: Logger;
  /** Time between checks, ms. @default 2000 */
  readonly tickMs?: number;
  /** First wait between restart attempts, ms. @default 1000 */
  readonly initialBackoffMs?: number;
  /** Longest wait between restart attempts, ms. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Healthy this long resets the attempt count, ms. @default 60000 */
  readonly resetAfterMs?: number;
}

interface Tracked {
  readonly component: SupervisedComponent;
  attempts: number;
  failing: boolean;
  nextAttemptAt: number;
  healthySince: number;
}

/** Backoff before restart attempt `attempt` (1-based), ms: `initial × 2^(attempt−1)`, capped. */
export function restartBackoff(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Runs the checks; see the module doc. */
export class Supervisor {
  private readonly tracked: Tracked[] = [];
  private readonly logger: Logger;
  private readonly tickMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly resetAfterMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;

  constructor(options: SupervisorOptions) {
    this.logger = options.logger;
    this.tickMs = options.tickMs ?? 2000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.resetAfterMs = options.resetAfterMs ?? 60_000;
  }

  /** Adds a component to watch. */
  add(component: SupervisedComponent): void {
    this.tracked.push({ component, attempts: 0, failing: false, nextAttemptAt: 0, healthySince: Date.now() });
  }

  /** Starts the periodic checks. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops checking (a restart in progress finishes). */
  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.tickMs);
    this.timer.unref();
  }

  /** One round of checks (exposed for tests). */
  async tick(): Promise<void> {
    for (const t of this.tracked) {
      if (!this.running) return;
      const problem = await t.component.check();
      const now = Date.now();
      if (problem === null) {
        if (t.failing) {
          t.failing = false;
          t.healthySince = now;
          this.logger.info({ component: t.component.name }, `${t.component.name} is healthy again`);
        } else if (t.attempts > 0 && now - t.healthySince >= this.resetAfterMs) {
          t.attempts = 0;
        }
        continue;
      }
      if (!t.failing) {
        t.failing = true;
        t.nextAttemptAt = now;
        this.logger.warn({ component: t.component.name, reason: problem }, `${t.component.name} failed: ${problem}`);
      }
      if (t.component.restart === undefined || now < t.nextAttemptAt) continue;
      t.attempts += 1;
      const wait = restartBackoff(t.attempts, this.initialBackoffMs, this.maxBackoffMs);
      t.nextAttemptAt = now + wait;
      try {
        await t.component.restart();
        this.logger.info({ component: t.component.name, attempt: t.attempts }, `${t.component.name} restarted (attempt ${t.attempts})`);
      } catch (e) {
        this.logger.warn(
          { component: t.component.name, attempt: t.attempts, retryInMs: wait, error: { message: e instanceof Error ? e.message : String(e) } },
          `${t.component.name} restart failed; next attempt in ${wait} ms`,
        );
      }
    }
  }
}
