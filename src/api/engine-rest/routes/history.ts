/**
 * History (Camunda 7 REST "History"): process instances, activity instances, variable
 * instances and incidents, each with list and count (and process instances by id).
 *
 * ProcOS keeps variable history as append-only updates; a historic variable instance
 * is derived from them: one per (scope, name), with the latest value and the time of
 * the first write, id `<scopeId>:<name>`, state `CREATED` (ProcOS deletes no variable
 * on its own; variables of ended scopes stay in history, as in Camunda).
 */
import { ProcosError } from '../../../common/errors.js';
import type {
  HistoricActivityInstanceFilter,
  HistoricActivityInstanceRecord,
  HistoricIncidentFilter,
  HistoricIncidentRecord,
  HistoricProcessInstanceFilter,
  HistoricProcessInstanceRecord,
  HistoricVariableUpdateFilter,
  ProcessDefinitionRecord,
  Store,
} from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import type { RouteContext, RouteModule } from '../context.js';
import { DefinitionLookup, historicActivityInstanceDto, historicIncidentDto, historicProcessInstanceDto, historicVariableDto } from '../dto.js';
import type { HistoricVariable } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { likeMatch } from '../read.js';
import type { Query, RawQuery } from '../read.js';
import { toTypedValue } from '../variables.js';

