/**
 * User tasks (Camunda 7 REST "Task"): list, count, get, claim, unclaim, complete.
 *
 * Claim follows Camunda: a task already assigned to the same user stays claimed (204);
 * one assigned to someone else is refused with TaskAlreadyClaimedException (500).
 * Differences from Camunda: unknown tasks are 404 (Camunda documents 500 for claim and
 * complete of an unknown task); the check and the assignment are two steps, so of two
 * concurrent claims of a free task the later one wins (Camunda refuses it by
 * optimistic locking); assignee changes are not written to history.
 */
import { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import { RuntimeErrors } from '../../../runtime/index.js';
import type { UserTaskFilter, UserTaskRecord } from '../../../store/index.js';
import { ApiErrors } from '../../errors.js';
import type { RouteContext, RouteModule } from '../context.js';
import { DefinitionLookup, taskDto } from '../dto.js';
import { countQuery, Filters, listQuery } from '../list.js';
import type { ListSpec } from '../list.js';
import { Body, likeMatch } from '../read.js';
import type { Query, RawQuery } from '../read.js';
import { fromTypedVariables, toTypedVariables } from '../variables.js';

/** A user task with what its filters need from its instance and definition. */
interface TaskRow {
  task: UserTaskRecord;
  businessKey: string | null;
  processDefinitionKey: string | null;
  tenantId: string | null;
}

const CAMUNDA_PARAMS =
  'taskId taskIdIn processInstanceId processInstanceIdIn processInstanceBusinessKey processInstanceBusinessKeyExpression processInstanceBusinessKeyIn processInstanceBusinessKeyLike processInstanceBusinessKeyLikeExpression processDefinitionId processDefinitionKey processDefinitionKeyIn processDefinitionName processDefinitionNameLike executionId caseInstanceId caseInstanceBusinessKey caseInstanceBusinessKeyLike caseDefinitionId caseDefinitionKey caseDefinitionName caseDefinitionNameLike caseExecutionId activityInstanceIdIn tenantIdIn withoutTenantId assignee assigneeExpression assigneeLike assigneeLikeExpression assigneeIn owner ownerExpression candidateGroup candidateGroupExpression candidateUser candidateUserExpression includeAssignedTasks involvedUser involvedUserExpression assigned unassigned taskDefinitionKey taskDefinitionKeyIn taskDefinitionKeyLike name nameNotEqual nameLike nameNotLike description descriptionLike priority maxPriority minPriority dueDate dueDateExpression dueAfter dueAfterExpression dueBefore dueBeforeExpression withoutDueDate followUpDate followUpDateExpression followUpAfter followUpAfterExpression followUpBefore followUpBeforeExpression followUpBeforeOrNotExistent followUpBeforeOrNotExistentExpression createdOn createdOnExpression createdAfter createdAfterExpression createdBefore createdBeforeExpression delegationState candidateGroups candidateGroupsExpression withCandidateGroups withoutCandidateGroups withCandidateUsers withoutCandidateUsers active suspended taskVariables processVariables caseInstanceVariables variableNamesIgnoreCase variableValuesIgnoreCase parentTaskId sortBy sortOrder firstResult maxResults'.split(
    ' ',
  );

function dueMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function taskList(ctx: RouteContext): ListSpec<TaskRow> {
  const pushdown = (q: Query): UserTaskFilter => {
    const f: { -readonly [K in keyof UserTaskFilter]: UserTaskFilter[K] } = {};
    if (q.string('processInstanceId') !== undefined) f.processInstanceId = q.string('processInstanceId');
    if (q.string('taskDefinitionKey') !== undefined) f.elementId = q.string('taskDefinitionKey');
    if (q.string('assignee') !== undefined) f.assignee = q.string('assignee');
    if (q.flag('unassigned')) f.unassigned = true;
    return f;
  };
  /** Business keys are looked up only when a filter needs them (one instance read per instance). */
  const rows = async (tasks: UserTaskRecord[], needBusinessKey: boolean): Promise<TaskRow[]> => {
    const defs = new DefinitionLookup(ctx.store);
    const keys = new Map<string, string | null>();
    const out: TaskRow[] = [];
    for (const task of tasks) {
      if (needBusinessKey && !keys.has(task.processInstanceId)) keys.set(task.processInstanceId, (await ctx.store.getInstance(task.processInstanceId))?.businessKey ?? null);
      const def = await defs.get(task.processDefinitionId);
      out.push({ task, businessKey: keys.get(task.processInstanceId) ?? null, processDefinitionKey: def?.key ?? null, tenantId: def?.tenantId ?? null });
    }
    return out;
  };
  return {
    params: {
      taskId: 'string', taskIdIn: 'list', processInstanceId: 'string', processInstanceIdIn: 'list', processInstanceBusinessKey: 'string', processInstanceBusinessKeyIn: 'list',
      processInstanceBusinessKeyLike: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionKeyIn: 'list', executionId: 'string', activityInstanceIdIn: 'list',
      tenantIdIn: 'list', withoutTenantId: 'boolean', assignee: 'string', assigneeLike: 'string', assigneeIn: 'list', candidateGroup: 'string', candidateGroups: 'list', candidateUser: 'string',
      includeAssignedTasks: 'boolean', assigned: 'boolean', unassigned: 'boolean', taskDefinitionKey: 'string', taskDefinitionKeyIn: 'list', taskDefinitionKeyLike: 'string', name: 'string',
      nameNotEqual: 'string', nameLike: 'string', nameNotLike: 'string', priority: 'integer', maxPriority: 'integer', minPriority: 'integer', dueAfter: 'date', dueBefore: 'date',
      withoutDueDate: 'boolean', createdAfter: 'date', createdBefore: 'date', withCandidateGroups: 'boolean', withoutCandidateGroups: 'boolean', withCandidateUsers: 'boolean',
      withoutCandidateUsers: 'boolean', active: 'boolean', suspended: 'boolean',
    },
    camunda: CAMUNDA_PARAMS,
    sort: {
      id: (r) => r.task.id,
      name: (r) => r.task.name,
      assignee: (r) => r.task.assignee,
      created: (r) => r.task.createdTime,
      dueDate: (r) => dueMs(r.task.dueDate),
      followUpDate: (r) => dueMs(r.task.followUpDate),
      priority: (r) => r.task.priority,
      instanceId: (r) => r.task.processInstanceId,
      executionId: (r) => r.task.id,
      processDefinitionId: (r) => r.task.processDefinitionId,
    },
    load: async (q, page) => rows(await ctx.store.listUserTasks(pushdown(q), page), ['processInstanceBusinessKey', 'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyLike'].some((p) => q.has(p))),
    count: (q) => ctx.store.countUserTasks(pushdown(q)),
    memory: async (q) => {
      const f = new Filters<TaskRow>(q)
        .string('taskId', (r, v) => r.task.id === v)
        .strings('taskIdIn', (r, v) => v.includes(r.task.id))
        .strings('processInstanceIdIn', (r, v) => v.includes(r.task.processInstanceId))
        .string('processInstanceBusinessKey', (r, v) => r.businessKey === v)
        .strings('processInstanceBusinessKeyIn', (r, v) => r.businessKey !== null && v.includes(r.businessKey))
        .string('processInstanceBusinessKeyLike', (r, v) => likeMatch(v, r.businessKey))
        .string('processDefinitionId', (r, v) => r.task.processDefinitionId === v)
        .string('processDefinitionKey', (r, v) => r.processDefinitionKey === v)
        .strings('processDefinitionKeyIn', (r, v) => r.processDefinitionKey !== null && v.includes(r.processDefinitionKey))
        .string('executionId', (r, v) => r.task.id === v)
        .strings('activityInstanceIdIn', (r, v) => v.includes(r.task.id))
        .strings('tenantIdIn', (r, v) => r.tenantId !== null && v.includes(r.tenantId))
        .flag('withoutTenantId', (r) => r.tenantId === null)
        .string('assigneeLike', (r, v) => likeMatch(v, r.task.assignee))
        .strings('assigneeIn', (r, v) => r.task.assignee !== null && v.includes(r.task.assignee))
        .flag('assigned', (r) => r.task.assignee !== null)
        .strings('taskDefinitionKeyIn', (r, v) => v.includes(r.task.elementId))
        .string('taskDefinitionKeyLike', (r, v) => likeMatch(v, r.task.elementId))
        .string('name', (r, v) => r.task.name === v)
        .string('nameNotEqual', (r, v) => r.task.name !== v)
        .string('nameLike', (r, v) => likeMatch(v, r.task.name))
        .string('nameNotLike', (r, v) => !likeMatch(v, r.task.name))
        .integer('priority', (r, n) => r.task.priority === n)
        .integer('maxPriority', (r, n) => r.task.priority <= n)
        .integer('minPriority', (r, n) => r.task.priority >= n)
        .date('dueAfter', (r, ms) => (dueMs(r.task.dueDate) ?? -Infinity) > ms)
        .date('dueBefore', (r, ms) => (dueMs(r.task.dueDate) ?? Infinity) < ms)
        .flag('withoutDueDate', (r) => r.task.dueDate === null)
        .date('createdAfter', (r, ms) => r.task.createdTime > ms)
        .date('createdBefore', (r, ms) => r.task.createdTime < ms)
        .flag('withCandidateGroups', (r) => r.task.candidateGroups.length > 0)
        .flag('withoutCandidateGroups', (r) => r.task.candidateGroups.length === 0)
        .flag('withCandidateUsers', (r) => r.task.candidateUsers.length > 0)
        .flag('withoutCandidateUsers', (r) => r.task.candidateUsers.length === 0)
        .flag('suspended', () => false);
      // Camunda: candidate queries return unassigned tasks unless includeAssignedTasks=true.
      const candidate = q.has('candidateGroup') || q.has('candidateGroups') || q.has('candidateUser');
      f.string('candidateGroup', (r, v) => r.task.candidateGroups.includes(v))
        .strings('candidateGroups', (r, v) => r.task.candidateGroups.some((g) => v.includes(g)))
        .string('candidateUser', (r, v) => r.task.candidateUsers.includes(v));
      if (candidate && !q.flag('includeAssignedTasks')) f.add((r) => r.task.assignee === null);
      return f.list;
    },
  };
}

async function userTask(ctx: RouteContext, id: string): Promise<UserTaskRecord> {
  const t = await ctx.store.getUserTask(id);
  if (t === null) throw new ProcosError(RuntimeErrors.USER_TASK_NOT_FOUND, `No matching task with id ${id}`, { taskId: id });
  return t;
}

/** Registers the user task routes. */
export const taskRoutes: RouteModule = (scope, ctx) => {
  const list = taskList(ctx);
  scope.get<{ Querystring: RawQuery }>('/task', async (req) => {
    const defs = new DefinitionLookup(ctx.store);
    return Promise.all((await listQuery(list, req.query)).map(async (r) => taskDto(r.task, await defs.get(r.task.processDefinitionId))));
  });
  scope.get<{ Querystring: RawQuery }>('/task/count', async (req) => countQuery(list, req.query));
  scope.get<{ Params: { id: string } }>('/task/:id', async (req) => {
    const t = await userTask(ctx, req.params.id);
    return taskDto(t, await ctx.store.getProcessDefinition(t.processDefinitionId));
  });
  scope.post<{ Params: { id: string } }>('/task/:id/claim', async (req, reply) => {
    const userId = new Body(req.body).requiredString('userId');
    const t = await userTask(ctx, req.params.id);
    if (t.assignee === userId) return reply.code(204).send();
    if (t.assignee !== null) {
      throw new ProcosError(ApiErrors.TASK_ALREADY_CLAIMED, `Cannot claim task '${t.id}': task is already claimed by someone else.`, { taskId: t.id, assignee: t.assignee });
    }
    await ctx.runtime.setUserTaskAssignee(t.id, userId);
    return reply.code(204).send();
  });
  scope.post<{ Params: { id: string } }>('/task/:id/unclaim', async (req, reply) => {
    const t = await userTask(ctx, req.params.id);
    if (t.assignee !== null) await ctx.runtime.setUserTaskAssignee(t.id, null);
    return reply.code(204).send();
  });
  scope.post<{ Params: { id: string } }>('/task/:id/complete', { bodyLimit: ctx.bodyLimit }, async (req, reply) => {
    const body = new Body(req.body);
    const variables = fromTypedVariables(body.raw('variables'), 'variables');
    const withVariables = body.boolean('withVariablesInReturn') === true;
    const t = await userTask(ctx, req.params.id);
    await ctx.runtime.completeUserTask(t.id, variables);
    if (!withVariables) return reply.code(204).send();
    const vars: Record<string, JsonValue> = {};
    for (const v of await ctx.store.listVariables({ processInstanceId: t.processInstanceId, scopeId: t.processInstanceId })) vars[v.name] = v.value;
    return toTypedVariables(vars);
  });
};
