/**
 * Message events: intermediate catch, receive task, boundary (interrupting and
 * non-interrupting), event subprocess (interrupting and non-interrupting), message start
 * event, Zeebe correlation keys.
 * Sources: BPMN 2.0.2 §10.5.4 / §13.4.2 (a catching message event waits for its message),
 * §10.3.3 "Receive Task" (waits for the message; completes when it arrives), §13.4.3
 * (boundary events: interrupting cancel the activity; non-interrupting start a parallel
 * path and leave the activity running, and can occur again), §13.4.4 (event subprocesses),
 * §13.4.1 (a process with several start events is started by one of them).
 * Camunda 7 docs "Message Events": message names may hold expressions (`${…}`), resolved when
 * the subscription is created; "Message Boundary Event"; "Receive Task": "a receive task
 * without a message … waits until it is triggered with runtimeService.signal"; "Message
 * Start Event"; "Event Subprocess": an interrupting event subprocess "cancels any
 * executions in the current scope", a non-interrupting one "spawns a new concurrent
 * execution … can be triggered multiple times"; message payload variables are set on the
 * instance on correlation ("processVariables").
 * Camunda 8 docs "Message events" / "Message correlation": "the correlation key is
 * evaluated when the subscription is opened"; "A correlation key must be a string or a
 * number; a number is converted to a string".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actOf, endVariables, load, openSubs, ofType, removedIds, subOf, subsView, trigger } from './driver-ext.js';

const FILE = 'messages.bpmn';

describe('message catch event and receive task (BPMN 2.0.2 §13.4.2, §10.3.3; Camunda 7 Message Events / Receive Task)', () => {
  it('an intermediate message catch event waits on a subscription; delivering the message sets its variables and moves on', async () => {
    const d = await load(FILE, 'MessageCatch');
    d.start({ orderId: 'o-7' });
    assert.deepEqual(d.waitingAt(), ['catchPaid']);
    const created = d.effectsOf('subscriptionCreated');
    assert.deepEqual(
      created.map((e) => [e.eventType, e.name, e.correlationKey, e.elementId]),
      [['message', 'paid', null, 'catchPaid']],
    );
    assert.equal(created[0]?.activityInstanceId, actOf(d, 'catchPaid').id);
    assert.deepEqual(subsView(d), ['catchPaid:catch:message']);

    trigger(d, 'catchPaid', { amount: 12 });
    assert.equal(d.variables['amount'], 12);
    assert.ok(d.passed.includes('catchPaid'));
    assert.deepEqual(d.waitingAt(), ['receiveShipped']);
    await d.assertDeterministic();
  });

  it('a receive task subscribes with its message name expression evaluated (shipped-${orderId})', async () => {
    const d = await load(FILE, 'MessageCatch');
    d.start({ orderId: 'o-7' });
    trigger(d, 'catchPaid');
    const sub = d.effectsOf('subscriptionCreated').find((e) => e.elementId === 'receiveShipped');
    assert.equal(sub?.name, 'shipped-o-7');
    assert.equal(sub?.eventType, 'message');
    assert.deepEqual(subsView(d), ['receiveShipped:catch:message']);
    trigger(d, 'receiveShipped', { carrier: 'DHL' });
    assert.equal(d.variables['carrier'], 'DHL');
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.deepEqual(subsView(d), ['onCancel:boundary:message', 'onUpdate:boundary:message']);
    await d.assertDeterministic();
  });

  it('a receive task without a message is completed by signalActivity (Camunda runtimeService.signal)', async () => {
    const d = await load(FILE, 'MessageCatch');
    d.start({ orderId: 'o-7' });
    trigger(d, 'catchPaid');
    trigger(d, 'receiveShipped');
    const effects = d.completeTask('work');
    assert.deepEqual(ofType(effects, 'subscriptionRemoved').length, 2, 'the two boundary subscriptions of the completed task are removed');
    assert.deepEqual(d.waitingAt(), ['confirm']);
    assert.ok(!d.effectsOf('subscriptionCreated').some((e) => e.elementId === 'confirm'), 'no message, no subscription');
    assert.deepEqual(openSubs(d), []);
    d.send({ type: 'signalActivity', activityInstanceId: actOf(d, 'confirm').id, variables: { confirmed: true } });
    assert.equal(d.status, 'completed');
    assert.equal(endVariables(d)['confirmed'], true, 'the variables sent with the signal are set (Camunda runtimeService.signal(executionId, variables))');
    assert.deepEqual(d.passed, ['start', 'catchPaid', 'receiveShipped', 'work', 'confirm', 'end']);
    await d.assertDeterministic();
  });
});

describe('message boundary events (BPMN 2.0.2 §13.4.3, Camunda 7 Message Boundary Event)', () => {
  async function atWork() {
    const d = await load(FILE, 'MessageCatch');
    d.start({ orderId: 'o-7' });
    trigger(d, 'catchPaid');
    trigger(d, 'receiveShipped');
    return d;
  }

  it('non-interrupting: the message starts the boundary path while the task keeps waiting', async () => {
    const d = await atWork();
    trigger(d, 'onUpdate', { change: 1 });
    assert.deepEqual(d.waitingAt(), ['updated', 'work']);
    assert.equal(d.variables['change'], 1);
    assert.ok(!d.canceled.includes('work'));
    assert.ok(d.passed.includes('onUpdate'));
    await d.assertDeterministic();
  });

  it('non-interrupting: the subscription stays open while the task waits, so a second message starts the path again', async () => {
    // BPMN 2.0.2 §13.4.3: a non-interrupting boundary event leaves the activity running
    // and can occur again while it runs; Camunda 7/8 keep the subscription of a
    // non-interrupting boundary event until the activity ends.
    const d = await atWork();
    trigger(d, 'onUpdate', { change: 1 });
    assert.deepEqual(subsView(d), ['onCancel:boundary:message', 'onUpdate:boundary:message']);
    trigger(d, 'onUpdate', { change: 2 });
    assert.deepEqual(d.waitingAt(), ['updated', 'updated', 'work']);
    assert.equal(d.variables['change'], 2);
    await d.assertDeterministic();
  });

  it('interrupting: the task is cancelled with its external task and its other boundary subscription; the boundary path runs', async () => {
    const d = await atWork();
    const work = d.externalTasks.find((t) => t.elementId === 'work');
    const update = subOf(d, 'onUpdate').id;
    const effects = trigger(d, 'onCancel', { reason: 'customer' });
    assert.ok(d.canceled.includes('work'));
    assert.ok(ofType(effects, 'externalTaskRemoved').some((e) => e.externalTaskId === work?.externalTaskId));
    assert.ok(removedIds(effects).includes(update), 'the non-interrupting boundary subscription goes with the task');
    assert.deepEqual(d.waitingAt(), ['cancelled']);
    assert.equal(d.variables['reason'], 'customer');
    assert.deepEqual(openSubs(d), []);
    assert.ok(!d.started.includes('confirm'));
    await d.assertDeterministic();
  });
});

describe('message event subprocesses (BPMN 2.0.2 §13.4.4, Camunda 7 Event Subprocess)', () => {
  it('both start events subscribe when the scope starts, on the process instance scope', async () => {
    const d = await load(FILE, 'MessageEventSubprocess');
    d.start();
    assert.deepEqual(d.waitingAt(), ['me_work']);
    assert.deepEqual(subsView(d), ['me_abortStart:eventSub:message', 'me_noteStart:eventSub:message']);
    assert.deepEqual(
      d.effectsOf('subscriptionCreated').map((e) => e.name).sort(),
      ['abort', 'note'],
    );
    assert.equal(subOf(d, 'me_abortStart').a, d.processInstanceId);
    await d.assertDeterministic();
  });

  it('the subscription names the start event it triggers (state.subs el, subscriptionCreated elementId)', async () => {
    // src/engine/types.ts Subscription.el: "… event subprocess start event …"; Camunda 7
    // event subscriptions (and correlation results) carry the start event's activity id.
    const d = await load(FILE, 'MessageEventSubprocess');
    d.start();
    assert.deepEqual(
      d.effectsOf('subscriptionCreated').map((e) => [e.name, e.elementId]).sort(),
      [
        ['abort', 'me_abortStart'],
        ['note', 'me_noteStart'],
      ],
    );
    assert.deepEqual(openSubs(d).map((s) => s.rawEl).sort(), ['me_abortStart', 'me_noteStart']);
    await d.assertDeterministic();
  });

  it('non-interrupting: runs beside the main flow, as often as the message comes', async () => {
    const d = await load(FILE, 'MessageEventSubprocess');
    d.start();
    trigger(d, 'me_noteStart', { text: 'hello' });
    assert.deepEqual(d.waitingAt(), ['me_noted', 'me_work']);
    trigger(d, 'me_noteStart');
    assert.deepEqual(d.waitingAt(), ['me_noted', 'me_noted', 'me_work']);
    assert.deepEqual(subsView(d), ['me_abortStart:eventSub:message', 'me_noteStart:eventSub:message']);
    d.completeTask('me_noted');
    d.completeTask('me_noted');
    assert.deepEqual(d.waitingAt(), ['me_work']);
    d.completeTask('me_work');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('interrupting: cancels the main flow and running non-interrupting subprocesses, removes the subscriptions, and ends the process when done', async () => {
    const d = await load(FILE, 'MessageEventSubprocess');
    d.start();
    trigger(d, 'me_noteStart');
    const all = openSubs(d).map((s) => s.id);
    const abort = subOf(d, 'me_abortStart').id;
    const effects = trigger(d, 'me_abortStart', { why: 'fraud' });
    assert.deepEqual(d.waitingAt(), ['me_aborted']);
    assert.ok(d.canceled.includes('me_work'));
    assert.ok(d.canceled.includes('me_noted'));
    assert.deepEqual(
      removedIds(effects).filter((id) => id !== abort),
      all.filter((id) => id !== abort).sort(),
      'the other event subprocess subscription is removed',
    );
    assert.deepEqual(openSubs(d), []);
    assert.equal(d.variables['why'], 'fraud');
    d.completeTask('me_aborted');
    assert.equal(d.status, 'completed');
    assert.ok(!d.started.includes('me_end'));
    await d.assertDeterministic();
  });
});

describe('message start event (BPMN 2.0.2 §13.4.1, Camunda 7 Message Start Event)', () => {
  it('start with startEventId runs from the message start event, not the none start event', async () => {
    const d = await load(FILE, 'MessageStart');
    d.send({ type: 'start', startEventId: 'ms_order', variables: { orderId: 'o-1' } });
    assert.deepEqual(d.waitingAt(), ['ms_handle']);
    assert.equal(d.passed[0], 'ms_order');
    assert.ok(!d.started.includes('ms_none'));
    assert.equal(d.variables['orderId'], 'o-1');
    await d.assertDeterministic();
  });

  it('start without startEventId uses the none start event', async () => {
    const d = await load(FILE, 'MessageStart');
    d.start();
    assert.deepEqual(d.waitingAt(), ['ms_handle']);
    assert.equal(d.passed[0], 'ms_none');
    assert.ok(!d.started.includes('ms_order'));
    await d.assertDeterministic();
  });
});

describe('Zeebe message correlation keys (Camunda 8 Message events / Message correlation)', () => {
  it('the correlationKey FEEL expression is evaluated when the subscription opens', async () => {
    const d = await load('zeebe-messages.bpmn', 'ZeebeMessages');
    d.start({ orderId: 'o-42' });
    const paid = d.effectsOf('subscriptionCreated');
    assert.deepEqual(
      paid.map((e) => [e.eventType, e.name, e.correlationKey, e.elementId]),
      [['message', 'paid', 'o-42', 'catchPaid']],
    );
    trigger(d, 'catchPaid', { paidAt: 'now' });
    const shipped = d.effectsOf('subscriptionCreated').find((e) => e.elementId === 'receiveShipped');
    assert.deepEqual(shipped && [shipped.name, shipped.correlationKey], ['shipped', 'ship-o-42']);
    trigger(d, 'receiveShipped');
    assert.equal(d.status, 'completed');
    assert.equal(endVariables(d)['paidAt'], 'now');
    await d.assertDeterministic();
  });

  it('a number correlation key is converted to a string', async () => {
    const d = await load('zeebe-messages.bpmn', 'ZeebeMessages');
    d.start({ orderId: 42 });
    assert.equal(d.effectsOf('subscriptionCreated')[0]?.correlationKey, '42');
    await d.assertDeterministic();
  });

  it('a correlation key that is neither a string nor a number is refused with an incident, not a subscription', async () => {
    // Camunda 8 docs "Message correlation": "If the correlation key … is not a string or a
    // number, an incident is created."
    const d = await load('zeebe-messages.bpmn', 'ZeebeMessages');
    d.start({ orderId: { nested: true } });
    assert.deepEqual(d.effectsOf('subscriptionCreated'), []);
    assert.equal(d.openIncidents.length, 1);
    assert.equal(d.openIncidents[0]?.elementId, 'catchPaid');
    assert.equal(d.status, 'active');
    await d.assertDeterministic();
  });
});
