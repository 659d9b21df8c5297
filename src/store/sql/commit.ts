/**
 * The commit program: applies one {@link WriteBatch} inside one transaction.
 *
 * Rows of one kind are written table by table with batched statements (batch.ts): on
 * PostgreSQL one statement — one round trip — per table, on SQLite one prepared
 * single-row statement per row. On PostgreSQL, moreover, the writes whose results are
 * not read and that no other write of the batch depends on (history, variable upserts,
 * inserts into tables the batch does not also update or delete, unchecked deletes) are
 * sent last as ONE statement of data-modifying `WITH` queries, each table at most once
 * (a start command: BEGIN, instance insert, that statement, COMMIT).
 *
 * The result is the same as writing the rows one by one in array order (only when a
 * batch holds several faulty writes, which error is reported may differ; the batch
 * fails either way):
 * - instance writes are applied in runs of consecutive inserts / updates, in order;
 * - guarded writes (instance revision, external task worker, job lock owner) report what
 *   they changed (row count, or `RETURNING id` for a set); the first row (in array
 *   order) that changed nothing is probed in the same transaction to pick the error
 *   (not found vs. conflict), which rolls everything back. A guarded batch naming one id
 *   twice is written row by row. Every guard is checked before the combined last
 *   statement (below) is sent;
 * - history ends of rows started in the same batch are folded into the inserts (same
 *   final rows, fewer statements); of several ends of one row the first wins, as with
 *   `… WHERE end_time IS NULL` row by row;
 * - variable upserts of one (scope, name) collapse to the last value.
 */
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type {
  ExternalTaskDelete,
  ExternalTaskUpdate,
  HistoricActivityEnd,
  HistoricActivityStart,
  HistoricProcessEnd,
  HistoricProcessStart,
  IncidentResolve,
  InstanceInsert,
  InstanceUpdate,
  InstanceWrite,
  JobDelete,
  JobUpdate,
  NewExternalTask,
  NewIncident,
  NewJob,
  NewSubscription,
  NewUserTask,
  VariableDelete,
  VariableWrite,
  WriteBatch,
} from '../types.js';
import { batchOp, batchStmts, deleteOp, insertOp, rowStmt, updateOp, type BatchOp, type RowValues } from './batch.js';
import type { Dialect } from './dialect.js';
import { stmt, type Row, type Stmt, type TxProgram } from './program.js';
import { badArgument, int, nonEmpty, positiveInt, retriesValue } from './validate.js';

// ---------------------------------------------------------------------------------------
// Statements. `{k}` = the k-th value of a row (batch.ts). Flags are integers 0/1
// (`CASE WHEN {k} = 1`), never booleans, so the row form also types on PostgreSQL.

const RETURNING_ID = ' RETURNING id';

const INSERT_INSTANCE = insertOp(
  'process_instance',
  ['id', 'process_definition_id', 'process_definition_key', 'business_key', 'status', 'state', 'revision', 'start_time', 'end_time', 'super_instance_id'],
  '{1}, {2}, {3}, {4}, {5}, {6}, 1, {7}, {8}, {9}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'text'],
);
const UPDATE_INSTANCE = updateOp(
  'process_instance',
  'status = {2}, state = {3}, revision = revision + 1, end_time = COALESCE({4}, end_time), business_key = CASE WHEN {5} = 1 THEN {6} ELSE business_key END',
  'id = {1} AND revision = {7}',
  ['text', 'text', 'text', 'bigint', 'int', 'text', 'bigint'],
  RETURNING_ID,
);

const INSERT_EXTERNAL_TASK = insertOp(
  'external_task',
  ['id', 'process_instance_id', 'process_definition_id', 'process_definition_key', 'business_key', 'activity_instance_id', 'element_id', 'topic', 'priority', 'retries', 'created_time'],
  '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'int', 'bigint'],
);
const DELETE_EXTERNAL_TASK = deleteOp('external_task', 'id = {1} AND ({2} = 0 OR worker_id = {3})', ['text', 'int', 'text'], RETURNING_ID);

