/**
 * The storage contract: one {@link Store} interface, implemented for SQLite and
 * PostgreSQL (`openStore` in `open.ts`), checked by one contract test suite run on both.
 *
 * Reading is by small `get…/list…/count…` methods. Writing the result of an engine
 * command is ONE call, {@link Store.commit}, with a {@link WriteBatch}: everything in it
 * is applied in one transaction or not at all, guarded by the instance revision
 * (optimistic locking). Claiming work ({@link Store.fetchAndLock},
 * {@link Store.acquireJobs}) is one statement, safe with many engine nodes.
 *
 * All times are epoch milliseconds and are passed in by the caller (the store never
 * reads the clock for data it returns, except the deploy time when none is given).
 */
import type { JsonValue } from '../common/json.js';
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
} from './filters.js';
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
} from './records.js';

// ---------------------------------------------------------------------------------------
// Deploy

/** A resource to deploy. Strings are stored UTF-8 encoded. */
export interface DeployResource {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** A process found in the resources (already parsed by the model layer). */
export interface DeployProcess {
  /** Process id (definition key). Unique within one deploy. */
  readonly key: string;
  readonly name?: string | null;
  readonly versionTag?: string | null;
  /** The resource it was parsed from; must be one of {@link DeployInput.resources}. */
  readonly resourceName: string;
  /** Hash of the process content (any stable string, e.g. sha256 hex of the resource). */
  readonly hash: string;
}

/** Input of {@link Store.deploy}. */
export interface DeployInput {
  readonly name: string;
  readonly source?: string | null;
  readonly tenantId?: string | null;
  /** At least one. Names unique. */
  readonly resources: readonly DeployResource[];
  readonly processes: readonly DeployProcess[];
  /** Deploy time, epoch ms. @default Date.now() */
  readonly time?: number;
}

/** Result of {@link Store.deploy}. */
export interface DeployResult {
  /**
   * The new deployment; or, when `duplicate`, the existing deployment that holds the
   * most recently deployed of the returned definitions.
   */
  readonly deployment: DeploymentRecord;
  /**
   * One definition per input process, in input order: a new version where the hash
   * changed, else the existing latest version (its `deploymentId` is then an older
   * deployment's).
   */
  readonly definitions: readonly ProcessDefinitionRecord[];
  /** True when no process changed: nothing was written. */
  readonly duplicate: boolean;
}

// ---------------------------------------------------------------------------------------
// Write model: what one commit applies

/** Insert a new process instance (revision 1). */
export interface InstanceInsert {
  readonly kind: 'insert';
  readonly id: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly status: InstanceStatus;
  /** A JSON-serializable object (the engine's InstanceState). */
  readonly state: object;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms, when the instance already ended in its first command. @default null */
  readonly endTime?: number | null;
  /** @default null */
  readonly superInstanceId?: string | null;
}

/**
 * Update an instance whose revision is still `expectedRevision`; the stored revision
 * becomes `expectedRevision + 1`.
 */
export interface InstanceUpdate {
  readonly kind: 'update';
  readonly id: string;
  readonly expectedRevision: number;
  readonly status: InstanceStatus;
  /** A JSON-serializable object (the engine's InstanceState). */
  readonly state: object;
  /** Epoch ms; set when the instance ends (an end time once stored is kept). @default null */
  readonly endTime?: number | null;
  /** Changes the business key when given. */
  readonly businessKey?: string | null;
}

/** One instance write in a batch. */
export type InstanceWrite = InstanceInsert | InstanceUpdate;

/** A new external task (from the engine's `externalTaskCreated` effect). */
export interface NewExternalTask {
  readonly id: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly topic: string;
  readonly priority: number;
  /** Null: not set (Camunda 7's default until the first failure). */
  readonly retries: number | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/**
 * Changes to an external task (failure handling, retries, lock release). Only the
 * given fields change. `expectedWorkerId`, when given, guards the update: the task
 * must be locked by that worker (the lock may have expired, as in Camunda 7).
 */
export interface ExternalTaskUpdate {
  readonly id: string;
  readonly expectedWorkerId?: string;
  readonly retries?: number | null;
  readonly errorMessage?: string | null;
  readonly errorDetails?: string | null;
  /** Clears worker id and lock expiration. */
  readonly releaseLock?: boolean;
  /** Epoch ms before which the task is not fetched; null clears it. */
  readonly retryAfterTime?: number | null;
}

/**
 * Delete an external task (completion, BPMN error, interruption). With
 * `expectedWorkerId`, only the worker that locked it may: else the commit fails with
 * PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT (or …_NOT_FOUND). Without it, a missing task
 * is ignored.
 */
export interface ExternalTaskDelete {
  readonly id: string;
  readonly expectedWorkerId?: string;
}

/** A new user task (from the engine's `userTaskCreated` effect). Id = activity instance id. */
export interface NewUserTask {
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

/** A new incident (runtime table and, separately, history). */
export interface NewIncident {
  readonly id: string;
  readonly type: string;
  readonly message: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  /** @default null */
  readonly externalTaskId?: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** Resolve an open incident. Fails the commit when it is missing or already resolved. */
export interface IncidentResolve {
  readonly id: string;
  /** Epoch ms. */
  readonly time: number;
}

/** Set a variable's value in a scope (insert or replace). */
export interface VariableWrite {
  readonly processInstanceId: string;
  readonly scopeId: string;
  readonly name: string;
  readonly value: JsonValue;
}

/** Delete one variable, or (without `name`) every variable of a scope. Missing rows are ignored. */
export interface VariableDelete {
  readonly scopeId: string;
  readonly name?: string;
}

/**
 * A new job. A job of an instance names it in `processInstanceId`; a job of a definition
 * (the timer of a timer start event) has `processInstanceId: null` and names the
 * definition in `processDefinitionId` (its `payload` says what to do when it is due).
 */
export interface NewJob {
  readonly id: string;
  readonly processInstanceId: string | null;
  /** Must name an existing definition (else PROCOS_STORE_REFERENCE_MISSING). @default null */
  readonly processDefinitionId?: string | null;
  /** The activity instance the timer / continuation belongs to. @default null */
  readonly activityInstanceId?: string | null;
  /** The BPMN element the job belongs to. @default null */
  readonly elementId?: string | null;
  readonly type: string;
  /** Epoch ms. */
  readonly dueTime: number;
  /** @default null */
  readonly payload?: JsonValue;
  /** @default null */
  readonly retries?: number | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/**
 * A new event subscription (from the engine's `subscriptionCreated` effect). The
 * instance's definition id, definition key and business key are copied from the
 * instance row when the subscription is inserted (after the batch's instance writes, so
 * an instance inserted or given a business key in the same batch counts).
 * @throws PROCOS_STORE_REFERENCE_MISSING (at commit) no instance has `processInstanceId`.
 */
export interface NewSubscription {
  readonly id: string;
  readonly processInstanceId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly eventType: SubscriptionEventType;
  /** Message or signal name (non-empty). */
  readonly name: string;
  /** The evaluated correlation key. @default null */
  readonly correlationKey?: string | null;
  /** Epoch ms. */
  readonly createdTime: number;
}

/** Changes to a job; only the given fields change. Guarded by `expectedLockOwner` when given. */
export interface JobUpdate {
  readonly id: string;
  readonly expectedLockOwner?: string;
  readonly retries?: number | null;
  /** Epoch ms. */
  readonly dueTime?: number;
  readonly releaseLock?: boolean;
}

/** Delete a job; guarded by `expectedLockOwner` when given (else a missing job is ignored). */
export interface JobDelete {
  readonly id: string;
  readonly expectedLockOwner?: string;
}

/** History: a process instance started. */
export interface HistoricProcessStart {
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  /** @default null */
  readonly superInstanceId?: string | null;
  /** Epoch ms. */
  readonly startTime: number;
}

/** History: a process instance ended. */
export interface HistoricProcessEnd {
  readonly processInstanceId: string;
  readonly status: 'completed' | 'terminated';
  /** Epoch ms. */
  readonly endTime: number;
  /** @default null */
  readonly reason?: string | null;
}

/** History: an activity instance started. */
export interface HistoricActivityStart {
  readonly activityInstanceId: string;
  readonly processInstanceId: string;
  readonly elementId: string;
  readonly elementType: string;
  /** @default null */
  readonly elementName?: string | null;
  readonly parentActivityInstanceId: string;
  /** Epoch ms. */
  readonly startTime: number;
}

/** History: an activity instance ended. */
export interface HistoricActivityEnd {
  readonly activityInstanceId: string;
  /** Epoch ms. */
  readonly endTime: number;
  readonly canceled: boolean;
}

/** History: a variable was set. */
export interface HistoricVariableUpdate {
  readonly processInstanceId: string;
  readonly scopeId: string;
  readonly name: string;
  readonly value: JsonValue;
  /** Epoch ms. */
  readonly time: number;
}

/**
 * History rows of one commit. History is append-only: a row is inserted when a thing
 * starts and its end columns are filled once when it ends; nothing is deleted. An end
 * whose start row is missing (history written at a lower level) is ignored.
 */
export interface HistoryWrites {
  readonly processStarts?: readonly HistoricProcessStart[];
  readonly processEnds?: readonly HistoricProcessEnd[];
  readonly activityStarts?: readonly HistoricActivityStart[];
  readonly activityEnds?: readonly HistoricActivityEnd[];
  readonly variableUpdates?: readonly HistoricVariableUpdate[];
  readonly incidentsCreated?: readonly NewIncident[];
  readonly incidentsResolved?: readonly IncidentResolve[];
}

/**
 * Everything one {@link Store.commit} applies, in one transaction. Several instances
 * may be written at once (group commit). Apply order (so that a thing created and
 * ended in the same batch works): instances (in the given order); inserts (external
 * tasks, user tasks, incidents, jobs, subscriptions); external task and job updates;
 * deletes (external tasks, user tasks, jobs, subscriptions) and incident resolves;
 * variable upserts, then variable deletes; history starts, then history ends and
 * variable updates. All arrays are optional.
 *
 * The result is the same as applying the rows one by one in array order, guards
 * included; how they are sent differs per database. PostgreSQL: one statement per table
 * (not per row) for inserts, guarded updates and deletes, and the writes no guard or
 * later write depends on (history, variables, most inserts) together in one last
 * statement, sent after every guard was checked: a start command takes 4 round trips
 * including BEGIN and COMMIT, whatever the number of rows or instances. SQLite: one
 * prepared single-row statement per row (in-process, that is faster than multi-row
 * statements). When a batch holds several faulty writes, which error is reported may
 * differ between the databases; the batch fails as a whole either way.
 */
export interface WriteBatch {
  readonly instances?: readonly InstanceWrite[];
  readonly externalTaskInserts?: readonly NewExternalTask[];
  readonly externalTaskUpdates?: readonly ExternalTaskUpdate[];
  readonly externalTaskDeletes?: readonly ExternalTaskDelete[];
  readonly userTaskInserts?: readonly NewUserTask[];
  /** Activity instance ids; missing rows are ignored. */
  readonly userTaskDeletes?: readonly string[];
  readonly incidentInserts?: readonly NewIncident[];
  readonly incidentResolves?: readonly IncidentResolve[];
  readonly variableUpserts?: readonly VariableWrite[];
  readonly variableDeletes?: readonly VariableDelete[];
  readonly jobInserts?: readonly NewJob[];
  readonly jobUpdates?: readonly JobUpdate[];
  readonly jobDeletes?: readonly JobDelete[];
  /** Applied with the other inserts (before the deletes). */
  readonly subscriptionInserts?: readonly NewSubscription[];
  /** Subscription ids; missing rows are ignored. Applied after the inserts, so an id inserted in the same batch is deleted. */
  readonly subscriptionDeletes?: readonly string[];
  readonly history?: HistoryWrites;
}

// ---------------------------------------------------------------------------------------
// Claiming work

/** One topic of a {@link FetchAndLockRequest}. */
export interface FetchTopic {
  readonly topicName: string;
  /** Lock duration, ms (> 0). */
  readonly lockDuration: number;
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly processDefinitionId?: string;
  readonly businessKey?: string;
  /**
   * Only tasks whose process instance has process variables (variables of the instance's
   * root scope) equal to these values (Camunda's `processVariables` filter). Values are
   * compared as their JSON text in the claim statement: exact for strings, numbers,
   * booleans and null; objects and arrays match only with the same key order.
   */
  readonly processVariables?: Readonly<Record<string, JsonValue>>;
}

/** Input of {@link Store.fetchAndLock} (Camunda 7's `POST /external-task/fetchAndLock`). */
export interface FetchAndLockRequest {
  readonly workerId: string;
  /** At most this many tasks (≥ 0). */
  readonly maxTasks: number;
  /** Order by priority (desc) first. @default false */
  readonly usePriority?: boolean;
  /** At least one. */
  readonly topics: readonly FetchTopic[];
  /** Current time, epoch ms. */
  readonly now: number;
  /**
   * Order by created time (after priority, with `usePriority`): `asc` oldest first,
   * `desc` newest first (Camunda's fetchAndLock `sorting` by `createTime`). Ties by id in
   * the same direction. @default 'asc'
   */
  readonly order?: 'asc' | 'desc';
}

/** Options of {@link Store.deleteDeployment}. */
export interface DeleteDeploymentOptions {
  /**
   * Also delete the process instances of the deployment's definitions that still run,
   * the instances they called (recursively), all their runtime rows (external and user
   * tasks, jobs, subscriptions, incidents, variables) and their history. @default false
   */
  readonly cascade?: boolean;
}

/** Result of {@link Store.deleteDeployment}. */
export interface DeploymentDeletion {
  readonly deploymentId: string;
  /** The deleted process definitions (ids). */
  readonly processDefinitionIds: readonly string[];
  /** Process instance rows deleted (ended ones, and with `cascade` running ones and the instances they called). */
  readonly deletedInstances: number;
  /** Process instances whose history was deleted (`cascade` only; else 0). */
  readonly deletedHistoricInstances: number;
}

/** Input of {@link Store.acquireJobs}. */
export interface AcquireJobsRequest {
  readonly lockOwner: string;
  /** At most this many jobs (≥ 0). */
  readonly maxJobs: number;
  /** Lock duration, ms (> 0). */
  readonly lockDuration: number;
  /** Current time, epoch ms; jobs with `dueTime <= now` are due. */
  readonly now: number;
  /** Only these job types. @default all */
  readonly types?: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Options

/**
 * SQLite durability: `synchronous` with WAL journaling.
 * - `NORMAL` (default): a commit survives a crash of the process; the last commits
 *   before a power loss / OS crash may be lost (never corrupted).
 * - `FULL` / `EXTRA`: a commit survives power loss (an fsync per commit; slower).
 * - `OFF`: no fsync at all; for tests and throw-away data.
 */
export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

/** Options of {@link openStore}. URL parameters (`sqlite:x.db?synchronous=FULL`) win over these. */
export interface OpenStoreOptions {
  readonly sqlite?: {
    /** @default 'NORMAL' (URL parameter `synchronous`) */
    readonly synchronous?: SqliteSynchronous;
    /** How long a statement waits for another connection's write lock, ms. @default 5000 (URL parameter `busyTimeout`) */
    readonly busyTimeoutMs?: number;
  };
  readonly postgres?: {
    /** Pool size. @default 10 */
    readonly maxConnections?: number;
    /** Connect timeout, ms. @default 10000 */
    readonly connectionTimeoutMs?: number;
    /** Idle connections are closed after this, ms. @default 30000 */
    readonly idleTimeoutMs?: number;
    /** Called with errors of idle pooled connections (server restart …). @default ignore */
    readonly onIdleError?: (error: Error) => void;
  };
}

// ---------------------------------------------------------------------------------------
// The store

/**
 * The storage contract. Every method is async and may reject with a ProcosError of
 * {@link StoreErrors}: PROCOS_STORE_BAD_ARGUMENT for invalid input,
 * PROCOS_STORE_BUSY / _UNAVAILABLE / _DATABASE_ERROR for database trouble,
 * PROCOS_STORE_CLOSED after {@link Store.close}. `get…` resolves to `null` when nothing
 * matches. Lists are ordered as their filter type says and paged with {@link Page}.
 */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly kind: 'sqlite' | 'postgres';
  /** Schema version of the open database (the newest this code knows). */
  readonly schemaVersion: number;

