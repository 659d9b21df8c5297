/**
 * Event-based gateway: the first of the following catch events to occur wins.
 * Sources: BPMN 2.0.2 §13.3.4 "Event-based Gateway (Exclusive Decision (event-based))":
 * "the Gateway waits for one of the Events … when the first Event … is triggered, the
 * token is sent on … its Sequence Flow … all the other … Events are no longer waited for".
 * Camunda 7 docs "Gateways → Event-based Gateway": "the execution waits at the gateway …
 * event subscriptions are created for each of the intermediate catch events … when the
 * first event occurs, the other subscriptions are removed". Camunda 8 docs "Event-based
 * gateway": "When the first event is triggered, the process instance takes the sequence
 * flow of that event … all other subscriptions (timers, messages, signals) are closed".
 * Camunda 7 docs "Timer Events": a timeDuration is relative to the moment the timer is
 * created (here: the injected clock, ARCHITECTURE.md "Deterministic core").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MIN, load, openSubs, removedIds, subOf, trigger } from './driver-ext.js';

const FILE = 'event-based-gateway.bpmn';

async function started() {
  const d = await load(FILE, 'EventGateway');
  d.advance(7 * MIN);
  const t0 = d.now;
  d.start({ orderId: 'o-1' });
  return { d, t0 };
}

describe('event-based gateway (BPMN 2.0.2 §13.3.4, Camunda 7 / Camunda 8 Event-based Gateway)', () => {
  it('waits at the gateway with a message subscription, a signal subscription and a timer job', async () => {
    const { d, t0 } = await started();
    assert.deepEqual(d.waitingAt(), ['gw']);
    const subs = d.effectsOf('subscriptionCreated').map((e) => [e.eventType, e.name, e.correlationKey, e.elementId]);
    assert.deepEqual(
      subs.sort(),
      [
        ['message', 'approved', null, 'catchMsg'],
        ['signal', 'abort', null, 'catchSignal'],
      ],
    );
    const jobs = d.effectsOf('jobCreated').map((e) => [e.jobType, e.elementId, e.dueTime]);
    assert.deepEqual(jobs, [['timer', 'catchTimer', t0 + HOUR]], 'the PT1H timer is due one hour after the injected clock');
    assert.deepEqual(
      openSubs(d).map((s) => [s.el, s.r, s.t]),
      [
        ['catchMsg', 'gateway', 'message'],
        ['catchSignal', 'gateway', 'signal'],
        ['catchTimer', 'gateway', 'timer'],
      ],
    );
    assert.ok(!d.started.includes('catchMsg') && !d.started.includes('catchTimer') && !d.started.includes('catchSignal'));
    await d.assertDeterministic();
  });

  it('the message comes first: its path is taken, the timer job and signal subscription are removed', async () => {
    const { d } = await started();
    const timer = subOf(d, 'catchTimer').id;
    const signal = subOf(d, 'catchSignal').id;
    const effects = trigger(d, 'catchMsg', { approvedBy: 'ann' });
    assert.deepEqual(d.waitingAt(), ['onMsg']);
    assert.equal(d.variables['approvedBy'], 'ann', 'the message payload is set on the instance');
    assert.ok(d.passed.includes('gw') && d.passed.includes('catchMsg'));
    assert.ok(!d.started.includes('catchTimer') && !d.started.includes('catchSignal'));
    const removed = removedIds(effects);
    assert.ok(removed.includes(timer), 'the timer job is removed');
    assert.ok(removed.includes(signal), 'the signal subscription is removed');
    assert.deepEqual(openSubs(d), [], 'nothing is waited for any more');
    d.completeTask('onMsg');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('the timer fires first: its path is taken, both subscriptions are removed', async () => {
    const { d, t0 } = await started();
    const msg = subOf(d, 'catchMsg').id;
    const signal = subOf(d, 'catchSignal').id;
    d.advance(t0 + HOUR - d.now);
    const effects = trigger(d, 'catchTimer');
    assert.deepEqual(d.waitingAt(), ['onTimer']);
    assert.ok(d.passed.includes('catchTimer'));
    assert.ok(!d.started.includes('catchMsg') && !d.started.includes('catchSignal'));
    const removed = removedIds(effects);
    assert.ok(removed.includes(msg) && removed.includes(signal));
    assert.deepEqual(openSubs(d), []);
    await d.assertDeterministic();
  });

  it('the signal comes first: its path is taken, the message subscription and the timer job are removed', async () => {
    const { d } = await started();
    const msg = subOf(d, 'catchMsg').id;
    const timer = subOf(d, 'catchTimer').id;
    const effects = trigger(d, 'catchSignal');
    assert.deepEqual(d.waitingAt(), ['onSignal']);
    const removed = removedIds(effects);
    assert.ok(removed.includes(msg) && removed.includes(timer));
    assert.deepEqual(openSubs(d), []);
    d.completeTask('onSignal');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'gw', 'catchSignal', 'onSignal', 'endSignal']);
    await d.assertDeterministic();
  });

  it('cancelling the instance while it waits at the gateway removes every subscription and the timer job', async () => {
    const { d } = await started();
    const all = openSubs(d).map((s) => s.id).sort();
    const effects = d.cancel('stop');
    assert.equal(d.status, 'terminated');
    assert.deepEqual(removedIds(effects), all);
    await d.assertDeterministic();
  });
});
