/**
 * Benchmark 3 (memory): what an idle waiting instance costs. start → userTask → end;
 * N instances (default 100,000) are started on SQLite (store defaults: WAL,
 * synchronous=NORMAL) and left waiting at the user task.
 *
 * Measured:
 * - storage: (database file + -wal) after the starts, minus the same before them, / N
 *   = bytes per instance; per table and index with SQLite's `dbstat` virtual table
 *   (pages of the logical database, WAL included, as a reader sees it), and the
 *   average length of the instance state JSON;
 * - RSS and V8 heap of THIS process after a full GC (`--expose-gc`), while the N
 *   instances wait and the runtime and store stay open, compared with the same process
 *   before the starts;
 * - a fresh process (child) that opens the store with the N waiting instances and
 *   completes 10 of the user tasks: its RSS, next to the same child on a store holding
 *   only 10 waiting instances (control). Equal figures = an idle instance costs a row,
 *   not RAM.
 *
 *   node --expose-gc dist/bench/memory.js [--n 100000] [--batch 1000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Runtime } from '../src/runtime/index.js';
import { openStore } from '../src/store/index.js';
import { fmt, machine } from './lib.js';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_bench_user" targetNamespace="http://procos.dev/bench">
  <bpmn:process id="bench_user" name="Bench: one user task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="clerks" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const MiB = 2 ** 20;

interface Mem {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run with node --expose-gc');
  g();
  g();
}

function mem(): Mem {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

function mb(n: number): string {
  return `${fmt(n / MiB, 1)} MiB`;
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function dbFiles(path: string): { db: number; wal: number; shm: number } {
  return { db: fileSize(path), wal: fileSize(`${path}-wal`), shm: fileSize(`${path}-shm`) };
}

function load(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

// ------------------------------------------------------------------ child: a fresh process on an existing store

interface ChildReport {
  rssBeforeOpen: number;
  rssAfterOpen: number;
  completed: number;
  /** After completing the given user tasks (found by id, no scan). */
  after: Mem;
  completeMs: number;
  /** Then: count all waiting user tasks and list the first page of 10 (Camunda's task list). */
  waiting: number;
  afterList: Mem;
  listMs: number;
}

async function child(path: string, ids: string[]): Promise<void> {
  const rssBeforeOpen = mem().rss;
  const store = await openStore(`sqlite:${path}`);
  const rt = new Runtime(store);
  const rssAfterOpen = mem().rss;
  const t0 = performance.now();
  for (const id of ids) await rt.completeUserTask(id);
  const completeMs = performance.now() - t0;
  const after = mem();
  const t1 = performance.now();
  const waiting = await store.countUserTasks();
  await store.listUserTasks({}, { maxResults: 10 });
  const listMs = performance.now() - t1;
  const afterList = mem();
  const report: ChildReport = { rssBeforeOpen, rssAfterOpen, completed: ids.length, after, completeMs, waiting, afterList, listMs };
  process.stdout.write(JSON.stringify(report) + '\n');
  rt.close();
  await store.close();
}

/** Ids of `k` waiting user tasks, read with a separate read-only connection (by rowid order: no sort). */
function someUserTasks(path: string, k: number): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id FROM user_task LIMIT ?').pluck().all(k) as string[];
  } finally {
    db.close();
  }
}

