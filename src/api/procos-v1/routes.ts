/**
 * `/procos/v1`: ProcOS's own small API, what the `procos` commands use. JSON in and out;
 * a refused request answers `{error: {code, message, details}}` with the code's HTTP
 * status (`PROCOS_RUNTIME_INSTANCE_NOT_FOUND` → 404 …).
 *
 * | route | does |
 * |---|---|
 * | `GET /status` | counts: definitions, instances, tasks, incidents; kernel info |
 * | `GET /definitions` | deployed definitions (`?all=true`: every version, else the latest) |
 * | `POST /deployments` | `{name?, resources: [{name, content}]}` → deployed definitions |
 * | `GET /instances` | `?state=active\|ended\|completed\|terminated\|all&key=&businessKey=&limit=` |
 * | `POST /instances` | `{key, businessKey?, variables?}` → the started instance |
 * | `GET /instances/:id` | history, variables, incidents, tasks |
 * | `DELETE /instances/:id` | cancels (`?reason=`) |
 * | `GET /incidents` | `?state=open\|resolved\|all&instance=` |
 * | `POST /incidents/:id/retry` | resolves the incident by retrying what failed |
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProcosError, isProcosError } from '../../common/errors.js';
import type { JsonObject, JsonValue } from '../../common/json.js';
import { RuntimeErrors } from '../../runtime/index.js';
import { ApiErrors } from '../errors.js';
import type { Runtime } from '../../runtime/index.js';
import type { DeploymentResultView, ErrorBody, InstanceView, StatusView } from './types.js';
import { DefinitionLookup, definitionView, incidentView, instanceDetail, instanceView, listInstanceViews, statusCounts } from './views.js';

/** Options of {@link procosV1Routes}. */
export interface ProcosV1Options {
  readonly runtime: Runtime;
  /** Extra fields of `GET /status` under `kernel` (workers, uptime …). @default {} */
  readonly kernelStatus?: () => JsonObject | Promise<JsonObject>;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

const deployBody = z.strictObject({
  name: z.string().min(1).optional(),
  source: z.string().optional(),
  resources: z
    .array(z.strictObject({ name: z.string().min(1), content: z.string() }))
    .min(1, { error: 'expected at least one resource' }),
});

const startBody = z.strictObject({
  key: z.string().min(1, { error: 'expected a process definition key' }),
  businessKey: z.string().nullable().optional(),
  variables: z.record(z.string(), jsonValue).optional(),
});

const limit = z.coerce.number().int().min(1).max(10_000).default(100);

const instancesQuery = z.object({
  state: z.enum(['active', 'ended', 'completed', 'terminated', 'all']).default('active'),
  key: z.string().min(1).optional(),
  businessKey: z.string().min(1).optional(),
  limit,
});

const incidentsQuery = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  instance: z.string().min(1).optional(),
  limit,
});

const definitionsQuery = z.object({ all: z.enum(['true', 'false']).default('false'), key: z.string().min(1).optional() });

/** Parses request input; a mismatch is PROCOS_API_INVALID_REQUEST naming the field. */
function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : where;
  const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  throw new ProcosError(ApiErrors.INVALID_REQUEST, `${where === 'body' ? 'request body' : 'query'} ${field}: ${message}`, { field });
}

/** Sends a coded error. Errors that are not ProcosErrors are answered as 500 without internals. */
export function sendError(reply: FastifyReply, e: unknown, log: FastifyInstance['log']): FastifyReply {
  if (isProcosError(e)) {
    const body: ErrorBody = { error: { code: e.code, message: e.message, details: JSON.parse(JSON.stringify(e.details)) as Record<string, JsonValue> } };
    return reply.code(e.status).send(body);
  }
  const fastifyError = e as { statusCode?: number; message?: string; code?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    const body: ErrorBody = { error: { code: ApiErrors.INVALID_REQUEST.code, message: fastifyError.message ?? 'bad request' } };
    return reply.code(fastifyError.statusCode).send(body);
  }
  log.error({ err: e }, 'request failed');
  const body: ErrorBody = { error: { code: ApiErrors.INTERNAL.code, message: `internal error: ${e instanceof Error ? e.message : String(e)}` } };
  return reply.code(500).send(body);
}

function notFound(id: string): ProcosError {
  return new ProcosError(RuntimeErrors.INSTANCE_NOT_FOUND, `process instance ${id} does not exist`, { processInstanceId: id });
}

