/**
 * ProcOS records → Camunda 7 DTOs (the JSON the REST API answers), field by field as
 * Camunda names them. Fields ProcOS has no notion of (case instances, suspension,
 * tenants of runtime objects, removal times) are answered with Camunda's "absent" value
 * (null, false). Dates use Camunda's format (see dates.ts).
 * Source: Camunda 7.22 REST reference, the DTOs named on each function.
 */
import type {
  DeploymentRecord,
  ExternalTaskRecord,
  HistoricActivityInstanceRecord,
  HistoricIncidentRecord,
  HistoricProcessInstanceRecord,
  IncidentRecord,
  InstanceSummary,
  ProcessDefinitionRecord,
  Store,
  UserTaskRecord,
} from '../../store/index.js';
import type { Runtime } from '../../runtime/index.js';
import { formatDate, formatIsoDate, formatOptionalDate } from './dates.js';
import { toTypedValue } from './variables.js';
import type { TypedValueDto } from './variables.js';
import type { JsonValue } from '../../common/json.js';

/** One node of the runtime's activity instance tree. */
export type ActivityTreeNode = Awaited<ReturnType<Runtime['activityInstanceTree']>>['root'];

/** A hypermedia link (AtomLink). */
export interface AtomLink {
  method: string;
  href: string;
  rel: string;
}

/** Looks up process definitions once per request (DTOs name version tags and tenants). */
export class DefinitionLookup {
  private readonly cache = new Map<string, Promise<ProcessDefinitionRecord | null>>();

  constructor(private readonly store: Store) {}

  /** The definition, or null when it does not exist (any more). */
  get(id: string): Promise<ProcessDefinitionRecord | null> {
    let p = this.cache.get(id);
    if (p === undefined) {
      p = this.store.getProcessDefinition(id);
      this.cache.set(id, p);
    }
    return p;
  }
}

/** DeploymentDto. */
export function deploymentDto(d: DeploymentRecord, base: string): Record<string, JsonValue> {
  return {
    links: [{ method: 'GET', href: `${base}/deployment/${encodeURIComponent(d.id)}`, rel: 'self' }],
    id: d.id,
    name: d.name === '' ? null : d.name,
    source: d.source,
    tenantId: d.tenantId,
    deploymentTime: formatDate(d.deployTime),
  };
}

/** ProcessDefinitionDto. */
export function processDefinitionDto(d: ProcessDefinitionRecord): Record<string, JsonValue> {
  return {
    id: d.id,
    key: d.key,
    category: null,
    description: null,
    name: d.name,
    version: d.version,
    resource: d.resourceName,
    deploymentId: d.deploymentId,
    diagram: null,
    suspended: false,
    tenantId: d.tenantId,
    versionTag: d.versionTag,
    historyTimeToLive: null,
    startableInTasklist: true,
  };
}

/** ProcessInstanceDto (ended/suspended as Camunda: a runtime instance is running and never suspended in ProcOS). */
export function processInstanceDto(i: Pick<InstanceSummary, 'id' | 'processDefinitionId' | 'processDefinitionKey' | 'businessKey' | 'status'>, tenantId: string | null, base: string): Record<string, JsonValue> {
  return {
    links: [{ method: 'GET', href: `${base}/process-instance/${encodeURIComponent(i.id)}`, rel: 'self' }],
    id: i.id,
    definitionId: i.processDefinitionId,
    definitionKey: i.processDefinitionKey,
    businessKey: i.businessKey,
    caseInstanceId: null,
    ended: i.status !== 'active',
    suspended: false,
    tenantId,
  };
}

