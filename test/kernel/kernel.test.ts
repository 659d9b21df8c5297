/**
 * The kernel in this process: boot sequence on a temporary SQLite store with the shipped
 * processes, the root orchestrator, the built-in workers running the examples, health,
 * readiness marker, a second boot on the same store, supervision, failed boots.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { Kernel, KernelErrors, formatBootSummary, loadConfig, readReadyMarker } from '../../src/kernel/index.js';
import type { KernelConfig } from '../../src/kernel/index.js';
import { createLogger } from '../../src/observability/index.js';
import { openStore } from '../../src/store/index.js';
import { storeKinds } from '../helpers/stores.js';
import { PROCESSES, freePort, tempDir, waitFor } from '../e2e/helpers.js';

const silent = createLogger({ level: 'silent' });

function config(dir: string, extra: Partial<KernelConfig> = {}): KernelConfig {
  return { ...loadConfig({ cwd: dir, env: {}, flags: { port: 0, processes: PROCESSES, healthIntervalMs: 0 } }), ...extra };
}

describe('Kernel', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('procos-kernel-')));
  after(() => cleanup());

  it('boots: store, deploy, ready, root orchestrator, workers; runs the examples; stops; a second boot resumes', async () => {
    const home = join(dir, 'home');
    await mkdir(home);
    const kernel = new Kernel({ config: config(home), logger: silent });
    assert.equal(kernel.health().status, 'starting');
    const report = await kernel.boot();
    try {
      assert.equal(kernel.state, 'running');
      assert.equal(report.storeKind, 'sqlite');
      assert.deepEqual(
        report.deployed!.map((f) => `${f.file} ${f.status} ${f.definitions.map((d) => `${d.key}:${d.version}`).join(',')}`),
        ['examples/file-intake.bpmn new file_intake:1', 'examples/kernel-report.bpmn new kernel_report:1', 'general-request-handler.bpmn new general_process_handler:1', 'root-orchestrator.bpmn new root_orchestrator:1'],
      );
      assert.equal(report.root.outcome, 'started');
      assert.ok(report.workers!.topics.some((t) => t.topic === 'system_init' && t.adapter === 'http'));
      assert.match(report.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(kernel.health().status, 'ready');

      const marker = readReadyMarker(join(home, '.procos', 'ready'))!;
      assert.equal(marker.pid, process.pid);
      assert.equal(marker.url, report.url);

      const health = (await (await fetch(`${report.url}/health`)).json()) as { status: string; ready: boolean };
      assert.deepEqual([health.status, health.ready], ['ready', true]);
      assert.equal((await fetch(`${report.url}/health/ready`)).status, 200);

      const summary = formatBootSummary(report, home);
      assert.match(summary, /root_orchestrator:1 started, instance /);
      assert.match(summary, /file_intake:1\s+examples\/file-intake\.bpmn\s+new/);

      // The root orchestrator runs its two service tasks, then waits for user_request messages.
      const rootId = report.root.outcome === 'started' ? report.root.instanceId : '';
      await waitFor('the root orchestrator to wait for requests', async () => {
        const open = await kernel.runtime.store.listSubscriptions({ processInstanceId: rootId, eventType: 'message' });
        return open.length === 1 && open[0]!.elementId === 'wait_for_requests' && open[0]!.name === 'user_request';
      });
      // A request runs the general request handler (call activity), whose echo route is a real node process.
      await kernel.runtime.correlateMessage({ messageName: 'user_request', processVariables: { requestType: 'echo', payload: 'hello' } });
      await waitFor('the request to be answered', async () => {
        const v = await kernel.runtime.store.getVariable(rootId, 'lastResult');
        return v !== null && JSON.stringify(v.value) === JSON.stringify({ echo: 'hello', length: 5 });
      });
      const rootVars = await kernel.runtime.store.listVariables({ processInstanceId: rootId });
      assert.ok(rootVars.some((v) => v.name === 'coreServices'));
      assert.ok(rootVars.some((v) => v.name === 'diskUsage'));

      // kernel_report: http (the kernel's own API) → node → gateway → "All clear".
      const started = await kernel.runtime.startInstance({ key: 'kernel_report' });
      await waitFor('kernel_report to complete', async () => (await kernel.runtime.getInstance(started.id)).status === 'completed');
      const path = (await kernel.runtime.store.listHistoricActivityInstances({ processInstanceId: started.id })).map((a) => a.elementId);
      assert.deepEqual(path, ['report_requested', 'fetch_instances', 'summarise', 'incidents_open', 'all_clear']);

      assert.match(await kernel.healthLine(), /1 instance running, .*0 open incidents, worker running/);
    } finally {
      await kernel.stop('test');
    }
    assert.equal(kernel.state, 'stopped');
    assert.equal(existsSync(join(home, '.procos', 'ready')), false);

    const again = new Kernel({ config: config(home), logger: silent });
    const second = await again.boot();
    try {
      assert.ok(second.deployed!.every((f) => f.status === 'unchanged'));
      assert.equal(second.root.outcome, 'running');
      assert.equal(second.root.outcome === 'running' ? second.root.instanceId : '', report.root.outcome === 'started' ? report.root.instanceId : 'x');
      assert.equal(await again.runtime.store.countInstances({ processDefinitionKey: 'root_orchestrator' }), 1);
    } finally {
      await again.stop('test');
    }
  });

  it('writes a health line periodically', async () => {
    const home = join(dir, 'health');
    await mkdir(home);
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    const kernel = new Kernel({ config: config(home, { healthIntervalMs: 50, rootProcess: null }), logger });
    await kernel.boot();
    try {
      kernel.watch({ tickMs: 50 });
      const line = await waitFor('a health line', () => lines.find((l) => l.includes('"event":"health"')));
      assert.match(line, /"msg":"health: 0 instances running, 0 tasks waiting, 0 locked, 0 user tasks, 0 open incidents, worker running \(0\/4 busy, 0 completed, 0 failed\)"/);
    } finally {
      await kernel.stop('test');
    }
  });

  it('restarts a worker that stopped, with backoff', async () => {
    const home = join(dir, 'supervised');
    await mkdir(home);
    const kernel = new Kernel({ config: config(home, { rootProcess: null }), logger: silent });
    await kernel.boot();
    try {
      kernel.watch({ tickMs: 50 });
      const first = kernel.worker!;
      await first.stop({ graceMs: 0 });
      const replaced = await waitFor('a new worker', () => (kernel.worker !== first && kernel.worker?.state === 'running' ? kernel.worker : undefined));
      assert.equal(replaced.state, 'running');
      const started = await kernel.runtime.startInstance({ key: 'kernel_report' });
      await waitFor('kernel_report to complete on the new worker', async () => (await kernel.runtime.getInstance(started.id)).status === 'completed');
    } finally {
      await kernel.stop('test');
    }
  });

  it('fails to boot on a port in use, closes what it opened, and keeps the stored data', async () => {
    const home = join(dir, 'busy');
    await mkdir(home);
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const kernel = new Kernel({ config: { ...config(home), port }, logger: silent });
      await assert.rejects(kernel.boot(), (e) => {
        assert.ok(isProcosError(e, KernelErrors.LISTEN_FAILED));
        assert.match((e as Error).message, new RegExp(`port ${port} is already in use`));
        return true;
      });
      assert.equal(kernel.state, 'stopped');
      const store = await openStore(config(home).db);
      await store.close();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('with strict, refuses to boot when a process file does not deploy; without, skips it with a warning', async () => {
    const home = join(dir, 'strict');
    const procs = join(home, 'processes');
    await mkdir(procs, { recursive: true });
    await copyFile(join(PROCESSES, 'root-orchestrator.bpmn'), join(procs, 'root.bpmn'));
    const broken = (await readFile(join(PROCESSES, 'examples', 'file-intake.bpmn'), 'utf8')).replace('camunda:topic="intake.read"', 'camunda:class="org.example.Read"');
    await writeFile(join(procs, 'broken.bpmn'), broken);

    const strict = new Kernel({ config: { ...config(home), processes: procs, strict: true }, logger: silent });
    await assert.rejects(strict.boot(), (e) => isProcosError(e, KernelErrors.DEPLOY_FAILED) && /read_file/.test((e as Error).message));

    const lenient = new Kernel({ config: { ...config(home), processes: procs }, logger: silent });
    const report = await lenient.boot();
    try {
      // The strict boot had deployed root.bpmn before it stopped at the broken file.
      assert.deepEqual(report.deployed!.map((f) => [f.file, f.status]), [
        ['broken.bpmn', 'failed'],
        ['root.bpmn', 'unchanged'],
      ]);
      assert.equal(report.deployed![0]!.problems[0]!.elementId, 'read_file');
      assert.match(report.warnings.join('\n'), /broken\.bpmn was not deployed/);
      assert.match(formatBootSummary(report, home), /NOT DEPLOYED\s+broken\.bpmn\s+.*element read_file/);
      assert.equal(report.root.outcome, 'started');
    } finally {
      await lenient.stop('test');
    }
  });

  it('boots on PostgreSQL and runs the examples there', async () => {
    const postgres = storeKinds().find((k) => k.name === 'postgres')!;
    const db = await postgres.newDatabase();
    const home = join(dir, 'pg');
    await mkdir(home);
    const kernel = new Kernel({ config: { ...config(home), db: db.url }, logger: silent });
    try {
      const report = await kernel.boot();
      assert.equal(report.storeKind, 'postgres');
      assert.equal(report.root.outcome, 'started');
      const started = await kernel.runtime.startInstance({ key: 'kernel_report' });
      await waitFor('kernel_report to complete on PostgreSQL', async () => (await kernel.runtime.getInstance(started.id)).status === 'completed');
    } finally {
      await kernel.stop('test');
      await db.drop();
    }
  });

  it('fails to boot with a store it cannot open, naming the store', async () => {
    const kernel = new Kernel({ config: { ...config(dir), db: 'postgres://procos:secret@127.0.0.1:1/procos' }, logger: silent });
    await assert.rejects(kernel.boot(), (e) => {
      assert.ok(isProcosError(e, KernelErrors.STORE_OPEN_FAILED));
      assert.match((e as Error).message, /cannot open the store postgres:\/\/procos:\*\*\*@127\.0\.0\.1:1\/procos/);
      assert.doesNotMatch((e as Error).message, /secret/);
      return true;
    });
  });
});
