/**
 * receiveTask: a wait state completed by a message (`messageRef`, see messages.ts), or,
 * without one, by an explicit trigger.
 *
 * Refused (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`): `instantiate="true"` (a receive task that
 * starts the process; use a message start event).
 *
 * Source: BPMN 2.0.2 §10.3.3 (receive task); Camunda 7 docs "Receive Task"; Zeebe docs
 * "Receive tasks".
 */
import { report, type NodeHandler } from '../context.js';
import { ModelErrors } from '../errors.js';
import type { ReceiveTaskNode } from '../types.js';
import { messageOf } from './messages.js';

/** `bpmn:ReceiveTask`. */
export const receiveTask: NodeHandler = {
  compile(el, base, ctx): ReceiveTaskNode | undefined {
    if (el['instantiate'] === true) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'receive tasks that start the process (instantiate="true") are not supported; use a message start event', 'instantiate');
      return undefined;
    }
    const message = messageOf(el, el, ctx);
    if (message === undefined) return undefined;
    return { ...base, kind: 'receiveTask', ...(message !== 'absent' ? message : {}) };
  },
};