/** ExternalTaskDto (7.2x, with createTime). */
export function externalTaskDto(t: ExternalTaskRecord, def: ProcessDefinitionRecord | null): Record<string, JsonValue> {
  return {
    id: t.id,
    topicName: t.topic,
    workerId: t.workerId,
    lockExpirationTime: formatOptionalDate(t.lockExpirationTime),
    createTime: formatDate(t.createdTime),
    retries: t.retries,
    errorMessage: t.errorMessage,
    suspended: t.suspended,
    priority: t.priority,
    activityId: t.elementId,
    activityInstanceId: t.activityInstanceId,
    executionId: t.activityInstanceId,
    processInstanceId: t.processInstanceId,
    processDefinitionId: t.processDefinitionId,
    processDefinitionKey: t.processDefinitionKey,
    processDefinitionVersionTag: def?.versionTag ?? null,
    tenantId: def?.tenantId ?? null,
    businessKey: t.businessKey,
  };
}

/** LockedExternalTaskDto (7.2x, with createTime and extensionProperties). */
export function lockedExternalTaskDto(t: ExternalTaskRecord, def: ProcessDefinitionRecord | null, variables: Record<string, TypedValueDto>): Record<string, JsonValue> {
  return {
    ...externalTaskDto(t, def),
    errorDetails: t.errorDetails,
    variables: variables as unknown as JsonValue,
    extensionProperties: {},
  };
}

/** TaskDto (user task). */
export function taskDto(t: UserTaskRecord, def: ProcessDefinitionRecord | null): Record<string, JsonValue> {
  return {
    id: t.id,
    name: t.name,
    assignee: t.assignee,
    owner: null,
    created: formatDate(t.createdTime),
    lastUpdated: null,
    due: formatIsoDate(t.dueDate),
    followUp: formatIsoDate(t.followUpDate),
    delegationState: null,
    description: null,
    executionId: t.id,
    parentTaskId: null,
    priority: t.priority,
    processDefinitionId: t.processDefinitionId,
    processInstanceId: t.processInstanceId,
    caseExecutionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    taskDefinitionKey: t.elementId,
    suspended: false,
    formKey: t.formKey,
    camundaFormRef: null,
    tenantId: def?.tenantId ?? null,
  };
}

/** IncidentDto. `configuration` is the external task id for `failedExternalTask`, as in Camunda. */
export function incidentDto(i: IncidentRecord, tenantId: string | null): Record<string, JsonValue> {
  return {
    id: i.id,
    processDefinitionId: i.processDefinitionId,
    processInstanceId: i.processInstanceId,
    executionId: i.activityInstanceId,
    incidentTimestamp: formatDate(i.createdTime),
    incidentType: i.type,
    activityId: i.elementId,
    failedActivityId: i.elementId,
    causeIncidentId: i.id,
    rootCauseIncidentId: i.id,
    configuration: i.externalTaskId,
    tenantId,
    incidentMessage: i.message,
    jobDefinitionId: null,
    annotation: i.annotation,
  };
}

/** HistoricProcessInstanceDto. State: ACTIVE, COMPLETED or EXTERNALLY_TERMINATED (a cancelled instance). */
export function historicProcessInstanceDto(h: HistoricProcessInstanceRecord, def: ProcessDefinitionRecord | null): Record<string, JsonValue> {
  return {
    id: h.id,
    rootProcessInstanceId: h.superInstanceId === null ? h.id : null,
    superProcessInstanceId: h.superInstanceId,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: def?.name ?? null,
    processDefinitionKey: h.processDefinitionKey,
    processDefinitionVersion: def?.version ?? null,
    processDefinitionId: h.processDefinitionId,
    businessKey: h.businessKey,
    startTime: formatDate(h.startTime),
    endTime: formatOptionalDate(h.endTime),
    removalTime: null,
    durationInMillis: h.endTime === null ? null : h.endTime - h.startTime,
    startUserId: null,
    startActivityId: null,
    deleteReason: h.endReason,
    tenantId: def?.tenantId ?? null,
    state: h.status === 'active' ? 'ACTIVE' : h.status === 'completed' ? 'COMPLETED' : 'EXTERNALLY_TERMINATED',
  };
}

