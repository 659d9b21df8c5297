/**
 * Event-based gateway. BPMN 2.0.2 §13.3.3 (Event-Based Gateway): the gateway waits for
 * the first of the events that follow it (message, timer, signal, conditional catch
 * events, or receive tasks); that branch is taken and the others are removed.
 */
import type { EventBasedGatewayNode, EventDefinition } from '../../../model/types.js';
import { subscribe } from '../../events.js';
import type { Behaviour } from '../types.js';

export const eventBasedGateway: Behaviour<EventBasedGatewayNode> = {
  execute(run, act, node) {
    act.st = 'wait';
    for (const f of node.outgoing) {
      const t = run.node(run.model.flows.get(f)!.targetId);
      let def: EventDefinition | undefined;
      if (t.kind === 'receiveTask') def = t.messageName === undefined ? undefined : { type: 'message', messageName: t.messageName, ...(t.correlationKey !== undefined ? { correlationKey: t.correlationKey } : {}) };
      else if (t.kind === 'intermediateCatchEvent') def = t.event;
      if (def !== undefined) subscribe(run, act, t.id, 'gateway', def);
    }
  },
};