  /**
   * Deploys resources and processes. Per process key, a new version (latest + 1) is
   * created only when `hash` differs from the latest version's; when no process
   * changed, nothing is written and the existing definitions are returned with
   * `duplicate: true`. Concurrent deploys of one key are serialized (never two equal
   * versions). Non-process resources do not count for the duplicate check.
   * @throws PROCOS_STORE_DEPLOYMENT_INVALID no resources, a duplicate resource name or
   *   process key, or a process naming a missing resource.
   */
  deploy(input: DeployInput): Promise<DeployResult>;
  getDeployment(id: string): Promise<DeploymentRecord | null>;
  listDeployments(filter?: DeploymentFilter, page?: Page): Promise<DeploymentRecord[]>;
  countDeployments(filter?: DeploymentFilter): Promise<number>;
  /**
   * Deletes a deployment with its resources and process definitions (and the jobs of
   * those definitions: timer start events), in one transaction. The process instances
   * of its definitions that have ended are deleted too (their history is kept); running
   * ones refuse the deletion unless `cascade`, which deletes them, the instances they
   * called (recursively), every runtime row of those instances, and their history.
   * On PostgreSQL the definitions are locked first (`FOR UPDATE`), so an instance being
   * started at the same time either counts as running or fails (its definition is gone).
   * @throws PROCOS_STORE_DEPLOYMENT_NOT_FOUND no deployment has this id.
   * @throws PROCOS_STORE_DEPLOYMENT_IN_USE instances of its definitions run and `cascade`
   *   is not set; nothing was deleted (details: deploymentId, processDefinitionId,
   *   runningInstances — of the first definition with running instances).
   */
  deleteDeployment(id: string, options?: DeleteDeploymentOptions): Promise<DeploymentDeletion>;
  getResource(deploymentId: string, name: string): Promise<ResourceRecord | null>;
  /** All resources of a deployment, by name. */
  listResources(deploymentId: string): Promise<ResourceRecord[]>;
  getProcessDefinition(id: string): Promise<ProcessDefinitionRecord | null>;
  /** The highest version of a key, or null. */
  getLatestProcessDefinition(key: string): Promise<ProcessDefinitionRecord | null>;
  listProcessDefinitions(filter?: ProcessDefinitionFilter, page?: Page): Promise<ProcessDefinitionRecord[]>;
  countProcessDefinitions(filter?: ProcessDefinitionFilter): Promise<number>;

