/**
 * The REST transport against a real ProcOS engine-rest server (Fastify on 127.0.0.1, a
 * real SQLite store, the runtime) with the real TdeWorker and its shell adapter: a
 * process runs to completion through REST with every variable type both ways (File
 * content included); failures until an incident; BPMN errors caught by a boundary
 * event; lock extension of a slow task; unlock on stop; long polling woken by task
 * creation; the engine going down (backoff) and coming back (recovery). Then the wire
 * format and error mapping of the transport on its own: Camunda request bodies, 404 /
 * 400 / 401 / 5xx / refused / timeout / non-JSON answers, aborts, and unreadable
 * variables.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { builtinAdapters } from '../../src/adapters/index.js';
import { buildEngineRestServer, hashPassword } from '../../src/api/index.js';
import type { AuthOptions } from '../../src/api/index.js';
import { isProcosError } from '../../src/common/errors.js';
import type { ProcosError } from '../../src/common/errors.js';
import type { JsonValue, Variables } from '../../src/common/json.js';
import { Runtime } from '../../src/runtime/index.js';
import { compileRoutes, RestTransport, TdeWorker, WorkerErrors } from '../../src/worker/index.js';
import type { TdeWorkerOptions } from '../../src/worker/index.js';
import { storeKinds } from '../helpers/stores.js';
import type { OpenedStore } from '../helpers/stores.js';
import { captureLogger, executionLines, fnAdapters, pause, waitFor } from './helpers.js';
import type { Behaviour, LogLine } from './helpers.js';

const sqlite = storeKinds().find((k) => k.name === 'sqlite')!;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_rest_transport" targetNamespace="http://procos.dev/test/worker">
  <bpmn:error id="err_rejected" errorCode="REJECTED" />
  <bpmn:process id="tde" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="compute" camunda:type="external" camunda:topic="compute" />
    <bpmn:serviceTask id="inspect" camunda:type="external" camunda:topic="inspect" />
    <bpmn:endEvent id="done" />
    <bpmn:sequenceFlow id="t1" sourceRef="start" targetRef="compute" />
    <bpmn:sequenceFlow id="t2" sourceRef="compute" targetRef="inspect" />
    <bpmn:sequenceFlow id="t3" sourceRef="inspect" targetRef="done" />
  </bpmn:process>
  <bpmn:process id="risky" isExecutable="true">
    <bpmn:startEvent id="r_start" />
    <bpmn:serviceTask id="risky_task" camunda:type="external" camunda:topic="risky" />
    <bpmn:boundaryEvent id="caught" attachedToRef="risky_task"><bpmn:errorEventDefinition errorRef="err_rejected" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="accepted" />
    <bpmn:endEvent id="rejected" />
    <bpmn:sequenceFlow id="r1" sourceRef="r_start" targetRef="risky_task" />
    <bpmn:sequenceFlow id="r2" sourceRef="risky_task" targetRef="accepted" />
    <bpmn:sequenceFlow id="r3" sourceRef="caught" targetRef="rejected" />
  </bpmn:process>
  ${['flaky', 'slow', 'hang', 'quick'].map((t) => `<bpmn:process id="${t}_p" isExecutable="true">
    <bpmn:startEvent id="${t}_start" />
    <bpmn:serviceTask id="${t}_task" camunda:type="external" camunda:topic="${t}" />
    <bpmn:endEvent id="${t}_end" />
    <bpmn:sequenceFlow id="${t}_1" sourceRef="${t}_start" targetRef="${t}_task" />
    <bpmn:sequenceFlow id="${t}_2" sourceRef="${t}_task" targetRef="${t}_end" />
  </bpmn:process>`).join('\n  ')}
</bpmn:definitions>
`;

/** What the `inspect` adapter saw, and what it answers with. */
const seen: { variables?: Variables } = {};
const OUT: Variables = {
  report: { $type: 'File', filename: 'out.txt', mimeType: 'text/plain', encoding: 'utf-8', base64: b64('done ✓') },
  when: '2026-05-17T08:30:00.000Z',
  big: 2 ** 40,
  ratio: 0.5,
  tags: ['a', 'b'],
  raw: { $type: 'Bytes', base64: 'AQID' },
  legacy: { $type: 'Object', serializationDataFormat: 'application/x-java-serialized-object', objectTypeName: 'com.example.K', value: 'rO0AB' },
  nothing: null,
};

