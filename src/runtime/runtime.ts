/**
 * The runtime: applies commands to process instances durably.
 *
 * Every command loads the instance (state + revision), runs the pure engine to the next
 * wait states, and commits the new state with everything its effects imply (external
 * and user tasks, incidents, variables, history) in ONE store transaction guarded by the
 * revision. A revision conflict (another command changed the instance meanwhile)
 * reloads and re-runs the command. External tasks follow Camunda 7's semantics
 * (docs "External Tasks"; REST "Fetch and Lock", "Complete", "Handle Failure",
 * "Handle BPMN Error", "Extend Lock", "Unlock", "Set Retries").
 */
import { createHash } from 'node:crypto';
import { ProcosError, isProcosError } from '../common/errors.js';
import { newUuidV7 } from '../common/ids.js';
import type { JsonValue, Variables } from '../common/json.js';
import { nextCycle, scheduleTimer, validateModel, visibleVariables } from '../engine/index.js';
import type { Command, InstanceState } from '../engine/index.js';
import { compileBpmn, formatProblem } from '../model/index.js';
import type { Problem } from '../model/index.js';
import type { ProcessModel } from '../model/index.js';
import { StoreErrors } from '../store/index.js';
import type { DeployResult, ExternalTaskRecord, InstanceRecord, JobRecord, ProcessDefinitionRecord, Store } from '../store/index.js';
import { newBatch, toWriteBatch } from './batch.js';
import { runStep } from './step.js';
import type { StepDeps, Work } from './step.js';
import type { ScriptLimits } from './scripts.js';
import type { BatchBuilder } from './batch.js';
import { RuntimeErrors } from './errors.js';
import { ModelCache } from './model-cache.js';
import { TopicNotifier } from './notifier.js';

/** Options of {@link Runtime}. */
export interface RuntimeOptions {
  /** Current time, epoch ms. @default Date.now */
  clock?: () => number;
  /** New unique ids. @default UUID version 7 (time-ordered, so ids sort by creation) */
  newId?: () => string;
  /** Largest BPMN resource accepted, bytes. @default 10 MiB */
  maxBpmnBytes?: number;
  /** How often a command is re-run after revision conflicts before giving up. @default 50 */
  maxConflictRetries?: number;
  /** Limits of script tasks' JavaScript. @default 1000 ms, 32 MiB */
  scriptLimits?: ScriptLimits;
  /** This runtime's id as job lock owner and as the origin of its topic notifications. @default a new unique id */
  nodeId?: string;
  /**
   * Called with errors of background work that has no caller to answer: sending or
   * listening to topic notifications across processes (PostgreSQL). @default ignore them
   */
  onBackgroundError?: (error: unknown) => void;
}

/** Input of {@link Runtime.correlateMessage} (Camunda 7 CorrelationMessageDto). */
export interface MessageCorrelationInput {
  messageName: string;
  businessKey?: string;
  processInstanceId?: string;
  /** Process variables that must equal these values. */
  correlationKeys?: Variables;
  /** Zeebe-style correlation key of the subscription. */
  correlationKey?: string;
  /** Variables set on delivery. */
  processVariables?: Variables;
  /** Correlate to every match. @default false */
  all?: boolean;
}

/** One delivery of a message. */
export interface MessageCorrelationResult {
  resultType: 'Execution' | 'ProcessDefinition';
  processInstanceId: string;
  processDefinitionId: string;
  activityId: string;
}

/** Input of {@link Runtime.correlateMessageWithResult}: {@link MessageCorrelationInput} with the rest of Camunda 7's CorrelationMessageDto. */
export interface MessageCorrelationRequest extends MessageCorrelationInput {
  /**
   * Local variables of the waiting activity instance (the subscription's) that must
   * equal these values (Camunda `localCorrelationKeys`). Like `correlationKeys`, they
   * rule out message start events.
   */
  localCorrelationKeys?: Variables;
  /**
   * Variables for the receiving execution (Camunda `processVariablesLocal`), set after
   * `processVariables` in the same step. ProcOS sets them where it sets the message's
   * `processVariables` (the scope that defines the name, else the process instance),
   * which is where Camunda puts them for a message waited for in the process's main
   * flow and for a message start event.
   */
  processVariablesLocal?: Variables;
  /** Only instances and definitions of this tenant. @default any tenant */
  tenantId?: string;
  /** Only instances and definitions without a tenant. @default false */
  withoutTenantId?: boolean;
}

/** One delivery of {@link Runtime.correlateMessageWithResult}, with what Camunda's MessageCorrelationResultWithVariableDto shows. */
export interface MessageDelivery extends MessageCorrelationResult {
  /** The activity instance that received the message (Camunda's execution id); null when the message started an instance. */
  activityInstanceId: string | null;
  businessKey: string | null;
  tenantId: string | null;
  /** The instance's status right after the step that delivered the message. */
  status: InstanceRecord['status'];
  /** The instance's process variables right after that step. */
  variables: Variables;
}

/** One topic of {@link Runtime.fetchAndLockFiltered}. */
export interface FilteredFetchTopicInput extends FetchTopicInput {
  /**
   * Only tasks whose process instance has process variables equal to these values
   * (Camunda `processVariables`), checked by the store's claim statement, so a task that
   * does not match is never locked.
   */
  processVariables?: Variables;
}

/** Input of {@link Runtime.fetchAndLockFiltered}: {@link FetchAndLockInput} with Camunda's `processVariables` filter and `sorting`. */
export interface FilteredFetchAndLockInput extends Omit<FetchAndLockInput, 'topics'> {
  topics: FilteredFetchTopicInput[];
  /** Order by created time (Camunda `sorting: [{sortBy: "createTime", sortOrder}]`), after priority with `usePriority`. @default 'asc' */
  createTimeOrder?: 'asc' | 'desc';
}

/** Result of {@link Runtime.deleteDeployment}. */
export interface DeletedDeployment {
  deploymentId: string;
  processDefinitionIds: readonly string[];
  deletedInstances: number;
}

/** Incident type raised when a job's retries reach 0 (Camunda 7 name). */
export const FAILED_JOB = 'failedJob';

/** Job type of timer start events (definition-level jobs). */
export const TIMER_START = 'timer-start';

/** Appends the array fields of `from` to `into` (guarded writes prepared before a step). */
function mergeBatch(into: BatchBuilder, from: BatchBuilder): void {
  const i = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(from)) if (Array.isArray(v)) (i[k] as unknown[]).push(...(v as unknown[]));
}

/** A resource to deploy. */
export interface DeployResourceInput {
  name: string;
  content: string | Uint8Array;
}

/** Input of {@link Runtime.deploy}. */
export interface DeployRequest {
  name: string;
  source?: string | null;
  tenantId?: string | null;
  resources: DeployResourceInput[];
}

