/**
 * One engine step: applies a command to an instance and runs it to its wait states.
 *
 * The {@link Run} owns the agenda (tokens in flight), the generic activity lifecycle
 * (start → input mapping → behaviour → output mapping → outgoing flows → end) and the
 * cross-cutting mechanics every behaviour shares: scopes, cancellation, BPMN error
 * propagation and incidents. What is special about an element kind lives in its
 * behaviour file under behaviours/.
 *
 * Sources: BPMN 2.0.2 §13.2 (activities, sequence flow semantics), §13.3 (gateways),
 * §13.5 (event handling: error, terminate); Camunda 7 docs for the extension semantics.
 */
import type { JsonValue, Variables } from '../common/json.js';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { FlowNode, Mapping, MappingValue, ProcessModel, SequenceFlow } from '../model/types.js';
import { EngineErrors } from './errors.js';
import { evaluate, evaluateCondition } from './expressions/index.js';
import type { VariableScope } from './expressions/index.js';
import { behaviourOf } from './behaviours/registry.js';
import { findDefiningScope, overlayView, scopeView } from './variables.js';
import { armEvents, evaluateConditionals, parkAsync, removeSubscriptions, throwEvent } from './events.js';
import { fireInclusiveJoins } from './behaviours/gateways/inclusive-gateway.js';
import { finishMultiInstance, innerCompleted, loopAgain, loopConditionHolds, startMultiInstance } from './loops.js';
import { handlerCompleted, rememberCompensable } from './compensation.js';
import type { ActivityInstance, Effect, EngineContext, EngineIncidentType, InstanceState } from './types.js';

/** A token on its way to a flow node. */
interface Arrival {
  readonly nodeId: string;
  readonly scopeId: string;
  readonly via: string | null;
}

/** Mutable working set of one command. The state object is owned (already copied) by the caller. */
export class Run {
  readonly effects: Effect[] = [];
  private readonly agenda: Arrival[] = [];
  private head = 0;
  /** Tokens in the agenda per scope activity instance id. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly model: ProcessModel,
    readonly state: InstanceState,
    readonly ctx: EngineContext,
  ) {}

  // ---------------------------------------------------------------- lookups

  node(id: string): FlowNode {
    const n = this.model.nodes.get(id);
    if (n === undefined) throw new ProcosError(EngineErrors.BAD_COMMAND, `element "${id}" is not part of process "${this.model.id}"`, { elementId: id });
    return n;
  }

  flow(id: string): SequenceFlow {
    return this.model.flows.get(id)!;
  }

  /** The live activity instance, or a coded error. */
  act(id: string): ActivityInstance {
    const a = this.state.acts[id];
    if (a === undefined) throw new ProcosError(EngineErrors.NOT_WAITING, `activity instance ${id} is not active in process instance ${this.state.id}`, { activityInstanceId: id });
    return a;
  }

  /** Variables seen from an activity instance. */
  scope(actId: string): VariableScope {
    return scopeView(this.state, actId);
  }

  children(scopeId: string): ActivityInstance[] {
    const out: ActivityInstance[] = [];
    for (const id in this.state.acts) {
      const a = this.state.acts[id]!;
      if (a.parent === scopeId) out.push(a);
    }
    return out;
  }

  // ---------------------------------------------------------------- tokens

  /** Sends a token to `nodeId` in scope `scopeId` (taking flow `via`, or none for a start). */
  arrive(nodeId: string, scopeId: string, via: string | null): void {
    this.agenda.push({ nodeId, scopeId, via });
    this.inFlight.set(scopeId, (this.inFlight.get(scopeId) ?? 0) + 1);
  }

  /**
   * Processes tokens until every one rests at a wait state or is consumed; then
   * re-evaluates conditional events (when variables changed) and waiting inclusive
   * joins, which may send more tokens.
   */
  drain(): void {
    for (let round = 0; round < 1000; round++) {
      while (this.head < this.agenda.length) {
        const a = this.agenda[this.head++]!;
        this.inFlight.set(a.scopeId, this.inFlight.get(a.scopeId)! - 1);
        // A token whose scope ended meanwhile (terminate, interrupting boundary) is dropped.
        if (this.state.acts[a.scopeId] === undefined) continue;
        const node = this.node(a.nodeId);
        const b = behaviourOf(node);
        if (b.arrive !== undefined && !b.arrive(this, node, a.scopeId, a.via)) continue;
        this.begin(node, a.scopeId);
      }
      this.agenda.length = 0;
      this.head = 0;
      if (this.state.status !== 'active') return;
      const changed = this.variablesChanged;
      const names = this.changedNames;
      this.variablesChanged = false;
      this.changedNames = new Set();
      if (changed && evaluateConditionals(this, names)) continue;
      if (fireInclusiveJoins(this)) continue;
      return;
    }
  }

