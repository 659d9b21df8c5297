/**
 * A process without wait states runs to its end in one command.
 * Sources: BPMN 2.0.2 §13.1 "Process Instantiation and Termination", §13.2.3 "Task",
 * §13.4.1 "Start Events", §13.4.6 "End Events"; Camunda 7 docs "Tasks → Manual Task"
 * (a manual task is a pass-through activity for the engine).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STATE_VERSION } from '../../../src/engine/index.js';
import { Driver, DRIVER_EPOCH, assertProcosError } from '../../helpers/engine-driver.js';

describe('straight-through process (BPMN 2.0.2 §13.1, §13.2.3)', () => {
  it('start → task → manualTask → end completes in the start command, history in order', async () => {
    const d = await Driver.load('straight-through.bpmn');
    d.start({ orderId: 'o-1' }, 'BK-1');

    assert.equal(d.status, 'completed');
    assert.equal(d.state.v, STATE_VERSION);
    assert.equal(d.state.key, 'StraightThrough');
    assert.equal(d.state.businessKey, 'BK-1');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.passed, ['start', 'prepare', 'handOver', 'end']);
    assert.deepEqual(d.canceled, []);

    // Each activity instance starts after the previous one ended (one token, §13.2.1).
    const pi = d.processInstanceId;
    assert.deepEqual(d.trail(), ['+start', '-start', '+prepare', '-prepare', '+handOver', '-handOver', '+end', '-end']);

    const first = d.effects[0];
    assert.equal(first?.type, 'processStarted');
    if (first?.type === 'processStarted') {
      assert.equal(first.processInstanceId, pi);
      assert.equal(first.key, 'StraightThrough');
      assert.equal(first.businessKey, 'BK-1');
      assert.equal(first.time, DRIVER_EPOCH);
    }
    const last = d.effects.at(-1);
    assert.equal(last?.type, 'processEnded');
    assert.deepEqual(d.effectsOf('processEnded').map((e) => [e.processInstanceId, e.status, e.time]), [[pi, 'completed', DRIVER_EPOCH]]);

    const prepare = d.effectsOf('activityStarted').find((e) => e.elementId === 'prepare');
    assert.equal(prepare?.elementName, 'Prepare');
    assert.equal(prepare?.parentActivityInstanceId, pi);

    // The start variables were process variables.
    assert.deepEqual(
      d.effectsOf('variableSet').map((e) => [e.scopeId, e.name, e.value]),
      [[pi, 'orderId', 'o-1']],
    );
    await d.assertDeterministic();
  });

  it('commands on a completed instance are refused with PROCOS_ENGINE_INSTANCE_ENDED', async () => {
    const d = await Driver.load('straight-through.bpmn');
    d.start();
    assert.equal(d.status, 'completed');
    assertProcosError(() => d.setVariables({ late: true }), 'PROCOS_ENGINE_INSTANCE_ENDED');
    assertProcosError(() => d.cancel(), 'PROCOS_ENGINE_INSTANCE_ENDED');
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: 'id1' }), 'PROCOS_ENGINE_INSTANCE_ENDED');
    assert.equal(d.status, 'completed');
    assert.equal(d.effectsOf('processEnded').length, 1);
    await d.assertDeterministic();
  });

  it('start on an existing instance is refused with PROCOS_ENGINE_BAD_COMMAND (src/engine/errors.ts contract)', async () => {
    const d = await Driver.load('parallel-fork-join.bpmn');
    d.start();
    assertProcosError(() => d.start(), 'PROCOS_ENGINE_BAD_COMMAND');
    assert.deepEqual(d.waitingAt(), ['a', 'b', 'c']);
    await d.assertDeterministic();
  });
});
