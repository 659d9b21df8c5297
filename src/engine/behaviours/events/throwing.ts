/**
 * What throwing events (intermediate throw and end events) do with their event
 * definition, shared by both. BPMN 2.0.2 §10.5.5 and §13.5.4.
 */
import type { EventDefinition, FlowNode } from '../../../model/types.js';
import { compensate } from '../../compensation.js';
import { evaluate } from '../../expressions/index.js';
import type { Run } from '../../run.js';
import type { ActivityInstance } from '../../types.js';

/** Broadcasts a signal (the runtime delivers it to every subscription). */
export function throwSignal(run: Run, act: ActivityInstance, def: Extract<EventDefinition, { type: 'signal' }>): void {
  const name = evaluate(def.signalName, run.scope(act.id));
  run.effects.push({ type: 'signalThrown', name: String(name), variables: {}, time: run.ctx.now });
}

/**
 * Runs compensation handlers of the enclosing scope (one activity, or all, newest
 * first). With waitForCompletion (the default) the throw event waits until they have
 * all completed (BPMN 2.0.2 §13.4.5). Returns true when the throw event now waits.
 */
export function throwCompensation(run: Run, act: ActivityInstance, def: Extract<EventDefinition, { type: 'compensate' }>): boolean {
  const scope = run.state.acts[act.parent!];
  if (scope === undefined) return false;
  const started = compensate(run, scope, def.activityRef, def.waitForCompletion ? act : undefined);
  if (started === 0 || !def.waitForCompletion) return false;
  act.st = 'compensating';
  act.pend = started;
  return true;
}

/** The link catch event of `name` in the same scope as `node`. */
export function linkTarget(run: Run, node: FlowNode, name: string): FlowNode | undefined {
  for (const n of run.model.nodes.values()) {
    if (n.kind === 'intermediateCatchEvent' && n.scopeId === node.scopeId && n.event.type === 'link' && n.event.linkName === name) return n;
  }
  return undefined;
}
