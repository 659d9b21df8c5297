/**
 * Signal events: intermediate catch, interrupting boundary, intermediate throw and end throw.
 * Sources: BPMN 2.0.2 §10.5.5 / §13.4.2 (a catching signal event waits for the signal; a
 * throwing one broadcasts it and the token continues at once), §13.4.6 (a signal end event
 * broadcasts, then ends the path like a none end event), §13.4.3 (boundary events).
 * Camunda 7 docs "Signal Events": "Signal Intermediate Throwing Event … the signal is
 * broadcast … the execution continues"; "Signal End Event … the signal is thrown and the
 * execution ends"; signal names may be expressions, resolved when thrown / subscribed;
 * "Passing Variables": variables travel with a thrown signal only through camunda:in on the
 * signal event definition (none here, so none are passed). Delivery between instances is
 * the runtime's job (src/runtime/step.ts): the pure engine emits `signalThrown` and the test
 * plays the runtime with `trigger`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load, ofType, openSubs, removedIds, subOf, subsView, trigger } from './driver-ext.js';

const FILE = 'signals.bpmn';

describe('signal events (BPMN 2.0.2 §13.4.2 / §13.4.6, Camunda 7 Signal Events)', () => {
  it('a signal catch event subscribes by name and continues when the signal is delivered', async () => {
    const d = await load(FILE, 'Signals');
    d.start({ orderId: 'o-9' });
    assert.deepEqual(d.waitingAt(), ['catchGo']);
    assert.deepEqual(
      d.effectsOf('subscriptionCreated').map((e) => [e.eventType, e.name, e.correlationKey, e.elementId]),
      [['signal', 'go', null, 'catchGo']],
    );
    assert.deepEqual(subsView(d), ['catchGo:catch:signal']);
    trigger(d, 'catchGo', { go: 'now' });
    assert.equal(d.variables['go'], 'now');
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.deepEqual(subsView(d), ['onStop:boundary:signal']);
    assert.equal(subOf(d, 'onStop').name, 'stop');
    await d.assertDeterministic();
  });

  it('an interrupting signal boundary event cancels the task and takes its path', async () => {
    const d = await load(FILE, 'Signals');
    d.start({ orderId: 'o-9' });
    trigger(d, 'catchGo');
    const effects = trigger(d, 'onStop');
    assert.ok(d.canceled.includes('work'));
    assert.equal(ofType(effects, 'externalTaskRemoved').length, 1);
    assert.deepEqual(d.waitingAt(), ['stopped']);
    assert.deepEqual(openSubs(d), []);
    assert.deepEqual(d.effectsOf('signalThrown'), [], 'nothing was thrown');
    await d.assertDeterministic();
  });

  it('an intermediate signal throw event emits signalThrown (name expression evaluated) and the token continues in the same step', async () => {
    const d = await load(FILE, 'Signals');
    d.start({ orderId: 'o-9' });
    trigger(d, 'catchGo');
    const stop = subOf(d, 'onStop').id;
    const effects = d.completeTask('work');
    assert.deepEqual(removedIds(effects), [stop], 'the boundary subscription of the completed task is removed');
    const thrown = ofType(effects, 'signalThrown');
    assert.deepEqual(
      thrown.map((e) => [e.name, e.variables]),
      [['done-o-9', {}]],
    );
    assert.ok(d.passed.includes('throwDone'));
    assert.deepEqual(d.waitingAt(), ['after'], 'the throw event does not wait');
    await d.assertDeterministic();
  });

  it('a signal end event emits signalThrown and ends the instance', async () => {
    const d = await load(FILE, 'Signals');
    d.start({ orderId: 'o-9' });
    trigger(d, 'catchGo');
    d.completeTask('work');
    const effects = d.completeTask('after');
    assert.deepEqual(
      ofType(effects, 'signalThrown').map((e) => e.name),
      ['finished'],
    );
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'catchGo', 'work', 'throwDone', 'after', 'endFinished']);
    await d.assertDeterministic();
  });
});
