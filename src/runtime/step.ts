/**
 * One durable step: a command on one instance and everything it sets off, committed in
 * ONE transaction. What a command sets off:
 * - a call activity starts its called instance (same step);
 * - a called instance that ends completes its call activity, or hands it an uncaught
 *   error/escalation (same step);
 * - cancelling a call activity cancels its called instance (same step);
 * - a JavaScript script task runs in an isolate and its result continues the instance
 *   (same step);
 * - a thrown signal is delivered to every waiting signal subscription, in this and all
 *   other instances, and starts the processes with a matching signal start event (same
 *   step).
 * Every instance touched is written with its revision guard; a revision conflict on any
 * of them re-runs the whole step.
 */
import { ProcosError, isProcosError } from '../common/errors.js';
import type { Variables } from '../common/json.js';
import { EngineErrors, execute } from '../engine/index.js';
import type { Command, Effect, InstanceState } from '../engine/index.js';
import type { ProcessModel } from '../model/index.js';
import type { InstanceRecord, ProcessDefinitionRecord, Store } from '../store/index.js';
import { addCommandResult, newBatch } from './batch.js';
import type { BatchBuilder, InstanceRef } from './batch.js';
import { RuntimeErrors } from './errors.js';
import type { ScriptLimits } from './scripts.js';
import { runJavaScript } from './scripts.js';

/** What a step needs from the runtime. */
export interface StepDeps {
  readonly store: Store;
  model(definitionId: string): Promise<ProcessModel>;
  now(): number;
  newId(): string;
  readonly scriptLimits: ScriptLimits;
}

/** An instance as the step holds it. */
interface Held {
  ref: InstanceRef;
  model: ProcessModel;
  state: InstanceState | null;
  effects: Effect[];
  /** The definition (for new instances). */
  def?: ProcessDefinitionRecord;
}

/** A unit of work of a step. */
export type Work =
  | { kind: 'command'; instanceId: string; command: Command; ignoreEnded?: boolean; /** The instance as just read, to avoid reading it again. */ record?: InstanceRecord }
  | { kind: 'start'; def: ProcessDefinitionRecord; command: Extract<Command, { type: 'start' }>; superInstanceId?: string | null }
  | { kind: 'signal'; name: string; variables: Variables };

/** Resolves the process definition a call activity names (Camunda `calledElementBinding`). */
async function calledDefinition(store: Store, e: Extract<Effect, { type: 'callActivityStarted' }>, callerDef: ProcessDefinitionRecord | null): Promise<ProcessDefinitionRecord | null> {
  switch (e.binding) {
    case 'version':
      return e.version === null ? null : ((await store.listProcessDefinitions({ key: e.processKey, version: e.version }))[0] ?? null);
    case 'versionTag':
      return e.versionTag === null ? null : ((await store.listProcessDefinitions({ key: e.processKey, versionTag: e.versionTag }, { maxResults: 1 }))[0] ?? null);
    case 'deployment':
      return callerDef === null ? null : ((await store.listProcessDefinitions({ key: e.processKey, deploymentId: callerDef.deploymentId }))[0] ?? null);
    default:
      return store.getLatestProcessDefinition(e.processKey);
  }
}

/**
 * Runs a step: applies `first` and the work it sets off to instances held in memory,
 * then builds one batch for all of them. `prepare` may add guarded writes (completing
 * a task, deleting a fired job) to the batch before it is committed.
 * @returns the batch (not yet committed), the touched instances' final states, and
 *   the signals the step broadcast.
 */
