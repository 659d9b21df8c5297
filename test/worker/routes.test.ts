/** compileRoutes: defaults, validation messages that name the key path, and a YAML config run end to end. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import YAML from 'yaml';
import { isProcosError } from '../../src/common/errors.js';
import { compileRoutes, ROUTE_DEFAULTS, TdeWorker, WorkerErrors } from '../../src/worker/index.js';
import { MemoryTransport } from './memory-transport.js';
import { captureLogger, waitFor } from './helpers.js';

/** The messages of a CONFIG_INVALID error thrown by `fn`. */
function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isProcosError(e, WorkerErrors.CONFIG_INVALID), `expected ${WorkerErrors.CONFIG_INVALID.code}, got ${String(e)}`);
    return (e.details.issues as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected compileRoutes to throw');
}

describe('compileRoutes', () => {
  test('fills in defaults, applies the defaults section, and binds adapters', () => {
    const routes = compileRoutes({
      defaults: { retries: 5, lockDuration: 10_000 },
      topics: {
        'fetch-user': { adapter: 'http', config: { url: 'http://127.0.0.1/users/${id}' } },
        convert: { adapter: 'shell', config: { command: 'cat' }, retries: 1, retryTimeout: 250, retryBackoff: {}, timeout: 5000, variables: ['doc'] },
      },
    });
    const fetch = routes.topics.get('fetch-user')!;
    assert.equal(fetch.adapterName, 'http');
    assert.equal(fetch.adapter.name, 'http');
    assert.equal(fetch.retries, 5);
    assert.equal(fetch.lockDuration, 10_000);
    assert.equal(fetch.retryTimeout, ROUTE_DEFAULTS.retryTimeout);
    assert.equal(fetch.timeout, ROUTE_DEFAULTS.timeout);
    assert.equal(fetch.retryBackoff, null);
    assert.equal(fetch.variables, undefined);
    const convert = routes.topics.get('convert')!;
    assert.deepEqual(
      { retries: convert.retries, retryTimeout: convert.retryTimeout, timeout: convert.timeout, backoff: convert.retryBackoff, variables: convert.variables },
      { retries: 1, retryTimeout: 250, timeout: 5000, backoff: { factor: 2, maxTimeout: 300_000 }, variables: ['doc', 'correlationId'] },
    );
  });

  test('errors name the key path and what was expected', () => {
    assert.deepEqual(issuesOf(() => compileRoutes(null)), ['(root): Invalid input: expected object, received null']);
    assert.deepEqual(issuesOf(() => compileRoutes({ topics: {} })), ['topics: expected at least one topic']);
    assert.deepEqual(
      issuesOf(() =>
        compileRoutes({
          topics: {
            a: { adapter: 'htp', config: {} },
            b: { adapter: 'http', retires: 2, retries: -1 },
            c: { adapter: 'shell', lockDuration: 'long' },
          },
        }),
      ),
      [
        'topics.a.adapter: unknown adapter "htp": expected one of "http" | "shell"',
        'topics.b.retries: Too small: expected number to be >=0',
        'topics.b: Unrecognized key: "retires"',
        'topics.c.lockDuration: Invalid input: expected number, received string',
      ],
    );
  });

  test('adapter config errors carry the full path into the topic config', () => {
    assert.deepEqual(
      issuesOf(() =>
        compileRoutes({
          topics: {
            'get user': { adapter: 'http', config: { method: 'FETCH', headers: { Accept: 3 }, failOn: ['5xx', 'oops'] } },
            run: { adapter: 'shell', config: { command: 'echo', args: ['ok', '${a + b}'], onNonZeroExit: { bpmnError: 7 }, env: { pass: ['NOT OK'] } } },
            run2: { adapter: 'shell', config: { command: 'echo', onNonZeroExit: 5 } },
          },
        }),
      ),
      [
        'topics["get user"].config.method: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS"',
        'topics["get user"].config.url: Invalid input: expected string, received undefined',
        'topics["get user"].config.headers.Accept: Invalid input: expected string, received number',
        'topics["get user"].config.failOn[1]: expected a status (500), a range ("500-504") or a class ("5xx")',
        'topics.run.config.args[1]: invalid template "${a + b}": "${a + b}" is not a variable name or dotted path (only lookups like ${name} or ${a.b} are allowed)',
        'topics.run.config.env.pass[0]: expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)',
        'topics.run.config.onNonZeroExit.bpmnError: Invalid input: expected string, received number',
        'topics.run2.config.onNonZeroExit: Invalid input: expected "fail" | "complete" | object, received number',
      ],
    );
  });

  test('a YAML workers config runs end to end through the real shell adapter', { skip: !existsSync('/usr/bin/jq') && 'jq not installed' }, async () => {
    const yaml = `
topics:
  pick-items:
    adapter: shell
    config:
      command: jq
      args: ["-c", "[.items[] | select(.qty > \${minQty})]"]
      env: { pass: [PATH] }
      stdin: "\${order}"
      stdoutJson: true
      output: { stdout: picked, stderr: null }
    retries: 2
`;
    const routes = compileRoutes(YAML.parse(yaml));
    const transport = new MemoryTransport();
    const { logger, lines } = captureLogger();
    const worker = new TdeWorker({ transport, workerId: 'yaml', routes, logger, asyncResponseTimeout: 200 });
    const id = transport.add({ topicName: 'pick-items', variables: { minQty: 1, order: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 3 }] } } });
    worker.start();
    try {
      await waitFor('completion', () => transport.completions.length === 1);
    } finally {
      await worker.stop();
    }
    const vars = transport.completions[0]!.variables!;
    assert.deepEqual(vars.picked, [{ sku: 'b', qty: 3 }]);
    assert.equal(vars.exitCode, 0);
    assert.equal('stderr' in vars, false);
    const line = lines.find((l) => l.msg === 'task executed' && l.taskId === id)!;
    assert.equal(line.adapter, 'shell');
    assert.equal((line.details as { command: string }).command, 'jq');
  });
});