  /**
   * Tells the other processes sharing this database that external tasks of `topics` may
   * have become fetchable (created, unlocked, retries set), so that their waiting long
   * polls fetch again at once. PostgreSQL: `NOTIFY procos_topics` (delivered to every
   * listener, this process's included: `origin` tells them apart); SQLite: nothing (one
   * process serves a database file). Best effort: the caller's writes are committed
   * already.
   * @throws PROCOS_STORE_UNAVAILABLE / _DATABASE_ERROR when the notification cannot be sent.
   */
  notifyTopics(topics: readonly string[], origin: string): Promise<void>;
  /**
   * Calls `onTopics` for every {@link Store.notifyTopics} of any process (this one's
   * included), with its topics and origin; with `topics` null when all topics must be
   * assumed (too many topics for one notification, or notifications were missed while
   * the listening connection was made again). SQLite: never calls it.
   * @returns a function that stops listening (also stopped by {@link Store.close}).
   */
  listenTopics(onTopics: (topics: readonly string[] | null, origin: string | null) => void): Promise<() => Promise<void>>;

  /** An instance with its state and revision (what the runtime loads before a command). */
  getInstance(id: string): Promise<InstanceRecord | null>;
  /**
   * Several instances with their state, in one query: those of `ids` that exist, in no
   * particular order (an id named twice is returned once).
   */
  getInstances(ids: readonly string[]): Promise<InstanceRecord[]>;
  /** Instances without state. */
  listInstances(filter?: InstanceFilter, page?: Page): Promise<InstanceSummary[]>;
  countInstances(filter?: InstanceFilter): Promise<number>;

