/**
 * A small driver for engine behaviour tests: it compiles a BPMN fixture, sends commands to
 * the pure engine (`execute`) and keeps the instance state between them, the way the
 * runtime does, with a deterministic clock and sequential ids.
 *
 * After EVERY command the driver round-trips the new state through JSON and continues from
 * the parsed copy, after asserting that the copy deep-equals the original: the state must be
 * plain JSON at every wait state (ARCHITECTURE.md "Compact state"; STYLE.md 8).
 * {@link Driver.assertDeterministic} replays the recorded commands from scratch (the model
 * compiled again) and asserts identical effects and state (ARCHITECTURE.md "Deterministic core").
 *
 * @example
 * const d = await Driver.load('parallel-fork-join.bpmn');
 * d.start({ amount: 5 });
 * d.completeTask('a', { done: true });
 * assert.deepEqual(d.waitingAt(), ['b', 'c']);
 * await d.assertDeterministic();
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProcosError } from '../../src/common/index.js';
import type { JsonValue, Variables } from '../../src/common/index.js';
import { execute } from '../../src/engine/index.js';
import type { ActivityInstance, Command, Effect, EngineContext, InstanceState } from '../../src/engine/types.js';
import { compileBpmn } from '../../src/model/index.js';
import type { ProcessModel } from '../../src/model/types.js';

/** The fixed epoch the driver's clock starts at: 2024-01-01T09:00:00.000Z, epoch ms. */
export const DRIVER_EPOCH = Date.UTC(2024, 0, 1, 9, 0, 0);

/** Effect of one type, narrowed from the {@link Effect} union. */
export type EffectOf<T extends Effect['type']> = Extract<Effect, { type: T }>;

/** An open external task, as a worker would fetch it. */
export interface OpenExternalTask {
  readonly externalTaskId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  readonly topic: string;
  readonly priority: number;
  readonly retries: number | null;
}

/** An open engine incident. */
export interface OpenIncident {
  readonly incidentId: string;
  readonly activityInstanceId: string;
  readonly elementId: string;
  /** From the `incidentCreated` effect; undefined when the engine emitted none. */
  readonly incidentType?: string;
  readonly message?: string;
}

/** Options of {@link Driver.completeTask}. */
export interface CompleteOptions {
  /** Camunda `localVariables`: set in the task's own scope (external tasks only). */
  readonly localVariables?: Variables;
  /** Which of several waiting activity instances of the element (document order of creation). @default 0 */
  readonly index?: number;
}

interface Recorded {
  readonly command: Command;
  readonly now: number;
}

const FIXTURE_DIRS = [
  // compiled: dist/test/helpers → repository root
  new URL('../../../test/fixtures/engine/', import.meta.url),
  // run from source: test/helpers → repository root
  new URL('../fixtures/engine/', import.meta.url),
];

/** Reads a fixture from test/fixtures/engine/ (works from dist/ and from source). */
export function readFixture(name: string): string {
  for (const dir of FIXTURE_DIRS) {
    const path = fileURLToPath(new URL(name, dir));
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new Error(`fixture not found: ${name}`);
}

/** Asserts that `fn` throws a {@link ProcosError} with the given code; returns it. */
export function assertProcosError(fn: () => unknown, code: string): ProcosError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a ProcosError ${code}, nothing was thrown`);
  assert.ok(caught instanceof ProcosError, `expected a ProcosError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected error code ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}

/** Drives one process instance through the engine. See the module comment. */
export class Driver {
  /** The compiled process. */
  readonly model: ProcessModel;
  private readonly xml: string;
  private readonly processId: string | undefined;
  private current: InstanceState | null = null;
  private readonly log: Effect[] = [];
  private last: Effect[] = [];
  private readonly recorded: Recorded[] = [];
  private clock = DRIVER_EPOCH;
  private seq = 0;

  private constructor(model: ProcessModel, xml: string, processId: string | undefined) {
    this.model = model;
    this.xml = xml;
    this.processId = processId;
  }

  /**
   * Compiles a fixture file name (test/fixtures/engine/…) or an XML string and picks the
   * process: `processId`, or the only executable process.
   */
  static async load(fixtureOrXml: string, processId?: string): Promise<Driver> {
    const xml = fixtureOrXml.trimStart().startsWith('<') ? fixtureOrXml : readFixture(fixtureOrXml);
    const model = await Driver.compile(xml, fixtureOrXml, processId);
    return new Driver(model, xml, processId);
  }

