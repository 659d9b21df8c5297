/**
 * End events. BPMN 2.0.2 §13.5.6.
 * - none: the token is consumed; the scope completes when it has no tokens left.
 * - terminate: every other activity instance of the same scope is cancelled and the
 *   scope completes at once (inside a subprocess, only that subprocess ends; Camunda 7
 *   "Terminate End Event").
 * - error: the error is thrown from the enclosing scope and caught by the nearest
 *   matching error boundary event. Uncaught, Camunda 7's default applies ("Unhandled BPMN
 *   Error": the current execution ends, like a none end event).
 */
import type { EndEventNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

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
    if (ev.type === 'error') {
      run.end(act, false);
      const scope = run.state.acts[act.parent!]!;
      if (!run.throwError(scope, ev.errorCode ?? null, undefined, undefined)) run.tokenConsumed(scope.id);
      return;
    }
    run.leave(act);
  },
};