/** Looks up historic process instances once per request. */
class ProcessLookup {
  private readonly cache = new Map<string, Promise<HistoricProcessInstanceRecord | null>>();
  constructor(private readonly store: Store) {}
  get(id: string): Promise<HistoricProcessInstanceRecord | null> {
    let p = this.cache.get(id);
    if (p === undefined) {
      p = this.store.getHistoricProcessInstance(id);
      this.cache.set(id, p);
    }
    return p;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ------------------------------------------------------------------ process instances

interface ProcessRow {
  h: HistoricProcessInstanceRecord;
  def: ProcessDefinitionRecord | null;
}

const PROCESS_PARAMS =
  'sortBy sortOrder firstResult maxResults processInstanceId processInstanceIds processDefinitionId processDefinitionKey processDefinitionKeyIn processDefinitionName processDefinitionNameLike processDefinitionKeyNotIn processInstanceBusinessKey processInstanceBusinessKeyLike rootProcessInstances finished unfinished withIncidents withRootIncidents incidentType incidentStatus incidentMessage incidentMessageLike startedBefore startedAfter finishedBefore finishedAfter executedActivityAfter executedActivityBefore executedJobAfter executedJobBefore startedBy superProcessInstanceId subProcessInstanceId superCaseInstanceId subCaseInstanceId caseInstanceId tenantIdIn withoutTenantId executedActivityIdIn activeActivityIdIn active suspended completed externallyTerminated internallyTerminated variables variableNamesIgnoreCase variableValuesIgnoreCase'.split(
    ' ',
  );

function processList(ctx: RouteContext): ListSpec<ProcessRow> {
  const pushdown = (q: Query): HistoricProcessInstanceFilter => {
    const f: Mutable<HistoricProcessInstanceFilter> = {};
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('processDefinitionId') !== undefined) f.processDefinitionId = q.string('processDefinitionId');
    if (q.string('processDefinitionKey') !== undefined) f.processDefinitionKey = q.string('processDefinitionKey');
    if (q.string('processInstanceBusinessKey') !== undefined) f.businessKey = q.string('processInstanceBusinessKey');
    if (q.string('superProcessInstanceId') !== undefined) f.superInstanceId = q.string('superProcessInstanceId');
    if (q.flag('finished') !== q.flag('unfinished')) f.finished = q.flag('finished');
    if (q.flag('active')) f.status = 'active';
    if (q.flag('completed')) f.status = 'completed';
    if (q.flag('externallyTerminated')) f.status = 'terminated';
    return f;
  };
  const rows = async (list: HistoricProcessInstanceRecord[]): Promise<ProcessRow[]> => {
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all(list.map(async (h) => ({ h, def: await defs.get(h.processDefinitionId) })));
  };
  return {
    params: {
      processInstanceId: 'string', processInstanceIds: 'list', processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionKeyIn: 'list', processDefinitionName: 'string',
      processDefinitionNameLike: 'string', processDefinitionKeyNotIn: 'list', processInstanceBusinessKey: 'string', processInstanceBusinessKeyLike: 'string', rootProcessInstances: 'boolean',
      finished: 'boolean', unfinished: 'boolean', withIncidents: 'boolean', startedBefore: 'date', startedAfter: 'date', finishedBefore: 'date', finishedAfter: 'date',
      superProcessInstanceId: 'string', tenantIdIn: 'list', withoutTenantId: 'boolean', active: 'boolean', suspended: 'boolean', completed: 'boolean', externallyTerminated: 'boolean',
      internallyTerminated: 'boolean',
    },
    camunda: PROCESS_PARAMS,
    sort: {
      instanceId: (r) => r.h.id,
      definitionId: (r) => r.h.processDefinitionId,
      definitionKey: (r) => r.h.processDefinitionKey,
      definitionName: (r) => r.def?.name ?? null,
      definitionVersion: (r) => r.def?.version ?? null,
      businessKey: (r) => r.h.businessKey,
      startTime: (r) => r.h.startTime,
      endTime: (r) => r.h.endTime,
      duration: (r) => (r.h.endTime === null ? null : r.h.endTime - r.h.startTime),
      tenantId: (r) => r.def?.tenantId ?? null,
    },
    load: async (q, page) => rows(await ctx.store.listHistoricProcessInstances(pushdown(q), page)),
    count: (q) => ctx.store.countHistoricProcessInstances(pushdown(q)),
    memory: async (q) => {
      const statuses = ['active', 'completed', 'externallyTerminated'].filter((s) => q.flag(s));
      const f = new Filters<ProcessRow>(q)
        .strings('processInstanceIds', (r, v) => v.includes(r.h.id))
        .strings('processDefinitionKeyIn', (r, v) => v.includes(r.h.processDefinitionKey))
        .strings('processDefinitionKeyNotIn', (r, v) => !v.includes(r.h.processDefinitionKey))
        .string('processDefinitionName', (r, v) => r.def?.name === v)
        .string('processDefinitionNameLike', (r, v) => likeMatch(v, r.def?.name ?? null))
        .string('processInstanceBusinessKeyLike', (r, v) => likeMatch(v, r.h.businessKey))
        .flag('rootProcessInstances', (r) => r.h.superInstanceId === null)
        .date('startedBefore', (r, ms) => r.h.startTime < ms)
        .date('startedAfter', (r, ms) => r.h.startTime > ms)
        .date('finishedBefore', (r, ms) => r.h.endTime !== null && r.h.endTime < ms)
        .date('finishedAfter', (r, ms) => r.h.endTime !== null && r.h.endTime > ms)
        .strings('tenantIdIn', (r, v) => r.def?.tenantId != null && v.includes(r.def.tenantId))
        .flag('withoutTenantId', (r) => (r.def?.tenantId ?? null) === null)
        .flag('suspended', () => false)
        .flag('internallyTerminated', () => false);
      if (q.flag('finished') && q.flag('unfinished')) f.add(() => false);
      if (statuses.length > 1) f.add(() => false);
      if (q.flag('withIncidents')) {
        const pids = new Set((await ctx.store.listHistoricIncidents({})).map((i) => i.processInstanceId));
        f.add((r) => pids.has(r.h.id));
      }
      return f.list;
    },
  };
}

// ------------------------------------------------------------------ activity instances

interface ActivityRow {
  a: HistoricActivityInstanceRecord;
  proc: HistoricProcessInstanceRecord | null;
  tenantId: string | null;
}

const ACTIVITY_PARAMS =
  'sortBy sortOrder firstResult maxResults activityInstanceId processInstanceId processDefinitionId executionId activityId activityName activityType taskAssignee finished unfinished canceled completeScope startedBefore startedAfter finishedBefore finishedAfter tenantIdIn withoutTenantId'.split(
    ' ',
  );

function activityList(ctx: RouteContext): ListSpec<ActivityRow> {
  const pushdown = (q: Query): HistoricActivityInstanceFilter => {
    const f: Mutable<HistoricActivityInstanceFilter> = {};
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('activityId') !== undefined) f.elementId = q.string('activityId');
    if (q.string('activityType') !== undefined) f.elementType = q.string('activityType');
    if (q.flag('finished') !== q.flag('unfinished')) f.finished = q.flag('finished');
    if (q.flag('canceled')) f.canceled = true;
    return f;
  };
  const rows = async (list: HistoricActivityInstanceRecord[]): Promise<ActivityRow[]> => {
    const procs = new ProcessLookup(ctx.store);
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all(
      list.map(async (a) => {
        const proc = await procs.get(a.processInstanceId);
        return { a, proc, tenantId: proc === null ? null : ((await defs.get(proc.processDefinitionId))?.tenantId ?? null) };
      }),
    );
  };
  return {
    params: {
      activityInstanceId: 'string', processInstanceId: 'string', processDefinitionId: 'string', executionId: 'string', activityId: 'string', activityName: 'string', activityType: 'string',
      finished: 'boolean', unfinished: 'boolean', canceled: 'boolean', startedBefore: 'date', startedAfter: 'date', finishedBefore: 'date', finishedAfter: 'date', tenantIdIn: 'list',
      withoutTenantId: 'boolean',
    },
    camunda: ACTIVITY_PARAMS,
    sort: {
      activityInstanceId: (r) => r.a.id,
      instanceId: (r) => r.a.processInstanceId,
      executionId: (r) => r.a.id,
      activityId: (r) => r.a.elementId,
      activityName: (r) => r.a.elementName,
      activityType: (r) => r.a.elementType,
      startTime: (r) => r.a.startTime,
      endTime: (r) => r.a.endTime,
      duration: (r) => (r.a.endTime === null ? null : r.a.endTime - r.a.startTime),
      definitionId: (r) => r.proc?.processDefinitionId ?? null,
      tenantId: (r) => r.tenantId,
    },
    load: async (q, page) => rows(await ctx.store.listHistoricActivityInstances(pushdown(q), page)),
    count: (q) => ctx.store.countHistoricActivityInstances(pushdown(q)),
    memory: async (q) => {
      const f = new Filters<ActivityRow>(q)
        .string('activityInstanceId', (r, v) => r.a.id === v)
        .string('executionId', (r, v) => r.a.id === v)
        .string('processDefinitionId', (r, v) => r.proc?.processDefinitionId === v)
        .string('activityName', (r, v) => r.a.elementName === v)
        .date('startedBefore', (r, ms) => r.a.startTime < ms)
        .date('startedAfter', (r, ms) => r.a.startTime > ms)
        .date('finishedBefore', (r, ms) => r.a.endTime !== null && r.a.endTime < ms)
        .date('finishedAfter', (r, ms) => r.a.endTime !== null && r.a.endTime > ms)
        .strings('tenantIdIn', (r, v) => r.tenantId !== null && v.includes(r.tenantId))
        .flag('withoutTenantId', (r) => r.tenantId === null);
      if (q.flag('finished') && q.flag('unfinished')) f.add(() => false);
      return f.list;
    },
  };
}