const INSERT_USER_TASK = insertOp(
  'user_task',
  ['id', 'process_instance_id', 'process_definition_id', 'element_id', 'name', 'assignee', 'candidate_groups', 'candidate_users', 'due_date', 'follow_up_date', 'priority', 'form_key', 'created_time'],
  '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'bigint'],
);
const DELETE_USER_TASK = deleteOp('user_task', 'id = {1}', ['text']);

const INCIDENT_COLUMNS = ['id', 'type', 'message', 'process_instance_id', 'process_definition_id', 'activity_instance_id', 'element_id', 'external_task_id', 'created_time'];
const INCIDENT_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint'] as const;
const INSERT_INCIDENT = insertOp('incident', INCIDENT_COLUMNS, '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}', INCIDENT_TYPES);

const INSERT_JOB = insertOp(
  'job',
  ['id', 'process_instance_id', 'process_definition_id', 'activity_instance_id', 'element_id', 'type', 'due_time', 'payload', 'retries', 'created_time'],
  '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'int', 'bigint'],
);
const DELETE_JOB = deleteOp('job', 'id = {1} AND ({2} = 0 OR lock_owner = {3})', ['text', 'int', 'text'], RETURNING_ID);

/** Copies definition id, definition key and business key from the instance; a missing instance inserts nothing. */
const SUBSCRIPTION_INTO =
  'INSERT INTO event_subscription (id, process_instance_id, process_definition_id, process_definition_key, business_key, ' +
  'activity_instance_id, element_id, event_type, name, correlation_key, created_time) ';
const INSERT_SUBSCRIPTION = batchOp(
  'insert',
  ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint'],
  SUBSCRIPTION_INTO +
    'SELECT CAST({1} AS TEXT), p.id, p.process_definition_id, p.process_definition_key, p.business_key, CAST({3} AS TEXT), CAST({4} AS TEXT), ' +
    'CAST({5} AS TEXT), CAST({6} AS TEXT), CAST({7} AS TEXT), CAST({8} AS BIGINT) FROM process_instance p WHERE p.id = {2}',
  SUBSCRIPTION_INTO +
    'SELECT {1}, p.id, p.process_definition_id, p.process_definition_key, p.business_key, {3}, {4}, {5}, {6}, {7}, {8} ' +
    'FROM {rows} JOIN process_instance p ON p.id = {2}' +
    RETURNING_ID,
);
const DELETE_SUBSCRIPTION = deleteOp('event_subscription', 'id = {1}', ['text']);

const UPSERT_VARIABLE = insertOp(
  'variable',
  ['process_instance_id', 'scope_id', 'name', 'value'],
  '{1}, {2}, {3}, {4}',
  ['text', 'text', 'text', 'text'],
  ' ON CONFLICT (scope_id, name) DO UPDATE SET value = excluded.value',
);
const DELETE_VARIABLE = deleteOp('variable', 'scope_id = {1} AND ({2} = 0 OR name = {3})', ['text', 'int', 'text']);

const HIST_PROCESS_START = insertOp(
  'hist_process_instance',
  ['id', 'process_definition_id', 'process_definition_key', 'business_key', 'super_instance_id', 'status', 'start_time', 'end_time', 'end_reason'],
  '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'text'],
);
const HIST_PROCESS_END = updateOp('hist_process_instance', 'status = {2}, end_time = {3}, end_reason = {4}', 'id = {1} AND end_time IS NULL', [
  'text',
  'text',
  'bigint',
  'text',
]);
const HIST_ACTIVITY_START = insertOp(
  'hist_activity_instance',
  ['id', 'process_instance_id', 'element_id', 'element_type', 'element_name', 'parent_activity_instance_id', 'start_time', 'end_time', 'canceled'],
  '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}',
  ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'bool'],
);
const HIST_ACTIVITY_END = updateOp('hist_activity_instance', 'end_time = {2}, canceled = {3}', 'id = {1} AND end_time IS NULL', ['text', 'bigint', 'bool']);
const HIST_VARIABLE_UPDATE = insertOp('hist_variable_update', ['process_instance_id', 'scope_id', 'name', 'value', 'time'], '{1}, {2}, {3}, {4}, {5}', [
  'text',
  'text',
  'text',
  'text',
  'bigint',
]);
const HIST_INCIDENT_CREATE = insertOp('hist_incident', [...INCIDENT_COLUMNS, 'resolved_time'], '{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}', [
  ...INCIDENT_TYPES,
  'bigint',
]);
const HIST_INCIDENT_RESOLVE = updateOp('hist_incident', 'resolved_time = {2}', 'id = {1} AND resolved_time IS NULL', ['text', 'bigint']);

