/**
 * Activities and gateways of the full executable subset, in both dialects
 * (camunda-activities.bpmn, zeebe-activities.bpmn): inclusive gateways, script tasks,
 * call activities with their variable passing and binding, receive tasks, multi-instance
 * and standard loops, asynchronous continuations; and that the fixtures together cover
 * every element kind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBpmn, ELEMENT_KINDS, type Expr, type FlowNode } from '../../src/model/index.js';
import { assertIndexes, compileOne, fixture, node } from './helpers.js';

const literal = (value: string | number): Expr => ({ kind: 'literal', value });
const juel = (source: string): Expr => ({ kind: 'juel', source });
const feel = (source: string): Expr => ({ kind: 'feel', source });

describe('Camunda 7 activities (camunda-activities.bpmn)', async () => {
  const xml = fixture('camunda-activities.bpmn');
  const m = await compileOne(xml, { file: 'camunda-activities.bpmn' });

  it('holds the model invariants', () => {
    assert.equal(m.id, 'activities');
    assertIndexes(m, xml);
  });

  it('compiles the inclusive gateways with the default flow and JUEL conditions', () => {
    const inc = node(m, 'inc', 'inclusiveGateway');
    assert.equal(inc.defaultFlow, 'f_inc_call');
    assert.deepEqual(inc.outgoing, ['f_inc_scriptJs', 'f_inc_scriptFeel', 'f_inc_call']);
    assert.deepEqual(m.flows.get('f_inc_scriptJs')?.condition, juel('${needsTotal}'));
    assert.deepEqual(node(m, 'incJoin', 'inclusiveGateway').incoming, ['f_scriptJs_join', 'f_scriptFeel_join', 'f_call_join']);
  });

  it('compiles JavaScript and FEEL script tasks with their result variables', () => {
    const js = node(m, 'scriptJs', 'scriptTask');
    assert.deepEqual([js.language, js.script, js.resultVariable], ['javascript', 'items.reduce((a, i) => a + i.price, 0)', 'total']);
    const f = node(m, 'scriptFeel', 'scriptTask');
    assert.deepEqual([f.language, f.script, f.resultVariable], ['feel', 'a + b', 'sum']);
  });

  it('compiles a call activity: binding by version, camunda:in / camunda:out in order', () => {
    const call = node(m, 'call', 'callActivity');
    assert.deepEqual(call.calledElement, literal('child'));
    assert.equal(call.binding, 'version');
    assert.deepEqual(call.version, literal(3));
    assert.equal(call.versionTag, undefined);
    assert.deepEqual(call.inMappings, [
      { kind: 'businessKey', expr: juel('#{orderId}') },
      { kind: 'all', local: true },
      { kind: 'variable', source: 'customer', target: 'client', local: false },
      { kind: 'expression', source: juel('${amount * 2}'), target: 'double', local: false },
    ]);
    assert.deepEqual(call.outMappings, [
      { kind: 'all', local: false },
      { kind: 'variable', source: 'result', target: 'childResult', local: true },
    ]);
    assert.equal(call.propagateAllChildVariables, undefined, 'Zeebe-only');
    const tag = node(m, 'callTag', 'callActivity');
    assert.deepEqual([tag.calledElement, tag.binding, tag.versionTag], [juel('${childKey}'), 'versionTag', literal('v1')]);
    assert.deepEqual([tag.inMappings, tag.outMappings], [[], []]);
  });

  it('compiles the receive task with its message', () => {
    const r = node(m, 'recv', 'receiveTask');
    assert.deepEqual(r.messageName, literal('receipt'));
    assert.equal(r.correlationKey, undefined);
  });

  it('compiles multi-instance loops: collection, element variable, cardinality, completion', () => {
    assert.deepEqual(node(m, 'mi', 'userTask').loop, {
      kind: 'multiInstance',
      sequential: false,
      collection: juel('${approvers}'),
      elementVariable: 'approver',
      completionCondition: juel('${nrOfCompletedInstances >= 2}'),
    });
    assert.deepEqual(node(m, 'miSeq', 'serviceTask').loop, { kind: 'multiInstance', sequential: true, loopCardinality: literal(3) });
    assert.deepEqual(node(m, 'miItems', 'task').loop, { kind: 'multiInstance', sequential: false, collection: juel('${items}'), elementVariable: 'item' }, 'a plain variable name');
    assert.deepEqual(node(m, 'miRef', 'manualTask').loop, { kind: 'multiInstance', sequential: false, collection: juel('${lines}'), elementVariable: 'line' }, 'loopDataInputRef');
    assert.deepEqual(node(m, 'callTag', 'callActivity').loop, { kind: 'multiInstance', sequential: false, loopCardinality: juel('${copies}') });
  });

  it('compiles the standard loop on a subprocess', () => {
    assert.deepEqual(node(m, 'loopSub', 'subProcess').loop, { kind: 'standard', testBefore: true, loopCondition: juel('${again}'), loopMaximum: 5 });
  });

  it('compiles asynchronous continuations and the retry time cycle', () => {
    assert.deepEqual(node(m, 'miSeq', 'serviceTask').async, { before: true, after: false, retryTimeCycle: 'R5/PT1M' });
    assert.deepEqual(node(m, 'miItems', 'task').async, { before: false, after: true }, 'camunda:exclusive="false" has no effect');
    assert.deepEqual(node(m, 'callTag', 'callActivity').async, { before: true, after: false }, 'camunda:async is asyncBefore');
    assert.deepEqual(node(m, 'end', 'endEvent').async, { before: true, after: false });
    assert.equal(node(m, 'recv', 'receiveTask').async, undefined);
  });
});

describe('Zeebe activities (zeebe-activities.bpmn)', async () => {
  const xml = fixture('zeebe-activities.bpmn');
  const m = await compileOne(xml, { file: 'zeebe-activities.bpmn' });

  it('holds the model invariants', () => {
    assert.equal(m.id, 'zactivities');
    assertIndexes(m, xml);
  });

  it('compiles the inclusive gateway with FEEL conditions', () => {
    assert.equal(node(m, 'z_inc', 'inclusiveGateway').defaultFlow, 'z_f_inc_recv');
    assert.deepEqual(m.flows.get('z_f_inc_call')?.condition, feel('needsChild'));
  });

  it('compiles zeebe:script as a FEEL script task', () => {
    const s = node(m, 'z_script', 'scriptTask');
    assert.deepEqual([s.language, s.script, s.resultVariable], ['feel', 'a + b', 'sum']);
  });

  it('compiles zeebe:calledElement: FEEL process id, propagation flags, io mapping, version tag binding', () => {
    const call = node(m, 'z_call', 'callActivity');
    assert.deepEqual(call.calledElement, feel('childProcessId'));
    assert.equal(call.binding, 'latest');
    assert.equal(call.propagateAllChildVariables, false);
    assert.equal(call.propagateAllParentVariables, true, 'Zeebe default');
    assert.deepEqual([call.inMappings, call.outMappings], [[], []]);
    assert.equal(call.io?.dialect, 'zeebe');
    assert.deepEqual(call.io?.inputs, [{ target: 'orderId', value: { kind: 'expr', expr: feel('order.id') } }]);
    const tag = node(m, 'z_callTag', 'callActivity');
    assert.deepEqual([tag.calledElement, tag.binding, tag.versionTag], [literal('child'), 'versionTag', literal('v2')]);
    assert.equal(tag.propagateAllChildVariables, true);
    assert.equal(tag.propagateAllParentVariables, false);
  });

  it('compiles the receive task with its correlation key', () => {
    const r = node(m, 'z_recv', 'receiveTask');
    assert.deepEqual([r.messageName, r.correlationKey], [literal('receipt'), feel('orderId')]);
  });

  it('compiles zeebe:loopCharacteristics', () => {
    assert.deepEqual(node(m, 'z_mi', 'serviceTask').loop, {
      kind: 'multiInstance',
      sequential: true,
      collection: feel('items'),
      elementVariable: 'item',
      outputCollection: 'results',
      outputElement: feel('result'),
      completionCondition: feel('numberOfCompletedInstances >= 2'),
    });
    assert.deepEqual(node(m, 'z_callTag', 'callActivity').loop, { kind: 'multiInstance', sequential: false, collection: feel('children'), elementVariable: 'childId' });
  });
});

describe('fixture coverage', () => {
  async function kindsOf(files: readonly string[]): Promise<Set<FlowNode['kind']>> {
    const kinds = new Set<FlowNode['kind']>();
    for (const f of files) for (const m of await compileBpmn(fixture(f))) for (const n of m.nodes.values()) kinds.add(n.kind);
    return kinds;
  }

  it('the Camunda 7 fixtures cover every element kind', async () => {
    const kinds = await kindsOf(['camunda-kinds.bpmn', 'camunda-events.bpmn', 'camunda-boundaries.bpmn', 'camunda-scopes.bpmn', 'camunda-activities.bpmn']);
    assert.deepEqual(
      ELEMENT_KINDS.filter((k) => !kinds.has(k)),
      [],
    );
  });

  it('the Zeebe fixtures cover every element kind Zeebe models use', async () => {
    const kinds = await kindsOf(['zeebe-kinds.bpmn', 'zeebe-events.bpmn', 'zeebe-activities.bpmn']);
    // Zeebe has no transactions; task, manualTask and businessRuleTask are as in Camunda 7
    assert.deepEqual(
      ELEMENT_KINDS.filter((k) => !kinds.has(k)),
      ['task', 'manualTask', 'businessRuleTask', 'transaction'],
    );
  });
});
