/**
 * HTTP conventions of the engine-rest API: the exact JSON content type, Camunda's error
 * bodies, both route prefixes, CORS (unknown origins are not rejected), body limits and
 * media types, message and signal refusals, and authentication (HTTP Basic
 * with scrypt hashes, bearer tokens, 401 with WWW-Authenticate, no data without it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fastifyCors } from '@fastify/cors';
import { fastifyMultipart } from '@fastify/multipart';
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import { fastify } from 'fastify';
import { Authenticator, engineRestPlugin, hashPassword, verifyPassword } from '../../src/api/index.js';
import { Runtime } from '../../src/runtime/index.js';
import { isProcosError } from '../../src/common/errors.js';
import { call, deployFixtures, fetchTasks, fixture, list, obj, sqliteKind, startProcess, startServer, until } from './helpers.js';
import type { TestServer } from './helpers.js';

describe('HTTP conventions', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ bodyLimit: 4096 });
    await deployFixtures(server, 'order.bpmn');
  });
  after(() => server.close());

  it('answers JSON with Content-Type application/json exactly, errors included', async () => {
    for (const [method, path] of [
      ['GET', '/process-definition'],
      ['GET', '/process-definition/count'],
      ['GET', '/process-definition/nope'],
      ['GET', '/no/such/route'],
    ] as const) {
      const a = await call(server, method, path);
      assert.equal(a.headers.get('content-type'), 'application/json', `${method} ${path}`);
    }
  });

  it('serves the default engine under both prefixes', async () => {
    const a = await call(server, 'GET', `${server.origin}/engine-rest/engine/default/process-definition/key/order`);
    assert.equal(a.status, 200);
    assert.equal(obj(a).key, 'order');
    assert.deepEqual((await call(server, 'GET', '/engine')).body, [{ name: 'default' }]);
    assert.deepEqual((await call(server, 'GET', `${server.origin}/engine-rest/engine/default/version`)).body, { version: '7.22.0' });
  });

  it("answers errors as Camunda: {type, message, code} with Camunda's status; unknown routes are NotFoundException", async () => {
    const missing = await call(server, 'GET', '/no/such/route');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(obj(missing)).sort(), ['code', 'message', 'procosCode', 'type']);
    assert.equal(obj(missing).type, 'NotFoundException');
    const def = await call(server, 'GET', '/process-definition/nope');
    assert.equal(def.status, 404);
    assert.deepEqual(obj(def), { type: 'InvalidRequestException', message: 'No matching definition with id nope', code: 0, procosCode: 'PROCOS_RUNTIME_DEFINITION_NOT_FOUND' });
  });

  it('refuses a body of the wrong media type (415) and one over the size limit (413)', async () => {
    const text = await call(server, 'POST', '/external-task/fetchAndLock', { body: 'workerId=w', headers: { 'content-type': 'text/csv' } });
    assert.equal(text.status, 415);
    assert.equal(obj(text).procosCode, 'PROCOS_API_UNSUPPORTED_MEDIA_TYPE');
    const big = await call(server, 'POST', '/process-definition/key/order/start', { json: { variables: { blob: { value: 'x'.repeat(5000) } } } });
    assert.equal(big.status, 413);
    assert.equal(obj(big).procosCode, 'PROCOS_API_BODY_TOO_LARGE');
  });

  it('lets any origin read responses by default (Camunda Modeler runs from file://), and answers preflights', async () => {
    const a = await call(server, 'GET', '/version', { headers: { origin: 'null' } });
    assert.equal(a.headers.get('access-control-allow-origin'), '*');
    const pre = await call(server, 'OPTIONS', '/external-task/fetchAndLock', { headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(String(pre.headers.get('access-control-allow-methods')), /POST/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type,authorization');
  });

  it('answers a message nobody waits for with 400 RestException, bad message and signal bodies with 400, a signal nobody receives with 204', async () => {
    const m = await call(server, 'POST', '/message', { json: { messageName: 'paymentReceived', businessKey: 'o-1', processVariables: { paid: { value: true, type: 'Boolean' } } } });
    assert.equal(m.status, 400);
    assert.equal(m.headers.get('content-type'), 'application/json');
    assert.equal(obj(m).type, 'RestException');
    assert.equal(obj(m).message, "Cannot correlate message 'paymentReceived': No process definition or execution matches the parameters");
    assert.equal(obj(m).procosCode, 'PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED');
    const all = await call(server, 'POST', '/message', { json: { messageName: 'x', all: true } });
    assert.equal(all.status, 400);
    const noName = await call(server, 'POST', '/message', { json: { businessKey: 'x' } });
    assert.equal(noName.status, 400);
    assert.match(String(obj(noName).message), /No message name supplied/);
    const badVar = await call(server, 'POST', '/message', { json: { messageName: 'x', processVariables: { n: { value: 'x', type: 'Long' } } } });
    assert.equal(obj(badVar).procosCode, 'PROCOS_API_INVALID_VARIABLE');
    const both = await call(server, 'POST', '/message', { json: { messageName: 'x', tenantId: 't', withoutTenantId: true } });
    assert.match(String(obj(both).message), /cannot be used together/);
    const vars = await call(server, 'POST', '/message', { json: { messageName: 'x', variablesInResultEnabled: true } });
    assert.equal(vars.status, 400);
    assert.match(String(obj(vars).message), /'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true/);
    const s = await call(server, 'POST', '/signal', { json: { name: 'alarm', variables: { level: { value: 3 } } } });
    assert.equal(s.status, 204, s.text);
    assert.equal(s.text, '');
    const one = await call(server, 'POST', '/signal', { json: { name: 'alarm', executionId: 'e-1' } });
    assert.equal(one.status, 400);
    assert.equal(obj(one).procosCode, 'PROCOS_API_NOT_SUPPORTED');
    assert.match(String(obj(one).message), /executionId/);
    assert.match(String(obj(await call(server, 'POST', '/signal', { json: {} })).message), /No signal name given/);
  });
});

describe('CORS with configured origins', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ cors: { origins: ['https://cockpit.example'] } });
  });
  after(() => server.close());

  it('allows the listed origins and serves (but does not grant) others', async () => {
    const ok = await call(server, 'GET', '/version', { headers: { origin: 'https://cockpit.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://cockpit.example');
    assert.equal(ok.headers.get('vary'), 'Origin');
    const other = await call(server, 'GET', '/version', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('authentication', () => {
  let server: TestServer;
  const token = 'tok_8c3e1f5a9b2d4c6e';
  const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  before(async () => {
    server = await startServer({ auth: { users: { demo: await hashPassword('s3cret'), worker: await hashPassword('w0rker') }, tokens: [token] } });
    await deployFixtures(server, 'order.bpmn');
  });
  after(() => server.close());

  it('hashes passwords with scrypt as scrypt:<salt>:<hash>, and verifies them', async () => {
    const h = await hashPassword('pa:ss wörd');
    assert.match(h, /^scrypt:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
    assert.notEqual(h, await hashPassword('pa:ss wörd'), 'salted');
    assert.equal(await verifyPassword('pa:ss wörd', h), true);
    assert.equal(await verifyPassword('pa:ss word', h), false);
    assert.equal(await verifyPassword('x', 'plain-text'), false);
  });

  it('refuses invalid auth options at the edge', () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        assert.ok(isProcosError(e));
        return e.code;
      }
      return 'none';
    };
    assert.equal(code(() => Authenticator.compile({ users: { demo: 'secret' } })), 'PROCOS_API_OPTIONS_INVALID');
    assert.equal(code(() => Authenticator.compile({})), 'PROCOS_API_OPTIONS_INVALID');
    assert.equal(code(() => Authenticator.compile({ tokens: [''] })), 'PROCOS_API_OPTIONS_INVALID');
    assert.equal(Authenticator.compile(undefined), null);
  });

  it('answers 401 with WWW-Authenticate and no data without valid credentials, on every route', async () => {
    for (const [method, path, headers] of [
      ['GET', '/process-definition', {}],
      ['GET', '/deployment?maxResults=0', {}],
      ['GET', '/no/such/route', {}],
      ['GET', `${server.origin}/engine-rest/engine/default/process-definition`, {}],
      ['GET', '/process-definition', { authorization: basic('demo', 'wrong') }],
      ['GET', '/process-definition', { authorization: basic('nobody', 's3cret') }],
      ['GET', '/process-definition', { authorization: 'Bearer nope' }],
      ['GET', '/process-definition', { authorization: 'Digest x' }],
      ['GET', '/process-definition', { authorization: 'Basic' }],
    ] as const) {
      const a = await call(server, method, path, { headers });
      assert.equal(a.status, 401, `${method} ${path}`);
      assert.equal(a.headers.get('content-type'), 'application/json');
      assert.match(String(a.headers.get('www-authenticate')), /Basic realm="ProcOS"/);
      assert.match(String(a.headers.get('www-authenticate')), /Bearer realm="ProcOS"/);
      assert.equal(obj(a).type, 'AuthenticationException');
      assert.doesNotMatch(a.text, /order/, 'nothing leaks');
    }
  });

  it('does not lock tasks for an unauthenticated fetch', async () => {
    await server.runtime.startInstance({ key: 'order' });
    const a = await call(server, 'POST', '/external-task/fetchAndLock', { json: { workerId: 'anon', maxTasks: 5, topics: [{ topicName: 'reserve', lockDuration: 60_000 }] } });
    assert.equal(a.status, 401);
    const tasks = await server.store.listExternalTasks({ topic: 'reserve' });
    assert.ok(tasks.every((t) => t.workerId === null));
  });

  it('serves requests with HTTP Basic credentials of a configured user or a configured bearer token', async () => {
    const a = await call(server, 'GET', '/process-definition', { headers: { authorization: basic('demo', 's3cret') } });
    assert.equal(a.status, 200);
    assert.equal(list(a)[0]!.key, 'order');
    const again = await call(server, 'GET', '/process-definition/count', { headers: { authorization: basic('demo', 's3cret') } });
    assert.deepEqual(again.body, { count: 1 });
    const b = await call(server, 'GET', '/process-definition', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(b.status, 200);
    const pre = await call(server, 'OPTIONS', '/process-definition', { headers: { origin: 'null', 'access-control-request-method': 'GET' } });
    assert.equal(pre.status, 204, 'preflights carry no credentials and are answered');
  });

  it('works with camunda-external-task-client-js and its BasicAuthInterceptor', async () => {
    const pi = await startProcess(server, 'order', {}).catch(() => '');
    assert.equal(pi, '', 'the helper sends no credentials and is refused');
    const started = await call(server, 'POST', '/process-definition/key/order/start', { json: { businessKey: 'auth-1' }, headers: { authorization: `Bearer ${token}` } });
    const id = String(obj(started).id);
    const done: string[] = [];
    const client = new Client({ baseUrl: server.url, workerId: 'secure', autoPoll: false, interval: 20, asyncResponseTimeout: 500, interceptors: new BasicAuthInterceptor({ username: 'worker', password: 'w0rker' }) });
    client.subscribe('reserve', { businessKey: 'auth-1' }, async ({ task, taskService }) => {
      await taskService.complete(task);
      done.push(task.processInstanceId);
    });
    client.start();
    try {
      await until('the worker to complete the task', () => done.length === 1);
    } finally {
      client.stop();
    }
    assert.deepEqual(done, [id]);
    await assert.rejects(fetchTasks(server, 'charge', 'x'), /fetchAndLock charge: 401/);
  });
});

describe('mounted in a larger server (as the kernel mounts it)', () => {
  it('coexists with root routes, a root not-found handler, @fastify/cors and @fastify/multipart at the root', async () => {
    const opened = await sqliteKind.open();
    const runtime = new Runtime(opened.store);
    const app = fastify();
    await app.register(fastifyCors, { origin: false });
    await app.register(fastifyMultipart);
    app.get('/health', async () => ({ status: 'UP' }));
    app.setNotFoundHandler(async (_req, reply) => reply.code(404).send({ error: 'root not found' }));
    await app.register(engineRestPlugin, { runtime });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
    try {
      assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: 'UP' });
      assert.deepEqual(await (await fetch(`${base}/elsewhere`)).json(), { error: 'root not found' });
      const missing = await fetch(`${base}/engine-rest/nope`);
      assert.equal(((await missing.json()) as Record<string, unknown>).type, 'NotFoundException');
      const form = new FormData();
      form.append('flaky.bpmn', new Blob([await fixture('flaky.bpmn')], { type: 'text/xml' }), 'flaky.bpmn');
      const deployed = await fetch(`${base}/engine-rest/deployment/create`, { method: 'POST', body: form });
      assert.equal(deployed.status, 200, await deployed.clone().text());
      assert.equal(deployed.headers.get('content-type'), 'application/json');
      const v = await fetch(`${base}/engine-rest/version`, { headers: { origin: 'null' } });
      assert.equal(v.headers.get('access-control-allow-origin'), '*');
    } finally {
      await app.close();
      runtime.close();
      await opened.cleanup();
    }
  });
});
