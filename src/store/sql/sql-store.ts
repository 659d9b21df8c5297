/**
 * The {@link Store} over any {@link SqlDriver}: both databases share this class; only
 * the driver and the dialect differ.
 */
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
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
  Page,
  ProcessDefinitionFilter,
  SubscriptionFilter,
  UserTaskFilter,
  VariableFilter,
} from '../filters.js';
import type {
  DeploymentRecord,
  ExternalTaskRecord,
  HistoricActivityInstanceRecord,
  HistoricIncidentRecord,
  HistoricProcessInstanceRecord,
  HistoricVariableUpdateRecord,
  IncidentRecord,
  InstanceRecord,
  InstanceSummary,
  JobRecord,
  ProcessDefinitionRecord,
  ResourceRecord,
  SubscriptionRecord,
  UserTaskRecord,
  VariableRecord,
} from '../records.js';
import type { AcquireJobsRequest, DeleteDeploymentOptions, DeployInput, DeploymentDeletion, DeployResult, FetchAndLockRequest, Store, WriteBatch } from '../types.js';
import { acquireJobsStmt, checkAcquire, checkFetch, checkLock, fetchAndLockStmt, lockExternalTaskStmt, sortClaimed, sortJobs } from './claim.js';
import { deleteDeploymentProgram } from './delete-deployment.js';
import { commitProgram } from './commit.js';
import { checkDeploy, deployProgram } from './deploy.js';
import type { SqlDriver } from './driver.js';
import { rowsOf, stmt, type Row, type Stmt, type TxProgram } from './program.js';
import * as q from './queries.js';
import {
  columns,
  countOf,
  EXTERNAL_TASK_COLS,
  INSTANCE_COLS,
  toDefinition,
  toDeployment,
  toExternalTask,
  toHistoricActivityInstance,
  toHistoricIncident,
  toHistoricProcessInstance,
  toHistoricVariableUpdate,
  toIncident,
  toInstance,
  toInstanceSummary,
  toJob,
  toResource,
  toSubscription,
  toUserTask,
  toVariable,
} from './rows.js';
import * as t from './tables.js';
import { compilePage, int, nonEmpty, positiveInt, retriesValue } from './validate.js';

/** An external task and (columns `p_…`) its instance, in one statement: {@link SqlStore.getExternalTaskWithInstance}. */
const TASK_WITH_INSTANCE_SQL =
  `SELECT ${columns(EXTERNAL_TASK_COLS, 't')}, ${INSTANCE_COLS.map((c) => `p.${c} AS p_${c}`).join(', ')} ` +
  'FROM external_task t LEFT JOIN process_instance p ON p.id = t.process_instance_id WHERE t.id = ?';

/** The notification channel of {@link SqlStore.notifyTopics}. */
const TOPIC_CHANNEL = 'procos_topics';
/** Largest topic notification payload, bytes (PostgreSQL's limit is 8,000). */
const TOPIC_PAYLOAD_MAX = 7_900;

/** Ids read per statement by the get-many methods (a fetch may lock any number of tasks). */
const GET_MANY_CHUNK = 500;

/** Runs `s`; on 0 changed rows, probes `table` by id to tell "not found" from "conflict". */
function* guardedUpdate(
  s: Stmt,
  table: 'external_task' | 'incident' | 'user_task',
  id: string,
  onMissing: () => ProcosError,
  onConflict: (row: Row) => ProcosError,
): TxProgram<void> {
  const r = yield s;
  if (r.changes > 0) return;
  const column = table === 'external_task' ? 'worker_id' : 'id';
  const probe = yield stmt(`SELECT ${column} FROM ${table} WHERE id = ?`, id);
  const row = probe.rows[0];
  throw row === undefined ? onMissing() : onConflict(row);
}