  /** Set when a variable was written (or a conditional event armed) since the last conditional-event evaluation. */
  variablesChanged = false;
  /** Names of the variables written since then. */
  changedNames = new Set<string>();
  /** Conditional subscriptions armed since then (evaluated whatever changed). */
  freshConditionals = new Set<string>();

  /**
   * Creates the activity instance for `node` in `scopeId` and starts it: a
   * multi-instance activity gets its body first; an asyncBefore activity waits for its job.
   */
  begin(node: FlowNode, scopeId: string): ActivityInstance {
    const act = this.newAct(node, scopeId);
    if (node.loop?.kind === 'multiInstance') {
      startMultiInstance(this, act, node);
      return act;
    }
    this.start(act, node);
    return act;
  }

  /** Adds an activity instance and records its start. */
  newAct(node: FlowNode, scopeId: string, extra?: Partial<ActivityInstance>): ActivityInstance {
    const act: ActivityInstance = { id: this.ctx.newId(), el: node.id, parent: scopeId, st: 'wait', ...extra };
    this.state.acts[act.id] = act;
    this.effects.push({
      type: 'activityStarted',
      activityInstanceId: act.id,
      elementId: node.id,
      elementType: node.kind,
      ...(node.name !== undefined ? { elementName: node.name } : {}),
      parentActivityInstanceId: scopeId,
      time: this.ctx.now,
    });
    return act;
  }

  /** Starts a created activity instance: asyncBefore job, or execution and event arming. */
  start(act: ActivityInstance, node: FlowNode, arm: { boundaries: boolean } = { boundaries: true }): void {
    if (node.async?.before === true) {
      parkAsync(this, act, node, 'before');
      return;
    }
    this.execute(act, node);
    if (this.state.acts[act.id] !== undefined) armEvents(this, act, node, arm.boundaries);
  }

  /** Input mapping, then the behaviour. Expression failures become incidents. */
  execute(act: ActivityInstance, node: FlowNode): void {
    try {
      if (node.loop?.kind === 'standard' && node.loop.testBefore && !loopConditionHolds(this, act, node)) {
        this.leave(act, undefined, { skipLoop: true });
        return;
      }
      if (node.io !== undefined && node.io.inputs.length > 0) {
        const local: Record<string, JsonValue> = { ...(act.vars ?? {}) };
        const view = overlayView(this.scope(act.parent!), local);
        for (const m of node.io.inputs) local[m.target] = this.mapValue(m.value, view);
        act.vars = local;
        for (const m of node.io.inputs) this.variableEffect(act.id, m.target, local[m.target]!);
      }
      behaviourOf(node).execute(this, act, node);
    } catch (e) {
      this.incidentFrom(e, act, 'enter');
    }
  }

  /**
   * Completes an activity instance: output mapping, outgoing flow selection, end.
   * `flows` overrides the selection (gateways choose their own).
   */
  leave(act: ActivityInstance, flows?: readonly string[], opts: { resumed?: boolean; skipLoop?: boolean } = {}): void {
    const node = this.model.nodes.get(act.el);
    const parent = act.parent === null ? undefined : this.state.acts[act.parent];
    let out: readonly string[];
    try {
      if (opts.resumed !== true && node !== undefined && act.mi === undefined) {
        if (node.io !== undefined && node.io.outputs.length > 0) this.applyOutputs(act, node.io.outputs);
        if (node.loop?.kind === 'standard' && opts.skipLoop !== true && loopAgain(this, act, node)) {
          behaviourOf(node).execute(this, act, node);
          return;
        }
        if (parent?.mi !== undefined && parent.el === act.el) {
          innerCompleted(this, parent, act, node);
          return;
        }
        if (node.async?.after === true) {
          parkAsync(this, act, node, 'after', flows);
          return;
        }
      }
      if (act.mi !== undefined && node !== undefined) finishMultiInstance(this, act, node);
      out = flows ?? (node === undefined ? [] : this.selectOutgoing(node, act));
    } catch (e) {
      this.incidentFrom(e, act, 'leave');
      return;
    }
    if (node !== undefined) rememberCompensable(this, act);
    this.end(act, false);
    if (act.cw !== undefined) handlerCompleted(this, act);
    const scopeId = act.parent!;
    for (const f of out) this.arrive(this.flow(f).targetId, scopeId, f);
    if (out.length === 0) this.tokenConsumed(scopeId);
  }