const behaviours: Record<string, Behaviour> = {
  inspect: async ({ variables }) => {
    seen.variables = variables;
    return { kind: 'complete', variables: OUT };
  },
  fail: async () => ({ kind: 'failure', errorMessage: 'backend said no', errorDetails: 'trace…', retryable: true }),
  reject: async () => ({ kind: 'bpmnError', errorCode: 'REJECTED', errorMessage: 'not allowed', variables: { reason: 'policy' } }),
  slow: async () => {
    await pause(1300);
    return { kind: 'complete', variables: { slept: true } };
  },
  hang: async ({ signal }) => {
    await pause(30_000, signal);
    return { kind: 'failure', errorMessage: 'aborted', retryable: true };
  },
  quick: async () => ({ kind: 'complete', variables: { quick: true } }),
};

const ROUTES = compileRoutes(
  {
    topics: {
      compute: {
        adapter: 'shell',
        config: {
          command: process.execPath,
          args: ['-e', 'process.stdout.write(JSON.stringify({ sum: Number(process.argv[1]) + 1 }))', '${n}'],
          stdoutJson: true,
          output: { stdout: 'result' },
        },
      },
      inspect: { adapter: 'fn', config: { mode: 'inspect' } },
      risky: { adapter: 'fn', config: { mode: 'reject' } },
      flaky: { adapter: 'fn', config: { mode: 'fail' }, retries: 2, retryTimeout: 0 },
      slow: { adapter: 'fn', config: { mode: 'slow' }, lockDuration: 400, timeout: 10_000 },
      hang: { adapter: 'fn', config: { mode: 'hang' } },
      quick: { adapter: 'fn', config: { mode: 'quick' } },
    },
  },
  { adapters: { ...builtinAdapters, ...fnAdapters(behaviours) } },
);