function externalTaskMissing(id: string): () => ProcosError {
  return () => new ProcosError(StoreErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${id} does not exist`, { externalTaskId: id });
}

/** {@link Store.lockExternalTask}: the guarded update, then (when it changed nothing) a probe for the error. */
function* lockProgram(id: string, workerId: string, lockDuration: number, now: number): TxProgram<ExternalTaskRecord> {
  const r = yield lockExternalTaskStmt(id, workerId, lockDuration, now);
  const locked = r.rows[0];
  if (locked !== undefined) return toExternalTask(locked);
  const probe = yield stmt('SELECT worker_id, lock_expiration_time FROM external_task WHERE id = ?', id);
  const row = probe.rows[0];
  if (row === undefined) throw externalTaskMissing(id)();
  const lockedBy = row['worker_id'] === null || row['worker_id'] === undefined ? null : String(row['worker_id']);
  const expires = row['lock_expiration_time'] === null || row['lock_expiration_time'] === undefined ? null : Number(row['lock_expiration_time']);
  const until = expires === null ? '' : ` until ${new Date(expires).toISOString()}`;
  throw new ProcosError(StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT, `external task ${id} cannot be locked by worker ${workerId}: it is locked by ${String(lockedBy)}${until}`, {
    externalTaskId: id,
    workerId,
    lockedBy,
    lockExpirationTime: expires,
  });
}

/** A {@link Store} on a SQL database. */
export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres';

  constructor(
    private readonly driver: SqlDriver,
    readonly schemaVersion: number,
  ) {
    this.kind = driver.dialect.name;
  }

  private async rows(s: Stmt): Promise<readonly Row[]> {
    return this.driver.run(rowsOf(s), 'read');
  }

  private async list<F, R>(table: q.TableQuery, conds: (f: F) => (q.Cond | undefined)[], map: (r: Row) => R, filter: F, page: Page | undefined): Promise<R[]> {
    const s = q.listStmt(this.driver.dialect, table, conds(filter), compilePage(page));
    return (await this.rows(s)).map(map);
  }

  private async count<F>(table: q.TableQuery, conds: (f: F) => (q.Cond | undefined)[], filter: F): Promise<number> {
    return countOf(await this.rows(q.countStmt(table, conds(filter))));
  }

  private async one<R>(table: q.TableQuery, conds: (q.Cond | undefined)[], map: (r: Row) => R): Promise<R | null> {
    const row = (await this.rows(q.listStmt(this.driver.dialect, table, conds, { offset: 0, limit: 1 })))[0];
    return row === undefined ? null : map(row);
  }

  // ---- deployments

  async deploy(input: DeployInput): Promise<DeployResult> {
    const checked = checkDeploy(input, Date.now());
    return this.driver.run(deployProgram(this.driver.dialect, checked), 'write');
  }

  async getDeployment(id: string): Promise<DeploymentRecord | null> {
    return this.one(t.DEPLOYMENTS, [q.eq('id', id)], toDeployment);
  }

  async listDeployments(filter: DeploymentFilter = {}, page?: Page): Promise<DeploymentRecord[]> {
    return this.list(t.DEPLOYMENTS, q.deploymentConds, toDeployment, filter, page);
  }

  async countDeployments(filter: DeploymentFilter = {}): Promise<number> {
    return this.count(t.DEPLOYMENTS, q.deploymentConds, filter);
  }

  async deleteDeployment(id: string, options: DeleteDeploymentOptions = {}): Promise<DeploymentDeletion> {
    return this.driver.run(deleteDeploymentProgram(this.driver.dialect, id, options), 'write');
  }

  async getResource(deploymentId: string, name: string): Promise<ResourceRecord | null> {
    return this.one(t.RESOURCES, [q.eq('deployment_id', deploymentId), q.eq('name', name)], toResource);
  }

  async listResources(deploymentId: string): Promise<ResourceRecord[]> {
    return (await this.rows(q.selectStmt(t.RESOURCES, [q.eq('deployment_id', deploymentId)]))).map(toResource);
  }

  async getProcessDefinition(id: string): Promise<ProcessDefinitionRecord | null> {
    return this.one(t.DEFINITIONS, [q.eq('id', id)], toDefinition);
  }

  async getLatestProcessDefinition(key: string): Promise<ProcessDefinitionRecord | null> {
    return this.one({ ...t.DEFINITIONS, orderBy: 'version DESC' }, [q.eq('key', key)], toDefinition);
  }

  async listProcessDefinitions(filter: ProcessDefinitionFilter = {}, page?: Page): Promise<ProcessDefinitionRecord[]> {
    return this.list(t.DEFINITIONS, q.definitionConds, toDefinition, filter, page);
  }

  async countProcessDefinitions(filter: ProcessDefinitionFilter = {}): Promise<number> {
    return this.count(t.DEFINITIONS, q.definitionConds, filter);
  }

  // ---- instances

  async getInstance(id: string): Promise<InstanceRecord | null> {
    return this.one(t.INSTANCES, [q.eq('id', id)], toInstance);
  }

  async notifyTopics(topics: readonly string[], origin: string): Promise<void> {
    if (this.driver.listen === undefined || topics.length === 0) return;
    let payload = JSON.stringify({ o: origin, t: topics });
    // PostgreSQL refuses payloads of 8,000 bytes and more: then "all topics".
    if (Buffer.byteLength(payload, 'utf8') > TOPIC_PAYLOAD_MAX) payload = JSON.stringify({ o: origin, all: true });
    await this.driver.run(rowsOf(stmt('SELECT pg_notify(?, ?)', TOPIC_CHANNEL, payload)), 'autocommit');
  }

  async listenTopics(onTopics: (topics: readonly string[] | null, origin: string | null) => void): Promise<() => Promise<void>> {
    if (this.driver.listen === undefined) return async () => undefined;
    return this.driver.listen(TOPIC_CHANNEL, (payload) => {
      if (payload === null) return onTopics(null, null);
      let p: unknown;
      try {
        p = JSON.parse(payload);
      } catch {
        return; // not ours
      }
      if (typeof p !== 'object' || p === null) return;
      const { o, t, all } = p as { o?: unknown; t?: unknown; all?: unknown };
      const origin = typeof o === 'string' ? o : null;
      if (all === true) onTopics(null, origin);
      else if (Array.isArray(t)) onTopics(t.filter((x): x is string => typeof x === 'string'), origin);
    });
  }

  async getInstances(ids: readonly string[]): Promise<InstanceRecord[]> {
    const unique = [...new Set(ids)];
    const out: InstanceRecord[] = [];
    for (let from = 0; from < unique.length; from += GET_MANY_CHUNK) {
      const part = unique.slice(from, from + GET_MANY_CHUNK);
      for (const row of await this.rows(q.selectStmt(t.INSTANCES, [q.inTextArray(this.driver.dialect, 'id', part)]))) out.push(toInstance(row));
    }
    return out;
  }

  async listInstances(filter: InstanceFilter = {}, page?: Page): Promise<InstanceSummary[]> {
    return this.list(t.INSTANCE_SUMMARIES, q.instanceConds, toInstanceSummary, filter, page);
  }

  async countInstances(filter: InstanceFilter = {}): Promise<number> {
    return this.count(t.INSTANCES, q.instanceConds, filter);
  }

  async commit(batch: WriteBatch): Promise<void> {
    await this.driver.run(commitProgram(this.driver.dialect, batch), 'write');
  }

  // ---- external tasks

  async fetchAndLock(request: FetchAndLockRequest): Promise<ExternalTaskRecord[]> {
    checkFetch(request);
    if (request.maxTasks === 0) return [];
    const rows = await this.driver.run(rowsOf(fetchAndLockStmt(this.driver.dialect, request)), 'autocommit');
    return sortClaimed(rows.map(toExternalTask), request.usePriority === true, request.order);
  }

  async lockExternalTask(id: string, workerId: string, lockDuration: number, now: number): Promise<ExternalTaskRecord> {
    checkLock(id, workerId, lockDuration, now);
    return this.driver.run(lockProgram(id, workerId, lockDuration, now), 'autocommit');
  }

  async getExternalTask(id: string): Promise<ExternalTaskRecord | null> {
    return this.one(t.EXTERNAL_TASKS, [q.eq('id', id)], toExternalTask);
  }

  async getExternalTaskWithInstance(id: string): Promise<{ task: ExternalTaskRecord; instance: InstanceRecord | null } | null> {
    const row = (await this.rows(stmt(TASK_WITH_INSTANCE_SQL, id)))[0];
    if (row === undefined) return null;
    if (row['p_id'] === null || row['p_id'] === undefined) return { task: toExternalTask(row), instance: null };
    const instanceRow: Record<string, unknown> = {};
    for (const c of INSTANCE_COLS) instanceRow[c] = row[`p_${c}`];
    return { task: toExternalTask(row), instance: toInstance(instanceRow) };
  }

  async listExternalTasks(filter: ExternalTaskFilter = {}, page?: Page): Promise<ExternalTaskRecord[]> {
    return this.list(t.EXTERNAL_TASKS, q.externalTaskConds, toExternalTask, filter, page);
  }

  async countExternalTasks(filter: ExternalTaskFilter = {}): Promise<number> {
    return this.count(t.EXTERNAL_TASKS, q.externalTaskConds, filter);
  }

  async extendLock(id: string, workerId: string, newDuration: number, now: number): Promise<void> {
    positiveInt('newDuration', newDuration);
    int('now', now);
    nonEmpty('workerId', workerId);
    const s = stmt(
      'UPDATE external_task SET lock_expiration_time = CAST(? AS BIGINT) + CAST(? AS BIGINT) WHERE id = ? AND worker_id = ? AND lock_expiration_time > ?',
      now,
      newDuration,
      id,
      workerId,
      now,
    );
    await this.driver.run(
      guardedUpdate(s, 'external_task', id, externalTaskMissing(id), (row) => {
        const lockedBy = row['worker_id'] ?? null;
        const why = lockedBy === workerId ? 'its lock has expired' : lockedBy === null ? 'it is not locked' : `it is locked by ${String(lockedBy)}`;
        return new ProcosError(StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT, `cannot extend the lock of external task ${id} for worker ${workerId}: ${why}`, {
          externalTaskId: id,
          workerId,
          lockedBy,
        });
      }),
      'autocommit',
    );
  }

  async unlock(id: string): Promise<void> {
    const s = stmt('UPDATE external_task SET worker_id = NULL, lock_expiration_time = NULL WHERE id = ?', id);
    await this.driver.run(guardedUpdate(s, 'external_task', id, externalTaskMissing(id), externalTaskMissing(id)), 'autocommit');
  }

  async setExternalTaskRetries(id: string, retries: number | null): Promise<void> {
    const s = stmt('UPDATE external_task SET retries = ? WHERE id = ?', retriesValue('retries', retries), id);
    await this.driver.run(guardedUpdate(s, 'external_task', id, externalTaskMissing(id), externalTaskMissing(id)), 'autocommit');
  }

  // ---- user tasks

  async getUserTask(id: string): Promise<UserTaskRecord | null> {
    return this.one(t.USER_TASKS, [q.eq('id', id)], toUserTask);
  }

  async listUserTasks(filter: UserTaskFilter = {}, page?: Page): Promise<UserTaskRecord[]> {
    return this.list(t.USER_TASKS, q.userTaskConds, toUserTask, filter, page);
  }

  async countUserTasks(filter: UserTaskFilter = {}): Promise<number> {
    return this.count(t.USER_TASKS, q.userTaskConds, filter);
  }

  async setUserTaskAssignee(id: string, assignee: string | null): Promise<void> {
    if (assignee !== null) nonEmpty('assignee', assignee);
    const missing = (): ProcosError => new ProcosError(StoreErrors.USER_TASK_NOT_FOUND, `user task ${id} does not exist`, { userTaskId: id });
    const s = stmt('UPDATE user_task SET assignee = ? WHERE id = ?', assignee, id);
    await this.driver.run(guardedUpdate(s, 'user_task', id, missing, missing), 'autocommit');
  }

  // ---- event subscriptions

  async getSubscription(id: string): Promise<SubscriptionRecord | null> {
    return this.one(t.SUBSCRIPTIONS, [q.eq('id', id)], toSubscription);
  }

  async listSubscriptions(filter: SubscriptionFilter = {}, page?: Page): Promise<SubscriptionRecord[]> {
    return this.list(t.SUBSCRIPTIONS, q.subscriptionConds, toSubscription, filter, page);
  }

  async countSubscriptions(filter: SubscriptionFilter = {}): Promise<number> {
    return this.count(t.SUBSCRIPTIONS, q.subscriptionConds, filter);
  }

  // ---- incidents, variables

  async getIncident(id: string): Promise<IncidentRecord | null> {
    return this.one(t.INCIDENTS, [q.eq('id', id)], toIncident);
  }

  async listIncidents(filter: IncidentFilter = {}, page?: Page): Promise<IncidentRecord[]> {
    return this.list(t.INCIDENTS, q.incidentConds, toIncident, filter, page);
  }

  async countIncidents(filter: IncidentFilter = {}): Promise<number> {
    return this.count(t.INCIDENTS, q.incidentConds, filter);
  }

  async setIncidentAnnotation(id: string, annotation: string | null): Promise<void> {
    const missing = (): ProcosError => new ProcosError(StoreErrors.INCIDENT_NOT_FOUND, `incident ${id} does not exist`, { incidentId: id });
    const s = stmt('UPDATE incident SET annotation = ? WHERE id = ?', annotation, id);
    await this.driver.run(guardedUpdate(s, 'incident', id, missing, missing), 'autocommit');
  }

  async getVariable(scopeId: string, name: string): Promise<VariableRecord | null> {
    return this.one(t.VARIABLES, [q.eq('scope_id', scopeId), q.eq('name', name)], toVariable);
  }

  async listVariables(filter: VariableFilter = {}, page?: Page): Promise<VariableRecord[]> {
    return this.list(t.VARIABLES, q.variableConds, toVariable, filter, page);
  }

  async countVariables(filter: VariableFilter = {}): Promise<number> {
    return this.count(t.VARIABLES, q.variableConds, filter);
  }

  // ---- jobs

  async acquireJobs(request: AcquireJobsRequest): Promise<JobRecord[]> {
    checkAcquire(request);
    if (request.maxJobs === 0) return [];
    const rows = await this.driver.run(rowsOf(acquireJobsStmt(this.driver.dialect, request)), 'autocommit');
    return sortJobs(rows.map(toJob));
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.one(t.JOBS, [q.eq('id', id)], toJob);
  }

  async listJobs(filter: JobFilter = {}, page?: Page): Promise<JobRecord[]> {
    return this.list(t.JOBS, q.jobConds, toJob, filter, page);
  }

  async countJobs(filter: JobFilter = {}): Promise<number> {
    return this.count(t.JOBS, q.jobConds, filter);
  }

  // ---- history

  async getHistoricProcessInstance(id: string): Promise<HistoricProcessInstanceRecord | null> {
    return this.one(t.HIST_PROCESSES, [q.eq('id', id)], toHistoricProcessInstance);
  }

  async listHistoricProcessInstances(filter: HistoricProcessInstanceFilter = {}, page?: Page): Promise<HistoricProcessInstanceRecord[]> {
    return this.list(t.HIST_PROCESSES, q.historicProcessConds, toHistoricProcessInstance, filter, page);
  }

  async countHistoricProcessInstances(filter: HistoricProcessInstanceFilter = {}): Promise<number> {
    return this.count(t.HIST_PROCESSES, q.historicProcessConds, filter);
  }

  async listHistoricActivityInstances(filter: HistoricActivityInstanceFilter = {}, page?: Page): Promise<HistoricActivityInstanceRecord[]> {
    return this.list(t.HIST_ACTIVITIES, q.historicActivityConds, toHistoricActivityInstance, filter, page);
  }

  async countHistoricActivityInstances(filter: HistoricActivityInstanceFilter = {}): Promise<number> {
    return this.count(t.HIST_ACTIVITIES, q.historicActivityConds, filter);
  }

  async listHistoricVariableUpdates(filter: HistoricVariableUpdateFilter = {}, page?: Page): Promise<HistoricVariableUpdateRecord[]> {
    return this.list(t.HIST_VARIABLES, q.historicVariableConds, toHistoricVariableUpdate, filter, page);
  }

  async countHistoricVariableUpdates(filter: HistoricVariableUpdateFilter = {}): Promise<number> {
    return this.count(t.HIST_VARIABLES, q.historicVariableConds, filter);
  }

  async listHistoricIncidents(filter: HistoricIncidentFilter = {}, page?: Page): Promise<HistoricIncidentRecord[]> {
    return this.list(t.HIST_INCIDENTS, q.historicIncidentConds, toHistoricIncident, filter, page);
  }

  async countHistoricIncidents(filter: HistoricIncidentFilter = {}): Promise<number> {
    return this.count(t.HIST_INCIDENTS, q.historicIncidentConds, filter);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
