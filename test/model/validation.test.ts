/**
 * What the compiler refuses inside an executable process, with which code, and how the
 * message names the file, position, element and kind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelErrors } from '../../src/model/index.js';
import { bpmn, compileOne, positionOfId, refused } from './helpers.js';

const START = '    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t" />';
const END = '    <bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e" />\n    <bpmn:endEvent id="e" />';
/** A process start → `task` (id t) → end. */
const around = (task: string, extra = ''): string => bpmn(`${START}\n    ${task}\n${END}${extra === '' ? '' : `\n${extra}`}`);

const { JAVA_IMPLEMENTATION, UNSUPPORTED_ELEMENT, INVALID, FLOW_REF_MISSING, NO_EXECUTABLE_PROCESS } = ModelErrors;

describe('unknown and unsupported elements', () => {
  it('refuses an unknown element kind inside an executable process, naming id and line', async () => {
    const xml = around('<bpmn:task id="t" />', '    <bpmn:fooTask id="weird" />');
    const { error, problems } = await refused(xml, UNSUPPORTED_ELEMENT.code, { file: 'u.bpmn' });
    const pos = positionOfId(xml, 'weird');
    assert.equal(problems[0]?.elementId, 'weird');
    assert.equal(problems[0]?.line, pos.line);
    assert.equal(problems[0]?.column, pos.column);
    assert.match(error.message, new RegExp(`^u\\.bpmn:${pos.line}:${pos.column} element "weird" \\(fooTask\\): <bpmn:fooTask> is not supported`));
  });

  it('ignores unknown elements in a non-executable process', async () => {
    const xml = bpmn('<bpmn:fooTask id="weird" />', { executable: false });
    await refused(xml, NO_EXECUTABLE_PROCESS.code);
  });

  it('refuses the kinds outside the executable subset, naming id and kind', async () => {
    const cases: [string, string][] = [
      ['<bpmn:complexGateway id="t" />', 'complexGateway'],
      ['<bpmn:adHocSubProcess id="t"><bpmn:task id="inner" /></bpmn:adHocSubProcess>', 'adHocSubProcess'],
    ];
    for (const [task, kind] of cases) {
      const xml = around(task);
      const { error, problems } = await refused(xml, UNSUPPORTED_ELEMENT.code, { file: 'k.bpmn' });
      assert.equal(problems[0]?.elementId, 't', kind);
      assert.equal(problems[0]?.elementType, kind);
      assert.match(error.message, new RegExp(`^k\\.bpmn:${positionOfId(xml, 't').line}:5 element "t" \\(${kind}\\)`));
    }
  });

  it('refuses listeners, connectors, field injection, script mappings, DMN, task headers and stray camunda:in', async () => {
    const cases: [string, string][] = [
      ['<bpmn:userTask id="t"><bpmn:extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="groovy">x</camunda:script></camunda:executionListener></bpmn:extensionElements></bpmn:userTask>', 'camunda:executionListener'],
      ['<bpmn:userTask id="t"><bpmn:extensionElements><camunda:taskListener event="create" expression="${done}" /></bpmn:extensionElements></bpmn:userTask>', 'camunda:taskListener'],
      ['<bpmn:serviceTask id="t"><bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>', 'camunda:connector'],
      ['<bpmn:serviceTask id="t" camunda:type="external" camunda:topic="x"><bpmn:extensionElements><camunda:field name="a" stringValue="b" /></bpmn:extensionElements></bpmn:serviceTask>', 'camunda:field'],
      ['<bpmn:serviceTask id="t" camunda:type="external" camunda:topic="x"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="a"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>', 'camunda:script'],
      ['<bpmn:businessRuleTask id="t" camunda:decisionRef="dish" />', 'camunda:decisionRef'],
      ['<bpmn:businessRuleTask id="t"><bpmn:extensionElements><zeebe:calledDecision decisionId="dish" resultVariable="r" /></bpmn:extensionElements></bpmn:businessRuleTask>', 'zeebe:calledDecision'],
      ['<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" /><zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>', 'zeebe:taskHeaders'],
      ['<bpmn:userTask id="t"><bpmn:extensionElements><camunda:in source="a" target="b" /></bpmn:extensionElements></bpmn:userTask>', 'camunda:in'],
      ['<bpmn:userTask id="t" startQuantity="2" />', 'startQuantity'],
    ];
    for (const [task, attribute] of cases) {
      const { problems } = await refused(around(task), UNSUPPORTED_ELEMENT.code);
      assert.equal(problems.length, 1, `${attribute}: ${problems.map((p) => p.message).join(' | ')}`);
      assert.equal(problems[0]?.elementId, 't', attribute);
      assert.equal(problems[0]?.attribute, attribute, problems[0]?.message);
    }
  });

  it('refuses a script condition', async () => {
    const xml = around('<bpmn:task id="t" />').replace(
      '<bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e" />',
      '<bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">x == 1</bpmn:conditionExpression></bpmn:sequenceFlow>',
    );
    const { problems } = await refused(xml, UNSUPPORTED_ELEMENT.code);
    assert.equal(problems[0]?.elementId, 'f9');
    assert.match(problems[0]?.message ?? '', /language "groovy"/);
  });
});