// ------------------------------------------------------------------ variable instances

interface VariableRow {
  v: HistoricVariable;
  proc: HistoricProcessInstanceRecord | null;
}

const VARIABLE_PARAMS =
  'variableName variableNameLike variableValue variableNamesIgnoreCase variableValuesIgnoreCase variableTypeIn includeDeleted processInstanceId processInstanceIdIn processDefinitionId processDefinitionKey executionIdIn caseInstanceId caseExecutionIdIn caseActivityIdIn taskIdIn activityInstanceIdIn tenantIdIn withoutTenantId variableNameIn sortBy sortOrder firstResult maxResults deserializeValues'.split(
    ' ',
  );

function variableList(ctx: RouteContext): ListSpec<VariableRow> {
  const pushdown = (q: Query): HistoricVariableUpdateFilter => {
    const f: Mutable<HistoricVariableUpdateFilter> = {};
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('variableName') !== undefined) f.name = q.string('variableName');
    return f;
  };
  const all = async (q: Query): Promise<VariableRow[]> => {
    const latest = new Map<string, HistoricVariable>();
    for (const u of await ctx.store.listHistoricVariableUpdates(pushdown(q))) {
      const key = `${u.scopeId}\u0000${u.name}`;
      const seen = latest.get(key);
      if (seen === undefined) latest.set(key, { processInstanceId: u.processInstanceId, scopeId: u.scopeId, name: u.name, value: u.value, createTime: u.time });
      else seen.value = u.value;
    }
    const procs = new ProcessLookup(ctx.store);
    return Promise.all([...latest.values()].map(async (v) => ({ v, proc: await procs.get(v.processInstanceId) })));
  };
  return {
    params: {
      variableName: 'string', variableNameLike: 'string', variableNameIn: 'list', variableTypeIn: 'list', includeDeleted: 'boolean', processInstanceId: 'string', processInstanceIdIn: 'list',
      processDefinitionId: 'string', processDefinitionKey: 'string', executionIdIn: 'list', activityInstanceIdIn: 'list', deserializeValues: 'boolean',
    },
    camunda: VARIABLE_PARAMS,
    sort: {
      variableName: (r) => r.v.name,
      variableType: (r) => toTypedValue(r.v.value).type,
      activityInstanceId: (r) => r.v.scopeId,
      instanceId: (r) => r.v.processInstanceId,
    },
    // Updates are grouped per variable here, so paging always applies to the groups.
    load: async (q, page) => {
      const rows = await all(q);
      const first = page?.firstResult ?? 0;
      return rows.slice(first, page?.maxResults === undefined ? undefined : first + page.maxResults);
    },
    count: async (q) => (await all(q)).length,
    memory: async (q) => {
      const types = q.list('variableTypeIn')?.map((t) => t.toLowerCase());
      const f = new Filters<VariableRow>(q)
        .string('variableNameLike', (r, v) => likeMatch(v, r.v.name))
        .strings('variableNameIn', (r, v) => v.includes(r.v.name))
        .strings('processInstanceIdIn', (r, v) => v.includes(r.v.processInstanceId))
        .string('processDefinitionId', (r, v) => r.proc?.processDefinitionId === v)
        .string('processDefinitionKey', (r, v) => r.proc?.processDefinitionKey === v)
        .strings('executionIdIn', (r, v) => v.includes(r.v.scopeId))
        .strings('activityInstanceIdIn', (r, v) => v.includes(r.v.scopeId));
      if (types !== undefined) f.add((r) => types.includes(toTypedValue(r.v.value).type.toLowerCase()));
      return f.list;
    },
  };
}

