/**
 * Configuration: defaults, procos.yml, PROCOS_* variables and flags (in that order of
 * precedence), validated once, with errors that name the key, its source, the expected
 * and the given value.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { isProcosError } from '../../src/common/errors.js';
import { DEFAULT_WORKERS, KernelErrors, loadConfig } from '../../src/kernel/index.js';
import type { ConfigIssue } from '../../src/kernel/index.js';
import { REPO, tempDir } from '../e2e/helpers.js';

function issuesOf(e: unknown): ConfigIssue[] {
  assert.ok(isProcosError(e, KernelErrors.CONFIG_INVALID), `expected PROCOS_KERNEL_CONFIG_INVALID, got ${String(e)}`);
  return e.details.issues as ConfigIssue[];
}

describe('loadConfig', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('procos-config-')));
  after(() => cleanup());

  it('works bare: no file, no variables, no flags', () => {
    const c = loadConfig({ cwd: dir, env: {} });
    assert.equal(c.configFile, null);
    assert.equal(c.db, `sqlite:${join(dir, '.procos', 'procos.db')}`);
    assert.equal(c.dataDir, join(dir, '.procos'));
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.processes, join(dir, 'processes'));
    assert.equal(c.autoDeployProcesses, true);
    assert.equal(c.strict, false);
    assert.equal(c.rootProcess, 'root_orchestrator');
    assert.equal(c.readyFile, join(dir, '.procos', 'ready'));
    assert.equal(c.workers.enabled, true);
    assert.deepEqual(Object.keys(c.workers.routes.topics).sort(), Object.keys(DEFAULT_WORKERS.topics).sort());
  });

  it('reads ./procos.yml, with paths relative to the file; variables win over it, flags over variables', async () => {
    const sub = join(dir, 'layered');
    await mkdir(join(sub, 'conf'), { recursive: true });
    await writeFile(join(sub, 'conf', 'procos.yml'), 'port: 9000\nprocesses: ./flows\ndb: sqlite:./data/x.db\nlog: { level: debug }\n');
    const file = loadConfig({ cwd: sub, env: {}, configPath: 'conf/procos.yml' });
    assert.equal(file.port, 9000);
    assert.equal(file.processes, join(sub, 'conf', 'flows'));
    assert.equal(file.db, `sqlite:${join(sub, 'conf', 'data', 'x.db')}`);
    assert.equal(file.log.level, 'debug');
    const env = loadConfig({ cwd: sub, env: { PROCOS_PORT: '9100', PROCOS_AUTO_DEPLOY_PROCESSES: 'false', PROCOS_PROCESSES: 'p2' }, configPath: 'conf/procos.yml' });
    assert.equal(env.port, 9100);
    assert.equal(env.autoDeployProcesses, false);
    assert.equal(env.processes, join(sub, 'p2'));
    const flags = loadConfig({ cwd: sub, env: { PROCOS_PORT: '9100' }, configPath: 'conf/procos.yml', flags: { port: '9200', rootProcess: 'none' } });
    assert.equal(flags.port, 9200);
    assert.equal(flags.rootProcess, null);
  });

  it('names the variable, the expected and the given value of a bad value', () => {
    assert.throws(
      () => loadConfig({ cwd: dir, env: { PROCOS_PORT: 'http' } }),
      (e) => {
        const [i] = issuesOf(e);
        assert.equal(i!.key, 'port');
        assert.equal(i!.source, 'PROCOS_PORT');
        assert.match((e as Error).message, /port \(PROCOS_PORT\): expected an integer from 0 to 65535, got "http"/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ cwd: dir, env: { PROCOS_STRICT: 'maybe' } }), /strict \(PROCOS_STRICT\): expected true or false, got "maybe"/);
    assert.throws(() => loadConfig({ cwd: dir, env: {}, flags: { 'log.level': 'loud' } }), /log\.level \(--log-level\): expected one of trace \| debug/);
  });

  it('refuses an unknown key in procos.yml, suggesting the close one', async () => {
    await writeFile(join(dir, 'typo.yml'), 'prot: 8080\n');
    assert.throws(
      () => loadConfig({ cwd: dir, env: {}, configPath: 'typo.yml' }),
      (e) => {
        const [i] = issuesOf(e);
        assert.equal(i!.key, 'prot');
        assert.equal(i!.source, 'typo.yml');
        assert.match(i!.message, /unknown key; did you mean "port"\?/);
        return true;
      },
    );
  });

  it('reports YAML syntax errors with file, line and column', async () => {
    await writeFile(join(dir, 'broken.yml'), 'port: 8080\nlog: [unclosed\n');
    assert.throws(
      () => loadConfig({ cwd: dir, env: {}, configPath: 'broken.yml' }),
      (e) => isProcosError(e, KernelErrors.CONFIG_UNREADABLE) && /broken\.yml:\d+:\d+: not valid YAML/.test((e as Error).message),
    );
  });

  it('refuses a --config file that does not exist', () => {
    assert.throws(() => loadConfig({ cwd: dir, env: {}, configPath: 'nope.yml' }), (e) => isProcosError(e, KernelErrors.CONFIG_UNREADABLE) && /does not exist/.test((e as Error).message));
  });

  it('validates worker routes at load, naming the path under workers', async () => {
    await writeFile(join(dir, 'route.yml'), 'workers:\n  topics:\n    mytopic:\n      adapter: shel\n');
    assert.throws(
      () => loadConfig({ cwd: dir, env: {}, configPath: 'route.yml' }),
      (e) => {
        const [i] = issuesOf(e);
        assert.equal(i!.key, 'workers.topics.mytopic.adapter');
        assert.match(i!.message, /unknown adapter "shel"/);
        return true;
      },
    );
    await writeFile(join(dir, 'placeholder.yml'), 'workers:\n  topics:\n    x:\n      adapter: http\n      config: { url: "{{procos.nope}}/a" }\n');
    assert.throws(() => loadConfig({ cwd: dir, env: {}, configPath: 'placeholder.yml' }), /unknown placeholder \{\{procos\.nope\}\}/);
  });

  it('merges worker routes over the defaults; null removes a default topic', async () => {
    await writeFile(join(dir, 'merge.yml'), 'workers:\n  parallel: 2\n  topics:\n    intake.read: null\n    extra:\n      adapter: shell\n      config: { command: "true" }\n');
    const c = loadConfig({ cwd: dir, env: {}, configPath: 'merge.yml' });
    assert.equal(c.workers.parallel, 2);
    assert.equal(Object.hasOwn(c.workers.routes.topics, 'intake.read'), false);
    assert.ok(Object.hasOwn(c.workers.routes.topics, 'extra'));
    assert.ok(Object.hasOwn(c.workers.routes.topics, 'system_init'));
  });

  it('procos.example.yml loads, and its routes are exactly the built-in defaults', async () => {
    const c = loadConfig({ cwd: REPO, env: {}, configPath: 'procos.example.yml' });
    assert.equal(c.port, 8080);
    const example = parse(await readFile(join(REPO, 'procos.example.yml'), 'utf8')) as { workers: { topics: unknown; defaults: unknown } };
    assert.deepEqual(example.workers.topics, DEFAULT_WORKERS.topics);
    assert.deepEqual(example.workers.defaults, DEFAULT_WORKERS.defaults);
  });
});