export async function runStep(deps: StepDeps, first: Work, prepare?: (b: BatchBuilder) => void | Promise<void>): Promise<{ batch: BatchBuilder; states: Map<string, InstanceState> }> {
  const held = new Map<string, Held>();
  const queue: Work[] = [first];
  const now = deps.now();
  const ctx = { now, newId: deps.newId };
  const signals: { name: string; variables: Variables; exclude: Set<string> }[] = [];

  const load = async (id: string, preloaded?: InstanceRecord): Promise<Held | null> => {
    const h = held.get(id);
    if (h !== undefined) return h;
    const rec = preloaded !== undefined && preloaded.id === id ? preloaded : await deps.store.getInstance(id);
    if (rec === null) return null;
    const model = await deps.model(rec.processDefinitionId);
    const item: Held = {
      ref: { processDefinitionId: rec.processDefinitionId, processDefinitionKey: rec.processDefinitionKey, revision: rec.revision, superInstanceId: rec.superInstanceId },
      model,
      state: rec.state as unknown as InstanceState,
      effects: [],
    };
    held.set(id, item);
    return item;
  };

  for (let guard = 0; queue.length > 0; guard++) {
    if (guard > 10_000) throw new ProcosError(RuntimeErrors.CONFLICT, 'a step set off more than 10,000 follow-up commands; stopped', {});
    const w = queue.shift()!;
    if (w.kind === 'signal') {
      await deliverSignal(deps, held, queue, w.name, w.variables, new Set());
      continue;
    }
    let h: Held;
    let command: Command;
    if (w.kind === 'start') {
      const model = await deps.model(w.def.id);
      const id = w.command.processInstanceId!;
      h = { ref: { processDefinitionId: w.def.id, processDefinitionKey: w.def.key, revision: null, superInstanceId: w.superInstanceId ?? null }, model, state: null, effects: [], def: w.def };
      held.set(id, h);
      command = w.command;
    } else {
      const found = await load(w.instanceId, w.record);
      if (found === null) {
        if (w.ignoreEnded === true) continue;
        throw new ProcosError(RuntimeErrors.INSTANCE_NOT_FOUND, `process instance ${w.instanceId} does not exist`, { processInstanceId: w.instanceId });
      }
      h = found;
      command = w.command;
      if (w.ignoreEnded === true && h.state !== null && h.state.status !== 'active') continue;
    }
    let result;
    try {
      result = execute(h.model, h.state, command, ctx);
    } catch (e) {
      if (w.kind === 'command' && w.ignoreEnded === true && isProcosError(e) && (e.code === EngineErrors.INSTANCE_ENDED.code || e.code === EngineErrors.NOT_WAITING.code)) continue;
      throw e;
    }
    h.state = result.state;
    h.effects.push(...result.effects);
    const pi = result.state.id;
    for (const [index, e] of result.effects.entries()) {
      if (e.type === 'callActivityStarted') {
        const callerDef = h.def ?? (await deps.store.getProcessDefinition(h.ref.processDefinitionId));
        const def = await calledDefinition(deps.store, e, callerDef);
        if (def === null) {
          throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `call activity "${e.elementId}" calls process "${e.processKey}" (binding ${e.binding}${e.version !== null ? ` version ${e.version}` : ''}${e.versionTag !== null ? ` versionTag ${e.versionTag}` : ''}), which is not deployed`, { key: e.processKey, elementId: e.elementId });
        }
        queue.push({
          kind: 'start',
          def,
          superInstanceId: pi,
          command: { type: 'start', processInstanceId: e.childInstanceId, businessKey: e.businessKey, variables: e.variables, parent: { processInstanceId: pi, activityInstanceId: e.activityInstanceId } },
        });
      } else if (e.type === 'childCancelRequested') {
        queue.push({ kind: 'command', instanceId: e.childInstanceId, command: { type: 'cancel', reason: 'the calling activity was cancelled' }, ignoreEnded: true });
      } else if (e.type === 'processEnded' && result.state.parent !== undefined && e.status === 'completed') {
        queue.push({ kind: 'command', instanceId: result.state.parent.processInstanceId, command: { type: 'completeCallActivity', activityInstanceId: result.state.parent.activityInstanceId, variables: e.variables ?? {} }, ignoreEnded: true });
      } else if (e.type === 'thrownToParent') {
        queue.push({ kind: 'command', instanceId: e.parent.processInstanceId, command: { type: 'childThrow', activityInstanceId: e.parent.activityInstanceId, kind: e.kind, code: e.code, ...(e.message !== undefined ? { message: e.message } : {}), ...(e.variables !== undefined ? { variables: e.variables } : {}) }, ignoreEnded: true });
      } else if (e.type === 'scriptRequested') {
        const outcome = await runJavaScript(e.script, e.variables, deps.scriptLimits);
        queue.push({
          kind: 'command',
          instanceId: pi,
          command: outcome.ok ? { type: 'completeScript', activityInstanceId: e.activityInstanceId, variables: outcome.variables, result: outcome.result } : { type: 'failScript', activityInstanceId: e.activityInstanceId, message: outcome.message },
        });
      } else if (e.type === 'signalThrown') {
        // Only subscriptions that exist when the signal is thrown catch it (a catch event
        // reached later in the same step does not).
        const exclude = new Set<string>();
        for (const later of result.effects.slice(index + 1)) if (later.type === 'subscriptionCreated') exclude.add(later.subscriptionId);
        signals.push({ name: e.name, variables: e.variables, exclude });
      }
    }
    if (queue.length === 0 && signals.length > 0) {
      const s = signals.shift()!;
      await deliverSignal(deps, held, queue, s.name, s.variables, s.exclude);
    }
  }

  const batch = newBatch();
  if (prepare !== undefined) await prepare(batch);
  const states = new Map<string, InstanceState>();
  for (const h of held.values()) {
    if (h.state === null || h.effects.length === 0) continue;
    addCommandResult(batch, h.ref, h.state, h.effects, now);
    states.set(h.state.id, h.state);
  }
  return { batch, states };
}