/** Single-row statements: writes that are rare (failure handling) or need their own probe. */
const SQL = {
  instanceRevision: 'SELECT revision FROM process_instance WHERE id = ?',
  updateExternalTask:
    'UPDATE external_task SET retries = CASE WHEN ? = 1 THEN ? ELSE retries END, ' +
    'error_message = CASE WHEN ? = 1 THEN ? ELSE error_message END, ' +
    'error_details = CASE WHEN ? = 1 THEN ? ELSE error_details END, ' +
    'retry_after_time = CASE WHEN ? = 1 THEN ? ELSE retry_after_time END, ' +
    'worker_id = CASE WHEN ? = 1 THEN NULL ELSE worker_id END, ' +
    'lock_expiration_time = CASE WHEN ? = 1 THEN NULL ELSE lock_expiration_time END ' +
    'WHERE id = ? AND (? = 0 OR worker_id = ?)',
  externalTaskWorker: 'SELECT worker_id FROM external_task WHERE id = ?',
  resolveIncident: 'UPDATE incident SET resolved_time = ? WHERE id = ? AND resolved_time IS NULL',
  incidentResolvedTime: 'SELECT resolved_time FROM incident WHERE id = ?',
  updateJob:
    'UPDATE job SET retries = CASE WHEN ? = 1 THEN ? ELSE retries END, ' +
    'due_time = CASE WHEN ? = 1 THEN ? ELSE due_time END, ' +
    'lock_owner = CASE WHEN ? = 1 THEN NULL ELSE lock_owner END, ' +
    'lock_expiration_time = CASE WHEN ? = 1 THEN NULL ELSE lock_expiration_time END ' +
    'WHERE id = ? AND (? = 0 OR lock_owner = ?)',
  jobOwner: 'SELECT lock_owner FROM job WHERE id = ?',
} as const;

// ---------------------------------------------------------------------------------------
// Helpers

/** 1 when the optional field is present, else 0 (the `CASE WHEN ? = 1` flags). */
function has(value: unknown): number {
  return value === undefined ? 0 : 1;
}

function firstValue(rows: readonly Row[], column: string): unknown {
  const row = rows[0];
  return row === undefined ? undefined : row[column];
}

/** JSON text of a state object or variable value. */
function toJson(field: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new ProcosError(StoreErrors.BAD_ARGUMENT, `${field} is not JSON-serializable`, { field });
  return text;
}

/** The statements of rows whose writes need no check (inserts fail by themselves; missing rows are ignored). */
function stmtsOf(d: Dialect, op: BatchOp, rows: readonly RowValues[]): Stmt[] {
  return batchStmts(d, op, rows).map((b) => b.stmt);
}

/**
 * Runs statements whose results are not read. Where the dialect combines writes, as one
 * statement: `WITH w1 AS (s1), … s_n`. The caller guarantees that they are independent:
 * no two write the same row, none reads what another writes (all sub-statements of a
 * `WITH` see the same snapshot).
 */
function* writeTogether(d: Dialect, stmts: readonly Stmt[]): TxProgram<void> {
  const last = stmts[stmts.length - 1];
  if (!d.combineWrites || last === undefined || stmts.length === 1) {
    for (const s of stmts) yield s;
    return;
  }
  const ctes = stmts.slice(0, -1).map((s, i) => `w${i + 1} AS (${s.sql})`);
  yield { sql: `WITH ${ctes.join(', ')} ${last.sql}`, params: stmts.flatMap((s) => s.params) };
}

function none(list: readonly unknown[] | undefined): boolean {
  return list === undefined || list.length === 0;
}

/**
 * Writes rows and calls `onUnchanged` for each row that changed nothing, in array order.
 *
 * Row by row (SQLite; one row; an id named twice, which a set statement would change
 * once): each statement's changed-row count is checked right after it. As set
 * statements: the rows go in id order (concurrent batches then lock common rows in one
 * order, which avoids deadlocks), each statement returns the ids it changed
 * (`RETURNING id`), and the rows are checked in array order after the last statement.
 */
