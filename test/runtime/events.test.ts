/**
 * Events through the runtime, on real stores: timers as durable jobs (fired by the job
 * executor's `runDueJobs` under a controlled clock), message correlation (Camunda 7
 * `POST /message` rules), signal broadcast to every instance, an interrupting message
 * event subprocess. Sources: BPMN 2.0.2 §10.5 and §13.5; Camunda 7 docs "Timer Events",
 * "Message Events" (correlation), "Signal Events", "Event Subprocess".
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { Runtime } from '../../src/runtime/index.js';
import { storeKinds } from '../helpers/stores.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`../../../test/fixtures/runtime/events/${name}`, import.meta.url), 'utf8');
const MIN = 60_000;

async function waitingAt(rt: Runtime, id: string): Promise<string[]> {
  const rec = await rt.getInstance(id);
  const state = rec.state as unknown as { acts: Record<string, { el: string; st: string }> };
  return Object.values(state.acts)
    .filter((a) => a.st === 'wait')
    .map((a) => a.el)
    .sort();
}

for (const kind of storeKinds()) {
  describe(`events on ${kind.name}`, () => {
    it('timers: a non-interrupting cycle fires twice, then the interrupting duration timer ends the wait', async () => {
      const opened = await kind.open();
      const clock = { now: Date.UTC(2026, 0, 1) };
      const rt = new Runtime(opened.store, { clock: () => clock.now });
      try {
        await rt.deploy({ name: 't', resources: [{ name: 'order-events.bpmn', content: await fixture('order-events.bpmn') }] });
        const pi = await rt.startInstance({ key: 'order_events', businessKey: 'o-1' });
        assert.deepEqual(await waitingAt(rt, pi.id), ['wait_payment']);
        assert.equal(await rt.store.countJobs({ processInstanceId: pi.id }), 2, 'the two boundary timers are durable jobs');
        assert.equal(await rt.runDueJobs(), 0, 'nothing is due yet');
        clock.now += 20 * MIN;
        assert.equal(await rt.runDueJobs(), 1);
        assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id, topic: 'remind' }), 1, 'first reminder');
        assert.deepEqual(await waitingAt(rt, pi.id), ['send_reminder', 'wait_payment'], 'non-interrupting: still waiting for payment');
        clock.now += 20 * MIN;
        assert.equal(await rt.runDueJobs(), 1);
        assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id, topic: 'remind' }), 2, 'second reminder (R2)');
        clock.now += 20 * MIN;
        assert.equal(await rt.runDueJobs(), 1, 'only the 1 h timeout is left: R2 fired twice');
        assert.deepEqual(await waitingAt(rt, pi.id), ['send_reminder', 'send_reminder'], 'the interrupting timer ended the receive task');
        assert.equal(await rt.store.countSubscriptions({ processInstanceId: pi.id, eventType: 'message', name: 'paid' }), 0, 'its message subscription is gone');
        assert.equal(await rt.store.countJobs({ processInstanceId: pi.id }), 0);
        for (const t of await rt.fetchAndLock({ workerId: 'w', maxTasks: 5, topics: [{ topicName: 'remind', lockDuration: 1000 }] })) await rt.completeExternalTask(t.id, 'w');
        assert.equal((await rt.getInstance(pi.id)).status, 'completed');
        const passed = (await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id })).map((a) => a.elementId);
        assert.ok(passed.includes('timed_out') && !passed.includes('paid_end'));
      } finally {
        rt.close();
        await opened.cleanup();
      }
    });

    it('messages correlate by name and business key; none or several matches are refused as Camunda does; signals reach every instance', async () => {
      const opened = await kind.open();
      const rt = new Runtime(opened.store);
      try {
        await rt.deploy({ name: 't', resources: [{ name: 'order-events.bpmn', content: await fixture('order-events.bpmn') }] });
        const a = await rt.startInstance({ key: 'order_events', businessKey: 'a' });
        const b = await rt.startInstance({ key: 'order_events', businessKey: 'b' });
        await assert.rejects(rt.correlateMessage({ messageName: 'paid' }), (e) => isProcosError(e) && e.code === 'PROCOS_RUNTIME_MESSAGE_AMBIGUOUS' && /2 executions/.test(e.message));
        await assert.rejects(rt.correlateMessage({ messageName: 'unknown' }), (e) => isProcosError(e) && e.code === 'PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED' && /No process definition or execution matches/.test(e.message));
        const r = await rt.correlateMessage({ messageName: 'paid', businessKey: 'a', processVariables: { amount: 12 } });
        assert.deepEqual(r.map((x) => [x.resultType, x.processInstanceId, x.activityId]), [['Execution', a.id, 'wait_payment']]);
        assert.deepEqual(await waitingAt(rt, a.id), ['wait_alert']);
        assert.deepEqual(await waitingAt(rt, b.id), ['wait_payment']);
        assert.equal((await rt.store.getVariable(a.id, 'amount'))?.value, 12, 'message variables are set on the instance');
        assert.equal(await rt.store.countJobs({ processInstanceId: a.id }), 0, 'boundary timers of the received task are removed');
        await rt.correlateMessage({ messageName: 'paid', businessKey: 'b' });
        await rt.broadcastSignal('alert');
        assert.equal((await rt.getInstance(a.id)).status, 'completed');
        assert.equal((await rt.getInstance(b.id)).status, 'completed');
        assert.equal(await rt.store.countSubscriptions({ eventType: 'signal', name: 'alert' }), 0);
      } finally {
        rt.close();
        await opened.cleanup();
      }
    });

    it('an interrupting message event subprocess cancels everything in its scope and completes the instance', async () => {
      const opened = await kind.open();
      const rt = new Runtime(opened.store);
      try {
        await rt.deploy({ name: 't', resources: [{ name: 'order-events.bpmn', content: await fixture('order-events.bpmn') }] });
        const pi = await rt.startInstance({ key: 'order_events', businessKey: 'x' });
        await rt.correlateMessage({ messageName: 'cancel-order', businessKey: 'x' });
        const done = await rt.getInstance(pi.id);
        assert.equal(done.status, 'completed');
        const acts = await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id });
        const byEl = new Map(acts.map((a) => [a.elementId, a]));
        assert.equal(byEl.get('wait_payment')?.canceled, true);
        assert.equal(byEl.get('cancelled')?.canceled, false);
        assert.equal(await rt.store.countJobs({ processInstanceId: pi.id }), 0);
        assert.equal(await rt.store.countSubscriptions({ processInstanceId: pi.id }), 0);
      } finally {
        rt.close();
        await opened.cleanup();
      }
    });
  });
}