// ------------------------------------------------------------------ incidents

interface IncidentRow {
  i: HistoricIncidentRecord;
  proc: HistoricProcessInstanceRecord | null;
  def: ProcessDefinitionRecord | null;
}

const INCIDENT_PARAMS =
  'incidentId incidentType incidentMessage incidentMessageLike processDefinitionId processDefinitionKey processDefinitionKeyIn processInstanceId executionId createTimeBefore createTimeAfter endTimeBefore endTimeAfter activityId failedActivityId causeIncidentId rootCauseIncidentId configuration historyConfiguration open resolved deleted tenantIdIn withoutTenantId jobDefinitionIdIn sortBy sortOrder firstResult maxResults'.split(
    ' ',
  );

function incidentList(ctx: RouteContext): ListSpec<IncidentRow> {
  const pushdown = (q: Query): HistoricIncidentFilter => {
    const f: Mutable<HistoricIncidentFilter> = {};
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('incidentType') !== undefined) f.type = q.string('incidentType');
    if (q.string('activityId') !== undefined) f.elementId = q.string('activityId');
    if (q.flag('open') !== q.flag('resolved')) f.open = q.flag('open');
    return f;
  };
  const rows = async (list: HistoricIncidentRecord[]): Promise<IncidentRow[]> => {
    const procs = new ProcessLookup(ctx.store);
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all(list.map(async (i) => ({ i, proc: await procs.get(i.processInstanceId), def: await defs.get(i.processDefinitionId) })));
  };
  return {
    params: {
      incidentId: 'string', incidentType: 'string', incidentMessage: 'string', incidentMessageLike: 'string', processDefinitionId: 'string', processDefinitionKey: 'string',
      processDefinitionKeyIn: 'list', processInstanceId: 'string', executionId: 'string', createTimeBefore: 'date', createTimeAfter: 'date', endTimeBefore: 'date', endTimeAfter: 'date',
      activityId: 'string', failedActivityId: 'string', causeIncidentId: 'string', rootCauseIncidentId: 'string', configuration: 'string', open: 'boolean', resolved: 'boolean',
      deleted: 'boolean', tenantIdIn: 'list', withoutTenantId: 'boolean',
    },
    camunda: INCIDENT_PARAMS,
    sort: {
      incidentId: (r) => r.i.id,
      incidentMessage: (r) => r.i.message,
      createTime: (r) => r.i.createdTime,
      endTime: (r) => r.i.resolvedTime,
      incidentType: (r) => r.i.type,
      executionId: (r) => r.i.activityInstanceId,
      activityId: (r) => r.i.elementId,
      processInstanceId: (r) => r.i.processInstanceId,
      processDefinitionId: (r) => r.i.processDefinitionId,
      processDefinitionKey: (r) => r.def?.key ?? null,
      causeIncidentId: (r) => r.i.id,
      rootCauseIncidentId: (r) => r.i.id,
      configuration: (r) => r.i.externalTaskId,
      tenantId: (r) => r.def?.tenantId ?? null,
      incidentState: (r) => (r.i.resolvedTime === null ? 0 : 2),
    },
    load: async (q, page) => rows(await ctx.store.listHistoricIncidents(pushdown(q), page)),
    count: (q) => ctx.store.countHistoricIncidents(pushdown(q)),
    memory: async (q) => {
      const f = new Filters<IncidentRow>(q)
        .string('incidentId', (r, v) => r.i.id === v)
        .string('incidentMessage', (r, v) => r.i.message === v)
        .string('incidentMessageLike', (r, v) => likeMatch(v, r.i.message))
        .string('processDefinitionId', (r, v) => r.i.processDefinitionId === v)
        .string('processDefinitionKey', (r, v) => r.def?.key === v)
        .strings('processDefinitionKeyIn', (r, v) => r.def !== null && v.includes(r.def.key))
        .string('executionId', (r, v) => r.i.activityInstanceId === v)
        .date('createTimeBefore', (r, ms) => r.i.createdTime < ms)
        .date('createTimeAfter', (r, ms) => r.i.createdTime > ms)
        .date('endTimeBefore', (r, ms) => r.i.resolvedTime !== null && r.i.resolvedTime < ms)
        .date('endTimeAfter', (r, ms) => r.i.resolvedTime !== null && r.i.resolvedTime > ms)
        .string('failedActivityId', (r, v) => r.i.elementId === v)
        .string('causeIncidentId', (r, v) => r.i.id === v)
        .string('rootCauseIncidentId', (r, v) => r.i.id === v)
        .string('configuration', (r, v) => r.i.externalTaskId === v)
        .flag('deleted', () => false)
        .strings('tenantIdIn', (r, v) => r.def?.tenantId != null && v.includes(r.def.tenantId))
        .flag('withoutTenantId', (r) => (r.def?.tenantId ?? null) === null);
      if (q.flag('open') && q.flag('resolved')) f.add(() => false);
      return f.list;
    },
  };
}

