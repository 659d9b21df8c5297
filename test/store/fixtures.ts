/** Small builders shared by the store contract tests. */
import { isProcosError, type ErrorSpec } from '../../src/common/errors.js';
import type {
  DeployInput,
  InstanceInsert,
  NewExternalTask,
  NewIncident,
  NewSubscription,
  NewUserTask,
  ProcessDefinitionRecord,
  Store,
} from '../../src/store/index.js';

/** A fixed "now" (epoch ms) the tests count from. */
export const T0 = 1_700_000_000_000;

/** A deploy input of one process in one resource. */
export function deployInput(key: string, hash: string, extra: Partial<DeployInput> = {}): DeployInput {
  return {
    name: `${key}-deployment`,
    source: 'test',
    resources: [{ name: `${key}.bpmn`, content: `<definitions id="${key}" hash="${hash}"/>` }],
    processes: [{ key, name: `Process ${key}`, versionTag: null, resourceName: `${key}.bpmn`, hash }],
    time: T0,
    ...extra,
  };
}

/** Deploys one process and returns its definition. */
export async function deployProcess(store: Store, key = 'order', hash = 'h1'): Promise<ProcessDefinitionRecord> {
  const r = await store.deploy(deployInput(key, hash));
  const def = r.definitions[0];
  if (def === undefined) throw new Error('deploy returned no definition');
  return def;
}

/** An instance insert for a definition. */
export function instanceInsert(def: ProcessDefinitionRecord, id: string, extra: Partial<InstanceInsert> = {}): InstanceInsert {
  return {
    kind: 'insert',
    id,
    processDefinitionId: def.id,
    processDefinitionKey: def.key,
    businessKey: null,
    status: 'active',
    state: { v: 1, id, key: def.key, acts: {}, joins: {} },
    startTime: T0,
    ...extra,
  };
}

/** An external task of an instance. */
export function externalTask(def: ProcessDefinitionRecord, instanceId: string, id: string, extra: Partial<NewExternalTask> = {}): NewExternalTask {
  return {
    id,
    processInstanceId: instanceId,
    processDefinitionId: def.id,
    processDefinitionKey: def.key,
    businessKey: null,
    activityInstanceId: `ai-${id}`,
    elementId: 'Task_1',
    topic: 'work',
    priority: 0,
    retries: null,
    createdTime: T0,
    ...extra,
  };
}

/** A user task of an instance. */
export function userTask(def: ProcessDefinitionRecord, instanceId: string, id: string, extra: Partial<NewUserTask> = {}): NewUserTask {
  return {
    id,
    processInstanceId: instanceId,
    processDefinitionId: def.id,
    elementId: 'Review',
    name: 'Review order',
    assignee: null,
    candidateGroups: ['clerks'],
    candidateUsers: [],
    dueDate: '2030-01-01T00:00:00.000Z',
    followUpDate: null,
    priority: 50,
    formKey: 'embedded:app:forms/review.html',
    createdTime: T0,
    ...extra,
  };
}

/** An incident of an instance. */
export function incident(def: ProcessDefinitionRecord, instanceId: string, id: string, extra: Partial<NewIncident> = {}): NewIncident {
  return {
    id,
    type: 'failedExternalTask',
    message: 'boom',
    processInstanceId: instanceId,
    processDefinitionId: def.id,
    activityInstanceId: `ai-${id}`,
    elementId: 'Task_1',
    externalTaskId: null,
    createdTime: T0,
    ...extra,
  };
}

/** A message subscription of an instance (`eventType` etc. via `extra`). */
export function subscription(instanceId: string, id: string, extra: Partial<NewSubscription> = {}): NewSubscription {
  return {
    id,
    processInstanceId: instanceId,
    activityInstanceId: `ai-${id}`,
    elementId: 'Catch_1',
    eventType: 'message',
    name: 'paid',
    correlationKey: null,
    createdTime: T0,
    ...extra,
  };
}

/** Deploys a process and starts `n` instances (`pi-1` …) with one external task each (`et-1` …). */
export async function seedTasks(
  store: Store,
  n: number,
  task: (i: number) => Partial<NewExternalTask> = () => ({}),
): Promise<ProcessDefinitionRecord> {
  const def = await deployProcess(store);
  const ids = Array.from({ length: n }, (_, k) => k + 1);
  await store.commit({
    instances: ids.map((i) => instanceInsert(def, `pi-${i}`)),
    externalTaskInserts: ids.map((i) => externalTask(def, `pi-${i}`, `et-${i}`, task(i))),
  });
  return def;
}

/** An `assert.rejects` check: a ProcosError with the spec's code. */
export function hasCode(spec: ErrorSpec): (e: unknown) => boolean {
  return (e) => isProcosError(e, spec);
}
