/**
 * Incidents (Camunda 7 REST "Incident"): list and count open incidents, get one, set or
 * clear its annotation. An unknown incident is 404 (Camunda documents 400 for the
 * annotation of an unknown incident).
 */
import { ProcosError } from '../../../common/errors.js';
import type { IncidentFilter, IncidentRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import type { RouteContext, RouteModule } from '../context.js';
import { DefinitionLookup, incidentDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { Body, likeMatch } from '../read.js';
import type { Query, RawQuery } from '../read.js';

/** An incident with its definition's key and tenant (for filters). */
interface IncidentRow {
  incident: IncidentRecord;
  processDefinitionKey: string | null;
  tenantId: string | null;
}

const CAMUNDA_PARAMS = [
  'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike', 'processDefinitionId', 'processDefinitionKeyIn', 'processInstanceId', 'executionId', 'incidentTimestampBefore',
  'incidentTimestampAfter', 'activityId', 'failedActivityId', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'tenantIdIn', 'jobDefinitionIdIn', 'sortBy', 'sortOrder',
];

function incidentList(ctx: RouteContext): ListSpec<IncidentRow> {
  const pushdown = (q: Query): IncidentFilter => {
    const f: { -readonly [K in keyof IncidentFilter]: IncidentFilter[K] } = { open: true };
    if (q.string('incidentType') !== undefined) f.type = q.string('incidentType');
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('executionId') !== undefined) f.activityInstanceId = q.string('executionId');
    if (q.string('activityId') !== undefined) f.elementId = q.string('activityId');
    return f;
  };
  const rows = async (list: IncidentRecord[]): Promise<IncidentRow[]> => {
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all(list.map(async (incident) => {
      const d = await defs.get(incident.processDefinitionId);
      return { incident, processDefinitionKey: d?.key ?? null, tenantId: d?.tenantId ?? null };
    }));
  };
  return {
    params: {
      incidentId: 'string', incidentType: 'string', incidentMessage: 'string', incidentMessageLike: 'string', processDefinitionId: 'string', processDefinitionKeyIn: 'list',
      processInstanceId: 'string', executionId: 'string', incidentTimestampBefore: 'date', incidentTimestampAfter: 'date', activityId: 'string', failedActivityId: 'string',
      causeIncidentId: 'string', rootCauseIncidentId: 'string', configuration: 'string', tenantIdIn: 'list',
    },
    camunda: CAMUNDA_PARAMS,
    sort: {
      incidentId: (r) => r.incident.id,
      incidentMessage: (r) => r.incident.message,
      incidentTimestamp: (r) => r.incident.createdTime,
      incidentType: (r) => r.incident.type,
      executionId: (r) => r.incident.activityInstanceId,
      activityId: (r) => r.incident.elementId,
      processInstanceId: (r) => r.incident.processInstanceId,
      processDefinitionId: (r) => r.incident.processDefinitionId,
      causeIncidentId: (r) => r.incident.id,
      rootCauseIncidentId: (r) => r.incident.id,
      configuration: (r) => r.incident.externalTaskId,
      tenantId: (r) => r.tenantId,
    },
    load: async (q, page) => rows(await ctx.store.listIncidents(pushdown(q), page)),
    count: (q) => ctx.store.countIncidents(pushdown(q)),
    memory: async (q) =>
      new Filters<IncidentRow>(q)
        .string('incidentId', (r, v) => r.incident.id === v)
        .string('incidentMessage', (r, v) => r.incident.message === v)
        .string('incidentMessageLike', (r, v) => likeMatch(v, r.incident.message))
        .string('processDefinitionId', (r, v) => r.incident.processDefinitionId === v)
        .strings('processDefinitionKeyIn', (r, v) => r.processDefinitionKey !== null && v.includes(r.processDefinitionKey))
        .date('incidentTimestampBefore', (r, ms) => r.incident.createdTime < ms)
        .date('incidentTimestampAfter', (r, ms) => r.incident.createdTime > ms)
        .string('failedActivityId', (r, v) => r.incident.elementId === v)
        .string('causeIncidentId', (r, v) => r.incident.id === v)
        .string('rootCauseIncidentId', (r, v) => r.incident.id === v)
        .string('configuration', (r, v) => r.incident.externalTaskId === v)
        .strings('tenantIdIn', (r, v) => r.tenantId !== null && v.includes(r.tenantId)).list,
  };
}

async function openIncident(ctx: RouteContext, id: string): Promise<IncidentRecord> {
  const i = await ctx.store.getIncident(id);
  if (i === null || i.resolvedTime !== null) throw new ProcosError(ApiErrors.NOT_FOUND, `Incident with id ${id} does not exist`, { resource: 'incident', id });
  return i;
}

/** Registers the incident routes. */
export const incidentRoutes: RouteModule = (scope, ctx) => {
  const list = incidentList(ctx);
  scope.get<{ Querystring: RawQuery }>('/incident', async (req) => (await listQuery(list, req.query)).map((r) => incidentDto(r.incident, r.tenantId)));
  scope.get<{ Querystring: RawQuery }>('/incident/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/incident/:id', async (req) => {
    const i = await openIncident(ctx, req.params.id);
    return incidentDto(i, (await ctx.store.getProcessDefinition(i.processDefinitionId))?.tenantId ?? null);
  });
  scope.put<{ Params: { id: string } }>('/incident/:id/annotation', async (req, reply) => {
    const annotation = new Body(req.body).string('annotation');
    await openIncident(ctx, req.params.id);
    await ctx.store.setIncidentAnnotation(req.params.id, annotation ?? null);
    return reply.code(204).send();
  });
  scope.delete<{ Params: { id: string } }>('/incident/:id/annotation', async (req, reply) => {
    await openIncident(ctx, req.params.id);
    await ctx.store.setIncidentAnnotation(req.params.id, null);
    return reply.code(204).send();
  });
};
