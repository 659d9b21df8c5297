/**
 * Uncontrolled flow: sequence flows into and out of activities without gateways.
 * Source: BPMN 2.0.2 §13.2.1 "Sequence Flow Considerations": an activity with several
 * incoming sequence flows is instantiated for each token that arrives on any of them
 * (uncontrolled merge, no synchronisation); on completion an activity produces a token on
 * each outgoing sequence flow whose condition holds (unconditional flows always: an
 * implicit parallel split). §13.1: the instance completes when no token remains.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

const count = (list: readonly string[], el: string): number => list.filter((x) => x === el).length;

describe('uncontrolled flow (BPMN 2.0.2 §13.2.1)', () => {
  it('two unconditional outgoing flows split the token; two incoming flows run the task once per token', async () => {
    const d = await Driver.load('uncontrolled-flow.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a']);
    d.completeTask('a');
    assert.deepEqual(d.waitingAt(), ['b', 'c'], 'a token on each outgoing flow');
    d.completeTask('b');
    assert.deepEqual(d.waitingAt(), ['c', 'd'], 'D starts without waiting for C: no synchronisation');
    d.completeTask('c');
    assert.deepEqual(d.waitingAt(), ['d', 'd'], 'a second, separate instance of D');
    assert.equal(d.externalTasks.length, 2);
    d.completeTask('d');
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['d']);
    assert.equal(count(d.passed, 'end'), 1);
    d.completeTask('d');
    assert.equal(d.status, 'completed');
    assert.equal(count(d.passed, 'd'), 2);
    assert.equal(count(d.passed, 'end'), 2);
    assert.equal(d.effectsOf('processEnded').length, 1);
    await d.assertDeterministic();
  });
});
