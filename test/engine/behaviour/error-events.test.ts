/**
 * Error events: interrupting error boundary events, error end events, propagation.
 * Sources: BPMN 2.0.2 §13.4.3 "Intermediate Boundary Events" (an interrupting boundary
 * event cancels the activity it is attached to, with everything inside it, then its outgoing
 * flow is taken), §13.4.6 "End Events" (Error: the error is thrown to the enclosing scopes),
 * §10.5.6 "Handling Events" (an error is caught by the innermost enclosing matching catch
 * event; an error event definition without errorRef catches any error).
 * Camunda 7 docs "Events → Error Events": error boundary event, camunda:errorCodeVariable /
 * camunda:errorMessageVariable; "Error End Event: In case no matching error boundary event
 * is found, the execution semantics defaults to the none end event semantics"; "Unhandled
 * BPMN Error: … The default behaviour in this case is to log information and end the current
 * execution." External tasks: `handleBpmnError` with variables (set before the error is
 * propagated). A boundary with a matching code is preferred over a catch-all on the same
 * activity (Camunda 7 orders error definitions with an error code before those without;
 * Camunda 8 docs "Error events": a catch-all is used only when no error code matches).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

describe('error boundary event on an external task (BPMN 2.0.2 §13.4.3, Camunda 7 Error Boundary Event)', () => {
  it('bpmnError with a matching code: task canceled, boundary path taken, errorCodeVariable and errorMessageVariable set', async () => {
    const d = await Driver.load('error-boundary.bpmn');
    d.start();
    const charge = d.externalTasks[0];
    assert.equal(charge?.elementId, 'charge');
    d.bpmnError('charge', 'DECLINED', { reason: 'limit' }, 'card limit reached');

    assert.deepEqual(d.canceled, ['charge']);
    assert.ok(d.passed.includes('catchDeclined'));
    assert.ok(!d.started.includes('catchAll'), 'the catch-all must not fire when a specific boundary matches');
    assert.ok(!d.started.includes('ship'), 'the normal outgoing flow is not taken');
    assert.deepEqual(d.waitingAt(), ['handleDeclined']);
    assert.deepEqual(d.externalTasks.map((t) => t.elementId), ['handleDeclined']);
    assert.equal(d.variables['errCode'], 'DECLINED');
    assert.equal(d.variables['errMessage'], 'card limit reached');
    assert.equal(d.variables['reason'], 'limit', 'variables sent with the error are set');
    assert.ok(!('anyCode' in d.variables));
    d.completeTask('handleDeclined');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed.slice(-2), ['handleDeclined', 'endDeclined']);
    await d.assertDeterministic();
  });

  it('a code no specific boundary matches is caught by the catch-all (no errorRef)', async () => {
    const d = await Driver.load('error-boundary.bpmn');
    d.start();
    d.bpmnError('charge', 'TIMEOUT');
    assert.deepEqual(d.canceled, ['charge']);
    assert.ok(d.passed.includes('catchAll'));
    assert.ok(!d.started.includes('catchDeclined'));
    assert.deepEqual(d.waitingAt(), ['handleAny']);
    assert.equal(d.variables['anyCode'], 'TIMEOUT');
    assert.ok(!('errCode' in d.variables));
    await d.assertDeterministic();
  });

  it('completing the task normally does not trigger its boundary events', async () => {
    const d = await Driver.load('error-boundary.bpmn');
    d.start();
    d.completeTask('charge');
    assert.deepEqual(d.waitingAt(), ['ship']);
    assert.ok(!d.started.includes('catchAll') && !d.started.includes('catchDeclined'));
    await d.assertDeterministic();
  });
});

describe('error end event in a subprocess (BPMN 2.0.2 §13.4.6, §13.4.3)', () => {
  it('is caught on the subprocess boundary; every other token in the subprocess is canceled', async () => {
    const d = await Driver.load('error-subprocess.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['subA', 'subB']);
    const subA = d.externalTasks.find((t) => t.elementId === 'subA');
    assert.ok(subA);
    d.completeTask('subB');

    // (whether the error end event itself is recorded as completed or canceled is left open)
    assert.deepEqual(d.canceled.filter((el) => el !== 'subFail').sort(), ['sub', 'subA']);
    assert.ok(d.effectsOf('externalTaskRemoved').some((e) => e.externalTaskId === subA.externalTaskId));
    assert.ok(d.passed.includes('subFailed'));
    assert.deepEqual(d.waitingAt(), ['recover']);
    assert.deepEqual(d.liveElements(), ['recover']);
    assert.equal(d.variables['failure'], 'SUB_FAILED');
    assert.ok(!d.started.includes('after'));
    assert.ok(!d.started.includes('subEndA'));
    d.completeTask('recover');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });
});

describe('an interrupted scope takes its join tokens with it (BPMN 2.0.2 §13.4.3: the activity and all tokens inside it are canceled)', () => {
  it('a token resting at a join inside the subprocess is removed when an error ends the subprocess', async () => {
    const d = await Driver.load('error-subprocess-join.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b', 'c']);
    d.completeTask('a');
    assert.deepEqual(d.joinTokens(), { subJoin: { aJoin: 1 } });
    d.completeTask('c');
    assert.deepEqual(d.joinTokens(), {}, 'no token may survive its canceled scope');
    assert.deepEqual(d.canceled.filter((el) => el !== 'subFail').sort(), ['b', 'sub']);
    assert.deepEqual(d.waitingAt(), ['handle']);
    assert.deepEqual(d.liveElements(), ['handle']);
    d.completeTask('handle');
    assert.equal(d.status, 'completed', 'the instance completes: no stale join token keeps it alive');
    await d.assertDeterministic();
  });
});

describe('nested error propagation (BPMN 2.0.2 §10.5.6: the innermost enclosing matching handler)', () => {
  it('an error end event in the inner subprocess, not matched by the inner boundary, is caught by the outer boundary', async () => {
    const d = await Driver.load('error-nested.bpmn');
    d.start({ fail: true });
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.deepEqual(d.liveElements(), ['inner', 'outer', 'work']);
    d.completeTask('work');

    assert.ok(!d.started.includes('innerOther'), 'the inner boundary catches OTHER only');
    assert.ok(d.passed.includes('outerDeep'));
    assert.deepEqual(d.canceled.filter((el) => el !== 'innerFail').sort(), ['inner', 'outer']);
    assert.deepEqual(d.waitingAt(), ['handled']);
    assert.deepEqual(d.liveElements(), ['handled']);
    assert.equal(d.variables['deepCode'], 'DEEP');
    for (const el of ['innerHandler', 'outerWork', 'after']) assert.ok(!d.started.includes(el), `${el} must not start`);
    d.completeTask('handled');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a bpmnError from a task deep inside propagates the same way', async () => {
    const d = await Driver.load('error-nested.bpmn');
    d.start({ fail: false });
    d.bpmnError('work', 'DEEP');
    assert.deepEqual([...d.canceled].sort(), ['inner', 'outer', 'work']);
    assert.deepEqual(d.waitingAt(), ['handled']);
    assert.equal(d.variables['deepCode'], 'DEEP');
    await d.assertDeterministic();
  });

  it('a bpmnError matched by the inner boundary is handled inside the outer subprocess, which stays active', async () => {
    const d = await Driver.load('error-nested.bpmn');
    d.start({ fail: false });
    d.bpmnError('work', 'OTHER');
    assert.deepEqual([...d.canceled].sort(), ['inner', 'work']);
    assert.ok(d.passed.includes('innerOther'));
    assert.deepEqual(d.waitingAt(), ['innerHandler']);
    assert.deepEqual(d.liveElements(), ['innerHandler', 'outer']);
    d.completeTask('innerHandler');
    assert.deepEqual(d.waitingAt(), ['after'], 'the outer subprocess completes normally');
    assert.ok(d.passed.includes('outer'));
    await d.assertDeterministic();
  });

  it('without an error the inner and outer subprocesses complete normally', async () => {
    const d = await Driver.load('error-nested.bpmn');
    d.start({ fail: false });
    d.completeTask('work');
    assert.deepEqual(d.waitingAt(), ['outerWork']);
    assert.ok(d.passed.includes('inner'));
    d.completeTask('outerWork');
    assert.deepEqual(d.waitingAt(), ['after']);
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.canceled, []);
    await d.assertDeterministic();
  });
});

describe('uncaught BPMN errors (Camunda 7 docs "Unhandled BPMN Error", "Error End Event")', () => {
  it('a bpmnError nobody catches ends only the current execution: no incident, the instance keeps running', async () => {
    const d = await Driver.load('error-uncaught.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b', 'c']);
    d.bpmnError('a', 'NOPE');
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['b', 'c']);
    assert.ok(!d.started.includes('afterA'), 'the normal outgoing flow is not taken');
    assert.deepEqual(d.openIncidents, []);
    assert.equal(d.effectsOf('incidentCreated').length, 0);
    assert.equal(d.effectsOf('processEnded').length, 0);
    await d.assertDeterministic();
  });

  it('an error end event nobody catches behaves as a none end event; the instance completes when its tokens are consumed', async () => {
    const d = await Driver.load('error-uncaught.bpmn');
    d.start();
    d.completeTask('c');
    assert.ok(d.started.includes('throwNope'));
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['a', 'b']);
    assert.deepEqual(d.canceled, [], 'an uncaught error cancels nothing');
    d.bpmnError('a', 'NOPE');
    assert.deepEqual(d.waitingAt(), ['b']);
    d.completeTask('b');
    assert.equal(d.status, 'completed');
    assert.equal(d.processEnded?.status, 'completed');
    assert.equal(d.effectsOf('incidentCreated').length, 0);
    await d.assertDeterministic();
  });
});
