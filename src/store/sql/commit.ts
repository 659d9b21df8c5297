/**
 * The commit program: applies one {@link WriteBatch} statement by statement inside one
 * transaction. Guarded writes check the changed-row count; on 0 rows a probe in the same
 * transaction picks the error (not found vs. conflict), which rolls everything back.
 */
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type {
  ExternalTaskDelete,
  ExternalTaskUpdate,
  IncidentResolve,
  InstanceWrite,
  JobDelete,
  JobUpdate,
  NewExternalTask,
  NewIncident,
  NewJob,
  NewUserTask,
  WriteBatch,
} from '../types.js';
import { stmt, type Row, type TxProgram } from './program.js';
import { int, nonEmpty, positiveInt, retriesValue } from './validate.js';

const SQL = {
  insertInstance:
    'INSERT INTO process_instance (id, process_definition_id, process_definition_key, business_key, status, state, revision, start_time, end_time, super_instance_id) ' +
    'VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
  updateInstance:
    'UPDATE process_instance SET status = ?, state = ?, revision = revision + 1, end_time = COALESCE(?, end_time), ' +
    'business_key = CASE WHEN ? = 1 THEN ? ELSE business_key END WHERE id = ? AND revision = ?',
  instanceRevision: 'SELECT revision FROM process_instance WHERE id = ?',

  insertExternalTask:
    'INSERT INTO external_task (id, process_instance_id, process_definition_id, process_definition_key, business_key, activity_instance_id, element_id, ' +
    'topic, priority, retries, created_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  updateExternalTask:
    'UPDATE external_task SET retries = CASE WHEN ? = 1 THEN ? ELSE retries END, ' +
    'error_message = CASE WHEN ? = 1 THEN ? ELSE error_message END, ' +
    'error_details = CASE WHEN ? = 1 THEN ? ELSE error_details END, ' +
    'retry_after_time = CASE WHEN ? = 1 THEN ? ELSE retry_after_time END, ' +
    'worker_id = CASE WHEN ? = 1 THEN NULL ELSE worker_id END, ' +
    'lock_expiration_time = CASE WHEN ? = 1 THEN NULL ELSE lock_expiration_time END ' +
    'WHERE id = ? AND (? = 0 OR worker_id = ?)',
  deleteExternalTask: 'DELETE FROM external_task WHERE id = ? AND (? = 0 OR worker_id = ?)',
  externalTaskWorker: 'SELECT worker_id FROM external_task WHERE id = ?',

  insertUserTask:
    'INSERT INTO user_task (id, process_instance_id, process_definition_id, element_id, name, assignee, candidate_groups, candidate_users, ' +
    'due_date, follow_up_date, priority, form_key, created_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  deleteUserTask: 'DELETE FROM user_task WHERE id = ?',

  insertIncident:
    'INSERT INTO incident (id, type, message, process_instance_id, process_definition_id, activity_instance_id, element_id, external_task_id, created_time) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  resolveIncident: 'UPDATE incident SET resolved_time = ? WHERE id = ? AND resolved_time IS NULL',
  incidentResolvedTime: 'SELECT resolved_time FROM incident WHERE id = ?',

  upsertVariable:
    'INSERT INTO variable (process_instance_id, scope_id, name, value) VALUES (?, ?, ?, ?) ' +
    'ON CONFLICT (scope_id, name) DO UPDATE SET value = excluded.value',
  deleteVariable: 'DELETE FROM variable WHERE scope_id = ? AND name = ?',
  deleteScopeVariables: 'DELETE FROM variable WHERE scope_id = ?',

  insertJob:
    'INSERT INTO job (id, process_instance_id, type, due_time, payload, retries, created_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
  updateJob:
    'UPDATE job SET retries = CASE WHEN ? = 1 THEN ? ELSE retries END, ' +
    'due_time = CASE WHEN ? = 1 THEN ? ELSE due_time END, ' +
    'lock_owner = CASE WHEN ? = 1 THEN NULL ELSE lock_owner END, ' +
    'lock_expiration_time = CASE WHEN ? = 1 THEN NULL ELSE lock_expiration_time END ' +
    'WHERE id = ? AND (? = 0 OR lock_owner = ?)',
  deleteJob: 'DELETE FROM job WHERE id = ? AND (? = 0 OR lock_owner = ?)',
  jobOwner: 'SELECT lock_owner FROM job WHERE id = ?',

  histProcessStart:
    'INSERT INTO hist_process_instance (id, process_definition_id, process_definition_key, business_key, super_instance_id, status, start_time) ' +
    "VALUES (?, ?, ?, ?, ?, 'active', ?)",
  histProcessEnd: 'UPDATE hist_process_instance SET status = ?, end_time = ?, end_reason = ? WHERE id = ? AND end_time IS NULL',
  histActivityStart:
    'INSERT INTO hist_activity_instance (id, process_instance_id, element_id, element_type, element_name, parent_activity_instance_id, start_time) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?)',
  histActivityEnd: 'UPDATE hist_activity_instance SET end_time = ?, canceled = ? WHERE id = ? AND end_time IS NULL',
  histVariableUpdate: 'INSERT INTO hist_variable_update (process_instance_id, scope_id, name, value, time) VALUES (?, ?, ?, ?, ?)',
  histIncidentCreate:
    'INSERT INTO hist_incident (id, type, message, process_instance_id, process_definition_id, activity_instance_id, element_id, external_task_id, created_time) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  histIncidentResolve: 'UPDATE hist_incident SET resolved_time = ? WHERE id = ? AND resolved_time IS NULL',
} as const;

