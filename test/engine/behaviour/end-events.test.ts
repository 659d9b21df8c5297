/**
 * Implicit end and terminate end events.
 * Sources: BPMN 2.0.2 §13.2.1 "Sequence Flow Considerations" (an activity without outgoing
 * sequence flow ends without producing a token), §13.1 "Process Instantiation and
 * Termination" (an instance completes when no token remains and no activity is active),
 * §13.4.6 "End Events" (Terminate: all activities in the scope are ended immediately,
 * without compensation or event handling). Camunda 7 docs "Events → Terminate End Event":
 * "the first scope (process or sub-process) will be determined and ended"; an embedded
 * subprocess terminated this way is left and the parent continues.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

describe('implicit end (BPMN 2.0.2 §13.2.1, §13.1)', () => {
  it('a task without outgoing flow consumes its token; the instance completes when all tokens are consumed', async () => {
    const d = await Driver.load('implicit-end.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b']);
    d.completeTask('b');
    assert.equal(d.status, 'active', 'A still holds a token');
    assert.deepEqual(d.waitingAt(), ['a']);
    assert.equal(d.effectsOf('processEnded').length, 0);
    d.completeTask('a');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.passed.slice(-1), ['a']);
    assert.equal(d.processEnded?.status, 'completed');
    await d.assertDeterministic();
  });

  it('the same when the task without outgoing flow finishes first', async () => {
    const d = await Driver.load('implicit-end.bpmn');
    d.start();
    d.completeTask('a');
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['b']);
    d.completeTask('b');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed.slice(-2), ['b', 'end']);
    await d.assertDeterministic();
  });
});

describe('terminate end event (BPMN 2.0.2 §13.4.6, Camunda 7 Terminate End Event)', () => {
  it('at process level it ends every other token: external and user tasks removed, canceled, instance completed', async () => {
    const d = await Driver.load('terminate-end.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'review', 'x']);
    const taskA = d.externalTasks.find((t) => t.elementId === 'a');
    const review = d.userTasks[0];
    assert.ok(taskA && review);

    d.completeTask('x');
    assert.equal(d.status, 'completed', 'a terminate end event completes the instance (it is not an external cancellation)');
    assert.equal(d.processEnded?.status, 'completed');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.liveElements(), []);
    assert.ok(d.passed.includes('kill'));
    assert.deepEqual([...d.canceled].sort(), ['a', 'review']);
    assert.ok(
      d.effectsOf('externalTaskRemoved').some((e) => e.externalTaskId === taskA.externalTaskId && e.activityInstanceId === taskA.activityInstanceId),
      'the external task of A is removed',
    );
    assert.deepEqual(d.effectsOf('userTaskRemoved').map((e) => e.activityInstanceId), [review.activityInstanceId]);
    assert.ok(!d.started.includes('endA') && !d.started.includes('endReview'));
    // the terminated activities end before the instance does
    const endedAt = d.effects.findIndex((e) => e.type === 'processEnded');
    const canceledAt = d.effects.findIndex((e) => e.type === 'activityEnded' && e.elementId === 'a');
    assert.ok(canceledAt >= 0 && canceledAt < endedAt);
    await d.assertDeterministic();
  });

  it('inside a subprocess it terminates only the subprocess scope; the parent continues after the subprocess', async () => {
    const d = await Driver.load('terminate-subprocess.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['p', 'subA', 'subT']);
    const subA = d.externalTasks.find((t) => t.elementId === 'subA');
    assert.ok(subA);

    d.completeTask('subT');
    assert.ok(d.passed.includes('subKill'));
    assert.deepEqual(d.canceled, ['subA']);
    assert.ok(d.effectsOf('externalTaskRemoved').some((e) => e.externalTaskId === subA.externalTaskId));
    assert.ok(!d.started.includes('subEndA'));
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['after', 'p'], 'the outer branch P is untouched and the flow after the subprocess is taken');
    assert.deepEqual(d.actIds('sub'), [], 'the subprocess scope has ended');
    assert.equal(d.effectsOf('activityEnded').filter((e) => e.elementId === 'sub').length, 1);

    d.completeTask('after');
    assert.equal(d.status, 'active');
    d.completeTask('p');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });
});
