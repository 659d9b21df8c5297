/**
 * Intermediate throw events. BPMN 2.0.2 §10.5.5:
 * none passes; signal broadcasts; escalation is thrown to the enclosing scopes (a
 * non-interrupting catch lets the token go on; an interrupting one ends this path with
 * the scope); compensate runs compensation handlers; link jumps to the link catch event
 * of the same name in the same scope; message (as an external task) waits for a worker.
 */
import type { IntermediateThrowEventNode } from '../../../model/types.js';
import { throwEvent } from '../../events.js';
import type { Behaviour } from '../types.js';
import { createExternalTask, removeExternalTask } from '../tasks/external.js';
import { linkTarget, throwCompensation, throwSignal } from './throwing.js';

export const intermediateThrowEvent: Behaviour<IntermediateThrowEventNode> = {
  execute(run, act, node) {
    const ev = node.event;
    if (ev.type === 'signal') throwSignal(run, act, ev);
    else if (ev.type === 'compensate' && throwCompensation(run, act, ev)) return;
    else if (ev.type === 'message' && ev.external !== undefined) {
      createExternalTask(run, act, node.id, ev.external);
      return;
    } else if (ev.type === 'escalation') {
      throwEvent(run, act, 'escalation', ev.escalationCode ?? null, undefined, undefined);
      if (run.state.acts[act.id] === undefined) return;
    } else if (ev.type === 'link') {
      const target = linkTarget(run, node, ev.linkName)!;
      const scopeId = act.parent!;
      run.end(act, false);
      run.arrive(target.id, scopeId, null);
      return;
    }
    run.leave(act);
  },
  cancel(run, act) {
    removeExternalTask(run, act);
  },
};