  private static async compile(xml: string, file: string, processId: string | undefined): Promise<ProcessModel> {
    const models: ProcessModel[] = await compileBpmn(xml, { file: file.trimStart().startsWith('<') ? 'inline.bpmn' : file });
    if (processId !== undefined) {
      const m = models.find((p: ProcessModel) => p.id === processId);
      assert.ok(m, `process ${processId} not found; have ${models.map((p: ProcessModel) => p.id).join(', ')}`);
      return m;
    }
    assert.equal(models.length, 1, `expected one executable process, got ${models.map((p: ProcessModel) => p.id).join(', ')}`);
    return models[0] as ProcessModel;
  }

  // ---- clock and ids -------------------------------------------------------------------

  /** The injected clock, epoch ms. Starts at {@link DRIVER_EPOCH}. */
  get now(): number {
    return this.clock;
  }

  /** Advances the clock by `ms` milliseconds. */
  advance(ms: number): void {
    this.clock += ms;
  }

  // ---- commands ------------------------------------------------------------------------

  /**
   * Sends any command, then round-trips the new state through JSON (asserting the copy
   * deep-equals the original) and continues from the parsed copy. A command that throws
   * leaves the driver's state as it was and is not recorded.
   */
  send(command: Command): Effect[] {
    const ctx: EngineContext = { now: this.clock, newId: () => `id${++this.seq}` };
    const seqBefore = this.seq;
    let result;
    try {
      // The engine gets its own copy: a command that throws must not leave half a change behind.
      const input = this.current === null ? null : (JSON.parse(JSON.stringify(this.current)) as InstanceState);
      result = execute(this.model, input, command, ctx);
    } catch (e) {
      this.seq = seqBefore;
      throw e;
    }
    const copy = JSON.parse(JSON.stringify(result.state)) as InstanceState;
    assert.deepStrictEqual(copy, result.state, `state after ${command.type} does not survive a JSON round trip`);
    checkStateShape(copy);
    this.current = copy;
    this.last = result.effects;
    this.log.push(...result.effects);
    this.recorded.push({ command, now: this.clock });
    return result.effects;
  }

  /** Starts the instance with the given variables. */
  start(variables: Variables = {}, businessKey?: string): Effect[] {
    const command: Command = businessKey === undefined ? { type: 'start', variables } : { type: 'start', variables, businessKey };
    return this.send(command);
  }

  /**
   * Completes the external task or user task waiting at `elementId`, with `variables`
   * (and, for external tasks, `localVariables`).
   */
  completeTask(elementId: string, variables?: Variables, options: CompleteOptions = {}): Effect[] {
    const act = this.waitingAct(elementId, options.index);
    const node = this.model.nodes.get(elementId);
    if (node?.kind === 'userTask') {
      return this.send({ type: 'completeUserTask', activityInstanceId: act.id, ...(variables ? { variables } : {}) });
    }
    return this.send({
      type: 'completeExternalTask',
      activityInstanceId: act.id,
      ...(variables ? { variables } : {}),
      ...(options.localVariables ? { localVariables: options.localVariables } : {}),
    });
  }

  /** Reports a BPMN error for the task waiting at `elementId`. */
  bpmnError(elementId: string, errorCode: string, variables?: Variables, errorMessage?: string): Effect[] {
    const act = this.waitingAct(elementId);
    return this.send({
      type: 'bpmnError',
      activityInstanceId: act.id,
      errorCode,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(variables ? { variables } : {}),
    });
  }

  /**
   * Retries an open incident: by incident id, by the element id it stopped at, or (no
   * argument) the only open incident.
   */
  retryIncident(incidentOrElementId?: string): Effect[] {
    const open = this.openIncidents;
    let incidentId: string | undefined;
    if (incidentOrElementId === undefined) {
      assert.equal(open.length, 1, `retryIncident(): expected exactly one open incident, have ${open.length}`);
      incidentId = open[0]?.incidentId;
    } else {
      incidentId = open.find((i) => i.elementId === incidentOrElementId)?.incidentId ?? incidentOrElementId;
    }
    assert.ok(incidentId !== undefined);
    return this.send({ type: 'retryIncident', incidentId });
  }

  /** Sets variables on the process instance, or in the scope of `activityInstanceId` (local). */
  setVariables(variables: Variables, activityInstanceId?: string): Effect[] {
    return this.send(activityInstanceId === undefined ? { type: 'setVariables', variables } : { type: 'setVariables', variables, activityInstanceId });
  }

