/**
 * What the store returns: one plain record type per table. Times are epoch
 * milliseconds (numbers); JSON values are parsed; absent values are `null`.
 *
 * The store is layer-independent: these types mirror the engine's effects and state but
 * do not import them (ARCHITECTURE.md layers). Instance state is opaque JSON here.
 */
import type { JsonObject, JsonValue } from '../common/json.js';

/** Lifecycle of a process instance, as stored. */
export type InstanceStatus = 'active' | 'completed' | 'terminated';

/** A deployment: a set of resources deployed together. */
export interface DeploymentRecord {
  readonly id: string;
  readonly name: string;
  /** Where it came from (`procos deploy`, `rest`, a directory …); free text or null. */
  readonly source: string | null;
  readonly tenantId: string | null;
  /** Epoch ms. */
  readonly deployTime: number;
}

/** One resource (file) of a deployment. */
export interface ResourceRecord {
  readonly deploymentId: string;
  /** File name, e.g. `order.bpmn`. */
  readonly name: string;
  /** Raw bytes, exactly as deployed (text resources are stored UTF-8 encoded). */
  readonly content: Buffer;
}

/** A deployed version of a process. */
export interface ProcessDefinitionRecord {
  /** `key:version:uuid`. */
  readonly id: string;
  /** Process id in the BPMN (Camunda's process definition key). */
  readonly key: string;
  /** 1, 2, … per key. */
  readonly version: number;
  readonly versionTag: string | null;
  readonly name: string | null;
  readonly deploymentId: string;
  /** Name of the resource (in the definition's deployment) it was parsed from. */
  readonly resourceName: string;
  /** Hash of the process content given at deploy time; equal hash = unchanged process. */
  readonly contentHash: string;
  readonly tenantId: string | null;
}

/** A process instance without its state (what lists return). */
export interface InstanceSummary {
  readonly id: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly status: InstanceStatus;
  /** 1 after insert; +1 per committed update. */
  readonly revision: number;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms; null while active. */
  readonly endTime: number | null;
  /** The calling instance (call activity), or null. */
  readonly superInstanceId: string | null;
}

/** A process instance with its state. */
export interface InstanceRecord extends InstanceSummary {
  /** The engine's instance state, parsed from JSON. Opaque to the store. */
  readonly state: JsonObject;
}

