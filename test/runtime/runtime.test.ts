/**
 * The runtime against real stores (a SQLite file and a PostgreSQL server): commands in
 * transactions, the external-task queue with Camunda 7's semantics, incidents, history.
 * Sources: Camunda 7 REST "External Task" (fetchAndLock, complete, failure, bpmnError,
 * extendLock, unlock, retries) and user guide "External Tasks".
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { Runtime } from '../../src/runtime/index.js';
import { storeKinds } from '../helpers/stores.js';
import type { OpenedStore } from '../helpers/stores.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`../../../test/fixtures/runtime/${name}`, import.meta.url), 'utf8');

/** A runtime on a fresh store with a clock the test moves. */
async function setup(open: () => Promise<OpenedStore>): Promise<{ rt: Runtime; clock: { now: number }; cleanup: () => Promise<void> }> {
  const opened = await open();
  const clock = { now: Date.UTC(2026, 0, 1) };
  const rt = new Runtime(opened.store, { clock: () => clock.now });
  await rt.deploy({ name: 'test', resources: [{ name: 'two-steps.bpmn', content: await fixture('two-steps.bpmn') }, { name: 'parallel-three.bpmn', content: await fixture('parallel-three.bpmn') }] });
  return {
    rt,
    clock,
    cleanup: async () => {
      rt.close();
      await opened.cleanup();
    },
  };
}

