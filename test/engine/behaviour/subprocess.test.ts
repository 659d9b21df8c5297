/**
 * Embedded subprocess.
 * Sources: BPMN 2.0.2 §13.2.4 "Sub-Process/Call Activity" (the subprocess starts at its none
 * start event and completes when no token remains inside it; then its outgoing flow is
 * taken), §13.2.1 (an activity without outgoing flow ends its token). Camunda 7 docs
 * "Process Variables → Variable Scopes and Variable Visibility" (a child scope sees its
 * parents' variables; setting a variable updates the nearest scope that has it, otherwise it
 * is created in the process instance; local variables vanish with their scope) and
 * "Input/Output Variable Mapping" (input parameters are local variables of the activity).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

describe('embedded subprocess (BPMN 2.0.2 §13.2.4)', () => {
  it('the subprocess is a scope around its children; it ends after its inner end event, then the parent continues', async () => {
    const d = await Driver.load('subprocess-variables.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.deepEqual(d.liveElements(), ['sub', 'work']);
    const [subId] = d.actIds('sub');
    const [workId] = d.actIds('work');
    assert.ok(subId && workId);
    assert.equal(d.state.acts[subId]?.st, 'scope');
    assert.equal(d.state.acts[subId]?.parent, d.processInstanceId);
    assert.equal(d.state.acts[workId]?.parent, subId);
    assert.equal(d.effectsOf('activityStarted').find((e) => e.elementId === 'work')?.parentActivityInstanceId, subId);

    d.completeTask('work');
    assert.deepEqual(d.waitingAt(), ['after']);
    assert.deepEqual(d.trail(), ['+start', '-start', '+sub', '+subStart', '-subStart', '+work', '-work', '+subEnd', '-subEnd', '-sub', '+after']);
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('variables set inside propagate to the process scope, unless a subprocess-local variable of that name exists', async () => {
    const d = await Driver.load('subprocess-variables.bpmn');
    d.start({ seed: 1 });
    const [subId] = d.actIds('sub');
    assert.ok(subId);
    // camunda:inputParameter "draft" is a local variable of the subprocess scope.
    assert.deepEqual(d.localVariables('sub'), { draft: 'initial' });
    assert.ok(!('draft' in d.variables));

    d.completeTask('work', { result: 42, draft: 'edited' });
    // result was not defined anywhere → created in the process instance;
    // draft existed in the subprocess scope → updated there, and gone with the scope.
    assert.deepEqual(d.variables, { seed: 1, result: 42 });
    assert.deepEqual(
      d.effectsOf('variableSet').filter((e) => e.name === 'draft').map((e) => [e.scopeId, e.value]),
      [[subId, 'initial'], [subId, 'edited']],
    );
    assert.deepEqual(d.waitingAt(), ['after']);
    await d.assertDeterministic();
  });

  it('parallel branches inside a subprocess: it completes only when every inner token is consumed (one via an end event, one implicitly)', async () => {
    const d = await Driver.load('subprocess-parallel.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['subA', 'subB']);
    d.completeTask('subA');
    assert.deepEqual(d.waitingAt(), ['subB']);
    assert.equal(d.actIds('sub').length, 1, 'the subprocess is still active');
    assert.ok(!d.started.includes('after'));
    d.completeTask('subB');
    assert.deepEqual(d.actIds('sub'), []);
    assert.ok(d.passed.includes('sub'));
    assert.deepEqual(d.waitingAt(), ['after']);
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('setVariables on the subprocess activity instance sets local variables that end with the scope', async () => {
    const d = await Driver.load('subprocess-parallel.bpmn');
    d.start({ outer: true });
    const [subId] = d.actIds('sub');
    assert.ok(subId);
    d.setVariables({ note: 'inside' }, subId);
    assert.deepEqual(d.localVariables('sub'), { note: 'inside' });
    assert.deepEqual(d.variables, { outer: true });
    // A task inside sees both, and writing `note` updates the subprocess's local variable.
    d.completeTask('subA', { note: 'changed', fromA: 1 });
    assert.deepEqual(d.localVariables('sub'), { note: 'changed' });
    assert.deepEqual(d.variables, { outer: true, fromA: 1 });
    d.completeTask('subB');
    assert.deepEqual(d.variables, { outer: true, fromA: 1 });
    await d.assertDeterministic();
  });
});
