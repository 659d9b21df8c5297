/**
 * End-to-end checks of the new element kinds through the real Runtime on a temporary
 * SQLite store: the runtime delivers what the pure-engine tests play by hand.
 * Sources: Camunda 8 docs "Message correlation" (a message is correlated to the
 * subscription whose correlation key equals the message's); Camunda 7 docs "Message
 * Events" / REST "Correlate a Message" (a message start event starts a new instance:
 * resultType ProcessDefinition); Camunda 7 docs "Signal Events" ("a signal is broadcast to
 * all active handlers", the throwing instance included); Camunda 7 docs "Timer Events"
 * (R3/PT10M fires three times; the job executor runs due jobs); Camunda 7 docs "Call
 * Activity" (the called instance is a separate process instance with its own business key
 * and mapped variables; out mappings on completion; cancelling the caller cancels the called
 * instance); Camunda 7 docs "Script Task" (camunda:resultVariable).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Variables } from '../../../src/common/index.js';
import { Runtime } from '../../../src/runtime/index.js';
import { openStore } from '../../../src/store/index.js';

const MIN = 60_000;
const fixture = (name: string): Promise<string> => readFile(new URL(`../../../../test/fixtures/engine/coverage/${name}`, import.meta.url), 'utf8');

interface Clock {
  now: number;
}

async function withRuntime(files: string[], fn: (rt: Runtime, clock: Clock) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'procos-coverage-'));
  const store = await openStore(`sqlite:${join(dir, 'procos.db')}`);
  const clock: Clock = { now: Date.UTC(2026, 0, 1, 9, 0, 0) };
  const rt = new Runtime(store, { clock: () => clock.now });
  try {
    const resources = await Promise.all(files.map(async (name) => ({ name, content: await fixture(name) })));
    await rt.deploy({ name: 'coverage', resources });
    await fn(rt, clock);
  } finally {
    rt.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitingAt(rt: Runtime, id: string): Promise<string[]> {
  const rec = await rt.getInstance(id);
  const state = rec.state as unknown as { acts: Record<string, { el: string; st: string }> };
  return Object.values(state.acts)
    .filter((a) => a.st === 'wait' || a.st === 'incident')
    .map((a) => a.el)
    .sort();
}

async function status(rt: Runtime, id: string): Promise<string> {
  return (await rt.getInstance(id)).status;
}

async function variable(rt: Runtime, scopeId: string, name: string): Promise<unknown> {
  return (await rt.store.getVariable(scopeId, name))?.value;
}

/** Fetches and completes every open external task of a topic; returns how many. */
async function completeAll(rt: Runtime, topic: string, variables?: Variables): Promise<number> {
  const tasks = await rt.fetchAndLock({ workerId: 'w', maxTasks: 50, topics: [{ topicName: topic, lockDuration: 60_000 }] });
  for (const t of tasks) await rt.completeExternalTask(t.id, 'w', variables);
  return tasks.length;
}