function* writeChecked<T>(
  d: Dialect,
  op: BatchOp,
  items: readonly T[],
  toRow: (item: T) => RowValues,
  idOf: (item: T) => string,
  onUnchanged: (item: T) => TxProgram<void>,
): TxProgram<void> {
  if (items.length === 0) return;
  const ids = items.map(idOf);
  const rows = items.map(toRow);
  if (d.batchRows[op.kind] === 1 || items.length === 1 || new Set(ids).size !== ids.length) {
    for (let i = 0; i < items.length; i++) {
      const r = yield rowStmt(op, rows[i] as RowValues);
      if (r.changes === 0) yield* onUnchanged(items[i] as T);
    }
    return;
  }
  const order = ids.map((_, i) => i).sort((a, b) => compareIds(ids[a] as string, ids[b] as string));
  const sorted = order.map((i) => rows[i] as RowValues);
  const changed = new Set<unknown>();
  for (const b of batchStmts(d, op, sorted)) {
    const r = yield b.stmt;
    if (b.count === 1) {
      if (r.changes > 0) changed.add(ids[order[b.from] as number]);
    } else {
      for (const row of r.rows) changed.add(row['id']);
    }
  }
  for (let i = 0; i < items.length; i++) {
    if (!changed.has(ids[i])) yield* onUnchanged(items[i] as T);
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits instance writes into runs of consecutive inserts / updates (applied run by run, in order). */
function runs(writes: readonly InstanceWrite[]): (InstanceInsert[] | InstanceUpdate[])[] {
  const out: (InstanceInsert[] | InstanceUpdate[])[] = [];
  let inserts: InstanceInsert[] | undefined;
  let updates: InstanceUpdate[] | undefined;
  for (const w of writes) {
    if (w.kind === 'insert') {
      updates = undefined;
      if (inserts === undefined) out.push((inserts = []));
      inserts.push(w);
    } else {
      inserts = undefined;
      if (updates === undefined) out.push((updates = []));
      updates.push(w);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Instances

function instanceInsertRow(w: InstanceInsert): RowValues {
  return [
    nonEmpty('instances[].id', w.id),
    w.processDefinitionId,
    w.processDefinitionKey,
    w.businessKey,
    w.status,
    toJson('instances[].state', w.state),
    int('startTime', w.startTime),
    w.endTime ?? null,
    w.superInstanceId ?? null,
  ];
}

function instanceUpdateRow(w: InstanceUpdate): RowValues {
  nonEmpty('instances[].id', w.id);
  positiveInt('expectedRevision', w.expectedRevision);
  return [w.id, w.status, toJson('instances[].state', w.state), w.endTime ?? null, has(w.businessKey), w.businessKey ?? null, w.expectedRevision];
}

function* instanceGuardFailed(w: InstanceUpdate): TxProgram<never> {
  const probe = yield stmt(SQL.instanceRevision, w.id);
  const actual = firstValue(probe.rows, 'revision');
  if (actual === undefined) {
    throw new ProcosError(StoreErrors.INSTANCE_NOT_FOUND, `process instance ${w.id} does not exist`, { processInstanceId: w.id });
  }
  throw new ProcosError(
    StoreErrors.REVISION_CONFLICT,
    `process instance ${w.id} was changed concurrently: expected revision ${w.expectedRevision}, found ${String(actual)}`,
    { processInstanceId: w.id, expectedRevision: w.expectedRevision, actualRevision: Number(actual) },
  );
}

function* writeInstances(d: Dialect, writes: readonly InstanceWrite[]): TxProgram<void> {
  for (const run of runs(writes)) {
    if (run[0]?.kind === 'insert') {
      for (const s of stmtsOf(d, INSERT_INSTANCE, (run as InstanceInsert[]).map(instanceInsertRow))) yield s;
    } else yield* writeChecked(d, UPDATE_INSTANCE, run as InstanceUpdate[], instanceUpdateRow, (w) => w.id, instanceGuardFailed);
  }
}

// ---------------------------------------------------------------------------------------
// External tasks, user tasks, incidents, jobs, subscriptions

function externalTaskRow(t: NewExternalTask): RowValues {
  return [
    nonEmpty('externalTaskInserts[].id', t.id),
    t.processInstanceId,
    t.processDefinitionId,
    t.processDefinitionKey,
    t.businessKey,
    t.activityInstanceId,
    t.elementId,
    nonEmpty('externalTaskInserts[].topic', t.topic),
    int('externalTaskInserts[].priority', t.priority),
    retriesValue('externalTaskInserts[].retries', t.retries),
    int('externalTaskInserts[].createdTime', t.createdTime),
  ];
}

function* externalTaskGuardFailed(id: string, workerId: string): TxProgram<never> {
  const probe = yield stmt(SQL.externalTaskWorker, id);
  if (probe.rows.length === 0) {
    throw new ProcosError(StoreErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${id} does not exist`, { externalTaskId: id });
  }
  const lockedBy = firstValue(probe.rows, 'worker_id') ?? null;
  throw new ProcosError(
    StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT,
    `external task ${id} is not locked by worker ${workerId}` + (lockedBy === null ? ' (it is not locked)' : ` (it is locked by ${String(lockedBy)})`),
    { externalTaskId: id, workerId, lockedBy },
  );
}

function* updateExternalTask(u: ExternalTaskUpdate): TxProgram<void> {
  const retries = u.retries === undefined ? null : retriesValue('externalTaskUpdates[].retries', u.retries);
  const release = u.releaseLock === true ? 1 : 0;
  const r = yield stmt(
    SQL.updateExternalTask,
    has(u.retries),
    retries,
    has(u.errorMessage),
    u.errorMessage ?? null,
    has(u.errorDetails),
    u.errorDetails ?? null,
    has(u.retryAfterTime),
    u.retryAfterTime ?? null,
    release,
    release,
    u.id,
    has(u.expectedWorkerId),
    u.expectedWorkerId ?? null,
  );
  if (r.changes === 1) return;
  if (u.expectedWorkerId !== undefined) yield* externalTaskGuardFailed(u.id, u.expectedWorkerId);
  throw new ProcosError(StoreErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${u.id} does not exist`, { externalTaskId: u.id });
}

function* externalTaskDeleteFailed(d: ExternalTaskDelete): TxProgram<void> {
  if (d.expectedWorkerId !== undefined) yield* externalTaskGuardFailed(d.id, d.expectedWorkerId);
}

function userTaskRow(t: NewUserTask): RowValues {
  return [
    nonEmpty('userTaskInserts[].id', t.id),
    t.processInstanceId,
    t.processDefinitionId,
    t.elementId,
    t.name,
    t.assignee,
    JSON.stringify(t.candidateGroups),
    JSON.stringify(t.candidateUsers),
    t.dueDate,
    t.followUpDate,
    int('userTaskInserts[].priority', t.priority),
    t.formKey,
    int('userTaskInserts[].createdTime', t.createdTime),
  ];
}

function incidentRow(i: NewIncident): RowValues {
  return [
    nonEmpty('incident.id', i.id),
    i.type,
    i.message,
    i.processInstanceId,
    i.processDefinitionId,
    i.activityInstanceId,
    i.elementId,
    i.externalTaskId ?? null,
    int('incident.createdTime', i.createdTime),
  ];
}

function* resolveIncident(res: IncidentResolve): TxProgram<void> {
  const r = yield stmt(SQL.resolveIncident, int('incidentResolves[].time', res.time), res.id);
  if (r.changes === 1) return;
  const probe = yield stmt(SQL.incidentResolvedTime, res.id);
  if (probe.rows.length === 0) {
    throw new ProcosError(StoreErrors.INCIDENT_NOT_FOUND, `incident ${res.id} does not exist`, { incidentId: res.id });
  }
  const resolvedTime = Number(firstValue(probe.rows, 'resolved_time'));
  throw new ProcosError(StoreErrors.INCIDENT_ALREADY_RESOLVED, `incident ${res.id} is already resolved`, { incidentId: res.id, resolvedTime });
}

function jobRow(j: NewJob): RowValues {
  return [
    nonEmpty('jobInserts[].id', j.id),
    j.processInstanceId,
    j.processDefinitionId ?? null,
    j.activityInstanceId ?? null,
    j.elementId ?? null,
    nonEmpty('jobInserts[].type', j.type),
    int('jobInserts[].dueTime', j.dueTime),
    toJson('jobInserts[].payload', j.payload ?? null),
    retriesValue('jobInserts[].retries', j.retries ?? null),
    int('jobInserts[].createdTime', j.createdTime),
  ];
}

function* jobGuardFailed(id: string, owner: string): TxProgram<never> {
  const probe = yield stmt(SQL.jobOwner, id);
  if (probe.rows.length === 0) throw new ProcosError(StoreErrors.JOB_NOT_FOUND, `job ${id} does not exist`, { jobId: id });
  const lockedBy = firstValue(probe.rows, 'lock_owner') ?? null;
  throw new ProcosError(StoreErrors.JOB_LOCK_CONFLICT, `job ${id} is not locked by ${owner}`, { jobId: id, lockOwner: owner, lockedBy });
}

function* updateJob(u: JobUpdate): TxProgram<void> {
  const retries = u.retries === undefined ? null : retriesValue('jobUpdates[].retries', u.retries);
  const release = u.releaseLock === true ? 1 : 0;
  const dueTime = u.dueTime === undefined ? null : int('jobUpdates[].dueTime', u.dueTime);
  const r = yield stmt(SQL.updateJob, has(u.retries), retries, has(u.dueTime), dueTime, release, release, u.id, has(u.expectedLockOwner), u.expectedLockOwner ?? null);
  if (r.changes === 1) return;
  if (u.expectedLockOwner !== undefined) yield* jobGuardFailed(u.id, u.expectedLockOwner);
  throw new ProcosError(StoreErrors.JOB_NOT_FOUND, `job ${u.id} does not exist`, { jobId: u.id });
}

function* jobDeleteFailed(d: JobDelete): TxProgram<void> {
  if (d.expectedLockOwner !== undefined) yield* jobGuardFailed(d.id, d.expectedLockOwner);
}

function subscriptionRow(s: NewSubscription): RowValues {
  if (s.eventType !== 'message' && s.eventType !== 'signal') throw badArgument('subscriptionInserts[].eventType', s.eventType, "'message' or 'signal'");
  return [
    nonEmpty('subscriptionInserts[].id', s.id),
    nonEmpty('subscriptionInserts[].processInstanceId', s.processInstanceId),
    s.activityInstanceId,
    s.elementId,
    s.eventType,
    nonEmpty('subscriptionInserts[].name', s.name),
    s.correlationKey ?? null,
    int('subscriptionInserts[].createdTime', s.createdTime),
  ];
}

function subscriptionInstanceMissing(s: NewSubscription): never {
  throw new ProcosError(
    StoreErrors.REFERENCE_MISSING,
    `subscription ${s.id} names process instance ${s.processInstanceId}, which does not exist`,
    { constraint: 'event_subscription_process_instance_id_fkey', processInstanceId: s.processInstanceId },
  );
}

// ---------------------------------------------------------------------------------------
// Variables

/** Upserts of one (scope, name) collapse into one row: the first instance id, the last value (as applied one by one). */
function variableRows(writes: readonly VariableWrite[]): RowValues[] {
  const byKey = new Map<string, [string, string, string, string]>();
  for (const v of writes) {
    const scopeId = nonEmpty('variableUpserts[].scopeId', v.scopeId);
    const value = toJson('variableUpserts[].value', v.value);
    const key = JSON.stringify([scopeId, v.name]);
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, [v.processInstanceId, scopeId, v.name, value]);
    else seen[3] = value;
  }
  return [...byKey.values()];
}

function variableDeleteRow(v: VariableDelete): RowValues {
  return [v.scopeId, has(v.name), v.name ?? null];
}

// ---------------------------------------------------------------------------------------
// History

/** Ends keyed by row id, the first of each id (later ones find the end already set). */
function firstById<T>(ends: readonly T[], idOf: (e: T) => string): Map<string, T> {
  const first = new Map<string, T>();
  for (const e of ends) if (!first.has(idOf(e))) first.set(idOf(e), e);
  return first;
}

/** Splits ends into those of rows started in this batch (folded into the insert) and the rest (updates). */
function foldEnds<S, E>(starts: readonly S[], ends: readonly E[], startId: (s: S) => string, endId: (e: E) => string): { folded: Map<string, E>; updates: E[] } {
  const first = firstById(ends, endId);
  const started = new Set(starts.map(startId));
  const folded = new Map<string, E>();
  const updates: E[] = [];
  for (const [id, e] of first) {
    if (started.has(id)) folded.set(id, e);
    else updates.push(e);
  }
  return { folded, updates };
}

function processStartRow(p: HistoricProcessStart, end: HistoricProcessEnd | undefined): RowValues {
  return [
    p.processInstanceId,
    p.processDefinitionId,
    p.processDefinitionKey,
    p.businessKey,
    p.superInstanceId ?? null,
    end?.status ?? 'active',
    int('processStarts[].startTime', p.startTime),
    end === undefined ? null : int('processEnds[].endTime', end.endTime),
    end?.reason ?? null,
  ];
}

function processEndRow(p: HistoricProcessEnd): RowValues {
  return [p.processInstanceId, p.status, int('processEnds[].endTime', p.endTime), p.reason ?? null];
}

function activityStartRow(a: HistoricActivityStart, end: HistoricActivityEnd | undefined): RowValues {
  return [
    a.activityInstanceId,
    a.processInstanceId,
    a.elementId,
    a.elementType,
    a.elementName ?? null,
    a.parentActivityInstanceId,
    int('activityStarts[].startTime', a.startTime),
    end === undefined ? null : int('activityEnds[].endTime', end.endTime),
    end?.canceled ?? false,
  ];
}

function activityEndRow(a: HistoricActivityEnd): RowValues {
  return [a.activityInstanceId, int('activityEnds[].endTime', a.endTime), a.canceled];
}

/**
 * The history statements, in the documented order. Independent of each other: after
 * folding, the ends update only rows started in earlier batches.
 */
function historyStmts(d: Dialect, b: WriteBatch): Stmt[] {
  const h = b.history;
  if (h === undefined) return [];
  const processStarts = h.processStarts ?? [];
  const activityStarts = h.activityStarts ?? [];
  const incidentsCreated = h.incidentsCreated ?? [];
  const processEnds = foldEnds(processStarts, h.processEnds ?? [], (p) => p.processInstanceId, (p) => p.processInstanceId);
  const activityEnds = foldEnds(activityStarts, h.activityEnds ?? [], (a) => a.activityInstanceId, (a) => a.activityInstanceId);
  const resolves = foldEnds(incidentsCreated, h.incidentsResolved ?? [], (i) => i.id, (i) => i.id);

  return [
    ...stmtsOf(d, HIST_PROCESS_START, processStarts.map((p) => processStartRow(p, processEnds.folded.get(p.processInstanceId)))),
    ...stmtsOf(d, HIST_ACTIVITY_START, activityStarts.map((a) => activityStartRow(a, activityEnds.folded.get(a.activityInstanceId)))),
    ...stmtsOf(
      d,
      HIST_INCIDENT_CREATE,
      incidentsCreated.map((i) => {
        const resolved = resolves.folded.get(i.id);
        return [...incidentRow(i), resolved === undefined ? null : int('incidentsResolved[].time', resolved.time)];
      }),
    ),
    ...stmtsOf(d, HIST_ACTIVITY_END, activityEnds.updates.map(activityEndRow)),
    ...stmtsOf(
      d,
      HIST_VARIABLE_UPDATE,
      (h.variableUpdates ?? []).map((v) => [v.processInstanceId, v.scopeId, v.name, toJson('variableUpdates[].value', v.value), int('variableUpdates[].time', v.time)]),
    ),
    ...stmtsOf(d, HIST_INCIDENT_RESOLVE, resolves.updates.map((i) => [i.id, int('incidentsResolved[].time', i.time)])),
    ...stmtsOf(d, HIST_PROCESS_END, processEnds.updates.map(processEndRow)),
  ];
}

// ---------------------------------------------------------------------------------------

/**
 * Applies a batch in the order documented on {@link WriteBatch}.
 *
 * Where the dialect combines writes, the unchecked writes that nothing later in the batch
 * reads or touches are collected (`last`) and run at the end in one statement: inserts
 * into a table the batch neither updates nor deletes from, variable upserts when no
 * variable is deleted, the unchecked deletes (user tasks, subscriptions, variables:
 * their table's other writes, if any, ran before) and all history. Each table appears
 * there once, except the history tables (insert of new rows, update of older ones).
 */
export function* commitProgram(d: Dialect, b: WriteBatch): TxProgram<void> {
  const last: Stmt[] = [];
  /** Runs `stmts` now, or (when `movable` and the dialect combines writes) with the last statement. */
  function* write(stmts: readonly Stmt[], movable: boolean): TxProgram<void> {
    if (movable && d.combineWrites) last.push(...stmts);
    else for (const s of stmts) yield s;
  }

  yield* writeInstances(d, b.instances ?? []);

  const externalTaskRows = (b.externalTaskInserts ?? []).map(externalTaskRow);
  yield* write(stmtsOf(d, INSERT_EXTERNAL_TASK, externalTaskRows), none(b.externalTaskUpdates) && none(b.externalTaskDeletes));
  yield* write(stmtsOf(d, INSERT_USER_TASK, (b.userTaskInserts ?? []).map(userTaskRow)), none(b.userTaskDeletes));
  yield* write(stmtsOf(d, INSERT_INCIDENT, (b.incidentInserts ?? []).map(incidentRow)), none(b.incidentResolves));
  yield* write(stmtsOf(d, INSERT_JOB, (b.jobInserts ?? []).map(jobRow)), none(b.jobUpdates) && none(b.jobDeletes));
  yield* writeChecked(d, INSERT_SUBSCRIPTION, b.subscriptionInserts ?? [], subscriptionRow, (s) => s.id, subscriptionInstanceMissing);

  for (const u of b.externalTaskUpdates ?? []) yield* updateExternalTask(u);
  for (const u of b.jobUpdates ?? []) yield* updateJob(u);

  yield* writeChecked(
    d,
    DELETE_EXTERNAL_TASK,
    b.externalTaskDeletes ?? [],
    (x) => [x.id, has(x.expectedWorkerId), x.expectedWorkerId ?? null],
    (x) => x.id,
    externalTaskDeleteFailed,
  );
  yield* write(stmtsOf(d, DELETE_USER_TASK, (b.userTaskDeletes ?? []).map((id) => [id])), true);
  yield* writeChecked(d, DELETE_JOB, b.jobDeletes ?? [], (x) => [x.id, has(x.expectedLockOwner), x.expectedLockOwner ?? null], (x) => x.id, jobDeleteFailed);
  yield* write(stmtsOf(d, DELETE_SUBSCRIPTION, (b.subscriptionDeletes ?? []).map((id) => [id])), true);
  for (const r of b.incidentResolves ?? []) yield* resolveIncident(r);

  yield* write(stmtsOf(d, UPSERT_VARIABLE, variableRows(b.variableUpserts ?? [])), none(b.variableDeletes));
  yield* write(stmtsOf(d, DELETE_VARIABLE, (b.variableDeletes ?? []).map(variableDeleteRow)), true);

  yield* write(historyStmts(d, b), true);
  yield* writeTogether(d, last);
}

/** Exposed for tests of the batching: the single-row and set statements of each write. */
export const COMMIT_OPS = {
  INSERT_INSTANCE,
  UPDATE_INSTANCE,
  INSERT_EXTERNAL_TASK,
  DELETE_EXTERNAL_TASK,
  INSERT_USER_TASK,
  DELETE_USER_TASK,
  INSERT_INCIDENT,
  INSERT_JOB,
  DELETE_JOB,
  INSERT_SUBSCRIPTION,
  DELETE_SUBSCRIPTION,
  UPSERT_VARIABLE,
  DELETE_VARIABLE,
  HIST_PROCESS_START,
  HIST_PROCESS_END,
  HIST_ACTIVITY_START,
  HIST_ACTIVITY_END,
  HIST_VARIABLE_UPDATE,
  HIST_INCIDENT_CREATE,
  HIST_INCIDENT_RESOLVE,
} as const;
