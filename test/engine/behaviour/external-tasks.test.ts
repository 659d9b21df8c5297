/**
 * Service, send and business rule tasks as external tasks / jobs.
 * Sources: Camunda 7 docs "User Guide → Process Engine → External Tasks" (camunda:type="external",
 * camunda:topic, camunda:taskPriority — both may be expressions; retries are null until the
 * first failure; complete with `variables` (set on the execution, visible to the process) and
 * `localVariables` (set only in the scope of the external task, e.g. for output mapping));
 * Camunda 7 docs "Expression Language" (composite expressions such as `orders-${region}`);
 * Camunda 8 docs "Service tasks" (zeebe:taskDefinition type and retries, default retries 3,
 * type as a FEEL expression `=…`); BPMN 2.0.2 §13.2.3 "Task".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, assertProcosError } from '../../helpers/engine-driver.js';

describe('external tasks, Camunda 7 attributes', () => {
  it('topic `orders-${region}` and priority `${prio}` are evaluated when the task is created; retries are null', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.advance(5_000);
    d.start({ region: 'eu', prio: 42 });
    assert.deepEqual(d.waitingAt(), ['order']);
    const [task] = d.externalTasks;
    assert.deepEqual(
      { elementId: task?.elementId, topic: task?.topic, priority: task?.priority, retries: task?.retries },
      { elementId: 'order', topic: 'orders-eu', priority: 42, retries: null },
    );
    const created = d.effectsOf('externalTaskCreated');
    assert.equal(created.length, 1);
    assert.equal(created[0]?.activityInstanceId, d.actIds('order')[0]);
    assert.equal(created[0]?.time, d.now);
    await d.assertDeterministic();
  });

  it('completing with variables sets process variables; a sendTask is an external task too (constant priority 7)', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.start({ region: 'us', prio: 1 });
    d.completeTask('order', { orderNo: 'o-7', lines: [1, 2], customer: { name: 'Ada' } });
    assert.deepEqual(d.variables, { region: 'us', prio: 1, orderNo: 'o-7', lines: [1, 2], customer: { name: 'Ada' } });
    const pi = d.processInstanceId;
    const sets = d.lastEffects.flatMap((e) => (e.type === 'variableSet' ? [`${e.scopeId}:${e.name}`] : []));
    assert.deepEqual(sets.sort(), [`${pi}:customer`, `${pi}:lines`, `${pi}:orderNo`]);
    assert.deepEqual(d.waitingAt(), ['notify']);
    assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.topic, t.priority, t.retries]), [['notify', 'notify', 7, null]]);
    assert.ok(d.passed.includes('order'));
    await d.assertDeterministic();
  });

  it('localVariables stay in the task scope: visible to its output mapping, not to the process', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.start({ region: 'eu', prio: 0 });
    d.completeTask('order');
    d.completeTask('notify');
    assert.deepEqual(d.waitingAt(), ['rate']);
    const rateAct = d.actIds('rate')[0];
    d.completeTask('rate', { rated: true }, { localVariables: { score: 9 } });
    assert.deepEqual(d.waitingAt(), ['archive']);
    assert.equal(d.variables['rating'], 9, 'the output mapping read the local variable');
    assert.equal(d.variables['rated'], true);
    assert.ok(!('score' in d.variables), 'a local variable does not reach the process scope');
    const scoreSets = d.effectsOf('variableSet').filter((e) => e.name === 'score');
    assert.deepEqual(scoreSets.map((e) => [e.scopeId, e.value]), [[rateAct, 9]]);
    d.completeTask('archive');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a topic expression over a missing variable is an expressionFailed incident naming it; no task is created until a retry succeeds', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.start({ prio: 3 });
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['order']);
    assert.deepEqual(d.openIncidents.map((i) => [i.elementId, i.incidentType]), [['order', 'expressionFailed']]);
    const message = d.openIncidents[0]?.message ?? '';
    assert.ok(message.includes('region'), `the message names the missing variable: ${message}`);
    assert.equal(d.effectsOf('externalTaskCreated').length, 0);
    d.setVariables({ region: 'apac' });
    d.retryIncident('order');
    assert.deepEqual(d.openIncidents.length, 0);
    assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.topic, t.priority]), [['order', 'orders-apac', 3]]);
    d.completeTask('order');
    assert.deepEqual(d.waitingAt(), ['notify']);
    await d.assertDeterministic();
  });

  it('completing an activity instance that is not waiting is refused with PROCOS_ENGINE_NOT_WAITING', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.start({ region: 'eu', prio: 0 });
    const orderAct = d.actIds('order')[0] as string;
    d.completeTask('order');
    const before = d.state;
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: orderAct }), 'PROCOS_ENGINE_NOT_WAITING');
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: 'no-such-activity-instance' }), 'PROCOS_ENGINE_NOT_WAITING');
    assertProcosError(() => d.send({ type: 'bpmnError', activityInstanceId: orderAct, errorCode: 'X' }), 'PROCOS_ENGINE_NOT_WAITING');
    assert.deepEqual(d.state, before, 'a refused command changes nothing');
    assert.deepEqual(d.waitingAt(), ['notify']);
    assert.equal(d.externalTasks.length, 1);
    await d.assertDeterministic();
  });

  it('a command on a completed instance is refused with PROCOS_ENGINE_INSTANCE_ENDED', async () => {
    const d = await Driver.load('external-tasks.bpmn');
    d.start({ region: 'eu', prio: 0 });
    d.completeTask('order');
    d.completeTask('notify');
    d.completeTask('rate', {}, { localVariables: { score: 1 } });
    const last = d.actIds('archive')[0] as string;
    d.completeTask('archive');
    assert.equal(d.status, 'completed');
    assertProcosError(() => d.send({ type: 'completeExternalTask', activityInstanceId: last }), 'PROCOS_ENGINE_INSTANCE_ENDED');
    assertProcosError(() => d.setVariables({ x: 1 }), 'PROCOS_ENGINE_INSTANCE_ENDED');
    assertProcosError(() => d.cancel(), 'PROCOS_ENGINE_INSTANCE_ENDED');
    await d.assertDeterministic();
  });
});

describe('external tasks, Zeebe task definitions (Camunda 8 docs "Service tasks")', () => {
  it('zeebe:taskDefinition type and retries="5"; priority defaults to 0', async () => {
    const d = await Driver.load('zeebe-tasks.bpmn');
    d.start({ region: 'eu' });
    assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.topic, t.priority, t.retries]), [['pay', 'payments', 0, 5]]);
    await d.assertDeterministic();
  });

  it('a FEEL type `="ship-" + region` is evaluated when the task is created', async () => {
    const d = await Driver.load('zeebe-tasks.bpmn');
    d.start({ region: 'eu' });
    d.completeTask('pay', { paid: true });
    assert.equal(d.variables['paid'], true);
    assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.topic]), [['ship', 'ship-eu']]);
    d.completeTask('ship');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a Zeebe task definition without retries gets the documented default of 3 ("retries (optional) … The default is three")', async () => {
    const d = await Driver.load('zeebe-tasks.bpmn');
    d.start({ region: 'eu' });
    d.completeTask('pay');
    assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.retries]), [['ship', 3]]);
  });
});
