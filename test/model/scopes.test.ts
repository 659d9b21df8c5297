/**
 * Boundary events of every kind, compensation handlers, transactions with cancel events,
 * and event subprocesses (camunda-boundaries.bpmn, camunda-scopes.bpmn; the Zeebe event
 * subprocesses are in zeebe-activities.bpmn).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../src/model/index.js';
import { assertIndexes, compileOne, fixture, node } from './helpers.js';

const literal = (value: string | number): Expr => ({ kind: 'literal', value });
const juel = (source: string): Expr => ({ kind: 'juel', source });
const feel = (source: string): Expr => ({ kind: 'feel', source });

describe('Camunda 7 boundary events, compensation, transaction (camunda-boundaries.bpmn)', async () => {
  const xml = fixture('camunda-boundaries.bpmn');
  const m = await compileOne(xml, { file: 'camunda-boundaries.bpmn' });

  it('holds the model invariants', () => {
    assert.equal(m.id, 'boundaries');
    assertIndexes(m, xml);
  });

  it('attaches boundary events of every kind, in document order, with cancelActivity', () => {
    assert.deepEqual(node(m, 'work', 'userTask').boundaryEvents, ['workError', 'workEsc', 'workTimer', 'workCycle', 'workMsg', 'workSignal', 'workCond']);
    const cases: [string, boolean, unknown][] = [
      ['workError', true, { type: 'error', errorCode: 'PAY', errorName: 'Payment failed', errorCodeVariable: 'code' }],
      ['workEsc', false, { type: 'escalation', escalationCode: 'LATE', escalationCodeVariable: 'escCode' }],
      ['workTimer', true, { type: 'timer', timer: { kind: 'duration', expr: literal('PT1H') } }],
      ['workCycle', false, { type: 'timer', timer: { kind: 'cycle', expr: literal('0 0/5 * * * ?') } }],
      ['workMsg', true, { type: 'message', messageName: juel('cancel-${orderId}') }],
      ['workSignal', false, { type: 'signal', signalName: literal('stop') }],
      ['workCond', false, { type: 'conditional', condition: juel('${overdue}'), variableName: 'overdue' }],
    ];
    for (const [id, cancelActivity, event] of cases) {
      const b = node(m, id, 'boundaryEvent');
      assert.equal(b.attachedTo, 'work', id);
      assert.equal(b.cancelActivity, cancelActivity, id);
      assert.deepEqual(b.event, event, id);
      assert.deepEqual(b.outgoing, [`f_${id}_handled`]);
    }
  });

  it('sets the compensation handler on the activity the compensation boundary event is attached to', () => {
    assert.equal(node(m, 'book', 'serviceTask').compensationHandler, 'undoBook');
    const handler = node(m, 'undoBook', 'serviceTask');
    assert.equal(handler.isForCompensation, true);
    assert.deepEqual([handler.incoming, handler.outgoing], [[], []]);
    const b = node(m, 'bookUndo', 'boundaryEvent');
    assert.deepEqual(b.event, { type: 'compensate', waitForCompletion: true });
    assert.deepEqual(b.outgoing, []);
    assert.equal(node(m, 'work', 'userTask').compensationHandler, undefined);
    assert.deepEqual(node(m, 'undo', 'intermediateThrowEvent').event, { type: 'compensate', activityRef: 'book', waitForCompletion: false });
  });

  it('compiles the transaction with its cancel end event and cancel boundary event', () => {
    const tx = node(m, 'tx', 'transaction');
    assert.equal(tx.startEventId, 'tx_start');
    assert.deepEqual(tx.children, ['tx_start', 'tx_pay', 'tx_check', 'tx_end', 'tx_cancel']);
    assert.deepEqual(tx.eventSubProcesses, []);
    assert.deepEqual(tx.boundaryEvents, ['txCancelled']);
    assert.deepEqual(node(m, 'tx_cancel', 'endEvent').event, { type: 'cancel' });
    assert.equal(node(m, 'tx_cancel', 'endEvent').scopeId, 'tx');
    const b = node(m, 'txCancelled', 'boundaryEvent');
    assert.deepEqual([b.event, b.cancelActivity, b.attachedTo], [{ type: 'cancel' }, true, 'tx']);
    assert.equal(node(m, 'tx_check', 'exclusiveGateway').defaultFlow, 'f_check_end');
  });
});

describe('Camunda 7 event subprocesses (camunda-scopes.bpmn)', async () => {
  const xml = fixture('camunda-scopes.bpmn');
  const m = await compileOne(xml, { file: 'camunda-scopes.bpmn' });

  it('lists the process-level event subprocesses in the model and among its children', () => {
    assert.deepEqual(m.eventSubProcesses, ['espError', 'espEsc', 'espMsg', 'espTimer', 'espSignal', 'espCond']);
    assert.deepEqual(m.children, ['start', 'sub', 'end', 'espError', 'espEsc', 'espMsg', 'espTimer', 'espSignal', 'espCond']);
    assert.deepEqual(m.eventStartIds, [], 'event subprocess start events are not process start events');
    assertIndexes(m, xml);
  });

  it('compiles each event subprocess with its single start event and interrupting flag', () => {
    const cases: [string, boolean, unknown][] = [
      ['espError', true, { type: 'error', errorCode: 'PAY', errorName: 'Payment failed', errorCodeVariable: 'code', errorMessageVariable: 'message' }],
      ['espEsc', false, { type: 'escalation', escalationCode: 'LATE' }],
      ['espMsg', true, { type: 'message', messageName: literal('cancel') }],
      ['espTimer', false, { type: 'timer', timer: { kind: 'duration', expr: juel('${reminderAfter}') } }],
      ['espSignal', false, { type: 'signal', signalName: literal('stop') }],
      ['espCond', true, { type: 'conditional', condition: juel('${amount > 1000}') }],
    ];
    for (const [id, interrupting, event] of cases) {
      const esp = node(m, id, 'subProcess');
      assert.equal(esp.triggeredByEvent, true, id);
      assert.equal(esp.startEventId, '', id);
      assert.equal(esp.eventStartId, `${id}_start`, id);
      assert.deepEqual([esp.incoming, esp.outgoing, esp.boundaryEvents], [[], [], []]);
      const start = node(m, `${id}_start`, 'startEvent');
      assert.equal(start.scopeId, id);
      assert.equal(start.interrupting, interrupting, id);
      assert.deepEqual(start.event, event, id);
    }
    assert.deepEqual(node(m, 'espMsg_end', 'endEvent').event, { type: 'terminate' });
    assert.deepEqual(node(m, 'espTimer', 'subProcess').children, ['espTimer_start', 'espTimer_remind', 'espTimer_end']);
  });

  it('records a compensation event subprocess inside its embedded subprocess', () => {
    const sub = node(m, 'sub', 'subProcess');
    assert.equal(sub.triggeredByEvent, false);
    assert.equal(sub.startEventId, 'sub_start');
    assert.deepEqual(sub.eventSubProcesses, ['espComp']);
    assert.deepEqual(sub.children, ['sub_start', 'sub_task', 'sub_end', 'espComp']);
    const start = node(m, 'espComp_start', 'startEvent');
    assert.deepEqual(start.event, { type: 'compensate', waitForCompletion: true });
    assert.equal(node(m, 'espComp', 'subProcess').scopeId, 'sub');
  });
});

describe('Zeebe event subprocesses (zeebe-activities.bpmn)', async () => {
  const xml = fixture('zeebe-activities.bpmn');
  const m = await compileOne(xml, { file: 'zeebe-activities.bpmn' });

  it('compiles timer, message, error, escalation and signal event subprocesses', () => {
    assert.deepEqual(m.eventSubProcesses, ['z_espTimer', 'z_espMsg', 'z_espError', 'z_espEsc', 'z_espSignal']);
    const timer = node(m, 'z_espTimer_start', 'startEvent');
    assert.equal(timer.interrupting, false);
    assert.deepEqual(timer.event, { type: 'timer', timer: { kind: 'cycle', expr: literal('R/PT1H') } });
    assert.deepEqual(node(m, 'z_espMsg_start', 'startEvent').event, { type: 'message', messageName: literal('cancel'), correlationKey: feel('orderId') });
    assert.equal(node(m, 'z_espMsg_start', 'startEvent').interrupting, true);
    assert.deepEqual(node(m, 'z_espError_start', 'startEvent').event, { type: 'error', errorCode: 'FATAL', errorName: 'Fatal' });
    assert.equal(node(m, 'z_espEsc_start', 'startEvent').interrupting, false);
    assert.deepEqual(node(m, 'z_espSignal_start', 'startEvent').event, { type: 'signal', signalName: literal('stop') });
    assert.equal(node(m, 'z_espSignal', 'subProcess').eventStartId, 'z_espSignal_start');
  });
});
