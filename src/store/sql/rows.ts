/**
 * Column lists and row → record mapping, shared by both databases. Readers check the
 * type of each column (a wrong type means the database was changed outside ProcOS:
 * PROCOS_STORE_CORRUPT_ROW).
 */
import { ProcosError } from '../../common/errors.js';
import type { JsonObject, JsonValue } from '../../common/json.js';
import { StoreErrors } from '../errors.js';
import type {
  DeploymentRecord,
  ExternalTaskRecord,
  HistoricActivityInstanceRecord,
  HistoricIncidentRecord,
  HistoricProcessInstanceRecord,
  HistoricVariableUpdateRecord,
  IncidentRecord,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  JobRecord,
  ProcessDefinitionRecord,
  ResourceRecord,
  SubscriptionEventType,
  SubscriptionRecord,
  UserTaskRecord,
  VariableRecord,
} from '../records.js';
import type { Row } from './program.js';

function corrupt(column: string, value: unknown): ProcosError {
  return new ProcosError(StoreErrors.CORRUPT_ROW, `column ${column} holds an unexpected ${typeof value}`, { column });
}

function str(row: Row, col: string): string {
  const v = row[col];
  if (typeof v !== 'string') throw corrupt(col, v);
  return v;
}

function strN(row: Row, col: string): string | null {
  const v = row[col];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw corrupt(col, v);
  return v;
}

function num(row: Row, col: string): number {
  const v = row[col];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+$/.test(v))) return Number(v);
  throw corrupt(col, v);
}

function numN(row: Row, col: string): number | null {
  const v = row[col];
  return v === null || v === undefined ? null : num(row, col);
}

function bool(row: Row, col: string): boolean {
  const v = row[col];
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw corrupt(col, v);
}

function json(row: Row, col: string): JsonValue {
  const text = str(row, col);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ProcosError(StoreErrors.CORRUPT_ROW, `column ${col} holds invalid JSON`, { column: col }, { cause: e });
  }
}

function jsonObject(row: Row, col: string): JsonObject {
  const v = json(row, col);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw corrupt(col, v);
  return v;
}

function stringArray(row: Row, col: string): string[] {
  const v = json(row, col);
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw corrupt(col, v);
  return v;
}

function bytes(row: Row, col: string): Buffer {
  const v = row[col];
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw corrupt(col, v);
}

function status(row: Row, col: string): InstanceStatus {
  const v = str(row, col);
  if (v === 'active' || v === 'completed' || v === 'terminated') return v;
  throw corrupt(col, v);
}

/** Comma-separated column list, optionally qualified (`t.id, t.name`). */
export function columns(cols: readonly string[], qualifier?: string): string {
  return qualifier === undefined ? cols.join(', ') : cols.map((c) => `${qualifier}.${c}`).join(', ');
}

