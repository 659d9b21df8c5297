/**
 * The whole shared corpus through the real parser: every file compiles or is refused
 * with a ModelErrors code, within a time bound; files that need Java are refused; every
 * runnable executable file compiles or is refused only for the reasons listed for it in
 * corpus-refusals.ts; and named files have the outcomes their content implies.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it, test } from 'node:test';
import { ProcosError } from '../../src/common/errors.js';
import { compileBpmn, ModelErrors, type ExclusiveGatewayNode, type ExternalTaskNode, type Problem, type ProcessModel } from '../../src/model/index.js';
import { EXPECTED_REFUSALS } from './corpus-refusals.js';
import { CORPUS_DIR, node } from './helpers.js';

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
          for (const m of o.models) {
            assert.ok(Object.isFrozen(m));
            assert.ok(m.startEventId === '' ? m.eventStartIds.length > 0 : m.nodes.has(m.startEventId), `${m.id} can be started`);
          }
        }
        assert.ok(performance.now() - started < PER_FILE_MS);
      });
    }
    for (const [code, n] of [...counts].sort()) t.diagnostic(`${code}: ${n}`);
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), files.length);
  });

  const rows = readFileSync(join(CORPUS_DIR, 'INDEX.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.split('\t'));
  /** Paths with an executable process whose runnable_without_java column is `runnable`. */
  const executable = (runnable: 'yes' | 'no'): string[] =>
    rows.flatMap(([path, , , isExecutable, r]) => (path !== undefined && r === runnable && isExecutable?.split(',').includes('true') === true ? [path] : []));

  it('compiles every runnable executable file (INDEX.tsv), or refuses it only for the reasons listed for it', async (t) => {
    const runnable = executable('yes');
    const outcomes = new Map<string, number>();
    for (const path of runnable) {
      const o = await outcomeOf(path);
      const reasons = EXPECTED_REFUSALS[path];
      if (o.kind === 'compiled') {
        assert.equal(reasons, undefined, `${path} compiles; remove it from EXPECTED_REFUSALS`);
        outcomes.set('compiled', (outcomes.get('compiled') ?? 0) + 1);
        continue;
      }
      assert.ok(reasons !== undefined, `${path} is refused but lists no reason: ${o.error.message}`);
      outcomes.set(o.error.code, (outcomes.get(o.error.code) ?? 0) + 1);
      for (const p of o.problems) {
        assert.ok(
          reasons.some((r) => r.code === p.code && r.match.test(p.message)),
          `${path}: ${p.code} ${p.elementId ?? ''} "${p.message}" matches none of its reasons (${reasons.map((r) => r.why).join('; ')})`,
        );
      }
      for (const r of reasons) assert.ok(o.problems.some((p) => r.code === p.code && r.match.test(p.message)), `${path}: listed reason "${r.why}" no longer applies`);
    }
    for (const path of Object.keys(EXPECTED_REFUSALS)) assert.ok(runnable.includes(path), `${path} in EXPECTED_REFUSALS is a runnable executable corpus file`);
    for (const [key, n] of [...outcomes].sort()) t.diagnostic(`runnable without Java, ${key}: ${n}`);
    assert.ok((outcomes.get('compiled') ?? 0) >= 80, 'most runnable files compile');
  });

  it('refuses every file that needs Java and has an executable process (INDEX.tsv)', async () => {
    let checked = 0;
    for (const path of executable('no')) {
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

    it('Camunda InclusiveGatewayTest and MultiInstanceTest compile', async () => {
      const [inc] = await compiled('camunda/platform/bpmn/gateway/InclusiveGatewayTest.testDivergingInclusiveGateway.bpmn20.xml');
      assert.ok(inc !== undefined);
      assert.equal(node(inc, 'inclusiveGw', 'inclusiveGateway').outgoing.length, 3);
      const [mi] = await compiled('camunda/platform/bpmn/multiinstance/MultiInstanceTest.testParallelUserTasksCompletionCondition.bpmn20.xml');
      assert.ok(mi !== undefined);
      assert.deepEqual(node(mi, 'miTasks', 'userTask').loop, {
        kind: 'multiInstance',
        sequential: false,
        loopCardinality: { kind: 'juel', source: '${5}' },
        completionCondition: { kind: 'juel', source: '${nrOfCompletedInstances/nrOfInstances >= 0.5}' },
      });
    });

    it('Camunda MessageStartEventTest: a qualified messageRef (tns:newInvoice) names the message; no none start event', async () => {
      const [m] = await compiled('camunda/platform/bpmn/event/message/MessageStartEventTest.testSingleMessageStartEvent.bpmn20.xml');
      assert.ok(m !== undefined);
      assert.equal(m.startEventId, '');
      assert.deepEqual(m.eventStartIds, ['theStart']);
      assert.deepEqual(node(m, 'theStart', 'startEvent').event, { type: 'message', messageName: { kind: 'literal', value: 'newInvoiceMessage' } });
    });

    it('Camunda CallActivity.testSubProcessDataInputOutput: camunda:in/out, including an attribute written source ="…"', async () => {
      const [m] = await compiled('camunda/platform/bpmn/callactivity/CallActivity.testSubProcessDataInputOutput.bpmn20.xml');
      assert.ok(m !== undefined);
      const call = node(m, 'callSubProcess', 'callActivity');
      assert.deepEqual(call.calledElement, { kind: 'literal', value: 'simpleSubProcess' });
      assert.deepEqual(call.outMappings[1], { kind: 'variable', source: 'myLocalVariable', target: 'hisLocalVariable', local: false });
    });

    it('Camunda EventBasedGatewayTest: signal, message and timer catch events after the gateway', async () => {
      const [m] = await compiled('camunda/platform/bpmn/gateway/EventBasedGatewayTest.testCatchSignalAndMessageAndTimer.bpmn20.xml');
      assert.ok(m !== undefined);
      const targets = node(m, 'gw1', 'eventBasedGateway').outgoing.map((f) => m.flows.get(f)?.targetId);
      assert.deepEqual(targets.sort(), ['messageEvent', 'signalEvent', 'timerEvent']);
      assert.deepEqual(node(m, 'timerEvent', 'intermediateCatchEvent').event, { type: 'timer', timer: { kind: 'duration', expr: { kind: 'literal', value: 'PT0S' } } });
    });

    it('Camunda CompensateEventTest: compensation handler inside a subprocess, compensate throw on the subprocess', async () => {
      const [m] = await compiled('camunda/platform/bpmn/event/compensate/CompensateEventTest.testCompensateActivityInSubprocess.bpmn20.xml');
      assert.ok(m !== undefined);
      assert.equal(node(m, 'scopeTask', 'userTask').compensationHandler, 'undoScopeTask');
      assert.deepEqual(node(m, 'throwCompensate', 'intermediateThrowEvent').event, { type: 'compensate', activityRef: 'subprocess', waitForCompletion: true });
    });

    it('Camunda EscalationEventSubprocessTest: a non-interrupting escalation event subprocess', async () => {
      const [m] = await compiled('camunda/platform/bpmn/event/escalation/EscalationEventSubprocessTest.testNonInterruptingEscalationTriggeredTwice.bpmn20.xml');
      assert.ok(m !== undefined);
      assert.deepEqual(m.eventSubProcesses, ['escalationEventSubprocess']);
      const start = node(m, 'escalationStartEvent', 'startEvent');
      assert.deepEqual([start.interrupting, start.event], [false, { type: 'escalation', escalationCode: 'escalationCode' }]);
    });

    it('MIWG C.9.2 (Zeebe): event subprocesses with message and timer starts, a multi-instance call activity', async () => {
      const models = await compiled('miwg/C.9.2.bpmn');
      const m = models.find((x) => x.id === 'ManualCheck');
      assert.ok(m !== undefined);
      assert.deepEqual(m.eventSubProcesses, ['Activity_0uvp3cb', 'Activity_1esx1s7', 'Activity_02a6b2h']);
      assert.deepEqual(node(m, 'StartMessageEvent_DocumentRequested', 'startEvent').event, {
        type: 'message',
        messageName: { kind: 'literal', value: 'Message_DocumentRequested' },
        correlationKey: { kind: 'feel', source: 'documentReferenceId' },
      });
      assert.equal(node(m, 'CallActivity_RequestDocument', 'callActivity').loop?.kind, 'multiInstance');
    });

    it('bpmn-elements link-event.bpmn: a link pair and JavaScript script tasks', async () => {
      const [m] = await compiled('bpmn-elements/link-event.bpmn');
      assert.ok(m !== undefined);
      assert.deepEqual(node(m, 'throw', 'intermediateThrowEvent').event, { type: 'link', linkName: 'LINKA' });
      assert.equal(node(m, 'task1', 'scriptTask').language, 'javascript');
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
