/**
 * Process instances (Camunda 7 REST "Process Instance"): list, count, get, delete
 * (cancel), variables (with the binary `…/data` of File and Bytes variables), and the
 * activity instance tree. Also `GET /execution/{id}/localVariables/{name}/data`, the
 * route camunda-external-task-client-js reads File variables from (with the process
 * instance id as execution id).
 *
 * As in Camunda, these routes see running instances only: an ended instance is answered
 * 404 here and is found under `/history/process-instance`.
 */
import type { FastifyReply } from 'fastify';
import { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import type { InstanceFilter, InstanceSummary, VariableRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import { baseUrl } from '../context.js';
import type { RouteContext, RouteModule } from '../context.js';
import { activityInstanceDto, DefinitionLookup, processInstanceDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { likeMatch, Query } from '../read.js';
import type { RawQuery } from '../read.js';
import { binaryContent, toTypedValue, toTypedVariables } from '../variables.js';

const CAMUNDA_PARAMS = [
  'sortBy', 'sortOrder', 'firstResult', 'maxResults', 'processInstanceIds', 'businessKey', 'businessKeyLike', 'caseInstanceId', 'processDefinitionId', 'processDefinitionKey',
  'processDefinitionKeyIn', 'processDefinitionKeyNotIn', 'deploymentId', 'superProcessInstance', 'subProcessInstance', 'superCaseInstance', 'subCaseInstance', 'active', 'suspended',
  'withIncident', 'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike', 'tenantIdIn', 'withoutTenantId', 'processDefinitionWithoutTenantId', 'activityIdIn',
  'rootProcessInstances', 'leafProcessInstances', 'variables', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase',
];

function instanceList(ctx: RouteContext): ListSpec<InstanceSummary> {
  const pushdown = (q: Query): InstanceFilter => {
    const f: { -readonly [K in keyof InstanceFilter]: InstanceFilter[K] } = { status: 'active' };
    if (q.list('processInstanceIds') !== undefined) f.ids = q.list('processInstanceIds');
    if (q.string('businessKey') !== undefined) f.businessKey = q.string('businessKey');
    if (q.string('processDefinitionId') !== undefined) f.processDefinitionId = q.string('processDefinitionId');
    if (q.string('processDefinitionKey') !== undefined) f.processDefinitionKey = q.string('processDefinitionKey');
    if (q.string('superProcessInstance') !== undefined) f.superInstanceId = q.string('superProcessInstance');
    return f;
  };
  return {
    params: {
      processInstanceIds: 'list', businessKey: 'string', businessKeyLike: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionKeyIn: 'list',
      processDefinitionKeyNotIn: 'list', deploymentId: 'string', superProcessInstance: 'string', subProcessInstance: 'string', active: 'boolean', suspended: 'boolean', withIncident: 'boolean',
      incidentId: 'string', incidentType: 'string', incidentMessage: 'string', incidentMessageLike: 'string', tenantIdIn: 'list', withoutTenantId: 'boolean', rootProcessInstances: 'boolean',
    },
    camunda: CAMUNDA_PARAMS,
    sort: { instanceId: (i) => i.id, definitionKey: (i) => i.processDefinitionKey, definitionId: (i) => i.processDefinitionId, businessKey: (i) => i.businessKey },
    load: (q, page) => ctx.store.listInstances(pushdown(q), page),
    count: (q) => ctx.store.countInstances(pushdown(q)),
    memory: async (q) => {
      const f = new Filters<InstanceSummary>(q)
        .string('businessKeyLike', (i, v) => likeMatch(v, i.businessKey))
        .strings('processDefinitionKeyIn', (i, v) => v.includes(i.processDefinitionKey))
        .strings('processDefinitionKeyNotIn', (i, v) => !v.includes(i.processDefinitionKey))
        .flag('suspended', () => false)
        .flag('rootProcessInstances', (i) => i.superInstanceId === null);
      const deploymentId = q.string('deploymentId');
      if (deploymentId !== undefined) {
        const ids = new Set((await ctx.store.listProcessDefinitions({ deploymentId })).map((d) => d.id));
        f.add((i) => ids.has(i.processDefinitionId));
      }
      const sub = q.string('subProcessInstance');
      if (sub !== undefined) {
        const parent = (await ctx.store.getInstance(sub))?.superInstanceId ?? null;
        f.add((i) => i.id === parent);
      }
      if (q.flag('withIncident') || ['incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike'].some((p) => q.has(p))) {
        const open = (await ctx.store.listIncidents({ open: true })).filter(
          (inc) =>
            (q.string('incidentId') ?? inc.id) === inc.id &&
            (q.string('incidentType') ?? inc.type) === inc.type &&
            (q.string('incidentMessage') ?? inc.message) === inc.message &&
            (q.string('incidentMessageLike') === undefined || likeMatch(q.string('incidentMessageLike')!, inc.message)),
        );
        const pids = new Set(open.map((inc) => inc.processInstanceId));
        f.add((i) => pids.has(i.id));
      }
      if (q.has('tenantIdIn') || q.flag('withoutTenantId')) {
        const defs = new DefinitionLookup(ctx.store);
        const tenants = new Map<string, string | null>();
        for (const i of await ctx.store.listInstances(pushdown(q))) tenants.set(i.processDefinitionId, (await defs.get(i.processDefinitionId))?.tenantId ?? null);
        const wanted = q.list('tenantIdIn');
        if (wanted !== undefined) f.add((i) => wanted.includes(tenants.get(i.processDefinitionId) ?? '\u0000'));
        if (q.flag('withoutTenantId')) f.add((i) => (tenants.get(i.processDefinitionId) ?? null) === null);
      }
      return f.list;
    },
  };
}

/** The running instance, or 404 (unknown or ended), as Camunda answers. */
async function running(ctx: RouteContext, id: string): Promise<InstanceSummary> {
  const i = await ctx.store.getInstance(id);
  if (i === null || i.status !== 'active') throw new ProcosError(ApiErrors.NOT_FOUND, `Process instance with id ${id} does not exist`, { resource: 'process-instance', id });
  return i;
}

async function variable(ctx: RouteContext, scopeId: string, name: string, searchInstance: boolean): Promise<VariableRecord> {
  let v = await ctx.store.getVariable(scopeId, name);
  if (v === null && searchInstance) {
    // A File read through the process instance id may live in an inner scope.
    const found = await ctx.store.listVariables({ processInstanceId: scopeId, name });
    if (found.length === 1) v = found[0]!;
  }
  if (v === null) throw new ProcosError(ApiErrors.NOT_FOUND, `variable ${name} does not exist in ${scopeId}`, { resource: 'variable', id: name });
  return v;
}

/** Sends the content of a File or Bytes variable, as Camunda's `…/data` routes do. */
export function sendBinary(reply: FastifyReply, name: string, value: JsonValue): FastifyReply {
  const bin = binaryContent(value);
  if (bin === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, `Value of variable with id ${name} is not a binary value.`, { field: name });
  const type = bin.mimeType === null ? 'application/octet-stream' : bin.encoding === null ? bin.mimeType : `${bin.mimeType}; charset=${bin.encoding}`;
  reply.header('content-type', type);
  if (bin.filename !== null) reply.header('content-disposition', `attachment; filename="${bin.filename.replace(/["\\\r\n]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(bin.filename)}`);
  return reply.send(bin.content);
}

/** Registers the process instance and execution variable routes. */
export const processInstanceRoutes: RouteModule = (scope, ctx) => {
  const list = instanceList(ctx);
  scope.get<{ Querystring: RawQuery }>('/process-instance', async (req) => {
    const defs = new DefinitionLookup(ctx.store);
    const rows = await listQuery(list, req.query);
    return Promise.all(rows.map(async (i) => processInstanceDto(i, (await defs.get(i.processDefinitionId))?.tenantId ?? null, baseUrl(scope, req))));
  });
  scope.get<{ Querystring: RawQuery }>('/process-instance/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/process-instance/:id', async (req) => {
    const i = await running(ctx, req.params.id);
    return processInstanceDto(i, (await ctx.store.getProcessDefinition(i.processDefinitionId))?.tenantId ?? null, baseUrl(scope, req));
  });
  scope.delete<{ Params: { id: string }; Querystring: RawQuery }>('/process-instance/:id', async (req, reply) => {
    const q = new Query(req.query, { skipCustomListeners: 'boolean', skipIoMappings: 'boolean', skipSubprocesses: 'boolean', failIfNotExists: 'boolean' });
    const i = await ctx.store.getInstance(req.params.id);
    if (i === null || i.status !== 'active') {
      if (q.boolean('failIfNotExists') === false) return reply.code(204).send();
      throw new ProcosError(ApiErrors.NOT_FOUND, `Process instance with id ${req.params.id} does not exist`, { resource: 'process-instance', id: req.params.id });
    }
    await ctx.runtime.cancelInstance(i.id);
    return reply.code(204).send();
  });
  scope.get<{ Params: { id: string }; Querystring: RawQuery }>('/process-instance/:id/variables', async (req) => {
    new Query(req.query, { deserializeValues: 'boolean' });
    const i = await running(ctx, req.params.id);
    const vars: Record<string, JsonValue> = {};
    for (const v of await ctx.store.listVariables({ processInstanceId: i.id, scopeId: i.id })) vars[v.name] = v.value;
    return toTypedVariables(vars);
  });
  scope.get<{ Params: { id: string; name: string }; Querystring: RawQuery }>('/process-instance/:id/variables/:name', async (req) => {
    new Query(req.query, { deserializeValue: 'boolean' });
    const i = await running(ctx, req.params.id);
    return toTypedValue((await variable(ctx, i.id, req.params.name, false)).value);
  });
  scope.get<{ Params: { id: string; name: string } }>('/process-instance/:id/variables/:name/data', async (req, reply) => {
    const i = await running(ctx, req.params.id);
    return sendBinary(reply, req.params.name, (await variable(ctx, i.id, req.params.name, false)).value);
  });
  scope.get<{ Params: { id: string; name: string } }>('/execution/:id/localVariables/:name/data', async (req, reply) => {
    return sendBinary(reply, req.params.name, (await variable(ctx, req.params.id, req.params.name, true)).value);
  });
  scope.get<{ Params: { id: string } }>('/process-instance/:id/activity-instances', async (req) => {
    await running(ctx, req.params.id);
    const tree = await ctx.runtime.activityInstanceTree(req.params.id);
    return activityInstanceDto(tree.root, tree.processInstanceId, tree.processDefinitionId);
  });
};
