/**
 * The TDE worker: fetch-lock-execute-report over a {@link TaskTransport}, for every
 * topic of its routes.
 *
 * ```ts
 * const routes = compileRoutes(YAML.parse(readFileSync('workers.yml', 'utf8')));
 * const worker = new TdeWorker({ transport, workerId: 'tde-1', routes, parallel: 8 });
 * worker.start();
 * // …
 * await worker.stop({ graceMs: 10_000 });
 * ```
 *
 * The loop long-polls `fetchAndLock` for all routed topics, asking for no more tasks than
 * it has free slots (`parallel`), and runs each task with `executeTask` (timeout, lock
 * extension, report, one log line). While the transport throws (engine unreachable) it
 * backs off exponentially with jitter, logging one line when the engine becomes
 * unreachable and one when it is back.
 *
 * Source: Camunda 7 external task client (fetch-and-lock loop, extendLock, unlock);
 * design paper 003 §5.2.2 "Generic Worker".
 */
import { setMaxListeners } from 'node:events';
import { ProcosError } from '../common/errors.js';
import { createLogger } from '../observability/index.js';
import type { Logger } from '../observability/index.js';
import { WorkerErrors } from './errors.js';
import { executeTask } from './execution.js';
import type { ExecutionRecord } from './execution.js';
import { fetchBackoffDelay } from './retry.js';
import type { FetchBackoff } from './retry.js';
import type { CompiledRoutes } from './routes.js';
import { sleep } from './timers.js';
import type { FetchRequest, LockedTask, TaskTransport } from './transport.js';

/**
 * Lifecycle of a worker: `idle` (constructed) → `running` (`start()`) → `stopping`
 * (`stop()` called, running tasks finishing) → `stopped`. A stopped worker is not restarted.
 */
export type WorkerState = 'idle' | 'running' | 'stopping' | 'stopped';

/** Options of {@link TdeWorker}. */
export interface TdeWorkerOptions {
  /** How the worker reaches the engine. */
  transport: TaskTransport;
  /** The worker id locks are taken under; unique per worker process. */
  workerId: string;
  /** The routing table, from `compileRoutes`. */
  routes: CompiledRoutes;
  /** Most tasks asked for per fetch (never more than free slots). @default parallel */
  maxTasks?: number;
  /** Most tasks running at once. @default 4 */
  parallel?: number;
  /** Long-poll wait of a fetch when no task is ready, ms. @default 20000 */
  asyncResponseTimeout?: number;
  /** Fetch higher-priority tasks first. @default true */
  usePriority?: boolean;
  /** Where the execution and state-change lines go. @default createLogger({ name: 'procos-worker' }) */
  logger?: Logger;
  /** Backoff of fetches while the engine is unreachable. @default { initialMs: 1000, maxMs: 30000 } */
  fetchBackoff?: Partial<FetchBackoff>;
  /** After aborting an adapter (timeout, stop), how long to wait for it to return, ms. @default 5000 */
  abortGraceMs?: number;
  /**
   * Pause after an empty fetch that came back before half of `asyncResponseTimeout`
   * (a transport without long polling), ms; keeps the loop from spinning. @default 250
   */
  idleDelayMs?: number;
  /** Random numbers in [0, 1) for the backoff jitter. @default Math.random */
  random?: () => number;
}

/** Options of {@link TdeWorker.stop}. */
export interface StopOptions {
  /** How long running tasks may take to finish before they are aborted and unlocked, ms. @default 10000 */
  graceMs?: number;
}

/** Counters since the worker was created. */
export interface WorkerStats {
  /** Tasks received from fetchAndLock. */
  readonly fetched: number;
  /** Executions that ended in a completion. */
  readonly completed: number;
  /** Executions that ended in a technical failure (not counting unlocked ones). */
  readonly failed: number;
  /** Executions that ended in a BPMN error. */
  readonly bpmnErrors: number;
  /** Tasks given back with `unlock` (worker stopping). */
  readonly unlocked: number;
  /** Executions running now. */
  readonly running: number;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ProcosError(WorkerErrors.OPTIONS_INVALID, `${name}: expected an integer ≥ 1, received ${value}`, { option: name });
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ProcosError(WorkerErrors.OPTIONS_INVALID, `${name}: expected a number ≥ 0, received ${value}`, { option: name });
  }
  return value;
}

/**
 * A TDE worker pool: one fetch loop, up to `parallel` executions at a time.
 * @throws ProcosError `PROCOS_WORKER_OPTIONS_INVALID` from the constructor (empty
 *   workerId, no routes, a non-positive `parallel`/`maxTasks`, negative times).
 */
