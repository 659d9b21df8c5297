/**
 * Benchmark (REST): start → external task → end with ProcOS and a worker as separate
 * processes speaking the Camunda 7 REST API (`/engine-rest`), SQLite store (defaults:
 * WAL, synchronous = NORMAL), on one machine.
 *
 * Processes (three; the machine's cores are shared by all of them):
 * 1. ProcOS: `node dist/src/cli/main.js boot --no-workers --root-process none
 *    --log-level warn --db sqlite:<fresh file>` (a fresh data dir and database per run);
 * 2. the worker: this script with `--role worker`, either
 *    - `procos`: the real `TdeWorker` + `RestTransport` of `procos worker`
 *      (dist/src/worker), with the same logger (`createKernelLogger`, level warn), routes
 *      compiled by `compileRoutes` with one extra in-code adapter `bench` that records
 *      `Date.now()` and completes with no variables: the code path of `procos worker`
 *      with its adapter replaced (`--parallel`, default 32; `--max-tasks`, default 100;
 *      asyncResponseTimeout 20 s; usePriority left at the worker's default, true); or
 *    - `camunda`: camunda-external-task-client-js 3.x (`Client`, `subscribe`,
 *      `taskService.complete` in the handler), no logger middleware; maxTasks 100,
 *      usePriority false, asyncResponseTimeout 20 s, `interval` `--camunda-interval`
 *      (default 0 here; the client's own default, 300 ms, sleeps that long after every
 *      fetch), no maxParallelExecutions unless `--camunda-max-parallel`;
 * 3. the driver: this script (parent), POSTing `/process-definition/key/{key}/start`
 *    over node:http with keep-alive; every start carries the variable `sentAt` (Long,
 *    the driver's `Date.now()` just before the request is written).
 *
 * Scenarios, per run (a fresh ProcOS + worker each time):
 * - `throughput`: `--n` starts as fast as the engine accepts them, `--starters`
 *   requests in flight, while the worker completes the tasks. Completed instances/s =
 *   N / (first start sent → last `complete` answered, as the worker saw it). Verified:
 *   `GET /history/process-instance/count?finished=true` = N, and no running instance
 *   and no external task left.
 * - `latency`: an open-loop schedule of `--rate` starts/s (one every 1000/rate ms, not
 *   waiting for answers) for `--warmup` + `--seconds` seconds; only instances whose start
 *   was sent after the warm-up count. Dispatch latency = handler called (worker's
 *   `Date.now()`) − the task's `createTime` from the fetchAndLock answer. ProcOS sets
 *   `createTime` to the clock reading at the beginning of the step that created the task,
 *   so the figure also includes running and committing that step (it is an upper bound of
 *   "task committed → handler called"). Both clocks are the same machine's wall clock,
 *   read with ms resolution. Also reported: start sent → handler called (`sentAt`), and
 *   for `procos` the split at the fetchAndLock answer (its whole body received by the
 *   `RestTransport`'s HTTP exchange: the default `createHttpExchange()`, wrapped to read
 *   `createTime` from the same answer the transport parses; in `throughput` runs the
 *   wrapper only counts requests and completions, without parsing).
 *
 * CPU: each process's user+system CPU time during the measured window
 * (/proc/<pid>/stat for the children, process.cpuUsage() for the driver).
 *
 *   npm run bench:rest -- [--clients procos,camunda] [--scenarios throughput,latency]
 *     [--runs 3] [--n 8000] [--starters 8] [--rate 200] [--seconds 30] [--warmup 5]
 *     [--parallel 32] [--max-tasks 100] [--camunda-interval 0] [--camunda-max-parallel 0]
 *     [--async-response-timeout 20000] [--cpu-prof <dir>] [--json <file>]
 *
 * Diagnostics: `--cpu-prof <dir>` runs the ProcOS and the worker child with `node
 * --cpu-prof` (profiles written to <dir> when they exit); `--perf <dir>` records the ProcOS
 * and the worker child with `perf record -g` during the measured window (on-CPU samples,
 * native and kernel frames; JIT frames named through --perf-basic-prof-only-functions);
 * `--db-params synchronous=OFF` appends parameters to the SQLite URL; `--samples <dir>`
 * writes the raw samples of latency runs (per task, per fetch, per completion) as JSON;
 * `--procos-node-args "--trace-gc"` adds node flags to the ProcOS child and `--procos-log
 * <file>` appends its standard output to a file.
 *
 *   node dist/bench/rest-worker.js --role profile <file.cpuprofile>   (summary of a profile)
 *   node dist/bench/rest-worker.js --role table <run.json>…            (medians over --json files)
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machine, median } from './lib.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CLI = resolve(HERE, '../src/cli/main.js');
const TOPIC = 'bench';
const KEY = 'bench_rest';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_bench_rest" targetNamespace="http://procos.dev/bench">
  <bpmn:process id="${KEY}" name="Bench: one external task over REST" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${TOPIC}" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

type Client = 'procos' | 'camunda';
type Scenario = 'throughput' | 'latency';

// ------------------------------------------------------------------ arguments

interface Args {
  role: 'bench' | 'worker' | 'profile' | 'table';
  clients: Client[];
  scenarios: Scenario[];
  runs: number;
  n: number;
  starters: number;
  rate: number;
  seconds: number;
  warmup: number;
  parallel: number;
  maxTasks: number;
  camundaInterval: number;
  camundaMaxParallel: number;
  asyncResponseTimeout: number;
  cpuProf: string | null;
  perf: string | null;
  samples: string | null;
  procosNodeArgs: string[];
  procosLog: string | null;
  dbParams: string;
  json: string | null;
  // worker role
  url: string;
  client: Client;
  record: boolean;
  rest: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    role: 'bench',
    clients: ['procos', 'camunda'],
    scenarios: ['throughput', 'latency'],
    runs: 3,
    n: 8000,
    starters: 8,
    rate: 200,
    seconds: 30,
    warmup: 5,
    parallel: 32,
    maxTasks: 100,
    camundaInterval: 0,
    camundaMaxParallel: 0,
    asyncResponseTimeout: 20_000,
    cpuProf: null,
    perf: null,
    samples: null,
    procosNodeArgs: [],
    procosLog: null,
    dbParams: '',
    json: null,
    url: '',
    client: 'procos',
    record: false,
    rest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const int = (min: number): number => {
      const s = v();
      const x = Number(s);
      if (!Number.isInteger(x) || x < min) throw new Error(`${k}: expected an integer ≥ ${min}, got ${s}`);
      return x;
    };
    const list = <T extends string>(allowed: readonly T[]): T[] => {
      const xs = v().split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const x of xs) if (!allowed.includes(x as T)) throw new Error(`${k}: expected ${allowed.join(' | ')}, got ${x}`);
      return xs as T[];
    };
    if (k === '--role') {
      const r = v();
      if (r !== 'bench' && r !== 'worker' && r !== 'profile' && r !== 'table') throw new Error(`--role: bench | worker | profile | table, got ${r}`);
      a.role = r;
    } else if (k === '--clients') a.clients = list(['procos', 'camunda'] as const);
    else if (k === '--scenarios') a.scenarios = list(['throughput', 'latency'] as const);
    else if (k === '--runs') a.runs = int(1);
    else if (k === '--n') a.n = int(1);
    else if (k === '--starters') a.starters = int(1);
    else if (k === '--rate') a.rate = int(1);
    else if (k === '--seconds') a.seconds = int(1);
    else if (k === '--warmup') a.warmup = int(0);
    else if (k === '--parallel') a.parallel = int(1);
    else if (k === '--max-tasks') a.maxTasks = int(1);
    else if (k === '--camunda-interval') a.camundaInterval = int(0);
    else if (k === '--camunda-max-parallel') a.camundaMaxParallel = int(0);
    else if (k === '--async-response-timeout') a.asyncResponseTimeout = int(1);
    else if (k === '--cpu-prof') a.cpuProf = resolve(v());
    else if (k === '--perf') a.perf = resolve(v());
    else if (k === '--samples') a.samples = resolve(v());
    else if (k === '--procos-node-args') a.procosNodeArgs = v().split(' ').filter((x) => x !== '');
    else if (k === '--procos-log') a.procosLog = resolve(v());
    else if (k === '--db-params') a.dbParams = v();
    else if (k === '--json') a.json = resolve(v());
    else if (k === '--url') a.url = v();
    else if (k === '--client') a.client = list(['procos', 'camunda'] as const)[0] ?? 'procos';
    else if (k === '--record') a.record = true;
    else if (k.startsWith('--')) throw new Error(`unknown option ${k}`);
    else a.rest.push(k);
  }
  return a;
}

// ------------------------------------------------------------------ shared

/** One handled task, latency runs: [sentAt, createTime, fetchedAt (NaN when unknown), handlerAt], epoch ms. */
type Sample = [number, number, number, number];