/** HistoricActivityInstanceDto. */
export function historicActivityInstanceDto(a: HistoricActivityInstanceRecord, proc: HistoricProcessInstanceRecord | null, tenantId: string | null): Record<string, JsonValue> {
  return {
    id: a.id,
    parentActivityInstanceId: a.parentActivityInstanceId,
    activityId: a.elementId,
    activityName: a.elementName,
    activityType: a.elementType,
    processDefinitionKey: proc?.processDefinitionKey ?? null,
    processDefinitionId: proc?.processDefinitionId ?? null,
    processInstanceId: a.processInstanceId,
    executionId: a.id,
    taskId: a.elementType === 'userTask' ? a.id : null,
    assignee: null,
    calledProcessInstanceId: null,
    calledCaseInstanceId: null,
    startTime: formatDate(a.startTime),
    endTime: formatOptionalDate(a.endTime),
    durationInMillis: a.endTime === null ? null : a.endTime - a.startTime,
    canceled: a.canceled,
    completeScope: false,
    tenantId,
    removalTime: null,
    rootProcessInstanceId: a.processInstanceId,
  };
}

/** HistoricIncidentDto (7.2x). */
export function historicIncidentDto(i: HistoricIncidentRecord, proc: HistoricProcessInstanceRecord | null, def: ProcessDefinitionRecord | null): Record<string, JsonValue> {
  return {
    id: i.id,
    processDefinitionKey: proc?.processDefinitionKey ?? def?.key ?? null,
    processDefinitionId: i.processDefinitionId,
    processInstanceId: i.processInstanceId,
    executionId: i.activityInstanceId,
    rootProcessInstanceId: i.processInstanceId,
    createTime: formatDate(i.createdTime),
    endTime: formatOptionalDate(i.resolvedTime),
    removalTime: null,
    incidentType: i.type,
    activityId: i.elementId,
    failedActivityId: i.elementId,
    causeIncidentId: i.id,
    rootCauseIncidentId: i.id,
    configuration: i.externalTaskId,
    historyConfiguration: null,
    incidentMessage: i.message,
    tenantId: def?.tenantId ?? null,
    jobDefinitionId: null,
    open: i.resolvedTime === null,
    deleted: false,
    resolved: i.resolvedTime !== null,
    annotation: null,
  };
}

/** One historic variable instance: the latest value of a variable in a scope. */
export interface HistoricVariable {
  processInstanceId: string;
  scopeId: string;
  name: string;
  value: JsonValue;
  /** Epoch ms of the first write. */
  createTime: number;
}

/** HistoricVariableInstanceDto (7.2x). Id: `<scopeId>:<name>` (ProcOS keeps updates, not variable rows). */
export function historicVariableDto(v: HistoricVariable, proc: HistoricProcessInstanceRecord | null, deleted: boolean): Record<string, JsonValue> {
  const tv = toTypedValue(v.value);
  return {
    id: `${v.scopeId}:${v.name}`,
    name: v.name,
    type: tv.type,
    value: tv.value,
    valueInfo: tv.valueInfo,
    processDefinitionKey: proc?.processDefinitionKey ?? null,
    processDefinitionId: proc?.processDefinitionId ?? null,
    processInstanceId: v.processInstanceId,
    executionId: v.scopeId,
    activityInstanceId: v.scopeId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: null,
    tenantId: null,
    errorMessage: null,
    state: deleted ? 'DELETED' : 'CREATED',
    createTime: formatDate(v.createTime),
    removalTime: null,
    rootProcessInstanceId: v.processInstanceId,
  };
}

/** ActivityInstanceDto (the tree of GET /process-instance/{id}/activity-instances). */
export function activityInstanceDto(n: ActivityTreeNode, processInstanceId: string, processDefinitionId: string): Record<string, JsonValue> {
  return {
    id: n.id,
    parentActivityInstanceId: n.parentId,
    activityId: n.parentId === null ? processDefinitionId : n.elementId,
    activityType: n.elementType,
    activityName: n.elementName,
    processInstanceId,
    processDefinitionId,
    childActivityInstances: n.children.map((c) => activityInstanceDto(c, processInstanceId, processDefinitionId)),
    childTransitionInstances: [],
    executionIds: [n.id],
    incidentIds: [...n.incidentIds],
    incidents: n.incidentIds.map((id) => ({ id, activityId: n.elementId })),
  };
}