export class TdeWorker {
  private readonly transport: TaskTransport;
  private readonly workerId: string;
  private readonly routes: CompiledRoutes;
  private readonly parallel: number;
  private readonly maxTasks: number;
  private readonly asyncResponseTimeout: number;
  private readonly usePriority: boolean;
  private readonly logger: Logger;
  private readonly fetchBackoff: FetchBackoff;
  private readonly abortGraceMs: number;
  private readonly idleDelayMs: number;
  private readonly random: () => number;

  private current: WorkerState = 'idle';
  private readonly running = new Map<string, Promise<ExecutionRecord>>();
  private readonly counts = { fetched: 0, completed: 0, failed: 0, bpmnErrors: 0, unlocked: 0 };
  /** Aborted by stop(): ends any backoff or idle sleep of the loop. */
  private readonly loopAbort = new AbortController();
  /** The running fetch's own controller (fresh per fetch, so no listeners pile up on one signal); aborted by stop(). */
  private fetchAbort: AbortController | undefined;
  /** Aborted when stop()'s grace period ends: running executions abort and unlock. */
  private readonly stopAbort = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;

  constructor(options: TdeWorkerOptions) {
    if (typeof options.workerId !== 'string' || options.workerId.trim() === '') {
      throw new ProcosError(WorkerErrors.OPTIONS_INVALID, 'workerId: expected a non-empty string', { option: 'workerId' });
    }
    if (options.routes.topics.size === 0) {
      throw new ProcosError(WorkerErrors.OPTIONS_INVALID, 'routes: expected at least one topic', { option: 'routes' });
    }
    this.transport = options.transport;
    this.workerId = options.workerId;
    this.routes = options.routes;
    this.parallel = positiveInt('parallel', options.parallel ?? 4);
    this.maxTasks = positiveInt('maxTasks', options.maxTasks ?? this.parallel);
    this.asyncResponseTimeout = nonNegative('asyncResponseTimeout', options.asyncResponseTimeout ?? 20_000);
    this.usePriority = options.usePriority ?? true;
    this.fetchBackoff = {
      initialMs: nonNegative('fetchBackoff.initialMs', options.fetchBackoff?.initialMs ?? 1000),
      maxMs: nonNegative('fetchBackoff.maxMs', options.fetchBackoff?.maxMs ?? 30_000),
    };
    this.abortGraceMs = nonNegative('abortGraceMs', options.abortGraceMs ?? 5000);
    this.idleDelayMs = nonNegative('idleDelayMs', options.idleDelayMs ?? 250);
    this.random = options.random ?? Math.random;
    this.logger = (options.logger ?? createLogger({ name: 'procos-worker' })).child({ workerId: this.workerId });
    // Every running execution listens to the stop signal (one listener each, removed when
    // it ends), so with `parallel` > 10 Node's default limit of 10 would warn
    // (MaxListenersExceededWarning) about listeners that are not a leak.
    setMaxListeners(0, this.stopAbort.signal);
  }

  /** The lifecycle state. */
  get state(): WorkerState {
    return this.current;
  }

  /**
   * Starts the fetch loop in the background and returns at once.
   * @throws ProcosError `PROCOS_WORKER_ALREADY_STARTED` unless the worker is `idle`.
   */
  start(): void {
    if (this.current !== 'idle') {
      throw new ProcosError(WorkerErrors.ALREADY_STARTED, `worker "${this.workerId}" cannot start: it is ${this.current}`, { state: this.current });
    }
    this.current = 'running';
    this.logger.info({ topics: [...this.routes.topics.keys()], parallel: this.parallel }, 'worker started');
    this.loopDone = this.loop().catch((e: unknown) => {
      // The loop catches transport errors itself; anything here is a bug. Say so and stop fetching.
      this.logger.error({ error: { message: e instanceof Error ? e.message : String(e) } }, 'worker loop crashed');
    });
  }

