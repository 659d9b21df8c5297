/**
 * Link events and conditional events.
 * Sources: BPMN 2.0.2 §10.5 (Link event definition) and §13.4.2: "a Link throw event … the
 * token jumps to the Link catch event with the same name in the same process level" (a
 * "go to"; no waiting). BPMN 2.0.2 §13.4.2 / §13.4.3 for conditional events: "the event is
 * triggered when its condition becomes true".
 * Camunda 7 docs "Link Events"; "Conditional Events": "an intermediate conditional event is
 * like a wait until the condition is satisfied"; "A condition is evaluated every time a
 * variable changes"; "the evaluation can be restricted to specific variable changes …
 * camunda:variableName"; a conditional boundary event interrupts (or, non-interrupting,
 * runs beside) its activity when the condition is satisfied; "Trigger Conditional
 * Events": conditions are evaluated when the event's scope is instantiated, so a condition
 * already true on arrival triggers at once. Camunda 8 docs "Conditionals": "when an
 * activity with an attached conditional boundary event is activated, the engine evaluates
 * the condition … immediately at activation".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { count, load, openSubs, subsView } from './driver-ext.js';

const FILE = 'link-conditional.bpmn';
const CLEAR = { cancelled: false, priority: 1, approved: false };

describe('link events (BPMN 2.0.2 §13.4.2, Camunda 7 Link Events)', () => {
  it('the throw link jumps to the catch link of the same name without waiting', async () => {
    const d = await load(FILE, 'Links');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a']);
    d.completeTask('a');
    assert.deepEqual(d.waitingAt(), ['b']);
    assert.deepEqual(d.passed, ['start', 'a', 'throwToB', 'catchToB']);
    assert.deepEqual(openSubs(d), []);
    d.completeTask('b');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });
});

describe('conditional events re-evaluated after setVariables (Camunda 7 Conditional Events)', () => {
  it('the boundary conditions are subscribed while the task waits; a false condition does nothing', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    assert.deepEqual(d.waitingAt(), ['c_work']);
    assert.deepEqual(subsView(d), ['c_onCancel:boundary:conditional', 'c_onPriority:boundary:conditional']);
    d.setVariables({ priority: 3 });
    assert.deepEqual(d.waitingAt(), ['c_work']);
    assert.ok(!d.started.includes('c_expedite') && !d.started.includes('c_cancelled'));
    await d.assertDeterministic();
  });

  it('non-interrupting: setting priority > 5 starts the boundary path beside the waiting task', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    d.setVariables({ priority: 9 });
    assert.deepEqual(d.waitingAt(), ['c_expedite', 'c_work']);
    assert.ok(!d.canceled.includes('c_work'));
    await d.assertDeterministic();
  });

  it('non-interrupting: it stays subscribed while the task waits and fires again when the condition becomes true again', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    d.setVariables({ priority: 9 });
    assert.deepEqual(subsView(d), ['c_onCancel:boundary:conditional', 'c_onPriority:boundary:conditional'], 'still subscribed');
    d.setVariables({ priority: 2 });
    assert.equal(count(d.started, 'c_expedite'), 1);
    d.setVariables({ priority: 8 });
    assert.equal(count(d.started, 'c_expedite'), 2);
    assert.deepEqual(d.waitingAt(), ['c_expedite', 'c_expedite', 'c_work']);
    await d.assertDeterministic();
  });

  it('camunda:variableName="priority": a change of another variable does not trigger it', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    d.setVariables({ priority: 9 });
    assert.equal(count(d.started, 'c_expedite'), 1);
    d.setVariables({ note: 'unrelated' });
    assert.equal(count(d.started, 'c_expedite'), 1, 'priority did not change: the condition is not re-evaluated');
    await d.assertDeterministic();
  });

  it('interrupting: setting cancelled=true cancels the task and removes the other boundary subscription', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    d.setVariables({ cancelled: true });
    assert.ok(d.canceled.includes('c_work'));
    assert.deepEqual(d.waitingAt(), ['c_cancelled']);
    assert.deepEqual(openSubs(d), []);
    assert.ok(!d.started.includes('c_waitApproval'));
    await d.assertDeterministic();
  });

  it('a boundary condition already true when the task is entered triggers at once', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start({ ...CLEAR, cancelled: true });
    assert.deepEqual(d.waitingAt(), ['c_cancelled']);
    assert.ok(d.canceled.includes('c_work'));
    await d.assertDeterministic();
  });

  it('the intermediate conditional event waits until setVariables makes its condition true', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start(CLEAR);
    d.completeTask('c_work');
    assert.deepEqual(d.waitingAt(), ['c_waitApproval']);
    assert.deepEqual(subsView(d), ['c_waitApproval:catch:conditional'], 'the task boundary subscriptions are gone, the catch event is subscribed');
    d.setVariables({ other: 1 });
    assert.deepEqual(d.waitingAt(), ['c_waitApproval']);
    d.setVariables({ approved: true });
    assert.deepEqual(d.waitingAt(), ['c_after']);
    assert.ok(d.passed.includes('c_waitApproval'));
    assert.deepEqual(openSubs(d), []);
    d.completeTask('c_after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('an intermediate condition already true on arrival passes at once', async () => {
    const d = await load(FILE, 'Conditionals');
    d.start({ ...CLEAR, approved: true });
    d.completeTask('c_work');
    assert.deepEqual(d.waitingAt(), ['c_after']);
    await d.assertDeterministic();
  });
});
