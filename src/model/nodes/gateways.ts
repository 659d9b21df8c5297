/**
 * exclusiveGateway and parallelGateway. Structural rules (a default flow must be one of
 * the gateway's outgoing flows; a gateway needs an outgoing flow) are checked by the
 * process compiler, which knows the flows.
 *
 * Source: BPMN 2.0.2 §10.6.2 (exclusive), §10.6.4 (parallel), §13.3 (gateway semantics).
 */
import type { NodeHandler } from '../context.js';
import type { ExclusiveGatewayNode, ParallelGatewayNode } from '../types.js';

/** `bpmn:ExclusiveGateway`. */
export const exclusiveGateway: NodeHandler = {
  compile(_el, base): ExclusiveGatewayNode {
    return { ...base, kind: 'exclusiveGateway' };
  },
};

/** `bpmn:ParallelGateway`. */
export const parallelGateway: NodeHandler = {
  compile(_el, base): ParallelGatewayNode {
    return { ...base, kind: 'parallelGateway' };
  },
};
