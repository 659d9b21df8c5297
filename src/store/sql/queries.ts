/**
 * Read queries: filters → WHERE conditions, and list / count statements. Conditions are
 * constant SQL fragments with `?` placeholders; values are always bound.
 */
import type {
  DeploymentFilter,
  ExternalTaskFilter,
  HistoricActivityInstanceFilter,
  HistoricIncidentFilter,
  HistoricProcessInstanceFilter,
  HistoricVariableUpdateFilter,
  IncidentFilter,
  InstanceFilter,
  JobFilter,
  ProcessDefinitionFilter,
  SubscriptionFilter,
  UserTaskFilter,
  VariableFilter,
} from '../filters.js';
import type { Dialect } from './dialect.js';
import { placeholders, type SqlParam, type Stmt } from './program.js';
import type { CompiledPage } from './validate.js';

/** One WHERE condition. */
export interface Cond {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** `column = ?` when the value is given. */
export function eq(column: string, value: string | number | undefined): Cond | undefined {
  return value === undefined ? undefined : { sql: `${column} = ?`, params: [value] };
}

/** `column IN (?, …)` when the list is given; an empty list matches nothing. */
export function inList(column: string, values: readonly (string | number)[] | undefined): Cond | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `${column} IN (${placeholders(values.length)})`, params: values };
}

/**
 * `column` is one of `values`, with ONE statement text for any number of values (unlike
 * {@link inList}): PostgreSQL `column = ANY(CAST(? AS TEXT[]))`, SQLite
 * `column IN (SELECT value FROM json_each(?))` with the values as a JSON array. For lists
 * of ids whose length varies call by call (each distinct text would be another prepared
 * statement). The list must not be empty.
 */
