/**
 * Receive task: waits for its message (BPMN 2.0.2 §10.3.3); without a message it waits
 * for `signalActivity` (Camunda 7 `runtimeService.signal`).
 */
import type { ReceiveTaskNode } from '../../../model/types.js';
import { subscribe } from '../../events.js';
import type { Behaviour } from '../types.js';

export const receiveTask: Behaviour<ReceiveTaskNode> = {
  execute(run, act, node) {
    act.st = 'wait';
    if (node.messageName !== undefined) {
      subscribe(run, act, node.id, 'catch', { type: 'message', messageName: node.messageName, ...(node.correlationKey !== undefined ? { correlationKey: node.correlationKey } : {}) });
    }
  },
};
