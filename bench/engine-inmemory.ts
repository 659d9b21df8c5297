/**
 * Benchmark 1 (in-memory): a straight-through process of 10 pass-through tasks.
 * Instances/s and transitions/s (sequence flows taken) of the ProcOS engine and of the
 * npm bpmn-engine on the same model, in the same run, on the same machine.
 *
 * Method: each engine parses the model once; then N instances run one after another to
 * completion (bpmn-engine: awaiting its `end` event; ProcOS: one `start` command, which
 * runs to completion as there is no wait state). Warm-up round first; median of 5 rounds.
 *
 *   npm run bench:engine
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Engine } from 'bpmn-engine';
import { compileBpmn } from '../src/model/index.js';
import { execute } from '../src/engine/index.js';
import { fmt, machine, median } from './lib.js';

const TASKS = 10;
const FLOWS = TASKS + 1;

function model(): string {
  const ids = ['start', ...Array.from({ length: TASKS }, (_, i) => `task${i}`), 'end'];
  const tasks = ids.slice(1, -1).map((id) => `<task id="${id}" />`).join('');
  const flows = ids.slice(0, -1).map((id, i) => `<sequenceFlow id="flow${i}" sourceRef="${id}" targetRef="${ids[i + 1]}" />`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://procos.dev/bench">
  <process id="straight" isExecutable="true"><startEvent id="start" />${tasks}<endEvent id="end" />${flows}</process>
</definitions>`;
}

async function procos(xml: string, n: number): Promise<number> {
  const [m] = await compileBpmn(xml);
  let seq = 0;
  const ctx = { now: 0, newId: () => String(++seq) };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = execute(m!, null, { type: 'start' }, ctx);
    if (r.state.status !== 'completed') throw new Error('ProcOS instance did not complete');
  }
  return performance.now() - t0;
}

interface BpmnEngineInternals {
  _serializeSource(source: string): Promise<unknown>;
}

async function bpmnEngine(xml: string, n: number): Promise<number> {
  const sourceContext = await (new Engine({ name: 'parse' }) as unknown as BpmnEngineInternals)._serializeSource(xml);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const engine = new Engine({ name: `i${i}`, sourceContext } as ConstructorParameters<typeof Engine>[0]);
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      engine.execute().catch(reject);
    });
  }
  return performance.now() - t0;
}

function bpmnEngineVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('bpmn-engine');
  const pkg = main.slice(0, main.lastIndexOf('/node_modules/bpmn-engine/') + '/node_modules/bpmn-engine/'.length) + 'package.json';
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const xml = model();
  const rounds = 5;
  const nOurs = Number(process.env.BENCH_N_PROCOS ?? 50_000);
  const nTheirs = Number(process.env.BENCH_N_BPMN_ENGINE ?? 1_000);
  await procos(xml, Math.min(nOurs, 5_000));
  await bpmnEngine(xml, Math.min(nTheirs, 100));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push((nOurs / (await procos(xml, nOurs))) * 1000);
    theirs.push((nTheirs / (await bpmnEngine(xml, nTheirs))) * 1000);
  }
  const o = median(ours);
  const t = median(theirs);
  console.log(`machine: ${machine()}`);
  console.log(`model: start → ${TASKS} tasks → end (${FLOWS} sequence flows); median of ${rounds} rounds`);
  console.log(`| engine | instances/round | instances/s | transitions/s |`);
  console.log(`|---|---|---|---|`);
  console.log(`| ProcOS | ${fmt(nOurs)} | ${fmt(o)} | ${fmt(o * FLOWS)} |`);
  console.log(`| bpmn-engine ${bpmnEngineVersion()} | ${fmt(nTheirs)} | ${fmt(t)} | ${fmt(t * FLOWS)} |`);
  console.log(`ratio: ${fmt(o / t, 1)}× bpmn-engine's instances/s`);
}

await main();
