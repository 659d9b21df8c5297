/**
 * Call activity: starts an instance of another process and waits for it
 * (BPMN 2.0.2 §10.3.6). The runtime resolves `calledElement` with the binding
 * (Camunda `camunda:calledElementBinding`: latest, deployment, version, versionTag),
 * starts the child in the same transaction, and reports its end (`completeCallActivity`)
 * or an error/escalation it did not catch (`childThrow`). Variables pass by
 * `camunda:in`/`camunda:out` (all, source/target, sourceExpression, businessKey) or
 * Zeebe's propagation rules. Cancelling the call activity cancels the child.
 */
import type { JsonValue, Variables } from '../../../common/json.js';
import type { CallActivityNode, CallMapping } from '../../../model/types.js';
import type { VariableScope } from '../../expressions/index.js';
import { evaluate } from '../../expressions/index.js';
import type { Behaviour } from '../types.js';

/** Applies `in` or `out` mappings from a source scope; returns the variables to pass. */
export function applyCallMappings(mappings: readonly CallMapping[], source: VariableScope): { variables: Variables; businessKey?: string | null } {
  const variables: Record<string, JsonValue> = {};
  let businessKey: string | null | undefined;
  for (const m of mappings) {
    if (m.kind === 'all') Object.assign(variables, source.all());
    else if (m.kind === 'variable') variables[m.target] = source.get(m.source) ?? null;
    else if (m.kind === 'expression') variables[m.target] = evaluate(m.source, source);
    else {
      const bk = evaluate(m.expr, source);
      businessKey = bk === null ? null : String(bk);
    }
  }
  return { variables, ...(businessKey !== undefined ? { businessKey } : {}) };
}

export const callActivity: Behaviour<CallActivityNode> = {
  execute(run, act, node) {
    const scope = run.scope(act.id);
    const key = evaluate(node.calledElement, scope);
    const version = node.version === undefined ? null : Number(evaluate(node.version, scope));
    const versionTag = node.versionTag === undefined ? null : String(evaluate(node.versionTag, scope));
    const zeebe = node.io?.dialect === 'zeebe' || node.propagateAllParentVariables !== undefined;
    const passed = applyCallMappings(node.inMappings, scope);
    // Zeebe: all visible variables unless propagateAllParentVariables=false, then only the input mappings (the task's local variables).
    const variables = zeebe ? { ...(node.propagateAllParentVariables !== false ? scope.all() : { ...(act.vars ?? {}) }), ...passed.variables } : passed.variables;
    const child = run.ctx.newId();
    act.child = child;
    act.st = 'wait';
    run.effects.push({
      type: 'callActivityStarted',
      activityInstanceId: act.id,
      elementId: node.id,
      childInstanceId: child,
      processKey: String(key),
      binding: node.binding,
      version: version !== null && Number.isInteger(version) ? version : null,
      versionTag,
      businessKey: passed.businessKey !== undefined ? passed.businessKey : null,
      variables,
      time: run.ctx.now,
    });
  },
  cancel(run, act) {
    if (act.child !== undefined) run.effects.push({ type: 'childCancelRequested', childInstanceId: act.child, time: run.ctx.now });
  },
};
