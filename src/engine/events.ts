/**
 * Event mechanics shared by every event-carrying element: subscriptions (message,
 * signal, conditional) and timer jobs; arming and disarming boundary events and event
 * subprocess start events with the activity or scope that owns them; triggering; BPMN
 * error and escalation propagation through scopes (event subprocesses first, then
 * boundary events, then the enclosing scope, then the calling call activity); async
 * continuation jobs.
 *
 * Sources: BPMN 2.0.2 §10.5 (events), §13.5 (event handling: interrupting and
 * non-interrupting, event subprocesses); Camunda 7 docs "Events", "Event Subprocess",
 * "Transactions in Processes" (asyncBefore/asyncAfter).
 */
import type { JsonValue, Variables } from '../common/json.js';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { BoundaryEventNode, EventDefinition, Expr, FlowNode, StartEventNode, SubProcessNode } from '../model/types.js';
import { EngineErrors } from './errors.js';
import { evaluate, evaluateCondition } from './expressions/index.js';
import type { Run } from './run.js';
import { nextCycle, schedule } from './timers.js';
import type { ActivityInstance, Subscription } from './types.js';

type Role = Subscription['r'];

function subs(run: Run): Record<string, Subscription> {
  return (run.state.subs ??= {});
}

/**
 * Creates the subscription or timer job for an event definition, owned by `owner`.
 * Expressions (timer text, message/signal names, correlation keys) are evaluated from
 * `owner`'s scope. Error, escalation, compensation, cancel, link and none need none.
 */
export function subscribe(run: Run, owner: ActivityInstance, el: string, role: Role, def: EventDefinition, rep?: { cycle: string; remaining: number | null }, again = false): string | undefined {
  const scope = run.scope(owner.id);
  const id = run.ctx.newId();
  const now = run.ctx.now;
  if (def.type === 'timer') {
    let dueTime: number;
    let repeat = rep;
    if (rep !== undefined) {
      dueTime = nextCycle(rep.cycle, now);
    } else {
      const sch = schedule(def.timer.kind, evaluate(def.timer.expr, scope), now);
      dueTime = sch.dueTime;
      repeat = sch.repeat;
    }
    subs(run)[id] = { a: owner.id, el, r: role, t: 'timer', ...(repeat !== undefined ? { rep: repeat } : {}) };
    run.effects.push({ type: 'jobCreated', jobId: id, jobType: 'timer', activityInstanceId: owner.id, elementId: el, dueTime, retries: null, time: now });
  } else if (def.type === 'message' || def.type === 'signal') {
    const name = evaluate(def.type === 'message' ? def.messageName : def.signalName, scope);
    if (typeof name !== 'string' || name === '') {
      throw new ProcosError(EngineErrors.INVALID_VALUE, `${def.type} name of "${el}" must be a non-empty string, got ${JSON.stringify(name)}`, { elementId: el, field: `${def.type}Name` });
    }
    let correlationKey: string | null = null;
    if (def.type === 'message' && def.correlationKey !== undefined) {
      const k = evaluate(def.correlationKey, scope);
      if (typeof k !== 'string' && typeof k !== 'number') {
        throw new ProcosError(EngineErrors.INVALID_VALUE, `the correlation key of "${el}" must be a string or a number, got ${JSON.stringify(k)}`, { elementId: el, field: 'correlationKey' });
      }
      correlationKey = String(k);
    }
    subs(run)[id] = { a: owner.id, el, r: role, t: def.type };
    run.effects.push({ type: 'subscriptionCreated', subscriptionId: id, eventType: def.type, name, correlationKey, activityInstanceId: owner.id, elementId: el, time: now });
  } else if (def.type === 'conditional') {
    subs(run)[id] = { a: owner.id, el, r: role, t: 'conditional' };
    if (!again) {
      // evaluate once when armed (not when re-armed after firing)
      run.variablesChanged = true;
      run.freshConditionals.add(id);
    }
  } else {
    return undefined;
  }
  (owner.subs ??= []).push(id);
  return id;
}

function eventOf(node: FlowNode): EventDefinition | undefined {
  return 'event' in node ? node.event : undefined;
}

/**
 * Arms what an activity or scope instance owns while it is active: its boundary events
 * (timer, message, signal, conditional) and, for scopes, the start events of its event
 * subprocesses.
 */
export function armEvents(run: Run, act: ActivityInstance, node: FlowNode, boundaries: boolean): void {
  if (boundaries) {
    for (const b of node.boundaryEvents) {
      const bn = run.model.nodes.get(b);
      const ev = bn === undefined ? undefined : eventOf(bn);
      if (ev !== undefined) subscribe(run, act, b, 'boundary', ev);
    }
  }
  if (act.st === 'scope' && (node.kind === 'subProcess' || node.kind === 'transaction')) armEventSubprocesses(run, act, node.eventSubProcesses);
}

