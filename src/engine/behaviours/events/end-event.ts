/**
 * End events. BPMN 2.0.2 §13.5.6.
 * - none: the token is consumed; the scope completes when it has no tokens left.
 * - terminate: every other activity instance of the same scope is cancelled and the
 *   scope completes at once (inside a subprocess, only that subprocess ends; Camunda 7
 *   "Terminate End Event").
 * - error / escalation: thrown from the enclosing scope and caught by the nearest
 *   matching event subprocess or boundary event. An uncaught error follows Camunda 7's
 *   default ("Unhandled BPMN Error": the current execution ends, like a none end event);
 *   an uncaught escalation changes nothing.
 * - signal: broadcast, then as none. compensate: handlers run, then as none.
 * - message (as an external task): waits for a worker, then as none.
 * - cancel (inside a transaction): the transaction is cancelled — BPMN 2.0.2 §10.3.5
 *   (Transaction) and Camunda 7 "Cancel End Event": its active activities are
 *   cancelled, compensation handlers of its completed activities are started (newest
 *   first), and the transaction leaves through its cancel boundary event.
 */

import type { EndEventNode } from '../../../model/types.js';
import { passEvent, throwEvent } from '../../events.js';
import { compensate } from '../../compensation.js';
import type { Run } from '../../run.js';
import type { ActivityInstance } from '../../types.js';
import type { Behaviour } from '../types.js';
import { createExternalTask, removeExternalTask } from '../tasks/external.js';
import { throwCompensation, throwSignal } from './throwing.js';

/** Cancels a transaction subprocess instance and takes its cancel boundary event. */
export function cancelTransaction(run: Run, tx: ActivityInstance): void {
  const scopeId = tx.parent!;
  run.terminateScope(tx);
  const node = run.node(tx.el);
  const boundary = node.boundaryEvents.map((id) => run.node(id)).find((b) => b.kind === 'boundaryEvent' && b.event.type === 'cancel');
  const parent = run.state.acts[scopeId]!;
  // Handlers of activities completed inside the transaction run in the enclosing scope.
  if (tx.done !== undefined) {
    (parent.done ??= []).push(...tx.done);
    delete tx.done;
    for (const d of [...(parent.done ?? [])].reverse()) if (run.model.nodes.get(d.el)?.scopeId === node.id) compensate(run, parent, d.el);
  }
  run.end(tx, true);
  if (boundary !== undefined) passEvent(run, boundary, scopeId);
  else run.tokenConsumed(scopeId);
}
export const endEvent: Behaviour<EndEventNode> = {
  execute(run, act, node) {
    const ev = node.event;
    if (ev.type === 'terminate') {
      run.end(act, false);
      const scope = run.state.acts[act.parent!]!;
      run.terminateScope(scope);
      run.completeScope(scope);
      return;
    }
    if (ev.type === 'error' || ev.type === 'escalation') {
      run.end(act, false);
      const scope = run.state.acts[act.parent!]!;
      const code = ev.type === 'error' ? (ev.errorCode ?? null) : (ev.escalationCode ?? null);
      if (throwEvent(run, scope, ev.type, code, undefined, undefined) !== 'caught' && run.state.acts[scope.id] !== undefined) run.tokenConsumed(scope.id);
      return;
    }
    if (ev.type === 'cancel') {
      run.end(act, false);
      cancelTransaction(run, run.state.acts[act.parent!]!);
      return;
    }
    if (ev.type === 'message' && ev.external !== undefined) {
      createExternalTask(run, act, node.id, ev.external);
      return;
    }
    if (ev.type === 'signal') throwSignal(run, act, ev);
    else if (ev.type === 'compensate' && throwCompensation(run, act, ev)) return;
    run.leave(act);
  },
  cancel(run, act) {
    removeExternalTask(run, act);
  },
};
