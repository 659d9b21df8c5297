/**
 * Call activities: variable passing in and out, business key, cancellation, and errors and
 * escalations from the called instance.
 * Sources: BPMN 2.0.2 §10.3.5 / §13.2.4 "Call Activity" (the called process runs as a
 * separate instance; the call activity completes when it completes; cancelling the call
 * activity cancels the called instance; an error/escalation thrown and not caught in the
 * called process is propagated to the call activity, where its boundary events catch it).
 * Camunda 7 docs "Call Activity": "Passing Variables": `camunda:in source target` copies
 * one variable, `sourceExpression` evaluates an expression in the calling instance,
 * `variables="all"` copies every variable; `camunda:out` does the same on completion with
 * the called instance's variables; "Passing a Business Key": `camunda:in businessKey`;
 * calledElement may be an expression; a boundary error event on a call activity catches
 * errors of the called process; Camunda 7 docs "Escalation Events": an escalation thrown in
 * a called process is caught by an escalation boundary event of the call activity.
 * Camunda 8 docs "Call activities → Variable mappings": "By default, all variables of the
 * call activity are copied to the created process instance … propagateAllParentVariables
 * false: only the input mappings"; "By default, all variables of the created process
 * instance are propagated to the call activity … propagateAllChildVariables false: only
 * the output mappings".
 * The pure engine does not start the called instance: it emits `callActivityStarted` and
 * the runtime answers with `completeCallActivity` / `childThrow` (here: the test).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actOf, endVariables, load, ofType } from './driver-ext.js';

const FILE = 'call-activity.bpmn';

async function parent() {
  const d = await load(FILE, 'CallParent');
  d.start({ orderId: 'o-1', customer: 'ACME', amount: 10, secret: 's' });
  return d;
}

describe('call activity, Camunda 7 mappings (BPMN 2.0.2 §13.2.4, Camunda 7 Call Activity)', () => {
  it('starts the called process with the business key and only the mapped variables (source/target, sourceExpression)', async () => {
    const d = await parent();
    assert.deepEqual(d.waitingAt(), ['call']);
    const [started] = d.effectsOf('callActivityStarted');
    assert.ok(started);
    assert.equal(started.elementId, 'call');
    assert.equal(started.activityInstanceId, actOf(d, 'call').id);
    assert.equal(started.processKey, 'CallChild');
    assert.equal(started.binding, 'latest');
    assert.equal(started.version, null);
    assert.equal(started.versionTag, null);
    assert.equal(started.businessKey, 'o-1');
    assert.deepEqual(started.variables, { client: 'ACME', double: 20 });
    assert.equal(typeof started.childInstanceId, 'string');
    assert.equal(actOf(d, 'call').child, started.childInstanceId);
    await d.assertDeterministic();
  });

  it('completeCallActivity applies the out mappings only (source/target and sourceExpression over the child variables)', async () => {
    const d = await parent();
    d.send({ type: 'completeCallActivity', activityInstanceId: actOf(d, 'call').id, variables: { result: 'ok', score: 4, noise: true } });
    assert.equal(d.variables['childResult'], 'ok');
    assert.equal(d.variables['nextScore'], 5);
    assert.ok(!('result' in d.variables) && !('score' in d.variables) && !('noise' in d.variables), 'unmapped child variables stay out');
    assert.equal(d.variables['secret'], 's');
    assert.deepEqual(d.waitingAt(), ['after']);
    assert.ok(d.passed.includes('call'));
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('cancelling the calling instance asks for the called instance to be cancelled', async () => {
    const d = await parent();
    const child = d.effectsOf('callActivityStarted')[0]?.childInstanceId;
    const effects = d.cancel('no longer needed');
    assert.equal(d.status, 'terminated');
    assert.deepEqual(
      ofType(effects, 'childCancelRequested').map((e) => e.childInstanceId),
      [child],
    );
    await d.assertDeterministic();
  });

  it('variables="all" in and out, with the called element from an expression', async () => {
    const d = await load(FILE, 'CallAll');
    d.start({ childKey: 'CallChild', a: 1, b: 'two' });
    const [started] = d.effectsOf('callActivityStarted');
    assert.equal(started?.processKey, 'CallChild');
    assert.deepEqual(started?.variables, { childKey: 'CallChild', a: 1, b: 'two' });
    assert.equal(started?.businessKey, null, 'no businessKey mapping: none passed');
    d.send({ type: 'completeCallActivity', activityInstanceId: actOf(d, 'ca_call').id, variables: { a: 2, c: 3 } });
    assert.deepEqual(d.variables, { childKey: 'CallChild', a: 2, b: 'two', c: 3 });
    assert.deepEqual(d.waitingAt(), ['ca_after']);
    await d.assertDeterministic();
  });
});

describe('errors and escalations from the called instance (BPMN 2.0.2 §13.2.4, Camunda 7 Call Activity / Escalation Events)', () => {
  it('childThrow error: the error boundary on the call activity catches it and interrupts the call', async () => {
    const d = await parent();
    d.send({ type: 'childThrow', activityInstanceId: actOf(d, 'call').id, kind: 'error', code: 'CHILD_ERR', message: 'child broke' });
    assert.ok(d.canceled.includes('call'));
    assert.deepEqual(d.waitingAt(), ['recover']);
    assert.equal(d.variables['childError'], 'CHILD_ERR');
    assert.ok(!d.started.includes('after'));
    await d.assertDeterministic();
  });

  it('childThrow escalation: the non-interrupting escalation boundary starts its path, the call keeps waiting', async () => {
    const d = await parent();
    d.send({ type: 'childThrow', activityInstanceId: actOf(d, 'call').id, kind: 'escalation', code: 'LATE' });
    assert.deepEqual(d.waitingAt(), ['call', 'chase']);
    assert.ok(!d.canceled.includes('call'));
    assert.deepEqual(d.effectsOf('childCancelRequested'), []);
    await d.assertDeterministic();
  });

  it('the called instance: an uncaught error end event hands the error to the parent (thrownToParent)', async () => {
    const d = await load(FILE, 'CallChildFails');
    const parentRef = { processInstanceId: 'parent-1', activityInstanceId: 'call-1' };
    d.send({ type: 'start', variables: { client: 'ACME' }, parent: parentRef });
    assert.deepEqual(d.state.parent, parentRef);
    const effects = d.completeTask('cf_work');
    const thrown = ofType(effects, 'thrownToParent');
    assert.deepEqual(
      thrown.map((e) => [e.kind, e.code, e.parent]),
      [['error', 'CHILD_ERR', parentRef]],
    );
    await d.assertDeterministic();
  });

  it('the called instance: an uncaught escalation is handed to the parent and the child continues', async () => {
    const d = await load(FILE, 'CallChildEscalates');
    const parentRef = { processInstanceId: 'parent-1', activityInstanceId: 'call-1' };
    const effects = d.send({ type: 'start', parent: parentRef });
    assert.deepEqual(
      ofType(effects, 'thrownToParent').map((e) => [e.kind, e.code, e.parent]),
      [['escalation', 'LATE', parentRef]],
    );
    assert.deepEqual(d.waitingAt(), ['ce_work'], 'an escalation is not critical: the thrower continues');
    await d.assertDeterministic();
  });

  it('the called instance: completing normally ends it with its variables for the out mappings', async () => {
    const d = await load(FILE, 'CallChild');
    d.send({ type: 'start', variables: { client: 'ACME' }, parent: { processInstanceId: 'parent-1', activityInstanceId: 'call-1' } });
    d.completeTask('c_work', { result: 'ok' });
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.processEnded?.variables, { client: 'ACME', result: 'ok' });
    assert.deepEqual(d.effectsOf('thrownToParent'), []);
    await d.assertDeterministic();
  });
});

describe('call activity, Zeebe propagation (Camunda 8 Call activities → Variable mappings)', () => {
  it('propagateAllParentVariables=false: only the input mappings go to the child', async () => {
    const d = await load('zeebe-call-activity.bpmn', 'ZeebeCallMapped');
    d.start({ childId: 'ZeebeChild', order: { id: 'o-5' }, other: 1 });
    const [started] = d.effectsOf('callActivityStarted');
    assert.equal(started?.processKey, 'ZeebeChild', 'processId="=childId" is evaluated');
    assert.deepEqual(started?.variables, { orderId: 'o-5' });
    await d.assertDeterministic();
  });

  it('propagateAllChildVariables=false: only the output mappings come back', async () => {
    const d = await load('zeebe-call-activity.bpmn', 'ZeebeCallMapped');
    d.start({ childId: 'ZeebeChild', order: { id: 'o-5' }, other: 1 });
    d.send({ type: 'completeCallActivity', activityInstanceId: actOf(d, 'call').id, variables: { orderId: 'o-5', result: 'done', noise: 1 } });
    assert.equal(d.status, 'completed');
    assert.deepEqual(endVariables(d), { childId: 'ZeebeChild', order: { id: 'o-5' }, other: 1, childResult: 'done' });
    await d.assertDeterministic();
  });

  it('defaults: every parent variable goes to the child, every child variable comes back', async () => {
    const d = await load('zeebe-call-activity.bpmn', 'ZeebeCallDefaults');
    d.start({ x: 1, y: 'a' });
    const [started] = d.effectsOf('callActivityStarted');
    assert.equal(started?.processKey, 'ZeebeChild');
    assert.deepEqual(started?.variables, { x: 1, y: 'a' });
    d.send({ type: 'completeCallActivity', activityInstanceId: actOf(d, 'zd_call').id, variables: { x: 5, y: 'a', z: 2 } });
    assert.equal(d.status, 'completed');
    assert.deepEqual(endVariables(d), { x: 5, y: 'a', z: 2 });
    await d.assertDeterministic();
  });
});