  /**
   * Applies a {@link WriteBatch} in one transaction: all of it or nothing. The runtime
   * builds the batch from the engine's effects (one row write per effect) and guards
   * the instance by the revision it loaded.
   * @example
   * // complete external task `et` (locked by `workerId`) of instance `inst` (loaded with revision r)
   * const { state, effects } = execute(model, inst.state, { type: 'completeExternalTask', … }, ctx);
   * await store.commit({
   *   instances: [{ kind: 'update', id: inst.id, expectedRevision: inst.revision, status: state.status, state, endTime }],
   *   externalTaskDeletes: [{ id: et.id, expectedWorkerId: workerId }],
   *   externalTaskInserts: [...],            // externalTaskCreated effects
   *   variableUpserts: [...],                // variableSet effects
   *   history: { activityStarts: [...], activityEnds: [...], variableUpdates: [...], processEnds: [...] },
   * });
   * @throws PROCOS_STORE_REVISION_CONFLICT an update's `expectedRevision` is stale (reload, re-run, retry).
   * @throws PROCOS_STORE_INSTANCE_NOT_FOUND an update names no instance.
   * @throws PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT / _EXTERNAL_TASK_NOT_FOUND a guarded external task write failed.
   * @throws PROCOS_STORE_JOB_LOCK_CONFLICT / _JOB_NOT_FOUND a guarded job write failed.
   * @throws PROCOS_STORE_INCIDENT_NOT_FOUND / _INCIDENT_ALREADY_RESOLVED a resolve found no open incident.
   * @throws PROCOS_STORE_ALREADY_EXISTS an insert's id exists; PROCOS_STORE_REFERENCE_MISSING
   *   a row names a missing instance or definition (a subscription, a missing instance).
   * @throws PROCOS_STORE_BUSY the database stayed locked (SQLite busy timeout) or a deadlock
   *   was broken (PostgreSQL, e.g. two group commits touching the same rows): retry.
   */
  commit(batch: WriteBatch): Promise<void>;

