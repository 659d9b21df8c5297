/**
 * Reads the store into the `/procos/v1` views: instances with where they wait,
 * history, variables, incidents. Read-only; every function takes the store it reads.
 */
import type { JsonValue, Variables } from '../../common/json.js';
import type { IncidentRecord, InstanceSummary, ProcessDefinitionRecord, Store } from '../../store/index.js';
import type {
  CurrentActivityView,
  DefinitionView,
  HistoryStepView,
  IncidentView,
  InstanceDetailView,
  InstanceStateView,
  InstanceView,
  StatusView,
} from './types.js';

/** Element types that only contain other activities: not shown as "current". */
const CONTAINERS = new Set(['subProcess', 'adHocSubProcess', 'transaction']);

/** A definition record as a view. */
export function definitionView(d: ProcessDefinitionRecord): DefinitionView {
  return { id: d.id, key: d.key, version: d.version, name: d.name, resource: d.resourceName, deploymentId: d.deploymentId };
}

/** Looks definitions up by id, caching them for one request. */
export class DefinitionLookup {
  private readonly cache = new Map<string, ProcessDefinitionRecord | null>();
  constructor(private readonly store: Store) {}

  async get(id: string): Promise<ProcessDefinitionRecord | null> {
    if (!this.cache.has(id)) this.cache.set(id, await this.store.getProcessDefinition(id));
    return this.cache.get(id) ?? null;
  }
}

async function currentActivities(store: Store, instanceId: string): Promise<CurrentActivityView[]> {
  const open = await store.listHistoricActivityInstances({ processInstanceId: instanceId, finished: false });
  return open
    .filter((a) => !CONTAINERS.has(a.elementType))
    .map((a) => ({ activityInstanceId: a.id, elementId: a.elementId, name: a.elementName, type: a.elementType, since: a.startTime }));
}

function stateOf(status: InstanceSummary['status'], openIncidents: number): InstanceStateView {
  if (status === 'active') return openIncidents > 0 ? 'incident' : 'running';
  return status;
}

/** One instance as listed: where it waits, open incidents, key:version. */
export async function instanceView(store: Store, i: InstanceSummary, defs: DefinitionLookup): Promise<InstanceView> {
  const active = i.status === 'active';
  const incidents = active ? await store.countIncidents({ processInstanceId: i.id, open: true }) : 0;
  const def = await defs.get(i.processDefinitionId);
  return {
    id: i.id,
    key: i.processDefinitionKey,
    version: def?.version ?? 0,
    definitionId: i.processDefinitionId,
    state: stateOf(i.status, incidents),
    businessKey: i.businessKey,
    startTime: i.startTime,
    endTime: i.endTime,
    current: active ? await currentActivities(store, i.id) : [],
    incidents,
  };
}

/** Which instances a list shows. */
export type InstanceListState = 'active' | 'ended' | 'all' | 'completed' | 'terminated';

/** Filter of {@link listInstanceViews}. */
export interface InstanceListQuery {
  readonly state: InstanceListState;
  readonly key?: string;
  readonly businessKey?: string;
  /** The newest `limit` instances are returned, oldest first. */
  readonly limit: number;
}

/** Instances, oldest first; when more match than `limit`, the newest `limit` of them. */
export async function listInstanceViews(store: Store, q: InstanceListQuery): Promise<{ total: number; instances: InstanceView[] }> {
  const filter = {
    ...(q.key !== undefined ? { processDefinitionKey: q.key } : {}),
    ...(q.businessKey !== undefined ? { businessKey: q.businessKey } : {}),
    ...(q.state === 'active' || q.state === 'completed' || q.state === 'terminated' ? { status: q.state } : {}),
    ...(q.state === 'ended' ? { statusIn: ['completed', 'terminated'] as const } : {}),
  };
  const total = await store.countInstances(filter);
  const rows = await store.listInstances(filter, { firstResult: Math.max(0, total - q.limit), maxResults: q.limit });
  const defs = new DefinitionLookup(store);
  const instances: InstanceView[] = [];
  for (const r of rows) instances.push(await instanceView(store, r, defs));
  return { total, instances };
}

