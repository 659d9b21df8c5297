/**
 * The external-task protocol over HTTP, Camunda's statuses and messages: fetchAndLock
 * (filters, long polling, capacity, disconnects), complete, failure, bpmnError,
 * extendLock, lock, unlock, retries; bad input, unknown ids, unknown topics, expired
 * locks and duplicate completions. The protocol core runs on SQLite and PostgreSQL.
 * Source: Camunda 7 REST "External Task", FetchAndLockHandlerImpl (long polling).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { call, deployFixtures, fetchTasks, list, obj, startProcess, startServer, until } from './helpers.js';
import type { Answer, TestServer } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fetchBody(topics: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { workerId: 'w1', maxTasks: 10, topics, ...extra };
}

function assertError(a: Answer, status: number, type: string, message: RegExp): void {
  assert.equal(a.status, status, a.text);
  assert.equal(a.headers.get('content-type'), 'application/json');
  const b = obj(a);
  assert.equal(b.type, type, a.text);
  assert.match(String(b.message), message);
  assert.equal(typeof b.code, 'number');
}

for (const kind of storeKinds()) {
  describe(`external task protocol [${kind.name}]`, () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer({ kind });
      await deployFixtures(server, 'order.bpmn');
    });
    afterEach(() => server.close());

    it('locks a task for one worker; completes it with 204; a second completion is 404; another worker gets 400', async () => {
      const pi = await startProcess(server, 'order', { businessKey: 'o-1' });
      const [task] = await fetchTasks(server, 'reserve', 'w1');
      assert.ok(task);
      assert.equal(task.workerId, 'w1');
      assert.deepEqual(await fetchTasks(server, 'reserve', 'w2'), [], 'a locked task is not offered again');
      assertError(await call(server, 'POST', `/external-task/${String(task.id)}/complete`, { json: { workerId: 'w2' } }), 400, 'InvalidRequestException', /locked by worker "w1"/);
      const done = await call(server, 'POST', `/external-task/${String(task.id)}/complete`, { json: { workerId: 'w1', variables: { reserved: { value: true, type: 'Boolean' } } } });
      assert.equal(done.status, 204);
      assert.equal(done.text, '');
      assertError(await call(server, 'POST', `/external-task/${String(task.id)}/complete`, { json: { workerId: 'w1' } }), 404, 'InvalidRequestException', /does not exist/);
      const [charge] = await fetchTasks(server, 'charge', 'w1');
      assert.equal(charge!.processInstanceId, pi);
    });

    it('long polling: a waiting fetch is answered as soon as a task is created', async () => {
      const t0 = Date.now();
      const waiting = call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 10_000 }], { asyncResponseTimeout: 20_000 }) });
      await until('the fetch to wait', () => server.runtime.notifier.waiting === 1);
      await startProcess(server, 'order');
      const a = await waiting;
      assert.equal(a.status, 200);
      assert.equal(list(a).length, 1);
      assert.ok(Date.now() - t0 < 10_000);
    });

    it('refuses a long poll over capacity with 500 as Camunda does, without dropping the held one', async () => {
      await server.close();
      server = await startServer({ kind, longPollCapacity: 1 });
      await deployFixtures(server, 'order.bpmn');
      const held = call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 10_000 }], { asyncResponseTimeout: 20_000 }) });
      await until('the first fetch to wait', () => server.runtime.notifier.waiting === 1);
      const refused = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 10_000 }], { workerId: 'w2', asyncResponseTimeout: 20_000 }) });
      assertError(refused, 500, 'InvalidRequestException', /^At the moment the server has to handle too many requests at the same time\. Please try again later\.$/);
      assert.equal(obj(refused).procosCode, 'PROCOS_API_TOO_MANY_LONG_POLLS');
      const immediate = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 10_000 }], { workerId: 'w3' }) });
      assert.equal(immediate.status, 200, 'requests without long polling are served');
      await startProcess(server, 'order');
      const a = await held;
      assert.equal(a.status, 200);
      assert.equal(list(a).length, 1, 'the held request gets the task');
    });
  });
}

describe('external task protocol: details and bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await deployFixtures(server, 'order.bpmn', 'nested.bpmn');
  });
  after(() => server.close());

  it('answers an unknown topic with [] at once, and a long poll with [] when its time is up', async () => {
    const now = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'no-such-topic', lockDuration: 1000 }]) });
    assert.equal(now.status, 200);
    assert.deepEqual(now.body, []);
    const t0 = Date.now();
    const later = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'no-such-topic', lockDuration: 1000 }], { asyncResponseTimeout: 300 }) });
    assert.deepEqual(later.body, []);
    assert.ok(Date.now() - t0 >= 250);
    assert.deepEqual((await call(server, 'POST', '/external-task/fetchAndLock', { json: { workerId: 'w', maxTasks: 5 } })).body, [], 'no topics: nothing');
  });

  it('stops waiting when the client disconnects and locks nothing for it', async () => {
    const req = httpRequest(`${server.url}/external-task/fetchAndLock`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.end(JSON.stringify(fetchBody([{ topicName: 'inner', lockDuration: 60_000 }], { workerId: 'gone', asyncResponseTimeout: 60_000 })));
    await until('the fetch to wait', () => server.runtime.notifier.waiting === 1);
    req.destroy();
    await until('the server to stop waiting', () => server.runtime.notifier.waiting === 0);
    await startProcess(server, 'nested', { variables: { owner: { value: 'ann' } } });
    await sleep(100);
    const tasks = list(await call(server, 'GET', '/external-task?topicName=inner'));
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0]!.workerId, null, 'the task is not locked for the disconnected worker');
    const [mine] = await fetchTasks(server, 'inner', 'present');
    assert.equal(mine!.workerId, 'present');
    await call(server, 'POST', `/external-task/${String(mine!.id)}/complete`, { json: { workerId: 'present' } });
  });

  it('answers waiting long polls with [] when the server closes, and closes promptly', async () => {
    const other = await startServer();
    const waiting = call(other, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'x', lockDuration: 1000 }], { asyncResponseTimeout: 60_000 }) });
    await until('the fetch to wait', () => other.runtime.notifier.waiting === 1);
    const t0 = Date.now();
    await other.close();
    const a = await waiting;
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, []);
    assert.ok(Date.now() - t0 < 5_000, 'close does not wait for the long poll to time out');
  });

  it('closes promptly while a client holds a connection it has not used yet', async () => {
    const other = await startServer();
    const socket = connect(Number(new URL(other.origin).port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    const t0 = Date.now();
    await other.close();
    await closed;
    assert.ok(Date.now() - t0 < 5_000, `close took ${Date.now() - t0} ms (the headers timeout is a minute)`);
  });

  it('refuses bad requests with 400 and a message naming the problem', async () => {
    const bad = (body: unknown): Promise<Answer> => call(server, 'POST', '/external-task/fetchAndLock', { json: body });
    assertError(await call(server, 'POST', '/external-task/fetchAndLock', { body: '{"workerId": "w",', headers: { 'content-type': 'application/json' } }), 400, 'InvalidRequestException', /not valid JSON/);
    assertError(await bad([1, 2]), 400, 'InvalidRequestException', /must be a JSON object/);
    assertError(await bad({ maxTasks: 1, topics: [] }), 400, 'InvalidRequestException', /workerId is required/);
    assertError(await bad({ workerId: 'w', topics: [] }), 400, 'InvalidRequestException', /maxTasks is required/);
    assertError(await bad({ workerId: 'w', maxTasks: 'ten', topics: [] }), 400, 'InvalidRequestException', /maxTasks must be an integer/);
    assertError(await bad(fetchBody([{ lockDuration: 10 }])), 400, 'InvalidRequestException', /topics\[0\]\.topicName is required/);
    assertError(await bad(fetchBody([{ topicName: 't', lockDuration: 0 }])), 400, 'InvalidRequestException', /lockDuration must be between 1/);
    assertError(await bad(fetchBody([{ topicName: 't', lockDuration: 10 }], { asyncResponseTimeout: 1_800_001 })), 400, 'InvalidRequestException', /cannot be set to a value greater than 1800000 milliseconds/);
    assertError(await bad(fetchBody([{ topicName: 't', lockDuration: 10, processVariables: 'a=1' }])), 400, 'InvalidRequestException', /processVariables must be an object/);
    assertError(await bad(fetchBody([{ topicName: 't', lockDuration: 10 }], { sorting: [{ sortBy: 'createTime', sortOrder: 'sideways' }] })), 400, 'InvalidRequestException', /sortOrder must be "asc" or "desc"/);
    assertError(await bad(fetchBody([{ topicName: 't', lockDuration: 10 }], { sorting: [{ sortBy: 'priority', sortOrder: 'asc' }] })), 400, 'InvalidRequestException', /sortBy must be "createTime"/);
    const ok = await bad(fetchBody([{ topicName: 't', lockDuration: 10, processVariables: {}, deserializeValues: true, includeExtensionProperties: true }], { sorting: [{ sortBy: 'createTime', sortOrder: 'asc' }], usePriority: true }));
    assert.equal(ok.status, 200);
  });

  it('filters by definition (key, keyIn, version tag, id list), business key; returns named or local variables; orders by priority', async () => {
    const a = await startProcess(server, 'order', { businessKey: 'bk-a', variables: { amount: { value: 10, type: 'Integer' }, secret: { value: 's' } } });
    const b = await startProcess(server, 'order', { businessKey: 'bk-b' });
    const take = async (topic: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> => {
      const r = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 50, ...topic }], { workerId: `f${Math.random()}`, ...extra }) });
      assert.equal(r.status, 200, r.text);
      return list(r);
    };
    const unlockAll = async (tasks: Record<string, unknown>[]): Promise<void> => {
      for (const t of tasks) assert.equal((await call(server, 'POST', `/external-task/${String(t.id)}/unlock`)).status, 204);
    };
    let got = await take({ businessKey: 'bk-b' });
    assert.deepEqual(got.map((t) => t.processInstanceId), [b]);
    await unlockAll(got);
    got = await take({ processDefinitionVersionTag: '2.0' });
    assert.deepEqual(got, []);
    got = await take({ processDefinitionVersionTag: '1.0', processDefinitionKeyIn: ['order', 'other'], variables: ['amount'] });
    assert.deepEqual(got.map((t) => t.processInstanceId).sort(), [a, b].sort());
    const ofA = got.find((t) => t.processInstanceId === a)!;
    assert.deepEqual(ofA.variables, { amount: { type: 'Integer', value: 10, valueInfo: {} } });
    assert.equal(ofA.processDefinitionVersionTag, '1.0');
    assert.equal(ofA.businessKey, 'bk-a');
    await unlockAll(got);
    const defId = String(obj(await call(server, 'GET', '/process-definition/key/order')).id);
    got = await take({ processDefinitionIdIn: ['nope', defId], localVariables: true });
    assert.equal(got.length, 2);
    assert.deepEqual(got[0]!.variables, {}, 'the task scope has no local variables');
    await unlockAll(got);
    got = await take({ processDefinitionIdIn: ['nope'] });
    assert.deepEqual(got, []);
    got = await take({ tenantIdIn: ['acme'] });
    assert.deepEqual(got, []);
    got = await take({ withoutTenantId: true });
    assert.equal(got.length, 2);
    for (const t of got) await call(server, 'POST', `/external-task/${String(t.id)}/complete`, { json: { workerId: String(t.workerId) } });
    const charges = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'charge', lockDuration: 60_000 }, { topicName: 'inner', lockDuration: 60_000 }], { usePriority: true, maxTasks: 1 }) });
    assert.equal(list(charges)[0]!.topicName, 'charge', 'priority 5 comes before priority 0');
    assert.equal(list(charges)[0]!.priority, 5);
  });

  it('processVariables: only tasks whose instance has those process variable values are locked', async () => {
    const region = (r: unknown, n: unknown): Record<string, unknown> => ({ variables: { region: { value: r }, n: { value: n } } });
    const eu = await startProcess(server, 'order', region('eu', 1));
    const us = await startProcess(server, 'order', region('us', 2));
    const eu2 = await startProcess(server, 'order', region('eu', 2));
    const take = async (processVariables: Record<string, unknown>): Promise<string[]> => {
      const r = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 60_000, processVariables }], { workerId: 'pv' }) });
      assert.equal(r.status, 200, r.text);
      return list(r).map((t) => String(t.processInstanceId));
    };
    assert.deepEqual(await take({ region: 'eu', n: 2 }), [eu2]);
    assert.deepEqual(await take({ region: 'mars' }), []);
    assert.deepEqual((await take({ region: 'eu' })).sort(), [eu]);
    const left = list(await call(server, 'GET', '/external-task?topicName=reserve&notLocked=true')).map((t) => t.processInstanceId);
    assert.deepEqual(left, [us], 'non-matching tasks were never locked');
    assert.deepEqual(await take({ region: 'us', n: '2' }), [], 'values compare with their JSON type');
    assert.deepEqual(await take({ region: 'us', n: 2 }), [us]);
    for (const t of list(await call(server, 'GET', '/external-task?topicName=reserve&workerId=pv'))) {
      await call(server, 'POST', `/external-task/${String(t.id)}/complete`, { json: { workerId: 'pv' } });
    }
  });

  it('sorting by createTime desc fetches the newest task first; asc the oldest', async () => {
    const first = await startProcess(server, 'order', { businessKey: 'sort-1' });
    await sleep(5);
    const second = await startProcess(server, 'order', { businessKey: 'sort-2' });
    const take = async (sortOrder: string): Promise<string> => {
      const r = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'reserve', lockDuration: 60_000 }], { workerId: 'sorter', maxTasks: 1, sorting: [{ sortBy: 'createTime', sortOrder }] }) });
      assert.equal(r.status, 200, r.text);
      const [t] = list(r);
      await call(server, 'POST', `/external-task/${String(t!.id)}/unlock`);
      return String(t!.processInstanceId);
    };
    assert.equal(await take('desc'), second);
    assert.equal(await take('asc'), first);
    for (const t of await fetchTasks(server, 'reserve', 'sorter')) await call(server, 'POST', `/external-task/${String(t.id)}/complete`, { json: { workerId: 'sorter' } });
  });

  it('extendLock, lock and unlock with Camunda statuses; expired locks', async () => {
    await startProcess(server, 'nested', { variables: { owner: { value: 'bob' } } });
    const short = await call(server, 'POST', '/external-task/fetchAndLock', { json: fetchBody([{ topicName: 'inner', lockDuration: 60 }]) });
    const t = list(short)[0]!;
    const id = String(t.id);
    assert.equal((await call(server, 'POST', `/external-task/${id}/extendLock`, { json: { workerId: 'w1', newDuration: 60_000 } })).status, 204);
    assertError(await call(server, 'POST', `/external-task/${id}/extendLock`, { json: { workerId: 'w2', newDuration: 1000 } }), 400, 'InvalidRequestException', /locked by worker "w1"/);
    assertError(await call(server, 'POST', `/external-task/${id}/extendLock`, { json: { workerId: 'w1' } }), 400, 'InvalidRequestException', /newDuration is required/);
    assert.equal((await call(server, 'POST', `/external-task/${id}/lock`, { json: { workerId: 'w1', lockDuration: 50 } })).status, 204, 'the holder may lock again: a new duration from now');
    assertError(await call(server, 'POST', `/external-task/${id}/lock`, { json: { workerId: 'w2', lockDuration: 1000 } }), 400, 'InvalidRequestException', /already locked by worker "w1"/);
    await sleep(80);
    assertError(await call(server, 'POST', `/external-task/${id}/extendLock`, { json: { workerId: 'w1', newDuration: 1000 } }), 400, 'InvalidRequestException', /expired/);
    // the lock expired: the task is offered again (at least once), and the new holder wins
    const [again] = await fetchTasks(server, 'inner', 'w2');
    assert.equal(again!.id, id);
    assertError(await call(server, 'POST', `/external-task/${id}/complete`, { json: { workerId: 'w1' } }), 400, 'InvalidRequestException', /locked by worker "w2"/);
    // unlock: no body and no content type, as camunda-external-task-client-js sends it
    const res = await fetch(`${server.url}/external-task/${id}/unlock`, { method: 'POST' });
    assert.equal(res.status, 204);
    assert.equal(obj(await call(server, 'GET', `/external-task/${id}`)).workerId, null);
    // lock by id: an unlocked task is locked for the worker, in one guarded statement
    assert.equal((await call(server, 'POST', `/external-task/${id}/lock`, { json: { workerId: 'w3', lockDuration: 60_000 } })).status, 204);
    const locked = obj(await call(server, 'GET', `/external-task/${id}`));
    assert.equal(locked.workerId, 'w3');
    assert.ok(Date.parse(String(locked.lockExpirationTime).replace('+0000', 'Z')) > Date.now() + 50_000);
    assert.deepEqual(await fetchTasks(server, 'inner', 'w4'), [], 'a task locked by id is not fetched by others');
    assertError(await call(server, 'POST', `/external-task/${id}/lock`, { json: { workerId: 'w4', lockDuration: 1000 } }), 400, 'InvalidRequestException', /already locked by worker "w3"/);
    assertError(await call(server, 'POST', `/external-task/${id}/lock`, { json: { workerId: 'w4' } }), 400, 'InvalidRequestException', /lockDuration is required/);
    assertError(await call(server, 'POST', '/external-task/nope/lock', { json: { workerId: 'w4', lockDuration: 1000 } }), 404, 'InvalidRequestException', /does not exist/);
    assert.equal((await call(server, 'POST', `/external-task/${id}/complete`, { json: { workerId: 'w3' } })).status, 204);
    assertError(await call(server, 'POST', '/external-task/nope/unlock'), 404, 'InvalidRequestException', /does not exist/);
    assertError(await call(server, 'POST', '/external-task/nope/extendLock', { json: { workerId: 'w', newDuration: 5 } }), 404, 'InvalidRequestException', /does not exist/);
    assertError(await call(server, 'GET', '/external-task/nope'), 404, 'InvalidRequestException', /does not exist/);
  });

  it('failure, bpmnError and retries: statuses, validation, and the incident at 0 retries', async () => {
    const pi = await startProcess(server, 'order');
    const [r] = await fetchTasks(server, 'reserve', 'w1');
    const id = String(r!.id);
    assertError(await call(server, 'POST', `/external-task/${id}/failure`, { json: { workerId: 'w1', retries: -1 } }), 400, 'InvalidRequestException', /retries must be between 0/);
    assertError(await call(server, 'POST', `/external-task/${id}/failure`, { json: { workerId: 'intruder', retries: 1 } }), 400, 'InvalidRequestException', /locked by worker "w1"/);
    assertError(await call(server, 'POST', `/external-task/${id}/bpmnError`, { json: { workerId: 'w1' } }), 400, 'InvalidRequestException', /errorCode is required/);
    // failure with variables: they are set on the instance
    const failed = await call(server, 'POST', `/external-task/${id}/failure`, {
      json: { workerId: 'w1', errorMessage: 'out of stock', errorDetails: 'sku 7', retries: 0, retryTimeout: 0, variables: { attempt: { value: 1, type: 'Integer' } } },
    });
    assert.equal(failed.status, 204, failed.text);
    const incidents = list(await call(server, 'GET', `/incident?processInstanceId=${pi}`));
    assert.equal(incidents.length, 1);
    assert.equal(obj(await call(server, 'GET', `/process-instance/${pi}/variables/attempt`)).value, 1);
    assert.deepEqual(await fetchTasks(server, 'reserve', 'w1'), [], 'no retries left');
    assertError(await call(server, 'PUT', `/external-task/${id}/retries`, { json: {} }), 400, 'InvalidRequestException', /retries is required/);
    assertError(await call(server, 'PUT', `/external-task/${id}/retries`, { json: { retries: -2 } }), 400, 'InvalidRequestException', /retries must be between 0/);
    assertError(await call(server, 'PUT', '/external-task/nope/retries', { json: { retries: 2 } }), 404, 'InvalidRequestException', /does not exist/);
    assert.equal((await call(server, 'PUT', `/external-task/${id}/retries`, { json: { retries: 2 } })).status, 204);
    assert.deepEqual(list(await call(server, 'GET', `/incident?processInstanceId=${pi}`)), [], 'new retries resolve the incident');
    const [again] = await fetchTasks(server, 'reserve', 'w1');
    assert.equal(again!.retries, 2);
    assert.equal(again!.errorMessage, 'out of stock');
    assert.equal(again!.errorDetails, 'sku 7');
    await call(server, 'POST', `/external-task/${id}/complete`, { json: { workerId: 'w1' } });
    // a BPMN error caught by the boundary event of "charge" leads to the user task
    const c = (await fetchTasks(server, 'charge', 'w1')).find((t) => t.processInstanceId === pi);
    const err = await call(server, 'POST', `/external-task/${String(c!.id)}/bpmnError`, { json: { workerId: 'w1', errorCode: 'DECLINED', errorMessage: 'card expired', variables: { reason: { value: 'expired' } } } });
    assert.equal(err.status, 204, err.text);
    const tasks = list(await call(server, 'GET', `/task?processInstanceId=${pi}`));
    assert.deepEqual(tasks.map((t) => t.taskDefinitionKey), ['review']);
    const vars = obj(await call(server, 'GET', `/process-instance/${pi}/variables`));
    assert.equal((vars.errorCode as Record<string, unknown>).value, 'DECLINED');
    assert.equal((vars.errorMessage as Record<string, unknown>).value, 'card expired');
    assert.equal((vars.reason as Record<string, unknown>).value, 'expired');
  });

  it('refuses typed variables that do not fit their type, and changes nothing', async () => {
    await startProcess(server, 'nested', { variables: { owner: { value: 'cy' } } });
    const [t] = await fetchTasks(server, 'inner', 'w1');
    const a = await call(server, 'POST', `/external-task/${String(t!.id)}/complete`, { json: { workerId: 'w1', variables: { n: { value: 'many', type: 'Integer' } } } });
    assertError(a, 400, 'InvalidRequestException', /variable 'n' of type 'Integer'/);
    assert.equal(obj(a).procosCode, 'PROCOS_API_INVALID_VARIABLE');
    assert.equal(obj(await call(server, 'GET', `/external-task/${String(t!.id)}`)).workerId, 'w1', 'still there, still locked');
    await call(server, 'POST', `/external-task/${String(t!.id)}/complete`, { json: { workerId: 'w1' } });
  });
});
