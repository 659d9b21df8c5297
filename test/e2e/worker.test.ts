/**
 * `procos worker` as its own process against a booted ProcOS (without built-in workers):
 * it runs the shipped processes' tasks over the Camunda 7 REST API, and stops gracefully
 * on SIGTERM with a summary. Issue "Camunda 7 wire compatibility", `procos worker`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { InstanceDetailView } from '../../src/api/procos-v1/index.js';
import { CLI, bootKernel, cleanEnv, getJson, tempDir, waitFor } from './helpers.js';
import type { BootedKernel } from './helpers.js';

describe('procos worker (standalone, over REST)', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  let kernel: BootedKernel;
  before(async () => {
    home = await tempDir('procos-worker-');
    kernel = await bootKernel({ cwd: home.dir, args: ['--no-workers'] });
  });
  after(async () => {
    await kernel.stop();
    await home.cleanup();
  });

  it('runs the root orchestrator and a request through /engine-rest, then stops on SIGTERM with a summary', async () => {
    const child = spawn(process.execPath, [CLI, 'worker', '--url', `${kernel.url}/engine-rest`, '--log-format', 'json', '--summary-interval-ms', '0', '--async-response-timeout', '2000'], {
      cwd: home.dir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
    try {
      const list = await waitFor('the root orchestrator to wait for requests', async () => {
        const res = await getJson<{ instances: { id: string; key: string; current: { elementId: string }[] }[] }>(`${kernel.url}/procos/v1/instances`);
        const root = res.instances.find((i) => i.key === 'root_orchestrator');
        return root !== undefined && root.current.some((c) => c.elementId === 'wait_for_requests') ? root : false;
      }, 30_000);
      const correlate = await fetch(`${kernel.url}/engine-rest/message`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ messageName: 'user_request', processVariables: { requestType: { value: 'echo', type: 'String' }, payload: { value: 'over REST', type: 'String' } } }),
      });
      assert.equal(correlate.status, 204, await correlate.text());
      await waitFor('the request to be answered by the worker process', async () => {
        const d = await getJson<InstanceDetailView>(`${kernel.url}/procos/v1/instances/${list.id}`);
        const v = (d as unknown as { variables: Record<string, unknown> }).variables;
        return JSON.stringify(v.lastResult) === JSON.stringify({ echo: 'over REST', length: 9 });
      }, 30_000);
      assert.match(out, /procos worker procos-worker@/);
      // The worker logs an execution once the engine answered its complete (possibly just after the instance moved on).
      await waitFor('one structured line per execution', () => /"topic":"request.echo"/.test(out), 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /procos worker stopped: \d+ completed, 0 failed/);
  });
});