  /**
   * Claims up to `maxTasks` fetchable tasks of the given topics in one statement and
   * locks them for `workerId` until `now + lockDuration` (of the task's topic).
   * Fetchable: not suspended; retries null or > 0; no lock or lock expired
   * (`lockExpirationTime <= now`); `retryAfterTime` null or `<= now`; and the topic's
   * filters (including `processVariables`). Order: priority desc (with `usePriority`), then created
   * time and id, ascending or (`order: 'desc'`) descending.
   * Two concurrent calls never get the same task.
   * @returns the locked tasks, in that order.
   * @throws PROCOS_STORE_BAD_ARGUMENT no topics, `maxTasks` < 0, `lockDuration` <= 0.
   */
  fetchAndLock(request: FetchAndLockRequest): Promise<ExternalTaskRecord[]>;
  getExternalTask(id: string): Promise<ExternalTaskRecord | null>;
  /**
   * An external task and its process instance (with state), in one call (what the
   * runtime needs to complete a task); null when the task does not exist, `instance` null
   * when its instance does not. One statement (a join), so one consistent read.
   */
  getExternalTaskWithInstance(id: string): Promise<{ task: ExternalTaskRecord; instance: InstanceRecord | null } | null>;
  listExternalTasks(filter?: ExternalTaskFilter, page?: Page): Promise<ExternalTaskRecord[]>;
  countExternalTasks(filter?: ExternalTaskFilter): Promise<number>;
  /**
   * Sets the lock of a task to `now + newDuration` (ms), only for the worker holding an
   * active lock.
   * @throws PROCOS_STORE_EXTERNAL_TASK_NOT_FOUND, PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT
   *   (another worker, or no active lock).
   */
  extendLock(id: string, workerId: string, newDuration: number, now: number): Promise<void>;
  /**
   * Locks one task by id for `workerId` until `now + lockDuration` (Camunda's
   * `POST /external-task/{id}/lock`), in one guarded statement: when it is not locked, its
   * lock has expired (`lockExpirationTime <= now`), or `workerId` already holds it (the
   * lock is then renewed from now). Retries and retry timeout are not checked.
   * @returns the task as locked.
   * @throws PROCOS_STORE_EXTERNAL_TASK_NOT_FOUND no task has this id.
   * @throws PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT another worker holds an active lock
   *   (details: externalTaskId, workerId, lockedBy, lockExpirationTime).
   * @throws PROCOS_STORE_BAD_ARGUMENT empty worker id, `lockDuration` <= 0.
   */
  lockExternalTask(id: string, workerId: string, lockDuration: number, now: number): Promise<ExternalTaskRecord>;
  /** Releases the lock (worker id and expiration cleared). @throws PROCOS_STORE_EXTERNAL_TASK_NOT_FOUND */
  unlock(id: string): Promise<void>;
  /** Sets retries (≥ 0, or null). @throws PROCOS_STORE_EXTERNAL_TASK_NOT_FOUND, PROCOS_STORE_BAD_ARGUMENT */
  setExternalTaskRetries(id: string, retries: number | null): Promise<void>;

