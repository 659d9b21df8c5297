/**
 * An in-memory {@link TaskTransport} for worker tests: the Camunda 7 external-task
 * protocol, kept faithfully small. Not for production; the runtime's transport arrives
 * separately.
 *
 * Rules it keeps (as ProcOS and Camunda 7 do):
 * - fetchAndLock returns only open, unlocked (or lock-expired), non-incident tasks whose
 *   retry time has come, of the requested topics, highest priority first when asked,
 *   at most `maxTasks`; it long-polls up to `asyncResponseTimeout`, woken by new or
 *   released tasks, and rejects with an AbortError when its signal aborts.
 * - complete / handleFailure / handleBpmnError / extendLock are accepted only from the
 *   current lock holder while the lock has not expired; others are refused.
 * - handleFailure sets retries and a retry time; 0 retries raises an incident.
 * - unlock releases the lock at once.
 */
import type { Variables } from '../../src/common/json.js';
import type { FailureReport, FetchRequest, LockedTask, TaskTransport } from '../../src/worker/transport.js';

/** A refused call, with a code as a real transport's error would have. */
export class TransportError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'LOCK_VIOLATION' | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A task as the test transport stores it. */
export interface StoredTask {
  id: string;
  topicName: string;
  priority: number;
  processInstanceId: string;
  activityId: string;
  businessKey: string | null;
  variables: Variables;
  retries: number | null;
  errorMessage: string | null;
  errorDetails: string | null;
  workerId: string | null;
  lockExpirationTime: number | null;
  /** Not fetchable before this (epoch ms). */
  retryAt: number;
  state: 'open' | 'completed' | 'bpmnError';
  incident: boolean;
  /** How often it was locked by a fetch. */
  fetchCount: number;
}

/** Options of {@link MemoryTransport.add}. */
export interface NewTask {
  id?: string;
  topicName: string;
  variables?: Variables;
  priority?: number;
  processInstanceId?: string;
  activityId?: string;
}

export class MemoryTransport implements TaskTransport {
  readonly tasks = new Map<string, StoredTask>();
  readonly completions: { taskId: string; workerId: string; variables: Variables | undefined }[] = [];
  readonly bpmnErrors: { taskId: string; workerId: string; errorCode: string; errorMessage: string | undefined; variables: Variables | undefined }[] = [];
  readonly failures: ({ taskId: string; workerId: string } & FailureReport)[] = [];
  readonly extensions: { taskId: string; workerId: string; newDuration: number }[] = [];
  readonly unlocks: string[] = [];
  readonly refusals: string[] = [];
  readonly fetchRequests: FetchRequest[] = [];
  /** The next N fetchAndLock calls reject as if the engine were down. */
  failNextFetches = 0;
  /** Simulates a misbehaving engine that hands out tasks of any topic. */
  ignoreTopicFilter = false;
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  /** Creates an open task and wakes waiting fetches. */
  add(t: NewTask): string {
    const id = t.id ?? `task-${++this.seq}`;
    this.tasks.set(id, {
      id,
      topicName: t.topicName,
      priority: t.priority ?? 0,
      processInstanceId: t.processInstanceId ?? `pi-${id}`,
      activityId: t.activityId ?? `Activity_${t.topicName}`,
      businessKey: null,
      variables: t.variables ?? {},
      retries: null,
      errorMessage: null,
      errorDetails: null,
      workerId: null,
      lockExpirationTime: null,
      retryAt: 0,
      state: 'open',
      incident: false,
      fetchCount: 0,
    });
    this.wake();
    return id;
  }

