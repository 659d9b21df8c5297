/**
 * Positive compilation of the first fixtures (camunda-kinds.bpmn, zeebe-kinds.bpmn): tasks,
 * exclusive and parallel gateways, error events, an embedded subprocess; the compiled
 * model's indexes (flows, boundaries, scopes, defaults, positions) are right. Events,
 * scopes and activities of the full executable subset are in events.test.ts,
 * scopes.test.ts and activities.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BoundaryEventNode, EndEventNode, ExternalTaskNode, SubProcessNode, UserTaskNode } from '../../src/model/index.js';
import { compileBpmn } from '../../src/model/index.js';
import { assertIndexes, bpmn, compileOne, fixture, node, positionOfId } from './helpers.js';

describe('Camunda 7 fixture (camunda-kinds.bpmn)', async () => {
  const xml = fixture('camunda-kinds.bpmn');
  const m = await compileOne(xml, { file: 'camunda-kinds.bpmn' });

  it('has the process data and all nodes, including those inside the subprocess', () => {
    assert.equal(m.id, 'order');
    assert.equal(m.name, 'Order');
    assert.equal(m.versionTag, '1.2.0');
    assert.equal(m.startEventId, 'start');
    assert.equal(m.nodes.size, 19);
    assert.equal(m.flows.size, 17);
    assert.deepEqual(m.children, ['start', 'check', 'decide', 'approve', 'merge', 'fork', 'charge', 'chargeFailed', 'cancelled', 'pack', 'packFailed', 'failed', 'join', 'end']);
    assert.ok(!m.nodes.has('DataRef_invoice') && !m.nodes.has('Note_approval'));
    assertIndexes(m, xml);
  });

  it('compiles the exclusive gateway with its default flow and condition', () => {
    const gw = node(m, 'decide', 'exclusiveGateway');
    assert.equal(gw.defaultFlow, 'f_decide_small');
    assert.deepEqual(gw.outgoing, ['f_decide_big', 'f_decide_small']);
    assert.deepEqual(m.flows.get('f_decide_big')?.condition, { kind: 'juel', source: '${amount > 1000}' });
    assert.equal(m.flows.get('f_decide_big')?.name, 'big');
    assert.deepEqual(node(m, 'merge', 'exclusiveGateway').incoming, ['f_decide_small', 'f_approve_merge']);
  });

  it('compiles the parallel fork and join', () => {
    assert.deepEqual(node(m, 'fork', 'parallelGateway').outgoing, ['f_fork_charge', 'f_fork_pack']);
    assert.deepEqual(node(m, 'join', 'parallelGateway').incoming, ['f_charge_join', 'f_pack_join']);
  });

  it('compiles the user task fields as expressions', () => {
    const u: UserTaskNode = node(m, 'approve', 'userTask');
    assert.deepEqual(u.assignee, { kind: 'juel', source: '${initiator}' });
    assert.deepEqual(u.candidateGroups, { kind: 'literal', value: 'managers,finance' });
    assert.deepEqual(u.candidateUsers, { kind: 'literal', value: 'alice' });
    assert.deepEqual(u.dueDate, { kind: 'juel', source: '${dueDate}' });
    assert.deepEqual(u.followUpDate, { kind: 'literal', value: '2030-01-01T00:00:00Z' });
    assert.deepEqual(u.priority, { kind: 'literal', value: 70 });
    assert.equal(u.formKey, 'embedded:app:forms/approve.html');
  });

  it('compiles external tasks of all three kinds with topics and priorities', () => {
    const charge: ExternalTaskNode = node(m, 'charge', 'serviceTask');
    assert.deepEqual(charge.topic, { kind: 'literal', value: 'payments' });
    assert.deepEqual(charge.priority, { kind: 'literal', value: 10 });
    assert.equal(charge.retries, undefined);
    const label: ExternalTaskNode = node(m, 'label', 'sendTask');
    assert.deepEqual(label.topic, { kind: 'juel', source: 'labels-${region}' });
    assert.deepEqual(label.priority, { kind: 'juel', source: '${prio}' });
    assert.deepEqual(node(m, 'score', 'businessRuleTask').topic, { kind: 'literal', value: 'scoring' });
  });

  it('compiles the Camunda io mapping: expressions, constants, null, nested lists and maps', () => {
    const io = node(m, 'charge', 'serviceTask').io;
    const expr = (e: unknown) => ({ kind: 'expr', expr: e });
    assert.deepEqual(io, {
      dialect: 'camunda',
      inputs: [
        { target: 'amount', value: expr({ kind: 'juel', source: '${order.amount}' }) },
        { target: 'currency', value: expr({ kind: 'literal', value: 'EUR' }) },
        { target: 'note', value: expr({ kind: 'literal', value: null }) },
        {
          target: 'items',
          value: {
            kind: 'list',
            items: [expr({ kind: 'literal', value: 'first' }), expr({ kind: 'juel', source: '${second}' }), { kind: 'map', entries: [{ key: 'k', value: expr({ kind: 'literal', value: 'v' }) }] }],
          },
        },
        {
          target: 'headers',
          value: {
            kind: 'map',
            entries: [
              { key: 'X-Order', value: expr({ kind: 'juel', source: '${orderId}' }) },
              { key: 'tags', value: { kind: 'list', items: [expr({ kind: 'literal', value: 'a' })] } },
            ],
          },
        },
      ],
      outputs: [{ target: 'receipt', value: expr({ kind: 'juel', source: '${receiptId}' }) }],
    });
    assert.ok(Object.isFrozen(io) && Object.isFrozen(io?.inputs));
  });

  it('attaches error boundary events with code, name and Camunda variables', () => {
    assert.deepEqual(node(m, 'charge', 'serviceTask').boundaryEvents, ['chargeFailed']);
    const b: BoundaryEventNode = node(m, 'chargeFailed', 'boundaryEvent');
    assert.equal(b.attachedTo, 'charge');
    assert.equal(b.cancelActivity, true);
    assert.equal(b.scopeId, 'order');
    assert.deepEqual(b.event, { type: 'error', errorCode: 'PAYMENT_FAILED', errorName: 'Payment failed', errorCodeVariable: 'errCode', errorMessageVariable: 'errMsg' });
    assert.deepEqual(b.outgoing, ['f_chargeFailed_cancelled']);
    assert.deepEqual(b.incoming, []);
    assert.deepEqual(node(m, 'packFailed', 'boundaryEvent').event, { type: 'error' });
    assert.deepEqual(node(m, 'pack', 'subProcess').boundaryEvents, ['packFailed']);
  });

  it('compiles end events: none, terminate, error', () => {
    assert.deepEqual(node(m, 'end', 'endEvent').event, { type: 'none' });
    assert.deepEqual(node(m, 'cancelled', 'endEvent').event, { type: 'terminate' });
    const failed: EndEventNode = node(m, 'failed', 'endEvent');
    assert.deepEqual(failed.event, { type: 'error', errorCode: 'PAYMENT_FAILED', errorName: 'Payment failed' });
  });

  it('compiles the embedded subprocess as a scope', () => {
    const sub: SubProcessNode = node(m, 'pack', 'subProcess');
    assert.equal(sub.startEventId, 'pack_start');
    assert.deepEqual(sub.children, ['pack_start', 'pick', 'label', 'score', 'pack_end']);
    for (const id of sub.children) assert.equal(m.nodes.get(id)?.scopeId, 'pack');
    assert.equal(node(m, 'pick', 'manualTask').name, 'Pick items');
    assert.deepEqual(node(m, 'check', 'task').outgoing, ['f_check_decide']);
  });

  it('reports element positions from the source', () => {
    const charge = m.nodes.get('charge');
    assert.deepEqual({ line: charge?.line, column: charge?.column }, positionOfId(xml, 'charge'));
    assert.equal(charge?.column, 5);
  });
});

describe('Zeebe fixture (zeebe-kinds.bpmn)', async () => {
  const xml = fixture('zeebe-kinds.bpmn');
  const m = await compileOne(new TextEncoder().encode(xml), { file: 'zeebe-kinds.bpmn' });

  it('has the process data and consistent indexes', () => {
    assert.equal(m.id, 'shipping');
    assert.equal(m.versionTag, 'v7');
    assert.equal(m.startEventId, 'z_start');
    assertIndexes(m, xml);
  });

  it('compiles job types: literal, FEEL, retries, sendTask', () => {
    const lookup: ExternalTaskNode = node(m, 'lookup', 'serviceTask');
    assert.deepEqual(lookup.topic, { kind: 'literal', value: 'address-lookup' });
    assert.deepEqual(lookup.retries, { kind: 'literal', value: 5 });
    const express: ExternalTaskNode = node(m, 'express', 'serviceTask');
    assert.deepEqual(express.topic, { kind: 'feel', source: '"ship-" + carrier' });
    assert.deepEqual(express.retries, { kind: 'feel', source: 'retriesVar' });
    const standard: ExternalTaskNode = node(m, 'standard', 'sendTask');
    assert.deepEqual(standard.topic, { kind: 'literal', value: 'ship-standard' });
    assert.deepEqual(standard.retries, { kind: 'literal', value: 3 }, 'Zeebe default retries');
  });

  it('compiles Zeebe io mappings', () => {
    assert.deepEqual(node(m, 'lookup', 'serviceTask').io, {
      dialect: 'zeebe',
      inputs: [
        { target: 'customerId', value: { kind: 'expr', expr: { kind: 'feel', source: 'customer.id' } } },
        { target: 'mode', value: { kind: 'expr', expr: { kind: 'literal', value: 'static text' } } },
      ],
      outputs: [{ target: 'address', value: { kind: 'expr', expr: { kind: 'feel', source: 'result.address' } } }],
    });
    assert.deepEqual(node(m, 'z_start', 'startEvent').io?.outputs, [{ target: 'attempts', value: { kind: 'expr', expr: { kind: 'feel', source: '0' } } }]);
  });

  it('compiles the Zeebe user task', () => {
    const u: UserTaskNode = node(m, 'fix', 'userTask');
    assert.deepEqual(u.assignee, { kind: 'feel', source: 'owner' });
    assert.deepEqual(u.candidateGroups, { kind: 'literal', value: 'support, ops' });
    assert.deepEqual(u.candidateUsers, { kind: 'feel', source: '["bob"]' });
    assert.deepEqual(u.dueDate, { kind: 'feel', source: 'now() + duration("P1D")' });
    assert.deepEqual(u.followUpDate, { kind: 'literal', value: '2030-01-01T10:00:00Z' });
    assert.deepEqual(u.priority, { kind: 'literal', value: 80 });
    assert.equal(u.formKey, 'camunda-forms:bpmn:AddressForm');
  });

  it('compiles FEEL conditions, defaults and errors', () => {
    assert.deepEqual(m.flows.get('z_f_route_express')?.condition, { kind: 'feel', source: 'express = true' });
    assert.equal(node(m, 'route', 'exclusiveGateway').defaultFlow, 'z_f_route_standard');
    assert.deepEqual(node(m, 'lookupFailed', 'boundaryEvent').event, { type: 'error', errorCode: 'NOT_FOUND', errorName: 'Not found' });
    assert.deepEqual(node(m, 'giveUp', 'endEvent').event, { type: 'error', errorCode: 'NOT_FOUND', errorName: 'Not found' });
  });
});

describe('small documents', () => {
  it('compiles several executable processes and skips non-executable ones', async () => {
    const xml = `<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
  <process id="a" isExecutable="true"><startEvent id="a_s" /></process>
  <process id="b" isExecutable="false"><fooTask id="ignored" /></process>
  <process id="c" isExecutable="true"><startEvent id="c_s" /></process>
</definitions>`;
    const models = await compileBpmn(xml);
    assert.deepEqual(
      models.map((x) => x.id),
      ['a', 'c'],
    );
  });

  it('gives sequence flows without id a stable synthetic id (Camunda accepts them)', async () => {
    const m = await compileOne(bpmn('    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow sourceRef="s" targetRef="e" />\n    <bpmn:endEvent id="e" />'));
    assert.deepEqual([...m.flows.keys()], ['p#sequenceFlow1']);
    assert.deepEqual(m.nodes.get('e')?.incoming, ['p#sequenceFlow1']);
  });

  it('uses process-level camunda:taskPriority as the default priority', async () => {
    const xml = bpmn(
      '    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />\n    <bpmn:serviceTask id="t" camunda:type="external" camunda:topic="x" />',
    ).replace('isExecutable="true"', 'isExecutable="true" camunda:taskPriority="42"');
    const m = await compileOne(xml);
    assert.deepEqual((m.nodes.get('t') as ExternalTaskNode).priority, { kind: 'literal', value: 42 });
  });

  it('accepts lanes, documentation, annotations, properties and foreign extensions', async () => {
    const xml = bpmn(`    <bpmn:documentation>doc</bpmn:documentation>
    <bpmn:laneSet id="ls"><bpmn:lane id="l1"><bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:extensionElements><camunda:properties><camunda:property name="a" value="b" /></camunda:properties><x:y xmlns:x="urn:x" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:textAnnotation id="n"><bpmn:text>hi</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="as" sourceRef="s" targetRef="n" />
    <bpmn:dataStoreReference id="ds" />`);
    const m = await compileOne(xml);
    assert.deepEqual([...m.nodes.keys()], ['s']);
  });

  it('reads attributes written with whitespace around "=" (XML allows it; moddle does not), keeping positions', async () => {
    const xml = bpmn('    <bpmn:startEvent id = "s" />\n    <bpmn:sequenceFlow id="f" sourceRef ="s"\n      targetRef=  \'t\' />\n    <bpmn:userTask id="t" name="a = b" camunda:assignee\n = "${who}" />');
    const m = await compileOne(xml);
    assert.deepEqual(m.nodes.get('t')?.incoming, ['f']);
    assert.equal(m.nodes.get('t')?.name, 'a = b');
    assert.deepEqual((m.nodes.get('t') as UserTaskNode).assignee, { kind: 'juel', source: '${who}' });
    assert.deepEqual({ line: m.nodes.get('t')?.line, column: m.nodes.get('t')?.column }, positionOfId(xml, 't'));
    assert.equal(m.flows.get('f')?.line, positionOfId(xml, 'f').line);
  });

  it('resolves qualified references (tns:id) to messages and errors, as Camunda 7 does', async () => {
    const xml = bpmn(
      '    <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="tns:M" /></bpmn:startEvent>\n    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />\n    <bpmn:endEvent id="e"><bpmn:errorEventDefinition errorRef="tns:E" /></bpmn:endEvent>',
      { head: '\n  <bpmn:message id="M" name="go" />\n  <bpmn:error id="E" errorCode="BOOM" />' },
    ).replace('targetNamespace="urn:test"', 'targetNamespace="urn:test" xmlns:tns="urn:test"');
    const m = await compileOne(xml);
    assert.equal(m.startEventId, '');
    assert.deepEqual((m.nodes.get('s') as { event?: unknown }).event, { type: 'message', messageName: { kind: 'literal', value: 'go' } });
    assert.deepEqual((m.nodes.get('e') as EndEventNode).event, { type: 'error', errorCode: 'BOOM' });
  });

  it('reads the Activiti namespace as Camunda', async () => {
    const xml = bpmn('    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />\n    <bpmn:serviceTask id="t" camunda:type="external" camunda:topic="legacy" />').replace(
      'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
      'xmlns:camunda="http://activiti.org/bpmn"',
    );
    const m = await compileOne(xml);
    assert.deepEqual((m.nodes.get('t') as ExternalTaskNode).topic, { kind: 'literal', value: 'legacy' });
  });
});
