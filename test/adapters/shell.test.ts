/** The shell adapter with real subprocesses: no shell, env allowlist, temp cwd, process-group kill, caps. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Variables } from '../../src/common/json.js';
import { AdaptersErrors, configureAdapter, shellAdapter } from '../../src/adapters/index.js';
import type { AdapterResult, AdapterTaskInfo } from '../../src/adapters/index.js';
import { waitFor } from '../worker/helpers.js';

const task: AdapterTaskInfo = {
  id: 't1',
  topicName: 'shell',
  processInstanceId: 'pi-1',
  processDefinitionKey: 'p',
  activityId: 'A',
  activityInstanceId: 'A:1',
  businessKey: null,
  retries: null,
  correlationId: 'c-1',
};

function run(config: unknown, variables: Variables = {}, signal = new AbortController().signal): Promise<AdapterResult> {
  return configureAdapter(shellAdapter, config).execute({ variables, task, signal, deadline: Date.now() + 10_000 });
}

function complete(r: AdapterResult): Variables {
  assert.equal(r.kind, 'complete', JSON.stringify(r));
  return (r as Extract<AdapterResult, { kind: 'complete' }>).variables;
}

function failure(r: AdapterResult): Extract<AdapterResult, { kind: 'failure' }> {
  assert.equal(r.kind, 'failure', JSON.stringify(r));
  return r as Extract<AdapterResult, { kind: 'failure' }>;
}

/** Pids of live processes whose process group is `pgid` (from /proc/<pid>/stat). */
function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp …
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

const hasJq = existsSync('/usr/bin/jq');

