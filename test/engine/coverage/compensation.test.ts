/**
 * Compensation: boundary compensation events with handlers (isForCompensation), run by a
 * compensation throw event.
 * Sources: BPMN 2.0.2 §10.5 (Compensation event definition, activityRef, waitForCompletion
 * default true) and §13.4.5 "Compensation": only successfully completed activities are
 * compensated; "If no Activity is identified, all successfully completed Activities visible
 * from the Compensation Throwing Event are compensated in reverse order of their Sequence
 * Flows"; with waitForCompletion the throw event completes only after compensation has
 * completed. Camunda 7 docs "Compensation Events": "compensation handlers are executed …
 * the activity to compensate can be referenced by activityRef; if omitted, all activities
 * of the scope are compensated"; an activity without a compensation boundary event is not
 * compensated; once compensated, an activity's compensation event subscription is consumed
 * (it is not compensated again). Camunda 8 docs "Compensation events": "The compensation
 * throw event remains active until all invoked compensation handlers are completed."
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './driver-ext.js';

const HANDLERS = new Set(['cancelBooking', 'refund', 'cr_cancelBooking', 'cr_refund']);

function handlersStarted(started: readonly string[]): string[] {
  return started.filter((el) => HANDLERS.has(el));
}

describe('compensation (BPMN 2.0.2 §13.4.5, Camunda 7 Compensation Events)', () => {
  it('a compensation throw event runs the handlers of the completed activities, in reverse order of completion', async () => {
    const d = await load('compensation.bpmn', 'Compensation');
    d.start();
    d.completeTask('book');
    d.completeTask('charge');
    assert.deepEqual(handlersStarted(d.started), [], 'no handler runs before compensation is thrown');
    d.completeTask('notify');
    assert.ok(d.started.includes('undo'));
    assert.equal(handlersStarted(d.started)[0], 'refund', 'charge completed last: it is compensated first');
    // complete the handlers, first started first
    for (let i = 0; i < 2; i++) {
      const waiting = d.waitingAt().filter((el) => HANDLERS.has(el));
      const first = handlersStarted(d.started).find((el) => waiting.includes(el));
      assert.ok(first !== undefined, 'a handler is waiting');
      d.completeTask(first);
    }
    assert.deepEqual(handlersStarted(d.started), ['refund', 'cancelBooking'], 'each compensable activity is compensated once; notify has no handler');
    assert.ok(d.passed.includes('undo'));
    assert.deepEqual(d.waitingAt(), ['after']);
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('waitForCompletion (default true): the throw event waits until every handler has completed', async () => {
    const d = await load('compensation.bpmn', 'Compensation');
    d.start();
    d.completeTask('book');
    d.completeTask('charge');
    d.completeTask('notify');
    assert.ok(!d.passed.includes('undo'), 'the throw event is still active');
    assert.ok(!d.started.includes('after'), 'the flow after the throw event has not started');
    await d.assertDeterministic();
  });

  it('activityRef compensates only the referenced activity; a later compensate-all end event compensates what is left, once', async () => {
    const d = await load('compensation.bpmn', 'CompensationActivityRef');
    d.start();
    d.completeTask('cr_book');
    d.completeTask('cr_charge');
    assert.deepEqual(handlersStarted(d.started), ['cr_cancelBooking'], 'only the handler of cr_book');
    d.completeTask('cr_cancelBooking');
    assert.ok(d.passed.includes('cr_undo'));
    assert.deepEqual(d.waitingAt(), ['cr_check']);
    d.completeTask('cr_check');
    assert.deepEqual(d.waitingAt(), ['cr_refund'], 'the end event compensates cr_charge; cr_book was compensated already');
    d.completeTask('cr_refund');
    assert.deepEqual(handlersStarted(d.started), ['cr_cancelBooking', 'cr_refund']);
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });
});
