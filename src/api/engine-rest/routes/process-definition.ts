/**
 * Process definitions (Camunda 7 REST "Process Definition"): list, count, get by id or
 * key (latest version), BPMN XML, and start an instance by id or key.
 *
 * Differences from Camunda: ProcOS has no suspension, no start forms, no case
 * instances; `startInstructions` (start at chosen activities) are refused with
 * PROCOS_API_NOT_SUPPORTED rather than ignored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import { RuntimeErrors } from '../../../runtime/index.js';
import type { ProcessDefinitionFilter, ProcessDefinitionRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import { baseUrl } from '../context.js';
import type { RouteContext, RouteModule } from '../context.js';
import { processDefinitionDto, processInstanceDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { Body, likeMatch } from '../read.js';
import type { Query, RawQuery } from '../read.js';
import { fromTypedVariables, toTypedVariables } from '../variables.js';

const CAMUNDA_PARAMS = [
  'processDefinitionId', 'processDefinitionIdIn', 'name', 'nameLike', 'deploymentId', 'deployedAfter', 'deployedAt', 'key', 'keysIn', 'keyLike', 'category', 'categoryLike',
  'version', 'latestVersion', 'resourceName', 'resourceNameLike', 'startableBy', 'active', 'suspended', 'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike',
  'tenantIdIn', 'withoutTenantId', 'includeProcessDefinitionsWithoutTenantId', 'versionTag', 'versionTagLike', 'withoutVersionTag', 'startableInTasklist', 'notStartableInTasklist',
  'startablePermissionCheck', 'sortBy', 'sortOrder', 'firstResult', 'maxResults',
];

function definitionList(ctx: RouteContext): ListSpec<ProcessDefinitionRecord> {
  const pushdown = (q: Query): ProcessDefinitionFilter => {
    const f: { -readonly [K in keyof ProcessDefinitionFilter]: ProcessDefinitionFilter[K] } = {};
    if (q.string('key') !== undefined) f.key = q.string('key');
    if (q.list('keysIn') !== undefined) f.keyIn = q.list('keysIn');
    if (q.string('deploymentId') !== undefined) f.deploymentId = q.string('deploymentId');
    if (q.string('versionTag') !== undefined) f.versionTag = q.string('versionTag');
    if (q.integer('version') !== undefined) f.version = q.integer('version');
    if (q.flag('latestVersion')) f.latestOnly = true;
    return f;
  };
  return {
    params: {
      processDefinitionId: 'string', processDefinitionIdIn: 'list', name: 'string', nameLike: 'string', deploymentId: 'string', key: 'string', keysIn: 'list', keyLike: 'string',
      version: 'integer', latestVersion: 'boolean', resourceName: 'string', resourceNameLike: 'string', active: 'boolean', suspended: 'boolean', tenantIdIn: 'list', withoutTenantId: 'boolean',
      includeProcessDefinitionsWithoutTenantId: 'boolean', versionTag: 'string', versionTagLike: 'string', withoutVersionTag: 'boolean', startableInTasklist: 'boolean', notStartableInTasklist: 'boolean',
    },
    camunda: CAMUNDA_PARAMS,
    sort: { id: (d) => d.id, key: (d) => d.key, name: (d) => d.name, version: (d) => d.version, deploymentId: (d) => d.deploymentId, tenantId: (d) => d.tenantId, versionTag: (d) => d.versionTag },
    load: (q, page) => ctx.store.listProcessDefinitions(pushdown(q), page),
    count: (q) => ctx.store.countProcessDefinitions(pushdown(q)),
    memory: async (q) => {
      const withNull = q.flag('includeProcessDefinitionsWithoutTenantId');
      return new Filters<ProcessDefinitionRecord>(q)
        .string('processDefinitionId', (d, v) => d.id === v)
        .strings('processDefinitionIdIn', (d, v) => v.includes(d.id))
        .string('name', (d, v) => d.name === v)
        .string('nameLike', (d, v) => likeMatch(v, d.name))
        .string('keyLike', (d, v) => likeMatch(v, d.key))
        .string('resourceName', (d, v) => d.resourceName === v)
        .string('resourceNameLike', (d, v) => likeMatch(v, d.resourceName))
        .string('versionTagLike', (d, v) => likeMatch(v, d.versionTag))
        .flag('withoutVersionTag', (d) => d.versionTag === null)
        .strings('tenantIdIn', (d, v) => (d.tenantId !== null && v.includes(d.tenantId)) || (withNull && d.tenantId === null))
        .flag('withoutTenantId', (d) => d.tenantId === null)
        .flag('suspended', () => false)
        .flag('notStartableInTasklist', () => false).list;
    },
  };
}

async function byId(ctx: RouteContext, id: string): Promise<ProcessDefinitionRecord> {
  const d = await ctx.store.getProcessDefinition(id);
  if (d === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `No matching definition with id ${id}`, { id });
  return d;
}

async function byKey(ctx: RouteContext, key: string): Promise<ProcessDefinitionRecord> {
  const d = await ctx.store.getLatestProcessDefinition(key);
  if (d === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `No matching process definition with key: ${key} and no tenant-id`, { key });
  return d;
}

async function xml(ctx: RouteContext, d: ProcessDefinitionRecord): Promise<{ id: string; bpmn20Xml: string }> {
  const res = await ctx.store.getResource(d.deploymentId, d.resourceName);
  if (res === null) throw new ProcosError(ApiErrors.NOT_FOUND, `The BPMN resource ${d.resourceName} of process definition ${d.id} is missing`, { resource: 'resource', id: d.resourceName });
  return { id: d.id, bpmn20Xml: new TextDecoder('utf-8').decode(res.content) };
}

async function start(scope: FastifyInstance, ctx: RouteContext, req: FastifyRequest, d: ProcessDefinitionRecord): Promise<Record<string, JsonValue>> {
  const body = new Body(req.body);
  const instructions = body.raw('startInstructions');
  if (Array.isArray(instructions) && instructions.length > 0) {
    throw new ProcosError(ApiErrors.NOT_SUPPORTED, 'startInstructions are not supported by ProcOS yet: instances start at the none start event', { feature: 'startInstructions' });
  }
  if (body.string('caseInstanceId') !== undefined) throw new ProcosError(ApiErrors.NOT_SUPPORTED, 'caseInstanceId is not supported: ProcOS runs no CMMN cases', { feature: 'caseInstanceId' });
  body.boolean('skipCustomListeners');
  body.boolean('skipIoMappings');
  const withVariables = body.boolean('withVariablesInReturn') === true;
  const businessKey = body.string('businessKey');
  const variables = fromTypedVariables(body.raw('variables'), 'variables');
  const started = await ctx.runtime.startInstance({ definition: d, ...(businessKey !== undefined ? { businessKey } : {}), ...(variables !== undefined ? { variables } : {}) });
  const dto = processInstanceDto({ ...started, status: started.status }, d.tenantId, baseUrl(scope, req));
  return withVariables ? { ...dto, variables: toTypedVariables(started.variables) as unknown as JsonValue } : dto;
}

/** Registers the process definition routes. */
export const processDefinitionRoutes: RouteModule = (scope, ctx) => {
  const list = definitionList(ctx);
  scope.get<{ Querystring: RawQuery }>('/process-definition', async (req) => (await listQuery(list, req.query)).map(processDefinitionDto));
  scope.get<{ Querystring: RawQuery }>('/process-definition/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/process-definition/:id', async (req) => processDefinitionDto(await byId(ctx, req.params.id)));
  scope.get<{ Params: { key: string } }>('/process-definition/key/:key', async (req) => processDefinitionDto(await byKey(ctx, req.params.key)));
  scope.get<{ Params: { id: string } }>('/process-definition/:id/xml', async (req) => xml(ctx, await byId(ctx, req.params.id)));
  scope.get<{ Params: { key: string } }>('/process-definition/key/:key/xml', async (req) => xml(ctx, await byKey(ctx, req.params.key)));
  scope.post<{ Params: { id: string } }>('/process-definition/:id/start', { bodyLimit: ctx.bodyLimit }, async (req) => start(scope, ctx, req, await byId(ctx, req.params.id)));
  scope.post<{ Params: { key: string } }>('/process-definition/key/:key/start', { bodyLimit: ctx.bodyLimit }, async (req) => start(scope, ctx, req, await byKey(ctx, req.params.key)));
};
