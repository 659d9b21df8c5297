/**
 * How a TDE worker talks to an engine: the Camunda 7 external-task protocol, as an
 * interface. The in-process transport calls the runtime directly (built-in workers in
 * `procos boot`); the REST transport speaks `/engine-rest` (`procos worker` against
 * ProcOS or any Camunda 7 compatible engine). Variables are plain JSON here; the REST
 * transport converts them to and from Camunda's typed format.
 * Source: Camunda 7 REST API "External Task" (fetchAndLock, complete, failure, bpmnError,
 * extendLock, unlock).
 */
import type { Variables } from '../common/json.js';

/** One topic of a fetch request. */
export interface FetchTopic {
  topicName: string;
  /** Lock duration, ms. */
  lockDuration: number;
  /** Variable names to fetch; undefined = all. */
  variables?: string[];
  /** Fetch only tasks of these process definition keys / business key. */
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  businessKey?: string;
  /** Only local variables of the task's activity scope. */
  localVariables?: boolean;
}

/** A fetch-and-lock request (Camunda 7 FetchExternalTasksDto). */
export interface FetchRequest {
  workerId: string;
  maxTasks: number;
  usePriority?: boolean;
  /** Long polling: how long to wait for a task when none is available, ms (≤ 1,800,000). */
  asyncResponseTimeout?: number;
  topics: FetchTopic[];
}

/** A task locked for a worker (Camunda 7 LockedExternalTaskDto, JSON variables). */
export interface LockedTask {
  id: string;
  topicName: string;
  workerId: string;
  /** Lock expiry, epoch ms. */
  lockExpirationTime: number;
  /** Null until the first failure (Camunda semantics). */
  retries: number | null;
  priority: number;
  processInstanceId: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  activityId: string;
  activityInstanceId: string;
  businessKey: string | null;
  errorMessage: string | null;
  variables: Variables;
}

/** A technical failure report (Camunda 7 ExternalTaskFailureDto). */
export interface FailureReport {
  errorMessage: string;
  errorDetails?: string;
  /** Remaining retries; 0 raises an incident. */
  retries: number;
  /** ms until the task may be fetched again. */
  retryTimeout: number;
}

/** The external-task protocol as seen by a worker. Every method rejects with a coded error. */
export interface TaskTransport {
  fetchAndLock(request: FetchRequest, signal?: AbortSignal): Promise<LockedTask[]>;
  complete(taskId: string, workerId: string, variables?: Variables, localVariables?: Variables): Promise<void>;
  handleFailure(taskId: string, workerId: string, failure: FailureReport): Promise<void>;
  handleBpmnError(taskId: string, workerId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
  /** Sets a new lock duration from now, ms. */
  extendLock(taskId: string, workerId: string, newDuration: number): Promise<void>;
  unlock(taskId: string): Promise<void>;
}
