/**
 * Broken scenario files give one clear error naming the file, the step and the field,
 * with a `PROCOS_TESTING_…` code; never a stack trace. `loadScenario` throws the same
 * errors as coded ProcosErrors.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { TestingErrors, formatResult, loadScenario, runScenarioFile } from '../../src/testing/index.js';
import type { ScenarioResult } from '../../src/testing/index.js';
import { linesOf, scenarioFile } from './helpers.js';

const START = `deploy: [order.bpmn, payment.bpmn]
start: {process: order}
`;

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `a stack trace leaked:\n${text}`);
  assert.doesNotMatch(text, /node:internal|\.js:\d+/, text);
}

async function broken(yaml: string, bpmn?: readonly string[]): Promise<{ r: ScenarioResult; file: string; lines: string[] }> {
  const file = await scenarioFile(yaml, bpmn);
  const r = await runScenarioFile(file);
  assert.equal(r.status, 'error', formatResult(r));
  const text = formatResult(r);
  assertNoStack(text);
  return { r, file, lines: linesOf(text) };
}

describe('broken scenario files', () => {
  it('YAML syntax errors name the file, line and column', async () => {
    const { r, file, lines } = await broken(`name: x
deploy: [order.bpmn
start: {process: order}
`);
    assert.equal(lines[0]!.startsWith('ERROR scenario ('), true, lines[0]);
    assert.equal(lines[1], `  ${file}:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`);
    assert.equal(lines[2], '  [PROCOS_TESTING_SCENARIO_UNREADABLE]');
    assert.equal(r.failure?.phase, 'load');
  });

  it('an unknown step kind names the step and suggests the kind meant', async () => {
    const { file, lines, r } = await broken(`${START}steps:
  - expect: {waitingAt: [check]}
  - completed: {activity: check}
`);
    assert.equal(lines[1], `  ${file}:5: steps[1]: unknown step kind "completed" (did you mean "complete"?); known kinds: expect, complete, bpmnError, fail, correlate, signal, advanceClock, setVariables, resolveIncident, cancel`);
    assert.equal(lines.at(-1), '  [PROCOS_TESTING_SCENARIO_INVALID]');
    assert.deepEqual(r.failure?.issues, [{ field: 'steps[1]', message: 'unknown step kind "completed" (did you mean "complete"?); known kinds: expect, complete, bpmnError, fail, correlate, signal, advanceClock, setVariables, resolveIncident, cancel', line: 5, step: 1 }]);
  });

  it('bad fields are each named with their step, path and line', async () => {
    const { file, lines } = await broken(`${START}steps:
  - complete: {activty: check}
  - advanceClock: 1h
  - expect:
      state: done
  - {complete: {topic: a}, expect: {state: active}}
  - fail: {topic: x, retries: -1}
  - expect: {}
  - 42
`);
    assert.deepEqual(lines.slice(1, -1), [
      `  ${file}:4: steps[0].complete: unknown field "activty" (did you mean "activity"?); known fields: activity, topic, variables`,
      `  ${file}:4: steps[0].complete: needs "activity" or "topic"`,
      `  ${file}:5: steps[1].advanceClock: "1h" is not an ISO-8601 duration (e.g. PT30M, PT1H30M, P1D)`,
      `  ${file}:7: steps[2].expect.state: Invalid option: expected one of "active"|"completed"|"terminated"|"incident"`,
      `  ${file}:8: steps[3]: a step has exactly one kind, got 2: complete, expect (write each as its own "- …" item)`,
      `  ${file}:9: steps[4].fail.retries: Too small: expected number to be >=0`,
      `  ${file}:10: steps[5].expect: needs at least one of waitingAt, state, passed, notPassed, variables, incidents, instances`,
      `  ${file}:11: steps[6]: a step is a mapping with one key, its kind (one of expect, complete, bpmnError, fail, correlate, signal, advanceClock, setVariables, resolveIncident, cancel); got 42`,
    ]);
  });

  it('missing and unknown top-level fields', async () => {
    let b = await broken(`deploy: order.bpmn
steps: []
colour: blue
`);
    assert.deepEqual(b.lines.slice(1, -1), [`  ${b.file}:3: unknown field "colour"; known fields: name, description, startTime, deploy, start, steps`, `  ${b.file}:1: start: is required (expected object)`]);
    b = await broken(`${START}steps:
  - complete: {activity: check}
    variables: {}
`);
    assert.equal(b.lines[1], `  ${b.file}:4: steps[0]: "variables" is not a step kind; indent it under "complete:" if it belongs to that step`);
    b = await broken('- just\n- a list\n');
    assert.equal(b.lines[1], `  ${b.file}:1: a scenario is a mapping with name, deploy, start and steps`);
    b = await broken(`${START.replace('{process: order}', '{process: order, variables: [1]}')}steps: []
`);
    assert.match(b.lines[1]!, /:2: start\.variables: expected record, received array$/);
  });

  it('a missing scenario file, a missing BPMN file, a file that is not BPMN', async () => {
    const r = await runScenarioFile('/nonexistent/dir/order.test.yaml');
    assert.equal(r.status, 'error');
    assert.equal(r.name, 'order');
    assert.equal(linesOf(formatResult(r))[1], '  /nonexistent/dir/order.test.yaml: cannot read the scenario file: no such file');
    assert.equal(r.failure?.code, TestingErrors.SCENARIO_UNREADABLE.code);

    let b = await broken(`deploy: [order.bpmn, shipping.bpmn]
start: {process: order}
steps: []
`);
    assert.equal(b.lines[1], `  ${b.file}:1: deploy[1]: cannot read "shipping.bpmn" (${join(dirname(b.file), 'shipping.bpmn')}): no such file`);
    assert.equal(b.lines.at(-1), '  [PROCOS_TESTING_RESOURCE_UNREADABLE]');

    b = await broken(`deploy:
  - order.bpmn
  - notes.txt
start: {process: order}
steps: []
`);
    assert.equal(b.lines[1], `  ${b.file}:3: deploy[1]: "notes.txt" is not a BPMN file (its name must end in .bpmn or .bpmn20.xml)`);
  });

  it('BPMN that fails to deploy names the BPMN file, line and element', async () => {
    const file = await scenarioFile(`deploy: bad.bpmn
start: {process: p}
steps: []
`, []);
    await writeFile(
      join(dirname(file), 'bad.bpmn'),
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:serviceTask id="javaTask" camunda:class="org.example.Delegate" />
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="javaTask" />
  </bpmn:process>
</bpmn:definitions>
`,
    );
    const r = await runScenarioFile(file);
    const text = formatResult(r);
    assertNoStack(text);
    assert.equal(r.status, 'error');
    assert.equal(r.failure?.code, TestingErrors.DEPLOY_FAILED.code);
    assert.equal(r.failure?.phase, 'deploy');
    const [head, message, code] = linesOf(text);
    assert.match(head!, /^ERROR scenario /);
    assert.ok(message!.startsWith(`  ${file}: deploy: the BPMN was refused: `), message);
    assert.match(message!, /bad\.bpmn:5:\d+ .*javaTask.*camunda:class/);
    assert.match(message!, /\[PROCOS_RUNTIME_DEPLOYMENT_INVALID\]$/);
    assert.equal(code, '  [PROCOS_TESTING_DEPLOY_FAILED]');
  });

  it('a start with an unknown process key lists the deployed keys', async () => {
    const { lines, file } = await broken(`deploy: [order.bpmn, payment.bpmn]
start: {process: shipping}
steps: []
`);
    assert.equal(lines[1], `  ${file}: start.process: cannot start "shipping": no process definition with key "shipping" is deployed [PROCOS_RUNTIME_DEFINITION_NOT_FOUND] (deployed: order, payment)`);
    assert.equal(lines[2], '  [PROCOS_TESTING_START_FAILED]');
  });

  it('loadScenario throws coded errors with file, field, line and step', async () => {
    const file = await scenarioFile(`${START}steps:
  - signal: {nam: alert}
`);
    await assert.rejects(loadScenario(file), (e) => {
      assert.ok(isProcosError(e, TestingErrors.SCENARIO_INVALID));
      assert.equal(e.message, `${file}:4: steps[0].signal: unknown field "nam" (did you mean "name"?); known fields: name, variables (and 1 more problem)`);
      assert.equal(e.details.file, file);
      assert.equal(e.details.field, 'steps[0].signal');
      assert.equal(e.details.line, 4);
      assert.equal(e.details.step, 0);
      return true;
    });
  });
});
