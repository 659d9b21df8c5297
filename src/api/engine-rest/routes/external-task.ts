/**
 * External tasks (Camunda 7 REST "External Task"): fetchAndLock with long polling,
 * complete, failure, bpmnError, extendLock, lock, unlock, retries, get, list, count.
 * Statuses as Camunda: 204 on success, 404 for an unknown (or already completed) task,
 * 400 when another worker holds the lock or a field is bad.
 *
 * fetchAndLock reads every field of the 7.2x FetchExternalTasksDto. Filters on the
 * definition (`processDefinitionIdIn`, `processDefinitionVersionTag`, `tenantIdIn`,
 * `withoutTenantId`) are resolved to definition ids and claimed in the same single
 * store statement. Long polling (`asyncResponseTimeout` ≤ 1,800,000 ms) holds at most
 * `longPollCapacity` requests (see long-poll.ts); a held request whose client
 * disconnects stops waiting, and tasks locked in the instant of the disconnect are
 * unlocked again at once.
 *
 * `processVariables` (process variables equal to the given plain JSON values; compared
 * as JSON text, so objects only match with the same key order) and `sorting` by
 * `createTime` (asc or desc, after priority with `usePriority`) are part of the same
 * claim statement: a task that does not match is never locked.
 *
 * `POST /external-task/{id}/lock` locks a task by id in one guarded store statement:
 * when it is not locked, its lock expired, or the same worker holds it (the lock then
 * runs `lockDuration` from now); 400 when another worker holds an active lock.
 *
 * Differences from Camunda: `deserializeValues` changes nothing (ProcOS answers JSON
 * objects as Json); `extensionProperties` is always `{}`; `/failure` with variables sets
 * them just before recording the failure, not in the same transaction.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProcosError, isProcosError } from '../../../common/errors.js';
import { isJsonValue } from '../../../common/camunda-values.js';
import type { JsonValue, Variables } from '../../../common/json.js';
import type { LockedExternalTask } from '../../../runtime/index.js';
import type { FilteredFetchAndLockInput, FilteredFetchTopicInput } from '../../../runtime/runtime.js';
import type { ExternalTaskFilter, ExternalTaskRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import type { RouteContext, RouteModule } from '../context.js';
import { DefinitionLookup, externalTaskDto, lockedExternalTaskDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { Body } from '../read.js';
import type { Query, RawQuery } from '../read.js';
import { fromTypedVariables, toTypedVariables } from '../variables.js';

/** Camunda's upper bound of `asyncResponseTimeout`, ms (30 minutes). */
export const MAX_ASYNC_RESPONSE_TIMEOUT = 1_800_000;

/** A definition id no definition has: keeps a topic waiting that no definition matches (as Camunda holds such a request). */
const NO_DEFINITION = '';

interface TopicRequest {
  base: FilteredFetchTopicInput;
  processDefinitionIdIn?: string[];
  processDefinitionVersionTag?: string;
  tenantIdIn?: string[];
  withoutTenantId: boolean;
}

