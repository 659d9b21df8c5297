/**
 * Failing scenarios are reported precisely: the step (index, line, as written), what was
 * expected, what the engine holds; later steps are skipped. Assertions are on the
 * formatted report, as a person reads it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestingErrors, formatResult, runScenarioFile } from '../../src/testing/index.js';
import type { ScenarioResult } from '../../src/testing/index.js';
import { linesOf, scenarioFile } from './helpers.js';

const ORDER = `deploy: [order.bpmn, payment.bpmn]
start: {process: order, businessKey: o-1, variables: {amount: 30}}
`;

async function failing(yaml: string): Promise<{ r: ScenarioResult; text: string; lines: string[] }> {
  const file = await scenarioFile(yaml);
  const r = await runScenarioFile(file);
  assert.equal(r.status, 'failed', formatResult(r));
  const text = formatResult(r);
  return { r, text, lines: linesOf(text) };
}

describe('failure reports', () => {
  it('a failing expect names the step as written, expected and actual, and what the engine holds; later steps are skipped', async () => {
    const { r, lines } = await failing(`name: wrong wait
${ORDER}steps:
  - complete: {activity: check}
  - expect: {waitingAt: [ship]}
  - complete: {topic: ship}
`);
    assert.match(lines[0]!, /^FAIL wrong wait \(.*scenario\.test\.yaml, 3 steps, \d+ ms\)$/);
    assert.equal(lines[1], '  at steps[1] (line 6): expect: {waitingAt: [ship]}');
    assert.equal(lines[2], '    waitingAt: expected [ship], actual [payment] (not waiting at [ship]; also waiting at [payment])');
    assert.equal(lines[3], '  the engine holds, at 2026-01-01T00:00:00Z:');
    assert.match(lines[4]!, /^ {4}main instance \(order o-1, instance [0-9a-f-]+\):$/);
    assert.deepEqual(lines.slice(5, 9), ['      state: active', '      waitingAt: [payment]', '      variables: {amount: 30}', '      open incidents: none']);
    assert.ok(lines.includes('        payment: called instance of payment (active)'), lines.join('\n'));
    assert.ok(lines.includes('        cancelRequested: message "cancel"'), lines.join('\n'));
    assert.ok(lines.includes('    instances started: order ×1, payment ×1'), lines.join('\n'));
    assert.equal(lines.at(-1), '  [PROCOS_TESTING_EXPECTATION_FAILED]');
    assert.deepEqual(
      r.steps.map((s) => s.status),
      ['passed', 'failed', 'skipped'],
    );
    assert.equal(r.failure?.code, TestingErrors.EXPECTATION_FAILED.code);
    assert.deepEqual(r.failure?.step, { index: 1, kind: 'expect', line: 6, text: 'expect: {waitingAt: [ship]}' });
    assert.deepEqual(r.failure?.mismatches?.[0], {
      field: 'waitingAt',
      expected: ['ship'],
      actual: ['payment'],
      message: 'waitingAt: expected [ship], actual [payment] (not waiting at [ship]; also waiting at [payment])',
    });
  });

  it('every difference of one expect is listed, each with its field', async () => {
    const { text, r } = await failing(`${ORDER}steps:
  - complete: {activity: check}
  - expect:
      state: completed
      passed: [ship, payment]
      notPassed: [check]
      variables: {amount: 31, paid: true}
      incidents: 1
      instances: {payment: 2}
`);
    assert.ok(text.includes('  at steps[1] (line 5): expect: {state: completed, passed: [ship, payment], notPassed: [check], variables: {amount: 31, paid: true}, incidents: 1, instances: {payment: 2}}\n'), text);
    for (const line of [
      '    state: expected completed, actual active',
      '    passed: [ship] is not in the history (history: [start, check, gwAmount, gwMerge, payment])',
      '    notPassed: [check] is in the history (history: [start, check, gwAmount, gwMerge, payment])',
      '    variables.amount: expected 31, actual 30',
      '    variables.paid: expected true, actual (not set)',
      '    incidents: expected 1 open, actual 0',
      '    instances.payment: expected 2, actual 1 (started: order ×1, payment ×1)',
    ]) {
      assert.ok(text.includes(`${line}\n`), `missing line:\n${line}\nin:\n${text}`);
    }
    assert.deepEqual(
      r.failure?.mismatches?.map((m) => m.field),
      ['state', 'passed', 'notPassed', 'variables.amount', 'variables.paid', 'incidents', 'instances.payment'],
    );
  });

  it('an incident state names the incident', async () => {
    const { text } = await failing(`${ORDER}steps:
  - fail: {activity: check, retries: 0, message: service down}
  - expect: {state: active}
`);
    assert.ok(text.includes('    state: expected active, actual incident (check: failedExternalTask "service down")\n'), text);
    assert.ok(text.includes('      open incidents: check: failedExternalTask "service down"\n'), text);
    assert.ok(text.includes('        check: external task (topic check, no retries left)\n'), text);
  });

  it('a step that finds nothing to act on says what it looked for and what is open', async () => {
    const { text, r } = await failing(`${ORDER}steps:
  - complete:
      activity: ship
      variables: {a: 1}
`);
    assert.ok(text.includes('  at steps[0] (line 4): complete: {activity: ship, variables: {a: 1}}\n'), text);
    assert.ok(text.includes('    no external task, user task or message-less receive task waits at "ship"; open now: check: external task (topic check)\n'), text);
    assert.ok(text.endsWith('  [PROCOS_TESTING_ACTION_FAILED]'), text);
    assert.equal(r.failure?.code, TestingErrors.ACTION_FAILED.code);
    assert.deepEqual(r.failure?.snapshot?.main?.waitingAt, ['check']);
  });

  it('a topic nobody waits on, a task that is not fetchable yet, one without retries', async () => {
    let f = await failing(`${ORDER}steps:
  - complete: {topic: ship}
`);
    assert.ok(f.text.includes('    no external task of topic "ship" is open; open now: check: external task (topic check)\n'), f.text);
    f = await failing(`${ORDER}steps:
  - fail: {activity: check, retries: 3, retryTimeout: PT10M}
  - advanceClock: PT9M
  - complete: {activity: check}
`);
    assert.ok(f.text.includes('    the external task at "check" (topic check) cannot be fetched: it failed and is offered again only at 2026-01-01T00:10:00Z (advance the clock)\n'), f.text);
    f = await failing(`${ORDER}steps:
  - fail: {activity: check}
  - complete: {activity: check}
`);
    assert.ok(f.text.includes('    the external task at "check" (topic check) cannot be fetched: it has no retries left (an incident is open); resolve it first (resolveIncident)\n'), f.text);
  });

  it('a command the engine refuses is quoted with the engine’s code', async () => {
    const { text, r } = await failing(`${ORDER}steps:
  - correlate: {message: cancel, businessKey: o-1}
`);
    assert.ok(
      text.includes(`    correlating message "cancel": the engine refused: Cannot correlate message 'cancel': No process definition or execution matches the parameters [PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED]\n`),
      text,
    );
    assert.equal(r.failure?.engineCode, 'PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED');
  });

  it('resolveIncident without an incident, cancel of an ended instance, expect in: an unknown key', async () => {
    let f = await failing(`${ORDER}steps:
  - resolveIncident: {activity: check}
`);
    assert.ok(f.text.includes('    no open incident at "check"; open incidents: none\n'), f.text);
    f = await failing(`${ORDER}steps:
  - bpmnError: {activity: check, code: REJECTED}
  - complete: {activity: notifyCustomer}
  - cancel: {}
`);
    assert.ok(f.text.includes('    cannot cancel instance order o-1: it has ended (completed)\n'), f.text);
    f = await failing(`${ORDER}steps:
  - expect: {in: shipping, state: active}
`);
    assert.ok(f.text.includes('    in: no instance of process "shipping" was started in this scenario (started: order ×1)\n'), f.text);
  });

  it('verbose output lists every step with its outcome', async () => {
    const file = await scenarioFile(`${ORDER}steps:
  - complete: {activity: check}
  - expect: {state: completed}
  - complete: {activity: pay}
`);
    const lines = linesOf(formatResult(await runScenarioFile(file), { verbose: true }));
    assert.deepEqual(lines.slice(1, 4), ['  ok   steps[0] (line 4): complete: {activity: check}', '  FAIL steps[1] (line 5): expect: {state: completed}', '  --   steps[2] (line 6): complete: {activity: pay}']);
  });
});
