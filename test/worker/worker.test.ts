/**
 * TdeWorker against the in-memory transport: routing, parallelism, lock extension,
 * retries, BPMN errors, unknown topics, graceful stop, backoff and the log line.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isProcosError } from '../../src/common/errors.js';
import { compileRoutes, TdeWorker, WorkerErrors } from '../../src/worker/index.js';
import type { TdeWorkerOptions } from '../../src/worker/index.js';
import { MemoryTransport } from './memory-transport.js';
import { captureLogger, executionLines, fnAdapters, pause, waitFor } from './helpers.js';
import type { Behaviour } from './helpers.js';

const behaviours: Record<string, Behaviour> = {
  echo: async ({ variables, task }) => ({ kind: 'complete', variables: { echoed: variables.x ?? null, topic: task.topicName } }),
  upper: async ({ variables }) => ({ kind: 'complete', variables: { upper: String(variables.x).toUpperCase() } }),
  fail: async () => ({ kind: 'failure', errorMessage: 'backend said no', errorDetails: 'trace…', retryable: true, code: 'PROCOS_ADAPTERS_HTTP_STATUS' }),
  fatal: async () => ({ kind: 'failure', errorMessage: 'bad input', retryable: false }),
  reject: async () => ({ kind: 'bpmnError', errorCode: 'REJECTED', errorMessage: 'not allowed', variables: { reason: 'policy' } }),
  throws: async () => {
    throw new Error('adapter bug');
  },
  /** Waits for the signal (up to 10 s), then fails as aborted. */
  hang: async ({ signal }) => {
    await pause(10_000, signal);
    return { kind: 'failure', errorMessage: `aborted: ${String((signal.reason as Error | undefined)?.message)}`, retryable: true };
  },
  /** Ignores the signal for 300 ms. */
  deaf: async () => {
    await pause(300);
    return { kind: 'complete', variables: { late: true } };
  },
  slow: async ({ variables }) => {
    await pause(Number(variables.ms ?? 50));
    return { kind: 'complete', variables: { slept: Number(variables.ms ?? 50) } };
  },
};

const adapters = fnAdapters(behaviours);

function setup(topics: Record<string, unknown>, options: Partial<TdeWorkerOptions> = {}) {
  const transport = new MemoryTransport();
  const { logger, lines } = captureLogger();
  const routes = compileRoutes({ topics }, { adapters });
  const worker = new TdeWorker({ transport, workerId: 'w1', routes, asyncResponseTimeout: 200, logger, ...options });
  return { transport, worker, lines };
}