/** Arms the event subprocess start events of a scope instance (process or subprocess). */
export function armEventSubprocesses(run: Run, scope: ActivityInstance, ids: readonly string[]): void {
  for (const id of ids) {
    const es = run.model.nodes.get(id) as SubProcessNode | undefined;
    const start = es?.eventStartId === undefined ? undefined : (run.model.nodes.get(es.eventStartId) as StartEventNode | undefined);
    if (start !== undefined) subscribe(run, scope, start.id, 'eventSub', start.event);
  }
}

/** Removes every subscription and job an activity instance owns (it ends or is cancelled). */
export function removeSubscriptions(run: Run, act: ActivityInstance, only?: (s: Subscription) => boolean): void {
  if (act.subs === undefined) return;
  const keep: string[] = [];
  for (const id of act.subs) {
    const s = run.state.subs?.[id];
    if (s === undefined) continue;
    if (only !== undefined && !only(s)) {
      keep.push(id);
      continue;
    }
    delete run.state.subs![id];
    if (s.t === 'timer') run.effects.push({ type: 'jobRemoved', jobId: id, time: run.ctx.now });
    else if (s.t !== 'conditional') run.effects.push({ type: 'subscriptionRemoved', subscriptionId: id, time: run.ctx.now });
  }
  if (keep.length > 0) act.subs = keep;
  else delete act.subs;
  if (run.state.subs !== undefined && Object.keys(run.state.subs).length === 0) delete run.state.subs;
}

/**
 * Drops a subscription that fired from its owner's list. A message/signal subscription's
 * row is removed with the step (`subscriptionRemoved`); a fired timer job is deleted by
 * the job executor that claimed it (guarded by its lock), so no effect for it.
 */
function consume(run: Run, id: string, s: Subscription): void {
  delete run.state.subs![id];
  if (s.t === 'message' || s.t === 'signal') run.effects.push({ type: 'subscriptionRemoved', subscriptionId: id, time: run.ctx.now });
  const owner = run.state.acts[s.a];
  if (owner?.subs !== undefined) {
    owner.subs = owner.subs.filter((x) => x !== id);
    if (owner.subs.length === 0) delete owner.subs;
  }
  if (Object.keys(run.state.subs!).length === 0) delete run.state.subs;
}

function setAll(run: Run, fromActId: string, variables: Variables | undefined): void {
  if (variables !== undefined) for (const k in variables) run.setVariable(fromActId, k, variables[k]!);
}

/** Creates an activity instance for an event element and lets the token pass it. */
export function passEvent(run: Run, node: FlowNode, scopeId: string): ActivityInstance {
  const act = run.newAct(node, scopeId);
  run.leave(act);
  return act;
}

/** Starts an event subprocess instance in `scope` through its start event. */
function startEventSubprocess(run: Run, scope: ActivityInstance, es: SubProcessNode, interrupting: boolean, variables?: Variables, setCode?: (scopeId: string) => void): void {
  if (interrupting) {
    run.terminateScope(scope);
    removeSubscriptions(run, scope, (s) => s.r === 'eventSub');
    scope.intr = true;
  }
  const esAct = run.newAct(es, scope.id, { st: 'scope' });
  setAll(run, esAct.id, variables);
  setCode?.(esAct.id);
  armEventSubprocesses(run, esAct, es.eventSubProcesses);
  passEvent(run, run.node(es.eventStartId!), esAct.id);
}

/**
 * Delivers a fired timer job, a message or a signal to the subscription `id`.
 * @throws PROCOS_ENGINE_SUBSCRIPTION_NOT_FOUND when the instance has no such subscription.
 */
