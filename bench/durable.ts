/**
 * Benchmark 2 (durable): start → external task → end through the durable runtime and the
 * external-task queue, on SQLite and on PostgreSQL, with each database's DEFAULT
 * durability settings.
 *
 * Method, per run: a fresh store (SQLite: a new file in a temp dir on the machine's disk;
 * PostgreSQL: a new database on a server started by this script with default durability:
 * fsync on, synchronous_commit on, full_page_writes on); deploy the model; then
 *
 * - `separate` phases: start N instances (`Runtime.startInstance`, each its own
 *   transaction, `c` starts in flight) → start throughput; then a worker in this process
 *   fetches batches of 100 (`fetchAndLock`, maxTasks 100, lock 60 s, all visible
 *   variables as a Camunda worker gets them by default) and completes each task
 *   (`completeExternalTask`), `c` completions in flight, until the queue is empty →
 *   completion throughput. c = 1: strictly one command after another; c > 1: limited
 *   concurrency (`--concurrency`, default 1 and 8);
 * - `overlap` (`--overlap`, with the largest c): the starter and the worker run at the
 *   same time (the worker long-polls and is woken by the runtime's topic notifier).
 *
 * End-to-end throughput = N / (first start → last completion). At the end every run
 * checks `store.countInstances({ status: 'completed' }) === N`. Medians of `--runs` runs.
 *
 *   node dist/bench/durable.js [--store sqlite|postgres|both] [--n 20000] [--runs 3]
 *     [--concurrency 1,8] [--overlap]
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Runtime } from '../src/runtime/index.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/index.js';
import { fmt, machine, median } from './lib.js';

const TOPIC = 'bench';
const WORKER = 'bench-worker';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_bench" targetNamespace="http://procos.dev/bench">
  <bpmn:process id="bench_external" name="Bench: one external task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${TOPIC}" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

// ------------------------------------------------------------------ arguments

interface Args {
  stores: ('sqlite' | 'postgres')[];
  n: number;
  runs: number;
  concurrency: number[];
  overlap: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { stores: ['sqlite', 'postgres'], n: 20_000, runs: 3, concurrency: [1, 8], overlap: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const int = (s: string, min: number): number => {
      const x = Number(s);
      if (!Number.isInteger(x) || x < min) throw new Error(`${k}: expected an integer ≥ ${min}, got ${s}`);
      return x;
    };
    if (k === '--store') {
      const s = v();
      if (s === 'both') a.stores = ['sqlite', 'postgres'];
      else if (s === 'sqlite' || s === 'postgres') a.stores = [s];
      else throw new Error(`--store: sqlite | postgres | both, got ${s}`);
    } else if (k === '--n') a.n = int(v(), 1);
    else if (k === '--runs') a.runs = int(v(), 1);
    else if (k === '--concurrency') a.concurrency = v().split(',').map((s) => int(s, 1));
    else if (k === '--overlap') a.overlap = true;
    else throw new Error(`unknown argument ${k} (known: --store, --n, --runs, --concurrency, --overlap)`);
  }
  return a;
}

// ------------------------------------------------------------------ helpers

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  if (limit <= 1) {
    for (const x of items) await fn(x);
    return;
  }
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` in flight. */
async function times(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  });
  await Promise.all(lanes);
}

/** Median latency of (8 KiB write + fdatasync) on a file in `dir`, µs: what one durable commit waits for at least. */
function fdatasyncMicros(dir: string, rounds = 200): number {
  const d = mkdtempSync(join(dir, 'procos-fsync-'));
  const fd = openSync(join(d, 'probe'), 'w');
  const buf = Buffer.alloc(8192, 7);
  const xs: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      writeSync(fd, buf, 0, buf.length, (i % 16) * 8192);
      fdatasyncSync(fd);
      xs.push((performance.now() - t0) * 1000);
    }
  } finally {
    closeSync(fd);
    rmSync(d, { recursive: true, force: true });
  }
  return median(xs);
}