function readTopic(t: Body, i: number): TopicRequest {
  const where = `topics[${i}]`;
  const topicName = t.string('topicName');
  if (topicName === undefined || topicName === '') throw new ProcosError(ApiErrors.INVALID_REQUEST, `${where}.topicName is required`, { field: `${where}.topicName` });
  const lockDuration = t.integer('lockDuration', 1);
  if (lockDuration === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, `${where}.lockDuration is required (ms, > 0)`, { field: `${where}.lockDuration` });
  const rawVariables = t.object('processVariables');
  let processVariables: Variables | undefined;
  if (rawVariables !== undefined && Object.keys(rawVariables).length > 0) {
    processVariables = {};
    for (const [name, value] of Object.entries(rawVariables)) {
      if (!isJsonValue(value)) throw new ProcosError(ApiErrors.INVALID_REQUEST, `${where}.processVariables.${name} must be a JSON value`, { field: `${where}.processVariables` });
      processVariables[name] = value;
    }
  }
  t.boolean('deserializeValues');
  t.boolean('includeExtensionProperties');
  const opt = <K extends keyof FilteredFetchTopicInput>(k: K, v: FilteredFetchTopicInput[K] | undefined): Partial<FilteredFetchTopicInput> => (v === undefined ? {} : { [k]: v });
  const base: FilteredFetchTopicInput = {
    topicName,
    lockDuration,
    ...opt('variables', t.strings('variables')),
    ...opt('localVariables', t.boolean('localVariables')),
    ...opt('businessKey', t.string('businessKey')),
    ...opt('processDefinitionId', t.string('processDefinitionId')),
    ...opt('processDefinitionKey', t.string('processDefinitionKey')),
    ...opt('processDefinitionKeyIn', t.strings('processDefinitionKeyIn')),
    ...opt('processVariables', processVariables),
  };
  const r: TopicRequest = { base, withoutTenantId: t.boolean('withoutTenantId') === true };
  const idIn = t.strings('processDefinitionIdIn');
  const tag = t.string('processDefinitionVersionTag');
  const tenants = t.strings('tenantIdIn');
  if (idIn !== undefined) r.processDefinitionIdIn = idIn;
  if (tag !== undefined) r.processDefinitionVersionTag = tag;
  if (tenants !== undefined) r.tenantIdIn = tenants;
  return r;
}

/** Resolves definition filters the claim statement does not know into one topic per matching definition id. */
async function expandTopic(ctx: RouteContext, r: TopicRequest): Promise<FilteredFetchTopicInput[]> {
  if (r.processDefinitionIdIn === undefined && r.processDefinitionVersionTag === undefined && r.tenantIdIn === undefined && !r.withoutTenantId) return [r.base];
  const b = r.base;
  const defs = (
    await ctx.store.listProcessDefinitions({
      ...(b.processDefinitionKey !== undefined ? { key: b.processDefinitionKey } : {}),
      ...(b.processDefinitionKeyIn !== undefined ? { keyIn: b.processDefinitionKeyIn } : {}),
      ...(r.processDefinitionVersionTag !== undefined ? { versionTag: r.processDefinitionVersionTag } : {}),
    })
  ).filter(
    (d) =>
      (b.processDefinitionId === undefined || d.id === b.processDefinitionId) &&
      (r.processDefinitionIdIn === undefined || r.processDefinitionIdIn.includes(d.id)) &&
      (r.tenantIdIn === undefined || (d.tenantId !== null && r.tenantIdIn.includes(d.tenantId))) &&
      (!r.withoutTenantId || d.tenantId === null),
  );
  if (defs.length === 0) return [{ ...b, processDefinitionId: NO_DEFINITION }];
  return defs.map((d) => ({ ...b, processDefinitionId: d.id }));
}

interface FetchRequest {
  input: FilteredFetchAndLockInput;
  asyncResponseTimeout: number | undefined;
}

async function readFetch(ctx: RouteContext, raw: unknown): Promise<FetchRequest> {
  const body = new Body(raw);
  const workerId = body.requiredString('workerId');
  const maxTasks = body.integer('maxTasks', 0, 2 ** 31 - 1);
  if (maxTasks === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, 'maxTasks is required (an integer ≥ 0)', { field: 'maxTasks' });
  const timeout = body.integer('asyncResponseTimeout', 0);
  if (timeout !== undefined && timeout > MAX_ASYNC_RESPONSE_TIMEOUT) {
    throw new ProcosError(ApiErrors.INVALID_REQUEST, `The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT} milliseconds`, { field: 'asyncResponseTimeout', value: String(timeout) });
  }
  let createTimeOrder: 'asc' | 'desc' | undefined;
  for (const [i, s] of (body.objects('sorting') ?? []).entries()) {
    const by = s.string('sortBy');
    const order = s.string('sortOrder') ?? 'asc';
    if (by !== 'createTime') throw new ProcosError(ApiErrors.INVALID_REQUEST, `sorting[${i}].sortBy must be "createTime", got ${JSON.stringify(by)}`, { field: `sorting[${i}].sortBy` });
    if (order !== 'asc' && order !== 'desc') throw new ProcosError(ApiErrors.INVALID_REQUEST, `sorting[${i}].sortOrder must be "asc" or "desc", got ${JSON.stringify(order)}`, { field: `sorting[${i}].sortOrder` });
    createTimeOrder ??= order;
  }
  const topics: FilteredFetchTopicInput[] = [];
  for (const [i, t] of (body.objects('topics') ?? []).entries()) topics.push(...(await expandTopic(ctx, readTopic(t, i))));
  const usePriority = body.boolean('usePriority');
  return {
    input: { workerId, maxTasks, topics, ...(usePriority !== undefined ? { usePriority } : {}), ...(createTimeOrder !== undefined ? { createTimeOrder } : {}) },
    asyncResponseTimeout: timeout,
  };
}

