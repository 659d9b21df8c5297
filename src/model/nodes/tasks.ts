/**
 * task and manualTask (pass through), and userTask (a wait state).
 *
 * userTask, Camunda 7: `camunda:assignee`, `candidateGroups`, `candidateUsers`, `dueDate`,
 * `followUpDate`, `priority`, `formKey`. Zeebe: `zeebe:assignmentDefinition` (assignee,
 * candidateGroups, candidateUsers), `zeebe:taskSchedule` (dueDate, followUpDate),
 * `zeebe:priorityDefinition` (priority), `zeebe:formDefinition` (formKey, else
 * externalReference). Values: `${…}` → JUEL, `=…` → FEEL, else a literal (priority: a
 * number). Camunda attributes win over Zeebe ones for the same field.
 * Refused: `camunda:formHandlerClass` (Java), `humanPerformer` / `potentialOwner`
 * resource assignments.
 *
 * Source: BPMN 2.0.2 §10.3.3 (tasks), Camunda 7 docs "User Task"; Zeebe docs "User tasks".
 */
import { report, takeExpr, type NodeHandler, type ProcessContext } from '../context.js';
import { children, extensionValues, kindOf, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import { valueExpr } from '../expressions.js';
import type { Expr, PassThroughTaskNode, UserTaskNode } from '../types.js';
import { zeebeValue } from './external-task.js';

/** `bpmn:Task` and `bpmn:ManualTask`: no behaviour of their own. */
export const passThroughTask: NodeHandler = {
  compile(el, base): PassThroughTaskNode {
    return { ...base, kind: kindOf(el) === 'manualTask' ? 'manualTask' : 'task' };
  },
};

type UserField = 'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate' | 'priority';

/** Zeebe extension element type and attribute for each field. */
const ZEEBE_FIELDS: Readonly<Record<UserField, readonly [string, string]>> = {
  assignee: ['zeebe:AssignmentDefinition', 'assignee'],
  candidateGroups: ['zeebe:AssignmentDefinition', 'candidateGroups'],
  candidateUsers: ['zeebe:AssignmentDefinition', 'candidateUsers'],
  dueDate: ['zeebe:TaskSchedule', 'dueDate'],
  followUpDate: ['zeebe:TaskSchedule', 'followUpDate'],
  priority: ['zeebe:PriorityDefinition', 'priority'],
};

/** `bpmn:UserTask`. */
export const userTask: NodeHandler = {
  consumes: ['zeebe:AssignmentDefinition', 'zeebe:TaskSchedule', 'zeebe:PriorityDefinition', 'zeebe:FormDefinition', 'zeebe:UserTask', 'camunda:FormData', 'camunda:FormProperty'],
  compile(el, base, ctx): UserTaskNode | undefined {
    const before = ctx.problems.size;
    const handler = str(el, 'formHandlerClass');
    if (handler !== undefined) report(ctx, ModelErrors.JAVA_IMPLEMENTATION, el, `camunda:formHandlerClass="${handler}" is Java-only`, 'camunda:formHandlerClass');
    for (const r of children(el, 'resources')) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${kindOf(r)} is not supported; use camunda:assignee / camunda:candidateGroups or zeebe:assignmentDefinition`, kindOf(r));
    }
    const fields: Partial<Record<UserField, Expr>> = {};
    for (const field of Object.keys(ZEEBE_FIELDS) as UserField[]) {
      const expr = userField(el, field, ctx);
      if (expr !== undefined) fields[field] = expr;
    }
    const formKey = str(el, 'formKey') ?? zeebeForm(el);
    if (ctx.problems.size !== before) return undefined;
    return { ...base, kind: 'userTask', ...fields, ...(formKey !== undefined ? { formKey } : {}) };
  },
};

function userField(el: MElement, field: UserField, ctx: ProcessContext): Expr | undefined {
  const numeric = field === 'priority';
  const camunda = str(el, field);
  if (camunda !== undefined) return takeExpr(ctx, valueExpr(camunda, { numeric }), el, `camunda:${field}`);
  const [type, attr] = ZEEBE_FIELDS[field];
  const ext = extensionValues(el).find((v) => v.$type === type);
  const text = ext === undefined ? undefined : str(ext, attr);
  if (text === undefined || text === '') return undefined;
  return takeExpr(ctx, zeebeValue(text, numeric), el, `${type.replace(/:(.)/, (_m, c: string) => `:${c.toLowerCase()}`)} ${attr}`);
}

function zeebeForm(el: MElement): string | undefined {
  const def = extensionValues(el).find((v) => v.$type === 'zeebe:FormDefinition');
  return def === undefined ? undefined : (str(def, 'formKey') ?? str(def, 'externalReference'));
}