function load(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

// ------------------------------------------------------------------ PostgreSQL (default durability)

interface PgServer {
  baseUrl: (db: string) => string;
  settings: Record<string, string>;
  version: string;
  stop(): void;
}

function pgBin(): string {
  const fromEnv = process.env['PROCOS_PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (or PROCOS_PG_BIN)');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`, { cause: error }));
      else resolve();
    });
  });
}

/**
 * A throw-away PostgreSQL server as test/helpers/postgres-server.ts starts it (temp dir,
 * 127.0.0.1, a free port, run as the postgres user when we are root), but with the
 * server's DEFAULT durability: no fsync / synchronous_commit / full_page_writes overrides.
 * Only max_connections is raised (as in the test helper).
 */
async function startDurablePostgres(): Promise<PgServer> {
  const bin = pgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'procos-bench-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const as = (tool: string, args: readonly string[]): Promise<void> =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
    const opts = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=300'].join(' ');
    await as('pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
  } catch (e) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '(no server log)';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${e instanceof Error ? e.message : String(e)}\n${serverLog}`, { cause: e });
  }
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      const args = [join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'fast', '-w'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
      else execFileSync(args[0]!, args.slice(1), { stdio: 'ignore' });
    } catch {
      // best effort
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  // a benchmark stopped by a signal (Ctrl-C, timeout) still takes its server down
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stop();
      process.exit(130);
    });
  }
  const baseUrl = (db: string): string => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const c = new pg.Client({ connectionString: baseUrl('postgres') });
  await c.connect();
  const settings: Record<string, string> = {};
  for (const name of ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'wal_level', 'shared_buffers', 'commit_delay']) {
    const r = await c.query<Record<string, string>>(`SHOW ${name}`);
    settings[name] = String(Object.values(r.rows[0]!)[0]);
  }
  const version = String((await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version);
  await c.end();
  return { baseUrl, settings, version, stop };
}