interface WorkerReport {
  /** Each fetchAndLock of a latency run: [sent, answered, tasks] (epoch ms). */
  fetchLog: [number, number, number][];
  /** Each completion of a latency run: [sent, answered] (epoch ms). */
  completeLog: [number, number][];
  handled: number;
  completed: number;
  completeErrors: number;
  fetches: number;
  firstHandlerAt: number;
  lastCompleteAt: number;
  samples: Sample[];
}

type ToWorker = { type: 'report' } | { type: 'stop' };
type FromWorker = { type: 'ready' } | { type: 'report'; report: WorkerReport } | { type: 'error'; message: string };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ------------------------------------------------------------------ worker role

async function workerRole(a: Args): Promise<void> {
  const { parseDate } = await import('../src/common/camunda-values.js');
  const report: WorkerReport = { fetchLog: [], completeLog: [], handled: 0, completed: 0, completeErrors: 0, fetches: 0, firstHandlerAt: 0, lastCompleteAt: 0, samples: [] };
  const send = (m: FromWorker): void => void process.send?.(m);
  let stop: () => Promise<void>;

  if (a.client === 'procos') {
    const [{ RestTransport, TdeWorker, compileRoutes, createHttpExchange }, { adapterEntry, builtinAdapters }, { createKernelLogger }, { z }] = await Promise.all([
      import('../src/worker/index.js'),
      import('../src/adapters/index.js'),
      import('../src/kernel/index.js'),
      import('zod'),
    ]);
    type AdapterT = import('../src/adapters/index.js').Adapter<Record<string, never>>;
    type HttpExchange = import('../src/worker/index.js').HttpExchange;
    /** createTime and answer time per task id, from the wrapped exchange (latency runs). */
    const seen = new Map<string, { createTime: number; fetchedAt: number }>();
    /** The transport's default exchange, wrapped to observe fetchAndLock and complete answers. */
    const inner = createHttpExchange();
    const wrapped: HttpExchange = async (request) => {
      const sentAt = Date.now();
      const answer = await inner(request);
      if (request.url.endsWith('/external-task/fetchAndLock')) {
        report.fetches += 1;
        if (a.record && answer.status === 200) {
          const fetchedAt = Date.now();
          const list = JSON.parse(answer.body.toString('utf8')) as { id: string; createTime: string }[];
          for (const t of list) seen.set(t.id, { createTime: parseDate(t.createTime) ?? Number.NaN, fetchedAt });
          report.fetchLog.push([sentAt, fetchedAt, list.length]);
        }
      } else if (request.url.endsWith('/complete')) {
        if (answer.status >= 200 && answer.status < 300) {
          report.completed += 1;
          report.lastCompleteAt = Date.now();
          if (a.record) report.completeLog.push([sentAt, report.lastCompleteAt]);
        } else report.completeErrors += 1;
      }
      return answer;
    };
    const benchAdapter: AdapterT = {
      name: 'bench',
      configSchema: z.strictObject({}) as unknown as AdapterT['configSchema'],
      execute(input) {
        const at = Date.now();
        if (report.handled === 0) report.firstHandlerAt = at;
        report.handled += 1;
        if (a.record) {
          const s = seen.get(input.task.id);
          seen.delete(input.task.id);
          const sentAt = input.variables.sentAt;
          report.samples.push([typeof sentAt === 'number' ? sentAt : Number.NaN, s?.createTime ?? Number.NaN, s?.fetchedAt ?? Number.NaN, at]);
        }
        return Promise.resolve({ kind: 'complete', variables: {} });
      },
    };
    const routes = compileRoutes({ topics: { [TOPIC]: { adapter: 'bench', lockDuration: 30_000 } } }, { adapters: { ...builtinAdapters, bench: adapterEntry(benchAdapter) } });
    const logger = createKernelLogger({ level: 'warn', format: 'json', stream: process.stderr });
    const transport = new RestTransport({ baseUrl: a.url, exchange: wrapped });
    const worker = new TdeWorker({
      transport,
      workerId: `bench-tde@${os.hostname()}:${process.pid}`,
      routes,
      maxTasks: a.maxTasks,
      parallel: a.parallel,
      asyncResponseTimeout: a.asyncResponseTimeout,
      logger,
    });
    worker.start();
    stop = async () => {
      await worker.stop({ graceMs: 2000 });
      inner.close();
    };
  } else {
    interface CamundaTask {
      id: string;
      createTime: string;
      variables: { get(name: string): unknown };
    }
    interface CamundaClient {
      on(event: string, listener: (...args: unknown[]) => void): void;
      subscribe(topic: string, options: Record<string, unknown>, handler: (h: { task: CamundaTask; taskService: { complete(task: CamundaTask): Promise<void> } }) => Promise<void>): void;
      start(): void;
      stop(): void;
    }
    const spec: string = 'camunda-external-task-client-js';
    const mod = (await import(spec)) as { Client: new (options: Record<string, unknown>) => CamundaClient };
    const client = new mod.Client({
      baseUrl: a.url,
      workerId: `bench-camunda@${os.hostname()}:${process.pid}`,
      maxTasks: a.maxTasks,
      usePriority: false,
      asyncResponseTimeout: a.asyncResponseTimeout,
      interval: a.camundaInterval,
      lockDuration: 30_000,
      autoPoll: false,
      ...(a.camundaMaxParallel > 0 ? { maxParallelExecutions: a.camundaMaxParallel } : {}),
    });
    let lastFetchAt = Number.NaN;
    let pollAt = Number.NaN;
    client.on('poll:start', () => {
      pollAt = Date.now();
    });
    client.on('poll:success', (tasks: unknown) => {
      report.fetches += 1;
      lastFetchAt = Date.now();
      if (a.record) report.fetchLog.push([pollAt, lastFetchAt, Array.isArray(tasks) ? tasks.length : 0]);
    });
    client.subscribe(TOPIC, {}, async ({ task, taskService }) => {
      const at = Date.now();
      if (report.handled === 0) report.firstHandlerAt = at;
      report.handled += 1;
      if (a.record) {
        const sentAt = task.variables.get('sentAt');
        report.samples.push([typeof sentAt === 'number' ? sentAt : Number.NaN, parseDate(task.createTime) ?? Number.NaN, lastFetchAt, at]);
      }
      try {
        const sentAt = Date.now();
        await taskService.complete(task);
        report.completed += 1;
        report.lastCompleteAt = Date.now();
        if (a.record) report.completeLog.push([sentAt, report.lastCompleteAt]);
      } catch {
        report.completeErrors += 1;
      }
    });
    client.start();
    stop = () => {
      client.stop();
      return Promise.resolve();
    };
  }

  process.on('message', (raw: unknown) => {
    const m = raw as ToWorker;
    if (m.type === 'report') send({ type: 'report', report });
    else if (m.type === 'stop') void stop().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

// ------------------------------------------------------------------ profile summary

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a function lives, coarsely: a package, a ProcOS layer, node internals, or a V8 pseudo-node. */
function area(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : `(native) ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const src = /dist\/src\/([^/]+)\/(?:([^/]+)\/)?/.exec(url);
  if (src) return `procos/${src[1]}${src[1] === 'api' || src[1] === 'store' ? `/${src[2] ?? ''}` : ''}`;
  if (url.startsWith('node:internal/deps/')) return `node:internal/deps/${url.slice(19).split('/')[0]}`;
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

function profileSummary(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = p.endTime - p.startTime;
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, t]) => s + t, 0);
  const busy = total - idle;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    if (f.functionName === '(idle)') continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
    const ar = area(f.url, f.functionName);
    areas.set(ar, (areas.get(ar) ?? 0) + t);
  }
  // Inclusive time of a few ProcOS entry points (self time of the node and all below it).
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const wanted = /^(startInstance|completeExternalTask|fetchAndLockFiltered|fetchAndLock|withVariables|commit|runStep|lockedDtos|step|handleRequest|serialize|countHistoricProcessInstances)$/;
  for (const [id, t] of self) {
    const names = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (wanted.test(n.callFrame.functionName) && n.callFrame.url.includes('/dist/src/')) names.add(`${n.callFrame.functionName} (${area(n.callFrame.url, '')})`);
    }
    for (const k of names) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
  const pct = (t: number): string => `${((100 * t) / busy).toFixed(1)} %`;
  const ms = (t: number): string => `${fmt(t / 1000)} ms`;
  const lines = [`profile ${file}: ${ms(total)} wall, ${ms(busy)} busy (${((100 * busy) / total).toFixed(0)} % of one core), ${ms(idle)} idle`, '', 'self time by area:'];
  for (const [k, t] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 20)) lines.push(`  ${pct(t).padStart(7)}  ${ms(t).padStart(10)}  ${k}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [k, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(t).padStart(7)}  ${ms(t).padStart(10)}  ${k}`);
  lines.push('', 'inclusive time of ProcOS entry points:');
  for (const [k, t] of [...inclusive].sort((x, y) => y[1] - x[1])) lines.push(`  ${pct(t).padStart(7)}  ${ms(t).padStart(10)}  ${k}`);
  return lines.join('\n');
}

// ------------------------------------------------------------------ driver (bench role)

const CLK_TCK = 100;

/** User + system CPU seconds of a process (and the system part), from /proc. */
function cpuSeconds(pid: number | undefined): { total: number; sys: number } {
  if (pid === undefined) return { total: Number.NaN, sys: Number.NaN };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { total: (Number(f[11]) + Number(f[12])) / CLK_TCK, sys: Number(f[12]) / CLK_TCK }; // fields 14 and 15 (utime, stime)
  } catch {
    return { total: Number.NaN, sys: Number.NaN };
  }
}

function selfCpuSeconds(): { total: number; sys: number } {
  const u = process.cpuUsage();
  return { total: (u.user + u.system) / 1e6, sys: u.system / 1e6 };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

interface HttpAnswer {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(port: number, method: 'GET' | 'POST', path: string, body?: string): Promise<HttpAnswer> {
  return new Promise((res, rej) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        r.on('error', rej);
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

async function count(port: number, path: string): Promise<number> {
  const a = await request(port, 'GET', path);
  if (a.status !== 200) throw new Error(`GET ${path}: ${a.status} ${a.body.slice(0, 200)}`);
  return (JSON.parse(a.body) as { count: number }).count;
}

/** POSTs one start; resolves with the request's duration, ms. */
async function startOne(port: number): Promise<number> {
  const sentAt = Date.now();
  const a = await request(port, 'POST', `/engine-rest/process-definition/key/${KEY}/start`, `{"variables":{"sentAt":{"value":${sentAt},"type":"Long"}}}`);
  if (a.status !== 200) throw new Error(`start: ${a.status} ${a.body.slice(0, 300)}`);
  return Date.now() - sentAt;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });
}

async function stopChild(child: ChildProcess, ms = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await exited(child, ms))) {
    child.kill('SIGKILL');
    await exited(child, 5000);
  }
}

function ask(worker: ChildProcess): Promise<WorkerReport> {
  return new Promise((res, rej) => {
    const onMsg = (raw: unknown): void => {
      const m = raw as FromWorker;
      if (m.type === 'report') {
        worker.off('message', onMsg);
        res(m.report);
      } else if (m.type === 'error') rej(new Error(m.message));
    };
    worker.on('message', onMsg);
    worker.send({ type: 'report' } satisfies ToWorker);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function dist(xs: number[]): Dist {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, mean: s.reduce((x, y) => x + y, 0) / Math.max(1, s.length) };
}

interface RunResult {
  client: Client;
  scenario: Scenario;
  run: number;
  loadBefore: number[];
  instances: number;
  seconds: number;
  /** Completed instances/s (throughput) or achieved start rate (latency). */
  perSecond: number;
  startMs: Dist;
  dispatch?: Dist;
  startToHandler?: Dist;
  createdToAnswer?: Dist;
  answerToHandler?: Dist;
  /** Duration of the worker's complete requests (latency runs). */
  completeMs?: Dist;
  /** Tasks per fetchAndLock answer (latency runs). */
  tasksPerFetch?: Dist;
  fetches: number;
  /** CPU seconds in the measured window (and the system part). */
  cpu: { procos: number; worker: number; driver: number; procosSys: number; workerSys: number; driverSys: number };
  verified: string;
}

async function runOnce(a: Args, client: Client, scenario: Scenario, run: number): Promise<RunResult> {
  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const dir = mkdtempSync(join(tmpdir(), 'procos-rest-bench-'));
  const processes = join(dir, 'processes');
  mkdirSync(processes);
  writeFileSync(join(processes, 'bench-rest.bpmn'), MODEL);
  const port = await freePort();
  const base = `/engine-rest`;
  const url = `http://127.0.0.1:${port}${base}`;
  const prof = [
    ...(a.cpuProf === null ? [] : ['--cpu-prof', '--cpu-prof-dir', a.cpuProf, '--cpu-prof-name', `procos-${client}-${scenario}-${run}-${process.pid}.cpuprofile`]),
    ...(a.perf === null ? [] : ['--perf-basic-prof-only-functions']),
    ...a.procosNodeArgs,
  ];
  const bootArgs = [...prof, CLI, 'boot', '--port', String(port), '--no-workers', '--processes', processes, '--db', `sqlite:${join(dir, 'procos.db')}${a.dbParams === '' ? '' : `?${a.dbParams}`}`, '--data-dir', join(dir, '.procos'), '--root-process', 'none', '--log-level', 'warn', '--log-format', 'json'];
  const boot = spawn(process.execPath, bootArgs, { cwd: dir, stdio: ['ignore', a.procosLog === null ? 'ignore' : 'pipe', 'pipe'] });
  let bootErr = '';
  const bootStarted = Date.now();
  boot.stderr?.on('data', (c: Buffer) => {
    bootErr = (bootErr + c.toString('utf8')).slice(-4000);
  });
  if (a.procosLog !== null) {
    const log = a.procosLog;
    writeFileSync(log, `# ${client} ${scenario} #${run}, boot at ${bootStarted}\n`, { flag: 'a' });
    boot.stdout?.on('data', (c: Buffer) => writeFileSync(log, c, { flag: 'a' }));
  }
  let worker: ChildProcess | undefined;
  try {
    for (let i = 0; ; i++) {
      if (boot.exitCode !== null) throw new Error(`procos boot exited with ${boot.exitCode}: ${bootErr}`);
      try {
        const r = await request(port, 'GET', `${base}/process-definition/key/${KEY}`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      if (i > 300) throw new Error(`procos boot not ready after 30 s: ${bootErr}`);
      await sleep(100);
    }
    const record = scenario === 'latency';
    const wArgs = ['--role', 'worker', '--url', url, '--client', client, '--max-tasks', String(a.maxTasks), '--parallel', String(a.parallel), '--async-response-timeout', String(a.asyncResponseTimeout), '--camunda-interval', String(a.camundaInterval), '--camunda-max-parallel', String(a.camundaMaxParallel), ...(record ? ['--record'] : [])];
    const wProf = a.cpuProf === null ? [] : ['--cpu-prof', '--cpu-prof-dir', a.cpuProf, '--cpu-prof-name', `worker-${client}-${scenario}-${run}-${process.pid}.cpuprofile`];
    const w = fork(SELF, wArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...wProf, ...(a.perf === null ? [] : ['--perf-basic-prof-only-functions'])] });
    worker = w;
    await new Promise<void>((res, rej) => {
      w.once('message', (m: unknown) => ((m as FromWorker).type === 'ready' ? res() : rej(new Error(`worker: ${JSON.stringify(m)}`))));
      w.once('exit', (code) => rej(new Error(`worker exited with ${code}`)));
    });
    await sleep(500); // the worker's first long poll is waiting
    let perf: ChildProcess | undefined;
    if (a.perf !== null) {
      mkdirSync(a.perf, { recursive: true });
      perf = spawn('perf', ['record', '-F', '499', '-g', '-p', `${boot.pid},${w.pid}`, '-o', join(a.perf, `perf-${client}-${scenario}-${run}-${process.pid}.data`)], { stdio: 'ignore' });
      await sleep(1000);
    }
    const cpu0 = { procos: cpuSeconds(boot.pid), worker: cpuSeconds(w.pid), driver: selfCpuSeconds() };
    const startDurations: number[] = [];
    let total: number;
    let firstSentAt: number;
    let measureFrom = 0;
    let lastSentAt: number;
    if (scenario === 'throughput') {
      total = a.n;
      let next = 0;
      firstSentAt = Date.now();
      await Promise.all(
        Array.from({ length: a.starters }, async () => {
          while (next < total) {
            next += 1;
            startDurations.push(await startOne(port));
          }
        }),
      );
      lastSentAt = Date.now();
    } else {
      total = (a.warmup + a.seconds) * a.rate;
      const every = 1000 / a.rate;
      const t0 = Date.now() + 20;
      firstSentAt = t0;
      measureFrom = t0 + a.warmup * 1000;
      let sent = 0;
      let failed: unknown = null;
      const inflight = new Set<Promise<void>>();
      while (sent < total && failed === null) {
        const due = Math.min(total, Math.floor((Date.now() - t0) / every) + 1);
        while (sent < due) {
          sent += 1;
          const p: Promise<void> = startOne(port).then(
            (d) => void startDurations.push(d),
            (e: unknown) => void (failed = e),
          );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
        const wait = t0 + sent * every - Date.now();
        await sleep(Math.max(1, Math.min(wait, 5)));
      }
      await Promise.all(inflight);
      if (failed !== null) throw failed;
      lastSentAt = Date.now();
    }
    // Wait for every instance to finish.
    const deadline = Date.now() + 180_000;
    let finished = 0;
    for (;;) {
      const rep = await ask(w);
      if (rep.completed >= total) break;
      if (Date.now() > deadline) {
        finished = await count(port, `${base}/history/process-instance/count?finished=true`);
        throw new Error(`only ${rep.completed} completions (${finished} finished instances) of ${total} after 180 s`);
      }
      await sleep(50);
    }
    const cpu1 = { procos: cpuSeconds(boot.pid), worker: cpuSeconds(w.pid), driver: selfCpuSeconds() };
    if (perf !== undefined) {
      perf.kill('SIGINT');
      await exited(perf, 30_000);
    }
    const report = await ask(w);
    finished = await count(port, `${base}/history/process-instance/count?finished=true`);
    const running = await count(port, `${base}/process-instance/count`);
    const tasksLeft = await count(port, `${base}/external-task/count`);
    if (finished !== total || running !== 0 || tasksLeft !== 0) throw new Error(`verification failed: ${finished} finished of ${total}, ${running} running, ${tasksLeft} external tasks left`);
    const verified = `${finished} finished, 0 running, 0 tasks left`;
    const seconds = (report.lastCompleteAt - firstSentAt) / 1000;
    const result: RunResult = {
      client,
      scenario,
      run,
      loadBefore,
      instances: total,
      seconds,
      perSecond: scenario === 'throughput' ? total / seconds : total / ((lastSentAt - firstSentAt) / 1000),
      startMs: dist(startDurations),
      fetches: report.fetches,
      cpu: {
        procos: cpu1.procos.total - cpu0.procos.total,
        worker: cpu1.worker.total - cpu0.worker.total,
        driver: cpu1.driver.total - cpu0.driver.total,
        procosSys: cpu1.procos.sys - cpu0.procos.sys,
        workerSys: cpu1.worker.sys - cpu0.worker.sys,
        driverSys: cpu1.driver.sys - cpu0.driver.sys,
      },
      verified,
    };
    if (scenario === 'latency') {
      const measured = report.samples.filter((s) => s[0] >= measureFrom);
      result.dispatch = dist(measured.map((s) => s[3] - s[1]));
      result.startToHandler = dist(measured.map((s) => s[3] - s[0]));
      result.createdToAnswer = dist(measured.map((s) => s[2] - s[1]));
      result.answerToHandler = dist(measured.map((s) => s[3] - s[2]));
      result.instances = measured.length;
      result.completeMs = dist(report.completeLog.filter((c) => c[0] >= measureFrom).map((c) => c[1] - c[0]));
      result.tasksPerFetch = dist(report.fetchLog.filter((f) => f[0] >= measureFrom).map((f) => f[2]));
      if (a.samples !== null) {
        mkdirSync(a.samples, { recursive: true });
        writeFileSync(join(a.samples, `samples-${client}-${run}-${process.pid}.json`), JSON.stringify({ measureFrom, samples: report.samples, fetchLog: report.fetchLog, completeLog: report.completeLog }));
      }
    }
    w.send({ type: 'stop' } satisfies ToWorker);
    if (!(await exited(w, 10_000))) await stopChild(w);
    return result;
  } finally {
    if (worker !== undefined) await stopChild(worker);
    await stopChild(boot);
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(r: RunResult): string {
  const c = r.cpu;
  const cpu = `cpu s (sys): procos ${c.procos.toFixed(1)} (${c.procosSys.toFixed(1)}), worker ${c.worker.toFixed(1)} (${c.workerSys.toFixed(1)}), driver ${c.driver.toFixed(1)} (${c.driverSys.toFixed(1)})`;
  if (r.scenario === 'throughput') {
    return `${r.client} throughput #${r.run}: ${fmt(r.instances)} in ${r.seconds.toFixed(2)} s = ${fmt(r.perSecond)} inst/s; start p50 ${r.startMs.p50} ms; ${fmt(r.fetches)} fetches; ${cpu}; load ${r.loadBefore.join(' ')}; ${r.verified}`;
  }
  const d = r.dispatch!;
  const e = r.startToHandler!;
  return (
    `${r.client} latency #${r.run}: ${fmt(r.instances)} measured at ${fmt(r.perSecond, 1)} starts/s; dispatch p50 ${d.p50} p95 ${d.p95} p99 ${d.p99} max ${d.max} ms; ` +
    `start→handler p50 ${e.p50} p99 ${e.p99}; created→answer p50 ${r.createdToAnswer!.p50} p99 ${r.createdToAnswer!.p99}; answer→handler p50 ${r.answerToHandler!.p50} p99 ${r.answerToHandler!.p99}; ` +
    `start p50 ${r.startMs.p50} p99 ${r.startMs.p99} ms; ${r.completeMs ? `complete p50 ${r.completeMs.p50} p99 ${r.completeMs.p99} ms; ` : ''}${fmt(r.fetches)} fetches${r.tasksPerFetch ? `, tasks/fetch mean ${r.tasksPerFetch.mean.toFixed(1)} max ${r.tasksPerFetch.max}` : ''}; ${cpu}; load ${r.loadBefore.join(' ')}; ${r.verified}`
  );
}

function table(results: RunResult[], a: Args): string {
  const rows: string[] = [];
  const med = (xs: number[]): number => median(xs.filter((x) => Number.isFinite(x)));
  rows.push('| worker | scenario | runs | completed inst/s | dispatch p50 / p95 / p99 ms | start→handler p50 / p99 ms | CPU s (ProcOS / worker / driver) |');
  rows.push('|---|---|---:|---:|---:|---:|---:|');
  for (const client of a.clients) {
    for (const scenario of a.scenarios) {
      const rs = results.filter((r) => r.client === client && r.scenario === scenario);
      if (rs.length === 0) continue;
      const cpu = `${med(rs.map((r) => r.cpu.procos)).toFixed(1)} / ${med(rs.map((r) => r.cpu.worker)).toFixed(1)} / ${med(rs.map((r) => r.cpu.driver)).toFixed(1)}`;
      if (scenario === 'throughput') {
        rows.push(`| ${client} | throughput (N=${fmt(a.n)}) | ${rs.length} | ${fmt(med(rs.map((r) => r.perSecond)))} (${rs.map((r) => fmt(r.perSecond)).join(', ')}) | | | ${cpu} |`);
      } else {
        const d = (k: 'p50' | 'p95' | 'p99'): string => `${med(rs.map((r) => r.dispatch![k]))}`;
        const e = (k: 'p50' | 'p99'): string => `${med(rs.map((r) => r.startToHandler![k]))}`;
        rows.push(`| ${client} | latency (${a.rate}/s, ${a.seconds} s) | ${rs.length} | | ${d('p50')} / ${d('p95')} / ${d('p99')} (p99s: ${rs.map((r) => r.dispatch!.p99).join(', ')}) | ${e('p50')} / ${e('p99')} | ${cpu} |`);
      }
    }
  }
  return rows.join('\n');
}

async function benchRole(a: Args): Promise<void> {
  if (a.cpuProf !== null) mkdirSync(a.cpuProf, { recursive: true });
  console.log(`REST benchmark, ${new Date().toISOString()}`);
  console.log(`machine: ${machine()}; uname: ${os.type()} ${os.release()} ${os.arch()}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`options: ${JSON.stringify({ ...a, role: undefined, url: undefined, client: undefined, record: undefined, rest: undefined })}`);
  const results: RunResult[] = [];
  for (let run = 1; run <= a.runs; run++) {
    for (const client of a.clients) {
      for (const scenario of a.scenarios) {
        let r: RunResult | undefined;
        for (let attempt = 1; r === undefined; attempt++) {
          try {
            r = await runOnce(a, client, scenario, run);
          } catch (e) {
            // Other work on the machine may rebuild dist/ under a starting child: try again, twice.
            if (!(e instanceof Error) || !/procos boot (exited|not ready)|worker exited/.test(e.message) || attempt >= 3) throw e;
            console.log(`${client} ${scenario} #${run}: ${e.message.split('\n')[0]}; starting again`);
          }
        }
        results.push(r);
        console.log(describe(r));
      }
    }
  }
  console.log('');
  console.log(table(results, a));
  if (a.json !== null) writeFileSync(a.json, JSON.stringify({ date: new Date().toISOString(), machine: machine(), options: a, results }, null, 2));
}

// ------------------------------------------------------------------ main

const args = parseArgs(process.argv.slice(2));
if (args.role === 'worker') {
  await workerRole(args);
} else if (args.role === 'profile') {
  for (const f of args.rest) console.log(profileSummary(f));
} else if (args.role === 'table') {
  // Medians over the runs of several --json files (taken at different times).
  const files = args.rest.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { options: Args; results: RunResult[] });
  const results = files.flatMap((f) => f.results);
  const o = files[0]!.options;
  for (const r of results) console.log(describe(r));
  console.log('');
  console.log(table(results, { ...o, clients: [...new Set(results.map((r) => r.client))], scenarios: [...new Set(results.map((r) => r.scenario))] }));
} else {
  await benchRole(args);
  agent.destroy();
}