/** Columns read from `deployment`. */
export const DEPLOYMENT_COLS = ['id', 'name', 'source', 'tenant_id', 'deploy_time'] as const;
/** A row → {@link DeploymentRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toDeployment(r: Row): DeploymentRecord {
  return { id: str(r, 'id'), name: str(r, 'name'), source: strN(r, 'source'), tenantId: strN(r, 'tenant_id'), deployTime: num(r, 'deploy_time') };
}

/** Columns read from `deployment_resource`. */
export const RESOURCE_COLS = ['deployment_id', 'name', 'content'] as const;
/** A row → {@link ResourceRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toResource(r: Row): ResourceRecord {
  return { deploymentId: str(r, 'deployment_id'), name: str(r, 'name'), content: bytes(r, 'content') };
}

/** Columns read from `process_definition`. */
export const DEFINITION_COLS = ['id', 'key', 'version', 'version_tag', 'name', 'deployment_id', 'resource_name', 'content_hash', 'tenant_id'] as const;
/** A row → {@link ProcessDefinitionRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toDefinition(r: Row): ProcessDefinitionRecord {
  return {
    id: str(r, 'id'),
    key: str(r, 'key'),
    version: num(r, 'version'),
    versionTag: strN(r, 'version_tag'),
    name: strN(r, 'name'),
    deploymentId: str(r, 'deployment_id'),
    resourceName: str(r, 'resource_name'),
    contentHash: str(r, 'content_hash'),
    tenantId: strN(r, 'tenant_id'),
  };
}

/** Columns read from `process_instance (without state)`. */
export const INSTANCE_SUMMARY_COLS = [
  'id',
  'process_definition_id',
  'process_definition_key',
  'business_key',
  'status',
  'revision',
  'start_time',
  'end_time',
  'super_instance_id',
] as const;
/** Columns read from `process_instance`. */
export const INSTANCE_COLS = [...INSTANCE_SUMMARY_COLS, 'state'] as const;
/** A row → {@link InstanceSummary}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toInstanceSummary(r: Row): InstanceSummary {
  return {
    id: str(r, 'id'),
    processDefinitionId: str(r, 'process_definition_id'),
    processDefinitionKey: str(r, 'process_definition_key'),
    businessKey: strN(r, 'business_key'),
    status: status(r, 'status'),
    revision: num(r, 'revision'),
    startTime: num(r, 'start_time'),
    endTime: numN(r, 'end_time'),
    superInstanceId: strN(r, 'super_instance_id'),
  };
}
/** A row → {@link InstanceRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toInstance(r: Row): InstanceRecord {
  return { ...toInstanceSummary(r), state: jsonObject(r, 'state') };
}

/** Columns read from `external_task`. */
export const EXTERNAL_TASK_COLS = [
  'id',
  'process_instance_id',
  'process_definition_id',
  'process_definition_key',
  'business_key',
  'activity_instance_id',
  'element_id',
  'topic',
  'priority',
  'retries',
  'worker_id',
  'lock_expiration_time',
  'retry_after_time',
  'error_message',
  'error_details',
  'suspended',
  'created_time',
] as const;
/** A row → {@link ExternalTaskRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toExternalTask(r: Row): ExternalTaskRecord {
  return {
    id: str(r, 'id'),
    processInstanceId: str(r, 'process_instance_id'),
    processDefinitionId: str(r, 'process_definition_id'),
    processDefinitionKey: str(r, 'process_definition_key'),
    businessKey: strN(r, 'business_key'),
    activityInstanceId: str(r, 'activity_instance_id'),
    elementId: str(r, 'element_id'),
    topic: str(r, 'topic'),
    priority: num(r, 'priority'),
    retries: numN(r, 'retries'),
    workerId: strN(r, 'worker_id'),
    lockExpirationTime: numN(r, 'lock_expiration_time'),
    retryAfterTime: numN(r, 'retry_after_time'),
    errorMessage: strN(r, 'error_message'),
    errorDetails: strN(r, 'error_details'),
    suspended: bool(r, 'suspended'),
    createdTime: num(r, 'created_time'),
  };
}

/** Columns read from `user_task`. */
export const USER_TASK_COLS = [
  'id',
  'process_instance_id',
  'process_definition_id',
  'element_id',
  'name',
  'assignee',
  'candidate_groups',
  'candidate_users',
  'due_date',
  'follow_up_date',
  'priority',
  'form_key',
  'created_time',
] as const;
/** A row → {@link UserTaskRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toUserTask(r: Row): UserTaskRecord {
  return {
    id: str(r, 'id'),
    processInstanceId: str(r, 'process_instance_id'),
    processDefinitionId: str(r, 'process_definition_id'),
    elementId: str(r, 'element_id'),
    name: strN(r, 'name'),
    assignee: strN(r, 'assignee'),
    candidateGroups: stringArray(r, 'candidate_groups'),
    candidateUsers: stringArray(r, 'candidate_users'),
    dueDate: strN(r, 'due_date'),
    followUpDate: strN(r, 'follow_up_date'),
    priority: num(r, 'priority'),
    formKey: strN(r, 'form_key'),
    createdTime: num(r, 'created_time'),
  };
}

/** Columns read from `incident`. */
export const INCIDENT_COLS = [
  'id',
  'type',
  'message',
  'process_instance_id',
  'process_definition_id',
  'activity_instance_id',
  'element_id',
  'external_task_id',
  'created_time',
  'resolved_time',
  'annotation',
] as const;
/** A row → {@link IncidentRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toIncident(r: Row): IncidentRecord {
  return { ...toHistoricIncident(r), annotation: strN(r, 'annotation') };
}

/** Columns read from `variable`. */
export const VARIABLE_COLS = ['process_instance_id', 'scope_id', 'name', 'value'] as const;
/** A row → {@link VariableRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toVariable(r: Row): VariableRecord {
  return { processInstanceId: str(r, 'process_instance_id'), scopeId: str(r, 'scope_id'), name: str(r, 'name'), value: json(r, 'value') };
}

/** Columns read from `job`. */
export const JOB_COLS = [
  'id',
  'process_instance_id',
  'process_definition_id',
  'activity_instance_id',
  'element_id',
  'type',
  'due_time',
  'payload',
  'retries',
  'lock_owner',
  'lock_expiration_time',
  'created_time',
] as const;
/** A row → {@link JobRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toJob(r: Row): JobRecord {
  return {
    id: str(r, 'id'),
    processInstanceId: strN(r, 'process_instance_id'),
    processDefinitionId: strN(r, 'process_definition_id'),
    activityInstanceId: strN(r, 'activity_instance_id'),
    elementId: strN(r, 'element_id'),
    type: str(r, 'type'),
    dueTime: num(r, 'due_time'),
    payload: json(r, 'payload'),
    retries: numN(r, 'retries'),
    lockOwner: strN(r, 'lock_owner'),
    lockExpirationTime: numN(r, 'lock_expiration_time'),
    createdTime: num(r, 'created_time'),
  };
}

function eventType(row: Row, col: string): SubscriptionEventType {
  const v = str(row, col);
  if (v === 'message' || v === 'signal') return v;
  throw corrupt(col, v);
}

/** Columns read from `event_subscription`. */
export const SUBSCRIPTION_COLS = [
  'id',
  'process_instance_id',
  'process_definition_id',
  'process_definition_key',
  'business_key',
  'activity_instance_id',
  'element_id',
  'event_type',
  'name',
  'correlation_key',
  'created_time',
] as const;
/** A row → {@link SubscriptionRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type. */
export function toSubscription(r: Row): SubscriptionRecord {
  return {
    id: str(r, 'id'),
    processInstanceId: str(r, 'process_instance_id'),
    processDefinitionId: str(r, 'process_definition_id'),
    processDefinitionKey: str(r, 'process_definition_key'),
    businessKey: strN(r, 'business_key'),
    activityInstanceId: str(r, 'activity_instance_id'),
    elementId: str(r, 'element_id'),
    eventType: eventType(r, 'event_type'),
    name: str(r, 'name'),
    correlationKey: strN(r, 'correlation_key'),
    createdTime: num(r, 'created_time'),
  };
}

