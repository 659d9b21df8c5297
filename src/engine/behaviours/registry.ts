/**
 * Element kind → behaviour. A lookup table, not a switch: adding a kind means adding a
 * behaviour file and one line here (and the kind in model/types.ts).
 */
import type { ElementKind, FlowNode } from '../../model/types.js';
import { boundaryEvent } from './events/boundary-event.js';
import { endEvent } from './events/end-event.js';
import { startEvent } from './events/start-event.js';
import { exclusiveGateway } from './gateways/exclusive-gateway.js';
import { parallelGateway } from './gateways/parallel-gateway.js';
import { subProcess } from './subprocess/sub-process.js';
import { externalTask } from './tasks/external-task.js';
import { passThroughTask } from './tasks/pass-through-task.js';
import { userTask } from './tasks/user-task.js';
import type { Behaviour } from './types.js';

const registry: { readonly [K in ElementKind]: Behaviour<Extract<FlowNode, { kind: K }>> } = {
  startEvent,
  endEvent,
  boundaryEvent,
  task: passThroughTask,
  manualTask: passThroughTask,
  serviceTask: externalTask,
  sendTask: externalTask,
  businessRuleTask: externalTask,
  userTask,
  exclusiveGateway,
  parallelGateway,
  subProcess,
};

/** The behaviour of a node's kind. */
export function behaviourOf(node: FlowNode): Behaviour<FlowNode> {
  return registry[node.kind] as Behaviour<FlowNode>;
}
