/**
 * Deployments (Camunda 7 REST "Deployment"): create (multipart, as Camunda Modeler
 * sends it), list, count, get, delete.
 *
 * Differences from Camunda: ProcOS versions per process, not per deployment — an
 * unchanged process is never deployed again, whatever `enable-duplicate-filtering` and
 * `deploy-changed-only` say, and the answer's `deployedProcessDefinitions` names the
 * definitions the resources stand for (new or existing), so that a client can start
 * the process right away. A deployment without `deployment-name` is named after its
 * first resource (Camunda leaves the name null).
 *
 * Deleting a deployment removes its resources and process definitions (and the ended
 * instances of them; their history stays). While instances of its definitions run it is
 * refused as Camunda refuses it (500, "Deletion of process definition without cascading
 * failed…", PROCOS_API_DEPLOYMENT_IN_USE), unless `cascade=true`, which deletes those
 * instances (and the instances they called) with their tasks, jobs, subscriptions,
 * incidents, variables and history. `skipCustomListeners` and `skipIoMappings` change
 * nothing (ProcOS runs no listeners, and deleted instances run no output mappings).
 */
import { ProcosError, isProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import { StoreErrors } from '../../../store/index.js';
import type { DeploymentRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import { baseUrl } from '../context.js';
import type { RouteContext, RouteModule } from '../context.js';
import { deploymentDto, processDefinitionDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { parseMultipart } from '../multipart.js';
import type { FormPart } from '../multipart.js';
import { likeMatch, Query } from '../read.js';
import type { RawQuery } from '../read.js';

const FIELDS = new Set(['deployment-name', 'deployment-source', 'enable-duplicate-filtering', 'deploy-changed-only', 'tenant-id', 'deployment-activation-time']);

const CAMUNDA_PARAMS = ['id', 'name', 'nameLike', 'source', 'withoutSource', 'tenantIdIn', 'withoutTenantId', 'includeDeploymentsWithoutTenantId', 'after', 'before', 'sortBy', 'sortOrder', 'firstResult', 'maxResults'];

function deploymentList(ctx: RouteContext): ListSpec<DeploymentRecord> {
  const pushdown = (q: Query): { name?: string; source?: string } => ({
    ...(q.string('name') !== undefined ? { name: q.string('name')! } : {}),
    ...(q.string('source') !== undefined ? { source: q.string('source')! } : {}),
  });
  return {
    params: { id: 'string', name: 'string', nameLike: 'string', source: 'string', withoutSource: 'boolean', tenantIdIn: 'list', withoutTenantId: 'boolean', includeDeploymentsWithoutTenantId: 'boolean', after: 'date', before: 'date' },
    camunda: CAMUNDA_PARAMS,
    sort: { id: (d) => d.id, name: (d) => d.name, deploymentTime: (d) => d.deployTime, tenantId: (d) => d.tenantId },
    load: (q, page) => ctx.store.listDeployments(pushdown(q), page),
    count: (q) => ctx.store.countDeployments(pushdown(q)),
    memory: async (q) => {
      const withNull = q.flag('includeDeploymentsWithoutTenantId');
      return new Filters<DeploymentRecord>(q)
        .string('id', (d, v) => d.id === v)
        .string('nameLike', (d, v) => likeMatch(v, d.name))
        .flag('withoutSource', (d) => d.source === null)
        .strings('tenantIdIn', (d, v) => (d.tenantId !== null && v.includes(d.tenantId)) || (withNull && d.tenantId === null))
        .flag('withoutTenantId', (d) => d.tenantId === null)
        .date('after', (d, ms) => d.deployTime > ms)
        .date('before', (d, ms) => d.deployTime < ms).list;
    },
  };
}

function field(parts: FormPart[], name: string): string | undefined {
  const p = parts.find((x) => x.name === name);
  return p === undefined ? undefined : p.content.toString('utf8');
}

function flagField(parts: FormPart[], name: string): boolean {
  const v = field(parts, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new ProcosError(ApiErrors.INVALID_REQUEST, `Form field '${name}' must be true or false, got '${v}'`, { field: name, value: v });
}

async function create(ctx: RouteContext, body: unknown, base: string): Promise<Record<string, JsonValue>> {
  if (!Array.isArray(body)) throw new ProcosError(ApiErrors.UNSUPPORTED_MEDIA_TYPE, 'POST /deployment/create takes a multipart/form-data body', { contentType: 'application/json' });
  const parts = body as FormPart[];
  flagField(parts, 'enable-duplicate-filtering');
  flagField(parts, 'deploy-changed-only');
  if (field(parts, 'deployment-activation-time') !== undefined) {
    throw new ProcosError(ApiErrors.NOT_SUPPORTED, 'deployment-activation-time is not supported by ProcOS yet (definitions are active at once; there is no suspension)', { feature: 'deployment-activation-time' });
  }
  const resources = parts.filter((p) => !FIELDS.has(p.name));
  for (const r of resources) {
    if (r.filename === null || r.filename === '') {
      throw new ProcosError(ApiErrors.INVALID_REQUEST, `No file name found in the deployment resource described by form parameter '${r.name}'.`, { field: r.name });
    }
  }
  if (resources.length === 0) throw new ProcosError(ApiErrors.INVALID_REQUEST, 'No deployment resources contained in the form upload.', { field: 'body' });
  const tenantId = field(parts, 'tenant-id');
  const name = field(parts, 'deployment-name');
  const result = await ctx.runtime.deploy({
    // ProcOS deployments always have a name: without one, the first resource names it.
    name: name === undefined || name === '' ? resources[0]!.filename! : name,
    source: field(parts, 'deployment-source') ?? null,
    tenantId: tenantId === undefined || tenantId === '' ? null : tenantId,
    resources: resources.map((r) => ({ name: r.filename!, content: new Uint8Array(r.content.buffer, r.content.byteOffset, r.content.byteLength) })),
  });
  const defs: Record<string, JsonValue> = {};
  for (const d of result.definitions) defs[d.id] = processDefinitionDto(d);
  return {
    ...deploymentDto(result.deployment, base),
    deployedProcessDefinitions: result.definitions.length > 0 ? defs : null,
    deployedCaseDefinitions: null,
    deployedDecisionDefinitions: null,
    deployedDecisionRequirementsDefinitions: null,
  };
}

async function remove(ctx: RouteContext, id: string, raw: RawQuery): Promise<void> {
  const q = new Query(raw, { cascade: 'boolean', skipCustomListeners: 'boolean', skipIoMappings: 'boolean' });
  try {
    await ctx.runtime.deleteDeployment(id, { cascade: q.flag('cascade') });
  } catch (e) {
    if (isProcosError(e, StoreErrors.DEPLOYMENT_NOT_FOUND)) {
      throw new ProcosError(ApiErrors.NOT_FOUND, `Deployment with id '${id}' does not exist`, { resource: 'deployment', id }, { cause: e });
    }
    if (isProcosError(e, StoreErrors.DEPLOYMENT_IN_USE)) {
      const n = typeof e.details.runningInstances === 'number' ? e.details.runningInstances : 0;
      throw new ProcosError(
        ApiErrors.DEPLOYMENT_IN_USE,
        `Deletion of process definition without cascading failed. Process definition with id: ${String(e.details.processDefinitionId)} can't be deleted, since there exists ${n} dependening process instances.`,
        { deploymentId: id, runningInstances: n },
        { cause: e },
      );
    }
    throw e;
  }
}

/** Registers the deployment routes (and the multipart body parser of this scope). */
export const deploymentRoutes: RouteModule = (scope, ctx) => {
  if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: ctx.bodyLimit }, (req, body, done) => {
    try {
      done(null, parseMultipart(Buffer.isBuffer(body) ? body : Buffer.from(body), req.headers['content-type']));
    } catch (e) {
      done(e instanceof Error ? e : new Error(String(e)), undefined);
    }
  });
  const list = deploymentList(ctx);
  scope.post('/deployment/create', { bodyLimit: ctx.bodyLimit }, async (req) => create(ctx, req.body, baseUrl(scope, req)));
  scope.get<{ Querystring: RawQuery }>('/deployment', async (req) => (await listQuery(list, req.query)).map((d) => deploymentDto(d, baseUrl(scope, req))));
  scope.get<{ Querystring: RawQuery }>('/deployment/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/deployment/:id', async (req) => {
    const d = await ctx.store.getDeployment(req.params.id);
    if (d === null) throw new ProcosError(ApiErrors.NOT_FOUND, `Deployment with id '${req.params.id}' does not exist`, { resource: 'deployment', id: req.params.id });
    return deploymentDto(d, baseUrl(scope, req));
  });
  scope.delete<{ Params: { id: string }; Querystring: RawQuery }>('/deployment/:id', async (req, reply) => {
    await remove(ctx, req.params.id, req.query);
    return reply.code(204).send();
  });
};
