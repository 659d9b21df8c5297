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
 * - `after`: ended, holding its token at an asyncAfter continuation until the job runs.
 * - `compensating`: a compensation throw event waiting for the handlers it started.
 */
export type ActivityInstanceStatus = 'wait' | 'scope' | 'incident' | 'after' | 'compensating';

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
  /** Subscription / job ids this activity instance owns (its own wait, its boundary events, its event subprocess starts, an event-based gateway's branches). */
  subs?: string[];
  /** Multi-instance body: n instances, c completed, a active, i next index to start, out collected outputs. */
  mi?: { n: number; c: number; a: number; i: number; out?: JsonValue[] };
  /** Inner instance of a multi-instance body: its loop counter. */
  lc?: number;
  /** Standard loop: iterations done. */
  loops?: number;
  /** Call activity: the called process instance id. */
  child?: string;
  /** Interrupting event subprocess running in this scope (no other may start). */
  intr?: true;
  /** Async continuation job this activity instance waits for, and the phase (`before`, or `after[:flows]`). */
  asyncJob?: string;
  async?: string;
  /** A compensation throw event waiting for this many handlers (waitForCompletion). */
  pend?: number;
  /** Compensation handler: the throw event activity instance waiting for it. */
  cw?: string;
  /** A completed subprocess re-created only to run its compensation event subprocess. */
  cmp?: true;
  /** Escalation/conditional bookkeeping: completed compensable activities of this scope, newest last (element id, activity instance id, local variables). */
  done?: CompensableRecord[];
}

/**
 * A completed activity instance that can still be compensated: its element, id and
 * local variables; for a completed subprocess, the compensable activities that
 * completed inside it (`nested`).
 */
export interface CompensableRecord {
  el: string;
  id: string;
  vars?: Record<string, JsonValue>;
  nested?: CompensableRecord[];
}

/** What a subscription or timer job of an instance is for. */
export interface Subscription {
  /** Activity instance that owns it (the waiting activity, the activity a boundary event is attached to, the scope of an event subprocess, the event-based gateway). */
  a: string;
  /** The element it triggers: catch event / receive task, boundary event, event subprocess start event, or the gateway's target event. */
  el: string;
  /** Role: `catch` (the waiting element itself), `boundary`, `eventSub`, `gateway`. */
  r: 'catch' | 'boundary' | 'eventSub' | 'gateway';
  /** Event type. */
  t: 'timer' | 'message' | 'signal' | 'conditional';
  /** Timer cycles: the cycle text and runs left after the current one (null = unbounded). */
  rep?: { cycle: string; remaining: number | null };
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
  /** Open subscriptions and timer jobs by id (message, signal, conditional, timer). */
  subs?: Record<string, Subscription>;
  /** Set when this instance was started by a call activity. */
  parent?: { processInstanceId: string; activityInstanceId: string };
}

/** Commands that move an instance. */
export type Command =
  | {
      readonly type: 'start';
      readonly processInstanceId?: string;
      readonly businessKey?: string | null;
      readonly variables?: Variables;
      /** Start at this (message, timer, signal) start event instead of the none start event. */
      readonly startEventId?: string;
      /** The calling call activity, for a called process instance. */
      readonly parent?: { readonly processInstanceId: string; readonly activityInstanceId: string };
    }
  /** A timer job fired, or a message / signal was delivered to a subscription. */
  | { readonly type: 'trigger'; readonly subscriptionId: string; readonly variables?: Variables }
  /** Completes a message-less receive task (Camunda `runtimeService.signal`). */
  | { readonly type: 'signalActivity'; readonly activityInstanceId: string; readonly variables?: Variables }
  /** The called instance of a call activity completed with these variables. */
  | { readonly type: 'completeCallActivity'; readonly activityInstanceId: string; readonly variables: Variables }
  /** The called instance of a call activity ended with an uncaught BPMN error or escalation. */
  | {
      readonly type: 'childThrow';
      readonly activityInstanceId: string;
      readonly kind: 'error' | 'escalation';
      readonly code: string | null;
      readonly message?: string;
      readonly variables?: Variables;
    }
  /** A script task's script ran: variables it set and its result. */
  | { readonly type: 'completeScript'; readonly activityInstanceId: string; readonly variables?: Variables; readonly result?: JsonValue }
  /** A script task's script failed (error, time or memory limit): raises an incident `scriptFailed`. */
  | { readonly type: 'failScript'; readonly activityInstanceId: string; readonly message: string }
  /** An asynchronous continuation job runs (Camunda asyncBefore/asyncAfter). */
  | { readonly type: 'continueAsync'; readonly jobId: string }
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
export type EngineIncidentType = 'expressionFailed' | 'noOutgoingFlow' | 'invalidValue' | 'scriptFailed' | 'calledProcessNotFound';

/**
 * What a command did, in order. The runtime persists each in the same transaction as
 * the new state. `time` is the injected clock, epoch ms.
 */
export type Effect =
  | { readonly type: 'processStarted'; readonly processInstanceId: string; readonly key: string; readonly businessKey: string | null; readonly time: number }
  | {
      readonly type: 'processEnded';
      readonly processInstanceId: string;
      readonly status: 'completed' | 'terminated';
      readonly reason?: string;
      /** For a called instance: its process variables at the end (for the call activity's out mappings). */
      readonly variables?: Variables;
      readonly time: number;
    }
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
      readonly type: 'subscriptionCreated';
      readonly subscriptionId: string;
      readonly eventType: 'message' | 'signal';
      readonly name: string;
      /** Zeebe correlation key, evaluated. */
      readonly correlationKey: string | null;
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly time: number;
    }
  | { readonly type: 'subscriptionRemoved'; readonly subscriptionId: string; readonly time: number }
  | {
      readonly type: 'jobCreated';
      readonly jobId: string;
      readonly jobType: 'timer' | 'async';
      readonly activityInstanceId: string;
      readonly elementId: string;
      /** Epoch ms. */
      readonly dueTime: number;
      /** Retries for async jobs (Camunda default 3, or from failedJobRetryTimeCycle). */
      readonly retries: number | null;
      readonly time: number;
    }
  | { readonly type: 'jobRemoved'; readonly jobId: string; readonly time: number }
  | {
      readonly type: 'callActivityStarted';
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly childInstanceId: string;
      readonly processKey: string;
      readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
      readonly version: number | null;
      readonly versionTag: string | null;
      readonly businessKey: string | null;
      readonly variables: Variables;
      readonly time: number;
    }
  | { readonly type: 'childCancelRequested'; readonly childInstanceId: string; readonly time: number }
  | { readonly type: 'signalThrown'; readonly name: string; readonly variables: Variables; readonly time: number }
  /** A BPMN error or escalation left this (called) instance uncaught: the runtime hands it to the calling call activity. */
  | { readonly type: 'thrownToParent'; readonly kind: 'error' | 'escalation'; readonly code: string | null; readonly message?: string; readonly variables?: Variables; readonly parent: { readonly processInstanceId: string; readonly activityInstanceId: string }; readonly time: number }
  | {
      readonly type: 'scriptRequested';
      readonly activityInstanceId: string;
      readonly elementId: string;
      readonly language: 'javascript' | 'feel';
      readonly script: string;
      /** Variables visible to the script. */
      readonly variables: Variables;
      readonly time: number;
    }
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
