/**
 * The steps that act on the engine: complete, bpmnError, fail, correlate, signal,
 * advanceClock, setVariables, resolveIncident, cancel. Each goes through the public
 * {@link Runtime} API as a worker, a person or a caller would; external tasks are
 * fetched and locked by the runner's own worker id first.
 *
 * When the engine does not hold what a step needs (nothing waits at the activity, no
 * incident to resolve), or refuses the command, the step fails with
 * PROCOS_TESTING_ACTION_FAILED naming what it looked for and what there is.
 */
import { ProcosError, isProcosError } from '../common/errors.js';
import type { Variables } from '../common/json.js';
import type { ExternalTaskRecord } from '../store/index.js';
import { TestingErrors } from './errors.js';
import { checkExpectations } from './expect.js';
import { latestInstanceOf, snapshot, stateOf } from './inspect.js';
import type { ScenarioContext } from './inspect.js';
import type { StepBody, StepKind } from './schema.js';
import { show } from './show.js';
import { addDuration, parseDuration, showInstant } from './time.js';

/** The worker id the runner fetches, locks and completes external tasks with. */
export const SCENARIO_WORKER_ID = 'procos-test';

/** Lock duration of tasks the runner fetches, ms. */
const LOCK_MS = 5 * 60_000;
/** Jobs one `advanceClock` may fire before it is taken for a runaway (an unbounded timer cycle every second …). */
const MAX_JOBS_PER_ADVANCE = 10_000;

/** A step that could not be carried out. */
export function actionFailed(message: string, details: Record<string, unknown> = {}, cause?: unknown): ProcosError {
  return new ProcosError(TestingErrors.ACTION_FAILED, message, details, cause === undefined ? undefined : { cause });
}

