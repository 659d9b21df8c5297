/**
 * What the engine holds, read the way a scenario asks about it: where an instance waits,
 * its state, history, variables, incidents and open work. Reads the store and the
 * instance state only; never changes anything.
 */
import type { Variables } from '../common/json.js';
import type { InstanceState } from '../engine/index.js';
import type { Runtime } from '../runtime/index.js';
import type { InstanceRecord, Store } from '../store/index.js';
import type { ExpectedState } from './schema.js';
import { show } from './show.js';
import { showInstant } from './time.js';

/** What a scenario is run against. */
export interface ScenarioContext {
  readonly runtime: Runtime;
  readonly store: Store;
  /** The scenario file (for messages). */
  readonly file: string;
  /** The main instance, started by `start`. */
  readonly main: { readonly id: string; readonly key: string };
  /** Current time of the scenario's clock, epoch ms. */
  now(): number;
  /** Moves the scenario's clock to `to` (never backwards). */
  moveClock(to: number): void;
}

/** One instance as an `expect` sees it. */
export interface InstanceSnapshot {
  readonly id: string;
  readonly key: string;
  readonly businessKey: string | null;
  readonly state: ExpectedState;
  /** Element ids holding a waiting activity instance, sorted, each once. */
  readonly waitingAt: readonly string[];
  /** Process variables (for an ended instance, the last value of each from history). */
  readonly variables: Variables;
  /** Open incidents: element, type, message. */
  readonly incidents: readonly { readonly elementId: string; readonly type: string; readonly message: string }[];
  /** Open work, one line each: `pay: external task (topic payment)`, `t1: timer due 2026-01-01T01:00:00Z` … */
  readonly work: readonly string[];
}

/** The engine's state at a failure, for the report. */
export interface EngineSnapshot {
  /** The scenario clock, ISO-8601. */
  readonly clock: string;
  readonly main: InstanceSnapshot | null;
  /** The instance an `expect … in:` looked at, when not the main one. */
  readonly target?: InstanceSnapshot | null;
  /** Instances started in this scenario, by process key. */
  readonly instances: Readonly<Record<string, number>>;
}

/** The instance state of a record (opaque JSON to the store). */
export function stateOf(rec: InstanceRecord): InstanceState {
  return rec.state as unknown as InstanceState;
}

/**
 * Element ids that hold a waiting activity instance: tasks, receive tasks, intermediate
 * catch events, event-based gateways, call activities waiting for their child, activities
 * parked at an asynchronous continuation or stopped by an engine incident. Scopes
 * (process, subprocesses, multi-instance bodies), boundary events and joins waiting for
 * tokens are not listed.
 */
export function waitingAt(state: InstanceState): string[] {
  if (state.status !== 'active') return [];
  const ids = new Set<string>();
  for (const a of Object.values(state.acts ?? {})) if (a.id !== state.id && (a.st === 'wait' || a.st === 'incident')) ids.add(a.el);
  return [...ids].sort();
}

/** The instance an `in: <key>` names: the latest started of that key; null when none. */
export async function latestInstanceOf(store: Store, key: string): Promise<string | null> {
  const list = await store.listInstances({ processDefinitionKey: key });
  return list.length === 0 ? null : list[list.length - 1]!.id;
}

/** Element ids in the history of an instance (started activity instances, in order, each once). */
export async function historyOf(store: Store, id: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const a of await store.listHistoricActivityInstances({ processInstanceId: id })) seen.add(a.elementId);
  return [...seen];
}

/** Instances started in this scenario (running or ended), by process key. */
export async function instanceCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const i of await store.listInstances()) counts[i.processDefinitionKey] = (counts[i.processDefinitionKey] ?? 0) + 1;
  return counts;
}

/** Process variables: live ones of an active instance, else the last value of each from history. */
async function variablesOf(store: Store, rec: InstanceRecord): Promise<Variables> {
  const state = stateOf(rec);
  const root = state.acts?.[rec.id];
  if (rec.status === 'active' && root !== undefined) return { ...(root.vars ?? {}) };
  const vars: Variables = {};
  for (const u of await store.listHistoricVariableUpdates({ processInstanceId: rec.id, scopeId: rec.id })) vars[u.name] = u.value;
  return vars;
}