  get(id: string): StoredTask {
    const t = this.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private isLocked(t: StoredTask, now: number): boolean {
    return t.workerId !== null && t.lockExpirationTime !== null && t.lockExpirationTime > now;
  }

  private tryLock(req: FetchRequest): LockedTask[] {
    const now = Date.now();
    const topics = new Map(req.topics.map((t) => [t.topicName, t]));
    const candidates = [...this.tasks.values()].filter(
      (t) => t.state === 'open' && !t.incident && !this.isLocked(t, now) && t.retryAt <= now && (this.ignoreTopicFilter || topics.has(t.topicName)),
    );
    if (req.usePriority) candidates.sort((a, b) => b.priority - a.priority);
    return candidates.slice(0, req.maxTasks).map((t) => {
      const topic = topics.get(t.topicName) ?? req.topics[0]!;
      t.workerId = req.workerId;
      t.lockExpirationTime = now + topic.lockDuration;
      t.fetchCount += 1;
      const variables = topic.variables
        ? Object.fromEntries(Object.entries(t.variables).filter(([k]) => topic.variables!.includes(k)))
        : structuredClone(t.variables);
      return {
        id: t.id,
        topicName: t.topicName,
        workerId: req.workerId,
        lockExpirationTime: t.lockExpirationTime,
        retries: t.retries,
        priority: t.priority,
        processInstanceId: t.processInstanceId,
        processDefinitionId: 'proc:1:x',
        processDefinitionKey: 'proc',
        activityId: t.activityId,
        activityInstanceId: `${t.activityId}:${t.id}`,
        businessKey: t.businessKey,
        errorMessage: t.errorMessage,
        variables,
      };
    });
  }

  async fetchAndLock(req: FetchRequest, signal?: AbortSignal): Promise<LockedTask[]> {
    this.fetchRequests.push(req);
    if (this.failNextFetches > 0) {
      this.failNextFetches -= 1;
      throw new TransportError('UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:8080 (simulated)');
    }
    const deadline = Date.now() + (req.asyncResponseTimeout ?? 0);
    for (;;) {
      if (signal?.aborted) throw new DOMException('fetch aborted', 'AbortError');
      const locked = this.tryLock(req);
      if (locked.length > 0 || Date.now() >= deadline) return locked;
      // Woken by add/unlock/failure; a short tick also catches retry times and lock expiries.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, Math.min(10, deadline - Date.now())));
        this.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** The task, if `workerId` holds its live lock; otherwise records the refusal and throws. */
  private held(taskId: string, workerId: string, what: string): StoredTask {
    const t = this.tasks.get(taskId);
    if (!t || t.state !== 'open') {
      this.refusals.push(`${what} ${taskId}: not found`);
      throw new TransportError('NOT_FOUND', `external task ${taskId} not found`);
    }
    if (t.workerId !== workerId || !this.isLocked(t, Date.now())) {
      this.refusals.push(`${what} ${taskId}: not locked by ${workerId}`);
      throw new TransportError('LOCK_VIOLATION', `external task ${taskId} is not locked by worker ${workerId}`);
    }
    return t;
  }

  async complete(taskId: string, workerId: string, variables?: Variables): Promise<void> {
    const t = this.held(taskId, workerId, 'complete');
    t.state = 'completed';
    t.variables = { ...t.variables, ...variables };
    t.workerId = null;
    t.lockExpirationTime = null;
    this.completions.push({ taskId, workerId, variables });
  }

  async handleFailure(taskId: string, workerId: string, failure: FailureReport): Promise<void> {
    const t = this.held(taskId, workerId, 'failure');
    t.retries = failure.retries;
    t.errorMessage = failure.errorMessage;
    t.errorDetails = failure.errorDetails ?? null;
    t.workerId = null;
    t.lockExpirationTime = null;
    t.retryAt = Date.now() + failure.retryTimeout;
    t.incident = failure.retries <= 0;
    this.failures.push({ taskId, workerId, ...failure });
    this.wake();
  }

  async handleBpmnError(taskId: string, workerId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    const t = this.held(taskId, workerId, 'bpmnError');
    t.state = 'bpmnError';
    t.workerId = null;
    t.lockExpirationTime = null;
    this.bpmnErrors.push({ taskId, workerId, errorCode, errorMessage, variables });
  }

  async extendLock(taskId: string, workerId: string, newDuration: number): Promise<void> {
    const t = this.held(taskId, workerId, 'extendLock');
    t.lockExpirationTime = Date.now() + newDuration;
    this.extensions.push({ taskId, workerId, newDuration });
  }

  async unlock(taskId: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) throw new TransportError('NOT_FOUND', `external task ${taskId} not found`);
    t.workerId = null;
    t.lockExpirationTime = null;
    this.unlocks.push(taskId);
    this.wake();
  }
}
