/**
 * camunda-external-task-client-js 3.1 (Camunda's own JavaScript worker, unchanged)
 * against a ProcOS server: long polling, variables of every type both ways, File
 * variables read back through `/execution/{id}/localVariables/{name}/data`, failures
 * with retries and retryTimeout until an incident, BPMN errors caught by a boundary
 * event, and extendLock on a slow task.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, File, Variables } from 'camunda-external-task-client-js';
import type { Task } from 'camunda-external-task-client-js';
import { call, deployFixtures, fetchTasks, list, obj, startProcess, startServer, until } from './helpers.js';
import type { TestServer } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function processState(server: TestServer, id: string): Promise<string> {
  return String(obj(await call(server, 'GET', `/history/process-instance/${id}`)).state);
}

describe('camunda-external-task-client-js against ProcOS', () => {
  let server: TestServer;
  let dir: string;
  const clients: Client[] = [];
  const errors: unknown[] = [];

  function client(workerId: string, lockDuration = 20_000): Client {
    const c = new Client({ baseUrl: server.url, workerId, asyncResponseTimeout: 1_000, interval: 20, lockDuration, autoPoll: false, maxTasks: 5 });
    for (const ev of ['poll:error', 'complete:error', 'handleFailure:error', 'handleBpmnError:error', 'extendLock:error', 'handler:error']) {
      c.on(ev, (...args: unknown[]) => errors.push([ev, ...args]));
    }
    clients.push(c);
    return c;
  }

  before(async () => {
    server = await startServer();
    await deployFixtures(server, 'worker.bpmn', 'flaky.bpmn');
    dir = await mkdtemp(join(tmpdir(), 'procos-client-'));
  });

  after(async () => {
    for (const c of clients) c.stop();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a process end to end: every variable type, File content, a caught BPMN error, an extended lock', async () => {
    const reportPath = join(dir, 'report.txt');
    await writeFile(reportPath, 'quarterly report ✓');
    const seen: Record<string, unknown> = {};
    let slowTaskId = '';
    let lockAfterExtend = '';
    let stolen: Record<string, unknown>[] = [];
    const c = client('js-worker');

    c.subscribe('produce', {}, async ({ task, taskService }) => {
      const report = new File({ localPath: reportPath, mimetype: 'text/plain', encoding: 'utf-8' });
      await report.load();
      const vars = new Variables()
        .set('text', 'hello')
        .set('count', 42)
        .set('big', 2 ** 40)
        .set('ratio', 0.75)
        .set('flag', true)
        .set('when', new Date(Date.UTC(2026, 4, 17, 8, 30)))
        .set('order', { id: 'A-1', items: [{ sku: 'x', qty: 2 }] })
        .set('nothing', null)
        .set('report', report)
        .setTyped('raw', { type: 'Bytes', value: Buffer.from([1, 2, 3]).toString('base64') })
        .setTyped('legacy', { type: 'Object', value: '{"k":1}', valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'com.example.K' } });
      await taskService.complete(task, vars);
    });

    c.subscribe('consume', {}, async ({ task, taskService }) => {
      for (const name of ['text', 'count', 'big', 'ratio', 'flag', 'when', 'order', 'nothing', 'raw', 'legacy']) seen[name] = task.variables.getTyped(name);
      const file = task.variables.get('report') as InstanceType<typeof File>;
      await file.load();
      seen.reportContent = Buffer.from(file.content).toString('utf8');
      seen.reportName = file.filename;
      seen.reportMime = file.mimeType;
      await taskService.complete(task);
    });

    c.subscribe('risky', {}, async ({ task, taskService }) => {
      await taskService.handleBpmnError(task, 'E_RISKY', 'card declined', new Variables().set('declinedAt', 'checkout'));
    });

    c.subscribe('recover', {}, async ({ task, taskService }) => {
      seen.riskCode = task.variables.get('riskCode');
      seen.riskMessage = task.variables.get('riskMessage');
      seen.declinedAt = task.variables.get('declinedAt');
      await taskService.complete(task);
    });

    c.subscribe('slow', { lockDuration: 300 }, async ({ task, taskService }) => {
      slowTaskId = task.id;
      await taskService.extendLock(task, 30_000);
      await sleep(600); // well past the first lock of 300 ms
      lockAfterExtend = String(obj(await call(server, 'GET', `/external-task/${task.id}`)).lockExpirationTime);
      stolen = await fetchTasks(server, 'slow', 'thief');
      await taskService.complete(task);
    });

    c.start();
    const id = await startProcess(server, 'worker', { businessKey: 'js-1' });
    await until('the worker process to complete', async () => (await processState(server, id)) === 'COMPLETED', 20_000);
    assert.deepEqual(errors, []);

    assert.deepEqual(seen.text, { type: 'string', value: 'hello', valueInfo: {} });
    assert.deepEqual(seen.count, { type: 'integer', value: 42, valueInfo: {} });
    assert.deepEqual(seen.big, { type: 'long', value: 2 ** 40, valueInfo: {} });
    assert.deepEqual(seen.ratio, { type: 'double', value: 0.75, valueInfo: {} });
    assert.deepEqual(seen.flag, { type: 'boolean', value: true, valueInfo: {} });
    const when = seen.when as { type: string; value: Date };
    assert.equal(when.type, 'date');
    assert.equal(when.value.toISOString(), '2026-05-17T08:30:00.000Z');
    assert.deepEqual(seen.order, { type: 'json', value: { id: 'A-1', items: [{ sku: 'x', qty: 2 }] }, valueInfo: {} });
    assert.deepEqual(seen.nothing, { type: 'null', value: null, valueInfo: {} });
    assert.deepEqual(seen.raw, { type: 'bytes', value: 'AQID', valueInfo: {} });
    assert.deepEqual(seen.legacy, { type: 'json', value: { k: 1 }, valueInfo: {} });
    assert.equal(seen.reportContent, 'quarterly report ✓');
    assert.equal(seen.reportName, 'report.txt');
    assert.equal(seen.reportMime, 'text/plain');
    assert.equal(seen.riskCode, 'E_RISKY');
    assert.equal(seen.riskMessage, 'card declined');
    assert.equal(seen.declinedAt, 'checkout');

    assert.notEqual(slowTaskId, '');
    assert.ok(Date.parse(lockAfterExtend.replace('+0000', 'Z')) > Date.now() + 20_000, `lock was extended: ${lockAfterExtend}`);
    assert.deepEqual(stolen, [], 'an extended lock is not offered to another worker');

    // history shows the route through the boundary event
    const acts = list(await call(server, 'GET', `/history/activity-instance?processInstanceId=${id}&sortBy=startTime&sortOrder=asc`));
    const ids = acts.map((a) => a.activityId);
    for (const el of ['produce', 'consume', 'risky', 'riskFailed', 'recover', 'slow', 'end']) assert.ok(ids.includes(el), `${el} in ${ids.join(',')}`);
    assert.equal(acts.find((a) => a.activityId === 'risky')!.canceled, true);
  });

  it('fails with retries and retryTimeout until an incident appears; new retries let it run again', async () => {
    const attempts: { retries: number | null; at: number }[] = [];
    let succeedNow = false;
    const c = client('flaky-worker');
    c.subscribe('flaky', {}, async ({ task, taskService }: { task: Task; taskService: import('camunda-external-task-client-js').TaskService }) => {
      attempts.push({ retries: task.retries, at: Date.now() });
      if (succeedNow) return taskService.complete(task);
      const retries = task.retries === null ? 2 : task.retries - 1;
      await taskService.handleFailure(task, { errorMessage: 'payment service down', errorDetails: 'ECONNREFUSED 10.0.0.7:443', retries, retryTimeout: 200 });
    });
    c.start();
    const id = await startProcess(server, 'flaky');
    await until('an incident', async () => list(await call(server, 'GET', `/incident?processInstanceId=${id}`)).length === 1, 20_000);
    assert.deepEqual(errors, []);
    assert.deepEqual(attempts.map((a) => a.retries), [null, 2, 1]);
    for (let i = 1; i < attempts.length; i++) assert.ok(attempts[i]!.at - attempts[i - 1]!.at >= 180, `retryTimeout respected between attempts ${i - 1} and ${i}`);
    const incident = list(await call(server, 'GET', `/incident?processInstanceId=${id}`))[0]!;
    assert.equal(incident.incidentType, 'failedExternalTask');
    assert.equal(incident.incidentMessage, 'payment service down');
    assert.equal(incident.activityId, 'flakyTask');
    const taskId = String(incident.configuration);
    const task = obj(await call(server, 'GET', `/external-task/${taskId}`));
    assert.equal(task.retries, 0);
    assert.equal(task.errorMessage, 'payment service down');
    const details = await call(server, 'GET', `/external-task/${taskId}/errorDetails`);
    assert.equal(details.text, 'ECONNREFUSED 10.0.0.7:443');
    await sleep(300);
    assert.equal(attempts.length, 3, 'no retries left: the task is not fetched again');

    succeedNow = true;
    const r = await call(server, 'PUT', `/external-task/${taskId}/retries`, { json: { retries: 1 } });
    assert.equal(r.status, 204);
    await until('the flaky process to complete', async () => (await processState(server, id)) === 'COMPLETED', 20_000);
    const hist = list(await call(server, 'GET', `/history/incident?processInstanceId=${id}`));
    assert.equal(hist.length, 1);
    assert.equal(hist[0]!.resolved, true);
    assert.equal(hist[0]!.open, false);
  });
});
