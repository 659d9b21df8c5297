/** The http adapter against a real HTTP server on 127.0.0.1. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isProcosError } from '../../src/common/errors.js';
import type { Variables } from '../../src/common/json.js';
import { AdaptersErrors, configureAdapter, httpAdapter } from '../../src/adapters/index.js';
import type { AdapterResult, AdapterTaskInfo } from '../../src/adapters/index.js';
import { compileRoutes, executeTask } from '../../src/worker/index.js';
import { MemoryTransport } from '../worker/memory-transport.js';
import { captureLogger, executionLines } from '../worker/helpers.js';
import { freePort, startServer } from './http-server.js';

const task: AdapterTaskInfo = {
  id: 't1',
  topicName: 'http',
  processInstanceId: 'pi-1',
  processDefinitionKey: 'p',
  activityId: 'A',
  activityInstanceId: 'A:1',
  businessKey: null,
  retries: null,
  correlationId: 'c-1',
};

function run(config: unknown, variables: Variables = {}, signal = new AbortController().signal): Promise<AdapterResult> {
  return configureAdapter(httpAdapter, config).execute({ variables, task, signal, deadline: Date.now() + 10_000 });
}

function assertFailure(r: AdapterResult): asserts r is Extract<AdapterResult, { kind: 'failure' }> {
  assert.equal(r.kind, 'failure', JSON.stringify(r));
}

describe('http adapter', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-served-by': 'test' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname.startsWith('/users/')) return json(200, { id: url.pathname.slice(7), q: url.searchParams.getAll('tag'), expand: url.searchParams.get('expand') });
      if (url.pathname === '/echo') return json(201, { got: body ? (JSON.parse(body) as unknown) : null, contentType: req.headers['content-type'] });
      if (url.pathname === '/echo-text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`you said: ${body} (${req.headers['content-type']})`);
      }
      if (url.pathname.startsWith('/status/')) return json(Number(url.pathname.slice(8)), { error: 'as requested' });
      if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('x'.repeat(5000));
      }
      if (url.pathname === '/bad-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{not json');
      }
      if (url.pathname === '/slow') return; // never answers
      json(404, { error: 'no such path' });
    });
  });
  after(() => server.close());

  test('GET JSON with templated path, query and headers', async () => {
    const r = await run(
      {
        url: `${server.url}/users/\${user.id}?expand=profile`,
        query: { tag: ['${tags.0}', 'fixed'] },
        headers: { Accept: 'application/json', 'X-Request-Id': 'req-${requestId}' },
      },
      { user: { id: 'u 42/../admin?x#y' }, tags: ['vip'], requestId: 7 },
    );
    assert.equal(r.kind, 'complete', JSON.stringify(r));
    assert.equal(r.variables.status, 200);
    assert.deepEqual(r.variables.body, { id: 'u%2042%2F..%2Fadmin%3Fx%23y', q: ['vip', 'fixed'], expand: 'profile' }, 'values cannot change the URL structure');
    assert.equal((r.variables.headers as Record<string, string>)['x-served-by'], 'test');
    const seen = server.received.at(-1)!;
    assert.equal(seen.method, 'GET');
    assert.equal(seen.headers['x-request-id'], 'req-7');
    assert.equal(seen.headers.accept, 'application/json');
  });

  test('POST a JSON body built from variables; output names are configurable', async () => {
    const r = await run(
      {
        method: 'POST',
        url: `${server.url}/echo`,
        body: { json: { order: '${order}', note: 'for ${name}', count: '${n}' } },
        output: { status: 'httpStatus', headers: null, body: 'reply' },
      },
      { order: { id: 1, lines: [1, 2] }, name: 'Ada', n: 2 },
    );
    assert.equal(r.kind, 'complete');
    assert.deepEqual(r.variables, {
      httpStatus: 201,
      reply: { got: { order: { id: 1, lines: [1, 2] }, note: 'for Ada', count: 2 }, contentType: 'application/json' },
    });
  });

  test('a leading placeholder is a base URL, inserted as it is', async () => {
    const r = await run({ url: '${base}/users/${id}' }, { base: server.url, id: 'b' });
    assert.equal(r.kind === 'complete' && (r.variables.body as { id: string }).id, 'b');
  });

  test('a text body, and a text response', async () => {
    const r = await run({ method: 'PUT', url: `${server.url}/echo-text`, body: { text: 'hello ${name}' } }, { name: 'Ada' });
    assert.equal(r.kind, 'complete');
    assert.equal(r.variables.body, 'you said: hello Ada (text/plain; charset=utf-8)');
  });

  test('errorCodes turn a status into a BPMN error that carries the response', async () => {
    const config = { url: `${server.url}/status/\${code}`, errorCodes: { '404': 'NOT_FOUND', '4xx': 'CLIENT_ERROR' } };
    const r = await run(config, { code: 404 });
    assert.equal(r.kind, 'bpmnError');
    assert.equal(r.errorCode, 'NOT_FOUND');
    assert.match(r.errorMessage ?? '', /^HTTP 404 from GET http:\/\/127\.0\.0\.1:\d+\/status\/404$/);
    assert.deepEqual(r.variables?.body, { error: 'as requested' });
    const r2 = await run(config, { code: 409 });
    assert.equal(r2.kind === 'bpmnError' && r2.errorCode, 'CLIENT_ERROR');
  });

  test('failOn turns statuses and ranges into failures; others complete', async () => {
    const config = { url: `${server.url}/status/\${code}`, failOn: [418, '500-503', '4xx'] };
    const r = await run(config, { code: 502 });
    assertFailure(r);
    assert.equal(r.code, AdaptersErrors.HTTP_STATUS.code);
    assert.equal(r.retryable, true);
    assert.match(r.errorMessage, /^HTTP 502 Bad Gateway from GET http:\/\/127\.0\.0\.1:\d+\/status\/502$/);
    assert.equal(r.errorDetails, '{"error":"as requested"}');
    const teapot = await run(config, { code: 418 });
    assertFailure(teapot);
    assert.equal(teapot.retryable, false, 'a 4xx will not get better by retrying');
    const tooMany = await run(config, { code: 429 });
    assertFailure(tooMany);
    assert.equal(tooMany.retryable, true, '429 is worth retrying');
    const other = await run(config, { code: 504 });
    assert.equal(other.kind, 'complete');
    assert.equal(other.kind === 'complete' && other.variables.status, 504);
  });

  test('a timeout is a retryable failure', async () => {
    const r = await run({ url: `${server.url}/slow`, timeout: 100 });
    assertFailure(r);
    assert.equal(r.code, AdaptersErrors.HTTP_TIMEOUT.code);
    assert.equal(r.retryable, true);
    assert.match(r.errorMessage, /timed out after 100 ms/);
  });

  test('an abort from the worker is a retryable failure', async () => {
    const ac = new AbortController();
    const pending = run({ url: `${server.url}/slow` }, {}, ac.signal);
    setTimeout(() => ac.abort(new Error('worker stopping')), 50);
    const r = await pending;
    assertFailure(r);
    assert.equal(r.code, AdaptersErrors.ABORTED.code);
    assert.match(r.errorMessage, /aborted: worker stopping/);
  });

  test('connection refused is a retryable failure', async () => {
    const port = await freePort();
    const r = await run({ method: 'DELETE', url: `http://127.0.0.1:${port}/x` });
    assertFailure(r);
    assert.equal(r.code, AdaptersErrors.HTTP_NETWORK.code);
    assert.equal(r.retryable, true);
    assert.match(r.errorMessage, new RegExp(`^DELETE http://127\\.0\\.0\\.1:${port}/x failed: .*ECONNREFUSED`));
  });

  test('a missing template variable is a failure naming it', async () => {
    const r = await run({ url: `${server.url}/users/\${user.id}`, headers: { Authorization: 'Bearer ${token}' } }, { user: { id: 'u1' } });
    assertFailure(r);
    assert.equal(r.code, AdaptersErrors.TEMPLATE_VARIABLE_MISSING.code);
    assert.equal(r.retryable, false);
    assert.match(r.errorMessage, /template variable "token" is not set/);
  });

  test('oversized and unparsable responses, and bad URLs, are non-retryable failures', async () => {
    const big = await run({ url: `${server.url}/big`, maxResponseBytes: 1000 });
    assertFailure(big);
    assert.equal(big.retryable, false);
    assert.match(big.errorMessage, /larger than 1000 bytes/);
    const bad = await run({ url: `${server.url}/bad-json` });
    assertFailure(bad);
    assert.match(bad.errorMessage, /not valid JSON/);
    const text = await run({ url: `${server.url}/bad-json`, responseType: 'text' });
    assert.equal(text.kind === 'complete' && text.variables.body, '{not json');
    const url = await run({ url: '${where}' }, { where: 'file:///etc/passwd' });
    assertFailure(url);
    assert.match(url.errorMessage, /scheme "file:" is not http: or https:/);
  });

  test('config is validated once, naming the key', () => {
    assert.throws(
      () => configureAdapter(httpAdapter, { url: 'http://x', body: { json: {} } }),
      (e) => isProcosError(e, AdaptersErrors.CONFIG_INVALID) && e.message === 'invalid http adapter config: body: a GET request cannot have a body',
    );
    assert.throws(
      () => configureAdapter(httpAdapter, { url: 'http://x', errorCodes: { 'not-a-status': 'X' } }),
      (e) => isProcosError(e, AdaptersErrors.CONFIG_INVALID) && /errorCodes/.test(e.message),
    );
  });

  test('the Authorization header and secretHeaders never reach the log line', async () => {
    const transport = new MemoryTransport();
    const { logger, raw, lines } = captureLogger();
    const routes = compileRoutes({
      topics: {
        call: {
          adapter: 'http',
          config: {
            method: 'POST',
            url: `${server.url}/echo`,
            headers: { Authorization: 'Bearer ${token}', 'X-Api-Key': '${apiKey}', 'X-Trace': 'trace-1' },
            secretHeaders: ['x-api-key'],
            body: { json: { hello: 'world' } },
          },
        },
      },
    });
    const token = 'sk-live-SECRET-TOKEN-123';
    const apiKey = 'KEY-SHOULD-NOT-LEAK-456';
    transport.add({ id: 'call-1', topicName: 'call', variables: { token, apiKey, correlationId: 'corr-http' } });
    const [locked] = await transport.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'call', lockDuration: 10_000 }] });
    const record = await executeTask(locked!, { transport, workerId: 'w', routes, logger, abortGraceMs: 100, stopSignal: new AbortController().signal });
    assert.equal(record.outcome, 'completed');
    assert.equal(server.received.at(-1)!.headers.authorization, `Bearer ${token}`, 'the header was sent');
    const logged = executionLines(lines);
    assert.equal(logged.length, 1);
    const text = raw.join('');
    assert.ok(!text.includes(token), 'token leaked into the log');
    assert.ok(!text.includes(apiKey), 'api key leaked into the log');
    const details = logged[0]!.details as { requestHeaders: Record<string, string>; status: number; url: string };
    assert.deepEqual(details.requestHeaders, { Authorization: '[redacted]', 'X-Api-Key': '[redacted]', 'X-Trace': 'trace-1', 'content-type': 'application/json' });
    assert.equal(details.status, 201);
    assert.equal(logged[0]!.correlationId, 'corr-http');
  });
});
