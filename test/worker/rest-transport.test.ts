/**
 * The REST transport against a real ProcOS engine-rest server (Fastify on 127.0.0.1, a
 * real SQLite store, the runtime) with the real TdeWorker and its shell adapter: a
 * process runs to completion through REST with every variable type both ways (File
 * content included); failures until an incident; BPMN errors caught by a boundary
 * event; lock extension of a slow task; unlock on stop; long polling woken by task
 * creation; the engine going down (backoff) and coming back (recovery). Then the wire
 * format and error mapping of the transport on its own, against the engine and against a
 * scripted node:http server on 127.0.0.1 that records every request: Camunda request
 * bodies and headers, 404 / 400 / 401 / 5xx / refused / timeout / non-JSON answers,
 * aborts, unreadable variables, keep-alive connection reuse and abort listeners.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
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
import { compileRoutes, createHttpExchange, RestTransport, TdeWorker, WorkerErrors } from '../../src/worker/index.js';
import type { HttpExchange, RestTransportOptions, TdeWorkerOptions } from '../../src/worker/index.js';
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

/** Every transport the tests make, closed (idle keep-alive connections) after the last test. */
const transports: RestTransport[] = [];
after(() => {
  for (const t of transports) t.close();
});

/** A RestTransport, closed after the tests. */
function rest(options: RestTransportOptions): RestTransport {
  const t = new RestTransport(options);
  transports.push(t);
  return t;
}