/** Input of {@link Runtime.startInstance}: by definition id, or by key (latest version). */
export interface StartRequest {
  definitionId?: string;
  key?: string;
  /**
   * The process definition record itself, when the caller has just read it (saves reading
   * it again); wins over `definitionId` and `key`. It is not read again: when it was
   * deleted in between, the start fails with the store's error (PROCOS_STORE_REFERENCE_MISSING)
   * instead of PROCOS_RUNTIME_DEFINITION_NOT_FOUND.
   */
  definition?: ProcessDefinitionRecord;
  businessKey?: string | null;
  variables?: Variables;
  /** Start at this message/signal/timer start event instead of the none start event. */
  startEventId?: string;
}

/** A started instance. */
export interface StartedInstance {
  id: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  businessKey: string | null;
  status: InstanceState['status'];
  /** Process variables after the first step. */
  variables: Variables;
}

/** One topic of a {@link FetchAndLockInput}. */
export interface FetchTopicInput {
  topicName: string;
  /** ms */
  lockDuration: number;
  /** Variable names to return; undefined = all visible. */
  variables?: string[];
  /** Only the task's local variables. @default false */
  localVariables?: boolean;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionId?: string;
  businessKey?: string;
}

/** Input of {@link Runtime.fetchAndLock} (Camunda 7 FetchExternalTasksDto). */
export interface FetchAndLockInput {
  workerId: string;
  maxTasks: number;
  usePriority?: boolean;
  /** Long polling: wait up to this long for a task, ms. @default 0 (answer at once) */
  asyncResponseTimeout?: number;
  topics: FetchTopicInput[];
}

/** A locked external task with its variables. */
export interface LockedExternalTask extends ExternalTaskRecord {
  variables: Variables;
}

/** Failure report (Camunda 7 ExternalTaskFailureDto). */
export interface FailureInput {
  errorMessage?: string | null;
  errorDetails?: string | null;
  /** Remaining retries (≥ 0); 0 raises an incident `failedExternalTask`. */
  retries: number;
  /** ms before the task can be fetched again. @default 0 */
  retryTimeout?: number;
}

/** One live activity instance in an {@link ActivityInstanceTree}. */
export interface ActivityTreeNode {
  /** Activity instance id (the process instance id for the root). */
  id: string;
  /** Enclosing activity instance id; null for the root. */
  parentId: string | null;
  /** BPMN element id (the process id for the root). */
  elementId: string;
  elementName: string | null;
  /** BPMN element kind (`serviceTask`, `subProcess` …); `processDefinition` for the root. */
  elementType: string;
  /** Open incidents of this activity instance. */
  incidentIds: string[];
  children: ActivityTreeNode[];
}

/** Result of {@link Runtime.activityInstanceTree}. */
export interface ActivityInstanceTree {
  processInstanceId: string;
  processDefinitionId: string;
  status: InstanceRecord['status'];
  root: ActivityTreeNode;
}

/** Incident type raised when an external task's retries reach 0 (Camunda 7 name). */
export const FAILED_EXTERNAL_TASK = 'failedExternalTask';

const MAX_LONG_POLL_MS = 1_800_000;

