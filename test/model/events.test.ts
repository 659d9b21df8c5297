/**
 * Events of the full executable subset, in both dialects (camunda-events.bpmn,
 * zeebe-events.bpmn): event start events, intermediate catch and throw events, end
 * events, the event-based gateway, link pairs; and the compiled fields of each event
 * definition (messages, signals, escalations, timers, conditions, compensation).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../src/model/index.js';
import { assertIndexes, fixture, node } from './helpers.js';
import { compileBpmn } from '../../src/model/index.js';

const literal = (value: string | number): Expr => ({ kind: 'literal', value });
const juel = (source: string): Expr => ({ kind: 'juel', source });
const feel = (source: string): Expr => ({ kind: 'feel', source });

describe('Camunda 7 events (camunda-events.bpmn)', async () => {
  const xml = fixture('camunda-events.bpmn');
  const [m, only] = await compileBpmn(xml, { file: 'camunda-events.bpmn' });
  assert.ok(m !== undefined && only !== undefined);

  it('indexes the none start event and the event start events apart', () => {
    assert.equal(m.startEventId, 'start');
    assert.deepEqual(m.eventStartIds, ['startMsg', 'startTimer', 'startSignal', 'startCond']);
    assert.deepEqual(m.eventSubProcesses, []);
    assertIndexes(m, xml);
  });

  it('compiles a process with event start events only (startEventId "")', () => {
    assert.equal(only.id, 'eventStartOnly');
    assert.equal(only.startEventId, '');
    assert.deepEqual(only.eventStartIds, ['eso_msg', 'eso_timer']);
    assert.deepEqual(node(only, 'eso_timer', 'startEvent').event, { type: 'timer', timer: { kind: 'date', expr: literal('2030-01-01T12:00:00Z') } });
    assertIndexes(only, xml);
  });

  it('compiles message, timer, signal and conditional start events', () => {
    const msg = node(m, 'startMsg', 'startEvent');
    assert.deepEqual(msg.event, { type: 'message', messageName: literal('orderPlaced') });
    assert.equal(msg.interrupting, true);
    assert.deepEqual(node(m, 'startTimer', 'startEvent').event, { type: 'timer', timer: { kind: 'cycle', expr: literal('R3/PT10H') } });
    assert.deepEqual(node(m, 'startSignal', 'startEvent').event, { type: 'signal', signalName: literal('alert') });
    assert.deepEqual(node(m, 'startCond', 'startEvent').event, { type: 'conditional', condition: juel('${ready}'), variableName: 'ready', variableEvents: ['create', 'update'] });
    assert.deepEqual(node(m, 'start', 'startEvent').event, { type: 'none' });
  });

  it('compiles the event-based gateway and the catch events and receive task after it', () => {
    const gw = node(m, 'evGw', 'eventBasedGateway');
    assert.deepEqual(gw.outgoing, ['f_gw_catchMsg', 'f_gw_catchTimer', 'f_gw_catchSignal', 'f_gw_catchCond', 'f_gw_waitReceipt']);
    assert.deepEqual(node(m, 'catchMsg', 'intermediateCatchEvent').event, { type: 'message', messageName: juel('payment-${orderId}') });
    assert.deepEqual(node(m, 'catchTimer', 'intermediateCatchEvent').event, { type: 'timer', timer: { kind: 'duration', expr: literal('PT15M') } });
    assert.deepEqual(node(m, 'catchSignal', 'intermediateCatchEvent').event, { type: 'signal', signalName: juel('done-${orderId}') });
    assert.deepEqual(node(m, 'catchCond', 'intermediateCatchEvent').event, { type: 'conditional', condition: juel('${cancelled == true}') });
    assert.deepEqual(node(m, 'waitReceipt', 'receiveTask').messageName, literal('notify'));
    assert.deepEqual(node(m, 'catchDate', 'intermediateCatchEvent').event, { type: 'timer', timer: { kind: 'date', expr: juel('${deadline}') } });
  });

  it('compiles throw events: none, signal, escalation, message (external and plain), link, compensate', () => {
    assert.deepEqual(node(m, 'throwNone', 'intermediateThrowEvent').event, { type: 'none' });
    assert.deepEqual(node(m, 'throwSignal', 'intermediateThrowEvent').event, { type: 'signal', signalName: literal('alert') });
    assert.deepEqual(node(m, 'throwEsc', 'intermediateThrowEvent').event, { type: 'escalation', escalationCode: 'LATE' });
    assert.deepEqual(node(m, 'throwMsg', 'intermediateThrowEvent').event, {
      type: 'message',
      messageName: literal('notify'),
      external: { topic: literal('notify'), priority: literal(5) },
    });
    assert.deepEqual(node(m, 'throwMsgPlain', 'intermediateThrowEvent').event, { type: 'message', messageName: literal('') });
    assert.deepEqual(node(m, 'throwComp', 'intermediateThrowEvent').event, { type: 'compensate', waitForCompletion: true });
  });

  it('pairs link events by name: the throw has no outgoing flow, the catch no incoming', () => {
    const t = node(m, 'throwLink', 'intermediateThrowEvent');
    const c = node(m, 'catchLink', 'intermediateCatchEvent');
    assert.deepEqual(t.event, { type: 'link', linkName: 'toEnd' });
    assert.deepEqual(c.event, { type: 'link', linkName: 'toEnd' });
    assert.deepEqual(t.outgoing, []);
    assert.deepEqual(c.incoming, []);
  });

  it('compiles end events: signal, escalation, compensate, message', () => {
    assert.deepEqual(node(m, 'endSignal', 'endEvent').event, { type: 'signal', signalName: juel('done-${orderId}') });
    assert.deepEqual(node(m, 'endEsc', 'endEvent').event, { type: 'escalation', escalationCode: 'LATE' });
    assert.deepEqual(node(m, 'endComp', 'endEvent').event, { type: 'compensate', waitForCompletion: false });
    assert.deepEqual(node(m, 'endMsg', 'endEvent').event, { type: 'message', messageName: literal('notify'), external: { topic: juel('notify-${region}') } });
  });
});

describe('Zeebe events (zeebe-events.bpmn)', async () => {
  const xml = fixture('zeebe-events.bpmn');
  const [m, only] = await compileBpmn(new TextEncoder().encode(xml), { file: 'zeebe-events.bpmn' });
  assert.ok(m !== undefined && only !== undefined);

  it('indexes start events and holds its invariants', () => {
    assert.equal(m.startEventId, 'z_start');
    assert.deepEqual(m.eventStartIds, ['z_startMsg', 'z_startTimer', 'z_startSignal']);
    assertIndexes(m, xml);
    assert.equal(only.startEventId, '');
    assert.deepEqual(only.eventStartIds, ['z_eso_signal']);
    assertIndexes(only, xml);
  });

  it('compiles FEEL timers, FEEL message and signal names, and correlation keys', () => {
    assert.deepEqual(node(m, 'z_startTimer', 'startEvent').event, { type: 'timer', timer: { kind: 'cycle', expr: feel('cycle(duration("P1D"))') } });
    assert.deepEqual(node(m, 'z_startMsg', 'startEvent').event, { type: 'message', messageName: literal('order-placed') });
    assert.deepEqual(node(m, 'z_catchMsg', 'intermediateCatchEvent').event, { type: 'message', messageName: literal('payment'), correlationKey: feel('orderId') });
    assert.deepEqual(node(m, 'z_catchTimer', 'intermediateCatchEvent').event, { type: 'timer', timer: { kind: 'date', expr: feel('deadline') } });
    assert.deepEqual(node(m, 'z_throwSignal', 'intermediateThrowEvent').event, { type: 'signal', signalName: feel('"done-" + orderId') });
    assert.deepEqual(node(m, 'z_catchCond', 'intermediateCatchEvent').event, { type: 'conditional', condition: feel('approved') });
  });

  it('compiles message throw events implemented as Zeebe jobs', () => {
    assert.deepEqual(node(m, 'z_throwMsg', 'intermediateThrowEvent').event, {
      type: 'message',
      messageName: literal('notify'),
      external: { topic: literal('notify'), retries: literal(2) },
    });
    assert.deepEqual(node(m, 'z_endMsg', 'endEvent').event, {
      type: 'message',
      messageName: literal('notify'),
      external: { topic: feel('"notify-" + region'), retries: literal(3) },
    });
  });

  it('compiles escalation, signal, compensate and link events', () => {
    assert.deepEqual(node(m, 'z_throwEsc', 'intermediateThrowEvent').event, { type: 'escalation', escalationCode: 'LATE' });
    assert.deepEqual(node(m, 'z_endSignal', 'endEvent').event, { type: 'signal', signalName: literal('alert') });
    assert.deepEqual(node(m, 'z_endComp', 'endEvent').event, { type: 'compensate', waitForCompletion: true });
    assert.deepEqual(node(m, 'z_undo', 'intermediateThrowEvent').event, { type: 'compensate', waitForCompletion: true, activityRef: 'z_charge' });
    assert.deepEqual(node(m, 'z_throwLink', 'intermediateThrowEvent').event, { type: 'link', linkName: 'finish' });
    assert.deepEqual(node(m, 'z_catchLink', 'intermediateCatchEvent').event, { type: 'link', linkName: 'finish' });
  });

  it('compiles boundary events of every Zeebe kind, with their cancelActivity', () => {
    assert.deepEqual(node(m, 'z_work', 'userTask').boundaryEvents, ['z_workTimer', 'z_workMsg', 'z_workError', 'z_workEsc', 'z_workSignal', 'z_workCond']);
    const timer = node(m, 'z_workTimer', 'boundaryEvent');
    assert.equal(timer.cancelActivity, true);
    assert.deepEqual(timer.event, { type: 'timer', timer: { kind: 'duration', expr: feel('duration("PT" + string(minutes) + "M")') } });
    const msg = node(m, 'z_workMsg', 'boundaryEvent');
    assert.equal(msg.cancelActivity, false);
    assert.deepEqual(msg.event, { type: 'message', messageName: feel('"cancel-" + region'), correlationKey: feel('orderId') });
    assert.deepEqual(msg.io?.outputs, [{ target: 'cancelReason', value: { kind: 'expr', expr: feel('reason') } }]);
    assert.deepEqual(node(m, 'z_workError', 'boundaryEvent').event, { type: 'error', errorCode: 'PAY', errorName: 'Payment failed' });
    const esc = node(m, 'z_workEsc', 'boundaryEvent');
    assert.deepEqual(esc.event, { type: 'escalation' }, 'no escalationRef: catches every escalation');
    assert.equal(esc.cancelActivity, false);
    assert.deepEqual(node(m, 'z_workSignal', 'boundaryEvent').event, { type: 'signal', signalName: feel('"done-" + orderId') });
    assert.deepEqual(node(m, 'z_workCond', 'boundaryEvent').event, {
      type: 'conditional',
      condition: feel('overdue = true'),
      variableName: 'overdue',
      variableEvents: ['create', 'update'],
    });
  });

  it('links the compensation boundary event to its handler', () => {
    assert.equal(node(m, 'z_charge', 'serviceTask').compensationHandler, 'z_refund');
    assert.equal(node(m, 'z_refund', 'serviceTask').isForCompensation, true);
    assert.deepEqual(node(m, 'z_chargeUndo', 'boundaryEvent').event, { type: 'compensate', waitForCompletion: true });
    assert.deepEqual(node(m, 'z_chargeUndo', 'boundaryEvent').outgoing, []);
  });
});
