/**
 * Exclusive gateway (XOR). BPMN 2.0.2 §13.3.2: the first outgoing flow, in document
 * order, whose condition holds is taken (a flow without condition counts as true, as in
 * Camunda 7); otherwise the default flow; otherwise an incident `noOutgoingFlow`, which
 * `retryIncident` re-evaluates (for instance after `setVariables`). As a join it passes
 * every token through, without synchronising.
 */
import { ProcosError } from '../../../common/errors.js';
import type { ExclusiveGatewayNode } from '../../../model/types.js';
import { EngineErrors } from '../../errors.js';
import { evaluateCondition } from '../../expressions/index.js';
import type { Behaviour } from '../types.js';

export const exclusiveGateway: Behaviour<ExclusiveGatewayNode> = {
  execute(run, act, node) {
    const scope = run.scope(act.parent!);
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const c = run.model.flows.get(id)!.condition;
      if (c === undefined || evaluateCondition(c, scope)) return run.leave(act, [id]);
    }
    if (node.defaultFlow !== undefined) return run.leave(act, [node.defaultFlow]);
    if (node.outgoing.length === 0) return run.leave(act, []);
    throw new ProcosError(EngineErrors.NO_OUTGOING_FLOW, `exclusive gateway "${node.id}": no condition of an outgoing flow holds and there is no default flow`, { elementId: node.id });
  },
};