/** Resource names compiled as BPMN at deploy (as Camunda 7 recognises them). */
export function isBpmnResourceName(name: string): boolean {
  return /\.bpmn(20)?(\.xml)?$/i.test(name);
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function ensureInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, `${field} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

/**
 * The durable runtime over one {@link Store}. Safe to use from many concurrent callers;
 * several runtimes (processes, nodes) may share one PostgreSQL store.
 */
export class Runtime {
  readonly store: Store;
  readonly notifier = new TopicNotifier();
  private readonly models: ModelCache;
  private readonly clock: () => number;
  private readonly newId: () => string;
  private readonly maxBpmnBytes: number | undefined;
  private readonly maxConflictRetries: number;
  private readonly scriptLimits: ScriptLimits;
  private closed = false;
  private jobTimer: ReturnType<typeof setTimeout> | undefined;
  /** This runtime's id as a job lock owner. */
  readonly nodeId: string;

  constructor(store: Store, options: RuntimeOptions = {}) {
    this.store = store;
    this.models = new ModelCache(store);
    this.clock = options.clock ?? Date.now;
    this.newId = options.newId ?? newUuidV7;
    this.maxBpmnBytes = options.maxBpmnBytes;
    this.maxConflictRetries = options.maxConflictRetries ?? 50;
    this.scriptLimits = options.scriptLimits ?? {};
    this.nodeId = options.nodeId ?? `node-${newUuidV7()}`;
    const onError = options.onBackgroundError ?? ((): void => undefined);
    // Long polls in other processes sharing the database (PostgreSQL) learn of tasks
    // created here, and this process's of theirs: NOTIFY/LISTEN through the store.
    // The topics of one event-loop turn go out together: one notification for many commits.
    const pending = new Set<string>();
    this.notifier.publish = (topics) => {
      if (pending.size === 0) {
        setImmediate(() => {
          const all = [...pending];
          pending.clear();
          this.store.notifyTopics(all, this.nodeId).catch(onError);
        });
      }
      for (const t of topics) pending.add(t);
    };
    this.stopListening = this.store
      .listenTopics((topics, origin) => {
        if (origin !== this.nodeId) this.notifier.receive(topics);
      })
      .catch((e: unknown) => {
        onError(e);
        return async () => undefined;
      });
  }

  /** Stops this runtime's topic listener (resolved once listening started or failed). */
  private readonly stopListening: Promise<() => Promise<void>>;

  /** Current time of this runtime's clock, epoch ms. */
  now(): number {
    return this.clock();
  }

  // ------------------------------------------------------------------ deploy

  /**
   * Compiles and deploys resources. BPMN resources (`.bpmn`, `.bpmn20.xml`) are compiled
   * and checked (expressions included) before anything is stored; other resources are
   * stored as they are. Per process key a new version is created only when its resource
   * changed; an unchanged redeploy returns the existing definitions (`duplicate`).
   * @throws PROCOS_RUNTIME_DEPLOYMENT_INVALID with `details.problems` naming resource,
   *   element, line and column of every problem.
   */
  async deploy(request: DeployRequest): Promise<DeployResult> {
    this.open();
    const compiled: { resourceName: string; hash: string; model: ProcessModel }[] = [];
    const problems: Record<string, unknown>[] = [];
    for (const r of request.resources) {
      if (!isBpmnResourceName(r.name)) continue;
      try {
        const models = await compileBpmn(r.content, { file: r.name, ...(this.maxBpmnBytes !== undefined ? { maxBytes: this.maxBpmnBytes } : {}) });
        const hash = sha256(r.content);
        for (const m of models) {
          const exprProblems = validateModel(m);
          for (const p of exprProblems) problems.push({ resource: r.name, ...p, message: `${r.name}: ${p.message}` });
          compiled.push({ resourceName: r.name, hash, model: m });
        }
      } catch (e) {
        if (!isProcosError(e)) throw e;
        const list = (e.details.problems as Problem[] | undefined) ?? [{ code: e.code, message: e.message }];
        for (const p of list) problems.push({ resource: r.name, ...p, message: formatProblem({ ...p, file: r.name }) });
      }
    }
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new ProcosError(RuntimeErrors.DEPLOYMENT_INVALID, `deployment "${request.name}" refused: ${String(first.message)}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`, { problems });
    }
    const result = await this.store.deploy({
      name: request.name,
      source: request.source ?? null,
      tenantId: request.tenantId ?? null,
      resources: request.resources,
      processes: compiled.map((c) => ({ key: c.model.id, name: c.model.name ?? null, versionTag: c.model.versionTag ?? null, resourceName: c.resourceName, hash: c.hash })),
      time: this.clock(),
    });
    result.definitions.forEach((d, i) => this.models.put(d.id, compiled[i]!.model));
    if (!result.duplicate) await this.scheduleTimerStarts(result.definitions.filter((d) => d.deploymentId === result.deployment.id));
    return result;
  }

  /** The compiled model of a definition (cached). @throws PROCOS_RUNTIME_DEFINITION_NOT_FOUND */
  model(definitionId: string): Promise<ProcessModel> {
    return this.models.get(definitionId);
  }

  // ------------------------------------------------------------------ instances

  /**
   * Starts a process instance and runs it to its first wait states. A `correlationId`
   * process variable is created (the process instance id) unless one is given.
   * @throws PROCOS_RUNTIME_DEFINITION_NOT_FOUND
   */
  async startInstance(request: StartRequest): Promise<StartedInstance> {
    this.open();
    const def = await this.definition(request);
    const id = this.newId();
    const variables: Variables = { ...(request.variables ?? {}) };
    if (variables.correlationId === undefined) variables.correlationId = id;
    const states = await this.step({
      kind: 'start',
      def,
      command: { type: 'start', processInstanceId: id, businessKey: request.businessKey ?? null, variables, ...(request.startEventId !== undefined ? { startEventId: request.startEventId } : {}) },
    });
    const state = states.get(id)!;
    return {
      id,
      processDefinitionId: def.id,
      processDefinitionKey: def.key,
      businessKey: state.businessKey,
      status: state.status,
      variables: visibleVariables(state, id, true),
    };
  }

  private async definition(request: StartRequest): Promise<ProcessDefinitionRecord> {
    if (request.definition !== undefined) return request.definition;
    if (request.definitionId !== undefined) {
      const d = await this.store.getProcessDefinition(request.definitionId);
      if (d === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `process definition ${request.definitionId} does not exist`, { id: request.definitionId });
      return d;
    }
    if (request.key !== undefined) {
      const d = await this.store.getLatestProcessDefinition(request.key);
      if (d === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `no process definition with key "${request.key}" is deployed`, { key: request.key });
      return d;
    }
    throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'start needs a process definition id or key', { field: 'key' });
  }

  /** The instance record. @throws PROCOS_RUNTIME_INSTANCE_NOT_FOUND */
  async getInstance(id: string): Promise<InstanceRecord> {
    const rec = await this.store.getInstance(id);
    if (rec === null) throw new ProcosError(RuntimeErrors.INSTANCE_NOT_FOUND, `process instance ${id} does not exist`, { processInstanceId: id });
    return rec;
  }

  /** Cancels a running instance: every token, task and engine incident is removed; history keeps it as terminated. */
  async cancelInstance(id: string, reason?: string): Promise<void> {
    await this.onInstance(id, () => ({ command: { type: 'cancel', ...(reason !== undefined ? { reason } : {}) } }));
  }

  /** Sets process variables (or local ones of an activity instance). */
  async setVariables(id: string, variables: Variables, activityInstanceId?: string): Promise<void> {
    await this.onInstance(id, () => ({ command: { type: 'setVariables', variables, ...(activityInstanceId !== undefined ? { activityInstanceId } : {}) } }));
  }

  /**
   * Runs `prepare` → engine → commit for one instance, re-running all of it after a
   * revision conflict. `prepare` may add guarded writes (e.g. the completed external
   * task's delete) to the batch.
   */
  private async onInstance(id: string, prepare: (rec: InstanceRecord, b: BatchBuilder) => { command: Command } | Promise<{ command: Command }>): Promise<InstanceState> {
    this.open();
    let command: Command | undefined;
    const states = await this.step(
      async () => {
        const rec = await this.getInstance(id);
        const guards = newBatch();
        command = (await prepare(rec, guards)).command;
        return { work: { kind: 'command', instanceId: id, command, record: rec }, guards };
      },
    );
    return states.get(id) ?? (await this.getInstance(id)).state as unknown as InstanceState;
  }

  /**
   * Runs one durable step (see step.ts) and commits it, re-running it after a revision
   * conflict. `work` is either fixed or built anew for each attempt (with guarded writes
   * to add to the batch).
   * @returns the final states of the instances the step touched.
   */
  private async step(work: Work | (() => Promise<{ work: Work; guards?: BatchBuilder }>)): Promise<Map<string, InstanceState>> {
    for (let attempt = 0; ; attempt++) {
      const built = typeof work === 'function' ? await work() : { work };
      const { batch, states } = await runStep(this.stepDeps, built.work, (b) => {
        if (built.guards !== undefined) mergeBatch(b, built.guards);
      });
      try {
        await this.commit(batch);
        return states;
      } catch (e) {
        if ((isProcosError(e, StoreErrors.REVISION_CONFLICT) || isProcosError(e, StoreErrors.BUSY)) && attempt < this.maxConflictRetries) continue;
        if (isProcosError(e, StoreErrors.REVISION_CONFLICT)) {
          throw new ProcosError(RuntimeErrors.CONFLICT, `a process instance kept changing concurrently; gave up after ${attempt + 1} attempts`, { attempts: attempt + 1 }, { cause: e });
        }
        throw e;
      }
    }
  }

  private get stepDeps(): StepDeps {
    return { store: this.store, model: (id) => this.models.get(id), now: () => this.clock(), newId: this.newId, scriptLimits: this.scriptLimits };
  }

  /** Commits a batch, resolving incidents of interrupted external tasks, then wakes fetchers. */
  private async commit(b: BatchBuilder): Promise<void> {
    for (const taskId of b.removedTasks) {
      for (const inc of await this.store.listIncidents({ externalTaskId: taskId, open: true })) b.incidentResolves.push({ id: inc.id, time: this.clock() });
    }
    await this.store.commit(toWriteBatch(b));
    if (b.topics.size > 0) this.notifier.notify(b.topics);
    if (b.jobDue.length > 0) this.onJobsCreated?.(Math.min(...b.jobDue));
  }

  /** Called after a commit that created jobs, with the earliest due time (the job executor listens). */
  onJobsCreated: ((dueTime: number) => void) | undefined;

  // ------------------------------------------------------------------ external tasks

  /**
   * Fetches and locks up to `maxTasks` tasks of the given topics for `workerId`, in one
   * store statement. With `asyncResponseTimeout`, waits (long polling) until a task is
   * available or the time is up; a waiting request is woken as soon as a task of its
   * topics is created, unlocked or given retries — never by sleeping.
   * @returns the locked tasks with their variables (all visible ones, or those named).
   */
  async fetchAndLock(input: FetchAndLockInput, signal?: AbortSignal): Promise<LockedExternalTask[]> {
    return this.fetchAndLockFiltered(input, signal);
  }

  private async withVariables(rows: ExternalTaskRecord[], topics: FetchTopicInput[]): Promise<LockedExternalTask[]> {
    const byTopic = new Map(topics.map((t) => [t.topicName, t]));
    const states = new Map<string, InstanceState>();
    if (rows.length > 0) for (const rec of await this.store.getInstances(rows.map((r) => r.processInstanceId))) states.set(rec.id, rec.state as unknown as InstanceState);
    const out: LockedExternalTask[] = [];
    for (const r of rows) {
      const state = states.get(r.processInstanceId) ?? null;
      const t = byTopic.get(r.topic);
      let vars: Record<string, JsonValue> = state === null ? {} : visibleVariables(state, r.activityInstanceId, t?.localVariables === true);
      if (t?.variables !== undefined) {
        const picked: Record<string, JsonValue> = {};
        for (const n of t.variables) if (Object.prototype.hasOwnProperty.call(vars, n)) picked[n] = vars[n]!;
        vars = picked;
      }
      out.push({ ...r, variables: vars });
    }
    return out;
  }

  /** The external task, or a 404-coded error. */
  async getExternalTask(id: string): Promise<ExternalTaskRecord> {
    const t = await this.store.getExternalTask(id);
    if (t === null) throw this.externalTaskNotFound(id);
    return t;
  }

  private externalTaskNotFound(id: string): ProcosError {
    return new ProcosError(RuntimeErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${id} does not exist (unknown, or already completed)`, { externalTaskId: id });
  }

  /**
   * The external task, when `workerId` holds its lock (lock expiry is not checked, as in
   * Camunda). `action` words the error ("completed", "failed", …).
   * @throws PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND, PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED (naming the holder).
   */
  async lockedBy(id: string, workerId: string, action: string): Promise<ExternalTaskRecord> {
    return checkLockHolder(await this.getExternalTask(id), workerId, action);
  }

  /**
   * Completes an external task: only the worker holding its lock, and only once.
   * @throws PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND (unknown or already completed),
   *   PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED (another worker holds it, or none).
   */
  async completeExternalTask(id: string, workerId: string, variables?: Variables, localVariables?: Variables): Promise<void> {
    await this.guardedTaskCommand(id, workerId, 'completed', (t) => ({
      type: 'completeExternalTask',
      activityInstanceId: t.activityInstanceId,
      ...(variables !== undefined ? { variables } : {}),
      ...(localVariables !== undefined ? { localVariables } : {}),
    }));
  }

  /**
   * Reports a BPMN error for an external task: the nearest matching error boundary
   * event catches it; the variables are set where the catching scope can read them.
   */
  async handleExternalTaskBpmnError(id: string, workerId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    if (typeof errorCode !== 'string' || errorCode === '') throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'errorCode must be a non-empty string', { field: 'errorCode' });
    await this.guardedTaskCommand(id, workerId, 'reported as BPMN error', (t) => ({
      type: 'bpmnError',
      activityInstanceId: t.activityInstanceId,
      errorCode,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(variables !== undefined ? { variables } : {}),
    }));
  }

  private async guardedTaskCommand(id: string, workerId: string, action: string, command: (t: ExternalTaskRecord) => Command): Promise<void> {
    this.open();
    try {
      // Each attempt reads the task and its instance together and checks the lock holder;
      // the guarded delete re-checks the holder in the commit.
      await this.step(async () => {
        const read = await this.store.getExternalTaskWithInstance(id);
        if (read === null) throw this.externalTaskNotFound(id);
        const task = checkLockHolder(read.task, workerId, action);
        if (read.instance === null) {
          throw new ProcosError(RuntimeErrors.INSTANCE_NOT_FOUND, `process instance ${task.processInstanceId} does not exist`, { processInstanceId: task.processInstanceId });
        }
        const guards = newBatch();
        guards.externalTaskDeletes.push({ id, expectedWorkerId: workerId });
        return { work: { kind: 'command', instanceId: task.processInstanceId, command: command(task), record: read.instance }, guards };
      });
    } catch (e) {
      // Lost a race with another completion or a re-lock: answer as if checked first.
      if (isProcosError(e, StoreErrors.EXTERNAL_TASK_NOT_FOUND)) await this.getExternalTask(id);
      if (isProcosError(e, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT)) await this.lockedBy(id, workerId, action);
      throw e;
    }
  }

  /**
   * Reports a technical failure. The lock is released and the task can be fetched again
   * after `retryTimeout`; with `retries` 0 an incident `failedExternalTask` is raised,
   * resolved by {@link setExternalTaskRetries} (or {@link resolveIncident}).
   * @throws PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND, PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED,
   *   PROCOS_RUNTIME_BAD_ARGUMENT (retries or retryTimeout negative).
   */
  async handleExternalTaskFailure(id: string, workerId: string, failure: FailureInput): Promise<void> {
    const retries = ensureInteger(failure.retries, 'retries', 0);
    const retryTimeout = ensureInteger(failure.retryTimeout ?? 0, 'retryTimeout', 0);
    const t = await this.lockedBy(id, workerId, 'failed');
    const now = this.clock();
    const message = failure.errorMessage ?? null;
    const incidents =
      retries === 0
        ? [{ id: this.newId(), type: FAILED_EXTERNAL_TASK, message: message ?? `external task ${id} failed with no retries left`, processInstanceId: t.processInstanceId, processDefinitionId: t.processDefinitionId, activityInstanceId: t.activityInstanceId, elementId: t.elementId, externalTaskId: id, createdTime: now }]
        : [];
    await this.store.commit({
      externalTaskUpdates: [{ id, expectedWorkerId: workerId, retries, errorMessage: message, errorDetails: failure.errorDetails ?? null, releaseLock: true, retryAfterTime: retryTimeout > 0 ? now + retryTimeout : null }],
      incidentInserts: incidents,
      history: { incidentsCreated: incidents },
    });
    if (retries > 0) {
      if (retryTimeout > 0) this.notifier.notifyLater([t.topic], retryTimeout);
      else this.notifier.notify([t.topic]);
    }
  }

  /** Extends the lock of a task held by `workerId` to now + `newDuration` ms. */
  async extendLock(id: string, workerId: string, newDuration: number): Promise<void> {
    ensureInteger(newDuration, 'newDuration', 1);
    await this.lockedBy(id, workerId, 'extended');
    try {
      await this.store.extendLock(id, workerId, newDuration, this.clock());
    } catch (e) {
      if (isProcosError(e, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT)) {
        throw new ProcosError(RuntimeErrors.EXTERNAL_TASK_LOCKED, `the lock of external task ${id} held by worker "${workerId}" has expired; it cannot be extended`, { externalTaskId: id, workerId }, { cause: e });
      }
      throw e;
    }
  }

  /** Releases the lock of a task, so that any worker can fetch it at once. */
  async unlockExternalTask(id: string): Promise<void> {
    const t = await this.getExternalTask(id);
    await this.store.unlock(id);
    this.notifier.notify([t.topic]);
  }

  /**
   * Sets the retries of an external task. Retries > 0 on a task with an open
   * `failedExternalTask` incident resolve it and make the task fetchable at once.
   */
  async setExternalTaskRetries(id: string, retries: number): Promise<void> {
    ensureInteger(retries, 'retries', 0);
    const t = await this.getExternalTask(id);
    const now = this.clock();
    const open = retries > 0 ? await this.store.listIncidents({ externalTaskId: id, open: true }) : [];
    const resolves = open.map((i) => ({ id: i.id, time: now }));
    await this.store.commit({ externalTaskUpdates: [{ id, retries, retryAfterTime: null }], incidentResolves: resolves, history: { incidentsResolved: resolves } });
    if (retries > 0) this.notifier.notify([t.topic]);
  }

  // ------------------------------------------------------------------ user tasks, incidents

  /** Completes a user task with variables. @throws PROCOS_RUNTIME_USER_TASK_NOT_FOUND */
  async completeUserTask(taskId: string, variables?: Variables): Promise<void> {
    const task = await this.store.getUserTask(taskId);
    if (task === null) throw new ProcosError(RuntimeErrors.USER_TASK_NOT_FOUND, `user task ${taskId} does not exist (unknown, or already completed)`, { taskId });
    await this.onInstance(task.processInstanceId, (_rec, b) => {
      b.userTaskDeletes.push(taskId);
      return { command: { type: 'completeUserTask', activityInstanceId: taskId, ...(variables !== undefined ? { variables } : {}) } };
    });
  }

  /**
   * Reports a BPMN error for a user task (Camunda 7 `TaskService.handleBpmnError`,
   * REST `POST /task/{id}/bpmnError`): caught like an external task's error.
   * @throws PROCOS_RUNTIME_USER_TASK_NOT_FOUND
   */
  async handleUserTaskBpmnError(taskId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    if (typeof errorCode !== 'string' || errorCode === '') throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'errorCode must be a non-empty string', { field: 'errorCode' });
    const task = await this.store.getUserTask(taskId);
    if (task === null) throw new ProcosError(RuntimeErrors.USER_TASK_NOT_FOUND, `user task ${taskId} does not exist (unknown, or already completed)`, { taskId });
    await this.onInstance(task.processInstanceId, (_rec, b) => {
      b.userTaskDeletes.push(taskId);
      return { command: { type: 'bpmnError', activityInstanceId: taskId, errorCode, ...(errorMessage !== undefined ? { errorMessage } : {}), ...(variables !== undefined ? { variables } : {}) } };
    });
  }

  /**
   * Resolves an open incident by retrying what failed: a `failedExternalTask` incident
   * gives its task one retry (Camunda's "set retries"); an engine incident
   * (failed expression, no outgoing flow) re-runs the step that failed.
   * @throws PROCOS_RUNTIME_INCIDENT_NOT_FOUND
   */
  async resolveIncident(incidentId: string): Promise<void> {
    const inc = await this.store.getIncident(incidentId);
    if (inc === null || inc.resolvedTime !== null) throw new ProcosError(RuntimeErrors.INCIDENT_NOT_FOUND, `no open incident ${incidentId}`, { incidentId });
    if (inc.type === FAILED_EXTERNAL_TASK && inc.externalTaskId !== null) {
      await this.setExternalTaskRetries(inc.externalTaskId, 1);
      return;
    }
    if (inc.type === FAILED_JOB) {
      // Camunda 7: setting the job's retries resolves a failedJob incident; the job runs again now.
      const jobs = await this.store.listJobs({ processInstanceId: inc.processInstanceId });
      const job = jobs.find((j) => j.elementId === inc.elementId && (j.retries ?? 1) === 0) ?? jobs.find((j) => j.elementId === inc.elementId);
      const now = this.clock();
      const resolves = [{ id: incidentId, time: now }];
      await this.store.commit({ ...(job !== undefined ? { jobUpdates: [{ id: job.id, retries: 1, dueTime: now, releaseLock: true }] } : {}), incidentResolves: resolves, history: { incidentsResolved: resolves } });
      if (job !== undefined) this.onJobsCreated?.(now);
      return;
    }
    await this.onInstance(inc.processInstanceId, () => ({ command: { type: 'retryIncident', incidentId } }));
  }

  // ------------------------------------------------------------------ read models for the API

  /**
   * The live activity instances of a process instance as a tree (Camunda 7's "activity
   * instance tree", REST `GET /process-instance/{id}/activity-instances`). The root is
   * the process instance (`elementType` `processDefinition`); below it, the activity
   * instances that wait or hold a scope (subprocesses), each with the ids of its open
   * incidents. An ended instance has a root without children.
   * @throws PROCOS_RUNTIME_INSTANCE_NOT_FOUND
   */
  async activityInstanceTree(processInstanceId: string): Promise<ActivityInstanceTree> {
    const rec = await this.getInstance(processInstanceId);
    const model = await this.models.get(rec.processDefinitionId);
    const acts = Object.values((rec.state as unknown as InstanceState).acts ?? {});
    const nodes = new Map<string, ActivityTreeNode>();
    const root: ActivityTreeNode = { id: rec.id, parentId: null, elementId: model.id, elementName: model.name ?? null, elementType: 'processDefinition', incidentIds: [], children: [] };
    nodes.set(rec.id, root);
    for (const a of acts) {
      if (a.id === rec.id) continue;
      const node = model.nodes.get(a.el);
      nodes.set(a.id, { id: a.id, parentId: a.parent ?? rec.id, elementId: a.el, elementName: node?.name ?? null, elementType: node?.kind ?? 'unknown', incidentIds: [], children: [] });
    }
    for (const n of nodes.values()) if (n !== root) (nodes.get(n.parentId ?? rec.id) ?? root).children.push(n);
    for (const inc of await this.store.listIncidents({ processInstanceId, open: true })) (nodes.get(inc.activityInstanceId) ?? root).incidentIds.push(inc.id);
    return { processInstanceId: rec.id, processDefinitionId: rec.processDefinitionId, status: rec.status, root };
  }

  /**
   * Sets (claim) or clears (unclaim: `null`) the assignee of a user task. Unconditional,
   * like the store operation: the caller applies Camunda's rule that a task assigned to
   * someone else cannot be claimed (two concurrent claims race; the later one wins).
   * @throws PROCOS_RUNTIME_USER_TASK_NOT_FOUND (unknown, or already completed)
   */
  async setUserTaskAssignee(taskId: string, assignee: string | null): Promise<void> {
    this.open();
    try {
      await this.store.setUserTaskAssignee(taskId, assignee);
    } catch (e) {
      if (isProcosError(e, StoreErrors.USER_TASK_NOT_FOUND)) throw new ProcosError(RuntimeErrors.USER_TASK_NOT_FOUND, `user task ${taskId} does not exist (unknown, or already completed)`, { taskId }, { cause: e });
      throw e;
    }
  }

  // ------------------------------------------------------------------ lifecycle

  // ------------------------------------------------------------------ messages, signals, jobs

  /**
   * Correlates a message (Camunda 7 `POST /message`): to the waiting message
   * subscriptions of that name (filtered by business key, process instance id, Zeebe
   * correlation key, and process variables equal to `correlationKeys`), or to message
   * start events of the latest process definitions. One match, or `all`.
   * @throws PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED nothing matches;
   *   PROCOS_RUNTIME_MESSAGE_AMBIGUOUS several match and `all` is not set.
   */
  async correlateMessage(input: MessageCorrelationInput): Promise<MessageCorrelationResult[]> {
    return this.correlateMessageWithResult(input);
  }


  /**
   * Broadcasts a signal (Camunda 7 `POST /signal`): every waiting signal subscription of
   * that name, in every instance, is triggered, and every latest definition with a
   * signal start event of that name is started; all in one transaction.
   */
  async broadcastSignal(name: string, variables: Variables = {}): Promise<void> {
    this.open();
    if (typeof name !== 'string' || name === '') throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'the signal name must be a non-empty string', { field: 'name' });
    await this.step({ kind: 'signal', name, variables });
  }

  /** Completes a message-less receive task waiting at `activityInstanceId` (Camunda `runtimeService.signal`). */
  async signalActivity(processInstanceId: string, activityInstanceId: string, variables?: Variables): Promise<void> {
    await this.onInstance(processInstanceId, () => ({ command: { type: 'signalActivity', activityInstanceId, ...(variables !== undefined ? { variables } : {}) } }));
  }

  /**
   * Runs the jobs due now (timers, async continuations, timer start events), each in
   * its own step, claimed in one statement so that no two runtimes run the same job.
   * A job whose step fails is retried later (retries − 1, after 10 s); at 0 an incident
   * `failedJob` is raised.
   * @returns the number of jobs claimed.
   */
  async runDueJobs(maxJobs = 50): Promise<number> {
    this.open();
    const jobs = await this.store.acquireJobs({ lockOwner: this.nodeId, maxJobs, lockDuration: 5 * 60_000, now: this.clock() });
    for (const job of jobs) await this.runJob(job);
    return jobs.length;
  }

  private async runJob(job: JobRecord): Promise<void> {
    const guards = newBatch();
    guards.jobDeletes.push({ id: job.id, expectedLockOwner: this.nodeId });
    try {
      if (job.type === TIMER_START) {
        const payload = job.payload as { startEventId: string; repeat?: { cycle: string; remaining: number | null } } | null;
        const def = job.processDefinitionId === null ? null : await this.store.getProcessDefinition(job.processDefinitionId);
        if (def === null || payload === null) return;
        if (payload.repeat !== undefined && (payload.repeat.remaining === null || payload.repeat.remaining > 0)) {
          const r = payload.repeat;
          guards.jobInserts.push({ id: this.newId(), processInstanceId: null, processDefinitionId: def.id, elementId: payload.startEventId, type: TIMER_START, dueTime: nextCycle(r.cycle, job.dueTime), payload: { startEventId: payload.startEventId, repeat: { cycle: r.cycle, remaining: r.remaining === null ? null : r.remaining - 1 } }, createdTime: this.clock() });
        }
        const id = this.newId();
        await this.step(async () => ({ work: { kind: 'start', def, command: { type: 'start', processInstanceId: id, variables: { correlationId: id }, startEventId: payload.startEventId } }, guards }));
      } else if (job.processInstanceId !== null) {
        const command: Command = job.type === 'async' ? { type: 'continueAsync', jobId: job.id } : { type: 'trigger', subscriptionId: job.id };
        await this.step(async () => ({ work: { kind: 'command', instanceId: job.processInstanceId!, command }, guards }));
      }
    } catch (e) {
      const retries = (job.retries ?? 3) - 1;
      const now = this.clock();
      const message = e instanceof Error ? e.message : String(e);
      const incidents =
        retries <= 0 && job.processInstanceId !== null
          ? [{ id: this.newId(), type: FAILED_JOB, message, processInstanceId: job.processInstanceId, processDefinitionId: job.processDefinitionId ?? '', activityInstanceId: job.activityInstanceId ?? '', elementId: job.elementId ?? '', createdTime: now }]
          : [];
      // camunda:failedJobRetryTimeCycle (e.g. R5/PT1M) sets the wait before the next try (default 10 s).
      let dueTime = now + 10_000;
      if (job.processDefinitionId !== null && job.elementId !== null) {
        const cycle = (await this.models.get(job.processDefinitionId).catch(() => undefined))?.nodes.get(job.elementId)?.async?.retryTimeCycle;
        if (cycle !== undefined) dueTime = nextCycle(cycle, now);
      }
      await this.store.commit({ jobUpdates: [{ id: job.id, expectedLockOwner: this.nodeId, retries: Math.max(0, retries), dueTime, releaseLock: true }], incidentInserts: incidents, history: { incidentsCreated: incidents } });
    }
  }

  /** Creates the jobs of timer start events of newly deployed definitions (and removes those of the versions they replace). */
  private async scheduleTimerStarts(defs: readonly ProcessDefinitionRecord[]): Promise<void> {
    const b = newBatch();
    for (const def of defs) {
      const model = await this.models.get(def.id);
      const timers = model.eventStartIds.map((id) => model.nodes.get(id)).filter((n) => n?.kind === 'startEvent' && n.event.type === 'timer');
      for (const old of await this.store.listProcessDefinitions({ key: def.key }, { maxResults: 10_000 })) {
        if (old.id === def.id) continue;
        for (const j of await this.store.listJobs({ type: TIMER_START, processDefinitionId: old.id })) b.jobDeletes.push({ id: j.id });
      }
      for (const n of timers) {
        if (n === undefined || n.kind !== 'startEvent' || n.event.type !== 'timer') continue;
        const sch = scheduleTimer(n.event.timer.kind, n.event.timer.expr.kind === 'literal' ? n.event.timer.expr.value : null, this.clock());
        b.jobInserts.push({ id: this.newId(), processInstanceId: null, processDefinitionId: def.id, elementId: n.id, type: TIMER_START, dueTime: sch.dueTime, payload: { startEventId: n.id, ...(sch.repeat !== undefined ? { repeat: sch.repeat } : {}) }, createdTime: this.clock() });
        b.jobDue.push(sch.dueTime);
      }
    }
    if (b.jobInserts.length > 0 || b.jobDeletes.length > 0) await this.commit(b);
  }

  /**
   * Runs due jobs continuously: at the earliest due time known from commits, and every
   * `pollMs` (jobs created by other nodes). Stops with {@link close}.
   */
  startJobExecutor(options: { pollMs?: number } = {}): void {
    if (this.jobTimer !== undefined || this.closed) return;
    const poll = options.pollMs ?? 5_000;
    const loop = async (): Promise<void> => {
      this.jobTimer = undefined;
      if (this.closed) return;
      try {
        while (!this.closed && (await this.runDueJobs()) > 0);
      } catch {
        // The store may be briefly unavailable; the next round retries.
      }
      if (!this.closed) this.jobTimer = setTimeout(() => void loop(), poll);
    };
    this.onJobsCreated = (due) => {
      const delay = Math.max(0, due - this.clock());
      if (delay < poll && !this.closed) {
        if (this.jobTimer !== undefined) clearTimeout(this.jobTimer);
        this.jobTimer = setTimeout(() => void loop(), delay);
      }
    };
    this.jobTimer = setTimeout(() => void loop(), 0);
  }

  // ------------------------------------------------------------------ Camunda REST additions

  /**
   * Correlates a message like {@link correlateMessage}, with what Camunda's REST API
   * adds: `localCorrelationKeys` (local variables of the waiting activity instance),
   * `processVariablesLocal`, a tenant filter, and per delivery the receiving activity
   * instance and the instance's status and process variables right after the delivery
   * (Camunda `correlateWithResultAndVariables`). Each delivery is its own step.
   * @throws PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED nothing matches;
   *   PROCOS_RUNTIME_MESSAGE_AMBIGUOUS several match and `all` is not set;
   *   PROCOS_RUNTIME_BAD_ARGUMENT no message name.
   */
  async correlateMessageWithResult(input: MessageCorrelationRequest): Promise<MessageDelivery[]> {
    this.open();
    const name = input.messageName;
    if (typeof name !== 'string' || name === '') throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'messageName must be a non-empty string', { field: 'messageName' });
    const defs = new Map<string, ProcessDefinitionRecord | null>();
    const definitionOf = async (id: string): Promise<ProcessDefinitionRecord | null> => {
      if (!defs.has(id)) defs.set(id, await this.store.getProcessDefinition(id));
      return defs.get(id) ?? null;
    };
    const tenantOk = (tenantId: string | null): boolean => (input.tenantId === undefined || tenantId === input.tenantId) && (input.withoutTenantId !== true || tenantId === null);
    const same = (vars: Record<string, JsonValue>, keys: Variables | undefined): boolean => keys === undefined || Object.entries(keys).every(([k, v]) => JSON.stringify(vars[k]) === JSON.stringify(v));
    const found = await this.store.listSubscriptions(
      {
        eventType: 'message',
        name,
        ...(input.businessKey !== undefined ? { businessKey: input.businessKey } : {}),
        ...(input.processInstanceId !== undefined ? { processInstanceId: input.processInstanceId } : {}),
        ...(input.correlationKey !== undefined ? { correlationKey: input.correlationKey } : {}),
      },
      { maxResults: 100_000 },
    );
    const subs: { sub: (typeof found)[number]; tenantId: string | null }[] = [];
    for (const s of found) {
      const tenantId = (await definitionOf(s.processDefinitionId))?.tenantId ?? null;
      if (!tenantOk(tenantId)) continue;
      if (input.correlationKeys !== undefined || input.localCorrelationKeys !== undefined) {
        const rec = await this.store.getInstance(s.processInstanceId);
        const state = rec === null ? null : (rec.state as unknown as InstanceState);
        if (!same(state === null ? {} : visibleVariables(state, s.processInstanceId, true), input.correlationKeys)) continue;
        if (!same(state === null ? {} : visibleVariables(state, s.activityInstanceId, true), input.localCorrelationKeys)) continue;
      }
      subs.push({ sub: s, tenantId });
    }
    const starts: { def: ProcessDefinitionRecord; startEventId: string }[] = [];
    if (input.processInstanceId === undefined && input.correlationKeys === undefined && input.localCorrelationKeys === undefined) {
      for (const def of await this.store.listProcessDefinitions({ latestOnly: true }, { maxResults: 100_000 })) {
        if (!tenantOk(def.tenantId)) continue;
        const model = await this.models.get(def.id);
        for (const id of model.eventStartIds) {
          const n = model.nodes.get(id);
          if (n?.kind === 'startEvent' && n.event.type === 'message' && n.event.messageName.kind === 'literal' && n.event.messageName.value === name) starts.push({ def, startEventId: id });
        }
      }
    }
    const total = subs.length + starts.length;
    if (total === 0) throw new ProcosError(RuntimeErrors.MESSAGE_NOT_CORRELATED, `Cannot correlate message '${name}': No process definition or execution matches the parameters`, { messageName: name });
    if (total > 1 && input.all !== true) throw new ProcosError(RuntimeErrors.MESSAGE_AMBIGUOUS, `Cannot correlate message '${name}': ${total} executions or start events match the parameters; send with all=true to correlate to all of them`, { messageName: name, matches: total });
    const variables = input.processVariables === undefined && input.processVariablesLocal === undefined ? undefined : { ...(input.processVariables ?? {}), ...(input.processVariablesLocal ?? {}) };
    const results: MessageDelivery[] = [];
    for (const { sub: s, tenantId } of subs) {
      const guards = newBatch();
      guards.subscriptionDeletes.push(s.id);
      const states = await this.step(async () => ({ work: { kind: 'command', instanceId: s.processInstanceId, command: { type: 'trigger', subscriptionId: s.id, ...(variables !== undefined ? { variables } : {}) } }, guards }));
      const state = states.get(s.processInstanceId) ?? ((await this.getInstance(s.processInstanceId)).state as unknown as InstanceState);
      results.push({
        resultType: 'Execution',
        processInstanceId: s.processInstanceId,
        processDefinitionId: s.processDefinitionId,
        activityId: s.elementId,
        activityInstanceId: s.activityInstanceId,
        businessKey: state.businessKey,
        tenantId,
        status: state.status,
        variables: visibleVariables(state, s.processInstanceId, true),
      });
    }
    for (const st of starts) {
      const pi = await this.startInstance({ definition: st.def, startEventId: st.startEventId, ...(input.businessKey !== undefined ? { businessKey: input.businessKey } : {}), ...(variables !== undefined ? { variables } : {}) });
      results.push({
        resultType: 'ProcessDefinition',
        processInstanceId: pi.id,
        processDefinitionId: st.def.id,
        activityId: st.startEventId,
        activityInstanceId: null,
        businessKey: pi.businessKey,
        tenantId: st.def.tenantId,
        status: pi.status,
        variables: pi.variables,
      });
    }
    return results;
  }

  /**
   * {@link fetchAndLock} with Camunda's `processVariables` filter per topic and `sorting`
   * by created time. The filter is part of the store's claim statement (a task whose
   * instance does not match is never locked); long polling as {@link fetchAndLock}.
   */
  async fetchAndLockFiltered(input: FilteredFetchAndLockInput, signal?: AbortSignal): Promise<LockedExternalTask[]> {
    this.open();
    ensureInteger(input.maxTasks, 'maxTasks', 0);
    if (input.topics.length === 0) return [];
    for (const t of input.topics) ensureInteger(t.lockDuration, `lockDuration of topic "${t.topicName}"`, 1);
    if (input.createTimeOrder !== undefined && input.createTimeOrder !== 'asc' && input.createTimeOrder !== 'desc') {
      throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, `createTimeOrder must be 'asc' or 'desc', got ${JSON.stringify(input.createTimeOrder)}`, { field: 'createTimeOrder' });
    }
    const wait = Math.min(Math.max(0, input.asyncResponseTimeout ?? 0), MAX_LONG_POLL_MS);
    const topicNames = input.topics.map((t) => t.topicName);
    const deadline = Date.now() + wait;
    for (;;) {
      const seen = this.notifier.version(topicNames);
      const now = this.clock();
      const rows = await this.store.fetchAndLock({
        workerId: input.workerId,
        maxTasks: input.maxTasks,
        usePriority: input.usePriority ?? false,
        now,
        ...(input.createTimeOrder !== undefined ? { order: input.createTimeOrder } : {}),
        topics: input.topics.map((t) => ({
          topicName: t.topicName,
          lockDuration: t.lockDuration,
          ...(t.processDefinitionKey !== undefined ? { processDefinitionKey: t.processDefinitionKey } : {}),
          ...(t.processDefinitionKeyIn !== undefined ? { processDefinitionKeyIn: t.processDefinitionKeyIn } : {}),
          ...(t.processDefinitionId !== undefined ? { processDefinitionId: t.processDefinitionId } : {}),
          ...(t.businessKey !== undefined ? { businessKey: t.businessKey } : {}),
          ...(t.processVariables !== undefined && Object.keys(t.processVariables).length > 0 ? { processVariables: t.processVariables } : {}),
        })),
      });
      if (rows.length > 0) {
        for (const r of rows) if (r.lockExpirationTime !== null) this.notifier.notifyLater([r.topic], r.lockExpirationTime - now);
        return this.withVariables(rows, input.topics);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || input.maxTasks === 0 || signal?.aborted === true || this.closed) return [];
      // A process variable set later can make a task match: variable changes do not wake
      // this wait, so a filtered wait looks again at least every second.
      const filtered = input.topics.some((t) => t.processVariables !== undefined && Object.keys(t.processVariables).length > 0);
      await this.notifier.wait(topicNames, seen, filtered ? Math.min(remaining, 1000) : remaining, signal);
    }
  }

  /**
   * Locks one external task by id for `workerId` (Camunda `POST /external-task/{id}/lock`),
   * in one guarded store statement: when it is not locked, its lock has expired, or
   * `workerId` holds it already (the lock then runs `lockDuration` from now).
   * @returns the task as locked.
   * @throws PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND, PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED
   *   (another worker holds an active lock), PROCOS_RUNTIME_BAD_ARGUMENT.
   */
  async lockExternalTask(id: string, workerId: string, lockDuration: number): Promise<ExternalTaskRecord> {
    this.open();
    ensureInteger(lockDuration, 'lockDuration', 1);
    if (typeof workerId !== 'string' || workerId === '') throw new ProcosError(RuntimeErrors.BAD_ARGUMENT, 'workerId must be a non-empty string', { field: 'workerId' });
    const now = this.clock();
    try {
      const t = await this.store.lockExternalTask(id, workerId, lockDuration, now);
      if (t.lockExpirationTime !== null) this.notifier.notifyLater([t.topic], t.lockExpirationTime - now);
      return t;
    } catch (e) {
      if (isProcosError(e, StoreErrors.EXTERNAL_TASK_NOT_FOUND)) {
        throw new ProcosError(RuntimeErrors.EXTERNAL_TASK_NOT_FOUND, `external task ${id} does not exist (unknown, or already completed)`, { externalTaskId: id }, { cause: e });
      }
      if (isProcosError(e, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT)) {
        const lockedBy = typeof e.details.lockedBy === 'string' ? e.details.lockedBy : null;
        throw new ProcosError(RuntimeErrors.EXTERNAL_TASK_LOCKED, `External task ${id} is already locked by worker "${lockedBy ?? ''}"; it cannot be locked by worker "${workerId}"`, { externalTaskId: id, workerId, lockedBy }, { cause: e });
      }
      throw e;
    }
  }

  /**
   * Deletes a deployment: its resources, its process definitions and the ended
   * instances of them; with `cascade` also their running instances (and what those
   * called), with all runtime rows and history (see {@link Store.deleteDeployment}). When
   * the deleted definitions held the latest version of a key, the version that is latest
   * now gets its timer start events scheduled again (as Camunda does).
   * @throws PROCOS_STORE_DEPLOYMENT_NOT_FOUND, PROCOS_STORE_DEPLOYMENT_IN_USE (running
   *   instances and no `cascade`: nothing was deleted).
   */
  async deleteDeployment(id: string, options: { cascade?: boolean } = {}): Promise<DeletedDeployment> {
    this.open();
    const defs = await this.store.listProcessDefinitions({ deploymentId: id }, { maxResults: 100_000 });
    const result = await this.store.deleteDeployment(id, { cascade: options.cascade === true });
    const reschedule: ProcessDefinitionRecord[] = [];
    for (const key of new Set(defs.map((d) => d.key))) {
      const latest = await this.store.getLatestProcessDefinition(key);
      if (latest !== null && defs.some((d) => d.key === key && d.version > latest.version)) reschedule.push(latest);
    }
    if (reschedule.length > 0) await this.scheduleTimerStarts(reschedule);
    return { deploymentId: result.deploymentId, processDefinitionIds: result.processDefinitionIds, deletedInstances: result.deletedInstances };
  }

  private open(): void {
    if (this.closed) throw new ProcosError(RuntimeErrors.CLOSED, 'the runtime is closed', {});
  }

  /**
   * Stops accepting commands, wakes every long-polling fetch (they answer empty) and stops
   * listening to other processes' topic notifications. Does not close the store.
   */
  close(): void {
    this.closed = true;
    if (this.jobTimer !== undefined) clearTimeout(this.jobTimer);
    this.jobTimer = undefined;
    this.notifier.publish = undefined;
    this.notifier.close();
    void this.stopListening.then((stop) => stop()).catch(() => undefined);
  }
}

/** The task when `workerId` holds its lock. @throws PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED naming the holder. */
function checkLockHolder(t: ExternalTaskRecord, workerId: string, action: string): ExternalTaskRecord {
  if (t.workerId !== workerId) {
    const holder = t.workerId === null ? 'it is not locked by any worker' : `it is locked by worker "${t.workerId}"`;
    throw new ProcosError(RuntimeErrors.EXTERNAL_TASK_LOCKED, `external task ${t.id} cannot be ${action} by worker "${workerId}": ${holder}`, { externalTaskId: t.id, workerId, lockedBy: t.workerId });
  }
  return t;
}