function runChild(path: string, k: number): ChildReport {
  const script = fileURLToPath(import.meta.url);
  const ids = someUserTasks(path, k);
  const r = spawnSync(process.execPath, ['--expose-gc', script, '--child', path, '--ids', ids.join(',')], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

// ------------------------------------------------------------------ parent

interface TableSize {
  name: string;
  kind: string;
  pages: number;
  bytes: number;
  payload: number;
  rows: number | null;
}

function tableSizes(path: string): { sizes: TableSize[]; pageSize: number; pageCount: number; avgState: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const objects = db.prepare("SELECT name, type, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')").all() as { name: string; type: string; tbl_name: string }[];
    const kindOf = new Map(objects.map((o) => [o.name, o.type === 'table' ? 'table' : `index on ${o.tbl_name}`]));
    const stats = db.prepare('SELECT name, COUNT(*) AS pages, SUM(pgsize) AS bytes, SUM(payload) AS payload FROM dbstat GROUP BY name ORDER BY SUM(pgsize) DESC').all() as {
      name: string;
      pages: number;
      bytes: number;
      payload: number;
    }[];
    const sizes = stats.map((s) => {
      const kind = kindOf.get(s.name) ?? (s.name.startsWith('sqlite_autoindex_') ? `index on ${s.name.replace(/^sqlite_autoindex_(.*)_\d+$/, '$1')} (primary key)` : 'internal');
      const rows = kind === 'table' ? ((db.prepare(`SELECT COUNT(*) AS c FROM "${s.name}"`).get() as { c: number }).c) : null;
      return { name: s.name, kind, pages: s.pages, bytes: s.bytes, payload: s.payload, rows };
    });
    const avgState = (db.prepare('SELECT AVG(LENGTH(state)) AS a FROM process_instance').get() as { a: number | null }).a ?? 0;
    return { sizes, pageSize, pageCount, avgState };
  } finally {
    db.close();
  }
}

async function seedControl(path: string, k: number): Promise<void> {
  const store = await openStore(`sqlite:${path}`);
  const rt = new Runtime(store);
  const [def] = (await rt.deploy({ name: 'bench', resources: [{ name: 'bench-user.bpmn', content: MODEL }] })).definitions;
  for (let i = 0; i < k; i++) await rt.startInstance({ definitionId: def!.id });
  rt.close();
  await store.close();
}

async function parent(n: number, batch: number): Promise<void> {
  console.log(`machine: ${machine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`command: node --expose-gc dist/bench/memory.js ${process.argv.slice(2).join(' ')}`);
  console.log(`load before: ${load()}`);
  if (process.env['XP1'] || process.env['XP2']) console.log(`WARNING: XP1/XP2 set: extra SQLite pragmas in effect`);
  const dir = mkdtempSync(join(tmpdir(), 'procos-bench-mem-'));
  const path = join(dir, 'bench.db');
  const controlPath = join(dir, 'control.db');
  try {
    await seedControl(controlPath, 10);
    const store = await openStore(`sqlite:${path}`);
    const rt = new Runtime(store);
    const [def] = (await rt.deploy({ name: 'bench', resources: [{ name: 'bench-user.bpmn', content: MODEL }] })).definitions;
    const definitionId = def!.id;
    // one instance started and completed, so that every code path is loaded before the baseline
    const warm = await rt.startInstance({ definitionId });
    await rt.completeUserTask((await store.listUserTasks({ processInstanceId: warm.id }))[0]!.id);
    const filesBefore = dbFiles(path);
    const before = mem();

    const t0 = performance.now();
    for (let started = 0; started < n; ) {
      const k = Math.min(batch, n - started);
      await Promise.all(Array.from({ length: k }, () => rt.startInstance({ definitionId })));
      started += k;
      if (started % 20_000 === 0 || started === n) console.log(`  started ${fmt(started)} (${fmt((started / (performance.now() - t0)) * 1000)}/s so far)`);
    }
    const startMs = performance.now() - t0;

    const waiting = await store.countUserTasks();
    const active = await store.countInstances({ status: 'active' });
    if (waiting !== n || active !== n) throw new Error(`expected ${n} waiting user tasks and active instances, found ${waiting} and ${active}`);

    const after = mem();
    const filesAfter = dbFiles(path);
    const loadAtMeasure = load();
    const { sizes, pageSize, pageCount, avgState } = tableSizes(path);
    const big = runChild(path, 10);
    const control = runChild(controlPath, 10);

    const grown = filesAfter.db + filesAfter.wal - (filesBefore.db + filesBefore.wal);
    const logical = sizes.reduce((s, x) => s + x.bytes, 0);
    console.log(`\nN = ${fmt(n)} instances waiting at a user task; started in batches of ${fmt(batch)} in flight at ${fmt((n / startMs) * 1000)}/s (${fmt(startMs / 1000, 1)} s); load at measurement: ${loadAtMeasure}`);
    console.log('\n### Storage');
    console.log(`| | bytes | per instance |`);
    console.log(`|---|---|---|`);
    console.log(`| database file before the starts (+ -wal) | ${fmt(filesBefore.db)} (+ ${fmt(filesBefore.wal)}) | |`);
    console.log(`| database file after (+ -wal) | ${fmt(filesAfter.db)} (+ ${fmt(filesAfter.wal)}) | |`);
    console.log(`| growth of file + -wal | ${fmt(grown)} | **${fmt(grown / n)}** |`);
    console.log(`| logical database (dbstat, all pages: ${fmt(pageCount)} × ${fmt(pageSize)} B) | ${fmt(logical)} | ${fmt(logical / n)} |`);
    console.log(`\naverage instance state JSON: ${fmt(avgState)} characters`);
    console.log(`\n| table / index | kind | rows | pages | bytes | payload bytes | bytes per instance |`);
    console.log(`|---|---|---|---|---|---|---|`);
    for (const s of sizes) {
      console.log(`| ${s.name} | ${s.kind} | ${s.rows === null ? '' : fmt(s.rows)} | ${fmt(s.pages)} | ${fmt(s.bytes)} | ${fmt(s.payload)} | ${fmt(s.bytes / n)} |`);
    }
    console.log('\n### Memory (after a full GC)');
    console.log(`| process | RSS | heap used | heap total | external |`);
    console.log(`|---|---|---|---|---|`);
    console.log(`| this process, store open, before the starts | ${mb(before.rss)} | ${mb(before.heapUsed)} | ${mb(before.heapTotal)} | ${mb(before.external)} |`);
    console.log(`| this process, ${fmt(n)} instances waiting, runtime live | **${mb(after.rss)}** | ${mb(after.heapUsed)} | ${mb(after.heapTotal)} | ${mb(after.external)} |`);
    console.log(`| fresh process, store with ${fmt(n)} waiting, after completing ${big.completed} user tasks (by id) | **${mb(big.after.rss)}** | ${mb(big.after.heapUsed)} | ${mb(big.after.heapTotal)} | ${mb(big.after.external)} |`);
    console.log(`| fresh process, control store with 10 waiting, after completing ${control.completed} (by id) | ${mb(control.after.rss)} | ${mb(control.after.heapUsed)} | ${mb(control.after.heapTotal)} | ${mb(control.after.external)} |`);
    console.log(`| fresh process, ${fmt(n)} store, then count + first page (10) of the task list | ${mb(big.afterList.rss)} | ${mb(big.afterList.heapUsed)} | ${mb(big.afterList.heapTotal)} | ${mb(big.afterList.external)} |`);
    console.log(`| fresh process, control store, then count + first page of the task list | ${mb(control.afterList.rss)} | ${mb(control.afterList.heapUsed)} | ${mb(control.afterList.heapTotal)} | ${mb(control.afterList.external)} |`);
    console.log(`\nfresh process RSS: before opening the store ${mb(big.rssBeforeOpen)}, after opening ${mb(big.rssAfterOpen)}; ${big.completed} completions took ${fmt(big.completeMs, 1)} ms; count (${fmt(big.waiting)}) + first page took ${fmt(big.listMs, 1)} ms (control: ${mb(control.rssBeforeOpen)}, ${mb(control.rssAfterOpen)}, ${fmt(control.completeMs, 1)} ms, ${fmt(control.listMs, 1)} ms)`);
    console.log(`heap used growth in this process over ${fmt(n)} waiting instances: ${mb(after.heapUsed - before.heapUsed)} (${fmt((after.heapUsed - before.heapUsed) / n, 1)} B per instance)`);
    console.log(`target: RSS with ${fmt(n)} waiting < 300 MB: ${after.rss < 300e6 ? 'met' : 'MISSED'} (${fmt(after.rss / 1e6, 1)} MB this process; ${fmt(big.after.rss / 1e6, 1)} MB fresh process)`);
    console.log(`load at the end: ${load()}`);
    rt.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ main

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function intArg(name: string, fallback: number): number {
  const v = argValue(name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1) throw new Error(`${name}: expected an integer ≥ 1, got ${v}`);
  return x;
}

const childPath = argValue('--child');
if (childPath !== undefined) await child(childPath, (argValue('--ids') ?? '').split(',').filter((x) => x !== ''));
else await parent(intArg('--n', 100_000), intArg('--batch', 1_000));