describe('TdeWorker', () => {
  test('routes each topic to its adapter and completes the tasks', async () => {
    const { transport, worker } = setup({ a: { adapter: 'fn', config: { mode: 'echo' } }, b: { adapter: 'fn', config: { mode: 'upper' } } });
    const ta = transport.add({ topicName: 'a', variables: { x: 1 } });
    const tb = transport.add({ topicName: 'b', variables: { x: 'hi' } });
    const other = transport.add({ topicName: 'not-mine', variables: {} });
    worker.start();
    try {
      await waitFor('two completions', () => transport.completions.length === 2);
      assert.deepEqual(transport.get(ta).variables, { x: 1, echoed: 1, topic: 'a' });
      assert.deepEqual(transport.get(tb).variables, { x: 'hi', upper: 'HI' });
      assert.equal(transport.get(other).fetchCount, 0, 'a topic without a route is not fetched');
      const req = transport.fetchRequests[0]!;
      assert.deepEqual(req.topics.map((t) => t.topicName).sort(), ['a', 'b']);
      assert.equal(req.workerId, 'w1');
      assert.equal(req.asyncResponseTimeout, 200);
    } finally {
      await worker.stop();
    }
    assert.equal(worker.state, 'stopped');
    assert.deepEqual(worker.stats(), { fetched: 2, completed: 2, failed: 0, bpmnErrors: 0, unlocked: 0, running: 0 });
  });

  test('runs at most `parallel` tasks at once', async () => {
    let active = 0;
    let peak = 0;
    const { transport, worker } = setup({ p: { adapter: 'fn', config: { mode: 'slow' } } }, { parallel: 3, maxTasks: 10 });
    // Wrap the transport's complete to observe concurrency through the adapter's lifetime.
    const original = behaviours.slow!;
    behaviours.slow = async (input) => {
      active += 1;
      peak = Math.max(peak, active);
      try {
        return await original(input);
      } finally {
        active -= 1;
      }
    };
    try {
      for (let i = 0; i < 8; i++) transport.add({ topicName: 'p', variables: { ms: 40 } });
      worker.start();
      await waitFor('8 completions', () => transport.completions.length === 8);
      assert.equal(peak, 3);
      assert.ok(transport.fetchRequests.every((r) => r.maxTasks >= 1 && r.maxTasks <= 3), 'never asks for more than the free slots');
    } finally {
      behaviours.slow = original;
      await worker.stop();
    }
  });

  test('extends the lock of a handler that runs longer than half the lock duration', async () => {
    const { transport, worker } = setup({ s: { adapter: 'fn', config: { mode: 'slow' }, lockDuration: 300 } });
    const id = transport.add({ topicName: 's', variables: { ms: 1000 } });
    worker.start();
    try {
      await waitFor('completion', () => transport.completions.length === 1);
      // The lock (300 ms) would have expired three times over: the completion was only accepted because it was extended.
      assert.ok(transport.extensions.length >= 3, `extensions: ${transport.extensions.length}`);
      assert.ok(transport.extensions.every((e) => e.taskId === id && e.workerId === 'w1' && e.newDuration === 300));
      assert.deepEqual(transport.refusals, []);
      assert.equal(transport.get(id).fetchCount, 1, 'no other fetch got the task meanwhile');
    } finally {
      await worker.stop();
    }
  });

  test('counts retries down on each failure until the engine raises an incident', async () => {
    const { transport, worker, lines } = setup({ f: { adapter: 'fn', config: { mode: 'fail' }, retries: 3, retryTimeout: 15 } });
    const id = transport.add({ topicName: 'f' });
    worker.start();
    try {
      await waitFor('incident', () => transport.get(id).incident);
      assert.deepEqual(
        transport.failures.map((f) => [f.retries, f.retryTimeout]),
        [
          [2, 15],
          [1, 15],
          [0, 0],
        ],
      );
      assert.equal(transport.failures[0]!.errorMessage, 'backend said no');
      assert.equal(transport.failures[0]!.errorDetails, 'trace…');
      assert.equal(transport.get(id).fetchCount, 3);
      const logged = executionLines(lines);
      assert.deepEqual(
        logged.map((l) => [l.outcome, l.retries, l.level]),
        [
          ['failure', 2, 'warn'],
          ['failure', 1, 'warn'],
          ['failure', 0, 'warn'],
        ],
      );
      assert.deepEqual(logged[0]!.error, { code: 'PROCOS_ADAPTERS_HTTP_STATUS', message: 'backend said no' });
      assert.ok(!JSON.stringify(logged).includes('trace…'), 'errorDetails are not logged');
    } finally {
      await worker.stop();
    }
    assert.equal(worker.stats().failed, 3);
  });

  test('grows the retry timeout exponentially with retryBackoff, and starts from the task retries', async () => {
    const { transport, worker } = setup({ f: { adapter: 'fn', config: { mode: 'fail' }, retries: 4, retryTimeout: 10, retryBackoff: { factor: 3, maxTimeout: 50 } } });
    const id = transport.add({ topicName: 'f' });
    worker.start();
    try {
      await waitFor('incident', () => transport.get(id).incident);
      assert.deepEqual(
        transport.failures.map((f) => [f.retries, f.retryTimeout]),
        [
          [3, 10],
          [2, 30],
          [1, 50],
          [0, 0],
        ],
      );
    } finally {
      await worker.stop();
    }
  });

  test('a non-retryable failure and an adapter that throws', async () => {
    const { transport, worker, lines } = setup({ x: { adapter: 'fn', config: { mode: 'fatal' } }, y: { adapter: 'fn', config: { mode: 'throws' }, retries: 5 } });
    const fatal = transport.add({ topicName: 'x' });
    const threw = transport.add({ topicName: 'y' });
    worker.start();
    try {
      await waitFor('two failures', () => transport.failures.length >= 2);
      const byTask = new Map(transport.failures.map((f) => [f.taskId, f]));
      assert.equal(byTask.get(fatal)!.retries, 0, 'not retryable → incident at once');
      assert.equal(byTask.get(threw)!.retries, 4);
      assert.match(byTask.get(threw)!.errorMessage, /adapter "fn" threw: adapter bug/);
      assert.match(byTask.get(threw)!.errorDetails ?? '', /Error: adapter bug/);
      const line = executionLines(lines).find((l) => l.taskId === threw)!;
      assert.deepEqual(line.error, { code: WorkerErrors.ADAPTER_THREW.code, message: 'adapter "fn" threw: adapter bug' });
    } finally {
      await worker.stop();
    }
  });

  test('reports a BPMN error with its code, message and variables', async () => {
    const { transport, worker, lines } = setup({ r: { adapter: 'fn', config: { mode: 'reject' } } });
    const id = transport.add({ topicName: 'r' });
    worker.start();
    try {
      await waitFor('bpmn error', () => transport.bpmnErrors.length === 1);
      assert.deepEqual(transport.bpmnErrors[0], { taskId: id, workerId: 'w1', errorCode: 'REJECTED', errorMessage: 'not allowed', variables: { reason: 'policy' } });
      assert.equal(transport.failures.length, 0);
      const [line] = executionLines(lines);
      assert.equal(line!.outcome, 'bpmnError');
      assert.equal(line!.level, 'info');
      assert.deepEqual(line!.error, { code: 'REJECTED', message: 'not allowed' });
    } finally {
      await worker.stop();
    }
    assert.equal(worker.stats().bpmnErrors, 1);
  });

  test('a task of an unknown topic fails with 0 retries and a clear message', async () => {
    const { transport, worker, lines } = setup({ known: { adapter: 'fn', config: { mode: 'echo' } } });
    transport.ignoreTopicFilter = true;
    const id = transport.add({ topicName: 'mystery' });
    worker.start();
    try {
      await waitFor('failure', () => transport.failures.length === 1);
      const f = transport.failures[0]!;
      assert.equal(f.taskId, id);
      assert.equal(f.retries, 0);
      assert.equal(f.errorMessage, 'no route for topic "mystery" in worker "w1" (it routes "known")');
      assert.ok(transport.get(id).incident);
      const [line] = executionLines(lines);
      assert.equal(line!.adapter, null);
      assert.equal((line!.error as { code: string }).code, WorkerErrors.UNKNOWN_TOPIC.code);
    } finally {
      await worker.stop();
    }
  });

  test('fails a task that outlives its route timeout, even when the adapter ignores the signal', async () => {
    const { transport, worker, lines } = setup({ d: { adapter: 'fn', config: { mode: 'deaf' }, timeout: 60, retries: 2 } }, { abortGraceMs: 20 });
    transport.add({ topicName: 'd' });
    worker.start();
    try {
      await waitFor('failure', () => transport.failures.length === 1);
      const f = transport.failures[0]!;
      assert.equal(f.errorMessage, 'task timed out after 60 ms (timeout of topic "d")');
      assert.match(f.errorDetails ?? '', /did not return within 20 ms/);
      assert.equal(f.retries, 1);
      assert.equal((executionLines(lines)[0]!.error as { code: string }).code, WorkerErrors.TIMEOUT.code);
    } finally {
      await worker.stop();
      await pause(300); // let the deaf adapter's timer run out
    }
  });

  test('a timeout aborts the adapter with a PROCOS_WORKER_TIMEOUT error and reports it as a retryable failure', async () => {
    let reason: unknown;
    const original = behaviours.hang!;
    behaviours.hang = async (input) => {
      const result = await original(input);
      reason = input.signal.reason;
      return result;
    };
    const { transport, worker, lines } = setup({ h: { adapter: 'fn', config: { mode: 'hang' }, timeout: 40, retries: 3 } });
    transport.add({ topicName: 'h' });
    worker.start();
    try {
      await waitFor('failure', () => transport.failures.length === 1);
      const f = transport.failures[0]!;
      assert.equal(f.errorMessage, 'task timed out after 40 ms (timeout of topic "h")');
      assert.equal(f.errorDetails, 'aborted: task timed out after 40 ms (timeout of topic "h")', "the adapter's signal carried the timeout error");
      assert.equal(f.retries, 2);
      assert.ok(isProcosError(reason, WorkerErrors.TIMEOUT), String(reason));
      assert.deepEqual(reason.details, { topic: 'h', timeoutMs: 40 });
      assert.equal((executionLines(lines)[0]!.error as { code: string }).code, WorkerErrors.TIMEOUT.code);
    } finally {
      behaviours.hang = original;
      await worker.stop();
    }
  });

  test('runs more than 10 tasks at once without a MaxListenersExceededWarning on its stop signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    const { transport, worker } = setup({ h: { adapter: 'fn', config: { mode: 'hang' } } }, { parallel: 16 });
    try {
      const ids = Array.from({ length: 16 }, () => transport.add({ topicName: 'h' }));
      worker.start();
      await waitFor('16 running', () => worker.stats().running === 16);
      await worker.stop({ graceMs: 0 });
      assert.deepEqual([...transport.unlocks].sort(), [...ids].sort(), 'all 16 aborted and unlocked');
      await pause(20); // warnings are emitted on a later tick
      assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
    } finally {
      process.off('warning', onWarning);
      await worker.stop();
    }
  });

  test('stop() lets running tasks finish within the grace period, then aborts and unlocks the rest', async () => {
    const { transport, worker, lines } = setup({ h: { adapter: 'fn', config: { mode: 'hang' } }, s: { adapter: 'fn', config: { mode: 'slow' } } }, { parallel: 4 });
    const hanging = transport.add({ topicName: 'h' });
    const quick = transport.add({ topicName: 's', variables: { ms: 60 } });
    worker.start();
    await waitFor('both running', () => worker.stats().running === 2);
    await worker.stop({ graceMs: 300 });
    assert.equal(worker.state, 'stopped');
    assert.deepEqual(transport.completions.map((c) => c.taskId), [quick], 'the quick task finished within the grace period');
    assert.deepEqual(transport.unlocks, [hanging], 'the hanging task was aborted and unlocked');
    assert.equal(transport.failures.length, 0, 'an aborted task is unlocked, not failed');
    const t = transport.get(hanging);
    assert.equal(t.workerId, null);
    assert.equal(t.retries, null, 'retries untouched');
    assert.deepEqual(worker.stats(), { fetched: 2, completed: 1, failed: 0, bpmnErrors: 0, unlocked: 1, running: 0 });
    const line = executionLines(lines).find((l) => l.taskId === hanging)!;
    assert.equal(line.unlocked, true);
    assert.equal((line.error as { code: string }).code, WorkerErrors.STOPPED.code);
    assert.equal(executionLines(lines).length, 2);
    const fetchesAtStop = transport.fetchRequests.length;
    transport.add({ topicName: 's' });
    await pause(50);
    assert.equal(transport.fetchRequests.length, fetchesAtStop, 'no fetch after stop');
  });

  test('stop() ends a long poll at once and resolves with nothing running', async () => {
    const { worker } = setup({ a: { adapter: 'fn', config: { mode: 'echo' } } }, { asyncResponseTimeout: 60_000 });
    worker.start();
    await pause(20);
    await worker.stop({ graceMs: 10_000 });
    assert.equal(worker.state, 'stopped');
    assert.equal(await worker.stop(), undefined, 'a second stop() resolves too');
  });

  test('backs off while the engine is unreachable, logging one line per state change', async () => {
    const { transport, worker, lines } = setup(
      { a: { adapter: 'fn', config: { mode: 'echo' } } },
      { fetchBackoff: { initialMs: 5, maxMs: 20 }, random: () => 0.5 },
    );
    transport.failNextFetches = 4;
    transport.add({ topicName: 'a', variables: { x: 'after outage' } });
    worker.start();
    try {
      await waitFor('completion', () => transport.completions.length === 1);
      assert.equal(transport.fetchRequests.length >= 5, true);
      const unreachable = lines.filter((l) => l.event === 'engine-unreachable');
      const reachable = lines.filter((l) => l.event === 'engine-reachable');
      assert.equal(unreachable.length, 1);
      assert.equal(unreachable[0]!.level, 'warn');
      assert.match(String((unreachable[0]!.error as { message: string }).message), /ECONNREFUSED/);
      assert.equal(reachable.length, 1);
      assert.equal(reachable[0]!.failedFetches, 4);
      assert.equal(lines.filter((l) => l.event === 'fetch-failed').length, 3, 'later failures only at debug level');
    } finally {
      await worker.stop();
    }
  });

  test('logs exactly one line per execution, with the correlation id', async () => {
    const { transport, worker, lines } = setup({ a: { adapter: 'fn', config: { mode: 'echo' } }, f: { adapter: 'fn', config: { mode: 'fatal' } } });
    const withCorr = transport.add({ topicName: 'a', variables: { correlationId: 'corr-42', x: 1 }, processInstanceId: 'pi-1', activityId: 'Task_A' });
    const without = transport.add({ topicName: 'a', variables: { x: 2 }, processInstanceId: 'pi-2' });
    const failing = transport.add({ topicName: 'f', variables: { correlationId: 7 }, processInstanceId: 'pi-3' });
    worker.start();
    try {
      await waitFor('three executions', () => executionLines(lines).length === 3);
      await pause(30);
      const logged = executionLines(lines);
      assert.equal(logged.length, 3);
      const byTask = new Map(logged.map((l) => [l.taskId, l]));
      assert.equal(byTask.size, 3);
      const a = byTask.get(withCorr)!;
      assert.equal(a.correlationId, 'corr-42');
      assert.equal(a.topic, 'a');
      assert.equal(a.processInstanceId, 'pi-1');
      assert.equal(a.activityId, 'Task_A');
      assert.equal(a.adapter, 'fn');
      assert.equal(a.outcome, 'completed');
      assert.equal(a.workerId, 'w1');
      assert.equal(typeof a.durationMs, 'number');
      assert.equal(a.error, undefined);
      assert.equal(byTask.get(without)!.correlationId, 'pi-2', 'falls back to the process instance id');
      assert.equal(byTask.get(failing)!.correlationId, '7');
      assert.equal(byTask.get(failing)!.outcome, 'failure');
    } finally {
      await worker.stop();
    }
  });

  test('fetches only the listed variables plus correlationId', async () => {
    const { transport, worker } = setup({ a: { adapter: 'fn', config: { mode: 'echo' }, variables: ['x'] } });
    transport.add({ topicName: 'a', variables: { x: 'kept', secret: 'not fetched', correlationId: 'c' } });
    worker.start();
    try {
      await waitFor('completion', () => transport.completions.length === 1);
      assert.deepEqual(transport.fetchRequests[0]!.topics[0]!.variables, ['x', 'correlationId']);
    } finally {
      await worker.stop();
    }
  });

  test('a completion refused by the engine is logged once, with reportError', async () => {
    const { transport, worker, lines } = setup({ s: { adapter: 'fn', config: { mode: 'slow' }, lockDuration: 100 } });
    const id = transport.add({ topicName: 's', variables: { ms: 200 } });
    // Someone else takes the lock: the engine refuses our completion.
    const originalExtend = transport.extendLock.bind(transport);
    transport.extendLock = async () => {
      const t = transport.get(id);
      t.workerId = 'intruder';
      t.lockExpirationTime = Date.now() + 10_000;
    };
    worker.start();
    try {
      await waitFor('execution line', () => executionLines(lines).length === 1);
      const [line] = executionLines(lines);
      assert.equal(line!.level, 'error');
      assert.equal(line!.outcome, 'completed');
      assert.equal((line!.reportError as { code: string }).code, WorkerErrors.REPORT_FAILED.code);
      assert.equal(transport.completions.length, 0);
    } finally {
      transport.extendLock = originalExtend;
      await worker.stop();
    }
  });

  test('refuses a second start and invalid options', async () => {
    const { worker, transport } = setup({ a: { adapter: 'fn', config: { mode: 'echo' } } });
    worker.start();
    try {
      assert.throws(() => worker.start(), (e) => isProcosError(e, WorkerErrors.ALREADY_STARTED));
    } finally {
      await worker.stop();
    }
    assert.throws(() => worker.start(), (e) => isProcosError(e, WorkerErrors.ALREADY_STARTED) && /stopped/.test(e.message));
    const routes = compileRoutes({ topics: { a: { adapter: 'fn', config: { mode: 'echo' } } } }, { adapters });
    assert.throws(() => new TdeWorker({ transport, workerId: '', routes }), (e) => isProcosError(e, WorkerErrors.OPTIONS_INVALID));
    assert.throws(
      () => new TdeWorker({ transport, workerId: 'w', routes, parallel: 0 }),
      (e) => isProcosError(e, WorkerErrors.OPTIONS_INVALID) && e.message === 'parallel: expected an integer ≥ 1, received 0',
    );
  });
});
