/**
 * Cancelling a process instance from outside.
 * Sources: Camunda 7 docs "Process Instance Modification / Delete Process Instance" (all
 * activity instances are canceled, external tasks and user tasks are deleted, the instance
 * ends as EXTERNALLY_TERMINATED); src/engine/types.ts (`terminated` = cancelled from outside,
 * `activityEnded.canceled`); BPMN 2.0.2 §13.1 (an instance ends when it is terminated).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, assertProcosError } from '../../helpers/engine-driver.js';

describe('cancel', () => {
  it('cancels all tokens, removes external and user tasks, ends the instance as terminated', async () => {
    const d = await Driver.load('terminate-end.bpmn');
    d.start();
    const tasks = d.externalTasks;
    const users = d.userTasks;
    assert.deepEqual(tasks.map((t) => t.elementId), ['a', 'x']);
    assert.equal(users.length, 1);
    d.advance(1_000);
    d.cancel('no longer needed');

    assert.equal(d.status, 'terminated');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.liveElements(), []);
    assert.deepEqual([...d.canceled].sort(), ['a', 'review', 'x']);
    assert.deepEqual(d.effectsOf('externalTaskRemoved').map((e) => e.externalTaskId).sort(), tasks.map((t) => t.externalTaskId).sort());
    assert.deepEqual(d.effectsOf('userTaskRemoved').map((e) => e.activityInstanceId), users.map((u) => u.activityInstanceId));
    const ended = d.processEnded;
    assert.deepEqual([ended?.status, ended?.reason, ended?.time], ['terminated', 'no longer needed', d.now]);
    assert.equal(d.lastEffects.at(-1)?.type, 'processEnded');
    assert.ok(!d.started.includes('kill'), 'cancel is not a terminate end event');
    const taskA = tasks.find((t) => t.elementId === 'a');
    assert.ok(taskA);
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: taskA.activityInstanceId }), 'PROCOS_ENGINE_INSTANCE_ENDED');
    await d.assertDeterministic();
  });

  it('cancels the tokens inside a subprocess and the subprocess itself', async () => {
    const d = await Driver.load('subprocess-parallel.bpmn');
    d.start();
    d.cancel();
    assert.equal(d.status, 'terminated');
    assert.deepEqual([...d.canceled].sort(), ['sub', 'subA', 'subB']);
    assert.equal(d.effectsOf('externalTaskRemoved').length, 2);
    assert.ok(!d.started.includes('after'));
    assert.equal(d.processEnded?.status, 'terminated');
    await d.assertDeterministic();
  });

  it('cancels an instance stopped by an incident, and one that only holds a token at a join', async () => {
    const stuck = await Driver.load('exclusive-no-default.bpmn');
    stuck.start({ choice: 'none' });
    assert.equal(stuck.openIncidents.length, 1);
    stuck.cancel();
    assert.equal(stuck.status, 'terminated');
    assert.deepEqual(stuck.liveElements(), []);
    assert.deepEqual(stuck.canceled, ['choiceGw']);
    await stuck.assertDeterministic();

    const join = await Driver.load('exclusive-then-parallel-join.bpmn');
    join.start({ path: 'a' });
    join.completeTask('a');
    join.cancel();
    assert.equal(join.status, 'terminated');
    assert.deepEqual(join.joinTokens(), {}, 'no token is left at the join');
    assert.equal(join.processEnded?.status, 'terminated');
    await join.assertDeterministic();
  });
});
