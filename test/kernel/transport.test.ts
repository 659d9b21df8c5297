/**
 * The in-process transport (the external-task protocol as calls on a Runtime) and the
 * processes-folder deploy, against a real SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { InProcessTransport, deployFolder } from '../../src/kernel/index.js';
import { createLogger } from '../../src/observability/index.js';
import { Runtime } from '../../src/runtime/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { TdeWorker, compileRoutes } from '../../src/worker/index.js';
import { tempDir, waitFor } from '../e2e/helpers.js';

/** A process: task `a` (topic `t.a`, error boundary for code E → end `caught`), then task `b` (topic `t.b`). */
const TWO_TASKS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="two_tasks" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="a" name="Task A" camunda:type="external" camunda:topic="t.a"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:boundaryEvent id="err" attachedToRef="a"><bpmn:outgoing>f4</bpmn:outgoing><bpmn:errorEventDefinition errorRef="E" /></bpmn:boundaryEvent>
    <bpmn:serviceTask id="b" name="Task B" camunda:type="external" camunda:topic="t.b"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="caught"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="err" targetRef="caught" />
  </bpmn:process>
  <bpmn:error id="E" errorCode="E" />
</bpmn:definitions>`;

const silent = createLogger({ level: 'silent' });

describe('InProcessTransport', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let runtime: Runtime;
  let transport: InProcessTransport;

  before(async () => {
    ({ dir, cleanup } = await tempDir('procos-transport-'));
    store = await openStore(`sqlite:${join(dir, 'x.db')}`);
    runtime = new Runtime(store);
    await runtime.deploy({ name: 'two', resources: [{ name: 'two.bpmn', content: TWO_TASKS }] });
    transport = new InProcessTransport(runtime);
  });
  after(async () => {
    runtime.close();
    await store.close();
    await cleanup();
  });

  const fetchOne = async (topic: string, workerId = 'w1') => {
    const tasks = await transport.fetchAndLock({ workerId, maxTasks: 1, topics: [{ topicName: topic, lockDuration: 10_000 }] });
    assert.equal(tasks.length, 1, `expected one ${topic} task`);
    return tasks[0]!;
  };

  it('fetches in the Camunda shape with variables, completes, and only the lock holder may', async () => {
    const started = await runtime.startInstance({ key: 'two_tasks', variables: { n: 1 } });
    const t = await fetchOne('t.a');
    assert.equal(t.topicName, 't.a');
    assert.equal(t.activityId, 'a');
    assert.equal(t.workerId, 'w1');
    assert.equal(t.processInstanceId, started.id);
    assert.equal(t.processDefinitionKey, 'two_tasks');
    assert.equal(t.variables.n, 1);
    assert.ok(t.lockExpirationTime > Date.now());
    assert.ok(transport.lastFetchAt('w1')! <= Date.now());
    await assert.rejects(transport.complete(t.id, 'intruder'), (e) => isProcosError(e) && e.code === 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED');
    await transport.extendLock(t.id, 'w1', 20_000);
    await transport.complete(t.id, 'w1', { m: 2 });
    const b = await fetchOne('t.b');
    assert.equal(b.variables.m, 2);
    await transport.complete(b.id, 'w1');
    assert.equal((await runtime.getInstance(started.id)).status, 'completed');
  });

  it('reports failures (0 retries raise an incident), BPMN errors and unlocks', async () => {
    const one = await runtime.startInstance({ key: 'two_tasks' });
    const t = await fetchOne('t.a');
    await transport.unlock(t.id);
    const again = await fetchOne('t.a', 'w2');
    assert.equal(again.id, t.id);
    await transport.handleFailure(again.id, 'w2', { errorMessage: 'boom', errorDetails: 'stack', retries: 0, retryTimeout: 0 });
    const incidents = await store.listIncidents({ processInstanceId: one.id, open: true });
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]!.message, 'boom');

    const two = await runtime.startInstance({ key: 'two_tasks' });
    const t2 = await fetchOne('t.a');
    assert.equal(t2.processInstanceId, two.id);
    await transport.handleBpmnError(t2.id, 'w1', 'E', 'business says no');
    const rec = await runtime.getInstance(two.id);
    assert.equal(rec.status, 'completed');
    const steps = await store.listHistoricActivityInstances({ processInstanceId: two.id });
    assert.ok(steps.some((s) => s.elementId === 'caught'));
  });

  it('drives a TdeWorker: a process runs to its end with real shell commands', async () => {
    const routes = compileRoutes({
      topics: {
        't.a': { adapter: 'shell', config: { command: 'echo', args: ['hello'], env: { pass: ['PATH'] }, output: { stdout: 'greeting' } } },
        't.b': { adapter: 'shell', config: { command: 'wc', args: ['-c'], stdin: '${greeting}', stdoutJson: true, env: { pass: ['PATH'] }, output: { stdout: 'bytes' } } },
      },
    });
    const worker = new TdeWorker({ transport, workerId: 'builtin-test', routes, logger: silent, asyncResponseTimeout: 1000 });
    worker.start();
    try {
      const started = await runtime.startInstance({ key: 'two_tasks' });
      await waitFor('the instance to complete', async () => (await runtime.getInstance(started.id)).status === 'completed');
      const vars = await store.listHistoricVariableUpdates({ processInstanceId: started.id });
      assert.equal(vars.find((v) => v.name === 'greeting')?.value, 'hello\n');
      assert.equal(vars.find((v) => v.name === 'bytes')?.value, 6);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });
});

describe('deployFolder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('procos-deploy-')));
  after(() => cleanup());

  it('deploys every .bpmn (sub-folders too), reports a broken file with element and reason, and skips unchanged files', async () => {
    const proc = join(dir, 'processes');
    await mkdir(join(proc, 'sub'), { recursive: true });
    await writeFile(join(proc, 'good.bpmn'), TWO_TASKS);
    await writeFile(join(proc, 'sub', 'broken.bpmn'), TWO_TASKS.replace('id="two_tasks"', 'id="broken"').replace('camunda:topic="t.b"', 'camunda:class="org.example.B"'));
    await writeFile(join(proc, 'notes.txt'), 'not a process');
    const store = await openStore(`sqlite:${join(dir, 'd.db')}`);
    const runtime = new Runtime(store);
    try {
      const first = await deployFolder(runtime, proc);
      assert.deepEqual(
        first.map((r) => [r.file, r.status]),
        [
          ['good.bpmn', 'new'],
          ['sub/broken.bpmn', 'failed'],
        ],
      );
      assert.deepEqual(first[0]!.definitions.map((d) => `${d.key}:${d.version}`), ['two_tasks:1']);
      const problem = first[1]!.problems[0]!;
      assert.equal(problem.elementId, 'b');
      assert.match(problem.message, /camunda:class/);

      const second = await deployFolder(runtime, proc);
      assert.equal(second[0]!.status, 'unchanged');
      assert.deepEqual(second[0]!.definitions.map((d) => `${d.key}:${d.version}`), ['two_tasks:1']);
      assert.equal(await store.countProcessDefinitions({ key: 'two_tasks' }), 1);
    } finally {
      runtime.close();
      await store.close();
    }
  });
});