/**
 * Registers the `/procos/v1` routes on `app` (register it with `prefix: '/procos/v1'`).
 * @example
 * await app.register((child) => procosV1Routes(child, { runtime }), { prefix: '/procos/v1' });
 */
export async function procosV1Routes(app: FastifyInstance, options: ProcosV1Options): Promise<void> {
  const { runtime } = options;
  const store = runtime.store;

  app.setErrorHandler((error, _request, reply) => sendError(reply, error, app.log));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new ProcosError(ApiErrors.NOT_FOUND, `no route ${request.method} ${request.url.replace(/\?.*$/, '')} in /procos/v1`, { resource: 'route', id: request.url }), app.log),
  );

  app.get('/status', async (): Promise<StatusView> => {
    const counts = await statusCounts(store, runtime.now());
    return { ...counts, kernel: (await options.kernelStatus?.()) ?? {} };
  });

  app.get('/definitions', async (request: FastifyRequest) => {
    const q = parse(definitionsQuery, request.query, 'query');
    const defs = await store.listProcessDefinitions({ ...(q.all === 'true' ? {} : { latestOnly: true }), ...(q.key !== undefined ? { key: q.key } : {}) });
    return { definitions: defs.map(definitionView) };
  });

  app.post('/deployments', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parse(deployBody, request.body, 'body');
    const result = await runtime.deploy({
      name: body.name ?? body.resources.map((r) => r.name).join(', '),
      source: body.source ?? 'procos/v1',
      resources: body.resources,
    });
    const view: DeploymentResultView = {
      deploymentId: result.deployment.id,
      duplicate: result.duplicate,
      definitions: result.definitions.map((d) => ({ ...definitionView(d), isNew: !result.duplicate && d.deploymentId === result.deployment.id })),
    };
    return reply.code(result.duplicate ? 200 : 201).send(view);
  });

  app.get('/instances', async (request: FastifyRequest) => {
    const q = parse(instancesQuery, request.query, 'query');
    return listInstanceViews(store, {
      state: q.state,
      limit: q.limit,
      ...(q.key !== undefined ? { key: q.key } : {}),
      ...(q.businessKey !== undefined ? { businessKey: q.businessKey } : {}),
    });
  });

  app.post('/instances', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parse(startBody, request.body, 'body');
    const started = await runtime.startInstance({
      key: body.key,
      ...(body.businessKey !== undefined ? { businessKey: body.businessKey } : {}),
      ...(body.variables !== undefined ? { variables: body.variables } : {}),
    });
    const rec = await store.getInstance(started.id);
    if (rec === null) throw notFound(started.id);
    const view: InstanceView = await instanceView(store, rec, new DefinitionLookup(store));
    return reply.code(201).send(view);
  });

  app.get('/instances/:id', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const detail = await instanceDetail(store, request.params.id);
    if (detail === null) throw notFound(request.params.id);
    return detail;
  });

  app.delete('/instances/:id', async (request: FastifyRequest<{ Params: { id: string }; Querystring: { reason?: string } }>) => {
    const id = request.params.id;
    const rec = await runtime.getInstance(id);
    if (rec.status !== 'active') {
      throw new ProcosError(ApiErrors.INVALID_REQUEST, `process instance ${id} has already ended (${rec.status}); nothing to cancel`, { field: 'id' });
    }
    await runtime.cancelInstance(id, request.query.reason ?? 'cancelled through /procos/v1');
    const after = await runtime.getInstance(id);
    return instanceView(store, after, new DefinitionLookup(store));
  });

  app.get('/incidents', async (request: FastifyRequest) => {
    const q = parse(incidentsQuery, request.query, 'query');
    const filter = {
      ...(q.instance !== undefined ? { processInstanceId: q.instance } : {}),
      ...(q.state === 'open' ? { open: true } : q.state === 'resolved' ? { open: false } : {}),
    };
    const total = await store.countHistoricIncidents(filter);
    const rows = await store.listHistoricIncidents(filter, { firstResult: Math.max(0, total - q.limit), maxResults: q.limit });
    const defs = new DefinitionLookup(store);
    const incidents = [];
    for (const r of rows) incidents.push(await incidentView(store, r, defs));
    return { total, incidents };
  });

  app.post('/incidents/:id/retry', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const id = request.params.id;
    await runtime.resolveIncident(id);
    const inc = await store.getIncident(id);
    return inc ? incidentView(store, inc, new DefinitionLookup(store)) : { id };
  });
}