/** Registers the history routes. */
export const historyRoutes: RouteModule = (scope, ctx) => {
  const processes = processList(ctx);
  const activities = activityList(ctx);
  const variables = variableList(ctx);
  const incidents = incidentList(ctx);
  scope.get<{ Querystring: RawQuery }>('/history/process-instance', async (req) => (await listQuery(processes, req.query)).map((r) => historicProcessInstanceDto(r.h, r.def)));
  scope.get<{ Querystring: RawQuery }>('/history/process-instance/count', async (req) => countQuery(processes, req.query));
  scope.get<{ Params: { id: string } }>('/history/process-instance/:id', async (req) => {
    const h = await ctx.store.getHistoricProcessInstance(req.params.id);
    if (h === null) throw new ProcosError(ApiErrors.NOT_FOUND, `Historic process instance with id ${req.params.id} does not exist`, { resource: 'historic-process-instance', id: req.params.id });
    return historicProcessInstanceDto(h, await ctx.store.getProcessDefinition(h.processDefinitionId));
  });
  scope.get<{ Querystring: RawQuery }>('/history/activity-instance', async (req) => (await listQuery(activities, req.query)).map((r) => historicActivityInstanceDto(r.a, r.proc, r.tenantId)));
  scope.get<{ Querystring: RawQuery }>('/history/activity-instance/count', async (req) => countQuery(activities, req.query));
  scope.get<{ Querystring: RawQuery }>('/history/variable-instance', async (req) => (await listQuery(variables, req.query)).map((r) => historicVariableDto(r.v, r.proc, false)));
  scope.get<{ Querystring: RawQuery }>('/history/variable-instance/count', async (req) => countQuery(variables, req.query));
  scope.get<{ Querystring: RawQuery }>('/history/incident', async (req) => (await listQuery(incidents, req.query)).map((r) => historicIncidentDto(r.i, r.proc, r.def)));
  scope.get<{ Querystring: RawQuery }>('/history/incident/count', async (req) => countQuery(incidents, req.query));
};