describe('shell adapter', () => {
  test('each arg is one argv element: no shell ever parses them', async () => {
    const tricky = ['a b', '; rm -rf x', '$(id)', '`id`', "it's \"quoted\" | cat > out", '*', '${name}', '', '\n'];
    const r = await run(
      {
        command: process.execPath,
        args: ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...tricky.map((a) => a.split('${').join('$${')), '${payload}'],
        stdoutJson: true,
      },
      { payload: '$(touch pwned); echo hi' },
    );
    const vars = complete(r);
    assert.deepEqual(vars.stdout, [...tricky, '$(touch pwned); echo hi']);
    assert.equal(vars.exitCode, 0);
  });

  test('the environment holds only the allowlist', async () => {
    process.env.PROCOS_TEST_PASSED = 'yes';
    process.env.PROCOS_TEST_SECRET = 'must-not-leak';
    try {
      const r = await run({ command: '/usr/bin/env', env: { pass: ['PATH', 'PROCOS_TEST_PASSED', 'PROCOS_TEST_UNSET'], set: { GREETING: 'hi ${name}' } } }, { name: 'Ada' });
      const lines = String(complete(r).stdout).trim().split('\n');
      const env = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      assert.deepEqual(Object.keys(env).sort(), ['GREETING', 'PATH', 'PROCOS_TEST_PASSED']);
      assert.equal(env.GREETING, 'hi Ada');
      assert.equal(env.PATH, process.env.PATH);
      assert.equal(env.PROCOS_TEST_SECRET, undefined);
    } finally {
      delete process.env.PROCOS_TEST_PASSED;
      delete process.env.PROCOS_TEST_SECRET;
    }
  });

  test('runs in a fresh, empty temporary directory that is removed afterwards', async () => {
    const script = 'pwd; ls -A | wc -l; echo data > made-here; ls';
    const first = String(complete(await run({ command: '/bin/sh', args: ['-c', script] })).stdout).trim().split('\n');
    const second = String(complete(await run({ command: '/bin/sh', args: ['-c', script] })).stdout).trim().split('\n');
    for (const [dir, count, listing] of [first, second]) {
      assert.ok(dir!.startsWith(join(tmpdir(), 'procos-shell-')), dir);
      assert.equal(count!.trim(), '0', 'empty at start');
      assert.equal(listing, 'made-here');
      assert.equal(existsSync(dir!), false, `${dir} was not removed`);
    }
    assert.notEqual(first[0], second[0]);
  });

  // The children also run with their output sent elsewhere: they then do not hold the pipes
  // open, so only killing the whole group (not just the shell) leaves nothing behind.
  for (const script of ['sleep 30 & sleep 30', 'sleep 30 >/dev/null 2>&1 & sleep 30 >/dev/null 2>&1']) {
    test(`a timeout kills the whole process group: sh -c '${script}'`, { timeout: 10_000 }, async () => {
      const r = failure(await run({ command: '/bin/sh', args: ['-c', script], timeout: 200 }));
      assert.equal(r.code, AdaptersErrors.SHELL_TIMEOUT.code);
      assert.equal(r.retryable, true);
      assert.match(r.errorMessage, /timed out after 200 ms; its process group was killed/);
      const pgid = r.log?.pid as number;
      assert.ok(pgid > 0);
      await waitFor(`no process left in group ${pgid}`, () => processesInGroup(pgid).length === 0, 2000);
    });
  }

  test('a command that exits leaves nothing running behind it', { timeout: 10_000 }, async () => {
    for (const script of ['sleep 30 & echo started', 'sleep 30 >/dev/null 2>&1 & echo started']) {
      const r = await run({ command: '/bin/sh', args: ['-c', script] });
      assert.equal(complete(r).stdout, 'started\n');
      const pgid = (r.log as { pid: number }).pid;
      await waitFor(`no process left in group ${pgid}`, () => processesInGroup(pgid).length === 0, 2000);
    }
  });

  test('an abort from the worker kills the process group', { timeout: 10_000 }, async () => {
    const ac = new AbortController();
    const pending = run({ command: '/bin/sh', args: ['-c', 'sleep 30 >/dev/null 2>&1 & sleep 30'] }, {}, ac.signal);
    setTimeout(() => ac.abort(new Error('worker stopping')), 100);
    const r = failure(await pending);
    assert.equal(r.code, AdaptersErrors.ABORTED.code);
    assert.match(r.errorMessage, /aborted \(worker stopping\)/);
    const pgid = r.log?.pid as number;
    await waitFor(`no process left in group ${pgid}`, () => processesInGroup(pgid).length === 0, 2000);
  });

  test('stdout and stderr are capped, with a flag', async () => {
    const code = "process.stdout.write('x'.repeat(5000)); process.stderr.write('e'.repeat(3000))";
    const vars = complete(await run({ command: process.execPath, args: ['-e', code], maxOutputBytes: 1000 }));
    assert.equal(vars.stdout, 'x'.repeat(1000));
    assert.equal(vars.stderr, 'e'.repeat(1000));
    assert.equal(vars.stdoutTruncated, true);
    assert.equal(vars.stderrTruncated, true);
    const small = complete(await run({ command: process.execPath, args: ['-e', "process.stdout.write('ok')"] }));
    assert.equal(small.stdoutTruncated, false);
    const json = failure(await run({ command: process.execPath, args: ['-e', code], maxOutputBytes: 1000, stdoutJson: true }));
    assert.equal(json.code, AdaptersErrors.SHELL_BAD_OUTPUT.code);
    assert.equal(json.retryable, false);
  });

  test('stdin from a variable, and stdoutJson', async () => {
    const doc = { a: [1, 2, { b: 'c' }], s: 'x y' };
    const echoed = complete(await run({ command: 'cat', env: { pass: ['PATH'] }, stdin: '${doc}', stdoutJson: true, output: { stdout: 'result' } }, { doc }));
    assert.deepEqual(echoed.result, doc);
    const text = complete(await run({ command: '/bin/cat', stdin: 'dear ${name}' }, { name: 'Ada' }));
    assert.equal(text.stdout, 'dear Ada');
    const notJson = failure(await run({ command: '/bin/cat', stdin: 'nope', stdoutJson: true }));
    assert.match(notJson.errorMessage, /stdout is not valid JSON/);
  });

  test('jq as a real tool', { skip: !hasJq && 'jq not installed' }, async () => {
    const vars = complete(await run({ command: '/usr/bin/jq', args: ['-c', '--arg', 'who', '${name}', '{who: $who, n: (.items | length)}'], stdin: '${order}', stdoutJson: true }, { name: 'Ada', order: { items: [1, 2, 3] } }));
    assert.deepEqual(vars.stdout, { who: 'Ada', n: 3 });
  });

  test('a non-zero exit fails, raises a BPMN error, or completes, as configured', async () => {
    const args = ['-c', 'echo partial; echo oops >&2; exit 3'];
    const failed = failure(await run({ command: '/bin/sh', args }));
    assert.equal(failed.code, AdaptersErrors.SHELL_EXIT.code);
    assert.equal(failed.retryable, true);
    assert.equal(failed.errorMessage, '"/bin/sh" exited with code 3');
    assert.equal(failed.errorDetails, 'oops\n');

    const bpmn = await run({ command: '/bin/sh', args, onNonZeroExit: { bpmnError: 'SCRIPT_FAILED', errorMessage: 'exit ${exitCode}: ${stderr}' } });
    assert.equal(bpmn.kind, 'bpmnError');
    assert.equal(bpmn.kind === 'bpmnError' && bpmn.errorCode, 'SCRIPT_FAILED');
    assert.equal(bpmn.kind === 'bpmnError' && bpmn.errorMessage, 'exit 3: oops\n');
    assert.deepEqual(bpmn.kind === 'bpmnError' && bpmn.variables, { exitCode: 3, stdout: 'partial\n', stderr: 'oops\n', stdoutTruncated: false, stderrTruncated: false });

    const done = complete(await run({ command: '/bin/sh', args, onNonZeroExit: 'complete' }));
    assert.equal(done.exitCode, 3);

    const killed = failure(await run({ command: '/bin/sh', args: ['-c', 'kill -TERM $$'] }));
    assert.equal(killed.errorMessage, '"/bin/sh" was killed by SIGTERM');
  });

  test('a command that cannot start, and a missing template variable, are non-retryable failures', async () => {
    const missing = failure(await run({ command: '/no/such/program' }));
    assert.equal(missing.code, AdaptersErrors.SHELL_SPAWN.code);
    assert.equal(missing.retryable, false);
    assert.match(missing.errorMessage, /cannot start "\/no\/such\/program": .*ENOENT/);
    const unset = failure(await run({ command: '/bin/echo', args: ['${who}'] }));
    assert.equal(unset.code, AdaptersErrors.TEMPLATE_VARIABLE_MISSING.code);
    assert.match(unset.errorMessage, /template variable "who" is not set/);
  });
});
