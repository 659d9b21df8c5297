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
import { intermediateCatchEvent } from './events/intermediate-catch-event.js';
import { intermediateThrowEvent } from './events/intermediate-throw-event.js';
import { receiveTask } from './tasks/receive-task.js';
import { scriptTask } from './tasks/script-task.js';
import { callActivity } from './subprocess/call-activity.js';
import { inclusiveGateway } from './gateways/inclusive-gateway.js';
import { eventBasedGateway } from './gateways/event-based-gateway.js';
import type { Behaviour } from './types.js';

const registry: { readonly [K in ElementKind]?: Behaviour<Extract<FlowNode, { kind: K }>> } = {
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
  intermediateCatchEvent,
  intermediateThrowEvent,
  receiveTask,
  scriptTask,
  callActivity,
  inclusiveGateway,
  eventBasedGateway,
  transaction: subProcess,
};

/** The behaviour of a node's kind. Kinds without one are refused at deployment ({@link supportsKind}). */
export function behaviourOf(node: FlowNode): Behaviour<FlowNode> {
  return registry[node.kind] as Behaviour<FlowNode>;
}

/** True when the engine runs elements of this kind. */
export function supportsKind(kind: ElementKind): boolean {
  return registry[kind] !== undefined;
}