describe('runtime end to end (SQLite)', () => {
  it('Zeebe correlation keys: a message reaches only the instance whose key matches', async () => {
    await withRuntime(['zeebe-messages.bpmn'], async (rt) => {
      const a = await rt.startInstance({ key: 'ZeebeMessages', variables: { orderId: 'o-1' } });
      const b = await rt.startInstance({ key: 'ZeebeMessages', variables: { orderId: 'o-2' } });
      assert.equal(await rt.store.countSubscriptions({ eventType: 'message', name: 'paid', correlationKey: 'o-2' }), 1);
      const r = await rt.correlateMessage({ messageName: 'paid', correlationKey: 'o-2', processVariables: { amount: 5 } });
      assert.deepEqual(r.map((x) => [x.resultType, x.processInstanceId, x.activityId]), [['Execution', b.id, 'catchPaid']]);
      assert.deepEqual(await waitingAt(rt, a.id), ['catchPaid']);
      assert.deepEqual(await waitingAt(rt, b.id), ['receiveShipped']);
      assert.equal(await variable(rt, b.id, 'amount'), 5);
      assert.equal(await rt.store.countSubscriptions({ eventType: 'message', name: 'shipped', correlationKey: 'ship-o-2' }), 1);
      await rt.correlateMessage({ messageName: 'shipped', correlationKey: 'ship-o-2' });
      assert.equal(await status(rt, b.id), 'completed');
      assert.equal(await status(rt, a.id), 'active');
    });
  });

  it('a message start event: correlating its message starts a new instance at that start event', async () => {
    await withRuntime(['messages.bpmn'], async (rt) => {
      const r = await rt.correlateMessage({ messageName: 'order', businessKey: 'b-1', processVariables: { orderId: 'o-1' } });
      assert.equal(r.length, 1);
      assert.equal(r[0]?.resultType, 'ProcessDefinition');
      assert.equal(r[0]?.activityId, 'ms_order');
      const id = r[0]?.processInstanceId as string;
      assert.deepEqual(await waitingAt(rt, id), ['ms_handle']);
      assert.equal((await rt.getInstance(id)).businessKey, 'b-1');
      assert.equal(await variable(rt, id, 'orderId'), 'o-1');
    });
  });

  it('signals: broadcast reaches the waiting instance; a signal end event of one instance completes another one waiting for it', async () => {
    await withRuntime(['signals.bpmn'], async (rt) => {
      const waiter = await rt.startInstance({ key: 'SignalWaiter' });
      const s = await rt.startInstance({ key: 'Signals', variables: { orderId: 'o-9' } });
      assert.deepEqual(await waitingAt(rt, s.id), ['catchGo']);
      await rt.broadcastSignal('go');
      assert.deepEqual(await waitingAt(rt, s.id), ['work']);
      assert.equal(await completeAll(rt, 'work'), 1);
      assert.deepEqual(await waitingAt(rt, s.id), ['after'], 'the throw event does not wait');
      assert.equal(await status(rt, waiter.id), 'active');
      assert.equal(await completeAll(rt, 'after'), 1);
      assert.equal(await status(rt, s.id), 'completed');
      assert.equal(await status(rt, waiter.id), 'completed', 'the signal end event reached the other instance');
      assert.equal(await rt.store.countSubscriptions({ eventType: 'signal' }), 0);
    });
  });

  it('timers: the job executor fires R3/PT10M three times under a controlled clock, then the PT1H timeout interrupts', async () => {
    await withRuntime(['timers.bpmn'], async (rt, clock) => {
      const pi = await rt.startInstance({ key: 'TimerBoundary' });
      assert.equal(await rt.store.countJobs({ processInstanceId: pi.id }), 2);
      assert.equal(await rt.runDueJobs(), 0, 'nothing is due yet');
      const ran: number[] = [];
      for (let i = 1; i <= 6; i++) {
        clock.now += 10 * MIN;
        ran.push(await rt.runDueJobs());
      }
      assert.deepEqual(ran, [1, 1, 1, 0, 0, 1]);
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id, topic: 'remind' }), 3);
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id, topic: 'escalate' }), 1);
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id, topic: 'work' }), 0, 'the interrupted task is gone');
      assert.equal(await rt.store.countJobs({ processInstanceId: pi.id }), 0);
    });
  });

  it('call activity across definitions: the runtime starts the child with the mapped variables and business key, and applies the out mappings', async () => {
    await withRuntime(['call-activity.bpmn'], async (rt) => {
      const parent = await rt.startInstance({ key: 'CallParent', variables: { orderId: 'o-1', customer: 'ACME', amount: 10, secret: 's' } });
      assert.deepEqual(await waitingAt(rt, parent.id), ['call']);
      const children = await rt.store.listInstances({ superInstanceId: parent.id });
      assert.equal(children.length, 1);
      const child = children[0];
      assert.ok(child);
      assert.equal(child.processDefinitionKey, 'CallChild');
      assert.equal(child.businessKey, 'o-1');
      assert.equal(await variable(rt, child.id, 'client'), 'ACME');
      assert.equal(await variable(rt, child.id, 'double'), 20);
      assert.equal(await variable(rt, child.id, 'secret'), undefined, 'unmapped variables are not passed');
      assert.equal(await completeAll(rt, 'childWork', { result: 'ok', score: 4 }), 1);
      assert.equal(await status(rt, child.id), 'completed');
      assert.deepEqual(await waitingAt(rt, parent.id), ['after']);
      assert.equal(await variable(rt, parent.id, 'childResult'), 'ok');
      assert.equal(await variable(rt, parent.id, 'nextScore'), 5);
      assert.equal(await variable(rt, parent.id, 'result'), undefined);
    });
  });

  it('call activity: cancelling the caller cancels the called instance', async () => {
    await withRuntime(['call-activity.bpmn'], async (rt) => {
      const parent = await rt.startInstance({ key: 'CallParent', variables: { orderId: 'o-2', customer: 'ACME', amount: 1 } });
      const [child] = await rt.store.listInstances({ superInstanceId: parent.id });
      assert.ok(child);
      await rt.cancelInstance(parent.id, 'stop');
      assert.equal(await status(rt, parent.id), 'terminated');
      assert.equal(await status(rt, child.id), 'terminated');
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: child.id }), 0);
    });
  });

  it('asyncBefore: the job executor runs the continuation; cancelling an instance removes its waiting async job', async () => {
    await withRuntime(['async.bpmn'], async (rt) => {
      const a = await rt.startInstance({ key: 'AsyncBefore' });
      assert.equal(await rt.store.countJobs({ processInstanceId: a.id, type: 'async' }), 1);
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: a.id }), 0);
      assert.equal(await rt.runDueJobs(), 1);
      assert.equal(await rt.store.countExternalTasks({ processInstanceId: a.id, topic: 'work' }), 1);
      assert.equal(await rt.store.countJobs({ processInstanceId: a.id }), 0);

      const b = await rt.startInstance({ key: 'AsyncBefore' });
      await rt.cancelInstance(b.id, 'stop');
      assert.equal(await status(rt, b.id), 'terminated');
      assert.equal(await rt.store.countJobs({ processInstanceId: b.id }), 0, 'no job of a terminated instance is left for the job executor');
    });
  });

  it('a JavaScript script task runs in the isolate and sets camunda:resultVariable', async () => {
    await withRuntime(['scripts.bpmn'], async (rt) => {
      const pi = await rt.startInstance({ key: 'ScriptJs', variables: { items: [{ price: 2 }, { price: 3 }] } });
      assert.deepEqual(await waitingAt(rt, pi.id), ['js_after']);
      assert.equal(await variable(rt, pi.id, 'total'), 5);
    });
  });
});