/** One-line descriptions of what an instance waits for. */
async function workOf(ctx: ScenarioContext, rec: InstanceRecord): Promise<string[]> {
  if (rec.status !== 'active') return [];
  const { store } = ctx;
  const out: string[] = [];
  for (const t of await store.listExternalTasks({ processInstanceId: rec.id })) {
    const notes = [`topic ${t.topic}`];
    if (t.retries === 0) notes.push('no retries left');
    else if (t.retries !== null) notes.push(`${t.retries} retries left`);
    if (t.retryAfterTime !== null && t.retryAfterTime > ctx.now()) notes.push(`offered again at ${showInstant(t.retryAfterTime)}`);
    out.push(`${t.elementId}: external task (${notes.join(', ')})`);
  }
  for (const t of await store.listUserTasks({ processInstanceId: rec.id })) out.push(`${t.elementId}: user task${t.assignee !== null ? ` (assignee ${t.assignee})` : ''}`);
  for (const s of await store.listSubscriptions({ processInstanceId: rec.id })) out.push(`${s.elementId}: ${s.eventType} "${s.name}"${s.correlationKey !== null ? ` (correlation key ${s.correlationKey})` : ''}`);
  for (const j of await store.listJobs({ processInstanceId: rec.id })) {
    const what = j.type === 'timer' ? 'timer' : j.type === 'async' ? 'asynchronous continuation' : `${j.type} job`;
    out.push(`${j.elementId ?? '?'}: ${what} due ${showInstant(j.dueTime)}${j.retries === 0 ? ' (no retries left)' : ''}`);
  }
  const model = await ctx.runtime.model(rec.processDefinitionId);
  for (const [key, arrived] of Object.entries(stateOf(rec).joins ?? {})) {
    const gw = model.nodes.get(key.slice(key.lastIndexOf('/') + 1));
    if (gw === undefined) continue;
    const have = gw.incoming.filter((f) => (arrived[f] ?? 0) > 0);
    const missing = gw.incoming.filter((f) => !have.includes(f));
    out.push(`${gw.id}: join with tokens on ${show(have)}${missing.length > 0 ? `, none yet on ${show(missing)}` : ''}`);
  }
  for (const a of Object.values(stateOf(rec).acts ?? {})) {
    const node = model.nodes.get(a.el);
    if (a.st === 'wait' && node?.kind === 'receiveTask' && node.messageName === undefined) out.push(`${a.el}: receive task without message (complete it)`);
    if (a.child !== undefined) {
      const child = await store.getInstance(a.child);
      out.push(`${a.el}: called instance of ${child?.processDefinitionKey ?? '?'} (${child === null ? 'not found' : child.status})`);
    }
  }
  return out;
}

/**
 * An instance as an `expect` sees it.
 * @returns null when no instance has this id.
 */
export async function snapshotInstance(ctx: ScenarioContext, id: string): Promise<InstanceSnapshot | null> {
  const rec = await ctx.store.getInstance(id);
  if (rec === null) return null;
  const incidents = (await ctx.store.listIncidents({ processInstanceId: id, open: true })).map((i) => ({ elementId: i.elementId, type: i.type, message: i.message }));
  const state: ExpectedState = rec.status === 'active' && incidents.length > 0 ? 'incident' : rec.status;
  return {
    id,
    key: rec.processDefinitionKey,
    businessKey: rec.businessKey,
    state,
    waitingAt: waitingAt(stateOf(rec)),
    variables: await variablesOf(ctx.store, rec),
    incidents,
    work: await workOf(ctx, rec),
  };
}

/** The engine's state for a failure report: the main instance, the one looked at, counts. */
export async function snapshot(ctx: ScenarioContext, targetId?: string | null): Promise<EngineSnapshot> {
  const main = await snapshotInstance(ctx, ctx.main.id);
  const target = targetId === undefined || targetId === ctx.main.id ? undefined : targetId === null ? null : await snapshotInstance(ctx, targetId);
  return { clock: showInstant(ctx.now()), main, ...(target !== undefined ? { target } : {}), instances: await instanceCounts(ctx.store) };
}

/** Variables for display: without the automatic `correlationId` when it is the instance id. */
export function shownVariables(s: InstanceSnapshot): string {
  const vars = { ...s.variables };
  if (vars.correlationId === s.id) delete vars.correlationId;
  return show(vars);
}
