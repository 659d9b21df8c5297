/**
 * Intermediate catch events: timer, message, signal, conditional wait for their
 * subscription or job to trigger; a link catch event passes the token on at once.
 * BPMN 2.0.2 §10.5.4 / §13.5.3.
 */
import type { IntermediateCatchEventNode } from '../../../model/types.js';
import { subscribe } from '../../events.js';
import type { Behaviour } from '../types.js';

export const intermediateCatchEvent: Behaviour<IntermediateCatchEventNode> = {
  execute(run, act, node) {
    if (node.event.type === 'link' || node.event.type === 'none') {
      run.leave(act);
      return;
    }
    act.st = 'wait';
    subscribe(run, act, node.id, 'catch', node.event);
  },
};