function worker(e: Engine, options: Partial<TdeWorkerOptions> = {}): { worker: TdeWorker; lines: LogLine[] } {
  const { logger, lines } = captureLogger();
  const w = new TdeWorker({ transport: rest({ baseUrl: e.url }), workerId: 'rest-w', routes: ROUTES, asyncResponseTimeout: 1000, logger, ...options });
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
    const inner = createHttpExchange();
    after(() => inner.close());
    const counting: HttpExchange = (request) => {
      if (request.url.endsWith('/external-task/fetchAndLock')) fetches += 1;
      return inner(request);
    };
    const { logger } = captureLogger();
    const w = new TdeWorker({ transport: rest({ baseUrl: e.url, exchange: counting }), workerId: 'lp', routes: ROUTES, asyncResponseTimeout: 30_000, logger });
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

/** A request as the scripted server received it. */
interface SeenRequest {
  method: string;
  /** The request target: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** True once the client dropped the request before it was answered (abort, timeout). */
  dropped: boolean;
}

/** What the scripted server answers: a status with an optional Content-Type and body, or nothing ever. */
type Script = { status: number; type?: string; body?: string } | 'never';

/** A node:http server on 127.0.0.1 that records every request and answers as `answer` says. */
interface ScriptedServer {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly requests: SeenRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  answer: (r: SeenRequest) => Script | Promise<Script>;
  close(): Promise<void>;
}

async function scriptedServer(): Promise<ScriptedServer> {
  let connections = 0;
  const requests: SeenRequest[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), dropped: false };
      requests.push(seen);
      res.on('close', () => {
        if (!res.writableEnded) seen.dropped = true;
      });
      void Promise.resolve(s.answer(seen)).then((a) => {
        if (a === 'never' || res.destroyed) return;
        res.writeHead(a.status, a.type !== undefined ? { 'content-type': a.type } : {});
        res.end(a.body);
      });
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const s: ScriptedServer = {
    base: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    answer: () => ({ status: 204 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return s;
}

const json = (body: unknown, status = 200, type = 'application/json'): Script => ({ status, type, body: JSON.stringify(body) });

/** An answer function that holds each request until `n` have arrived, then answers them all 204. */
function gate(n: number): () => Promise<Script> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === n) open();
    await opened;
    return { status: 204 };
  };
}

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
  let srv: ScriptedServer;
  before(async () => {
    e = await engine();
    srv = await scriptedServer();
  });
  after(async () => {
    await e.close();
    await srv.close();
  });

  it('maps engine answers to coded errors: 404 task gone, 400 lock lost, expired lock', async () => {
    const t = rest({ baseUrl: `${e.url}/` });
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
    const t = rest({ baseUrl: e.url });
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
      await assert.rejects(rest({ baseUrl: secured.url }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNAUTHORIZED, (err) => assert.equal(err.details.status, 401)));
      await assert.rejects(rest({ baseUrl: secured.url, auth: { basic: { username: 'demo', password: 'wrong' } } }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNAUTHORIZED));
      assert.deepEqual(await rest({ baseUrl: secured.url, auth: { basic: { username: 'demo', password: 's3cret' } } }).fetchAndLock(req), []);
      assert.deepEqual(await rest({ baseUrl: secured.url, auth: { bearer: 'tok-123' } }).fetchAndLock(req), []);
    } finally {
      await secured.close();
    }
  });

  it('connection refused, 5xx and timeouts are ENGINE_UNREACHABLE; a non-JSON answer is ENGINE_BAD_ANSWER; other 4xx ENGINE_REFUSED', async () => {
    const req = { workerId: 'a', maxTasks: 1, topics: [{ topicName: 't', lockDuration: 100 }] };
    const port = await freePort();
    await assert.rejects(rest({ baseUrl: `http://127.0.0.1:${port}/engine-rest` }).fetchAndLock(req), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.equal(err.details.reason, 'ECONNREFUSED')));
    const base = `${srv.base}/engine-rest`;
    srv.answer = () => json({ type: 'ProcessEngineException', message: 'database down' }, 503);
    await assert.rejects(
      rest({ baseUrl: base }).complete('t1', 'a'),
      code(WorkerErrors.ENGINE_UNREACHABLE, (err) => {
        assert.match(err.message, /503 ProcessEngineException: database down/);
        assert.equal(err.details.reason, 'status 503');
      }),
    );
    srv.answer = () => 'never';
    const t0 = Date.now();
    await assert.rejects(rest({ baseUrl: base, requestTimeoutMs: 50 }).extendLock('t1', 'a', 10), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.equal(err.details.reason, 'timeout')));
    assert.ok(Date.now() - t0 < 2000, `timed out after ${Date.now() - t0} ms`);
    const hung = srv.requests.at(-1)!;
    assert.equal(hung.url, '/engine-rest/external-task/t1/extendLock');
    await waitFor('the server to see the timed-out request dropped', () => hung.dropped, 5000);
    srv.answer = () => ({ status: 200, type: 'text/html', body: '<html>login</html>' });
    await assert.rejects(rest({ baseUrl: base }).fetchAndLock(req), code(WorkerErrors.ENGINE_BAD_ANSWER));
    srv.answer = () => json({ tasks: [] });
    await assert.rejects(rest({ baseUrl: base }).fetchAndLock(req), code(WorkerErrors.ENGINE_BAD_ANSWER));
    const wrongPath = await rest({ baseUrl: `${e.url.replace('/engine-rest', '/nope')}` }).fetchAndLock(req).catch((x: unknown) => x);
    assert.ok(isProcosError(wrongPath, WorkerErrors.ENGINE_REFUSED), String(wrongPath));
    srv.answer = () => json({ type: 'InvalidRequestException', message: 'Cannot complete: variable x has an unknown type' }, 400);
    await assert.rejects(rest({ baseUrl: base }).complete('t1', 'a'), code(WorkerErrors.ENGINE_REFUSED, (err) => assert.equal(err.details.status, 400)));
  });

  it('sends Camunda request bodies: typed variables, unlock without a body and Content-Type, credentials', async () => {
    srv.answer = () => ({ status: 204 });
    const first = srv.requests.length;
    const t = rest({ baseUrl: `${srv.base}/engine-rest/`, auth: { bearer: 'tok' } });
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
    const wire = srv.requests.slice(first);
    const c = wire[0]!;
    assert.equal(c.url, '/engine-rest/external-task/t%201/complete');
    assert.equal(c.headers.host, srv.base.slice('http://'.length));
    assert.equal(c.method, 'POST');
    assert.equal(c.headers['content-type'], 'application/json');
    assert.equal(c.headers.accept, 'application/json');
    assert.equal(c.headers.authorization, 'Bearer tok');
    assert.equal(c.headers['content-length'], String(Buffer.byteLength(c.body)), 'an explicit Content-Length, not chunked');
    assert.equal(c.headers['transfer-encoding'], undefined);
    assert.deepEqual(JSON.parse(c.body), {
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
    const u = srv.requests.slice(first)[1]!;
    assert.equal(u.url, '/engine-rest/external-task/t1/unlock');
    assert.equal(u.method, 'POST');
    assert.equal(u.body, '');
    assert.equal(u.headers['content-length'], '0');
    assert.equal(u.headers['content-type'], undefined);
    await t.handleBpmnError('t1', 'w', 'E1', 'why', { x: 1 });
    assert.deepEqual(JSON.parse(srv.requests.slice(first)[2]!.body), { workerId: 'w', errorCode: 'E1', errorMessage: 'why', variables: { x: { type: 'Integer', value: 1, valueInfo: {} } } });
    await t.handleFailure('t1', 'w', { errorMessage: 'm', errorDetails: 'd', retries: 2, retryTimeout: 500 });
    assert.deepEqual(JSON.parse(srv.requests.slice(first)[3]!.body), { workerId: 'w', errorMessage: 'm', errorDetails: 'd', retries: 2, retryTimeout: 500 });
    await t.extendLock('t1', 'w', 900);
    const x = srv.requests.slice(first)[4]!;
    assert.equal(x.url, '/engine-rest/external-task/t1/extendLock');
    assert.deepEqual(JSON.parse(x.body), { workerId: 'w', newDuration: 900 });
    await rest({ baseUrl: `${srv.base}/engine-rest`, auth: { basic: { username: 'demo', password: 'pa ss' } } }).unlock('t1');
    assert.equal(srv.requests.at(-1)!.headers.authorization, `Basic ${b64('demo:pa ss')}`);
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
    srv.answer = ({ url }) => {
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
      if (url.endsWith('/execution/pi-1/localVariables/f/data')) return { status: 200, type: 'text/plain', body: 'file body' };
      return { status: 204 };
    };
    const first = srv.requests.length;
    const tasks = await rest({ baseUrl: `${srv.base}/engine-rest` }).fetchAndLock({ workerId: 'w', maxTasks: 2, topics: [{ topicName: 't', lockDuration: 100 }] });
    const wire = srv.requests.slice(first);
    assert.deepEqual(tasks.map((t) => t.id), ['good']);
    assert.deepEqual(tasks[0]!.variables, {
      s: 'x',
      j: { k: [1] },
      o: { k: 2 },
      d: '2026-03-01T11:00:00.000Z',
      f: { $type: 'File', filename: 'a.txt', mimeType: 'text/plain', encoding: null, base64: b64('file body') },
    });
    assert.equal(tasks[0]!.lockExpirationTime, Date.UTC(2026, 0, 1, 0, 0, 10));
    const download = wire.find((r) => r.url.endsWith('/localVariables/f/data'))!;
    assert.equal(download.method, 'GET');
    assert.equal(download.url, '/engine-rest/execution/pi-1/localVariables/f/data');
    assert.equal(download.headers.accept, '*/*');
    assert.equal(download.headers['content-type'], undefined);
    const failure = wire.find((r) => r.url.endsWith('/external-task/bad/failure'))!;
    assert.equal(failure.method, 'POST');
    const body = JSON.parse(failure.body) as Record<string, unknown>;
    assert.equal(body.retries, 0);
    assert.equal(body.workerId, 'w');
    assert.match(String(body.errorMessage), /PROCOS_WORKER_BAD_VARIABLE: variable 'x'.*Xml/);
    assert.equal(wire[0]!.url, '/engine-rest/external-task/fetchAndLock');
    assert.equal(wire[0]!.method, 'POST');
    const fetchBody = JSON.parse(wire[0]!.body) as Record<string, unknown>;
    assert.deepEqual(fetchBody, { workerId: 'w', maxTasks: 2, topics: [{ topicName: 't', lockDuration: 100 }] });
  });

  it('reuses keep-alive connections: 50 sequential requests over one, concurrent ones over as many as are busy at once', { timeout: 20_000 }, async () => {
    const t = rest({ baseUrl: `${srv.base}/engine-rest` });
    srv.answer = () => ({ status: 204 });
    const before = srv.connections;
    for (let i = 0; i < 50; i++) await t.complete(`seq-${i}`, 'w');
    assert.equal(srv.connections - before, 1, '50 sequential completes over one connection');
    // The server holds each request until all 10 have arrived: 10 connections busy at once.
    srv.answer = gate(10);
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.complete(`par-${i}`, 'w')));
    assert.equal(srv.connections - before, 10, 'the idle connection reused, 9 more opened');
    srv.answer = gate(10);
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.extendLock(`par-${i}`, 'w', 1000)));
    assert.equal(srv.connections - before, 10, 'the second burst reuses the 10 idle connections');
    srv.answer = () => ({ status: 204 });
    for (let i = 0; i < 20; i++) await t.unlock(`seq-${i}`);
    assert.equal(srv.connections - before, 10, 'no new connection afterwards');
  });

  it('leaves no abort listener on the caller signal once a request settles; an aborted long poll resolves with no tasks and drops its request', { timeout: 20_000 }, async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const req = { workerId: 'a', maxTasks: 1, asyncResponseTimeout: 20_000, topics: [{ topicName: 't', lockDuration: 100 }] };
      const t = rest({ baseUrl: `${srv.base}/engine-rest` });
      // One long-lived signal, never aborted, used for many fetches in turn.
      const longLived = new AbortController();
      srv.answer = () => json([]);
      for (let i = 0; i < 20; i++) {
        assert.deepEqual(await t.fetchAndLock(req, longLived.signal), []);
        assert.equal(getEventListeners(longLived.signal, 'abort').length, 0, `after answered fetch ${i}`);
      }
      srv.answer = () => 'never';
      const timing = rest({ baseUrl: `${srv.base}/engine-rest`, requestTimeoutMs: 20 });
      for (let i = 0; i < 12; i++) {
        await assert.rejects(timing.fetchAndLock({ ...req, asyncResponseTimeout: 0 }, longLived.signal), code(WorkerErrors.ENGINE_UNREACHABLE, (err) => assert.equal(err.details.reason, 'timeout')));
        assert.equal(getEventListeners(longLived.signal, 'abort').length, 0, `after timed-out fetch ${i}`);
      }
      // Long polls aborted by the caller while the server holds them.
      const first = srv.requests.length;
      for (let i = 0; i < 20; i++) {
        const abort = new AbortController();
        const waiting = t.fetchAndLock(req, abort.signal);
        await waitFor('the server to hold the long poll', () => srv.requests.length === first + i + 1, 5000);
        assert.equal(getEventListeners(abort.signal, 'abort').length, 1, 'one listener while the request runs');
        abort.abort();
        assert.deepEqual(await waiting, []);
        assert.equal(getEventListeners(abort.signal, 'abort').length, 0);
      }
      await waitFor('the server to see every aborted long poll dropped', () => srv.requests.slice(first).every((r) => r.dropped), 5000);
      assert.equal(getEventListeners(longLived.signal, 'abort').length, 0);
      await pause(20); // warnings are emitted on a later tick
      assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
    } finally {
      process.off('warning', onWarning);
    }
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
