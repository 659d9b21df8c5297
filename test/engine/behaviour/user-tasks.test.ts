/**
 * User task data: kept as data, not enforced by the engine.
 * Sources: Camunda 7 docs "Tasks → User Task" (camunda:assignee and camunda:dueDate may be
 * expressions; camunda:candidateGroups is a comma-separated list; the due date is an ISO-8601
 * date or an expression resolving to one); Camunda 7 Java API `Task.PRIORITY_NORMAL` = 50
 * (the default priority of a task); BPMN 2.0.2 §13.2.3 "Task" (a user task waits for its
 * completion by a person).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, assertProcosError } from '../../helpers/engine-driver.js';

describe('user task (Camunda 7 User Task)', () => {
  it('assignee expression, candidateGroups "sales,management" → a list, dueDate expression', async () => {
    const d = await Driver.load('user-task.bpmn');
    d.start({ owner: 'mary', due: '2024-02-01T12:00:00.000Z' });
    assert.deepEqual(d.waitingAt(), ['approve']);
    assert.deepEqual(d.externalTasks, [], 'a user task is not an external task');
    const [task] = d.userTasks;
    assert.ok(task);
    assert.equal(task.elementId, 'approve');
    assert.equal(task.activityInstanceId, d.actIds('approve')[0]);
    assert.equal(task.name, 'Approve order');
    assert.equal(task.assignee, 'mary');
    assert.deepEqual(task.candidateGroups, ['sales', 'management']);
    assert.deepEqual(task.candidateUsers, []);
    assert.ok(task.dueDate !== null, 'the due date is set');
    assert.equal(Date.parse(task.dueDate), Date.parse('2024-02-01T12:00:00.000Z'));
    assert.equal(task.followUpDate, null);
    assert.equal(task.formKey, null);
    assert.equal(task.time, d.now);
    await d.assertDeterministic();
  });

  it('a user task has the default priority 50 when none is given (Camunda 7 Task.PRIORITY_NORMAL)', async () => {
    const d = await Driver.load('user-task.bpmn');
    d.start({ owner: 'mary', due: '2024-02-01T12:00:00.000Z' });
    assert.equal(d.userTasks[0]?.priority, 50);
  });

  it('completing the user task sets process variables and moves on', async () => {
    const d = await Driver.load('user-task.bpmn');
    d.start({ owner: 'mary', due: '2024-02-01T12:00:00.000Z' });
    d.advance(60_000);
    d.completeTask('approve', { approved: true, comment: 'ok' });
    assert.equal(d.variables['approved'], true);
    assert.equal(d.variables['comment'], 'ok');
    assert.deepEqual(d.waitingAt(), ['ship']);
    assert.deepEqual(d.userTasks, []);
    const ended = d.effectsOf('activityEnded').find((e) => e.elementId === 'approve');
    assert.deepEqual([ended?.canceled, ended?.time], [false, d.now]);
    d.completeTask('ship');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a completion command of the wrong kind is refused with PROCOS_ENGINE_NOT_WAITING (the activity does not wait for it)', async () => {
    const d = await Driver.load('user-task.bpmn');
    d.start({ owner: 'mary', due: '2024-02-01T12:00:00.000Z' });
    const approve = d.actIds('approve')[0] as string;
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: approve }), 'PROCOS_ENGINE_NOT_WAITING');
    d.completeTask('approve');
    const ship = d.actIds('ship')[0] as string;
    assertProcosError(() => d.send({ type: 'completeUserTask', activityInstanceId: ship }), 'PROCOS_ENGINE_NOT_WAITING');
    assert.deepEqual(d.waitingAt(), ['ship']);
    await d.assertDeterministic();
  });

  it('an assignee expression over a missing variable is an expressionFailed incident at the user task', async () => {
    const d = await Driver.load('user-task.bpmn');
    d.start({ due: '2024-02-01T12:00:00.000Z' });
    assert.equal(d.status, 'active');
    assert.deepEqual(d.openIncidents.map((i) => [i.elementId, i.incidentType]), [['approve', 'expressionFailed']]);
    assert.ok(d.openIncidents[0]?.message?.includes('owner'));
    assert.equal(d.userTasks.length, 0, 'no user task is created while its data cannot be evaluated');
    d.setVariables({ owner: 'john' });
    d.retryIncident();
    assert.deepEqual(d.openIncidents, []);
    assert.equal(d.userTasks[0]?.assignee, 'john');
    await d.assertDeterministic();
  });
});
