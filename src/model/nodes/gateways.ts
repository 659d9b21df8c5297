/**
 * Gateways: exclusive, parallel, inclusive and event-based. Structural rules (a default
 * flow must be one of the gateway's outgoing flows; a gateway needs an outgoing flow; the
 * targets of an event-based gateway) are checked by the process compiler, which knows the
 * flows and their targets.
 *
 * Refused (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`): event-based gateways that instantiate the
 * process (`instantiate="true"`) or are parallel (`eventGatewayType="Parallel"`).
 *
 * Source: BPMN 2.0.2 §10.6.2 (exclusive), §10.6.3 (inclusive), §10.6.4 (parallel),
 * §10.6.6 (event-based), §13.3 (gateway semantics).
 */
import { report, type NodeHandler } from '../context.js';
import { str } from '../element.js';
import { ModelErrors } from '../errors.js';
import type { EventBasedGatewayNode, ExclusiveGatewayNode, InclusiveGatewayNode, ParallelGatewayNode } from '../types.js';

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

/** `bpmn:InclusiveGateway` (with an optional default flow). */
export const inclusiveGateway: NodeHandler = {
  compile(_el, base): InclusiveGatewayNode {
    return { ...base, kind: 'inclusiveGateway' };
  },
};

/** `bpmn:EventBasedGateway`: exclusive, not instantiating. */
export const eventBasedGateway: NodeHandler = {
  compile(el, base, ctx): EventBasedGatewayNode | undefined {
    if (el['instantiate'] === true) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'event-based gateways that start the process (instantiate="true") are not supported; use event start events', 'instantiate');
      return undefined;
    }
    const type = str(el, 'eventGatewayType');
    if (type !== undefined && type !== 'Exclusive') {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `eventGatewayType="${type}" is not supported (only Exclusive)`, 'eventGatewayType');
      return undefined;
    }
    return { ...base, kind: 'eventBasedGateway' };
  },
};