async function lockedDtos(ctx: RouteContext, tasks: LockedExternalTask[]): Promise<Record<string, JsonValue>[]> {
  const defs = new DefinitionLookup(ctx.store);
  return Promise.all(tasks.map(async (t) => lockedExternalTaskDto(t, await defs.get(t.processDefinitionId), toTypedVariables(t.variables))));
}

async function unlockQuietly(ctx: RouteContext, tasks: readonly LockedExternalTask[]): Promise<void> {
  for (const t of tasks) {
    try {
      await ctx.runtime.unlockExternalTask(t.id);
    } catch (e) {
      if (!isProcosError(e)) throw e;
      ctx.logger.warn({ externalTaskId: t.id, code: e.code }, 'engine-rest: could not unlock a task fetched for a disconnected client; its lock will expire');
    }
  }
}

async function fetchAndLock(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply): Promise<Record<string, JsonValue>[]> {
  const { input, asyncResponseTimeout } = await readFetch(ctx, req.body);
  const now = await ctx.runtime.fetchAndLockFiltered({ ...input, asyncResponseTimeout: 0 });
  if (now.length > 0 || asyncResponseTimeout === undefined || asyncResponseTimeout === 0 || input.maxTasks === 0 || input.topics.length === 0) return lockedDtos(ctx, now);
  const clientGone = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableEnded) clientGone.abort(new Error('client disconnected'));
  };
  reply.raw.on('close', onClose);
  const ticket = ctx.longPolls.admit(clientGone.signal);
  let tasks: LockedExternalTask[];
  try {
    tasks = await ctx.runtime.fetchAndLockFiltered({ ...input, asyncResponseTimeout }, ticket.signal);
  } finally {
    ticket.release();
    reply.raw.off('close', onClose);
  }
  // Woken by the server closing: this answer may be written after the server stopped
  // accepting (closing idle connections once); it must not leave a keep-alive connection open.
  if (ticket.shuttingDown()) reply.header('connection', 'close');
  if (clientGone.signal.aborted) {
    await unlockQuietly(ctx, tasks);
    return [];
  }
  return lockedDtos(ctx, tasks);
}

function workerOf(body: Body): string {
  return body.requiredString('workerId');
}

async function failure(ctx: RouteContext, id: string, raw: unknown): Promise<void> {
  const body = new Body(raw);
  const workerId = workerOf(body);
  const retries = body.integer('retries', 0, 2 ** 31 - 1) ?? 0;
  const retryTimeout = body.integer('retryTimeout', 0) ?? 0;
  const errorMessage = body.string('errorMessage');
  const errorDetails = body.string('errorDetails');
  const variables = fromTypedVariables(body.raw('variables'), 'variables');
  const localVariables = fromTypedVariables(body.raw('localVariables'), 'localVariables');
  if (variables !== undefined || localVariables !== undefined) {
    const t = await ctx.runtime.lockedBy(id, workerId, 'failed');
    if (variables !== undefined && Object.keys(variables).length > 0) await ctx.runtime.setVariables(t.processInstanceId, variables);
    if (localVariables !== undefined && Object.keys(localVariables).length > 0) await ctx.runtime.setVariables(t.processInstanceId, localVariables, t.activityInstanceId);
  }
  await ctx.runtime.handleExternalTaskFailure(id, workerId, { retries, retryTimeout, ...(errorMessage !== undefined ? { errorMessage } : {}), ...(errorDetails !== undefined ? { errorDetails } : {}) });
}

