/**
 * Inclusive gateway (OR). BPMN 2.0.2 §13.3.2 (Inclusive Gateway):
 * - split: every outgoing flow whose condition holds is taken (a flow without condition
 *   counts as true); when none holds, the default flow; otherwise an incident
 *   `noOutgoingFlow`.
 * - join: the gateway fires when at least one incoming flow holds a token and no token
 *   elsewhere in the same scope instance can still reach an incoming flow that holds
 *   none (without passing the gateway itself). It consumes one token from each incoming
 *   flow that has one. The check runs once all tokens of a step are at rest.
 */
import { ProcosError } from '../../../common/errors.js';
import type { FlowNode, InclusiveGatewayNode, ProcessModel } from '../../../model/types.js';
import { EngineErrors } from '../../errors.js';
import { evaluateCondition } from '../../expressions/index.js';
import type { Run } from '../../run.js';
import type { Behaviour } from '../types.js';

/** gateway id → incoming flow id → node ids that can reach that flow without passing the gateway. */
const upstreamCache = new WeakMap<ProcessModel, Map<string, Map<string, Set<string>>>>();

function upstream(model: ProcessModel, gw: FlowNode): Map<string, Set<string>> {
  let perModel = upstreamCache.get(model);
  if (perModel === undefined) upstreamCache.set(model, (perModel = new Map()));
  let perGw = perModel.get(gw.id);
  if (perGw !== undefined) return perGw;
  perGw = new Map();
  for (const f of gw.incoming) {
    const seen = new Set<string>();
    const stack = [model.flows.get(f)!.sourceId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === gw.id || seen.has(id)) continue;
      seen.add(id);
      const n = model.nodes.get(id);
      if (n === undefined) continue;
      for (const inc of n.incoming) stack.push(model.flows.get(inc)!.sourceId);
      if (n.kind === 'boundaryEvent') stack.push(n.attachedTo);
    }
    perGw.set(f, seen);
  }
  perModel.set(gw.id, perGw);
  return perGw;
}

/** Fires every waiting inclusive join that may fire now. Returns true when one fired. */
export function fireInclusiveJoins(run: Run): boolean {
  for (const key of Object.keys(run.state.joins)) {
    const slash = key.lastIndexOf('/');
    const scopeId = key.slice(0, slash);
    const gw = run.model.nodes.get(key.slice(slash + 1));
    if (gw === undefined || gw.kind !== 'inclusiveGateway' || run.state.acts[scopeId] === undefined) continue;
    const waiting = run.state.joins[key]!;
    const empty = gw.incoming.filter((f) => !(waiting[f]! > 0));
    if (empty.length > 0) {
      const up = upstream(run.model, gw);
      const live: string[] = run.children(scopeId).map((a) => a.el);
      for (const k of Object.keys(run.state.joins)) if (k !== key && k.startsWith(scopeId + '/')) live.push(k.slice(scopeId.length + 1));
      if (empty.some((f) => live.some((el) => up.get(f)!.has(el)))) continue;
    }
    for (const f of gw.incoming) if (waiting[f]! > 0 && --waiting[f]! === 0) delete waiting[f];
    if (Object.keys(waiting).length === 0) delete run.state.joins[key];
    run.begin(gw, scopeId);
    return true;
  }
  return false;
}

export const inclusiveGateway: Behaviour<InclusiveGatewayNode> = {
  arrive(run, node, scopeId, via) {
    if (node.incoming.length <= 1 || via === null) return true;
    const key = scopeId + '/' + node.id;
    const waiting = (run.state.joins[key] ??= {});
    waiting[via] = (waiting[via] ?? 0) + 1;
    return false;
  },
  execute(run, act, node) {
    const scope = run.scope(act.parent!);
    const taken: string[] = [];
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const c = run.model.flows.get(id)!.condition;
      if (c === undefined || evaluateCondition(c, scope)) taken.push(id);
    }
    if (taken.length === 0 && node.defaultFlow !== undefined) taken.push(node.defaultFlow);
    if (taken.length === 0 && node.outgoing.length > 0) {
      throw new ProcosError(EngineErrors.NO_OUTGOING_FLOW, `inclusive gateway "${node.id}": no condition of an outgoing flow holds and there is no default flow`, { elementId: node.id });
    }
    run.leave(act, taken);
  },
};
