/**
 * The engine's contract: `execute(model, state, command, context) → { state, effects }`.
 *
 * The engine is pure and deterministic: it reads no clock, random numbers, environment
 * or I/O. The caller injects the current time and an id generator through
 * {@link EngineContext}; the same inputs always give the same outputs.
 *
 * A command runs the instance to its next wait states (ARCHITECTURE.md, "Run to wait
 * state"). {@link Effect}s tell the runtime what to persist: external tasks, user tasks,
 * incidents, and the history of activity instances and variable updates.
 */
import type { JsonValue, Variables } from '../common/json.js';

/** Injected time and ids. */
export interface EngineContext {
  /** Current time, epoch milliseconds. */
  readonly now: number;
  /** Returns a new unique id for activity instances, external tasks and incidents. */
  newId(): string;
}

/** Lifecycle of a process instance. `terminated` = cancelled from outside. */
export type InstanceStatus = 'active' | 'completed' | 'terminated';

/**
 * State of one activity instance at rest.
 * - `wait`: a task waiting for completion (external task, user task).
 * - `scope`: a scope holding child activity instances (process instance, subprocess).
 * - `incident`: stopped by an engine incident (failed expression, no outgoing flow);
 *   `retryIncident` re-runs it.
 */
export type ActivityInstanceStatus = 'wait' | 'scope' | 'incident';

/**
 * A live activity instance, compact for storage.
 * Field names are short on purpose: state is stored per instance.
 */
export interface ActivityInstance {
  /** Activity instance id. The process instance's root scope has the process instance id. */
  readonly id: string;
  /** BPMN element id (process id for the root scope). */
  readonly el: string;
  /** Parent scope activity instance id; null for the root. */
  readonly parent: string | null;
  st: ActivityInstanceStatus;
  /** Local variables of this scope, when it has any. */
  vars?: Record<string, JsonValue>;
  /** External task id, while an external task waits here. */
  task?: string;
  /** Open engine incident id, while st is `incident`. */
  inc?: string;
  /** What the incident stopped: `enter` (the activity start) or `leave` (its completion). */
  incAt?: 'enter' | 'leave';
}

/** Current version of {@link InstanceState}. */
export const STATE_VERSION = 1;

/**
 * The whole state of one process instance: JSON-serializable and versioned.
 * Holds only what is live; history lives in effects/storage.
 */
export interface InstanceState {
  /** Schema version, {@link STATE_VERSION}. */
  v: number;
  /** Process instance id. */
  id: string;
  /** Process definition key (process id). */
  key: string;
  businessKey: string | null;
  status: InstanceStatus;
  /** Live activity instances by id, the root scope included. */
  acts: Record<string, ActivityInstance>;
  /**
   * Tokens waiting at parallel joins: `${scopeActivityInstanceId}/${gatewayId}` →
   * incoming flow id → number of tokens that arrived on it.
   */
  joins: Record<string, Record<string, number>>;
}

/** Commands that move an instance. */
export type Command =
  | { readonly type: 'start'; readonly processInstanceId?: string; readonly businessKey?: string | null; readonly variables?: Variables }
  | {
      readonly type: 'completeExternalTask';
      readonly activityInstanceId: string;
      readonly variables?: Variables;
      readonly localVariables?: Variables;
    }
  | {
      readonly type: 'bpmnError';
      readonly activityInstanceId: string;
      readonly errorCode: string;
      readonly errorMessage?: string;
      readonly variables?: Variables;
    }
  | { readonly type: 'completeUserTask'; readonly activityInstanceId: string; readonly variables?: Variables }
  | { readonly type: 'retryIncident'; readonly incidentId: string }
  | { readonly type: 'setVariables'; readonly variables: Variables; readonly activityInstanceId?: string }
  | { readonly type: 'cancel'; readonly reason?: string };

/** Incident types the engine raises itself. */
export type EngineIncidentType = 'expressionFailed' | 'noOutgoingFlow' | 'invalidValue';

/**
 * What a command did, in order. The runtime persists each in the same transaction as
 * the new state. `time` is the injected clock, epoch ms.
 */
export type Effect =
  | { readonly type: 'processStarted'; readonly processInstanceId: string; readonly key: string; readonly businessKey: string | null; readonly time: number }
  | { readonly type: 'processEnded'; readonly processInstanceId: string; readonly status: 'completed' | 'terminated'; readonly reason?: string; readonly time: number }
  | {
      readonly type: 'activityStarted';
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly elementType: string;
      readonly elementName?: string;
      readonly parentActivityInstanceId: string;
      readonly time: number;
    }
  | {
      readonly type: 'activityEnded';
      readonly activityInstanceId: string;
      readonly elementId: string;
      /** True when interrupted (boundary event, terminate, cancel) instead of completed. */
      readonly canceled: boolean;
      /** True when the activity instance held local variables (now gone with it). */
      readonly hadLocalVariables?: true;
      readonly time: number;
    }
  | {
      readonly type: 'externalTaskCreated';
      readonly externalTaskId: string;
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly topic: string;
      readonly priority: number;
      /** Null: not set (Camunda 7's default until the first failure). */
      readonly retries: number | null;
      readonly time: number;
    }
  | { readonly type: 'externalTaskRemoved'; readonly externalTaskId: string; readonly activityInstanceId: string; readonly time: number }
  | {
      readonly type: 'userTaskCreated';
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly name: string | null;
      readonly assignee: string | null;
      readonly candidateGroups: string[];
      readonly candidateUsers: string[];
      /** ISO-8601 or null. */
      readonly dueDate: string | null;
      readonly followUpDate: string | null;
      readonly priority: number;
      readonly formKey: string | null;
      readonly time: number;
    }
  | { readonly type: 'userTaskRemoved'; readonly activityInstanceId: string; readonly time: number }
  | {
      readonly type: 'incidentCreated';
      readonly incidentId: string;
      readonly incidentType: EngineIncidentType;
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly message: string;
      readonly time: number;
    }
  | { readonly type: 'incidentResolved'; readonly incidentId: string; readonly time: number }
  | {
      readonly type: 'variableSet';
      /** Activity instance id of the scope that holds the variable (process instance id for process variables). */
      readonly scopeId: string;
      readonly name: string;
      readonly value: JsonValue;
      readonly time: number;
    };

/** The result of one command. */
export interface ExecuteResult {
  readonly state: InstanceState;
  readonly effects: Effect[];
}
