/**
 * Error event subprocesses (error start events).
 * Sources: BPMN 2.0.2 §10.5.6 "Handling Events" (an error is caught by the innermost
 * enclosing scope with a matching catch event), §13.4.4 "Event Sub-Processes" (an
 * interrupting event subprocess cancels the other activities of its scope; when it
 * completes, its parent scope completes). Camunda 7 docs "Event Subprocess": an error event
 * subprocess added to an embedded subprocess "becomes an alternative to a boundary event …
 * When using an event subprocess, the event is completely handled by the subprocess it is
 * added to. When using a boundary event, the event is handled by the parent process" — so
 * with both, the event subprocess inside the subprocess (the innermost scope) takes the
 * error and the boundary on the subprocess never fires; "An interrupting subprocess cancels
 * any executions in the current scope". Camunda 7 docs "Error Events": an error start event
 * without errorRef catches every error; camunda:errorCodeVariable / errorMessageVariable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load, visibleVariables } from './driver-ext.js';

const FILE = 'errors.bpmn';

describe('error event subprocess (BPMN 2.0.2 §10.5.6, §13.4.4; Camunda 7 Event Subprocess)', () => {
  it('an error inside a subprocess is handled by the error event subprocess of that subprocess, not by the boundary on it', async () => {
    const d = await load(FILE, 'ErrorEventSubprocessPrecedence');
    d.start();
    assert.deepEqual(d.waitingAt(), ['work']);
    d.bpmnError('work', 'FAIL', undefined, 'broken');
    assert.ok(d.canceled.includes('work'));
    assert.deepEqual(d.waitingAt(), ['handleInside']);
    assert.ok(!d.started.includes('onFail'), 'the boundary on the subprocess must not fire');
    assert.ok(!d.started.includes('handleOutside'));
    assert.ok(!d.canceled.includes('sub'), 'the subprocess is not interrupted from outside');
    assert.ok(d.liveElements().includes('sub') && d.liveElements().includes('esp'));
    assert.equal(visibleVariables(d, 'handleInside')['insideCode'], 'FAIL');
    assert.ok(!('outsideCode' in visibleVariables(d, 'handleInside')));
    d.completeTask('handleInside');
    assert.deepEqual(d.waitingAt(), ['after'], 'when the interrupting event subprocess ends, the subprocess completes and its outgoing flow is taken');
    assert.ok(d.passed.includes('sub'));
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a process-level catch-all error event subprocess cancels every other token and ends the process when done', async () => {
    const d = await load(FILE, 'ErrorEventSubprocessProcessLevel');
    d.start();
    assert.deepEqual(d.waitingAt(), ['pl_other', 'pl_work']);
    d.bpmnError('pl_work', 'ANY_CODE', undefined, 'went wrong');
    assert.deepEqual(d.canceled.sort(), ['pl_other', 'pl_work']);
    assert.deepEqual(d.waitingAt(), ['pl_recover']);
    assert.deepEqual(d.joinTokens(), {});
    const vars = visibleVariables(d, 'pl_recover');
    assert.equal(vars['code'], 'ANY_CODE');
    assert.equal(vars['message'], 'went wrong');
    d.completeTask('pl_recover');
    assert.equal(d.status, 'completed');
    assert.ok(!d.started.includes('pl_end'));
    await d.assertDeterministic();
  });
});