function assertCode(e: unknown, code: string): true {
  assert.ok(isProcosError(e), `expected a ProcosError ${code}, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  return true;
}

for (const kind of storeKinds()) {
  describe(`runtime on ${kind.name}`, () => {
    it('deploys once: an unchanged redeploy returns the existing definitions; a change makes version 2', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const again = await rt.deploy({ name: 'test', resources: [{ name: 'two-steps.bpmn', content: await fixture('two-steps.bpmn') }] });
        assert.equal(again.duplicate, true);
        assert.equal(again.definitions[0]!.version, 1);
        const changed = (await fixture('two-steps.bpmn')).replace('name="Reserve"', 'name="Reserve stock"');
        const v2 = await rt.deploy({ name: 'test', resources: [{ name: 'two-steps.bpmn', content: changed }] });
        assert.equal(v2.duplicate, false);
        assert.equal(v2.definitions[0]!.version, 2);
        assert.equal(v2.definitions[0]!.key, 'two_steps');
      } finally {
        await cleanup();
      }
    });

    it('refuses a deployment with a broken expression or a Java class, naming resource and element; nothing is stored', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const broken = (await fixture('two-steps.bpmn')).replace('${priority}', '${priority +}');
        await assert.rejects(rt.deploy({ name: 'bad', resources: [{ name: 'bad.bpmn', content: broken }] }), (e) => {
          assertCode(e, 'PROCOS_RUNTIME_DEPLOYMENT_INVALID');
          const problems = (e as { details: { problems: { resource: string; elementId: string }[] } }).details.problems;
          assert.equal(problems[0]!.resource, 'bad.bpmn');
          assert.equal(problems[0]!.elementId, 'charge');
          return true;
        });
        const java = (await fixture('two-steps.bpmn')).replace('camunda:type="external" camunda:topic="reserve"', 'camunda:class="org.example.Reserve"');
        await assert.rejects(rt.deploy({ name: 'java', resources: [{ name: 'java.bpmn', content: java }] }), (e) => {
          assertCode(e, 'PROCOS_RUNTIME_DEPLOYMENT_INVALID');
          assert.match((e as Error).message, /reserve/);
          return true;
        });
        assert.equal(await rt.store.countDeployments({ name: 'bad' }), 0);
        assert.equal(await rt.store.countDeployments({ name: 'java' }), 0);
      } finally {
        await cleanup();
      }
    });

    it('runs start → external tasks → end, with variables, priority, correlationId and history', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'two_steps', businessKey: 'order-1', variables: { priority: 7, amount: 30 } });
        assert.equal(pi.status, 'active');
        assert.equal(pi.variables.correlationId, pi.id, 'a correlationId variable is created at start');
        const [reserve] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 10, topics: [{ topicName: 'reserve', lockDuration: 10_000 }] });
        assert.ok(reserve);
        assert.equal(reserve.elementId, 'reserve');
        assert.equal(reserve.businessKey, 'order-1');
        assert.deepEqual(reserve.variables, { priority: 7, amount: 30, correlationId: pi.id });
        await rt.completeExternalTask(reserve.id, 'w1', { reserved: true });
        const [charge] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 10, usePriority: true, topics: [{ topicName: 'charge', lockDuration: 10_000, variables: ['reserved'] }] });
        assert.ok(charge);
        assert.equal(charge.priority, 7);
        assert.deepEqual(charge.variables, { reserved: true }, 'only the requested variables');
        await rt.completeExternalTask(charge.id, 'w1', { charged: 30 });
        const done = await rt.getInstance(pi.id);
        assert.equal(done.status, 'completed');
        assert.notEqual(done.endTime, null);
        const acts = await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id });
        assert.deepEqual(
          acts.map((a) => [a.elementId, a.endTime !== null, a.canceled]),
          [
            ['start', true, false],
            ['reserve', true, false],
            ['charge', true, false],
            ['done', true, false],
          ],
        );
        const hist = await rt.store.getHistoricProcessInstance(pi.id);
        assert.equal(hist?.status, 'completed');
        const updates = await rt.store.listHistoricVariableUpdates({ processInstanceId: pi.id, name: 'charged' });
        assert.deepEqual(
          updates.map((u) => u.value),
          [30],
        );
      } finally {
        await cleanup();
      }
    });

    it('lets only the lock holder complete, and only once', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        await rt.startInstance({ key: 'two_steps', variables: { priority: 1 } });
        const [t] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'reserve', lockDuration: 10_000 }] });
        assert.ok(t);
        await assert.rejects(rt.completeExternalTask(t.id, 'intruder'), (e) => {
          assertCode(e, 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED');
          assert.match((e as Error).message, /locked by worker "w1"/);
          return true;
        });
        await rt.completeExternalTask(t.id, 'w1');
        await assert.rejects(rt.completeExternalTask(t.id, 'w1'), (e) => assertCode(e, 'PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND'));
        await assert.rejects(rt.completeExternalTask('no-such-task', 'w1'), (e) => assertCode(e, 'PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND'));
      } finally {
        await cleanup();
      }
    });

    it('failure: the task comes back after retryTimeout; retries 0 raises failedExternalTask; setting retries resolves it', async () => {
      const { rt, clock, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'two_steps', variables: { priority: 1 } });
        const topics = [{ topicName: 'reserve', lockDuration: 10_000 }];
        const [t] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics });
        await rt.handleExternalTaskFailure(t!.id, 'w1', { errorMessage: 'stock service down', retries: 1, retryTimeout: 5_000 });
        assert.deepEqual(await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics }), [], 'not before retryTimeout');
        clock.now += 5_000;
        const [again] = await rt.fetchAndLock({ workerId: 'w2', maxTasks: 1, topics });
        assert.equal(again?.id, t!.id);
        assert.equal(again?.retries, 1);
        assert.equal(again?.errorMessage, 'stock service down');
        await rt.handleExternalTaskFailure(t!.id, 'w2', { errorMessage: 'still down', errorDetails: 'ECONNREFUSED', retries: 0, retryTimeout: 0 });
        const incidents = await rt.store.listIncidents({ processInstanceId: pi.id, open: true });
        assert.equal(incidents.length, 1);
        assert.equal(incidents[0]!.type, 'failedExternalTask');
        assert.equal(incidents[0]!.message, 'still down');
        assert.equal(incidents[0]!.elementId, 'reserve');
        clock.now += 60_000;
        assert.deepEqual(await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics }), [], 'retries 0: not fetchable');
        await rt.resolveIncident(incidents[0]!.id);
        assert.equal(await rt.store.countIncidents({ processInstanceId: pi.id, open: true }), 0);
        const [back] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics });
        assert.equal(back?.id, t!.id, 'fetchable again after the incident is resolved');
        const hist = await rt.store.listHistoricIncidents({ processInstanceId: pi.id });
        assert.equal(hist.length, 1);
        assert.notEqual(hist[0]!.resolvedTime, null);
      } finally {
        await cleanup();
      }
    });

    it('BPMN error: caught by the boundary event, code variable set, user task created; then completed', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'two_steps', variables: { priority: 1, clerk: 'mia' } });
        const [r] = await rt.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'reserve', lockDuration: 10_000 }] });
        await rt.completeExternalTask(r!.id, 'w');
        const [c] = await rt.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'charge', lockDuration: 10_000 }] });
        await rt.handleExternalTaskBpmnError(c!.id, 'w', 'DECLINED', 'card declined', { reason: 'insufficient funds' });
        const [task] = await rt.store.listUserTasks({ processInstanceId: pi.id });
        assert.equal(task?.elementId, 'review');
        assert.equal(task?.assignee, 'mia');
        assert.deepEqual(task?.candidateGroups, ['billing', 'sales']);
        const vars = Object.fromEntries((await rt.store.listVariables({ processInstanceId: pi.id })).map((v) => [v.name, v.value]));
        assert.equal(vars.code, 'DECLINED');
        assert.equal(vars.reason, 'insufficient funds');
        assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id }), 0);
        await rt.completeUserTask(task!.id, { approved: false });
        assert.equal((await rt.getInstance(pi.id)).status, 'completed');
        const acts = await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id, elementId: 'charge' });
        assert.equal(acts[0]!.canceled, true, 'the interrupted task is canceled in history');
        await assert.rejects(rt.completeUserTask(task!.id), (e) => assertCode(e, 'PROCOS_RUNTIME_USER_TASK_NOT_FOUND'));
      } finally {
        await cleanup();
      }
    });

    it('extendLock and unlock follow the lock holder; an expired lock makes the task fetchable by another worker', async () => {
      const { rt, clock, cleanup } = await setup(() => kind.open());
      try {
        await rt.startInstance({ key: 'two_steps', variables: { priority: 1 } });
        const topics = [{ topicName: 'reserve', lockDuration: 1_000 }];
        const [t] = await rt.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics });
        await assert.rejects(rt.extendLock(t!.id, 'w2', 5_000), (e) => assertCode(e, 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED'));
        await rt.extendLock(t!.id, 'w1', 5_000);
        clock.now += 2_000;
        assert.deepEqual(await rt.fetchAndLock({ workerId: 'w2', maxTasks: 1, topics }), [], 'extended lock still held');
        clock.now += 4_000;
        const [stolen] = await rt.fetchAndLock({ workerId: 'w2', maxTasks: 1, topics });
        assert.equal(stolen?.id, t!.id, 'expired lock: fetchable again');
        await assert.rejects(rt.completeExternalTask(t!.id, 'w1'), (e) => assertCode(e, 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED'));
        await rt.unlockExternalTask(t!.id);
        const [free] = await rt.fetchAndLock({ workerId: 'w3', maxTasks: 1, topics });
        assert.equal(free?.workerId, 'w3');
        await rt.completeExternalTask(t!.id, 'w3');
      } finally {
        await cleanup();
      }
    });

    it('long polling: a waiting fetch is woken by the creation of a task for its topic', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const started = Date.now();
        const waiting = rt.fetchAndLock({ workerId: 'w', maxTasks: 5, asyncResponseTimeout: 20_000, topics: [{ topicName: 'reserve', lockDuration: 10_000 }] });
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(rt.notifier.waiting, 1, 'the request is held');
        const pi = await rt.startInstance({ key: 'two_steps', variables: { priority: 1 } });
        const tasks = await waiting;
        assert.equal(tasks.length, 1);
        assert.equal(tasks[0]!.processInstanceId, pi.id);
        assert.ok(Date.now() - started < 20_000, 'answered by the wake-up, not by the timeout');
        const empty = await rt.fetchAndLock({ workerId: 'w', maxTasks: 5, asyncResponseTimeout: 100, topics: [{ topicName: 'nothing-here', lockDuration: 1_000 }] });
        assert.deepEqual(empty, [], 'times out empty');
      } finally {
        await cleanup();
      }
    });

    it('concurrent completions of parallel tasks of one instance are serialized by revision; the join fires once', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'parallel_three', variables: { limit: 3 } });
        const tasks = await rt.fetchAndLock({ workerId: 'w', maxTasks: 10, topics: [{ topicName: 'work', lockDuration: 10_000 }] });
        assert.equal(tasks.length, 3);
        await Promise.all(tasks.map((t, i) => rt.completeExternalTask(t.id, 'w', { [`r${i}`]: i })));
        const done = await rt.getInstance(pi.id);
        assert.equal(done.status, 'completed');
        const joins = await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id, elementId: 'join' });
        assert.equal(joins.length, 1, 'the join fired exactly once');
        const ends = await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id, elementId: 'end' });
        assert.equal(ends.length, 1);
      } finally {
        await cleanup();
      }
    });

    it('an engine incident (expression over a missing variable) is resolved by setting the variable and retrying', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'parallel_three' });
        const tasks = await rt.fetchAndLock({ workerId: 'w', maxTasks: 10, topics: [{ topicName: 'work', lockDuration: 10_000 }] });
        for (const t of tasks) await rt.completeExternalTask(t.id, 'w');
        const [inc] = await rt.store.listIncidents({ processInstanceId: pi.id, open: true });
        assert.equal(inc?.type, 'expressionFailed');
        assert.equal(inc?.elementId, 'check');
        assert.match(inc!.message, /limit/);
        assert.equal((await rt.getInstance(pi.id)).status, 'active');
        await rt.setVariables(pi.id, { limit: 50 });
        await rt.resolveIncident(inc!.id);
        assert.equal((await rt.getInstance(pi.id)).status, 'completed');
        assert.equal((await rt.store.listHistoricActivityInstances({ processInstanceId: pi.id, elementId: 'end_big' })).length, 1);
      } finally {
        await cleanup();
      }
    });

    it('cancel removes tokens, external tasks and the failed-task incident; history says terminated', async () => {
      const { rt, cleanup } = await setup(() => kind.open());
      try {
        const pi = await rt.startInstance({ key: 'two_steps', variables: { priority: 1 } });
        const [t] = await rt.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'reserve', lockDuration: 10_000 }] });
        await rt.handleExternalTaskFailure(t!.id, 'w', { errorMessage: 'boom', retries: 0 });
        assert.equal(await rt.store.countIncidents({ processInstanceId: pi.id, open: true }), 1);
        await rt.cancelInstance(pi.id, 'customer withdrew');
        assert.equal((await rt.getInstance(pi.id)).status, 'terminated');
        assert.equal(await rt.store.countExternalTasks({ processInstanceId: pi.id }), 0);
        assert.equal(await rt.store.countIncidents({ processInstanceId: pi.id, open: true }), 0);
        const hist = await rt.store.getHistoricProcessInstance(pi.id);
        assert.equal(hist?.status, 'terminated');
        assert.equal(hist?.endReason, 'customer withdrew');
        await assert.rejects(rt.cancelInstance(pi.id), (e) => assertCode(e, 'PROCOS_ENGINE_INSTANCE_ENDED'));
      } finally {
        await cleanup();
      }
    });
  });
}