/** Columns read from `hist_process_instance`. */
export const HIST_PROCESS_COLS = [
  'id',
  'process_definition_id',
  'process_definition_key',
  'business_key',
  'super_instance_id',
  'status',
  'start_time',
  'end_time',
  'end_reason',
] as const;
/** A row → {@link HistoricProcessInstanceRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toHistoricProcessInstance(r: Row): HistoricProcessInstanceRecord {
  return {
    id: str(r, 'id'),
    processDefinitionId: str(r, 'process_definition_id'),
    processDefinitionKey: str(r, 'process_definition_key'),
    businessKey: strN(r, 'business_key'),
    superInstanceId: strN(r, 'super_instance_id'),
    status: status(r, 'status'),
    startTime: num(r, 'start_time'),
    endTime: numN(r, 'end_time'),
    endReason: strN(r, 'end_reason'),
  };
}

/** Columns read from `hist_activity_instance`. */
export const HIST_ACTIVITY_COLS = [
  'id',
  'process_instance_id',
  'element_id',
  'element_type',
  'element_name',
  'parent_activity_instance_id',
  'start_time',
  'end_time',
  'canceled',
] as const;
/** A row → {@link HistoricActivityInstanceRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toHistoricActivityInstance(r: Row): HistoricActivityInstanceRecord {
  return {
    id: str(r, 'id'),
    processInstanceId: str(r, 'process_instance_id'),
    elementId: str(r, 'element_id'),
    elementType: str(r, 'element_type'),
    elementName: strN(r, 'element_name'),
    parentActivityInstanceId: str(r, 'parent_activity_instance_id'),
    startTime: num(r, 'start_time'),
    endTime: numN(r, 'end_time'),
    canceled: bool(r, 'canceled'),
  };
}

/** Columns read from `hist_variable_update`. */
export const HIST_VARIABLE_COLS = ['seq', 'process_instance_id', 'scope_id', 'name', 'value', 'time'] as const;
/** A row → {@link HistoricVariableUpdateRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toHistoricVariableUpdate(r: Row): HistoricVariableUpdateRecord {
  return {
    sequence: num(r, 'seq'),
    processInstanceId: str(r, 'process_instance_id'),
    scopeId: str(r, 'scope_id'),
    name: str(r, 'name'),
    value: json(r, 'value'),
    time: num(r, 'time'),
  };
}

/** Columns read from `hist_incident`. */
export const HIST_INCIDENT_COLS = [
  'id',
  'type',
  'message',
  'process_instance_id',
  'process_definition_id',
  'activity_instance_id',
  'element_id',
  'external_task_id',
  'created_time',
  'resolved_time',
] as const;
/** A row → {@link HistoricIncidentRecord}. @throws PROCOS_STORE_CORRUPT_ROW on a wrong column type or bad JSON. */
export function toHistoricIncident(r: Row): HistoricIncidentRecord {
  return {
    id: str(r, 'id'),
    type: str(r, 'type'),
    message: str(r, 'message'),
    processInstanceId: str(r, 'process_instance_id'),
    processDefinitionId: str(r, 'process_definition_id'),
    activityInstanceId: str(r, 'activity_instance_id'),
    elementId: str(r, 'element_id'),
    externalTaskId: strN(r, 'external_task_id'),
    createdTime: num(r, 'created_time'),
    resolvedTime: numN(r, 'resolved_time'),
  };
}

/** Reads column `n` of the first row as a number (COUNT(*) results); 0 when no row. */
export function countOf(rows: readonly Row[]): number {
  const first = rows[0];
  return first === undefined ? 0 : num(first, 'n');
}