/** 1 when the optional field is present, else 0 (the `CASE WHEN ? = 1` flags above). */
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

function* writeInstance(w: InstanceWrite): TxProgram<void> {
  nonEmpty('instances[].id', w.id);
  const state = toJson('instances[].state', w.state);
  if (w.kind === 'insert') {
    yield stmt(
      SQL.insertInstance,
      w.id,
      w.processDefinitionId,
      w.processDefinitionKey,
      w.businessKey,
      w.status,
      state,
      int('startTime', w.startTime),
      w.endTime ?? null,
      w.superInstanceId ?? null,
    );
    return;
  }
  positiveInt('expectedRevision', w.expectedRevision);
  const r = yield stmt(SQL.updateInstance, w.status, state, w.endTime ?? null, has(w.businessKey), w.businessKey ?? null, w.id, w.expectedRevision);
  if (r.changes === 1) return;
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

function* insertExternalTask(t: NewExternalTask): TxProgram<void> {
  yield stmt(
    SQL.insertExternalTask,
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
  );
}

function* updateExternalTask(u: ExternalTaskUpdate): TxProgram<void> {
  const retries = u.retries === undefined ? null : retriesValue('externalTaskUpdates[].retries', u.retries);
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
    u.releaseLock === true ? 1 : 0,
    u.releaseLock === true ? 1 : 0,
    u.id,
    has(u.expectedWorkerId),
    u.expectedWorkerId ?? null,
  );
  if (r.changes === 1) return;
  if (u.expectedWorkerId !== undefined) yield* externalTaskGuardFailed(u.id, u.expectedWorkerId);
  throw new ProcosError(StoreErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${u.id} does not exist`, { externalTaskId: u.id });
}

function* deleteExternalTask(d: ExternalTaskDelete): TxProgram<void> {
  const r = yield stmt(SQL.deleteExternalTask, d.id, has(d.expectedWorkerId), d.expectedWorkerId ?? null);
  if (r.changes === 0 && d.expectedWorkerId !== undefined) yield* externalTaskGuardFailed(d.id, d.expectedWorkerId);
}

function* insertUserTask(t: NewUserTask): TxProgram<void> {
  yield stmt(
    SQL.insertUserTask,
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
  );
}

function incidentParams(i: NewIncident): (string | number | null)[] {
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

function* insertJob(j: NewJob): TxProgram<void> {
  yield stmt(
    SQL.insertJob,
    nonEmpty('jobInserts[].id', j.id),
    j.processInstanceId,
    nonEmpty('jobInserts[].type', j.type),
    int('jobInserts[].dueTime', j.dueTime),
    toJson('jobInserts[].payload', j.payload ?? null),
    retriesValue('jobInserts[].retries', j.retries ?? null),
    int('jobInserts[].createdTime', j.createdTime),
  );
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

function* deleteJob(d: JobDelete): TxProgram<void> {
  const r = yield stmt(SQL.deleteJob, d.id, has(d.expectedLockOwner), d.expectedLockOwner ?? null);
  if (r.changes === 0 && d.expectedLockOwner !== undefined) yield* jobGuardFailed(d.id, d.expectedLockOwner);
}

/** Applies a batch in the order documented on {@link WriteBatch}. */
export function* commitProgram(b: WriteBatch): TxProgram<void> {
  for (const w of b.instances ?? []) yield* writeInstance(w);

  for (const t of b.externalTaskInserts ?? []) yield* insertExternalTask(t);
  for (const t of b.userTaskInserts ?? []) yield* insertUserTask(t);
  for (const i of b.incidentInserts ?? []) yield stmt(SQL.insertIncident, ...incidentParams(i));
  for (const j of b.jobInserts ?? []) yield* insertJob(j);

  for (const u of b.externalTaskUpdates ?? []) yield* updateExternalTask(u);
  for (const u of b.jobUpdates ?? []) yield* updateJob(u);

  for (const d of b.externalTaskDeletes ?? []) yield* deleteExternalTask(d);
  for (const id of b.userTaskDeletes ?? []) yield stmt(SQL.deleteUserTask, id);
  for (const d of b.jobDeletes ?? []) yield* deleteJob(d);
  for (const r of b.incidentResolves ?? []) yield* resolveIncident(r);

  for (const v of b.variableUpserts ?? []) {
    yield stmt(SQL.upsertVariable, v.processInstanceId, nonEmpty('variableUpserts[].scopeId', v.scopeId), v.name, toJson('variableUpserts[].value', v.value));
  }
  for (const v of b.variableDeletes ?? []) {
    yield v.name === undefined ? stmt(SQL.deleteScopeVariables, v.scopeId) : stmt(SQL.deleteVariable, v.scopeId, v.name);
  }

  const h = b.history;
  if (h === undefined) return;
  for (const p of h.processStarts ?? []) {
    yield stmt(SQL.histProcessStart, p.processInstanceId, p.processDefinitionId, p.processDefinitionKey, p.businessKey, p.superInstanceId ?? null, int('processStarts[].startTime', p.startTime));
  }
  for (const a of h.activityStarts ?? []) {
    yield stmt(
      SQL.histActivityStart,
      a.activityInstanceId,
      a.processInstanceId,
      a.elementId,
      a.elementType,
      a.elementName ?? null,
      a.parentActivityInstanceId,
      int('activityStarts[].startTime', a.startTime),
    );
  }
  for (const i of h.incidentsCreated ?? []) yield stmt(SQL.histIncidentCreate, ...incidentParams(i));
  for (const a of h.activityEnds ?? []) yield stmt(SQL.histActivityEnd, int('activityEnds[].endTime', a.endTime), a.canceled, a.activityInstanceId);
  for (const v of h.variableUpdates ?? []) {
    yield stmt(SQL.histVariableUpdate, v.processInstanceId, v.scopeId, v.name, toJson('variableUpdates[].value', v.value), int('variableUpdates[].time', v.time));
  }
  for (const i of h.incidentsResolved ?? []) yield stmt(SQL.histIncidentResolve, int('incidentsResolved[].time', i.time), i.id);
  for (const p of h.processEnds ?? []) yield stmt(SQL.histProcessEnd, p.status, int('processEnds[].endTime', p.endTime), p.reason ?? null, p.processInstanceId);
}
