/**
 * Claiming work in ONE statement (style: graphile-worker `getJobs`).
 *
 * PostgreSQL: `WITH c AS (SELECT id … ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED)
 * UPDATE … FROM c WHERE t.id = c.id RETURNING …` — concurrent claimers skip each
 * other's rows; a row changed by a committed claimer is re-checked against the WHERE
 * clause, so it is never claimed twice.
 * SQLite: `UPDATE … WHERE id IN (SELECT id … LIMIT n) RETURNING …`, run in a
 * `BEGIN IMMEDIATE` transaction (one writer at a time).
 *
 * RETURNING order is unspecified on both, so rows are sorted again by the caller. The
 * limit n is written by `limitClause` (bound on PostgreSQL, an integer literal on SQLite;
 * `checkFetch` / `checkAcquire` validate it first).
 */
import type { JsonValue } from '../../common/json.js';
import type { ExternalTaskRecord, JobRecord } from '../records.js';
import type { AcquireJobsRequest, FetchAndLockRequest, FetchTopic } from '../types.js';
import type { Dialect } from './dialect.js';
import type { SqlParam, Stmt } from './program.js';
import { cond, inList, limitClause, type Cond } from './queries.js';
import { columns, EXTERNAL_TASK_COLS, JOB_COLS } from './rows.js';
import { badArgument, nonEmpty, nonNegativeInt, positiveInt, int } from './validate.js';

/**
 * One `processVariables` entry: the instance has a process variable (root scope: its id
 * is the instance id) of that name whose stored JSON text equals the value's. The
 * variable table's primary key (scope_id, name) finds it.
 */
function processVariableCond(name: string, value: JsonValue): Cond {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw badArgument(`topics[].processVariables.${name}`, String(value), 'a JSON value');
  return cond('EXISTS (SELECT 1 FROM variable v WHERE v.scope_id = external_task.process_instance_id AND v.name = ? AND v.value = ?)', name, text);
}

function topicCond(t: FetchTopic): Cond {
  const parts: (Cond | undefined)[] = [
    cond('topic = ?', t.topicName),
    t.processDefinitionKey === undefined ? undefined : cond('process_definition_key = ?', t.processDefinitionKey),
    inList('process_definition_key', t.processDefinitionKeyIn),
    t.processDefinitionId === undefined ? undefined : cond('process_definition_id = ?', t.processDefinitionId),
    t.businessKey === undefined ? undefined : cond('business_key = ?', t.businessKey),
    ...Object.entries(t.processVariables ?? {}).map(([name, value]) => processVariableCond(name, value)),
  ];
  const given = parts.filter((p): p is Cond => p !== undefined);
  return { sql: '(' + given.map((p) => p.sql).join(' AND ') + ')', params: given.flatMap((p) => p.params) };
}

/**
 * Checks a fetch request.
 * @throws PROCOS_STORE_BAD_ARGUMENT empty worker id, no topics, bad maxTasks / lockDuration / now.
 */
export function checkFetch(r: FetchAndLockRequest): void {
  nonEmpty('workerId', r.workerId);
  nonNegativeInt('maxTasks', r.maxTasks);
  int('now', r.now);
  if (r.topics.length === 0) throw badArgument('topics', [], 'a non-empty list');
  if (r.order !== undefined && r.order !== 'asc' && r.order !== 'desc') throw badArgument('order', r.order, "'asc' or 'desc'");
  for (const t of r.topics) {
    nonEmpty('topics[].topicName', t.topicName);
    positiveInt('topics[].lockDuration', t.lockDuration);
    for (const name of Object.keys(t.processVariables ?? {})) nonEmpty('topics[].processVariables (a name)', name);
  }
}

/** ORDER BY of the claim: priority first (with `usePriority`), then created time and id in `order`. */
function claimOrder(r: FetchAndLockRequest): string {
  const dir = r.order === 'desc' ? ' DESC' : '';
  return `${r.usePriority === true ? 'priority DESC, ' : ''}created_time${dir}, id${dir}`;
}

