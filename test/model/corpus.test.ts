/**
 * The whole shared corpus through the real parser: every file compiles or is refused
 * with a ModelErrors code, within a time bound; files that need Java are refused; and
 * named files have the outcomes their content implies.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it, test } from 'node:test';
import { ProcosError } from '../../src/common/errors.js';
import { compileBpmn, ModelErrors, type ExclusiveGatewayNode, type ExternalTaskNode, type Problem, type ProcessModel } from '../../src/model/index.js';
import { CORPUS_DIR } from './helpers.js';

const CODES = new Set<string>(Object.values(ModelErrors).map((s) => s.code));
const PER_FILE_MS = 10_000;

type Outcome = { kind: 'compiled'; models: ProcessModel[] } | { kind: 'refused'; error: ProcosError; problems: Problem[] };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return walk(p);
    return /\.bpmn(20\.xml)?$/.test(d.name) ? [p] : [];
  });
}

const files = walk(CORPUS_DIR)
  .map((p) => relative(CORPUS_DIR, p).split('\\').join('/'))
  .sort();
const outcomes = new Map<string, Outcome>();

async function outcomeOf(path: string): Promise<Outcome> {
  const cached = outcomes.get(path);
  if (cached !== undefined) return cached;
  const bytes = readFileSync(join(CORPUS_DIR, path));
  let outcome: Outcome;
  try {
    outcome = { kind: 'compiled', models: await compileBpmn(new Uint8Array(bytes), { file: path }) };
  } catch (e) {
    assert.ok(e instanceof ProcosError, `${path}: only ProcosError may escape, got ${String(e)}`);
    outcome = { kind: 'refused', error: e, problems: (e.details['problems'] ?? []) as Problem[] };
  }
  outcomes.set(path, outcome);
  return outcome;
}

async function refusedWith(path: string, code: string): Promise<Problem[]> {
  const o = await outcomeOf(path);
  assert.equal(o.kind, 'refused', `${path} is refused`);
  if (o.kind !== 'refused') return [];
  assert.equal(o.error.code, code, o.error.message);
  return o.problems;
}

async function compiled(path: string): Promise<ProcessModel[]> {
  const o = await outcomeOf(path);
  if (o.kind === 'refused') assert.fail(`${path} should compile: ${o.error.message}`);
  return o.models;
}

describe('corpus', () => {
  it('has files to walk', () => {
    assert.ok(files.length >= 150, `found ${files.length} files under ${CORPUS_DIR}`);
  });

  test('every file compiles or is refused with a model code, in bounded time', async (t) => {
    const counts = new Map<string, number>();
    for (const path of files) {
      await t.test(path, { timeout: PER_FILE_MS }, async () => {
        const started = performance.now();
        const o = await outcomeOf(path);
        const key = o.kind === 'compiled' ? 'compiled' : o.error.code;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (o.kind === 'refused') {
          assert.ok(CODES.has(o.error.code), `${path}: ${o.error.code} is a ModelErrors code`);
          assert.ok(o.error.message.startsWith(path), `message names the file: ${o.error.message}`);
          for (const p of o.problems) assert.ok(CODES.has(p.code), `problem code ${p.code}`);
        } else {
          assert.ok(o.models.length > 0);
          for (const m of o.models) assert.ok(Object.isFrozen(m) && m.nodes.has(m.startEventId));
        }
        assert.ok(performance.now() - started < PER_FILE_MS);
      });
    }
    for (const [code, n] of [...counts].sort()) t.diagnostic(`${code}: ${n}`);
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), files.length);
  });

  it('refuses every file that needs Java and has an executable process (INDEX.tsv)', async () => {
    const rows = readFileSync(join(CORPUS_DIR, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1);
    let checked = 0;
    for (const row of rows) {
      const [path, , , isExecutable, runnable] = row.split('\t');
      if (path === undefined || runnable !== 'no' || isExecutable?.split(',').includes('true') !== true) continue;
      const o = await outcomeOf(path);
      assert.equal(o.kind, 'refused', `${path} needs Java and must be refused`);
      checked++;
    }
    assert.ok(checked >= 2, `checked ${checked} Java-only files`);
  });

  describe('named outcomes', () => {
    it('Camunda ExclusiveGatewayTest.testDefaultSequenceFlow compiles with its default flow and JUEL conditions', async () => {
      const [m] = await compiled('camunda/platform/bpmn/gateway/ExclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml');
      const gw = m?.nodes.get('exclusiveGw') as ExclusiveGatewayNode | undefined;
      assert.equal(gw?.kind, 'exclusiveGateway');
      assert.equal(gw?.defaultFlow, 'flow3');
      assert.deepEqual(gw?.outgoing, ['flow2', 'flow3', 'flow4']);
      assert.deepEqual(m?.flows.get('flow2')?.condition, { kind: 'juel', source: '${input == 1}' });
      assert.equal(m?.flows.get('flow3')?.condition, undefined);
    });

    it('Camunda oneExternalTaskProcess compiles to an external task with a literal topic', async () => {
      const [m] = await compiled('camunda/platform/api/externaltask/oneExternalTaskProcess.bpmn20.xml');
      const task = m?.nodes.get('externalTask') as ExternalTaskNode | undefined;
      assert.equal(task?.kind, 'serviceTask');
      assert.deepEqual(task?.topic, { kind: 'literal', value: 'externalTaskTopic' });
      assert.equal(task?.priority, undefined);
    });

    it('Camunda boundary error on an embedded subprocess: attachment, scopes, catch-all', async () => {
      const [m] = await compiled('camunda/platform/bpmn/event/error/BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess.bpmn20.xml');
      assert.ok(m !== undefined);
      assert.deepEqual(m.nodes.get('subprocess')?.boundaryEvents, ['catchError']);
      const sub = m.nodes.get('subprocess');
      assert.ok(sub?.kind === 'subProcess');
      assert.equal(sub.startEventId, 'subprocessStart');
      assert.deepEqual(sub.children, ['subprocessStart', 'subprocessTask', 'subprocessEnd']);
      assert.equal(m.nodes.get('subprocessTask')?.scopeId, 'subprocess');
      const end = m.nodes.get('subprocessEnd');
      assert.ok(end?.kind === 'endEvent');
      assert.deepEqual(end.event, { type: 'error', errorCode: '123' });
      const boundary = m.nodes.get('catchError');
      assert.ok(boundary?.kind === 'boundaryEvent');
      assert.deepEqual(boundary.event, { type: 'error' });
    });

    it('Camunda error end with an errorRef naming no bpmn:error uses the ref as code (as Camunda 7)', async () => {
      const [m] = await compiled('camunda/platform/bpmn/event/error/BoundaryErrorEventTest.subprocess.bpmn20.xml');
      const end = m?.nodes.get('theEnd');
      assert.ok(end?.kind === 'endEvent');
      assert.deepEqual(end.event, { type: 'error', errorCode: 'myError' });
    });

    it('Camunda io mapping on a subprocess compiles', async () => {
      const [m] = await compiled('camunda/platform/bpmn/iomapping/InputOutputTest.testSubprocessIoSupport.bpmn20.xml');
      assert.deepEqual(m?.nodes.get('SubProcess_1')?.io, {
        dialect: 'camunda',
        inputs: [{ target: 'innerVar', value: { kind: 'expr', expr: { kind: 'juel', source: '${processVar}' } } }],
        outputs: [{ target: 'outerVar', value: { kind: 'expr', expr: { kind: 'juel', source: '${innerVar}' } } }],
      });
    });

    it('Zeebe multiple-tasks compiles with literal job types and FEEL mappings', async () => {
      const [m] = await compiled('zeebe/zeebe-process-test/multiple-tasks.bpmn');
      const task = m?.nodes.get('servicetask1') as ExternalTaskNode | undefined;
      assert.deepEqual(task?.topic, { kind: 'literal', value: 'test' });
      assert.equal(task?.io?.dialect, 'zeebe');
      assert.deepEqual(task?.io?.outputs[0], { target: 'loopAmount', value: { kind: 'expr', expr: { kind: 'feel', source: 'loopAmount + 1' } } });
      assert.equal(m?.nodes.get('Gateway_0s6ix13')?.outgoing.length, 3);
    });

    it('bpmn-engine service-task.bpmn: camunda:expression is a Java implementation naming the element', async () => {
      const problems = await refusedWith('bpmn-engine/service-task.bpmn', ModelErrors.JAVA_IMPLEMENTATION.code);
      assert.equal(problems[0]?.elementId, 'serviceTask');
      assert.equal(problems[0]?.attribute, 'camunda:expression');
      assert.equal(problems[0]?.line, 12);
    });

    it('MIWG C.1.1 (Activiti namespace as camunda): delegateExpression is refused as Java on archiveInvoice', async () => {
      const o = await outcomeOf('miwg/C.1.1.bpmn');
      assert.equal(o.kind, 'refused');
      if (o.kind !== 'refused') return;
      const java = o.problems.find((p) => p.code === ModelErrors.JAVA_IMPLEMENTATION.code);
      assert.equal(java?.elementId, 'archiveInvoice');
      assert.equal(java?.attribute, 'camunda:delegateExpression');
    });

    it('MIWG A.1.0 has no executable process', async () => {
      await refusedWith('miwg/A.1.0.bpmn', ModelErrors.NO_EXECUTABLE_PROCESS.code);
    });

    it('the pre-final BPMN namespace file is refused cleanly', async () => {
      const problems = await refusedWith('bpmn-elements/service-task-operation.bpmn', ModelErrors.INVALID.code);
      assert.match(problems[0]?.message ?? '', /http:\/\/schema\.omg\.org\/spec\/BPMN\/2\.0.*pre-final/);
    });

    it('Camunda InclusiveGatewayTest: inclusiveGateway is unsupported, named', async () => {
      const problems = await refusedWith('camunda/platform/bpmn/gateway/InclusiveGatewayTest.testDivergingInclusiveGateway.bpmn20.xml', ModelErrors.UNSUPPORTED_ELEMENT.code);
      assert.equal(problems[0]?.elementId, 'inclusiveGw');
      assert.equal(problems[0]?.elementType, 'inclusiveGateway');
    });

    it('Camunda multi-instance user task is unsupported', async () => {
      const problems = await refusedWith('camunda/platform/bpmn/multiinstance/MultiInstanceTest.testParallelUserTasksCompletionCondition.bpmn20.xml', ModelErrors.UNSUPPORTED_ELEMENT.code);
      assert.equal(problems[0]?.elementId, 'miTasks');
      assert.equal(problems[0]?.attribute, 'multiInstanceLoopCharacteristics');
    });

    it('bpmn-elements async-decision.bpmn: a JavaScript condition is unsupported', async () => {
      const problems = await refusedWith('bpmn-elements/async-decision.bpmn', ModelErrors.UNSUPPORTED_ELEMENT.code);
      assert.ok(problems.some((p) => p.elementType === 'sequenceFlow' && /javascript/.test(p.message)));
    });

    it('Zeebe BpmnParser2.bpmn: task headers are refused, not dropped', async () => {
      const problems = await refusedWith('zeebe/camunda-8-js-sdk/BpmnParser2.bpmn', ModelErrors.UNSUPPORTED_ELEMENT.code);
      assert.ok(problems.some((p) => p.attribute === 'zeebe:taskHeaders'));
    });

    it('bpmn-elements two-executable-processes.bpmn compiles both processes', async () => {
      const models = await compiled('bpmn-elements/two-executable-processes.bpmn');
      assert.deepEqual(
        models.map((m) => m.id),
        ['Process_1', 'Process_2'],
      );
    });
  });
});
