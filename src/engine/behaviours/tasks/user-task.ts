/**
 * userTask: a wait state until `completeUserTask`. Assignment and dates are evaluated
 * when the task is created and kept as data; the engine does not enforce them.
 * Camunda 7 "User Task" (assignee, candidateUsers/Groups as comma-separated lists,
 * dueDate/followUpDate as ISO-8601); Zeebe assignmentDefinition/taskSchedule.
 */
import type { JsonValue } from '../../../common/json.js';
import type { Expr, UserTaskNode } from '../../../model/types.js';
import type { VariableScope } from '../../expressions/index.js';
import { evaluate } from '../../expressions/index.js';
import type { Behaviour } from '../types.js';

function text(e: Expr | undefined, scope: VariableScope): string | null {
  if (e === undefined) return null;
  const v: JsonValue = evaluate(e, scope);
  return v === null || v === '' ? null : String(v);
}

function list(e: Expr | undefined, scope: VariableScope): string[] {
  if (e === undefined) return [];
  const v = evaluate(e, scope);
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(String);
  if (v === null) return [];
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const userTask: Behaviour<UserTaskNode> = {
  execute(run, act, node) {
    const scope = run.scope(act.id);
    const priority = text(node.priority, scope);
    act.st = 'wait';
    run.effects.push({
      type: 'userTaskCreated',
      activityInstanceId: act.id,
      elementId: node.id,
      name: node.name ?? null,
      assignee: text(node.assignee, scope),
      candidateGroups: list(node.candidateGroups, scope),
      candidateUsers: list(node.candidateUsers, scope),
      dueDate: text(node.dueDate, scope),
      followUpDate: text(node.followUpDate, scope),
      priority: priority === null || Number.isNaN(Number(priority)) ? 50 : Number(priority),
      formKey: node.formKey ?? null,
      time: run.ctx.now,
    });
  },
  cancel(run, act) {
    run.effects.push({ type: 'userTaskRemoved', activityInstanceId: act.id, time: run.ctx.now });
  },
};
