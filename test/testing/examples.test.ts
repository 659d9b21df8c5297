/**
 * The example scenarios under test/fixtures/testing all pass, are valid against the
 * exported zod schema, and run through `node dist/src/testing/main.js` (exit 0 / 1).
 * Each run leaves no temporary store behind.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { expandScenarioPaths, formatResult, formatSummary, runScenarioFile, runScenarioFiles, scenarioSchema } from '../../src/testing/index.js';
import { FIXTURES, fixture, scenarioFile } from './helpers.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/testing/main.js', import.meta.url));

async function examples(): Promise<string[]> {
  return expandScenarioPaths([FIXTURES]);
}

describe('example scenarios', () => {
  it('there are at least 6, covering every step kind', async () => {
    const files = await examples();
    assert.ok(files.length >= 6, `only ${files.length} examples`);
    const kinds = new Set<string>();
    for (const f of files) {
      const doc = scenarioSchema.parse(parse(await readFile(f, 'utf8')));
      for (const s of doc.steps) for (const k of Object.keys(s)) kinds.add(k);
    }
    assert.deepEqual([...kinds].sort(), ['advanceClock', 'bpmnError', 'cancel', 'complete', 'correlate', 'expect', 'fail', 'resolveIncident', 'setVariables', 'signal']);
  });

  it('every example passes, and its temporary store is removed', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'procos-examples-'));
    try {
      const summary = await runScenarioFiles(await examples(), { tmpDir: tmp });
      for (const r of summary.results) assert.equal(r.status, 'passed', formatResult(r));
      assert.equal(summary.failed, 0);
      assert.equal(summary.passed, summary.results.length);
      assert.equal(formatSummary(summary), `${summary.results.length} scenarios: ${summary.results.length} passed, 0 failed`);
      assert.deepEqual(await readdir(tmp), [], 'no store left behind');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('the schema refuses what the runner refuses', () => {
    assert.equal(scenarioSchema.safeParse({ deploy: 'a.bpmn', start: { process: 'p' }, steps: [{ completee: { activity: 'x' } }] }).success, false);
    assert.equal(scenarioSchema.safeParse({ deploy: 'a.bpmn', start: { process: 'p' }, steps: [{ advanceClock: '1h' }] }).success, false);
    assert.equal(scenarioSchema.safeParse({ deploy: 'a.bpmn', start: { process: 'p' }, steps: [{ complete: { activity: 'x', topic: 'y' } }] }).success, false);
    const ok = scenarioSchema.safeParse({ deploy: 'a.bpmn', start: { process: 'p', businessKey: 7 }, steps: [{ cancel: null }, { fail: { topic: 't' } }] });
    assert.ok(ok.success);
    assert.equal(ok.data.start.businessKey, '7');
    assert.deepEqual(ok.data.steps, [{ cancel: {} }, { fail: { topic: 't', retries: 0 } }]);
  });

  it('a pass formats on one line', async () => {
    const r = await runScenarioFile(fixture('order-shipped.test.yaml'));
    assert.match(formatResult(r), /^PASS order is shipped after payment \(.*order-shipped\.test\.yaml, 8 steps, \d+ ms\)$/);
  });

  it('main.js prints every result and exits 0 when all pass, 1 when one fails, 2 without files', async () => {
    const ok = await run(process.execPath, [MAIN, fixture('order-shipped.test.yaml'), fixture('review-timers.test.yaml')]);
    assert.match(ok.stdout, /^PASS order is shipped after payment .*\nPASS a review is reminded .*\n2 scenarios: 2 passed, 0 failed\n$/);

    const bad = await scenarioFile(`deploy: [order.bpmn, payment.bpmn]
start: {process: order}
steps:
  - expect: {state: completed}
`);
    await assert.rejects(run(process.execPath, [MAIN, fixture('order-shipped.test.yaml'), bad]), (e: { code?: number; stdout?: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stdout ?? '', /\nFAIL scenario .*\n {2}at steps\[0\] \(line 4\): expect: \{state: completed\}\n {4}state: expected completed, actual active\n/);
      assert.match(e.stdout ?? '', /\n2 scenarios: 1 passed, 1 failed\n$/);
      return true;
    });
    await assert.rejects(run(process.execPath, [MAIN]), (e: { code?: number; stderr?: string }) => e.code === 2 && /usage: node dist\/src\/testing\/main\.js/.test(e.stderr ?? ''));
  });

  it('main.js runs a folder’s *.test.yaml files', async () => {
    const { stdout } = await run(process.execPath, [MAIN, FIXTURES]);
    const n = (await examples()).length;
    assert.ok(stdout.endsWith(`${n} scenarios: ${n} passed, 0 failed\n`), stdout);
  });
});
