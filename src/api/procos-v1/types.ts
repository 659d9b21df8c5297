/**
 * The JSON shapes of ProcOS's own API, `/procos/v1`: what the routes answer and what
 * the `procos` commands read. Times are epoch milliseconds.
 */
import type { JsonObject, JsonValue, Variables } from '../../common/json.js';

/**
 * How an instance is doing, for people: `running` (active, nothing stuck), `incident`
 * (active, with at least one open incident), `completed`, `terminated` (cancelled).
 */
export type InstanceStateView = 'running' | 'incident' | 'completed' | 'terminated';

/** An activity instance that has started and not ended. */
export interface CurrentActivityView {
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly name: string | null;
  /** BPMN element type, e.g. `serviceTask`, `userTask`. */
  readonly type: string;
  /** Epoch ms. */
  readonly since: number;
}

/** One process instance, as listed. */
export interface InstanceView {
  readonly id: string;
  /** Process definition key (the BPMN process id). */
  readonly key: string;
  readonly version: number;
  readonly definitionId: string;
  readonly state: InstanceStateView;
  readonly businessKey: string | null;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms; null while active. */
  readonly endTime: number | null;
  /** Where it waits now (leaf activities; empty once ended). */
  readonly current: readonly CurrentActivityView[];
  /** Open incidents. */
  readonly incidents: number;
}

/** One step of an instance's history (an activity instance). */
export interface HistoryStepView {
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly type: string;
  readonly name: string | null;
  /** The enclosing activity instance (the process instance id at top level). */
  readonly parent: string;
  readonly startTime: number;
  /** Null while running. */
  readonly endTime: number | null;
  /** True when interrupted (error boundary, terminate, cancel). */
  readonly canceled: boolean;
}

/** An incident, open or resolved. */
export interface IncidentView {
  readonly id: string;
  /** `failedExternalTask`, `expressionFailed`, `noOutgoingFlow`, … */
  readonly type: string;
  readonly message: string;
  readonly processInstanceId: string;
  readonly key: string | null;
  readonly elementId: string;
  readonly activityName: string | null;
  readonly externalTaskId: string | null;
  /** Longer text of the last failure (stderr tail, response body), while the task exists. */
  readonly errorDetails: string | null;
  readonly createdTime: number;
  /** Null while open. */
  readonly resolvedTime: number | null;
}

/** An external task of an instance, waiting for or held by a worker. */
export interface ExternalTaskView {
  readonly id: string;
  readonly elementId: string;
  readonly topic: string;
  /** Null: never failed. */
  readonly retries: number | null;
  readonly workerId: string | null;
  readonly lockExpirationTime: number | null;
  readonly retryAfterTime: number | null;
  readonly errorMessage: string | null;
}

/** A user task of an instance. */
export interface UserTaskView {
  readonly id: string;
  readonly elementId: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly createdTime: number;
}

/** One instance with its history, variables, incidents and tasks (`GET /procos/v1/instances/:id`). */
export interface InstanceDetailView extends InstanceView {
  readonly revision: number;
  readonly endReason: string | null;
  readonly history: readonly HistoryStepView[];
  /** Process variables: the current values, or the last values once ended. */
  readonly variables: Variables;
  readonly incidentList: readonly IncidentView[];
  readonly externalTasks: readonly ExternalTaskView[];
  readonly userTasks: readonly UserTaskView[];
}

/** A deployed process definition. */
export interface DefinitionView {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly name: string | null;
  readonly resource: string;
  readonly deploymentId: string;
}

/** Answer of `POST /procos/v1/deployments`. */
export interface DeploymentResultView {
  readonly deploymentId: string;
  /** True when nothing changed (no new version of any process). */
  readonly duplicate: boolean;
  readonly definitions: readonly (DefinitionView & { readonly isNew: boolean })[];
}

/** Counts of the kernel's state (`GET /procos/v1/status`). */
export interface StatusView {
  readonly store: { readonly kind: string; readonly schemaVersion: number };
  readonly definitions: number;
  readonly instances: { readonly active: number; readonly completed: number; readonly terminated: number };
  readonly externalTasks: { readonly total: number; readonly locked: number; readonly waiting: number };
  readonly userTasks: number;
  readonly incidents: { readonly open: number };
  /** What the kernel adds (workers, uptime …). */
  readonly kernel: JsonObject;
}

/** The error body of every refused request. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, JsonValue> };
}