  getUserTask(id: string): Promise<UserTaskRecord | null>;
  listUserTasks(filter?: UserTaskFilter, page?: Page): Promise<UserTaskRecord[]>;
  countUserTasks(filter?: UserTaskFilter): Promise<number>;
  /**
   * Sets (claim) or clears (unclaim: null) a user task's assignee. Unconditional: the
   * caller checks who may claim.
   * @throws PROCOS_STORE_USER_TASK_NOT_FOUND no user task has this id.
   * @throws PROCOS_STORE_BAD_ARGUMENT an empty assignee.
   */
  setUserTaskAssignee(id: string, assignee: string | null): Promise<void>;

  /** An event subscription by id. Schema v2. */
  getSubscription(id: string): Promise<SubscriptionRecord | null>;
  /**
   * Event subscriptions, e.g. for a message correlation `{ eventType: 'message', name,
   * correlationKey }` or a signal broadcast `{ eventType: 'signal', name }`; ordered by
   * created time then id.
   */
  listSubscriptions(filter?: SubscriptionFilter, page?: Page): Promise<SubscriptionRecord[]>;
  countSubscriptions(filter?: SubscriptionFilter): Promise<number>;

  getIncident(id: string): Promise<IncidentRecord | null>;
  listIncidents(filter?: IncidentFilter, page?: Page): Promise<IncidentRecord[]>;
  countIncidents(filter?: IncidentFilter): Promise<number>;
  /** Sets or clears (null) an incident's annotation. @throws PROCOS_STORE_INCIDENT_NOT_FOUND */
  setIncidentAnnotation(id: string, annotation: string | null): Promise<void>;

