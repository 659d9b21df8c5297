/**
 * Parallel gateway (AND). BPMN 2.0.2 §13.3.1: as a fork it sends a token down every
 * outgoing flow (conditions are ignored); as a join it fires once it holds at least one
 * token on EVERY incoming flow of the same scope activation, consuming one token per
 * flow. Tokens beyond that wait for the next complete set; a flow that never delivers a
 * token (after an exclusive split) keeps the join waiting, as the specification says.
 * Waiting tokens live in `state.joins["<scope act id>/<gateway id>"][<flow id>]`.
 */
import type { ParallelGatewayNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

export const parallelGateway: Behaviour<ParallelGatewayNode> = {
  arrive(run, node, scopeId, via) {
    if (node.incoming.length <= 1 || via === null) return true;
    const key = scopeId + '/' + node.id;
    const waiting = (run.state.joins[key] ??= {});
    waiting[via] = (waiting[via] ?? 0) + 1;
    for (const f of node.incoming) if (!(waiting[f]! > 0)) return false;
    for (const f of node.incoming) {
      if (--waiting[f]! === 0) delete waiting[f];
    }
    if (Object.keys(waiting).length === 0) delete run.state.joins[key];
    return true;
  },
  execute(run, act, node) {
    run.leave(act, node.outgoing);
  },
};
