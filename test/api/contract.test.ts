/**
 * Contract tests: every implemented route, driven over HTTP with valid Camunda requests
 * and answered with bodies that validate against Camunda's OpenAPI description (7.15
 * file + 7.2x additions, see contract.ts). Errors validate against ExceptionDto. The
 * last test checks that every operation of the contract was exercised.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Contract } from './contract.js';
import { call, deployFixtures, fixture, list, obj, startServer } from './helpers.js';
import type { Answer, CallOptions, TestServer } from './helpers.js';
import { MESSAGES_BPMN } from './message-fixtures.js';

const FULL_OPENAPI = '/work/shared/contracts/camunda7-openapi.json';

describe('Camunda OpenAPI contract', () => {
  let server: TestServer;
  const contract = new Contract();
  const ids: Record<string, string> = {};

  /**
   * One exchange: validates the JSON request body (unless `bad`: a deliberately invalid
   * request) and the response of `METHOD specPath`.
   */
  async function x(method: string, specPath: string, path: string, options: CallOptions & { bad?: boolean } = {}): Promise<Answer> {
    if (options.json !== undefined && options.bad !== true) contract.request(method, specPath, options.json);
    const a = await call(server, method, path, options);
    contract.response(method, specPath, a);
    return a;
  }

  before(async () => {
    server = await startServer();
    await deployFixtures(server, 'nested.bpmn', 'flaky.bpmn');
  });
  after(() => server.close());

  it('engine, version', async () => {
    assert.equal((await x('GET', '/version', '/version')).status, 200);
    assert.equal((await x('GET', '/engine', '/engine')).status, 200);
  });

  it('deployment: create, list, count, get, delete', async () => {
    const form = new FormData();
    form.append('deployment-name', 'contract');
    form.append('deployment-source', 'test');
    form.append('order.bpmn', new Blob([await fixture('order.bpmn')], { type: 'text/xml' }), 'order.bpmn');
    const res = await fetch(`${server.url}/deployment/create`, { method: 'POST', body: form });
    const created = { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
    contract.response('POST', '/deployment/create', created);
    assert.equal(created.status, 200);
    ids.deployment = String((created.body as Record<string, unknown>).id);
    assert.equal(list(await x('GET', '/deployment', '/deployment?name=contract&sortBy=name&sortOrder=asc&firstResult=0&maxResults=5')).length, 1);
    assert.deepEqual((await x('GET', '/deployment/count', '/deployment/count?nameLike=con%25')).body, { count: 1 });
    assert.equal(obj(await x('GET', '/deployment/{id}', `/deployment/${ids.deployment}`)).name, 'contract');
    assert.equal((await x('GET', '/deployment/{id}', '/deployment/nope')).status, 404);
    assert.equal((await x('DELETE', '/deployment/{id}', '/deployment/nope')).status, 404);
  });

  it('process definitions: list, count, get, key, xml, start', async () => {
    const defs = list(await x('GET', '/process-definition', '/process-definition?latestVersion=true&sortBy=key&sortOrder=asc'));
    assert.deepEqual(defs.map((d) => d.key), ['flaky', 'nested', 'order']);
    assert.deepEqual((await x('GET', '/process-definition/count', '/process-definition/count?key=order')).body, { count: 1 });
    const order = obj(await x('GET', '/process-definition/key/{key}', '/process-definition/key/order'));
    ids.definition = String(order.id);
    assert.equal(obj(await x('GET', '/process-definition/{id}', `/process-definition/${ids.definition}`)).key, 'order');
    assert.match(String(obj(await x('GET', '/process-definition/key/{key}/xml', '/process-definition/key/order/xml')).bpmn20Xml), /<bpmn:process id="order"/);
    assert.equal((await x('GET', '/process-definition/{id}/xml', `/process-definition/${ids.definition}/xml`)).status, 200);
    const started = await x('POST', '/process-definition/{id}/start', `/process-definition/${ids.definition}/start`, {
      json: { businessKey: 'c-1', variables: { amount: { value: 9.5, type: 'Double' }, customer: { value: '{"name":"Ann"}', type: 'Json' } }, withVariablesInReturn: true },
    });
    assert.equal(started.status, 200);
    ids.instance = String(obj(started).id);
    assert.deepEqual((obj(started).variables as Record<string, unknown>).customer, { type: 'Json', value: '{"name":"Ann"}', valueInfo: {} });
    const nested = await x('POST', '/process-definition/key/{key}/start', '/process-definition/key/nested/start', {
      json: { businessKey: 'n-1', variables: { owner: { value: 'ann', type: 'String' }, report: { value: 'aGVsbG8=', type: 'File', valueInfo: { filename: 'r.txt', mimeType: 'text/plain' } } } },
    });
    ids.nested = String(obj(nested).id);
    assert.equal((await x('POST', '/process-definition/key/{key}/start', '/process-definition/key/nope/start', { json: {} })).status, 404);
    assert.equal((await x('POST', '/process-definition/{id}/start', `/process-definition/${ids.definition}/start`, { json: { variables: { n: { value: 'x', type: 'Integer' } } } })).status, 400);
  });

  it('process instances: list, count, get, variables, data, activity instances', async () => {
    assert.equal(list(await x('GET', '/process-instance', '/process-instance?businessKey=c-1&active=true')).length, 1);
    assert.deepEqual((await x('GET', '/process-instance/count', '/process-instance/count?processDefinitionKey=order')).body, { count: 1 });
    assert.equal(obj(await x('GET', '/process-instance/{id}', `/process-instance/${ids.instance}`)).businessKey, 'c-1');
    assert.equal((await x('GET', '/process-instance/{id}', '/process-instance/nope')).status, 404);
    const vars = obj(await x('GET', '/process-instance/{id}/variables', `/process-instance/${ids.nested}/variables?deserializeValues=false`));
    assert.deepEqual(vars.report, { type: 'File', value: null, valueInfo: { filename: 'r.txt', mimeType: 'text/plain', encoding: null } });
    assert.equal(obj(await x('GET', '/process-instance/{id}/variables/{varName}', `/process-instance/${ids.nested}/variables/owner`)).value, 'ann');
    assert.equal((await x('GET', '/process-instance/{id}/variables/{varName}', `/process-instance/${ids.nested}/variables/nope`)).status, 404);
    const data = await x('GET', '/process-instance/{id}/variables/{varName}/data', `/process-instance/${ids.nested}/variables/report/data`);
    assert.equal(data.text, 'hello');
    assert.equal(data.headers.get('content-type'), 'text/plain');
    assert.match(String(data.headers.get('content-disposition')), /filename="r.txt"/);
    assert.equal((await x('GET', '/process-instance/{id}/variables/{varName}/data', `/process-instance/${ids.nested}/variables/owner/data`)).status, 400);
    const exec = await x('GET', '/execution/{id}/localVariables/{varName}/data', `/execution/${ids.nested}/localVariables/report/data`);
    assert.equal(exec.text, 'hello');
    const tree = obj(await x('GET', '/process-instance/{id}/activity-instances', `/process-instance/${ids.nested}/activity-instances`));
    assert.equal(tree.activityType, 'processDefinition');
    const sub = (tree.childActivityInstances as Record<string, unknown>[])[0]!;
    assert.equal(sub.activityId, 'sub');
    assert.equal(sub.activityType, 'subProcess');
    assert.deepEqual((sub.childActivityInstances as Record<string, unknown>[]).map((c) => [c.activityId, c.activityType, c.activityName]), [['inner', 'serviceTask', 'Inner task']]);
  });

  it('external tasks: fetchAndLock, list, count, get, complete, failure, bpmnError, extendLock, lock, unlock, retries, errorDetails', async () => {
    const fetch = { workerId: 'cw', maxTasks: 5, usePriority: true, asyncResponseTimeout: 100, topics: [{ topicName: 'reserve', lockDuration: 60_000, variables: ['amount', 'customer'], processDefinitionKey: 'order' }] };
    const tasks = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: fetch }));
    assert.equal(tasks.length, 1);
    const t = String(tasks[0]!.id);
    assert.deepEqual(Object.keys(tasks[0]!.variables as object).sort(), ['amount', 'customer']);
    assert.equal((await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 'x' }, bad: true })).status, 400);
    assert.equal(list(await x('GET', '/external-task', '/external-task?topicName=reserve&locked=true&sortBy=createTime&sortOrder=desc')).length, 1);
    assert.deepEqual((await x('GET', '/external-task/count', '/external-task/count?workerId=cw')).body, { count: 1 });
    assert.equal(obj(await x('GET', '/external-task/{id}', `/external-task/${t}`)).workerId, 'cw');
    assert.equal((await x('GET', '/external-task/{id}', '/external-task/nope')).status, 404);
    assert.equal((await x('POST', '/external-task/{id}/extendLock', `/external-task/${t}/extendLock`, { json: { workerId: 'cw', newDuration: 30_000 } })).status, 204);
    assert.equal((await x('POST', '/external-task/{id}/lock', `/external-task/${t}/lock`, { json: { workerId: 'cw', lockDuration: 30_000 } })).status, 204);
    assert.equal((await x('POST', '/external-task/{id}/lock', `/external-task/${t}/lock`, { json: { workerId: 'other', lockDuration: 30_000 } })).status, 400);
    assert.equal((await x('POST', '/external-task/{id}/failure', `/external-task/${t}/failure`, { json: { workerId: 'cw', errorMessage: 'down', errorDetails: 'trace', retries: 0, retryTimeout: 0 } })).status, 204);
    const details = await x('GET', '/external-task/{id}/errorDetails', `/external-task/${t}/errorDetails`);
    assert.equal(details.text, 'trace');
    assert.equal((await x('PUT', '/external-task/{id}/retries', `/external-task/${t}/retries`, { json: { retries: 3 } })).status, 204);
    assert.equal((await x('PUT', '/external-task/{id}/retries', '/external-task/nope/retries', { json: { retries: 3 } })).status, 404);
    const again = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 1, topics: [{ topicName: 'reserve', lockDuration: 1000 }] } }));
    assert.equal(again[0]!.retries, 3);
    assert.equal((await x('POST', '/external-task/{id}/unlock', `/external-task/${t}/unlock`)).status, 204);
    const third = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 1, topics: [{ topicName: 'reserve', lockDuration: 1000 }] } }));
    assert.equal(third[0]!.id, t);
    const done = await x('POST', '/external-task/{id}/complete', `/external-task/${t}/complete`, {
      json: { workerId: 'cw', variables: { reserved: { value: true, type: 'Boolean' } }, localVariables: { note: { value: 'x', type: 'String' } } },
    });
    assert.equal(done.status, 204);
    assert.equal((await x('POST', '/external-task/{id}/complete', `/external-task/${t}/complete`, { json: { workerId: 'cw' } })).status, 404);
    const charge = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 1, topics: [{ topicName: 'charge', lockDuration: 1000 }] } }))[0]!;
    const err = await x('POST', '/external-task/{id}/bpmnError', `/external-task/${String(charge.id)}/bpmnError`, { json: { workerId: 'cw', errorCode: 'DECLINED', errorMessage: 'no', variables: { why: { value: 'limit' } } } });
    assert.equal(err.status, 204);
    assert.equal((await x('POST', '/external-task/{id}/bpmnError', `/external-task/${String(charge.id)}/bpmnError`, { json: { workerId: 'cw', errorCode: 'DECLINED' } })).status, 404);
  });

  it('user tasks: list, count, get, claim, unclaim, complete', async () => {
    const tasks = list(await x('GET', '/task', `/task?processInstanceId=${ids.instance}&candidateGroup=billing&sortBy=created&sortOrder=asc`));
    assert.deepEqual(tasks.map((t) => t.taskDefinitionKey), ['review']);
    const id = String(tasks[0]!.id);
    assert.deepEqual((await x('GET', '/task/count', `/task/count?processInstanceId=${ids.instance}`)).body, { count: 1 });
    assert.equal(obj(await x('GET', '/task/{id}', `/task/${id}`)).name, 'Review declined payment');
    assert.equal((await x('GET', '/task/{id}', '/task/nope')).status, 404);
    assert.equal((await x('POST', '/task/{id}/unclaim', `/task/${id}/unclaim`)).status, 204);
    assert.equal((await x('POST', '/task/{id}/claim', `/task/${id}/claim`, { json: { userId: 'ann' } })).status, 204);
    assert.equal(obj(await x('GET', '/task/{id}', `/task/${id}`)).assignee, 'ann');
    assert.equal((await x('POST', '/task/{id}/unclaim', `/task/${id}/unclaim`)).status, 204);
    assert.equal(obj(await x('GET', '/task/{id}', `/task/${id}`)).assignee, null);
    const done = await x('POST', '/task/{id}/complete', `/task/${id}/complete`, { json: { variables: { approved: { value: false, type: 'Boolean' } }, withVariablesInReturn: true } });
    assert.equal(done.status, 200);
    assert.equal((await x('POST', '/task/{id}/complete', `/task/${id}/complete`, { json: {} })).status, 404);
    // the nested process's user task has an assignee (${owner})
    const inner = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 1, topics: [{ topicName: 'inner', lockDuration: 1000 }] } }))[0]!;
    await x('POST', '/external-task/{id}/complete', `/external-task/${String(inner.id)}/complete`, { json: { workerId: 'cw' } });
    const approve = list(await x('GET', '/task', `/task?processInstanceId=${ids.nested}`))[0]!;
    assert.equal(approve.assignee, 'ann');
    assert.equal((await x('POST', '/task/{id}/claim', `/task/${String(approve.id)}/claim`, { json: { userId: 'ann' } })).status, 204);
    const claimed = await x('POST', '/task/{id}/claim', `/task/${String(approve.id)}/claim`, { json: { userId: 'bob' } });
    assert.equal(claimed.status, 500);
    assert.equal(obj(claimed).type, 'TaskAlreadyClaimedException');
    assert.equal((await x('POST', '/task/{id}/complete', `/task/${String(approve.id)}/complete`, { json: {} })).status, 204);
  });

  it('incidents: list, count, get, annotation', async () => {
    const started = obj(await x('POST', '/process-definition/key/{key}/start', '/process-definition/key/flaky/start', { json: {} }));
    ids.flaky = String(started.id);
    const t = list(await x('POST', '/external-task/fetchAndLock', '/external-task/fetchAndLock', { json: { workerId: 'cw', maxTasks: 1, topics: [{ topicName: 'flaky', lockDuration: 1000 }] } }))[0]!;
    await x('POST', '/external-task/{id}/failure', `/external-task/${String(t.id)}/failure`, { json: { workerId: 'cw', errorMessage: 'boom', retries: 0 } });
    const incidents = list(await x('GET', '/incident', `/incident?processInstanceId=${ids.flaky}&sortBy=incidentTimestamp&sortOrder=asc`));
    assert.equal(incidents.length, 1);
    ids.incident = String(incidents[0]!.id);
    assert.deepEqual((await x('GET', '/incident/count', '/incident/count?incidentType=failedExternalTask')).body, { count: 1 });
    assert.equal(obj(await x('GET', '/incident/{id}', `/incident/${ids.incident}`)).incidentMessage, 'boom');
    assert.equal((await x('GET', '/incident/{id}', '/incident/nope')).status, 404);
    assert.equal((await x('PUT', '/incident/{id}/annotation', `/incident/${ids.incident}/annotation`, { json: { annotation: 'looking into it' } })).status, 204);
    assert.equal(obj(await x('GET', '/incident/{id}', `/incident/${ids.incident}`)).annotation, 'looking into it');
    assert.equal((await x('DELETE', '/incident/{id}/annotation', `/incident/${ids.incident}/annotation`)).status, 204);
    assert.equal((await x('PUT', '/incident/{id}/annotation', '/incident/nope/annotation', { json: { annotation: 'x' } })).status, 404);
  });

  it('process instance delete', async () => {
    assert.equal((await x('DELETE', '/process-instance/{id}', `/process-instance/${ids.flaky}`)).status, 204);
    assert.equal((await x('DELETE', '/process-instance/{id}', `/process-instance/${ids.flaky}`)).status, 404);
    assert.equal((await x('DELETE', '/process-instance/{id}', `/process-instance/${ids.flaky}?failIfNotExists=false`)).status, 204);
  });

  it('history: process, activity and variable instances, incidents', async () => {
    const procs = list(await x('GET', '/history/process-instance', '/history/process-instance?sortBy=startTime&sortOrder=asc'));
    assert.equal(procs.length, 3);
    assert.deepEqual((await x('GET', '/history/process-instance/count', '/history/process-instance/count?finished=true')).body, { count: 3 });
    assert.equal(obj(await x('GET', '/history/process-instance/{id}', `/history/process-instance/${ids.flaky}`)).state, 'EXTERNALLY_TERMINATED');
    assert.equal((await x('GET', '/history/process-instance/{id}', '/history/process-instance/nope')).status, 404);
    assert.ok(list(await x('GET', '/history/activity-instance', `/history/activity-instance?processInstanceId=${ids.nested}&sortBy=startTime&sortOrder=asc`)).length > 3);
    assert.equal(((await x('GET', '/history/activity-instance/count', '/history/activity-instance/count?activityType=userTask')).body as { count: number }).count, 2);
    const v = list(await x('GET', '/history/variable-instance', `/history/variable-instance?processInstanceId=${ids.instance}&variableName=amount`));
    assert.deepEqual([v[0]!.type, v[0]!.value, v[0]!.state], ['Double', 9.5, 'CREATED']);
    assert.ok(((await x('GET', '/history/variable-instance/count', '/history/variable-instance/count')).body as { count: number }).count >= 5);
    const hi = list(await x('GET', '/history/incident', `/history/incident?processInstanceId=${ids.flaky}`));
    assert.equal(hi.length, 1);
    assert.equal(hi[0]!.resolved, true, 'cancelling the instance resolved its incident');
    assert.deepEqual((await x('GET', '/history/incident/count', '/history/incident/count?open=true')).body, { count: 0 });
  });

  it('messages and signals: correlate (204, results with variables), start by message, refuse no match and several, broadcast', async () => {
    await server.runtime.deploy({ name: 'messages', resources: [{ name: 'messages.bpmn', content: MESSAGES_BPMN }] });
    const a = String(obj(await x('POST', '/process-definition/key/{key}/start', '/process-definition/key/payment/start', { json: { businessKey: 'pay-a', variables: { orderId: { value: 'o-1' } } } })).id);
    const b = String(obj(await x('POST', '/process-definition/key/{key}/start', '/process-definition/key/payment/start', { json: { businessKey: 'pay-b', variables: { orderId: { value: 'o-2' } } } })).id);
    const several = await x('POST', '/message', '/message', { json: { messageName: 'paid' } });
    assert.equal(several.status, 400);
    assert.equal(obj(several).type, 'RestException');
    const none = await x('POST', '/message', '/message', { json: { messageName: 'paid', businessKey: 'nobody' } });
    assert.equal(none.status, 400);
    assert.equal(obj(none).type, 'RestException');
    const plain = await x('POST', '/message', '/message', { json: { messageName: 'paid', businessKey: 'pay-a', processVariables: { paid: { value: true, type: 'Boolean' } }, processVariablesLocal: { at: { value: '2026-01-01T00:00:00.000+0000', type: 'Date' } } } });
    assert.equal(plain.status, 204);
    const withResult = await x('POST', '/message', '/message', {
      json: { messageName: 'paid', correlationKeys: { orderId: { value: 'o-2', type: 'String' } }, resultEnabled: true, variablesInResultEnabled: true, all: false, withoutTenantId: false },
    });
    assert.equal(withResult.status, 200);
    const [r] = list(withResult);
    assert.equal(r!.resultType, 'Execution');
    assert.equal((r!.processInstance as Record<string, unknown>).id, b);
    assert.deepEqual((r!.variables as Record<string, unknown>).orderId, { type: 'String', value: 'o-2', valueInfo: {} });
    const started = await x('POST', '/message', '/message', { json: { messageName: 'placeOrder', businessKey: 'place-1', resultEnabled: true } });
    assert.equal(list(started)[0]!.resultType, 'ProcessDefinition');
    assert.equal((await x('POST', '/message', '/message', { json: { businessKey: 'x' }, bad: true })).status, 400);
    assert.equal((await x('POST', '/signal', '/signal', { json: { name: 'go', variables: { level: { value: 1, type: 'Integer' } } } })).status, 204);
    assert.equal(obj(await call(server, 'GET', `/history/process-instance/${a}`)).state, 'COMPLETED');
    assert.equal((await x('POST', '/signal', '/signal', { json: { name: 'go', executionId: a } })).status, 400);
    const deployment = (await server.store.listDeployments({ name: 'messages' }))[0]!;
    const inUse = await x('DELETE', '/deployment/{id}', `/deployment/${deployment.id}`);
    assert.equal(inUse.status, 500, 'the instance started by placeOrder runs');
    assert.equal((await x('DELETE', '/deployment/{id}', `/deployment/${deployment.id}?cascade=true`)).status, 204);
  });

  it('covers every operation of the contract', () => {
    const missing = contract.operations().filter((op) => !contract.seen.has(op));
    assert.deepEqual(missing, []);
  });

  it('keeps the OpenAPI subset in step with the full file (when the full file is at hand)', async (t) => {
    if (!existsSync(FULL_OPENAPI)) {
      t.skip(`${FULL_OPENAPI} not present`);
      return;
    }
    const script = new URL('../../../test/fixtures/api/extract-openapi-subset.mjs', import.meta.url);
    const { extract } = (await import(script.href)) as { extract: (doc: unknown) => unknown };
    const subset = JSON.parse(readFileSync(new URL('../../../test/fixtures/api/camunda7-openapi.subset.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(subset, JSON.parse(JSON.stringify(extract(JSON.parse(readFileSync(FULL_OPENAPI, 'utf8'))))));
  });
});
