/**
 * The `procos` command line run in this process with captured output: help, usage
 * errors, unreachable kernels, variables, and `procos run` on the shipped examples
 * (real shell commands, real HTTP, a temporary SQLite store) with its exit codes.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { CliErrors, collectVariables, parseValue, parseVar, runCli } from '../../src/cli/index.js';
import type { CliIo } from '../../src/cli/index.js';
import { PROCESSES, REPO, freePort, tempDir } from '../e2e/helpers.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd = REPO, env: Record<string, string> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string | Uint8Array) => ((stdout += String(s)), true) },
    stderr: { write: (s: string | Uint8Array) => ((stderr += String(s)), true) },
    cwd,
    env,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** The only line of stderr (errors are one line). */
function oneLine(c: Captured): string {
  const lines = c.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${c.stderr}`);
  return lines[0]!;
}

describe('procos (command line)', () => {
  it('prints help with examples, and the version', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: procos/);
    assert.match(help.stdout, /Examples:\n {2}procos boot/);
    for (const cmd of ['boot', 'run', 'deploy', 'start', 'ps', 'show', 'incidents', 'retry', 'kill']) {
      const sub = await cli([cmd, '--help']);
      assert.equal(sub.code, 0, cmd);
      assert.match(sub.stdout, /Examples:/, `${cmd} --help has examples`);
    }
    const version = await cli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });

  it('answers usage errors with one line and exit 1', async () => {
    const flag = await cli(['boot', '--prot', '8080']);
    assert.equal(flag.code, 1);
    assert.match(oneLine(flag), /^procos: unknown option '--prot'.*\(Did you mean --port\?\)/);
    const cmd = await cli(['bootz']);
    assert.equal(cmd.code, 1);
    assert.match(oneLine(cmd), /^procos: unknown command 'bootz'/);
    const missing = await cli(['show']);
    assert.equal(missing.code, 1);
    assert.match(oneLine(missing), /^procos: missing required argument 'id'/);
  });

  it('says clearly when no kernel answers, or when something else answers', async () => {
    const port = await freePort();
    const none = await cli(['ps', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(none.code, 1);
    assert.match(oneLine(none), new RegExp(`^procos: no ProcOS kernel answers at http://127\\.0\\.0\\.1:${port} \\(from --url\\): connection refused\\. Start one with "npx procos boot"`));
    assert.match(none.stderr, /\[PROCOS_CLI_KERNEL_UNREACHABLE\]/);

    const byEnv = await cli(['incidents'], REPO, { PROCOS_URL: `http://127.0.0.1:${port}` });
    assert.match(oneLine(byEnv), /\(from PROCOS_URL\)/);

    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const res = await cli(['ps', '--url', url]);
      assert.equal(res.code, 1);
      assert.match(oneLine(res), /is this a ProcOS kernel\? \[PROCOS_CLI_KERNEL_BAD_ANSWER\]/);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('refuses bad --var arguments before contacting anything', async () => {
    const res = await cli(['start', 'file_intake', '--var', 'file']);
    assert.equal(res.code, 1);
    assert.match(oneLine(res), /--var "file": expected name=value/);
  });
});

describe('variables from the command line', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('procos-vars-')));
  after(() => cleanup());

  it('parses JSON values as JSON and anything else as text', () => {
    assert.deepEqual(parseVar('n=5'), ['n', 5]);
    assert.deepEqual(parseVar('ok=true'), ['ok', true]);
    assert.deepEqual(parseVar('o={"a":[1,2]}'), ['o', { a: [1, 2] }]);
    assert.deepEqual(parseVar('file=/tmp/a.txt'), ['file', '/tmp/a.txt']);
    assert.deepEqual(parseVar('id=007'), ['id', '007']);
    assert.deepEqual(parseVar('eq=a=b'), ['eq', 'a=b']);
    assert.equal(parseValue('"5"'), '5');
    assert.throws(() => parseVar('=x'), (e) => isProcosError(e, CliErrors.BAD_VARIABLE));
    assert.throws(() => parseVar('1x=2'), (e) => isProcosError(e, CliErrors.BAD_VARIABLE));
  });

  it('merges a --vars file under --var values, and refuses a file that is not a JSON object', async () => {
    await writeFile(join(dir, 'v.json'), '{"a": 1, "b": "x"}');
    assert.deepEqual(collectVariables(['b=y'], 'v.json', dir), { a: 1, b: 'y' });
    await writeFile(join(dir, 'list.json'), '[1, 2]');
    assert.throws(() => collectVariables([], 'list.json', dir), /expected a JSON object/);
    assert.throws(() => collectVariables([], 'missing.json', dir), (e) => isProcosError(e, CliErrors.FILE_UNREADABLE));
  });
});

