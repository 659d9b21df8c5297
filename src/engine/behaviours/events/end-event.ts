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
 */
import type { EndEventNode } from '../../../model/types.js';
import { throwEvent } from '../../events.js';
import type { Behaviour } from '../types.js';
import { createExternalTask, removeExternalTask } from '../tasks/external.js';
import { throwCompensation, throwSignal } from './throwing.js';

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
    if (ev.type === 'message' && ev.external !== undefined) {
      createExternalTask(run, act, node.id, ev.external);
      return;
    }
    if (ev.type === 'signal') throwSignal(run, act, ev);
    else if (ev.type === 'compensate') throwCompensation(run, act, ev);
    run.leave(act);
  },
  cancel(run, act) {
    removeExternalTask(run, act);
  },
};