/** A ProcOS engine: store and runtime live across restarts of its HTTP server. */
interface Engine {
  readonly runtime: Runtime;
  readonly opened: OpenedStore;
  url: string;
  port: number;
  app: FastifyInstance | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function engine(auth?: AuthOptions): Promise<Engine> {
  const opened = await sqlite.open();
  const runtime = new Runtime(opened.store);
  await runtime.deploy({ name: 'rest-transport', resources: [{ name: 'rest-transport.bpmn', content: BPMN }] });
  const e: Engine = {
    runtime,
    opened,
    url: '',
    port: 0,
    app: null,
    async start() {
      const app = await buildEngineRestServer({ runtime, ...(auth !== undefined ? { auth } : {}) });
      await app.listen({ host: '127.0.0.1', port: e.port });
      const addr = app.server.address();
      e.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      e.url = `http://127.0.0.1:${e.port}/engine-rest`;
      e.app = app;
    },
    async stop() {
      await e.app?.close();
      e.app = null;
    },
    async close() {
      await e.stop();
      runtime.close();
      await opened.cleanup();
    },
  };
  await e.start();
  return e;
}

function worker(e: Engine, options: Partial<TdeWorkerOptions> = {}): { worker: TdeWorker; lines: LogLine[] } {
  const { logger, lines } = captureLogger();
  const w = new TdeWorker({ transport: new RestTransport({ baseUrl: e.url }), workerId: 'rest-w', routes: ROUTES, asyncResponseTimeout: 1000, logger, ...options });
  return { worker: w, lines };
}

/**
 * Stops a worker and waits until the engine has dropped its long poll: an aborted fetch
 * reaches the server a moment later, and a task created in that moment would be locked
 * for the gone request (it is offered again when the lock expires: at least once).
 */
async function stop(e: Engine, w: TdeWorker, graceMs?: number): Promise<void> {
  await w.stop(graceMs === undefined ? {} : { graceMs });
  await waitFor("the engine to drop the stopped worker's long poll", () => e.runtime.notifier.waiting === 0, 5000);
}

async function status(e: Engine, id: string): Promise<string> {
  return (await e.runtime.getInstance(id)).status;
}

/** The latest value of every variable an instance ever set (from history). */
async function finalVariables(e: Engine, id: string): Promise<Record<string, JsonValue>> {
  const out: Record<string, JsonValue> = {};
  for (const u of await e.opened.store.listHistoricVariableUpdates({ processInstanceId: id })) out[u.name] = u.value;
  return out;
}

/** Resolves once the async `check` holds (polling every 10 ms); rejects after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await pause(10);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('RestTransport with a TdeWorker against a ProcOS engine-rest server', () => {
  let e: Engine;
  before(async () => {
    e = await engine();
  });
  after(() => e.close());

  it('runs a process to completion through REST: shell adapter, every variable type both ways, File content included', async () => {
    const pi = await e.runtime.startInstance({
      key: 'tde',
      businessKey: 'bk-1',
      variables: {
        n: 41,
        doc: { $type: 'File', filename: 'in.txt', mimeType: 'text/plain', encoding: 'utf-8', base64: b64('hello ✓') },
        due: '2026-01-01T00:00:00.000Z',
        order: { id: 'A-1', items: [{ sku: 'x', qty: 2 }] },
        flag: true,
        huge: 2 ** 40,
        half: 0.5,
        none: null,
      },
    });
    const { worker: w } = worker(e);
    w.start();
    try {
      await waitFor('the process to complete', () => seen.variables !== undefined, 10_000);
      await waitFor('completion', () => w.stats().completed === 2, 10_000);
    } finally {
      await stop(e, w);
    }
    assert.equal(await status(e, pi.id), 'completed');
    const v = seen.variables!;
    assert.deepEqual(v.result, { sum: 42 }, 'the shell adapter computed from n over REST');
    assert.equal(v.exitCode, 0);
    assert.deepEqual(v.doc, { $type: 'File', filename: 'in.txt', mimeType: 'text/plain', encoding: 'utf-8', base64: b64('hello ✓') }, 'File content fetched from …/data');
    assert.equal(v.due, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(v.order, { id: 'A-1', items: [{ sku: 'x', qty: 2 }] });
    assert.equal(v.flag, true);
    assert.equal(v.huge, 2 ** 40);
    assert.equal(v.half, 0.5);
    assert.equal(v.none, null);
    assert.equal(v.correlationId, pi.id);
    const stored = await finalVariables(e, pi.id);
    for (const [name, value] of Object.entries(OUT)) assert.deepEqual(stored[name], value, `${name} arrived as the worker sent it`);
    assert.deepEqual(w.stats(), { fetched: 2, completed: 2, failed: 0, bpmnErrors: 0, unlocked: 0, running: 0 });
  });

  it('reports failures with decreasing retries until an incident; BPMN errors are caught by the boundary event', async () => {
    const flaky = await e.runtime.startInstance({ key: 'flaky_p' });
    const risky = await e.runtime.startInstance({ key: 'risky' });
    const { worker: w } = worker(e);
    w.start();
    try {
      await waitFor('an incident', () => w.stats().failed === 2 && w.stats().bpmnErrors === 1, 10_000);
    } finally {
      await stop(e, w);
    }
    const [task] = await e.opened.store.listExternalTasks({ processInstanceId: flaky.id });
    assert.equal(task!.retries, 0);
    assert.equal(task!.errorMessage, 'backend said no');
    assert.equal(task!.errorDetails, 'trace…');
    const incidents = await e.opened.store.listIncidents({ processInstanceId: flaky.id, open: true });
    assert.deepEqual(incidents.map((i) => i.type), ['failedExternalTask']);
    assert.equal(await status(e, risky.id), 'completed');
    const ended = (await e.opened.store.listHistoricActivityInstances({ processInstanceId: risky.id })).map((a) => a.elementId);
    assert.ok(ended.includes('rejected') && !ended.includes('accepted'), 'the error boundary event took the token');
    assert.equal((await finalVariables(e, risky.id)).reason, 'policy');
  });

  it('extends the lock of a slow task while it runs', async () => {
    const pi = await e.runtime.startInstance({ key: 'slow_p' });
    const { worker: w, lines } = worker(e);
    w.start();
    try {
      let first = 0;
      await until('the task to be locked', async () => {
        const [t] = await e.opened.store.listExternalTasks({ processInstanceId: pi.id });
        first = t?.lockExpirationTime ?? 0;
        return first > 0;
      });
      await pause(900);
      const [t] = await e.opened.store.listExternalTasks({ processInstanceId: pi.id });
      assert.ok(t!.lockExpirationTime! > first + 300, `the lock was extended (${t!.lockExpirationTime! - first} ms later than first taken)`);
      assert.equal(t!.workerId, 'rest-w');
      await waitFor('completion', () => w.stats().completed === 1, 5000);
    } finally {
      await stop(e, w);
    }
    assert.equal(await status(e, pi.id), 'completed');
    assert.ok(lines.some((l) => l.msg === 'lock extended'));
    assert.ok(!lines.some((l) => l.msg === 'lock extension failed'));
  });

  it('unlocks a running task when it stops', async () => {
    const pi = await e.runtime.startInstance({ key: 'hang_p' });
    const { worker: w, lines } = worker(e);
    w.start();
    await until('the task to run', async () => {
      const [t] = await e.opened.store.listExternalTasks({ processInstanceId: pi.id });
      return t?.workerId === 'rest-w' && w.stats().running === 1;
    });
    await stop(e, w, 50);
    const [t] = await e.opened.store.listExternalTasks({ processInstanceId: pi.id });
    assert.equal(t!.workerId, null, 'unlocked: any worker can fetch it at once');
    assert.equal(t!.lockExpirationTime, null);
    assert.equal(w.stats().unlocked, 1);
    assert.equal(executionLines(lines)[0]!.unlocked, true);
    await e.runtime.cancelInstance(pi.id);
  });

  it('long polling: a waiting fetch is answered as soon as a task is created, without polling again', async () => {
    let fetches = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/external-task/fetchAndLock')) fetches += 1;
      return fetch(input, init);
    };
    const { logger } = captureLogger();
    const w = new TdeWorker({ transport: new RestTransport({ baseUrl: e.url, fetch: counting }), workerId: 'lp', routes: ROUTES, asyncResponseTimeout: 30_000, logger });
    w.start();
    try {
      await waitFor('the long poll to wait in the engine', () => e.runtime.notifier.waiting >= 1, 5000);
      const t0 = Date.now();
      const pi = await e.runtime.startInstance({ key: 'quick_p' });
      await waitFor('completion', () => w.stats().completed === 1, 5000);
      assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
      assert.equal(await status(e, pi.id), 'completed');
      assert.ok(fetches <= 3, `${fetches} fetch requests: one waiting, one after the task, one waiting again`);
    } finally {
      await stop(e, w);
    }
  });
});

describe('RestTransport when the engine goes down and comes back', () => {
  it('backs off while the engine is unreachable and recovers when it is back', async () => {
    const e = await engine();
    const { worker: w, lines } = worker(e, { fetchBackoff: { initialMs: 50, maxMs: 200 }, asyncResponseTimeout: 500 });
    w.start();
    try {
      await waitFor('the first long poll', () => e.runtime.notifier.waiting >= 1, 5000);
      await e.stop();
      await waitFor('the worker to notice', () => lines.some((l) => l.event === 'engine-unreachable'), 5000);
      const warn = lines.find((l) => l.event === 'engine-unreachable')!;
      assert.equal((warn.error as { code?: string }).code, WorkerErrors.ENGINE_UNREACHABLE.code);
      await waitFor('a few backed-off retries', () => lines.filter((l) => l.event === 'fetch-failed').length >= 2, 5000);
      const pi = await e.runtime.startInstance({ key: 'quick_p' });
      await e.start();
      await waitFor('recovery', () => lines.some((l) => l.event === 'engine-reachable'), 5000);
      await waitFor('completion', () => w.stats().completed === 1, 5000);
      assert.equal(await status(e, pi.id), 'completed');
    } finally {
      await w.stop();
      await e.close();
    }
  });
});

/** A fake fetch answering from `answer`, recording each request. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>): { fetch: typeof fetch; requests: { url: string; init: RequestInit }[] } {
  const requests: { url: string; init: RequestInit }[] = [];
  return {
    requests,
    fetch: async (input, init) => {
      requests.push({ url: String(input), init: init ?? {} });
      return answer(String(input), init ?? {});
    },
  };
}

const json = (body: unknown, status = 200, type = 'application/json'): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

function code(spec: { code: string }, check?: (e: ProcosError) => void): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isProcosError(e), `expected a ProcosError, got ${String(e)}`);
    assert.equal(e.code, spec.code, e.message);
    check?.(e);
    return true;
  };
}

describe('RestTransport on the wire', () => {
  let e: Engine;
  before(async () => {
    e = await engine();
  });
  after(() => e.close());

  it('maps engine answers to coded errors: 404 task gone, 400 lock lost, expired lock', async () => {
    const t = new RestTransport({ baseUrl: `${e.url}/` });
    await assert.rejects(t.complete('nope', 'a'), code(WorkerErrors.TASK_GONE, (err) => assert.equal(err.details.status, 404)));
    await assert.rejects(t.unlock('nope'), code(WorkerErrors.TASK_GONE));
    await e.runtime.startInstance({ key: 'quick_p' });
    const [task] = await t.fetchAndLock({ workerId: 'a', maxTasks: 1, topics: [{ topicName: 'quick', lockDuration: 100 }] });
    assert.ok(task);
    assert.equal(task.workerId, 'a');
    assert.equal(task.topicName, 'quick');
    assert.equal(task.activityId, 'quick_task');
    assert.ok(Math.abs(task.lockExpirationTime - (Date.now() + 100)) < 2000);
    await assert.rejects(t.complete(task.id, 'b'), code(WorkerErrors.LOCK_LOST, (err) => assert.match(String(err.details.engineMessage), /locked by worker "a"/)));
    await assert.rejects(t.extendLock(task.id, 'b', 1000), code(WorkerErrors.LOCK_LOST));
    await pause(150);
    await assert.rejects(t.extendLock(task.id, 'a', 1000), code(WorkerErrors.LOCK_LOST, (err) => assert.match(err.message, /expired/)));
    await t.unlock(task.id);
    const [again] = await t.fetchAndLock({ workerId: 'b', maxTasks: 1, topics: [{ topicName: 'quick', lockDuration: 60_000 }] });
    await t.extendLock(again!.id, 'b', 120_000);
    await t.handleFailure(again!.id, 'b', { errorMessage: 'x', retries: 1, retryTimeout: 0 });
    const [third] = await t.fetchAndLock({ workerId: 'c', maxTasks: 1, topics: [{ topicName: 'quick', lockDuration: 60_000 }] });
    assert.equal(third!.retries, 1);
    assert.equal(third!.errorMessage, 'x');
    await t.complete(third!.id, 'c', { done: true }, { note: 'local' });
    await assert.rejects(t.complete(third!.id, 'c'), code(WorkerErrors.TASK_GONE));
  });

  it('long polls with asyncResponseTimeout and resolves with no tasks when aborted', async () => {
    const t = new RestTransport({ baseUrl: e.url });
    const t0 = Date.now();
    assert.deepEqual(await t.fetchAndLock({ workerId: 'a', maxTasks: 1, asyncResponseTimeout: 300, topics: [{ topicName: 'nobody', lockDuration: 100 }] }), []);
    assert.ok(Date.now() - t0 >= 250, 'the engine held the request');
    const abort = new AbortController();
    const waiting = t.fetchAndLock({ workerId: 'a', maxTasks: 1, asyncResponseTimeout: 20_000, topics: [{ topicName: 'nobody', lockDuration: 100 }] }, abort.signal);
    await waitFor('the long poll to wait', () => e.runtime.notifier.waiting >= 1, 5000);
    const t1 = Date.now();
    abort.abort();
    assert.deepEqual(await waiting, []);
    assert.ok(Date.now() - t1 < 1000);
    await waitFor('the engine to stop waiting', () => e.runtime.notifier.waiting === 0, 5000);
  });

  it('authenticates with HTTP Basic or a bearer token; without credentials it is ENGINE_UNAUTHORIZED', async () => {
    const secured = await engine({ users: { demo: await hashPassword('s3cret') }, tokens: ['tok-123'] });
    try {
      const req = { workerId: 'a', maxTasks: 1, topics: [{ topicName: 'nobody', lockDuration: 100 }] };
      await assert.rejects(new RestTransport({ baseUrl: secured.url }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNAUTHORIZED, (err) => assert.equal(err.details.status, 401)));
      await assert.rejects(new RestTransport({ baseUrl: secured.url, auth: { basic: { username: 'demo', password: 'wrong' } } }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNAUTHORIZED));
      assert.deepEqual(await new RestTransport({ baseUrl: secured.url, auth: { basic: { username: 'demo', password: 's3cret' } } }).fetchAndLock(req), []);
      assert.deepEqual(await new RestTransport({ baseUrl: secured.url, auth: { bearer: 'tok-123' } }).fetchAndLock(req), []);
    } finally {
      await secured.close();
    }
  });

  it('connection refused, 5xx and timeouts are ENGINE_UNREACHABLE; a non-JSON answer is ENGINE_BAD_ANSWER; other 4xx ENGINE_REFUSED', async () => {
    const req = { workerId: 'a', maxTasks: 1, topics: [{ topicName: 't', lockDuration: 100 }] };
    const port = await freePort();
    await assert.rejects(new RestTransport({ baseUrl: `http://127.0.0.1:${port}/engine-rest` }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.equal(err.details.reason, 'ECONNREFUSED')));
    const down = fakeFetch(() => json({ type: 'ProcessEngineException', message: 'database down' }, 503));
    await assert.rejects(new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: down.fetch }).complete('t1', 'a'), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.match(err.message, /503 ProcessEngineException: database down/)));
    const slow = fakeFetch((_url, init) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    await assert.rejects(new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: slow.fetch, requestTimeoutMs: 50 }).extendLock('t1', 'a', 10), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.equal(err.details.reason, 'timeout')));
    const html = fakeFetch(() => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    await assert.rejects(new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: html.fetch }).fetchAndLock(req), code(WorkerErrors.ENGINE_BAD_ANSWER));
    const notList = fakeFetch(() => json({ tasks: [] }));
    await assert.rejects(new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: notList.fetch }).fetchAndLock(req), code(WorkerErrors.ENGINE_BAD_ANSWER));
    const wrongPath = await new RestTransport({ baseUrl: `${e.url.replace('/engine-rest', '/nope')}` }).fetchAndLock(req).catch((x: unknown) => x);
    assert.ok(isProcosError(wrongPath, WorkerErrors.ENGINE_REFUSED), String(wrongPath));
    const badRequest = fakeFetch(() => json({ type: 'InvalidRequestException', message: 'Cannot complete: variable x has an unknown type' }, 400));
    await assert.rejects(new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: badRequest.fetch }).complete('t1', 'a'), code(WorkerErrors.ENGINE_REFUSED));
  });

  it('sends Camunda request bodies: typed variables, unlock without a body and Content-Type, credentials', async () => {
    const wire = fakeFetch(() => new Response(null, { status: 204 }));
    const t = new RestTransport({ baseUrl: 'http://engine:8080/engine-rest/', fetch: wire.fetch, auth: { bearer: 'tok' } });
    await t.complete('t 1', 'w', {
      s: 'text',
      i: 7,
      l: 2 ** 40,
      d: 0.25,
      b: false,
      n: null,
      j: { a: [1, 2] },
      date: '2026-01-01T10:00:00.000Z',
      f: { $type: 'File', filename: 'r.txt', mimeType: 'text/plain', encoding: 'utf-8', base64: b64('hi') },
      bytes: { $type: 'Bytes', base64: 'AQID' },
    });
    const c = wire.requests[0]!;
    assert.equal(c.url, 'http://engine:8080/engine-rest/external-task/t%201/complete');
    assert.equal(c.init.method, 'POST');
    const headers = c.init.headers as Record<string, string>;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers.authorization, 'Bearer tok');
    assert.deepEqual(JSON.parse(String(c.init.body)), {
      workerId: 'w',
      variables: {
        s: { type: 'String', value: 'text', valueInfo: {} },
        i: { type: 'Integer', value: 7, valueInfo: {} },
        l: { type: 'Long', value: 2 ** 40, valueInfo: {} },
        d: { type: 'Double', value: 0.25, valueInfo: {} },
        b: { type: 'Boolean', value: false, valueInfo: {} },
        n: { type: 'Null', value: null, valueInfo: {} },
        j: { type: 'Json', value: '{"a":[1,2]}', valueInfo: {} },
        date: { type: 'Date', value: '2026-01-01T10:00:00.000+0000', valueInfo: {} },
        f: { type: 'File', value: b64('hi'), valueInfo: { filename: 'r.txt', mimetype: 'text/plain', encoding: 'utf-8' } },
        bytes: { type: 'Bytes', value: 'AQID', valueInfo: {} },
      },
    });
    await t.unlock('t1');
    const u = wire.requests[1]!;
    assert.equal(u.url, 'http://engine:8080/engine-rest/external-task/t1/unlock');
    assert.equal(u.init.body, undefined);
    assert.equal((u.init.headers as Record<string, string>)['content-type'], undefined);
    await t.handleBpmnError('t1', 'w', 'E1', 'why', { x: 1 });
    assert.deepEqual(JSON.parse(String(wire.requests[2]!.init.body)), { workerId: 'w', errorCode: 'E1', errorMessage: 'why', variables: { x: { type: 'Integer', value: 1, valueInfo: {} } } });
    await t.handleFailure('t1', 'w', { errorMessage: 'm', errorDetails: 'd', retries: 2, retryTimeout: 500 });
    assert.deepEqual(JSON.parse(String(wire.requests[3]!.init.body)), { workerId: 'w', errorMessage: 'm', errorDetails: 'd', retries: 2, retryTimeout: 500 });
    await t.extendLock('t1', 'w', 900);
    assert.deepEqual(JSON.parse(String(wire.requests[4]!.init.body)), { workerId: 'w', newDuration: 900 });
    const basic = fakeFetch(() => new Response(null, { status: 204 }));
    await new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: basic.fetch, auth: { basic: { username: 'demo', password: 'pa ss' } } }).unlock('t1');
    assert.equal((basic.requests[0]!.init.headers as Record<string, string>).authorization, `Basic ${b64('demo:pa ss')}`);
  });

  it('reads Camunda answers: lower-case types, a charset, Object and File values; a task with an unreadable variable is failed with 0 retries and not handed out', async () => {
    const dto = (id: string, variables: Record<string, unknown>): Record<string, unknown> => ({
      id,
      topicName: 't',
      workerId: 'w',
      lockExpirationTime: '2026-01-01T00:00:10.000+0000',
      retries: null,
      priority: 0,
      processInstanceId: 'pi-1',
      executionId: 'ex-1',
      processDefinitionId: 'p:1:x',
      processDefinitionKey: 'p',
      activityId: 'task',
      activityInstanceId: 'task:1',
      businessKey: null,
      errorMessage: null,
      variables,
    });
    const wire = fakeFetch((url) => {
      if (url.endsWith('/fetchAndLock')) {
        return json(
          [
            dto('good', {
              s: { type: 'string', value: 'x', valueInfo: {} },
              j: { type: 'json', value: '{"k":[1]}', valueInfo: {} },
              o: { type: 'Object', value: '{"k":2}', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } },
              d: { type: 'Date', value: '2026-03-01T12:00:00.000+0100', valueInfo: {} },
              f: { type: 'File', value: null, valueInfo: { filename: 'a.txt', mimeType: 'text/plain', encoding: null } },
            }),
            dto('bad', { x: { type: 'Xml', value: '<a/>', valueInfo: {} } }),
          ],
          200,
          'application/json; charset=utf-8',
        );
      }
      if (url.endsWith('/execution/pi-1/localVariables/f/data')) return new Response('file body', { status: 200, headers: { 'content-type': 'text/plain' } });
      return new Response(null, { status: 204 });
    });
    const tasks = await new RestTransport({ baseUrl: 'http://engine/engine-rest', fetch: wire.fetch }).fetchAndLock({ workerId: 'w', maxTasks: 2, topics: [{ topicName: 't', lockDuration: 100 }] });
    assert.deepEqual(tasks.map((t) => t.id), ['good']);
    assert.deepEqual(tasks[0]!.variables, {
      s: 'x',
      j: { k: [1] },
      o: { k: 2 },
      d: '2026-03-01T11:00:00.000Z',
      f: { $type: 'File', filename: 'a.txt', mimeType: 'text/plain', encoding: null, base64: b64('file body') },
    });
    assert.equal(tasks[0]!.lockExpirationTime, Date.UTC(2026, 0, 1, 0, 0, 10));
    const failure = wire.requests.find((r) => r.url.endsWith('/external-task/bad/failure'))!;
    const body = JSON.parse(String(failure.init.body)) as Record<string, unknown>;
    assert.equal(body.retries, 0);
    assert.equal(body.workerId, 'w');
    assert.match(String(body.errorMessage), /PROCOS_WORKER_BAD_VARIABLE: variable 'x'.*Xml/);
    const fetchBody = JSON.parse(String(wire.requests[0]!.init.body)) as Record<string, unknown>;
    assert.deepEqual(fetchBody, { workerId: 'w', maxTasks: 2, topics: [{ topicName: 't', lockDuration: 100 }] });
  });

  it('refuses bad options', () => {
    for (const baseUrl of ['', 'ftp://x/engine-rest', 'not a url', 'http://x/engine-rest?a=1']) {
      assert.throws(() => new RestTransport({ baseUrl }), code(WorkerErrors.OPTIONS_INVALID));
    }
    assert.throws(() => new RestTransport({ baseUrl: 'http://x', auth: { basic: { username: 'a:b', password: 'c' } } }), code(WorkerErrors.OPTIONS_INVALID));
    assert.throws(() => new RestTransport({ baseUrl: 'http://x', auth: { bearer: '' } }), code(WorkerErrors.OPTIONS_INVALID));
    assert.throws(() => new RestTransport({ baseUrl: 'http://x', requestTimeoutMs: 0 }), code(WorkerErrors.OPTIONS_INVALID));
  });
});
