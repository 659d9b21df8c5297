/**
 * The in-process {@link TaskTransport}: the external-task protocol as direct calls on a
 * {@link Runtime}, for the kernel's built-in workers. Same contract as the REST transport
 * (a built-in worker is a worker like any other), without HTTP in between: long polling
 * is the runtime's own, woken when a task of a fetched topic is created.
 *
 * It also remembers when each worker last fetched, which the kernel's watch uses to tell
 * a worker whose loop has stalled.
 */
import type { Variables } from '../common/json.js';
import type { LockedExternalTask, Runtime } from '../runtime/index.js';
import type { FailureReport, FetchRequest, LockedTask, TaskTransport } from '../worker/index.js';

/** Maps a runtime task to the transport's (Camunda 7 LockedExternalTaskDto) shape. */
function toLockedTask(t: LockedExternalTask, workerId: string): LockedTask {
  return {
    id: t.id,
    topicName: t.topic,
    workerId: t.workerId ?? workerId,
    lockExpirationTime: t.lockExpirationTime ?? 0,
    retries: t.retries,
    priority: t.priority,
    processInstanceId: t.processInstanceId,
    processDefinitionId: t.processDefinitionId,
    processDefinitionKey: t.processDefinitionKey,
    activityId: t.elementId,
    activityInstanceId: t.activityInstanceId,
    businessKey: t.businessKey,
    errorMessage: t.errorMessage,
    variables: t.variables,
  };
}

/**
 * A {@link TaskTransport} over a {@link Runtime} in the same process. Every method
 * rejects with the runtime's coded errors (`PROCOS_RUNTIME_…`), e.g.
 * `PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED` when the lock is held by another worker, or
 * `PROCOS_RUNTIME_CLOSED` once the runtime is closed.
 *
 * @example
 * const transport = new InProcessTransport(runtime);
 * const worker = new TdeWorker({ transport, workerId: 'builtin@host:8080', routes });
 * worker.start();
 */
export class InProcessTransport implements TaskTransport {
  private readonly lastFetch = new Map<string, number>();

  constructor(private readonly runtime: Runtime) {}

  /** When `workerId` last started a fetch, epoch ms (undefined: never). */
  lastFetchAt(workerId: string): number | undefined {
    return this.lastFetch.get(workerId);
  }

  /** Fetches and locks tasks (long polling as the request says). */
  async fetchAndLock(request: FetchRequest, signal?: AbortSignal): Promise<LockedTask[]> {
    this.lastFetch.set(request.workerId, Date.now());
    const tasks = await this.runtime.fetchAndLock(
      {
        workerId: request.workerId,
        maxTasks: request.maxTasks,
        ...(request.usePriority !== undefined ? { usePriority: request.usePriority } : {}),
        ...(request.asyncResponseTimeout !== undefined ? { asyncResponseTimeout: request.asyncResponseTimeout } : {}),
        topics: request.topics.map((t) => ({
          topicName: t.topicName,
          lockDuration: t.lockDuration,
          ...(t.variables !== undefined ? { variables: t.variables } : {}),
          ...(t.localVariables !== undefined ? { localVariables: t.localVariables } : {}),
          ...(t.processDefinitionKey !== undefined ? { processDefinitionKey: t.processDefinitionKey } : {}),
          ...(t.processDefinitionKeyIn !== undefined ? { processDefinitionKeyIn: t.processDefinitionKeyIn } : {}),
          ...(t.businessKey !== undefined ? { businessKey: t.businessKey } : {}),
        })),
      },
      signal,
    );
    return tasks.map((t) => toLockedTask(t, request.workerId));
  }

  /** Completes a task held by `workerId`. */
  complete(taskId: string, workerId: string, variables?: Variables, localVariables?: Variables): Promise<void> {
    return this.runtime.completeExternalTask(taskId, workerId, variables, localVariables);
  }

  /** Reports a technical failure; 0 retries raises an incident. */
  handleFailure(taskId: string, workerId: string, failure: FailureReport): Promise<void> {
    return this.runtime.handleExternalTaskFailure(taskId, workerId, {
      errorMessage: failure.errorMessage,
      ...(failure.errorDetails !== undefined ? { errorDetails: failure.errorDetails } : {}),
      retries: failure.retries,
      retryTimeout: failure.retryTimeout,
    });
  }

  /** Reports a BPMN error, caught by a matching error boundary event. */
  handleBpmnError(taskId: string, workerId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    return this.runtime.handleExternalTaskBpmnError(taskId, workerId, errorCode, errorMessage, variables);
  }

  /** Extends the lock to now + `newDuration` ms. */
  extendLock(taskId: string, workerId: string, newDuration: number): Promise<void> {
    return this.runtime.extendLock(taskId, workerId, newDuration);
  }

  /** Releases the lock so that any worker can fetch the task at once. */
  unlock(taskId: string): Promise<void> {
    return this.runtime.unlockExternalTask(taskId);
  }
}