describe('procos run (one shot)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('procos-run-test-')));
  after(() => cleanup());

  it('runs kernel_report to "All clear": path with timings, final variables, exit 0', async () => {
    const res = await cli(['run', 'processes/examples/kernel-report.bpmn']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^kernel_report:1, instance /);
    assert.match(res.stdout, /Path taken\n {2}AT\s+ELEMENT\s+NAME\s+TOOK\n {2}\+0 ms\s+start event\s+Report requested/);
    assert.match(res.stdout, /service task\s+Fetch instance list\s+\d+ ms/);
    assert.match(res.stdout, /Completed at "All clear" in \d+ ms\./);
    assert.match(res.stdout, /summary\s+\{"total":1,"running":1,"completed":0,"withIncidents":0/);
  });

  it('runs file_intake on a real file to "Statistics ready" with the top words', async () => {
    const file = join(dir, 'words.txt');
    await writeFile(file, `${'ProcOS runs processes. '.repeat(30)}\nBPMN is its kernel language.\n`);
    const res = await cli(['run', join(PROCESSES, 'examples', 'file-intake.bpmn'), '--var', `file=${file}`, '--json']);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { outcome: string; exitCode: number; instance: { variables: Record<string, unknown>; history: { elementId: string }[] } };
    assert.equal(out.outcome, 'completed');
    assert.equal(out.instance.variables.words, 95);
    assert.match(String(out.instance.variables.topWords), /^\s+30 processes\n\s+30 procos\n\s+30 runs\n\s+1 bpmn\n\s+1 is\n$/);
    assert.deepEqual(out.instance.history.map((h) => h.elementId), ['file_received', 'read_file', 'check_text', 'count_words', 'long_text', 'top_words', 'merge', 'statistics_ready']);
  });

  it('takes the error boundary path for an empty file (exit 0, "File rejected")', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    const res = await cli(['run', 'processes/examples/file-intake.bpmn', '--var', `file=${empty}`]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Check it is text\s+interrupted after \d+ ms/);
    assert.match(res.stdout, /boundary event\s+Empty or not text/);
    assert.match(res.stdout, /Completed at "File rejected"/);
    assert.match(res.stdout, /rejectReason\s+".*empty\.txt is empty or not a text file"/);
  });

  it('stops at an incident after the retries: exit 2, the incident and the stderr of cat', async () => {
    const res = await cli(['run', 'processes/examples/file-intake.bpmn', '--var', `file=${join(dir, 'does-not-exist.txt')}`]);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.match(res.stdout, /Stuck at "Read the file" \(service task\): 1 open incident\./);
    assert.match(res.stdout, /OPEN {2}at "Read the file" \(failedExternalTask/);
    assert.match(res.stdout, /"cat" exited with code 1/);
    assert.match(res.stdout, /No such file or directory/);
    assert.match(res.stderr, /2 retries left, next in 1000 ms/);
    assert.match(res.stderr, /no retries left: incident raised/);
  });

  it('stops at a message wait: the root orchestrator runs its services, then waits for user_request (exit 2)', async () => {
    const res = await cli(['run', 'processes/root-orchestrator.bpmn']);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.match(res.stdout, /Initialise core services/);
    assert.match(res.stdout, /Start system monitoring/);
    assert.match(res.stdout, /Stuck at "Wait for requests" \(intermediate catch event\): "wait_for_requests" waits for the message "user_request"/);
    assert.match(res.stdout, /coreServices\s+\{"store":\{"kind":"sqlite"/);
  });

  it("runs timers: the kernel starts the runtime's job executor", async () => {
    const file = join(dir, 'timer.bpmn');
    await writeFile(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:process id="short_wait" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait" name="Wait a second"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e" name="Done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`,
    );
    const res = await cli(['run', file]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /intermediate catch event\s+Wait a second\s+1\.\d s/);
    assert.match(res.stdout, /Completed at "Done"/);
  });

  it('exits 1 with one line for a missing file, a broken BPMN file and a bad timeout', async () => {
    const missing = await cli(['run', 'nope.bpmn']);
    assert.equal(missing.code, 1);
    assert.match(oneLine(missing), /^procos: nope\.bpmn: no such file \[PROCOS_CLI_FILE_UNREADABLE\]$/);

    const broken = join(dir, 'broken.bpmn');
    await writeFile(broken, '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:serviceTask id="java" camunda:class="org.example.Java" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"/></bpmn:process></bpmn:definitions>');
    const bad = await cli(['run', broken]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr.split('\n')[0]!, /^procos: .*broken\.bpmn cannot run: .*"java".*Java-only/);

    const timeout = await cli(['run', 'processes/examples/kernel-report.bpmn', '--timeout', 'soon']);
    assert.equal(timeout.code, 1);
    assert.match(oneLine(timeout), /--timeout "soon": expected a number of seconds/);
  });
});