/** Runs a runtime call; a refusal becomes a failed step that quotes the engine. */
async function engine<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isProcosError(e)) throw actionFailed(`${what}: the engine refused: ${e.message} [${e.code}]`, { engineCode: e.code }, e);
    throw actionFailed(`${what}: the engine failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, {}, e);
  }
}

/** Something that a `complete` can finish. */
type Work =
  | { readonly kind: 'external'; readonly created: number; readonly id: string; readonly task: ExternalTaskRecord }
  | { readonly kind: 'user'; readonly created: number; readonly id: string }
  | { readonly kind: 'receive'; readonly created: number; readonly id: string; readonly processInstanceId: string };

function oldestFirst(a: Work, b: Work): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Message-less receive tasks waiting at `activity`, in every active instance. */
async function receiveTasksAt(ctx: ScenarioContext, activity: string): Promise<Work[]> {
  const out: Work[] = [];
  for (const summary of await ctx.store.listInstances({ status: 'active' })) {
    const rec = await ctx.store.getInstance(summary.id);
    if (rec === null) continue;
    const model = await ctx.runtime.model(rec.processDefinitionId);
    const node = model.nodes.get(activity);
    if (node?.kind !== 'receiveTask' || node.messageName !== undefined) continue;
    const acts = Object.values(stateOf(rec).acts ?? {}).filter((a) => a.el === activity && a.st === 'wait');
    if (acts.length === 0) continue;
    const started = new Map((await ctx.store.listHistoricActivityInstances({ processInstanceId: rec.id, elementId: activity, finished: false })).map((h) => [h.id, h.startTime]));
    for (const a of acts) out.push({ kind: 'receive', created: started.get(a.id) ?? 0, id: a.id, processInstanceId: rec.id });
  }
  return out;
}

/** Why nothing was found at an activity: what waits now, in every instance. */
async function whatWaits(ctx: ScenarioContext): Promise<string> {
  const s = await snapshot(ctx);
  const lines = s.main === null ? [] : [...s.main.work];
  for (const summary of await ctx.store.listInstances({ status: 'active' })) {
    if (summary.id === ctx.main.id) continue;
    const rec = await ctx.store.getInstance(summary.id);
    if (rec === null) continue;
    for (const t of await ctx.store.listExternalTasks({ processInstanceId: rec.id })) lines.push(`${t.elementId}: external task (topic ${t.topic}) in ${rec.processDefinitionKey}`);
    for (const t of await ctx.store.listUserTasks({ processInstanceId: rec.id })) lines.push(`${t.elementId}: user task in ${rec.processDefinitionKey}`);
  }
  const due = (await ctx.store.listJobs({ dueBefore: ctx.now() })).some((j) => j.retries === null || j.retries > 0);
  const hint = due ? ' (jobs are due now: "advanceClock: PT0S" runs them)' : '';
  return `${lines.length === 0 ? 'nothing is open' : `open now: ${lines.join('; ')}`}${hint}`;
}

/** The task a step names by `activity` or `topic` (external tasks only when `externalOnly`). */
async function findWork(ctx: ScenarioContext, target: { activity?: string | undefined; topic?: string | undefined }, externalOnly: boolean): Promise<Work> {
  const { store } = ctx;
  if (target.topic !== undefined) {
    const task = (await store.listExternalTasks({ topic: target.topic }))[0];
    if (task === undefined) throw actionFailed(`no external task of topic "${target.topic}" is open; ${await whatWaits(ctx)}`);
    return { kind: 'external', created: task.createdTime, id: task.id, task };
  }
  const activity = target.activity!;
  const found: Work[] = (await store.listExternalTasks({ elementId: activity })).map((task) => ({ kind: 'external', created: task.createdTime, id: task.id, task }));
  if (!externalOnly) {
    for (const t of await store.listUserTasks({ elementId: activity })) found.push({ kind: 'user', created: t.createdTime, id: t.id });
    found.push(...(await receiveTasksAt(ctx, activity)));
  }
  found.sort(oldestFirst);
  if (found[0] === undefined) {
    const what = externalOnly ? 'no external task waits' : 'no external task, user task or message-less receive task waits';
    throw actionFailed(`${what} at "${activity}"; ${await whatWaits(ctx)}`);
  }
  return found[0];
}

/** Fetches and locks `task` for the runner's worker, as a worker would (fetchAndLock on its topic). */
async function lock(ctx: ScenarioContext, task: ExternalTaskRecord): Promise<void> {
  if (task.workerId === SCENARIO_WORKER_ID) return;
  for (;;) {
    const got = await engine(`fetching the external task at "${task.elementId}"`, () =>
      ctx.runtime.fetchAndLock({ workerId: SCENARIO_WORKER_ID, maxTasks: 100, topics: [{ topicName: task.topic, lockDuration: LOCK_MS, processDefinitionId: task.processDefinitionId }] }),
    );
    if (got.some((t) => t.id === task.id)) return;
    if (got.length < 100) break;
  }
  const why =
    task.retries === 0
      ? 'it has no retries left (an incident is open); resolve it first (resolveIncident)'
      : task.retryAfterTime !== null && task.retryAfterTime > ctx.now()
        ? `it failed and is offered again only at ${showInstant(task.retryAfterTime)} (advance the clock)`
        : task.workerId !== null
          ? `it is locked by worker "${task.workerId}"`
          : 'fetchAndLock did not return it';
  throw actionFailed(`the external task at "${task.elementId}" (topic ${task.topic}) cannot be fetched: ${why}`);
}

async function complete(ctx: ScenarioContext, s: StepBody<'complete'>): Promise<void> {
  const work = await findWork(ctx, s, false);
  const vars: Variables | undefined = s.variables;
  if (work.kind === 'external') {
    await lock(ctx, work.task);
    await engine(`completing the external task at "${work.task.elementId}"`, () => ctx.runtime.completeExternalTask(work.id, SCENARIO_WORKER_ID, vars));
  } else if (work.kind === 'user') {
    await engine(`completing the user task at "${s.activity}"`, () => ctx.runtime.completeUserTask(work.id, vars));
  } else {
    await engine(`completing the receive task at "${s.activity}"`, () => ctx.runtime.signalActivity(work.processInstanceId, work.id, vars));
  }
}

async function bpmnError(ctx: ScenarioContext, s: StepBody<'bpmnError'>): Promise<void> {
  const work = await findWork(ctx, s, s.activity === undefined);
  if (work.kind === 'user') {
    // Camunda 7 TaskService.handleBpmnError: a user task may report a BPMN error too.
    await engine(`reporting BPMN error "${s.code}" at the user task "${s.activity}"`, () => ctx.runtime.handleUserTaskBpmnError(work.id, s.code, s.message, s.variables));
    return;
  }
  if (work.kind !== 'external') throw actionFailed(`a BPMN error can be reported by an external task or a user task, not by the receive task at "${s.activity}"`);
  await lock(ctx, work.task);
  await engine(`reporting BPMN error "${s.code}" at "${work.task.elementId}"`, () => ctx.runtime.handleExternalTaskBpmnError(work.id, SCENARIO_WORKER_ID, s.code, s.message, s.variables));
}

async function fail(ctx: ScenarioContext, s: StepBody<'fail'>): Promise<void> {
  const work = await findWork(ctx, s, true);
  if (work.kind !== 'external') return;
  await lock(ctx, work.task);
  const timeout = s.retryTimeout === undefined ? 0 : addDuration(0, parseDuration(s.retryTimeout)!);
  await engine(`reporting a failure at "${work.task.elementId}"`, () =>
    ctx.runtime.handleExternalTaskFailure(work.id, SCENARIO_WORKER_ID, {
      retries: s.retries,
      retryTimeout: timeout,
      ...(s.message !== undefined ? { errorMessage: s.message } : {}),
      ...(s.details !== undefined ? { errorDetails: s.details } : {}),
    }),
  );
}

async function correlate(ctx: ScenarioContext, s: StepBody<'correlate'>): Promise<void> {
  await engine(`correlating message "${s.message}"`, () =>
    ctx.runtime.correlateMessage({
      messageName: s.message,
      ...(s.businessKey !== undefined ? { businessKey: s.businessKey } : {}),
      ...(s.correlationKeys !== undefined ? { correlationKeys: s.correlationKeys } : {}),
      ...(s.correlationKey !== undefined ? { correlationKey: s.correlationKey } : {}),
      ...(s.variables !== undefined ? { processVariables: s.variables } : {}),
      ...(s.all !== undefined ? { all: s.all } : {}),
    }),
  );
}

async function signal(ctx: ScenarioContext, s: StepBody<'signal'>): Promise<void> {
  await engine(`broadcasting signal "${s.name}"`, () => ctx.runtime.broadcastSignal(s.name, s.variables ?? {}));
}

/**
 * Moves the clock by `duration`, in due order: the earliest due job (≤ the target) sets
 * the clock to its due time and every job due then runs; again until none is due by the
 * target; then the clock is set to the target. Jobs without retries left stay.
 */
async function advanceClock(ctx: ScenarioContext, duration: StepBody<'advanceClock'>): Promise<void> {
  const target = addDuration(ctx.now(), parseDuration(duration)!);
  let fired = 0;
  for (;;) {
    const due = (await ctx.store.listJobs({ dueBefore: target })).filter((j) => j.retries === null || j.retries > 0);
    const next = due.find((j) => j.lockExpirationTime === null || j.lockExpirationTime <= Math.max(ctx.now(), j.dueTime));
    if (next === undefined) break;
    ctx.moveClock(next.dueTime);
    const n = await engine(`firing the jobs due at ${showInstant(ctx.now())}`, () => ctx.runtime.runDueJobs());
    if (n === 0) break;
    fired += n;
    if (fired > MAX_JOBS_PER_ADVANCE) throw actionFailed(`more than ${MAX_JOBS_PER_ADVANCE} jobs fired before ${showInstant(target)} (a timer cycle that never ends?); the clock stopped at ${showInstant(ctx.now())}`);
  }
  ctx.moveClock(target);
}

/** The instance a step names with `in`, else the main one. */
async function instanceFor(ctx: ScenarioContext, key: string | undefined): Promise<string> {
  if (key === undefined) return ctx.main.id;
  const id = await latestInstanceOf(ctx.store, key);
  if (id === null) throw actionFailed(`no instance of process "${key}" was started in this scenario`);
  return id;
}

async function setVariables(ctx: ScenarioContext, s: StepBody<'setVariables'>): Promise<void> {
  const id = await instanceFor(ctx, s.in);
  await activeOrFail(ctx, id, 'set variables of');
  await engine('setting variables', () => ctx.runtime.setVariables(id, s.variables));
}

async function resolveIncident(ctx: ScenarioContext, s: StepBody<'resolveIncident'>): Promise<void> {
  const inc = (await ctx.store.listIncidents({ elementId: s.activity, open: true }))[0];
  if (inc === undefined) {
    const open = await ctx.store.listIncidents({ open: true });
    throw actionFailed(`no open incident at "${s.activity}"; open incidents: ${open.length === 0 ? 'none' : open.map((i) => `${i.elementId} (${i.type})`).join(', ')}`);
  }
  await engine(`resolving the incident at "${s.activity}"`, () => ctx.runtime.resolveIncident(inc.id));
}

async function activeOrFail(ctx: ScenarioContext, id: string, what: string): Promise<void> {
  const rec = await ctx.store.getInstance(id);
  if (rec !== null && rec.status !== 'active') throw actionFailed(`cannot ${what} instance ${rec.processDefinitionKey} ${show(rec.businessKey ?? rec.id)}: it has ended (${rec.status})`);
}

async function cancel(ctx: ScenarioContext, s: StepBody<'cancel'>): Promise<void> {
  await activeOrFail(ctx, ctx.main.id, 'cancel');
  await engine('cancelling the instance', () => ctx.runtime.cancelInstance(ctx.main.id, s.reason));
}

/** What each step kind does. */
type Handler<K extends StepKind> = (ctx: ScenarioContext, body: StepBody<K>) => Promise<void>;

const handlers: { [K in StepKind]: Handler<K> } = {
  expect: checkExpectations,
  complete,
  bpmnError,
  fail,
  correlate,
  signal,
  advanceClock,
  setVariables,
  resolveIncident,
  cancel,
};

/**
 * Runs one step.
 * @throws PROCOS_TESTING_ACTION_FAILED / PROCOS_TESTING_EXPECTATION_FAILED.
 */
export function runStep<K extends StepKind>(ctx: ScenarioContext, kind: K, body: StepBody<K>): Promise<void> {
  const handler: Handler<K> = handlers[kind];
  return handler(ctx, body);
}