  /**
   * Stops fetching, lets running tasks finish within `graceMs`, then aborts the rest
   * (their adapters get an aborted signal) and unlocks their tasks so the engine offers
   * them again at once. Resolves when every execution has ended and the loop has exited.
   * Calling it again returns the same promise; on an idle worker it resolves at once.
   */
  stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.current === 'idle') {
      this.current = 'stopped';
      this.stopping = Promise.resolve();
      return this.stopping;
    }
    const graceMs = nonNegative('graceMs', options.graceMs ?? 10_000);
    this.current = 'stopping';
    this.logger.info({ running: this.running.size, graceMs }, 'worker stopping');
    this.loopAbort.abort();
    this.fetchAbort?.abort();
    this.wakeLoop?.();
    this.stopping = (async () => {
      const all = (): Promise<unknown> => Promise.all([...this.running.values()]);
      const graceOver = new AbortController();
      const finished = await Promise.race([all().then(() => true), sleep(graceMs, graceOver.signal).then(() => false)]);
      graceOver.abort();
      if (!finished) {
        this.stopAbort.abort(
          new ProcosError(WorkerErrors.STOPPED, `worker "${this.workerId}" stopped; task not finished within the ${graceMs} ms grace period and unlocked`, { graceMs }),
        );
        await all();
      }
      await this.loopDone;
      await all(); // tasks a late fetch may have started are unlocked by the loop, but be sure
      this.current = 'stopped';
      this.logger.info({ stats: this.stats() }, 'worker stopped');
    })();
    return this.stopping;
  }

  /** Counters of fetched, completed, failed, BPMN-error and unlocked tasks, and how many run now. */
  stats(): WorkerStats {
    return { ...this.counts, running: this.running.size };
  }

  private fetchRequest(maxTasks: number): FetchRequest {
    return {
      workerId: this.workerId,
      maxTasks,
      usePriority: this.usePriority,
      asyncResponseTimeout: this.asyncResponseTimeout,
      topics: [...this.routes.topics.values()].map((r) => ({
        topicName: r.topic,
        lockDuration: r.lockDuration,
        ...(r.variables ? { variables: [...r.variables] } : {}),
      })),
    };
  }

  /** Resolves when a slot is free or the worker is stopping. */
  private waitForSlot(): Promise<void> {
    if (this.running.size < this.parallel || this.current !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeLoop = () => {
        this.wakeLoop = undefined;
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.current === 'running') {
      await this.waitForSlot();
      if (this.current !== 'running') break;
      const free = this.parallel - this.running.size;
      const startedAt = Date.now();
      let tasks: LockedTask[];
      this.fetchAbort = new AbortController();
      try {
        tasks = await this.transport.fetchAndLock(this.fetchRequest(Math.min(this.maxTasks, free)), this.fetchAbort.signal);
      } catch (e) {
        if (this.current !== 'running') break;
        failures += 1;
        const delayMs = fetchBackoffDelay(failures, this.fetchBackoff, this.random());
        const error = { message: e instanceof Error ? e.message : String(e), ...(e instanceof ProcosError ? { code: e.code } : {}) };
        if (failures === 1) this.logger.warn({ event: 'engine-unreachable', error, retryInMs: delayMs }, 'engine unreachable; fetching again with backoff');
        else this.logger.debug({ event: 'fetch-failed', failures, error, retryInMs: delayMs }, 'fetch failed again');
        await sleep(delayMs, this.loopAbort.signal);
        continue;
      } finally {
        this.fetchAbort = undefined;
      }
      if (failures > 0) {
        this.logger.info({ event: 'engine-reachable', failedFetches: failures }, 'engine reachable again');
        failures = 0;
      }
      this.counts.fetched += tasks.length;
      // Tasks that arrive after stop() (a transport that ignored the abort) or beyond the free slots go back at once.
      const keep = this.current === 'running' ? tasks.slice(0, free) : [];
      for (const task of tasks.slice(keep.length)) await this.giveBack(task);
      for (const task of keep) this.launch(task);
      if (tasks.length === 0 && this.current === 'running' && Date.now() - startedAt < this.asyncResponseTimeout / 2) {
        await sleep(this.idleDelayMs, this.loopAbort.signal);
      }
    }
  }

  private launch(task: LockedTask): void {
    const execution = executeTask(task, {
      transport: this.transport,
      workerId: this.workerId,
      routes: this.routes,
      logger: this.logger,
      abortGraceMs: this.abortGraceMs,
      stopSignal: this.stopAbort.signal,
    });
    this.running.set(task.id, execution);
    void execution.then((record) => {
      this.running.delete(task.id);
      if (record.unlocked) this.counts.unlocked += 1;
      else if (record.outcome === 'completed') this.counts.completed += 1;
      else if (record.outcome === 'bpmnError') this.counts.bpmnErrors += 1;
      else this.counts.failed += 1;
      this.wakeLoop?.();
    });
  }

  /** Unlocks a task the worker will not run. */
  private async giveBack(task: LockedTask): Promise<void> {
    try {
      await this.transport.unlock(task.id);
      this.counts.unlocked += 1;
      this.logger.info({ taskId: task.id, topic: task.topicName }, 'task not started (worker stopping); unlocked');
    } catch (e) {
      this.logger.warn({ taskId: task.id, topic: task.topicName, error: { message: e instanceof Error ? e.message : String(e) } }, 'unlock failed; the lock will expire');
    }
  }
}