  /** Cancels the instance from outside. */
  cancel(reason?: string): Effect[] {
    return this.send(reason === undefined ? { type: 'cancel' } : { type: 'cancel', reason });
  }

  // ---- views ---------------------------------------------------------------------------

  /** The current state (already round-tripped through JSON). Throws before `start`. */
  get state(): InstanceState {
    assert.ok(this.current, 'the instance has not been started');
    return this.current;
  }

  /** Process instance id. */
  get processInstanceId(): string {
    return this.state.id;
  }

  /** Instance status. */
  get status(): InstanceState['status'] {
    return this.state.status;
  }

  /** Live activity instances other than the root scope. */
  get acts(): ActivityInstance[] {
    return Object.values(this.state.acts).filter((a) => a.id !== this.state.id);
  }

  /** Sorted element ids of the activity instances at rest with st `wait` or `incident`. */
  waitingAt(): string[] {
    return this.acts
      .filter((a) => a.st === 'wait' || a.st === 'incident')
      .map((a) => a.el)
      .sort();
  }

  /** Sorted element ids of every live activity instance (scopes included, root excluded). */
  liveElements(): string[] {
    return this.acts.map((a) => a.el).sort();
  }

  /** Live activity instance ids of an element, in creation order (by id sequence). */
  actIds(elementId: string): string[] {
    return this.acts.filter((a) => a.el === elementId).map((a) => a.id).sort(byIdSeq);
  }

  /** Process variables: the root scope's vars (empty object when none). */
  get variables(): Record<string, JsonValue> {
    return this.state.acts[this.state.id]?.vars ?? {};
  }

  /** Local variables of the single live activity instance of `elementId`. */
  localVariables(elementId: string): Record<string, JsonValue> {
    const ids = this.actIds(elementId);
    assert.equal(ids.length, 1, `expected one live activity instance of ${elementId}, have ${ids.length}`);
    return this.state.acts[ids[0] as string]?.vars ?? {};
  }

  /** Every effect so far, in order. */
  get effects(): readonly Effect[] {
    return this.log;
  }

  /** Effects of the last successful command. */
  get lastEffects(): readonly Effect[] {
    return this.last;
  }

  /** Every effect of one type so far. */
  effectsOf<T extends Effect['type']>(type: T): EffectOf<T>[] {
    return this.log.filter((e): e is EffectOf<T> => e.type === type);
  }

  /**
   * Element ids that had `activityEnded` with canceled=false, in order. The process
   * instance's own root scope is not listed (it ends with `processEnded`).
   */
  get passed(): string[] {
    return this.endedWith(false);
  }

  /** Element ids that had `activityEnded` with canceled=true, in order. */
  get canceled(): string[] {
    return this.endedWith(true);
  }

  private endedWith(canceled: boolean): string[] {
    const root = this.current?.id;
    return this.effectsOf('activityEnded')
      .filter((e) => e.canceled === canceled && e.activityInstanceId !== root)
      .map((e) => e.elementId);
  }

  /** Element ids that had `activityStarted`, in order (root scope excluded). */
  get started(): string[] {
    const root = this.current?.id;
    return this.effectsOf('activityStarted')
      .filter((e) => e.activityInstanceId !== root)
      .map((e) => e.elementId);
  }

  /**
   * The activity history as text, in order (root scope excluded): `+el` started,
   * `-el` ended, `~el` ended canceled.
   */
  trail(): string[] {
    const root = this.current?.id;
    const out: string[] = [];
    for (const e of this.log) {
      if (e.type === 'activityStarted' && e.activityInstanceId !== root) out.push(`+${e.elementId}`);
      else if (e.type === 'activityEnded' && e.activityInstanceId !== root) out.push(`${e.canceled ? '~' : '-'}${e.elementId}`);
    }
    return out;
  }

  /** Open engine incidents (activity instances at rest with st `incident`). */
  get openIncidents(): OpenIncident[] {
    const created = new Map(this.effectsOf('incidentCreated').map((e) => [e.incidentId, e]));
    return this.acts
      .filter((a) => a.st === 'incident')
      .map((a) => {
        const c = a.inc === undefined ? undefined : created.get(a.inc);
        return {
          incidentId: a.inc ?? '',
          activityInstanceId: a.id,
          elementId: a.el,
          ...(c ? { incidentType: c.incidentType, message: c.message } : {}),
        };
      })
      .sort((x, y) => x.elementId.localeCompare(y.elementId));
  }

