/**
 * Time travel: `advanceClock` moves the scenario clock in due order, firing each job at
 * its own due time (so that what a timer creates carries that time), and only the jobs
 * due by the target. The review fixture has a 10-minute (non-interrupting) and a 1-hour
 * (interrupting) boundary timer on one user task.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Runtime } from '../../src/runtime/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { runStep } from '../../src/testing/actions.js';
import type { ScenarioContext } from '../../src/testing/inspect.js';
import { DEFAULT_START_TIME, formatResult, runScenarioFile } from '../../src/testing/index.js';
import { ManualClock, addDuration, parseDuration, parseInstant, showInstant } from '../../src/testing/time.js';
import { fixture, scenarioFile } from './helpers.js';

const MIN = 60_000;
const T0 = DEFAULT_START_TIME;

/** A review instance on a fresh store, with the runner's step context around it. */
async function reviewContext(): Promise<{ ctx: ScenarioContext; store: Store; clock: ManualClock; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'procos-time-travel-'));
  const store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  const clock = new ManualClock(T0);
  const runtime = new Runtime(store, { clock: clock.read });
  await runtime.deploy({ name: 'review', resources: [{ name: 'review.bpmn', content: await readFile(fixture('review.bpmn')) }] });
  const pi = await runtime.startInstance({ key: 'review', businessKey: 'r-1' });
  const ctx: ScenarioContext = { runtime, store, file: 'review.test.yaml', main: { id: pi.id, key: 'review' }, now: clock.read, moveClock: (to) => clock.moveTo(to) };
  return {
    ctx,
    store,
    clock,
    close: async () => {
      runtime.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function started(store: Store, id: string, elementId: string): Promise<string[]> {
  return (await store.listHistoricActivityInstances({ processInstanceId: id, elementId })).map((a) => showInstant(a.startTime));
}

describe('time travel', () => {
  it('advanceClock PT30M fires only the 10-minute timer, at 00:10; the clock ends at the target', async () => {
    const { ctx, store, clock, close } = await reviewContext();
    try {
      await runStep(ctx, 'advanceClock', 'PT30M');
      assert.equal(clock.now, T0 + 30 * MIN);
      assert.deepEqual(await started(store, ctx.main.id, 'reminder'), ['2026-01-01T00:10:00Z']);
      assert.deepEqual(await started(store, ctx.main.id, 'escalate'), []);
      const [task] = await store.listExternalTasks({ topic: 'remind' });
      assert.equal(task === undefined ? null : showInstant(task.createdTime), '2026-01-01T00:10:00Z', 'the reminder task was created when its timer was due, not at the target');
      assert.equal(await store.countJobs({ processInstanceId: ctx.main.id }), 1, 'the 1-hour timer still waits');
    } finally {
      await close();
    }
  });

  it('one long jump fires every due job in due order, each at its due time', async () => {
    const { ctx, store, clock, close } = await reviewContext();
    try {
      await runStep(ctx, 'advanceClock', 'P1D');
      assert.equal(clock.now, T0 + 24 * 60 * MIN);
      assert.deepEqual(await started(store, ctx.main.id, 'reminder'), ['2026-01-01T00:10:00Z']);
      assert.deepEqual(await started(store, ctx.main.id, 'escalate'), ['2026-01-01T01:00:00Z']);
      assert.deepEqual(await started(store, ctx.main.id, 'escalated'), ['2026-01-01T01:00:00Z']);
      const [review] = await store.listHistoricActivityInstances({ processInstanceId: ctx.main.id, elementId: 'reviewDocument' });
      assert.equal(review?.endTime === null || review === undefined ? null : showInstant(review.endTime), '2026-01-01T01:00:00Z', 'interrupted by the 1-hour timer');
      assert.equal(await store.countJobs(), 0);
    } finally {
      await close();
    }
  });

  it('PT0S fires nothing that is not due; the clock never moves back', async () => {
    const { ctx, store, clock, close } = await reviewContext();
    try {
      await runStep(ctx, 'advanceClock', 'PT0S');
      assert.equal(clock.now, T0);
      assert.equal(await store.countJobs({ processInstanceId: ctx.main.id }), 2);
      clock.moveTo(T0 - MIN);
      assert.equal(clock.now, T0);
    } finally {
      await close();
    }
  });

  it('in a scenario: PT30M fires the 10-minute timer only, another PT30M the 1-hour one', async () => {
    const r = await runScenarioFile(fixture('review-timers.test.yaml'));
    assert.equal(r.status, 'passed', formatResult(r));
    const f = await runScenarioFile(
      await scenarioFile(
        `deploy: review.bpmn
start: {process: review}
steps:
  - advanceClock: PT30M
  - expect: {passed: [escalate]}
`,
        ['review.bpmn'],
      ),
    );
    assert.equal(f.status, 'failed');
    assert.ok(formatResult(f).includes('    passed: [escalate] is not in the history (history: [start, reviewDocument, reminder, sendReminder])\n'), formatResult(f));
    assert.ok(formatResult(f).includes('  the engine holds, at 2026-01-01T00:30:00Z:\n'), formatResult(f));
    assert.ok(formatResult(f).includes('        escalate: timer due 2026-01-01T01:00:00Z\n'), formatResult(f));
  });

  it('ISO-8601 durations and instants', () => {
    assert.equal(parseDuration('PT30M')?.fixedMs, 30 * MIN);
    assert.equal(parseDuration('PT1H30M')?.fixedMs, 90 * MIN);
    assert.equal(parseDuration('P2W')?.fixedMs, 14 * 24 * 60 * MIN);
    assert.equal(parseDuration('PT0.5S')?.fixedMs, 500);
    for (const bad of ['1h', 'P', 'PT', 'PT-1M', '-PT1M', 'P1H', '']) assert.equal(parseDuration(bad), null, bad);
    const jan31 = Date.UTC(2026, 0, 31);
    assert.equal(showInstant(addDuration(jan31, parseDuration('P1M')!)), '2026-02-28T00:00:00Z', 'calendar months, clamped');
    assert.equal(showInstant(addDuration(jan31, parseDuration('P1Y1DT1H')!)), '2027-02-01T01:00:00Z');
    assert.equal(parseInstant('2026-01-01T00:00:00Z'), T0);
    assert.equal(parseInstant('2026-01-01'), T0);
    assert.equal(parseInstant('2026-01-01T02:00:00+02:00'), T0);
    assert.equal(parseInstant('2026-01-01T00:00:00'), null, 'a zone is required');
    assert.equal(parseInstant('tomorrow'), null);
  });
});
