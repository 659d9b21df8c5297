/**
 * Bad input to `procos boot` (a real child process each time): a broken procos.yml, a
 * bad value, an unknown flag, a broken BPMN file, a port in use, an unreachable
 * database. Each gives one clear line and a non-zero exit (the broken BPMN only with
 * --strict), and what was stored before is still there afterwards.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InstanceView } from '../../src/api/procos-v1/index.js';
import { PROCESSES, bootKernel, freePort, getJson, procos, tempDir, waitFor } from './helpers.js';

/** The lines of stderr that are not the boot summary (a failed boot prints none). */
function errorLines(stderr: string): string[] {
  return stderr.trim().split('\n').filter((l) => l.startsWith('procos:') || l.startsWith('  - '));
}

describe('procos boot with bad input', () => {
  let cwd: string;
  let cleanup: () => Promise<void>;
  let instanceId = '';
  before(async () => {
    ({ dir: cwd, cleanup } = await tempDir('procos-bad-'));
    // Something stored first: a completed kernel_report.
    const k = await bootKernel({ cwd });
    const started = await procos(['start', 'kernel_report'], { cwd });
    instanceId = /as instance ([0-9a-f-]{36})/.exec(started.stdout)![1]!;
    await waitFor('kernel_report to complete', async () => (await getJson<{ state: string }>(`${k.url}/procos/v1/instances/${instanceId}`)).state === 'completed');
    assert.equal((await k.stop('SIGTERM')).code, 0);
  });
  after(() => cleanup());

  it('a procos.yml that is not YAML: one line with file, line and column, exit 1', async () => {
    await writeFile(join(cwd, 'procos.yml'), 'port: 8080\nworkers: [oops\n');
    const r = await procos(['boot', '--processes', PROCESSES], { cwd });
    await rm(join(cwd, 'procos.yml'));
    assert.equal(r.code, 1);
    assert.deepEqual(errorLines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /^procos: .*procos\.yml:3:1: not valid YAML: .* \[PROCOS_KERNEL_CONFIG_UNREADABLE\]/);
  });

  it('a bad value and an unknown key: named with their source, expected and given value, exit 1', async () => {
    await writeFile(join(cwd, 'procos.yml'), 'port: eighty\nlogg: { level: debug }\n');
    const r = await procos(['boot', '--processes', PROCESSES], { cwd });
    await rm(join(cwd, 'procos.yml'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^procos: invalid configuration \(2 problems\): port \(procos\.yml\): expected an integer from 0 to 65535, got "eighty"; logg \(procos\.yml\): unknown key; did you mean "log"\?/);
    assert.match(r.stderr, /\n {2}- port \(procos\.yml\): expected an integer/);
    const env = await procos(['boot'], { cwd, env: { ...process.env, PROCOS_PORT: '99999' } as Record<string, string> });
    assert.equal(env.code, 1);
    assert.match(env.stderr, /^procos: invalid configuration: port \(PROCOS_PORT\): expected an integer from 0 to 65535, got 99999 \[PROCOS_KERNEL_CONFIG_INVALID\]\n$/);
  });

  it('an unknown flag: one line, exit 1', async () => {
    const r = await procos(['boot', '--no-such-flag'], { cwd });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "procos: unknown option '--no-such-flag' (see procos boot --help)\n");
  });

  it('a broken BPMN file: reported with file and element, boot goes on; with --strict exit 1', async () => {
    const procs = join(cwd, 'processes');
    await mkdir(procs, { recursive: true });
    await copyFile(join(PROCESSES, 'root-orchestrator.bpmn'), join(procs, 'root-orchestrator.bpmn'));
    const broken = (await readFile(join(PROCESSES, 'examples', 'kernel-report.bpmn'), 'utf8')).replace('${summary.withIncidents &gt; 0}', '${summary.withIncidents &gt;}');
    await writeFile(join(procs, 'broken.bpmn'), broken);

    const k = await bootKernel({ cwd, args: ['--processes', procs] });
    try {
      assert.match(k.stderr(), /NOT DEPLOYED\s+broken\.bpmn\s+.*\(element has_incidents/);
      assert.match(k.stderr(), /Warning {5}broken\.bpmn was not deployed: /);
      const line = k.stdout().split('\n').find((l) => l.includes('"msg":"process file not deployed"')) ?? '';
      assert.match(line, /"file":"broken\.bpmn","elementId":"has_incidents","line":\d+,"reason":".*syntax error/);
    } finally {
      assert.equal((await k.stop('SIGTERM')).code, 0);
    }
    const strict = await procos(['boot', '--processes', procs, '--strict', '--port', String(await freePort())], { cwd });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^procos: 1 process file\(s\) did not deploy \(--strict\): broken\.bpmn.*has_incidents.* \[PROCOS_KERNEL_DEPLOY_FAILED\]/m);
    await rm(procs, { recursive: true });
  });

  it('a port in use: one line naming the port, exit 1', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const r = await procos(['boot', '--port', String(port), '--processes', PROCESSES], { cwd });
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^procos: cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is already in use on 127\\.0\\.0\\.1 \\(another ProcOS\\?\\)\\. Stop it, or choose another port with --port or PROCOS_PORT \\[PROCOS_KERNEL_LISTEN_FAILED\\]\\n$`));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('an unreachable database: one line naming it (password hidden), exit 1', async () => {
    const r = await procos(['boot', '--db', 'postgres://procos:hunter2@127.0.0.1:1/procos'], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^procos: cannot open the store postgres:\/\/procos:\*\*\*@127\.0\.0\.1:1\/procos: .* \[PROCOS_KERNEL_STORE_OPEN_FAILED\]\n$/);
    assert.doesNotMatch(r.stderr, /hunter2/);
  });

  it('after all of it, the stored instance is still there', async () => {
    const k = await bootKernel({ cwd });
    try {
      const all = await getJson<{ instances: InstanceView[] }>(`${k.url}/procos/v1/instances?state=all`);
      assert.ok(all.instances.some((i) => i.id === instanceId && i.state === 'completed'));
      assert.equal(all.instances.filter((i) => i.key === 'root_orchestrator').length, 1);
    } finally {
      await k.stop('SIGTERM');
    }
  });
});