export function inTextArray(d: Dialect, column: string, values: readonly string[]): Cond {
  return d.name === 'postgres' ? { sql: `${column} = ANY(CAST(? AS TEXT[]))`, params: [values] } : { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
}

/** `column IS NULL` (true) / `column IS NOT NULL` (false) when given. */
export function isNull(column: string, wanted: boolean | undefined): Cond | undefined {
  return wanted === undefined ? undefined : { sql: wanted ? `${column} IS NULL` : `${column} IS NOT NULL`, params: [] };
}

/** A constant fragment with parameters. */
export function cond(sql: string, ...params: SqlParam[]): Cond {
  return { sql, params };
}

/** ` WHERE a AND b` (or nothing) and its parameters. */
export function where(conds: readonly (Cond | undefined)[]): Cond {
  const given = conds.filter((c): c is Cond => c !== undefined);
  if (given.length === 0) return { sql: '', params: [] };
  return { sql: ' WHERE ' + given.map((c) => c.sql).join(' AND '), params: given.flatMap((c) => c.params) };
}

/** A table and how its rows are read and ordered. */
export interface TableQuery {
  readonly table: string;
  readonly columns: string;
  readonly orderBy: string;
}

/** `SELECT … WHERE … ORDER BY … LIMIT … OFFSET …` (see {@link limitClause}). */
export function listStmt(d: Dialect, q: TableQuery, conds: readonly (Cond | undefined)[], page: CompiledPage): Stmt {
  const w = where(conds);
  const l = limitClause(d, page);
  return { sql: `SELECT ${q.columns} FROM ${q.table}${w.sql} ORDER BY ${q.orderBy}${l.sql}`, params: [...w.params, ...l.params] };
}

/**
 * The LIMIT/OFFSET of a page as the dialect wants them ({@link Dialect.limits}): all bound
 * (` LIMIT ? OFFSET ?`, null = no limit), or the LIMIT as an integer literal (checked by
 * `compilePage`) and the OFFSET bound (` LIMIT n OFFSET ?`; nothing when there is neither).
 * A bound OFFSET does not make SQLite recompile, and paging then needs no new text per page.
 */
export function limitClause(d: Dialect, page: CompiledPage): Cond {
  if (d.limits === 'bound') return { sql: ' LIMIT ? OFFSET ?', params: [page.limit, page.offset] };
  const limit = page.limit === null ? d.noLimit : String(Math.trunc(page.limit));
  if (page.offset > 0) return { sql: ` LIMIT ${limit} OFFSET ?`, params: [page.offset] };
  return { sql: page.limit === null ? '' : ` LIMIT ${limit}`, params: [] };
}

/** `SELECT COUNT(*) AS n FROM … WHERE …`. */
export function countStmt(q: TableQuery, conds: readonly (Cond | undefined)[]): Stmt {
  const w = where(conds);
  return { sql: `SELECT COUNT(*) AS n FROM ${q.table}${w.sql}`, params: w.params };
}

/** `SELECT … WHERE <conds>` without paging (at most a few rows expected). */
export function selectStmt(q: TableQuery, conds: readonly (Cond | undefined)[]): Stmt {
  const w = where(conds);
  return { sql: `SELECT ${q.columns} FROM ${q.table}${w.sql} ORDER BY ${q.orderBy}`, params: w.params };
}

// ---- filters per table: each maps a filter (see filters.ts) to WHERE conditions

/** WHERE conditions of a {@link DeploymentFilter}. */
export function deploymentConds(f: DeploymentFilter): (Cond | undefined)[] {
  return [eq('name', f.name), eq('source', f.source), eq('tenant_id', f.tenantId)];
}

/** WHERE conditions of a {@link ProcessDefinitionFilter}. */
export function definitionConds(f: ProcessDefinitionFilter): (Cond | undefined)[] {
  return [
    eq('key', f.key),
    inList('key', f.keyIn),
    eq('deployment_id', f.deploymentId),
    eq('version_tag', f.versionTag),
    eq('version', f.version),
    f.latestOnly === true
      ? cond('version = (SELECT MAX(m.version) FROM process_definition m WHERE m.key = process_definition.key)')
      : undefined,
  ];
}

/** WHERE conditions of a {@link InstanceFilter}. */
export function instanceConds(f: InstanceFilter): (Cond | undefined)[] {
  return [
    inList('id', f.ids),
    eq('process_definition_key', f.processDefinitionKey),
    eq('process_definition_id', f.processDefinitionId),
    eq('business_key', f.businessKey),
    eq('status', f.status),
    inList('status', f.statusIn),
    eq('super_instance_id', f.superInstanceId),
  ];
}

/** WHERE conditions of a {@link ExternalTaskFilter}. */
export function externalTaskConds(f: ExternalTaskFilter): (Cond | undefined)[] {
  return [
    eq('process_instance_id', f.processInstanceId),
    eq('activity_instance_id', f.activityInstanceId),
    eq('element_id', f.elementId),
    eq('topic', f.topic),
    eq('worker_id', f.workerId),
    eq('process_definition_key', f.processDefinitionKey),
    eq('process_definition_id', f.processDefinitionId),
    eq('business_key', f.businessKey),
    f.withRetriesLeft === undefined ? undefined : f.withRetriesLeft ? cond('(retries IS NULL OR retries > 0)') : cond('retries = 0'),
    f.lockedAt === undefined ? undefined : cond('lock_expiration_time > ?', f.lockedAt),
    f.notLockedAt === undefined ? undefined : cond('(lock_expiration_time IS NULL OR lock_expiration_time <= ?)', f.notLockedAt),
  ];
}

/** WHERE conditions of a {@link UserTaskFilter}. */
export function userTaskConds(f: UserTaskFilter): (Cond | undefined)[] {
  return [eq('process_instance_id', f.processInstanceId), eq('element_id', f.elementId), eq('assignee', f.assignee), isNull('assignee', f.unassigned)];
}

/** WHERE conditions of a {@link IncidentFilter}. */
export function incidentConds(f: IncidentFilter): (Cond | undefined)[] {
  return [
    eq('process_instance_id', f.processInstanceId),
    eq('element_id', f.elementId),
    eq('activity_instance_id', f.activityInstanceId),
    eq('type', f.type),
    eq('external_task_id', f.externalTaskId),
    isNull('resolved_time', f.open),
  ];
}

/** WHERE conditions of a {@link VariableFilter}. */
export function variableConds(f: VariableFilter): (Cond | undefined)[] {
  return [eq('process_instance_id', f.processInstanceId), eq('scope_id', f.scopeId), eq('name', f.name)];
}

/** WHERE conditions of a {@link JobFilter}. */
export function jobConds(f: JobFilter): (Cond | undefined)[] {
  return [
    eq('process_instance_id', f.processInstanceId),
    eq('process_definition_id', f.processDefinitionId),
    eq('type', f.type),
    f.dueBefore === undefined ? undefined : cond('due_time <= ?', f.dueBefore),
  ];
}

/** WHERE conditions of a {@link SubscriptionFilter}. */
export function subscriptionConds(f: SubscriptionFilter): (Cond | undefined)[] {
  return [
    eq('event_type', f.eventType),
    eq('name', f.name),
    eq('process_instance_id', f.processInstanceId),
    eq('business_key', f.businessKey),
    eq('correlation_key', f.correlationKey),
    eq('process_definition_key', f.processDefinitionKey),
  ];
}

/** WHERE conditions of a {@link HistoricProcessInstanceFilter}. */
export function historicProcessConds(f: HistoricProcessInstanceFilter): (Cond | undefined)[] {
  return [
    eq('id', f.processInstanceId),
    eq('process_definition_key', f.processDefinitionKey),
    eq('process_definition_id', f.processDefinitionId),
    eq('business_key', f.businessKey),
    eq('status', f.status),
    isNull('end_time', f.finished === undefined ? undefined : !f.finished),
    eq('super_instance_id', f.superInstanceId),
  ];
}

/** WHERE conditions of a {@link HistoricActivityInstanceFilter}. */
export function historicActivityConds(f: HistoricActivityInstanceFilter): (Cond | undefined)[] {
  return [
    eq('process_instance_id', f.processInstanceId),
    eq('element_id', f.elementId),
    eq('element_type', f.elementType),
    isNull('end_time', f.finished === undefined ? undefined : !f.finished),
    f.canceled === undefined ? undefined : cond(f.canceled ? 'canceled = TRUE' : 'canceled = FALSE'),
  ];
}

/** WHERE conditions of a {@link HistoricVariableUpdateFilter}. */
export function historicVariableConds(f: HistoricVariableUpdateFilter): (Cond | undefined)[] {
  return [eq('process_instance_id', f.processInstanceId), eq('scope_id', f.scopeId), eq('name', f.name)];
}

/** WHERE conditions of a {@link HistoricIncidentFilter}. */
export function historicIncidentConds(f: HistoricIncidentFilter): (Cond | undefined)[] {
  return [eq('process_instance_id', f.processInstanceId), eq('element_id', f.elementId), eq('type', f.type), isNull('resolved_time', f.open)];
}
