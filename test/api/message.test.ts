/**
 * `POST /message` and `POST /signal` over HTTP on SQLite and PostgreSQL: correlation by
 * business key, process instance id, correlation keys and local correlation keys;
 * message start events; `all`; results with and without variables; Camunda's 400
 * RestException for no match and for several; signals to waiting instances and signal
 * start events. Source: Camunda 7 REST "Correlate a Message", "Throw a Signal";
 * MessageRestServiceImpl.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { call, fetchTasks, list, obj, startProcess, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';
import { MESSAGES_BPMN } from './message-fixtures.js';

async function waitingAt(server: TestServer, id: string): Promise<string[]> {
  const tree = obj(await call(server, 'GET', `/process-instance/${id}/activity-instances`));
  const out: string[] = [];
  const walk = (n: Record<string, unknown>): void => {
    for (const c of (n.childActivityInstances as Record<string, unknown>[] | undefined) ?? []) {
      out.push(String(c.activityId));
      walk(c);
    }
  };
  walk(tree);
  return out.sort();
}

async function state(server: TestServer, id: string): Promise<string> {
  return String(obj(await call(server, 'GET', `/history/process-instance/${id}`)).state);
}

for (const kind of storeKinds()) {
  describe(`POST /message and /signal [${kind.name}]`, () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer({ kind });
      await server.runtime.deploy({ name: 'messages', resources: [{ name: 'messages.bpmn', content: MESSAGES_BPMN }] });
    });
    afterEach(() => server.close());

    it('correlates by business key: 204, the instance moves on with the message variables', async () => {
      const a = await startProcess(server, 'payment', { businessKey: 'a' });
      const b = await startProcess(server, 'payment', { businessKey: 'b' });
      const r = await call(server, 'POST', '/message', {
        json: { messageName: 'paid', businessKey: 'b', processVariables: { amount: { value: 12.5, type: 'Double' } }, processVariablesLocal: { note: { value: 'local', type: 'String' } } },
      });
      assert.equal(r.status, 204, r.text);
      assert.equal(r.text, '');
      assert.deepEqual(await waitingAt(server, b), ['wait_go']);
      assert.deepEqual(await waitingAt(server, a), ['wait_paid']);
      const vars = obj(await call(server, 'GET', `/process-instance/${b}/variables`));
      assert.deepEqual(vars.amount, { type: 'Double', value: 12.5, valueInfo: {} });
      assert.deepEqual(vars.note, { type: 'String', value: 'local', valueInfo: {} });
    });

    it('answers results with resultEnabled (and variables with variablesInResultEnabled)', async () => {
      const a = await startProcess(server, 'payment', { businessKey: 'a', variables: { orderId: { value: 'o-1' } } });
      const r = await call(server, 'POST', '/message', { json: { messageName: 'paid', processInstanceId: a, resultEnabled: true, variablesInResultEnabled: true, processVariables: { paid: { value: true, type: 'Boolean' } } } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'application/json');
      const [result] = list(r);
      assert.equal(result!.resultType, 'Execution');
      const pi = result!.processInstance as Record<string, unknown>;
      assert.equal(pi.id, a);
      assert.match(String(pi.definitionId), /^payment:1:/);
      assert.equal(pi.businessKey, 'a');
      assert.equal(pi.ended, false);
      assert.equal(pi.suspended, false);
      assert.equal(pi.tenantId, null);
      const ex = result!.execution as Record<string, unknown>;
      assert.equal(ex.processInstanceId, a);
      assert.equal(ex.ended, false);
      assert.equal(typeof ex.id, 'string');
      const vars = result!.variables as Record<string, Record<string, unknown>>;
      assert.deepEqual(vars.paid, { type: 'Boolean', value: true, valueInfo: {} });
      assert.deepEqual(vars.orderId, { type: 'String', value: 'o-1', valueInfo: {} });
      // without variablesInResultEnabled: no variables
      const b = await startProcess(server, 'payment', { businessKey: 'b' });
      const r2 = list(await call(server, 'POST', '/message', { json: { messageName: 'paid', businessKey: 'b', resultEnabled: true } }));
      assert.equal((r2[0]!.processInstance as Record<string, unknown>).id, b);
      assert.equal(r2[0]!.variables, undefined);
    });

    it('correlation keys: process variables equal to typed values pick the instance', async () => {
      const one = await startProcess(server, 'payment', { variables: { orderId: { value: 'o-1' }, n: { value: 1, type: 'Integer' } } });
      const two = await startProcess(server, 'payment', { variables: { orderId: { value: 'o-2' }, n: { value: 2, type: 'Integer' } } });
      const r = list(await call(server, 'POST', '/message', { json: { messageName: 'paid', correlationKeys: { orderId: { value: 'o-2', type: 'String' }, n: { value: 2, type: 'Long' } }, resultEnabled: true } }));
      assert.deepEqual(r.map((x) => (x.processInstance as Record<string, unknown>).id), [two]);
      assert.deepEqual(await waitingAt(server, one), ['wait_paid']);
      const none = await call(server, 'POST', '/message', { json: { messageName: 'paid', correlationKeys: { orderId: { value: 'o-3', type: 'String' } } } });
      assert.equal(none.status, 400);
      assert.equal(obj(none).type, 'RestException');
      assert.equal(obj(none).message, "Cannot correlate message 'paid': No process definition or execution matches the parameters");
    });

    it('local correlation keys: the local variables of the waiting activity instance pick it', async () => {
      const pi = await startProcess(server, 'items', { variables: { items: { value: '["a","b","c"]', type: 'Json' } } });
      const r = list(await call(server, 'POST', '/message', { json: { messageName: 'itemArrived', localCorrelationKeys: { item: { value: 'b', type: 'String' } }, resultEnabled: true } }));
      assert.equal(r.length, 1);
      assert.equal((r[0]!.execution as Record<string, unknown>).processInstanceId, pi);
      const subs = await server.store.listSubscriptions({ processInstanceId: pi, eventType: 'message' });
      assert.equal(subs.length, 2, 'the other two items still wait');
      assert.ok(!subs.some((s) => s.activityInstanceId === (r[0]!.execution as Record<string, unknown>).id), 'the message went to the activity instance of item b');
      const again = await call(server, 'POST', '/message', { json: { messageName: 'itemArrived', localCorrelationKeys: { item: { value: 'b', type: 'String' } } } });
      assert.equal(again.status, 400, 'item b was received already');
      const ambiguous = await call(server, 'POST', '/message', { json: { messageName: 'itemArrived' } });
      assert.equal(ambiguous.status, 400);
      assert.equal(obj(ambiguous).type, 'RestException');
      assert.equal(obj(ambiguous).procosCode, 'PROCOS_RUNTIME_MESSAGE_AMBIGUOUS');
      assert.match(String(obj(ambiguous).message), /^Cannot correlate a message with name 'itemArrived' to a single execution\. 2 executions match/);
      const all = await call(server, 'POST', '/message', { json: { messageName: 'itemArrived', all: true, resultEnabled: true } });
      assert.equal(list(all).length, 2);
      assert.equal(await state(server, pi), 'COMPLETED');
    });

    it('a message start event starts the latest definition: resultType ProcessDefinition', async () => {
      const r = await call(server, 'POST', '/message', {
        json: { messageName: 'placeOrder', businessKey: 'order-9', processVariables: { sku: { value: 'x-1' } }, resultEnabled: true, variablesInResultEnabled: true },
      });
      assert.equal(r.status, 200, r.text);
      const [result] = list(r);
      assert.equal(result!.resultType, 'ProcessDefinition');
      assert.equal(result!.execution, undefined);
      const pi = result!.processInstance as Record<string, unknown>;
      assert.equal(pi.businessKey, 'order-9');
      assert.match(String(pi.definitionId), /^placing:1:/);
      assert.deepEqual((result!.variables as Record<string, unknown>).sku, { type: 'String', value: 'x-1', valueInfo: {} });
      const [task] = await fetchTasks(server, 'ship');
      assert.equal(task!.processInstanceId, pi.id);
      assert.equal(task!.businessKey, 'order-9');
      // correlation keys and process instance ids never start instances
      assert.equal((await call(server, 'POST', '/message', { json: { messageName: 'placeOrder', correlationKeys: { a: { value: 1 } } } })).status, 400);
    });

    it('all: every waiting instance; tenants; what ProcOS does not do yet is refused', async () => {
      const a = await startProcess(server, 'payment');
      const b = await startProcess(server, 'payment');
      const ambiguous = await call(server, 'POST', '/message', { json: { messageName: 'paid' } });
      assert.equal(ambiguous.status, 400);
      assert.deepEqual(await waitingAt(server, a), ['wait_paid'], 'an ambiguous message is delivered to no one');
      assert.equal((await call(server, 'POST', '/message', { json: { messageName: 'paid', tenantId: 'acme', all: true } })).status, 400, 'no definition of tenant acme');
      assert.equal((await call(server, 'POST', '/message', { json: { messageName: 'paid', withoutTenantId: true, all: true } })).status, 204);
      assert.deepEqual(await waitingAt(server, a), ['wait_go']);
      assert.deepEqual(await waitingAt(server, b), ['wait_go']);
      const scoped = await call(server, 'POST', '/message', { json: { messageName: 'paid', processVariablesToTriggeredScope: { x: { value: 1 } } } });
      assert.equal(scoped.status, 400);
      assert.equal(obj(scoped).procosCode, 'PROCOS_API_NOT_SUPPORTED');
      assert.match(String(obj(scoped).message), /processVariablesToTriggeredScope/);
    });

    it('signals reach every waiting instance and start signal start events, in one request: 204', async () => {
      const a = await startProcess(server, 'payment', { businessKey: 'a' });
      const b = await startProcess(server, 'payment', { businessKey: 'b' });
      await call(server, 'POST', '/message', { json: { messageName: 'paid', all: true } });
      const s = await call(server, 'POST', '/signal', { json: { name: 'go', variables: { level: { value: 3, type: 'Integer' } } } });
      assert.equal(s.status, 204, s.text);
      assert.equal(await state(server, a), 'COMPLETED');
      assert.equal(await state(server, b), 'COMPLETED');
      const [went] = await fetchTasks(server, 'went');
      assert.ok(went, 'the signal start event started on_go');
      assert.deepEqual((went.variables as Record<string, unknown>).level, { type: 'Integer', value: 3, valueInfo: {} });
      assert.equal((await call(server, 'POST', '/signal', { json: { name: 'nobody-listens' } })).status, 204);
      const tenant = await call(server, 'POST', '/signal', { json: { name: 'go', tenantId: 'acme' } });
      assert.equal(tenant.status, 400);
      assert.equal(obj(tenant).procosCode, 'PROCOS_API_NOT_SUPPORTED');
    });
  });
}
