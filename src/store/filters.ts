/**
 * Query filters and paging. Every filter field is optional; given fields are ANDed.
 * A field set to `undefined` is the same as absent. An `…In` list that is empty matches
 * nothing.
 */
import type { InstanceStatus, SubscriptionEventType } from './records.js';

/**
 * Paging, Camunda style.
 * @throws PROCOS_STORE_BAD_ARGUMENT when a value is not a non-negative integer.
 */
export interface Page {
  /** Rows to skip. @default 0 */
  readonly firstResult?: number;
  /** Rows to return at most. @default unlimited */
  readonly maxResults?: number;
}

/** Deployments, ordered by deploy time then id. */
export interface DeploymentFilter {
  readonly name?: string;
  readonly source?: string;
  readonly tenantId?: string;
}

/** Process definitions, ordered by key then version. */
export interface ProcessDefinitionFilter {
  readonly key?: string;
  readonly keyIn?: readonly string[];
  readonly deploymentId?: string;
  readonly versionTag?: string;
  readonly version?: number;
  /** Only the highest version of each key. */
  readonly latestOnly?: boolean;
}

/** Process instances, ordered by start time then id. */
export interface InstanceFilter {
  readonly ids?: readonly string[];
  readonly processDefinitionKey?: string;
  readonly processDefinitionId?: string;
  readonly businessKey?: string;
  readonly status?: InstanceStatus;
  readonly statusIn?: readonly InstanceStatus[];
  readonly superInstanceId?: string;
}

/** External tasks, ordered by created time then id. */
export interface ExternalTaskFilter {
  readonly processInstanceId?: string;
  readonly activityInstanceId?: string;
  readonly elementId?: string;
  readonly topic?: string;
  readonly workerId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionId?: string;
  readonly businessKey?: string;
  /** True: retries null or > 0; false: retries = 0. */
  readonly withRetriesLeft?: boolean;
  /** Only tasks whose lock is active at this time (epoch ms). */
  readonly lockedAt?: number;
  /** Only tasks whose lock is absent or expired at this time (epoch ms). */
  readonly notLockedAt?: number;
}

/** User tasks, ordered by created time then id. */
export interface UserTaskFilter {
  readonly processInstanceId?: string;
  readonly elementId?: string;
  readonly assignee?: string;
  /** True: only tasks without assignee. */
  readonly unassigned?: boolean;
}

/** Incidents, ordered by created time then id. */
export interface IncidentFilter {
  readonly processInstanceId?: string;
  readonly elementId?: string;
  readonly activityInstanceId?: string;
  readonly type?: string;
  readonly externalTaskId?: string;
  /** True: unresolved only; false: resolved only. */
  readonly open?: boolean;
}

/** Variables, ordered by scope id then name. */
export interface VariableFilter {
  readonly processInstanceId?: string;
  readonly scopeId?: string;
  readonly name?: string;
}

/** Jobs, ordered by due time then id. */
export interface JobFilter {
  readonly processInstanceId?: string;
  /** Jobs of this definition (timer start events, and instance jobs that carry it). */
  readonly processDefinitionId?: string;
  readonly type?: string;
  /** Only jobs with `dueTime <= dueBefore` (epoch ms). */
  readonly dueBefore?: number;
}

/** Event subscriptions, ordered by created time then id. */
export interface SubscriptionFilter {
  readonly eventType?: SubscriptionEventType;
  /** Message or signal name. */
  readonly name?: string;
  readonly processInstanceId?: string;
  readonly businessKey?: string;
  /** Subscriptions with exactly this correlation key. */
  readonly correlationKey?: string;
  readonly processDefinitionKey?: string;
}

/** Historic process instances, ordered by start time then id. */
export interface HistoricProcessInstanceFilter {
  readonly processInstanceId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionId?: string;
  readonly businessKey?: string;
  readonly status?: InstanceStatus;
  /** True: ended only; false: running only. */
  readonly finished?: boolean;
  readonly superInstanceId?: string;
}

/** Historic activity instances, ordered by start time then id. */
export interface HistoricActivityInstanceFilter {
  readonly processInstanceId?: string;
  readonly elementId?: string;
  readonly elementType?: string;
  /** True: ended only; false: running only. */
  readonly finished?: boolean;
  readonly canceled?: boolean;
}

/** Historic variable updates, ordered by sequence. */
export interface HistoricVariableUpdateFilter {
  readonly processInstanceId?: string;
  readonly scopeId?: string;
  readonly name?: string;
}

/** Historic incidents, ordered by created time then id. */
export interface HistoricIncidentFilter {
  readonly processInstanceId?: string;
  readonly elementId?: string;
  readonly type?: string;
  /** True: unresolved only; false: resolved only. */
  readonly open?: boolean;
}