describe('Java implementations', () => {
  it('refuses camunda:class with the documented message', async () => {
    const xml = around('<bpmn:serviceTask id="t" camunda:class="com.acme.Charge" />');
    const { error, problems } = await refused(xml, JAVA_IMPLEMENTATION.code, { file: 'order.bpmn' });
    const { line } = positionOfId(xml, 't');
    assert.equal(error.message, `order.bpmn:${line}:5 element "t" (serviceTask): camunda:class="com.acme.Charge" is Java-only; use camunda:type="external" camunda:topic="…"`);
    assert.equal(error.details['elementId'], 't');
    assert.equal(error.details['attribute'], 'camunda:class');
    assert.equal(problems.length, 1);
  });

  it('refuses delegateExpression and expression on service, send and business rule tasks', async () => {
    for (const [task, attribute] of [
      ['<bpmn:serviceTask id="t" camunda:delegateExpression="${charger}" />', 'camunda:delegateExpression'],
      ['<bpmn:sendTask id="t" camunda:expression="${mailer.send(order)}" />', 'camunda:expression'],
      ['<bpmn:businessRuleTask id="t" camunda:class="com.acme.Rules" />', 'camunda:class'],
    ] as const) {
      const { problems } = await refused(around(task), JAVA_IMPLEMENTATION.code);
      assert.equal(problems[0]?.elementId, 't');
      assert.equal(problems[0]?.attribute, attribute);
    }
  });

  it('refuses method calls in conditions but not EL operators', async () => {
    const withCondition = (cond: string): string =>
      around('<bpmn:task id="t" />').replace(
        '<bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e" />',
        `<bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      );
    for (const cond of ["${execution.getVariable('x')}", '${bean.check(a)}', '#{fn:contains(list, 1)}', '${x > 1 &amp;&amp; svc.ok ()}']) {
      const { problems } = await refused(withCondition(cond), JAVA_IMPLEMENTATION.code);
      assert.equal(problems[0]?.elementId, 'f9', cond);
    }
    const m = await compileOne(withCondition("${not(empty(list)) and (amount gt 10) or x == 'call(me)'}"));
    assert.equal(m.flows.get('f9')?.condition?.kind, 'juel');
  });

  it('refuses Java listeners', async () => {
    const xml = around('<bpmn:userTask id="t"><bpmn:extensionElements><camunda:taskListener event="create" class="com.acme.L" /></bpmn:extensionElements></bpmn:userTask>');
    const { problems } = await refused(xml, JAVA_IMPLEMENTATION.code);
    assert.equal(problems[0]?.attribute, 'camunda:class');
  });
});

describe('structure', () => {
  it('refuses a flow whose target names no element, naming the flow', async () => {
    const xml = around('<bpmn:task id="t" />').replace('targetRef="e"', 'targetRef="nope"');
    const { error, problems } = await refused(xml, FLOW_REF_MISSING.code, { file: 'f.bpmn' });
    assert.equal(problems[0]?.elementId, 'f9');
    assert.equal(problems[0]?.line, positionOfId(xml, 'f9').line);
    assert.match(error.message, /element "f9" \(sequenceFlow\): targetRef="nope" names no element/);
    assert.equal(error.details['elementId'], 'f9');
  });

  it('refuses a flow without targetRef, and one pointing at a non-node', async () => {
    let r = await refused(around('<bpmn:task id="t" />').replace(' targetRef="e"', ''), FLOW_REF_MISSING.code);
    assert.match(r.problems[0]?.message ?? '', /has no targetRef/);
    r = await refused(around('<bpmn:task id="t" />', '').replace('targetRef="e"', 'targetRef="Err"').replace('<bpmn:process', '<bpmn:error id="Err" errorCode="E" />\n  <bpmn:process'), FLOW_REF_MISSING.code);
    assert.match(r.problems[0]?.message ?? '', /names no flow node/);
  });

  it('refuses a service task without implementation, saying what to add', async () => {
    const { problems } = await refused(around('<bpmn:serviceTask id="t" />'), INVALID.code);
    assert.equal(problems[0]?.elementId, 't');
    assert.match(problems[0]?.message ?? '', /camunda:type="external" camunda:topic=.*zeebe:taskDefinition/);
  });

  it('refuses documents without an executable process', async () => {
    const { error } = await refused(bpmn('<bpmn:startEvent id="s" />', { executable: false }), NO_EXECUTABLE_PROCESS.code, { file: 'n.bpmn' });
    assert.match(error.message, /^n\.bpmn: no process has isExecutable="true"/);
    const absent = bpmn('<bpmn:startEvent id="s" />').replace(' isExecutable="true"', '');
    await refused(absent, NO_EXECUTABLE_PROCESS.code);
  });

  it('refuses two none start events, and none at all, per scope', async () => {
    const two = bpmn('    <bpmn:startEvent id="s1" />\n    <bpmn:startEvent id="s2" />\n    <bpmn:endEvent id="e" />');
    const { problems } = await refused(two, INVALID.code);
    assert.equal(problems[0]?.elementId, 'p');
    assert.match(problems[0]?.message ?? '', /2 none start events \(s1, s2\)/);
    const noStart = around('<bpmn:subProcess id="t"><bpmn:task id="inner" /></bpmn:subProcess>');
    const r = await refused(noStart, INVALID.code);
    assert.equal(r.problems[0]?.elementId, 't');
    assert.match(r.problems[0]?.message ?? '', /subprocess has no start event/);
  });

  it('refuses a default flow that is not outgoing, a gateway without outgoing flow, and a flow across a subprocess boundary', async () => {
    let r = await refused(around('<bpmn:exclusiveGateway id="t" default="f0" />'), INVALID.code);
    assert.equal(r.problems[0]?.attribute, 'default');
    r = await refused(bpmn('    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" />\n    <bpmn:parallelGateway id="g" />'), INVALID.code);
    assert.equal(r.problems[0]?.elementId, 'g');
    r = await refused(
      around('<bpmn:subProcess id="t"><bpmn:startEvent id="ss" /><bpmn:sequenceFlow id="out" sourceRef="ss" targetRef="e" /></bpmn:subProcess>'),
      INVALID.code,
    );
    assert.equal(r.problems[0]?.elementId, 'out');
  });

  it('refuses a non-interrupting error boundary and a boundary without attachedToRef', async () => {
    let r = await refused(around('<bpmn:userTask id="t" />', '    <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>'), INVALID.code);
    assert.equal(r.problems[0]?.attribute, 'cancelActivity');
    r = await refused(around('<bpmn:userTask id="t" />', '    <bpmn:boundaryEvent id="b"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>'), INVALID.code);
    assert.equal(r.problems[0]?.attribute, 'attachedToRef');
  });

  it('refuses a throwing error whose bpmn:error has no errorCode', async () => {
    const xml = around('<bpmn:task id="t" />', '    <bpmn:endEvent id="e2"><bpmn:errorEventDefinition errorRef="NoCode" /></bpmn:endEvent>').replace(
      '<bpmn:process',
      '<bpmn:error id="NoCode" name="x" />\n  <bpmn:process',
    );
    const { problems } = await refused(xml, INVALID.code);
    assert.equal(problems[0]?.elementId, 'e2');
  });

  it('refuses duplicate ids once', async () => {
    const { problems } = await refused(around('<bpmn:task id="t" />', '    <bpmn:task id="t" />'), INVALID.code);
    assert.deepEqual(
      problems.map((p) => [p.elementId, p.message]),
      [['t', 'the id "t" is used by more than one element']],
    );
  });

  it('lists every problem found, sorted by position, the first one deciding the code', async () => {
    const xml = around('<bpmn:serviceTask id="t" camunda:class="A" />', '    <bpmn:fooTask id="weird" />\n    <bpmn:sequenceFlow id="dangling" sourceRef="t" targetRef="ghost" />');
    const { error, problems } = await refused(xml, JAVA_IMPLEMENTATION.code);
    assert.deepEqual(
      problems.map((p) => [p.code, p.elementId]),
      [
        [JAVA_IMPLEMENTATION.code, 't'],
        [UNSUPPORTED_ELEMENT.code, 'weird'],
        [FLOW_REF_MISSING.code, 'dangling'],
      ],
    );
    assert.match(error.message, /\(and 2 more problems\)$/);
  });
});