/** The claim statement of {@link Store.fetchAndLock}. */
export function fetchAndLockStmt(d: Dialect, r: FetchAndLockRequest): Stmt {
  const topics = r.topics.map(topicCond);
  const filter =
    'suspended = FALSE AND (retries IS NULL OR retries > 0) AND (lock_expiration_time IS NULL OR lock_expiration_time <= ?) ' +
    'AND (retry_after_time IS NULL OR retry_after_time <= ?) AND (' +
    topics.map((t) => t.sql).join(' OR ') +
    ')';
  const filterParams: SqlParam[] = [r.now, r.now, ...topics.flatMap((t) => t.params)];
  const order = claimOrder(r);
  // lock expiration = now + the lock duration of the task's topic
  const lockCase = (topic: string): string => `CAST(? AS BIGINT) + CASE ${topic}` + ' WHEN ? THEN CAST(? AS BIGINT)'.repeat(r.topics.length) + ' END';
  const lockParams: SqlParam[] = [r.now, ...r.topics.flatMap((t) => [t.topicName, t.lockDuration])];
  const limit = limitClause(d, { limit: r.maxTasks, offset: 0 });

  if (d.name === 'postgres') {
    return {
      sql:
        `WITH c AS (SELECT id FROM external_task WHERE ${filter} ORDER BY ${order}${limit.sql} FOR UPDATE SKIP LOCKED) ` +
        `UPDATE external_task t SET worker_id = ?, lock_expiration_time = ${lockCase('t.topic')} ` +
        `FROM c WHERE t.id = c.id RETURNING ${columns(EXTERNAL_TASK_COLS, 't')}`,
      params: [...filterParams, ...limit.params, r.workerId, ...lockParams],
    };
  }
  return {
    sql:
      `UPDATE external_task SET worker_id = ?, lock_expiration_time = ${lockCase('topic')} ` +
      `WHERE id IN (SELECT id FROM external_task WHERE ${filter} ORDER BY ${order}${limit.sql}) RETURNING ${columns(EXTERNAL_TASK_COLS)}`,
    params: [r.workerId, ...lockParams, ...filterParams, ...limit.params],
  };
}

/** Sorts claimed tasks as the claim ordered them. */
export function sortClaimed(tasks: ExternalTaskRecord[], usePriority: boolean, order: 'asc' | 'desc' = 'asc'): ExternalTaskRecord[] {
  const dir = order === 'desc' ? -1 : 1;
  return tasks.sort(
    (a, b) => (usePriority ? b.priority - a.priority : 0) || dir * (a.createdTime - b.createdTime) || dir * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Checks a lock-by-id request.
 * @throws PROCOS_STORE_BAD_ARGUMENT empty id or worker id, bad lockDuration / now.
 */
export function checkLock(id: string, workerId: string, lockDuration: number, now: number): void {
  nonEmpty('id', id);
  nonEmpty('workerId', workerId);
  positiveInt('lockDuration', lockDuration);
  int('now', now);
}

/**
 * The guarded statement of {@link Store.lockExternalTask}: locks the task when it is not
 * locked, its lock expired, or the same worker holds it; returns the row it locked.
 */
export function lockExternalTaskStmt(id: string, workerId: string, lockDuration: number, now: number): Stmt {
  return {
    sql:
      'UPDATE external_task SET worker_id = ?, lock_expiration_time = CAST(? AS BIGINT) + CAST(? AS BIGINT) ' +
      'WHERE id = ? AND (worker_id IS NULL OR worker_id = ? OR lock_expiration_time IS NULL OR lock_expiration_time <= ?) ' +
      `RETURNING ${columns(EXTERNAL_TASK_COLS)}`,
    params: [workerId, now, lockDuration, id, workerId, now],
  };
}

/**
 * Checks a job acquisition request.
 * @throws PROCOS_STORE_BAD_ARGUMENT empty owner, bad maxJobs / lockDuration / now.
 */
export function checkAcquire(r: AcquireJobsRequest): void {
  nonEmpty('lockOwner', r.lockOwner);
  nonNegativeInt('maxJobs', r.maxJobs);
  positiveInt('lockDuration', r.lockDuration);
  int('now', r.now);
}

/** The claim statement of {@link Store.acquireJobs}. */
export function acquireJobsStmt(d: Dialect, r: AcquireJobsRequest): Stmt {
  const types = inList('type', r.types);
  const filter =
    'due_time <= ? AND (retries IS NULL OR retries > 0) AND (lock_expiration_time IS NULL OR lock_expiration_time <= ?)' +
    (types === undefined ? '' : ` AND ${types.sql}`);
  const filterParams: SqlParam[] = [r.now, r.now, ...(types?.params ?? [])];
  const set = 'lock_owner = ?, lock_expiration_time = CAST(? AS BIGINT) + CAST(? AS BIGINT)';
  const setParams: SqlParam[] = [r.lockOwner, r.now, r.lockDuration];
  const limit = limitClause(d, { limit: r.maxJobs, offset: 0 });
  if (d.name === 'postgres') {
    return {
      sql:
        `WITH c AS (SELECT id FROM job WHERE ${filter} ORDER BY due_time, id${limit.sql} FOR UPDATE SKIP LOCKED) ` +
        `UPDATE job t SET ${set} FROM c WHERE t.id = c.id RETURNING ${columns(JOB_COLS, 't')}`,
      params: [...filterParams, ...limit.params, ...setParams],
    };
  }
  return {
    sql: `UPDATE job SET ${set} WHERE id IN (SELECT id FROM job WHERE ${filter} ORDER BY due_time, id${limit.sql}) RETURNING ${columns(JOB_COLS)}`,
    params: [...setParams, ...filterParams, ...limit.params],
  };
}

/** Sorts acquired jobs by due time then id. */
export function sortJobs(jobs: JobRecord[]): JobRecord[] {
  return jobs.sort((a, b) => a.dueTime - b.dueTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