async function lock(ctx: RouteContext, id: string, raw: unknown): Promise<void> {
  const body = new Body(raw);
  const workerId = workerOf(body);
  const lockDuration = body.integer('lockDuration', 1);
  if (lockDuration === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, 'lockDuration is required (ms, > 0)', { field: 'lockDuration' });
  await ctx.runtime.lockExternalTask(id, workerId, lockDuration);
}

const CAMUNDA_PARAMS = [
  'externalTaskId', 'externalTaskIdIn', 'topicName', 'workerId', 'locked', 'notLocked', 'withRetriesLeft', 'noRetriesLeft', 'lockExpirationAfter', 'lockExpirationBefore', 'activityId',
  'activityIdIn', 'executionId', 'processInstanceId', 'processInstanceIdIn', 'processDefinitionId', 'tenantIdIn', 'active', 'suspended', 'priorityHigherThanOrEquals',
  'priorityLowerThanOrEquals', 'sortBy', 'sortOrder', 'firstResult', 'maxResults',
];

function taskList(ctx: RouteContext): ListSpec<ExternalTaskRecord> {
  const pushdown = (q: Query): ExternalTaskFilter => {
    const f: { -readonly [K in keyof ExternalTaskFilter]: ExternalTaskFilter[K] } = {};
    if (q.string('topicName') !== undefined) f.topic = q.string('topicName');
    if (q.string('workerId') !== undefined) f.workerId = q.string('workerId');
    if (q.string('activityId') !== undefined) f.elementId = q.string('activityId');
    if (q.string('executionId') !== undefined) f.activityInstanceId = q.string('executionId');
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('processDefinitionId') !== undefined) f.processDefinitionId = q.string('processDefinitionId');
    if (q.flag('withRetriesLeft')) f.withRetriesLeft = true;
    if (q.flag('noRetriesLeft')) f.withRetriesLeft = false;
    if (q.flag('locked')) f.lockedAt = ctx.runtime.now();
    if (q.flag('notLocked')) f.notLockedAt = ctx.runtime.now();
    return f;
  };
  return {
    params: {
      externalTaskId: 'string', externalTaskIdIn: 'list', topicName: 'string', workerId: 'string', locked: 'boolean', notLocked: 'boolean', withRetriesLeft: 'boolean', noRetriesLeft: 'boolean',
      lockExpirationAfter: 'date', lockExpirationBefore: 'date', activityId: 'string', activityIdIn: 'list', executionId: 'string', processInstanceId: 'string', processInstanceIdIn: 'list',
      processDefinitionId: 'string', active: 'boolean', suspended: 'boolean', priorityHigherThanOrEquals: 'integer', priorityLowerThanOrEquals: 'integer',
    },
    camunda: CAMUNDA_PARAMS,
    sort: {
      id: (t) => t.id,
      lockExpirationTime: (t) => t.lockExpirationTime,
      processInstanceId: (t) => t.processInstanceId,
      processDefinitionId: (t) => t.processDefinitionId,
      processDefinitionKey: (t) => t.processDefinitionKey,
      taskPriority: (t) => t.priority,
      createTime: (t) => t.createdTime,
    },
    load: (q, page) => ctx.store.listExternalTasks(pushdown(q), page),
    count: (q) => ctx.store.countExternalTasks(pushdown(q)),
    memory: async (q) =>
      new Filters<ExternalTaskRecord>(q)
        .string('externalTaskId', (t, v) => t.id === v)
        .strings('externalTaskIdIn', (t, v) => v.includes(t.id))
        .strings('activityIdIn', (t, v) => v.includes(t.elementId))
        .strings('processInstanceIdIn', (t, v) => v.includes(t.processInstanceId))
        .date('lockExpirationAfter', (t, ms) => t.lockExpirationTime !== null && t.lockExpirationTime > ms)
        .date('lockExpirationBefore', (t, ms) => t.lockExpirationTime !== null && t.lockExpirationTime < ms)
        .integer('priorityHigherThanOrEquals', (t, n) => t.priority >= n)
        .integer('priorityLowerThanOrEquals', (t, n) => t.priority <= n)
        .flag('suspended', (t) => t.suspended)
        .flag('active', (t) => !t.suspended).list,
  };
}

function noContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

/** Registers the external task routes. */
export const externalTaskRoutes: RouteModule = (scope: FastifyInstance, ctx) => {
  const list = taskList(ctx);
  const limit = { bodyLimit: ctx.bodyLimit };
  scope.post('/external-task/fetchAndLock', limit, async (req, reply) => fetchAndLock(ctx, req, reply));
  scope.get<{ Querystring: RawQuery }>('/external-task', async (req) => {
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all((await listQuery(list, req.query)).map(async (t) => externalTaskDto(t, await defs.get(t.processDefinitionId))));
  });
  scope.get<{ Querystring: RawQuery }>('/external-task/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/external-task/:id', async (req) => {
    const t = await ctx.runtime.getExternalTask(req.params.id);
    return externalTaskDto(t, await ctx.store.getProcessDefinition(t.processDefinitionId));
  });
  scope.get<{ Params: { id: string } }>('/external-task/:id/errorDetails', async (req, reply) => {
    const t = await ctx.runtime.getExternalTask(req.params.id);
    return reply.type('text/plain; charset=utf-8').send(t.errorDetails ?? '');
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/complete', limit, async (req, reply) => {
    const body = new Body(req.body);
    const workerId = workerOf(body);
    const variables = fromTypedVariables(body.raw('variables'), 'variables');
    const localVariables = fromTypedVariables(body.raw('localVariables'), 'localVariables');
    await ctx.runtime.completeExternalTask(req.params.id, workerId, variables, localVariables);
    return noContent(reply);
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/failure', limit, async (req, reply) => {
    await failure(ctx, req.params.id, req.body);
    return noContent(reply);
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/bpmnError', limit, async (req, reply) => {
    const body = new Body(req.body);
    const workerId = workerOf(body);
    const errorCode = body.requiredString('errorCode');
    const errorMessage = body.string('errorMessage');
    const variables = fromTypedVariables(body.raw('variables'), 'variables');
    await ctx.runtime.handleExternalTaskBpmnError(req.params.id, workerId, errorCode, errorMessage, variables);
    return noContent(reply);
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/extendLock', async (req, reply) => {
    const body = new Body(req.body);
    const workerId = workerOf(body);
    const newDuration = body.integer('newDuration', 1);
    if (newDuration === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, 'newDuration is required (ms, > 0)', { field: 'newDuration' });
    await ctx.runtime.extendLock(req.params.id, workerId, newDuration);
    return noContent(reply);
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/lock', async (req, reply) => {
    await lock(ctx, req.params.id, req.body);
    return noContent(reply);
  });
  scope.post<{ Params: { id: string } }>('/external-task/:id/unlock', async (req, reply) => {
    await ctx.runtime.unlockExternalTask(req.params.id);
    return noContent(reply);
  });
  scope.put<{ Params: { id: string } }>('/external-task/:id/retries', async (req, reply) => {
    const retries = new Body(req.body).integer('retries', 0, 2 ** 31 - 1);
    if (retries === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, 'retries is required (an integer ≥ 0)', { field: 'retries' });
    await ctx.runtime.setExternalTaskRetries(req.params.id, retries);
    return noContent(reply);
  });
};