async function pgAdmin(server: PgServer, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server.baseUrl('postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

// ------------------------------------------------------------------ one run

interface Variant {
  mode: 'separate' | 'overlap';
  concurrency: number;
}

interface RunResult {
  startMs: number;
  completeMs: number;
  totalMs: number;
  fetches: number;
  /** CPU time (user + system) of this process over the whole run, ms. */
  cpuMs: number;
}

function label(v: Variant): string {
  return `${v.mode}, ${v.concurrency === 1 ? 'sequential (1 in flight)' : `${v.concurrency} in flight`}`;
}

/** The worker: fetch batches of 100, complete each, until `n` are done. */
async function worker(rt: Runtime, n: number, concurrency: number, longPoll: boolean): Promise<number> {
  let done = 0;
  let fetches = 0;
  while (done < n) {
    const tasks = await rt.fetchAndLock({ workerId: WORKER, maxTasks: 100, asyncResponseTimeout: longPoll ? 10_000 : 0, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] });
    fetches++;
    if (tasks.length === 0) {
      if (longPoll) continue;
      throw new Error(`the queue ran dry after ${done} of ${n} completions`);
    }
    await pool(tasks, concurrency, (t) => rt.completeExternalTask(t.id, WORKER));
    done += tasks.length;
  }
  return fetches;
}

async function oneRun(store: Store, n: number, v: Variant): Promise<RunResult> {
  const rt = new Runtime(store);
  try {
    const [def] = (await rt.deploy({ name: 'bench', resources: [{ name: 'bench.bpmn', content: MODEL }] })).definitions;
    const definitionId = def!.id;
    const start = (): Promise<void> => times(n, v.concurrency, async () => void (await rt.startInstance({ definitionId })));
    let startMs: number;
    let completeMs: number;
    let fetches: number;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (v.mode === 'separate') {
      await start();
      const t1 = performance.now();
      startMs = t1 - t0;
      fetches = await worker(rt, n, v.concurrency, false);
      completeMs = performance.now() - t1;
    } else {
      let tStartsDone = 0;
      const starting = start().then(() => void (tStartsDone = performance.now()));
      const [, f] = await Promise.all([starting, worker(rt, n, v.concurrency, true)]);
      fetches = f;
      startMs = tStartsDone - t0;
      completeMs = performance.now() - t0;
    }
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const completed = await store.countInstances({ status: 'completed' });
    if (completed !== n) throw new Error(`expected ${n} completed instances, found ${completed}`);
    const left = await store.countExternalTasks();
    if (left !== 0) throw new Error(`${left} external tasks are left`);
    return { startMs, completeMs, totalMs, fetches, cpuMs };
  } finally {
    rt.close();
  }
}

// ------------------------------------------------------------------ main

interface Summary {
  store: string;
  variant: Variant;
  runs: RunResult[];
  loads: string[];
}

function perS(n: number, ms: number): number {
  return (n / ms) * 1000;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (process.env['XP1'] || process.env['XP2']) console.log(`WARNING: XP1/XP2 set (${process.env['XP1'] ?? ''} ${process.env['XP2'] ?? ''}): extra SQLite pragmas in effect`);
  const variants: Variant[] = args.concurrency.map((c) => ({ mode: 'separate' as const, concurrency: c }));
  if (args.overlap) variants.push({ mode: 'overlap', concurrency: Math.max(...args.concurrency) });
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`command: node dist/bench/durable.js ${process.argv.slice(2).join(' ')}`);
  console.log(`disk: 8 KiB write + fdatasync in ${tmpdir()}: median ${fmt(fdatasyncMicros(tmpdir()))} µs`);
  console.log(`N = ${fmt(args.n)} instances per run, ${args.runs} run(s) per variant; worker: fetchAndLock maxTasks 100, lockDuration 60000`);
  const summaries: Summary[] = [];

  for (const kind of args.stores) {
    let server: PgServer | undefined;
    if (kind === 'postgres') {
      server = await startDurablePostgres();
      console.log(`postgres: PostgreSQL ${server.version}, data dir in ${tmpdir()} (ext4), settings: ${Object.entries(server.settings).map(([k, val]) => `${k}=${val}`).join(', ')}; store pool: 10 connections (default)`);
    } else {
      console.log(`sqlite: file in ${tmpdir()} (ext4), store defaults: journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON, one connection`);
    }
    try {
      for (const v of variants) {
        const s: Summary = { store: kind, variant: v, runs: [], loads: [] };
        summaries.push(s);
        for (let r = 0; r < args.runs; r++) {
          const loadBefore = load();
          let store: Store;
          let cleanup: () => Promise<void>;
          if (kind === 'sqlite') {
            const dir = mkdtempSync(join(tmpdir(), 'procos-bench-'));
            const path = join(dir, 'bench.db');
            store = await openStore(`sqlite:${path}`);
            cleanup = async () => {
              await store.close();
              rmSync(dir, { recursive: true, force: true });
            };
          } else {
            const db = `bench_${Date.now()}_${r}`;
            await pgAdmin(server!, `CREATE DATABASE ${db}`);
            store = await openStore(server!.baseUrl(db));
            cleanup = async () => {
              await store.close();
              await pgAdmin(server!, `DROP DATABASE ${db}`);
            };
          }
          let res: RunResult;
          try {
            res = await oneRun(store, args.n, v);
          } finally {
            await cleanup();
          }
          s.runs.push(res);
          s.loads.push(loadBefore);
          console.log(
            `${kind} [${label(v)}] run ${r + 1}: starts ${fmt(perS(args.n, res.startMs))}/s (${fmt(res.startMs / 1000, 1)} s), ` +
              `${v.mode === 'separate' ? 'completion phase' : 'worker'} ${fmt(perS(args.n, res.completeMs))}/s (${fmt(res.completeMs / 1000, 1)} s), ` +
              `end-to-end ${fmt(perS(args.n, res.totalMs))}/s (${fmt(res.totalMs / 1000, 1)} s), ${res.fetches} fetches, CPU ${fmt(res.cpuMs / 1000, 1)} s = ${fmt((res.cpuMs * 1000) / args.n)} µs/instance (${fmt((100 * res.cpuMs) / res.totalMs)}% of wall); load before: ${loadBefore}`,
          );
        }
      }
    } finally {
      server?.stop();
    }
  }

  console.log('');
  console.log(`| store | variant | started/s | completed/s (completion phase) | completed/s end-to-end | runs (end-to-end/s) |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const s of summaries) {
    const starts = median(s.runs.map((r) => perS(args.n, r.startMs)));
    const completes = median(s.runs.map((r) => perS(args.n, r.completeMs)));
    const e2e = s.runs.map((r) => perS(args.n, r.totalMs));
    console.log(
      `| ${s.store} | ${label(s.variant)} | ${fmt(starts)} | ${s.variant.mode === 'separate' ? fmt(completes) : '(overlapped)'} | **${fmt(median(e2e))}** | ${e2e.map((x) => fmt(x)).join(', ')} |`,
    );
  }
  console.log(`load (1/5/15 min) at the end: ${load()}`);
}

await main();