export function trigger(run: Run, id: string, variables: Variables | undefined): void {
  const s = run.state.subs?.[id];
  const owner = s === undefined ? undefined : run.state.acts[s.a];
  if (s === undefined || owner === undefined) {
    throw new ProcosError(EngineErrors.SUBSCRIPTION_NOT_FOUND, `process instance ${run.state.id} has no open subscription or timer ${id}`, { subscriptionId: id });
  }
  consume(run, id, s);
  const el = run.node(s.el);
  if (s.r === 'catch') {
    setAll(run, owner.id, variables);
    run.leave(owner);
    return;
  }
  if (s.r === 'gateway') {
    // Event-based gateway: the first event wins, the other branches are removed.
    const scopeId = owner.parent!;
    setAll(run, scopeId, variables);
    run.end(owner, false);
    const target = run.newAct(el, scopeId);
    run.leave(target);
    return;
  }
  if (s.r === 'boundary') {
    const b = el as BoundaryEventNode;
    const scopeId = owner.parent!;
    if (b.cancelActivity) {
      run.cancel(owner);
    } else if (s.t !== 'timer') {
      subscribe(run, owner, s.el, 'boundary', b.event, undefined, true);
    } else if (s.rep !== undefined && (s.rep.remaining === null || s.rep.remaining > 0)) {
      subscribe(run, owner, s.el, 'boundary', b.event, { cycle: s.rep.cycle, remaining: s.rep.remaining === null ? null : s.rep.remaining - 1 });
    }
    setAll(run, scopeId, variables);
    passEvent(run, b, scopeId);
    return;
  }
  // Event subprocess start event.
  const start = el as StartEventNode;
  const es = run.node(start.scopeId) as SubProcessNode;
  if (owner.intr === true) return;
  if (!start.interrupting && s.rep !== undefined && (s.rep.remaining === null || s.rep.remaining > 0)) {
    subscribe(run, owner, s.el, 'eventSub', start.event, { cycle: s.rep.cycle, remaining: s.rep.remaining === null ? null : s.rep.remaining - 1 });
  } else if (!start.interrupting && s.t !== 'timer') {
    subscribe(run, owner, s.el, 'eventSub', start.event, undefined, true);
  }
  startEventSubprocess(run, owner, es, start.interrupting, variables);
}

/**
 * Evaluates the conditions of the instance's conditional subscriptions (those armed
 * since the last evaluation, and those whose variables changed) and triggers the first
 * that holds (BPMN 2.0.2 §10.5.2 conditional events; Camunda evaluates them when
 * variables change). Returns true when one triggered.
 */
export function evaluateConditionals(run: Run, changed: ReadonlySet<string>): boolean {
  const all = run.state.subs;
  const fresh = run.freshConditionals;
  run.freshConditionals = new Set();
  if (all === undefined) return false;
  for (const id of Object.keys(all)) {
    const s = all[id];
    if (s === undefined || s.t !== 'conditional' || run.state.acts[s.a] === undefined) continue;
    const def = eventOf(run.node(s.el));
    if (def?.type !== 'conditional') continue;
    // camunda:variableName: only a change of that variable re-evaluates the condition.
    if (def.variableName !== undefined && !changed.has(def.variableName) && !fresh.has(id)) continue;
    if (conditionHolds(def.condition, run.scope(s.a))) {
      for (const f of fresh) if (f !== id) run.freshConditionals.add(f);
      run.variablesChanged = true;
      trigger(run, id, undefined);
      return true;
    }
  }
  return false;
}

/**
 * A conditional event's condition: a variable it reads that is not set yet makes it
 * false (Camunda 7 evaluates conditional events on variable changes; the event simply
 * does not fire until the variable exists), any other failure is an incident.
 */
function conditionHolds(condition: Expr, scope: ReturnType<Run['scope']>): boolean {
  try {
    return evaluateCondition(condition, scope);
  } catch (e) {
    if (isProcosError(e, EngineErrors.EXPRESSION_FAILED) && e.details.variable !== undefined) return false;
    throw e;
  }
}

/** The matching catcher for an error/escalation among candidates: exact code wins over catch-all. */
function match<T extends FlowNode>(candidates: T[], kind: 'error' | 'escalation', code: string | null, def: (n: T) => EventDefinition | undefined): T | undefined {
  let catchAll: T | undefined;
  for (const c of candidates) {
    const d = def(c);
    if (d === undefined || d.type !== kind) continue;
    const k = d.type === 'error' ? d.errorCode : d.type === 'escalation' ? d.escalationCode : undefined;
    if (k === undefined) catchAll ??= c;
    else if (code !== null && k === code) return c;
  }
  return catchAll;
}

/**
 * Throws a BPMN error or escalation from `from` upward: at each scope instance its
 * event subprocesses are tried first, then the boundary events of the activity, then
 * the enclosing scope; an exact code wins over a catch-all. A called instance hands
 * what it cannot catch to its call activity (`thrownToParent`).
 * @returns `caught`, `escaped` (to the calling instance) or `uncaught`.
 */