  /** Open external tasks (waiting activity instances holding a task), sorted by element id. */
  get externalTasks(): OpenExternalTask[] {
    const created = new Map(this.effectsOf('externalTaskCreated').map((e) => [e.externalTaskId, e]));
    return this.acts
      .filter((a) => a.task !== undefined)
      .map((a) => {
        const c = created.get(a.task as string);
        assert.ok(c, `activity instance ${a.id} holds external task ${a.task} without an externalTaskCreated effect`);
        return { externalTaskId: c.externalTaskId, activityInstanceId: a.id, elementId: a.el, topic: c.topic, priority: c.priority, retries: c.retries };
      })
      .sort((x, y) => x.elementId.localeCompare(y.elementId));
  }

  /** Open user tasks: the `userTaskCreated` effects of user tasks still waiting. */
  get userTasks(): EffectOf<'userTaskCreated'>[] {
    const live = new Set(this.acts.filter((a) => a.st === 'wait').map((a) => a.id));
    return this.effectsOf('userTaskCreated').filter((e) => live.has(e.activityInstanceId));
  }

  /**
   * Tokens waiting at parallel joins, by gateway id (all scopes summed):
   * gateway id → incoming flow id → count. Entries with count 0 are left out.
   */
  joinTokens(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [key, flows] of Object.entries(this.state.joins)) {
      const gw = key.slice(key.lastIndexOf('/') + 1);
      for (const [flowId, n] of Object.entries(flows)) {
        if (n === 0) continue;
        const g = (out[gw] ??= {});
        g[flowId] = (g[flowId] ?? 0) + n;
      }
    }
    return out;
  }

  /** The `processEnded` effect, if the instance has ended. */
  get processEnded(): EffectOf<'processEnded'> | undefined {
    return this.effectsOf('processEnded')[0];
  }

  // ---- determinism -----------------------------------------------------------------------

  /**
   * Compiles the model again, replays every recorded command from scratch (same clock
   * values, a fresh id sequence) and asserts identical effects and final state.
   */
  async assertDeterministic(): Promise<void> {
    const model = await Driver.compile(this.xml, 'replay.bpmn', this.processId ?? this.model.id);
    const replay = new Driver(model, this.xml, this.processId);
    for (const r of this.recorded) {
      replay.clock = r.now;
      replay.send(r.command);
    }
    assert.deepStrictEqual(replay.log, this.log, 'replaying the same commands gave different effects');
    assert.deepStrictEqual(replay.current, this.current, 'replaying the same commands gave a different state');
  }

  // ---- internals -----------------------------------------------------------------------

  private waitingAct(elementId: string, index = 0): ActivityInstance {
    const waiting = this.acts.filter((a) => a.el === elementId && a.st === 'wait').sort((x, y) => byIdSeq(x.id, y.id));
    const act = waiting[index];
    if (!act) throw new Error(`no activity instance waiting at ${elementId} (index ${index}); waiting at [${this.waitingAt().join(', ')}]`);
    return act;
  }
}

/** Orders ids by their trailing number (the driver's ids are `id1`, `id2`, …), then as text. */
function byIdSeq(a: string, b: string): number {
  const na = Number(/(\d+)$/.exec(a)?.[1] ?? NaN);
  const nb = Number(/(\d+)$/.exec(b)?.[1] ?? NaN);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}

/** Structural invariants every state at rest must hold, whatever the process. */
function checkStateShape(s: InstanceState): void {
  assert.equal(typeof s.v, 'number', 'state.v');
  assert.equal(typeof s.id, 'string', 'state.id');
  assert.ok(s.acts && typeof s.acts === 'object', 'state.acts');
  assert.ok(s.joins && typeof s.joins === 'object', 'state.joins');
  for (const [id, a] of Object.entries(s.acts)) {
    assert.equal(a.id, id, `acts key ${id} holds activity instance ${a.id}`);
    if (a.parent !== null) assert.ok(s.acts[a.parent], `activity instance ${id} (${a.el}) has a parent ${a.parent} that is not live`);
    if (a.st === 'incident') assert.ok(a.inc, `activity instance ${id} (${a.el}) is in incident without an incident id`);
  }
  if (s.status === 'active') {
    const root = s.acts[s.id];
    assert.ok(root, 'an active instance has its root scope activity instance');
    assert.equal(root.parent, null, 'the root scope has no parent');
  }
}