  getVariable(scopeId: string, name: string): Promise<VariableRecord | null>;
  listVariables(filter?: VariableFilter, page?: Page): Promise<VariableRecord[]>;
  countVariables(filter?: VariableFilter): Promise<number>;

  /**
   * Claims up to `maxJobs` due jobs (`dueTime <= now`, unlocked or lock expired,
   * retries null or > 0) in one statement, ordered by due time then id, and locks them
   * for `lockOwner` until `now + lockDuration`.
   * @throws PROCOS_STORE_BAD_ARGUMENT `maxJobs` < 0, `lockDuration` <= 0.
   */
  acquireJobs(request: AcquireJobsRequest): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord | null>;
  listJobs(filter?: JobFilter, page?: Page): Promise<JobRecord[]>;
  countJobs(filter?: JobFilter): Promise<number>;

  getHistoricProcessInstance(id: string): Promise<HistoricProcessInstanceRecord | null>;
  listHistoricProcessInstances(filter?: HistoricProcessInstanceFilter, page?: Page): Promise<HistoricProcessInstanceRecord[]>;
  countHistoricProcessInstances(filter?: HistoricProcessInstanceFilter): Promise<number>;
  listHistoricActivityInstances(filter?: HistoricActivityInstanceFilter, page?: Page): Promise<HistoricActivityInstanceRecord[]>;
  countHistoricActivityInstances(filter?: HistoricActivityInstanceFilter): Promise<number>;
  listHistoricVariableUpdates(filter?: HistoricVariableUpdateFilter, page?: Page): Promise<HistoricVariableUpdateRecord[]>;
  countHistoricVariableUpdates(filter?: HistoricVariableUpdateFilter): Promise<number>;
  listHistoricIncidents(filter?: HistoricIncidentFilter, page?: Page): Promise<HistoricIncidentRecord[]>;
  countHistoricIncidents(filter?: HistoricIncidentFilter): Promise<number>;

  /** Closes the database (SQLite) or drains the pool (PostgreSQL). Idempotent. */
  close(): Promise<void>;
}