export function throwEvent(run: Run, from: ActivityInstance, kind: 'error' | 'escalation', code: string | null, message: string | undefined, variables: Variables | undefined): 'caught' | 'escaped' | 'uncaught' {
  let cur: ActivityInstance | undefined = from;
  while (cur !== undefined) {
    if (cur.st === 'scope' && cur.intr !== true) {
      const esIds = cur.parent === null ? run.model.eventSubProcesses : ((run.model.nodes.get(cur.el) as SubProcessNode | undefined)?.eventSubProcesses ?? []);
      const ess = esIds.map((i) => run.model.nodes.get(i) as SubProcessNode);
      const es = match(ess, kind, code, (n) => (n.eventStartId === undefined ? undefined : eventOf(run.node(n.eventStartId))));
      if (es !== undefined) {
        const start = run.node(es.eventStartId!) as StartEventNode;
        startEventSubprocess(run, cur, es, kind === 'error' || start.interrupting, variables, (sid) => setCodeVariables(run, sid, start.event, code, message));
        return 'caught';
      }
    }
    if (cur.parent === null) break;
    const node = run.model.nodes.get(cur.el);
    // An instance inside a multi-instance body has no boundary events of its own: they belong to the body.
    if (node !== undefined && cur.lc === undefined) {
      const bs = node.boundaryEvents.map((i) => run.model.nodes.get(i) as BoundaryEventNode);
      const b = match(bs, kind, code, (n) => n.event);
      if (b !== undefined) {
        const scopeId: string = cur.parent;
        if (kind === 'error' || b.cancelActivity) run.cancel(cur);
        setAll(run, scopeId, variables);
        setCodeVariables(run, scopeId, b.event, code, message);
        passEvent(run, b, scopeId);
        return 'caught';
      }
    }
    cur = run.state.acts[cur.parent];
  }
  if (run.state.parent !== undefined) {
    run.effects.push({ type: 'thrownToParent', kind, code, ...(message !== undefined ? { message } : {}), ...(variables !== undefined ? { variables } : {}), parent: run.state.parent, time: run.ctx.now });
    return 'escaped';
  }
  return 'uncaught';
}

function setCodeVariables(run: Run, scopeId: string, ev: EventDefinition, code: string | null, message: string | undefined): void {
  if (ev.type === 'error') {
    if (ev.errorCodeVariable !== undefined) run.setVariable(scopeId, ev.errorCodeVariable, code);
    if (ev.errorMessageVariable !== undefined) run.setVariable(scopeId, ev.errorMessageVariable, message ?? null);
  } else if (ev.type === 'escalation' && ev.escalationCodeVariable !== undefined) {
    run.setVariable(scopeId, ev.escalationCodeVariable, code);
  }
}

/**
 * Parks an activity instance at an asynchronous continuation (Camunda asyncBefore /
 * asyncAfter): a job of type `async` is created; `continueAsync` resumes it after the
 * current step has been committed.
 */
export function parkAsync(run: Run, act: ActivityInstance, node: FlowNode, phase: 'before' | 'after', flows?: readonly string[]): void {
  const id = run.ctx.newId();
  act.st = 'wait';
  if (phase === 'after') {
    // Camunda 7: the activity has ended; the job takes its outgoing flows.
    removeSubscriptions(run, act);
    run.effects.push({ type: 'activityEnded', activityInstanceId: act.id, elementId: act.el, canceled: false, ...(act.vars !== undefined ? { hadLocalVariables: true as const } : {}), time: run.ctx.now });
    delete act.vars;
    act.st = 'after';
  }
  const payload: JsonValue = flows === undefined ? phase : `${phase}:${flows.join(',')}`;
  act.async = String(payload);
  act.asyncJob = id;
  const retries = retriesOf(node.async?.retryTimeCycle);
  run.effects.push({ type: 'jobCreated', jobId: id, jobType: 'async', activityInstanceId: act.id, elementId: node.id, dueTime: run.ctx.now, retries, time: run.ctx.now });
}

function retriesOf(cycle: string | undefined): number {
  const m = cycle === undefined ? null : /^R(\d+)\//.exec(cycle.trim());
  return m === null ? 3 : Number(m[1]);
}

/** Resumes an activity instance parked at an async continuation job. */
export function continueAsync(run: Run, jobId: string): void {
  let act: ActivityInstance | undefined;
  for (const id in run.state.acts) if (run.state.acts[id]!.asyncJob === jobId) act = run.state.acts[id];
  if (act === undefined) throw new ProcosError(EngineErrors.SUBSCRIPTION_NOT_FOUND, `process instance ${run.state.id} has no asynchronous continuation ${jobId}`, { subscriptionId: jobId });
  const node = run.node(act.el);
  const phase = act.async ?? "before";
  delete act.asyncJob;
  delete act.async;
  if (phase.startsWith('after')) {
    const flows = phase.length > 'after'.length ? phase.slice('after:'.length).split(',').filter((f) => f !== '') : undefined;
    run.leave(act, flows, { resumed: true });
    return;
  }
  run.execute(act, node);
  if (run.state.acts[act.id] !== undefined) armEvents(run, act, node, act.lc === undefined);
}