/** An incident record (runtime or history) as a view. */
export async function incidentView(store: Store, inc: Omit<IncidentRecord, 'annotation'>, defs: DefinitionLookup): Promise<IncidentView> {
  const def = await defs.get(inc.processDefinitionId);
  const activity = (await store.listHistoricActivityInstances({ processInstanceId: inc.processInstanceId, elementId: inc.elementId })).find(
    (a) => a.id === inc.activityInstanceId,
  );
  const task = inc.resolvedTime === null && inc.externalTaskId !== null ? await store.getExternalTask(inc.externalTaskId) : null;
  return {
    id: inc.id,
    type: inc.type,
    message: inc.message,
    processInstanceId: inc.processInstanceId,
    key: def?.key ?? null,
    elementId: inc.elementId,
    activityName: activity?.elementName ?? null,
    externalTaskId: inc.externalTaskId,
    errorDetails: task?.errorDetails ?? null,
    createdTime: inc.createdTime,
    resolvedTime: inc.resolvedTime,
  };
}

/** Last value of each process variable from history (for ended instances, whose variables are gone). */
async function lastValues(store: Store, instanceId: string): Promise<Variables> {
  const out: Record<string, JsonValue> = {};
  for (const u of await store.listHistoricVariableUpdates({ processInstanceId: instanceId, scopeId: instanceId })) out[u.name] = u.value;
  return out;
}

/** One instance in full, or null when no instance has this id. */
export async function instanceDetail(store: Store, id: string): Promise<InstanceDetailView | null> {
  const rec = await store.getInstance(id);
  if (rec === null) return null;
  const defs = new DefinitionLookup(store);
  const view = await instanceView(store, rec, defs);
  const history: HistoryStepView[] = (await store.listHistoricActivityInstances({ processInstanceId: id })).map((a) => ({
    activityInstanceId: a.id,
    elementId: a.elementId,
    type: a.elementType,
    name: a.elementName,
    parent: a.parentActivityInstanceId,
    startTime: a.startTime,
    endTime: a.endTime,
    canceled: a.canceled,
  }));
  let variables: Variables;
  if (rec.status === 'active') {
    variables = {};
    for (const v of await store.listVariables({ processInstanceId: id, scopeId: id })) variables[v.name] = v.value;
  } else {
    variables = await lastValues(store, id);
  }
  const incidentList: IncidentView[] = [];
  for (const inc of await store.listHistoricIncidents({ processInstanceId: id })) incidentList.push(await incidentView(store, inc, defs));
  const hist = await store.getHistoricProcessInstance(id);
  return {
    ...view,
    revision: rec.revision,
    endReason: hist?.endReason ?? null,
    history,
    variables,
    incidentList,
    externalTasks: (await store.listExternalTasks({ processInstanceId: id })).map((t) => ({
      id: t.id,
      elementId: t.elementId,
      topic: t.topic,
      retries: t.retries,
      workerId: t.workerId,
      lockExpirationTime: t.lockExpirationTime,
      retryAfterTime: t.retryAfterTime,
      errorMessage: t.errorMessage,
    })),
    userTasks: (await store.listUserTasks({ processInstanceId: id })).map((t) => ({ id: t.id, elementId: t.elementId, name: t.name, assignee: t.assignee, createdTime: t.createdTime })),
  };
}

/** Counts for `/procos/v1/status` and the kernel's health line. */
export async function statusCounts(store: Store, now: number): Promise<Omit<StatusView, 'kernel'>> {
  const [definitions, active, completed, terminated, tasks, locked, withoutRetries, userTasks, open] = await Promise.all([
    store.countProcessDefinitions({ latestOnly: true }),
    store.countInstances({ status: 'active' }),
    store.countInstances({ status: 'completed' }),
    store.countInstances({ status: 'terminated' }),
    store.countExternalTasks(),
    store.countExternalTasks({ lockedAt: now }),
    store.countExternalTasks({ withRetriesLeft: false }),
    store.countUserTasks(),
    store.countIncidents({ open: true }),
  ]);
  return {
    store: { kind: store.kind, schemaVersion: store.schemaVersion },
    definitions,
    instances: { active, completed, terminated },
    externalTasks: { total: tasks, locked, waiting: Math.max(0, tasks - locked - withoutRetries) },
    userTasks,
    incidents: { open },
  };
}