/** An external task (a service task with `camunda:type="external"`, a TDE task). */
export interface ExternalTaskRecord {
  readonly id: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly activityInstanceId: string;
  /** BPMN element id (Camunda's `activityId`). */
  readonly elementId: string;
  readonly topic: string;
  /** Higher first when fetched with `usePriority`. */
  readonly priority: number;
  /** Null: never failed (Camunda 7 semantics); 0: not fetchable until retries are set. */
  readonly retries: number | null;
  /** The worker holding (or last holding) the lock; null when unlocked. */
  readonly workerId: string | null;
  /** Epoch ms the lock ends; null when unlocked. Locked ⇔ `lockExpirationTime > now`. */
  readonly lockExpirationTime: number | null;
  /** Epoch ms before which the task is not fetched (set after a failure with a retry timeout); null = now. */
  readonly retryAfterTime: number | null;
  readonly errorMessage: string | null;
  readonly errorDetails: string | null;
  /** Always false for now (suspension comes later). */
  readonly suspended: boolean;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** A user task. Its id is the activity instance id. */
export interface UserTaskRecord {
  readonly id: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly elementId: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  /** ISO-8601 or null. */
  readonly dueDate: string | null;
  /** ISO-8601 or null. */
  readonly followUpDate: string | null;
  readonly priority: number;
  readonly formKey: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** An incident: something a person has to look at (failed expression, task out of retries …). */
export interface IncidentRecord {
  readonly id: string;
  /** `failedExternalTask`, `expressionFailed`, `noOutgoingFlow`, … (free text for the store). */
  readonly type: string;
  readonly message: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  /** The external task that ran out of retries, for `failedExternalTask` incidents. */
  readonly externalTaskId: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
  /** Epoch ms; null while open. */
  readonly resolvedTime: number | null;
  /** A note a person attached; null when none. */
  readonly annotation: string | null;
}

/** A variable's current value in one scope. */
export interface VariableRecord {
  readonly processInstanceId: string;
  /** Activity instance id of the scope (the process instance id for process variables). */
  readonly scopeId: string;
  readonly name: string;
  readonly value: JsonValue;
}

/** A job: work due at a time (timers, async continuations, retries). */
export interface JobRecord {
  readonly id: string;
  /** Null for jobs not bound to an instance (e.g. the timer of a timer start event). */
  readonly processInstanceId: string | null;
  /** The definition the job belongs to (a timer start event's, or its instance's), or null. Schema v2. */
  readonly processDefinitionId: string | null;
  /** The activity instance whose timer / continuation this is, or null. Schema v2. */
  readonly activityInstanceId: string | null;
  /** The BPMN element the job belongs to (timer event, async activity), or null. Schema v2. */
  readonly elementId: string | null;
  /** Kind of job, e.g. `timer`; free text for the store. */
  readonly type: string;
  /** Epoch ms when it becomes due. */
  readonly dueTime: number;
  readonly payload: JsonValue;
  /** Null: unlimited / not set. 0: not acquired any more. */
  readonly retries: number | null;
  readonly lockOwner: string | null;
  /** Epoch ms; null when unlocked. */
  readonly lockExpirationTime: number | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** What a subscription waits for. */
export type SubscriptionEventType = 'message' | 'signal';

/**
 * An event subscription: an activity instance waiting for a message (correlation) or a
 * signal (broadcast). Schema v2.
 */
export interface SubscriptionRecord {
  readonly id: string;
  readonly processInstanceId: string;
  /** Copied from the instance when the subscription was inserted. */
  readonly processDefinitionId: string;
  /** Copied from the instance when the subscription was inserted. */
  readonly processDefinitionKey: string;
  /** The instance's business key when the subscription was inserted (not updated later). */
  readonly businessKey: string | null;
  /** The activity instance that waits (catch event, receive task, boundary event's host …). */
  readonly activityInstanceId: string;
  /** BPMN element id of the catching event / task. */
  readonly elementId: string;
  readonly eventType: SubscriptionEventType;
  /** Message or signal name. */
  readonly name: string;
  /** The evaluated correlation key (Zeebe), or null. */
  readonly correlationKey: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** History of one process instance: written at start, completed at end. */
export interface HistoricProcessInstanceRecord {
  readonly id: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly superInstanceId: string | null;
  /** `active` until the end is recorded. */
  readonly status: InstanceStatus;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms; null while running. */
  readonly endTime: number | null;
  /** Why it ended (cancel reason), or null. */
  readonly endReason: string | null;
}

/** History of one activity instance: written at start, completed at end. */
export interface HistoricActivityInstanceRecord {
  readonly id: string;
  readonly processInstanceId: string;
  readonly elementId: string;
  /** BPMN element type, e.g. `serviceTask`, `startEvent`. */
  readonly elementType: string;
  readonly elementName: string | null;
  /** The enclosing scope's activity instance id (the process instance id at top level). */
  readonly parentActivityInstanceId: string;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms; null while running. */
  readonly endTime: number | null;
  /** True when interrupted instead of completed. */
  readonly canceled: boolean;
}

/** One variable update (append-only). */
export interface HistoricVariableUpdateRecord {
  /** Store-wide increasing number: the order updates were written in. */
  readonly sequence: number;
  readonly processInstanceId: string;
  readonly scopeId: string;
  readonly name: string;
  readonly value: JsonValue;
  /** Epoch ms. */
  readonly time: number;
}

/** History of one incident: written at creation, completed at resolution. */
export interface HistoricIncidentRecord {
  readonly id: string;
  readonly type: string;
  readonly message: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly externalTaskId: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
  /** Epoch ms; null while open. */
  readonly resolvedTime: number | null;
}
