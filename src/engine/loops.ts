/**
 * Multi-instance activities and standard loops. BPMN 2.0.2 §10.3.8 / §13.2.7
 * (multi-instance: the body scope holds the instances; `nrOfInstances`,
 * `nrOfActiveInstances`, `nrOfCompletedInstances` on the body, `loopCounter` and the
 * element variable on each instance; completionCondition checked when an instance
 * completes) and §10.3.7 (standard loop: loopCondition, testBefore, loopMaximum).
 * Camunda 7 (`camunda:collection`, `camunda:elementVariable`) and Zeebe
 * (`inputCollection`, `inputElement`, `outputCollection`, `outputElement`).
 */
import { ProcosError } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
import type { FlowNode, LoopCharacteristics } from '../model/types.js';
import { EngineErrors } from './errors.js';
import { evaluate, evaluateCondition } from './expressions/index.js';
import type { Run } from './run.js';
import { armEvents } from './events.js';
import type { ActivityInstance } from './types.js';

type MultiInstance = Extract<LoopCharacteristics, { kind: 'multiInstance' }>;

/** Zeebe multi-instance (FEEL input collection or cardinality): 1-based loopCounter and `numberOf…` names (Camunda 8 docs "Multi-instance"). */
function isZeebe(loop: MultiInstance): boolean {
  return loop.collection?.kind === 'feel' || loop.loopCardinality?.kind === 'feel' || loop.outputCollection !== undefined;
}

function counters(run: Run, body: ActivityInstance, zeebe: boolean): void {
  const mi = body.mi!;
  const vars = (body.vars ??= {});
  const set = (k: string, v: number): void => {
    if (vars[k] !== v) {
      vars[k] = v;
      run.variableEffect(body.id, k, v);
    }
  };
  set(zeebe ? 'numberOfInstances' : 'nrOfInstances', mi.n);
  set(zeebe ? 'numberOfActiveInstances' : 'nrOfActiveInstances', mi.a);
  set(zeebe ? 'numberOfCompletedInstances' : 'nrOfCompletedInstances', mi.c);
}

function collectionOf(run: Run, body: ActivityInstance, node: FlowNode, loop: MultiInstance): JsonValue[] | undefined {
  if (loop.collection === undefined) return undefined;
  const v = evaluate(loop.collection, run.scope(body.parent!));
  if (!Array.isArray(v)) {
    throw new ProcosError(EngineErrors.INVALID_VALUE, `the multi-instance collection of "${node.id}" must be a list, got ${JSON.stringify(v)}`, { elementId: node.id, field: 'collection' });
  }
  return v;
}

/** Creates the multi-instance body (a scope) for `node` and starts its instances. */
export function startMultiInstance(run: Run, body: ActivityInstance, node: FlowNode): void {
  const loop = node.loop as MultiInstance;
  body.st = 'scope';
  let n: number;
  try {
    const items = collectionOf(run, body, node, loop);
    if (loop.loopCardinality !== undefined) {
      const c = evaluate(loop.loopCardinality, run.scope(body.parent!));
      const num = typeof c === 'string' ? Number(c) : c;
      if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) {
        throw new ProcosError(EngineErrors.INVALID_VALUE, `loopCardinality of "${node.id}" must be a whole number ≥ 0, got ${JSON.stringify(c)}`, { elementId: node.id, field: 'loopCardinality' });
      }
      n = num;
    } else {
      n = items?.length ?? 0;
    }
    body.mi = { n, c: 0, a: 0, i: 0, ...(loop.outputCollection !== undefined ? { out: new Array<JsonValue>(n).fill(null) } : {}) };
    counters(run, body, isZeebe(loop));
  } catch (e) {
    run.incidentFrom(e, body, 'enter');
    return;
  }
  armEvents(run, body, node, true);
  if (n === 0) {
    run.leave(body);
    return;
  }
  const parallel = !loop.sequential;
  do startInner(run, body, node, loop);
  while (parallel && body.mi!.i < n && run.state.acts[body.id] !== undefined);
}

function startInner(run: Run, body: ActivityInstance, node: FlowNode, loop: MultiInstance): void {
  const mi = body.mi!;
  const index = mi.i++;
  mi.a++;
  counters(run, body, isZeebe(loop));
  const vars: Record<string, JsonValue> = { loopCounter: isZeebe(loop) ? index + 1 : index };
  const items = loop.collection === undefined ? undefined : collectionOf(run, body, node, loop);
  if (loop.elementVariable !== undefined) vars[loop.elementVariable] = items?.[index] ?? null;
  const inner = run.newAct(node, body.id, { lc: index, vars });
  for (const k in vars) run.variableEffect(inner.id, k, vars[k]!);
  run.start(inner, node, { boundaries: false });
}

/** An instance of a multi-instance body completed: count it, check completionCondition, go on. */
export function innerCompleted(run: Run, body: ActivityInstance, inner: ActivityInstance, node: FlowNode): void {
  const loop = node.loop as MultiInstance;
  const mi = body.mi!;
  if (mi.out !== undefined && loop.outputElement !== undefined && inner.lc !== undefined) mi.out[inner.lc] = evaluate(loop.outputElement, run.scope(inner.id));
  else if (mi.out !== undefined && inner.lc !== undefined && loop.elementVariable !== undefined) mi.out[inner.lc] = run.scope(inner.id).get(loop.elementVariable) ?? null;
  mi.c++;
  mi.a--;
  counters(run, body, isZeebe(loop));
  const done = loop.completionCondition !== undefined && evaluateCondition(loop.completionCondition, run.scope(inner.id));
  // Multi-instance compensation: each completed instance is compensated on its own, with its local variables.
  if (node.compensationHandler !== undefined) (body.done ??= []).push({ el: inner.el, id: inner.id, ...(inner.vars !== undefined ? { vars: { ...inner.vars } } : {}) });
  run.end(inner, false);
  if (done) {
    for (const c of run.children(body.id)) run.cancel(c);
    run.leave(body);
    return;
  }
  if (loop.sequential && mi.i < mi.n) startInner(run, body, node, loop);
  else if (mi.a === 0 && mi.i >= mi.n) run.leave(body);
}

/** When the body leaves: Zeebe's outputCollection is written to the enclosing scope. */
export function finishMultiInstance(run: Run, body: ActivityInstance, node: FlowNode): void {
  const loop = node.loop as MultiInstance;
  if (loop.outputCollection !== undefined && body.mi?.out !== undefined) run.setVariable(body.parent!, loop.outputCollection, body.mi.out);
}

/** Standard loop, test before: does the loop condition hold (or is there none)? */
export function loopConditionHolds(run: Run, act: ActivityInstance, node: FlowNode): boolean {
  const loop = node.loop;
  if (loop?.kind !== 'standard') return true;
  if (loop.loopMaximum !== undefined && (act.loops ?? 0) >= loop.loopMaximum) return false;
  return loop.loopCondition === undefined ? false : evaluateCondition(loop.loopCondition, run.scope(act.id));
}

/** Standard loop, after an iteration: count it and say whether to run again. */
export function loopAgain(run: Run, act: ActivityInstance, node: FlowNode): boolean {
  act.loops = (act.loops ?? 0) + 1;
  return loopConditionHolds(run, act, node);
}
