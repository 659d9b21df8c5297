/**
 * Helpers around the engine driver (test/helpers/engine-driver.ts) for the element kinds
 * that wait on something other than a task: subscriptions (message, signal, conditional),
 * timer and async jobs, call activities and script tasks.
 *
 * In these tests the test plays the runtime (src/runtime/step.ts): it reads the
 * subscription or job ids the engine announced (`subscriptionCreated`, `jobCreated`,
 * `state.subs`, an activity instance's `asyncJob`) and sends the command the runtime would
 * send (`trigger`, `continueAsync`, `completeCallActivity`, `completeScript`, …). The
 * driver round-trips the state through JSON after every command.
 */
import assert from 'node:assert/strict';
import type { JsonValue, Variables } from '../../../src/common/index.js';
import type { ActivityInstance, Effect, Subscription } from '../../../src/engine/types.js';
import { Driver, type EffectOf } from '../../helpers/engine-driver.js';

export { Driver };

/** Loads a fixture from test/fixtures/engine/coverage/. */
export function load(fixture: string, processId?: string): Promise<Driver> {
  return Driver.load(`coverage/${fixture}`, processId);
}

/** One minute / one hour in ms. */
export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** An open subscription or timer job of the instance, with what announced it. */
export interface OpenSub extends Subscription {
  readonly id: string;
  /** `el` exactly as stored in `state.subs` (see {@link openSubs} for `el`). */
  readonly rawEl: string;
  /** Message / signal name from `subscriptionCreated`. */
  readonly name?: string;
  readonly correlationKey?: string | null;
  /** Timer due time from `jobCreated`. */
  readonly dueTime?: number;
}

/**
 * The start event of an event subprocess when `el` names the event subprocess itself, else
 * `el`. src/engine/types.ts documents `Subscription.el` of an event subprocess start as the
 * start event; tests that are about behaviour, not about that field, accept either (the
 * field itself is checked on its own in messages.test.ts).
 */
function triggeredElement(d: Driver, el: string): string {
  const node = d.model.nodes.get(el);
  return node?.kind === 'subProcess' && node.triggeredByEvent && node.eventStartId !== undefined ? node.eventStartId : el;
}

/**
 * Every open subscription / timer job (`state.subs`), sorted by element id then id. `el` is
 * the element the subscription triggers (for an event subprocess: its start event).
 */
export function openSubs(d: Driver): OpenSub[] {
  const subs = d.state.subs ?? {};
  const created = new Map(d.effectsOf('subscriptionCreated').map((e) => [e.subscriptionId, e]));
  const jobs = new Map(d.effectsOf('jobCreated').map((e) => [e.jobId, e]));
  return Object.entries(subs)
    .map(([id, s]) => {
      const c = created.get(id);
      const j = jobs.get(id);
      return {
        id,
        ...s,
        el: triggeredElement(d, s.el),
        rawEl: s.el,
        ...(c ? { name: c.name, correlationKey: c.correlationKey } : {}),
        ...(j ? { dueTime: j.dueTime } : {}),
      };
    })
    .sort((x, y) => x.el.localeCompare(y.el) || x.id.localeCompare(y.id));
}

/** Compact view of the open subscriptions: `el:role:type`, sorted. */
export function subsView(d: Driver): string[] {
  return openSubs(d).map((s) => `${s.el}:${s.r}:${s.t}`).sort();
}

/** The single open subscription / job of an element (optionally of one event type). */
export function subOf(d: Driver, elementId: string, type?: Subscription['t']): OpenSub {
  const found = openSubs(d).filter((s) => s.el === elementId && (type === undefined || s.t === type));
  assert.equal(found.length, 1, `expected one open subscription at ${elementId}, have ${found.length}: [${subsView(d).join(', ')}]`);
  return found[0] as OpenSub;
}

/**
 * Delivers the event of the single open subscription at `elementId` (a message or signal
 * delivered, a conditional event, a timer job fired) as the runtime does: `trigger`.
 * For a timer, the clock is first moved to its due time when it is not there yet.
 */
export function trigger(d: Driver, elementId: string, variables?: Variables, type?: Subscription['t']): Effect[] {
  const s = subOf(d, elementId, type);
  if (s.t === 'timer' && s.dueTime !== undefined && d.now < s.dueTime) d.advance(s.dueTime - d.now);
  return d.send({ type: 'trigger', subscriptionId: s.id, ...(variables ? { variables } : {}) });
}