  /**
   * Outgoing flows of a non-gateway flow node (BPMN 2.0.2 §13.2.1): every unconditional
   * flow and every conditional flow whose condition holds; the default flow only when no
   * conditional flow holds. Conditions are evaluated in the enclosing scope.
   */
  selectOutgoing(node: FlowNode, act: ActivityInstance): string[] {
    if (node.outgoing.length === 0) return [];
    const scope = this.scope(act.id);
    const taken: string[] = [];
    let conditional = false;
    let conditionalTaken = false;
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const f = this.flow(id);
      if (f.condition === undefined) {
        taken.push(id);
      } else {
        conditional = true;
        if (evaluateCondition(f.condition, scope)) {
          taken.push(id);
          conditionalTaken = true;
        }
      }
    }
    if (!conditionalTaken && node.defaultFlow !== undefined) taken.push(node.defaultFlow);
    if (taken.length === 0 && conditional) {
      throw new ProcosError(EngineErrors.NO_OUTGOING_FLOW, `no outgoing sequence flow of "${node.id}" could be taken: every condition is false and there is no default flow`, { elementId: node.id });
    }
    return taken;
  }

  /** Removes an activity instance and records its end. */
  end(act: ActivityInstance, canceled: boolean): void {
    removeSubscriptions(this, act);
    if (act.asyncJob !== undefined) this.effects.push({ type: 'jobRemoved', jobId: act.asyncJob, time: this.ctx.now });
    delete this.state.acts[act.id];
    if (act.st === 'after') return; // its end was recorded when it parked
    this.effects.push({ type: 'activityEnded', activityInstanceId: act.id, elementId: act.el, canceled, ...(act.vars !== undefined ? { hadLocalVariables: true as const } : {}), time: this.ctx.now });
  }

  /** A token of `scopeId` was consumed: complete the scope when nothing is left in it. */
  tokenConsumed(scopeId: string): void {
    const scope = this.state.acts[scopeId];
    if (scope === undefined) return;
    if ((this.inFlight.get(scopeId) ?? 0) > 0) return;
    for (const id in this.state.acts) if (this.state.acts[id]!.parent === scopeId) return;
    const prefix = scopeId + '/';
    for (const key in this.state.joins) if (key.startsWith(prefix)) return;
    this.completeScope(scope);
  }

  /** All tokens of a scope are consumed: the process ends, or the subprocess leaves. */
  completeScope(scope: ActivityInstance): void {
    if (scope.parent === null) this.finishProcess('completed');
    else if (scope.cmp === true) {
      // A subprocess scope re-created to run its compensation event subprocess: it ends, its token was consumed long ago.
      const parentId = scope.parent;
      this.end(scope, false);
      if (scope.cw !== undefined) handlerCompleted(this, scope);
      this.tokenConsumed(parentId);
    } else this.leave(scope);
  }

  /** Ends the process instance. */
  finishProcess(status: 'completed' | 'terminated', reason?: string): void {
    const root = this.state.acts[this.state.id];
    const finalVariables = root?.vars;
    if (root !== undefined) {
      for (const c of this.children(root.id)) this.cancel(c);
      removeSubscriptions(this, root);
      this.dropJoins(root.id);
      delete this.state.acts[root.id];
    }
    this.state.status = status;
    this.effects.push({
      type: 'processEnded',
      processInstanceId: this.state.id,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(this.state.parent !== undefined ? { variables: { ...(finalVariables ?? {}) } } : {}),
      time: this.ctx.now,
    });
  }

  /** Cancels an activity instance and everything inside it (BPMN 2.0.2 §13.5.3 interrupting). */
  cancel(act: ActivityInstance): void {
    for (const c of this.children(act.id)) this.cancel(c);
    this.dropJoins(act.id);
    const node = this.model.nodes.get(act.el);
    if (node !== undefined) behaviourOf(node).cancel?.(this, act, node);
    if (act.inc !== undefined) this.effects.push({ type: 'incidentResolved', incidentId: act.inc, time: this.ctx.now });
    this.end(act, true);
  }

  /** Cancels every activity instance in a scope but the scope itself (terminate end event, interrupting event subprocess). */
  terminateScope(scope: ActivityInstance): void {
    for (const c of this.children(scope.id)) this.cancel(c);
    this.dropJoins(scope.id);
  }

  private dropJoins(scopeId: string): void {
    const prefix = scopeId + '/';
    for (const key in this.state.joins) if (key.startsWith(prefix)) delete this.state.joins[key];
  }

  // ---------------------------------------------------------------- errors

  /**
   * Throws a BPMN error from `from` (an activity instance or a scope): the nearest
   * enclosing activity with a matching error boundary event catches it; a boundary with
   * that exact code wins over a catch-all one on the same activity. Returns false when
   * nothing catches it. Source: BPMN 2.0.2 §10.5.4 / §13.5.3; Camunda 7 "Error Events".
   */
  throwError(from: ActivityInstance, errorCode: string | null, errorMessage: string | undefined, variables: Variables | undefined): boolean {
    return throwEvent(this, from, 'error', errorCode, errorMessage, variables) === 'caught';
  }

  // ---------------------------------------------------------------- incidents

  /** Stops `act` with an engine incident; `at` says what `retryIncident` re-runs. */
  raiseIncident(act: ActivityInstance, at: 'enter' | 'leave', incidentType: EngineIncidentType, message: string): void {
    const id = this.ctx.newId();
    act.st = 'incident';
    act.inc = id;
    act.incAt = at;
    this.effects.push({ type: 'incidentCreated', incidentId: id, incidentType, activityInstanceId: act.id, elementId: act.el, message, time: this.ctx.now });
  }

  incidentFrom(e: unknown, act: ActivityInstance, at: 'enter' | 'leave'): void {
    if (!isProcosError(e)) throw e;
    const type: EngineIncidentType =
      e.code === EngineErrors.NO_OUTGOING_FLOW.code ? 'noOutgoingFlow' : e.code === EngineErrors.INVALID_VALUE.code ? 'invalidValue' : e.code === EngineErrors.SCRIPT_FAILED.code ? 'scriptFailed' : 'expressionFailed';
    if (type === 'expressionFailed' && e.code !== EngineErrors.EXPRESSION_FAILED.code && e.code !== EngineErrors.EXPRESSION_UNSUPPORTED.code) throw e;
    this.raiseIncident(act, at, type, `${act.el}: ${e.message}`);
  }

  // ---------------------------------------------------------------- variables

  /** Camunda `setVariable`: update where defined, else create in the process scope. */
  setVariable(fromActId: string, name: string, value: JsonValue): void {
    const owner = findDefiningScope(this.state, fromActId, name) ?? this.state.acts[this.state.id]!;
    (owner.vars ??= {})[name] = value;
    this.variableEffect(owner.id, name, value);
  }

  /** Camunda `setVariableLocal`. */
  setVariableLocal(actId: string, name: string, value: JsonValue): void {
    const owner = this.act(actId);
    (owner.vars ??= {})[name] = value;
    this.variableEffect(owner.id, name, value);
  }

  variableEffect(scopeId: string, name: string, value: JsonValue): void {
    this.variablesChanged = true;
    this.changedNames.add(name);
    this.effects.push({ type: 'variableSet', scopeId, name, value, time: this.ctx.now });
  }

  /** Evaluates a parameter value (constant, expression, list, map). */
  mapValue(v: MappingValue, scope: VariableScope): JsonValue {
    if (v.kind === 'expr') return evaluate(v.expr, scope);
    if (v.kind === 'list') return v.items.map((i) => this.mapValue(i, scope));
    const out: Record<string, JsonValue> = {};
    for (const e of v.entries) out[e.key] = this.mapValue(e.value, scope);
    return out;
  }

  /** Output mapping: evaluated in the activity's scope, written to the enclosing scope. */
  private applyOutputs(act: ActivityInstance, outputs: readonly Mapping[]): void {
    const view = this.scope(act.id);
    const values: [string, JsonValue][] = outputs.map((m) => [m.target, this.mapValue(m.value, view)]);
    for (const [name, value] of values) this.setVariable(act.parent!, name, value);
  }
}