/**
 * Queues the delivery of a signal to every open signal subscription of that name: in
 * instances held by this step (their in-memory state is authoritative) and in stored
 * ones; and starts of every latest definition with a signal start event of that name.
 * BPMN 2.0.2 §10.5.1: a signal is broadcast to every catcher.
 */
async function deliverSignal(deps: StepDeps, held: Map<string, Held>, queue: Work[], name: string, variables: Variables, exclude: Set<string>): Promise<void> {
  const seen = new Set<string>(exclude);
  for (const h of held.values()) {
    const subs = h.state?.subs;
    if (h.state === null || h.state.status !== 'active' || subs === undefined) continue;
    for (const [id, s] of Object.entries(subs)) {
      if (s.t !== 'signal' || seen.has(id)) continue;
      const created = [...h.effects].reverse().find((e) => e.type === 'subscriptionCreated' && e.subscriptionId === id);
      if (created !== undefined && created.type === 'subscriptionCreated' && created.name !== name) continue;
      if (created === undefined) {
        const stored = await deps.store.getSubscription(id);
        if (stored === null || stored.name !== name) continue;
      }
      seen.add(id);
      queue.push({ kind: 'command', instanceId: h.state.id, command: { type: 'trigger', subscriptionId: id, variables }, ignoreEnded: true });
    }
  }
  for (const s of await deps.store.listSubscriptions({ eventType: 'signal', name }, { maxResults: 100_000 })) {
    if (seen.has(s.id) || held.has(s.processInstanceId)) continue;
    queue.push({ kind: 'command', instanceId: s.processInstanceId, command: { type: 'trigger', subscriptionId: s.id, variables }, ignoreEnded: true });
  }
  for (const def of await deps.store.listProcessDefinitions({ latestOnly: true }, { maxResults: 100_000 })) {
    const model = await deps.model(def.id);
    for (const id of model.eventStartIds) {
      const n = model.nodes.get(id);
      if (n?.kind !== 'startEvent' || n.event.type !== 'signal' || n.event.signalName.kind !== 'literal' || n.event.signalName.value !== name) continue;
      queue.push({ kind: 'start', def, command: { type: 'start', processInstanceId: deps.newId(), variables, startEventId: id } });
    }
  }
}