/** Live activity instances of an element, in creation order. */
export function actsOf(d: Driver, elementId: string): ActivityInstance[] {
  return d.actIds(elementId).map((id) => d.state.acts[id] as ActivityInstance);
}

/** The single live activity instance of an element. */
export function actOf(d: Driver, elementId: string): ActivityInstance {
  const acts = actsOf(d, elementId);
  assert.equal(acts.length, 1, `expected one live activity instance of ${elementId}, have ${acts.length}; live: [${d.liveElements().join(', ')}]`);
  return acts[0] as ActivityInstance;
}

/**
 * Variables visible from the live activity instance of `elementId`: its own local
 * variables over those of every enclosing scope (what a worker fetching its task sees).
 */
export function visibleVariables(d: Driver, elementId: string, index = 0): Record<string, JsonValue> {
  const act = actsOf(d, elementId)[index];
  assert.ok(act, `no live activity instance of ${elementId} (index ${index})`);
  const chain: ActivityInstance[] = [];
  for (let a: ActivityInstance | undefined = act; a; a = a.parent === null ? undefined : d.state.acts[a.parent]) chain.unshift(a);
  return Object.assign({}, ...chain.map((a) => a.vars ?? {})) as Record<string, JsonValue>;
}

/** Completes the open external task with this topic (there must be exactly one). */
export function completeTopic(d: Driver, topic: string, variables?: Variables): Effect[] {
  const tasks = d.externalTasks.filter((t) => t.topic === topic);
  assert.equal(tasks.length, 1, `expected one open external task on topic ${topic}, have [${d.externalTasks.map((t) => t.topic).join(', ')}]`);
  const t = tasks[0];
  assert.ok(t);
  return d.send({ type: 'completeExternalTask', activityInstanceId: t.activityInstanceId, ...(variables ? { variables } : {}) });
}

/** Sorted topics of the open external tasks. */
export function topics(d: Driver): string[] {
  return d.externalTasks.map((t) => t.topic).sort();
}

/** Open async continuation jobs: activity instances holding `asyncJob`, with their `jobCreated` effect. */
export function asyncJobs(d: Driver): EffectOf<'jobCreated'>[] {
  const created = new Map(d.effectsOf('jobCreated').map((e) => [e.jobId, e]));
  return d.acts
    .filter((a) => a.asyncJob !== undefined)
    .map((a) => {
      const c = created.get(a.asyncJob as string);
      assert.ok(c, `activity instance ${a.id} (${a.el}) waits for job ${a.asyncJob} without a jobCreated effect`);
      return c;
    });
}

/** Runs the single open async job of `elementId` (`continueAsync`). */
export function continueAsync(d: Driver, elementId: string): Effect[] {
  const jobs = asyncJobs(d).filter((j) => j.elementId === elementId);
  assert.equal(jobs.length, 1, `expected one async job at ${elementId}, have ${jobs.length}`);
  return d.send({ type: 'continueAsync', jobId: (jobs[0] as EffectOf<'jobCreated'>).jobId });
}

/**
 * The process variables, also after the instance has ended (its root scope is then gone
 * from the state): rebuilt from the `variableSet` effects of the process scope.
 */
export function endVariables(d: Driver): Record<string, JsonValue> {
  if (d.state.acts[d.state.id] !== undefined) return d.variables;
  const out: Record<string, JsonValue> = {};
  for (const e of d.effectsOf('variableSet')) if (e.scopeId === d.state.id) out[e.name] = e.value;
  return out;
}

/** Number of occurrences of `x` in `list`. */
export function count<T>(list: readonly T[], x: T): number {
  return list.filter((y) => y === x).length;
}

/** Effects of one type among `effects`. */
export function ofType<T extends Effect['type']>(effects: readonly Effect[], type: T): EffectOf<T>[] {
  return effects.filter((e): e is EffectOf<T> => e.type === type);
}

/** Ids removed by `subscriptionRemoved` and `jobRemoved` among `effects`, sorted. */
export function removedIds(effects: readonly Effect[]): string[] {
  return [...ofType(effects, 'subscriptionRemoved').map((e) => e.subscriptionId), ...ofType(effects, 'jobRemoved').map((e) => e.jobId)].sort();
}
