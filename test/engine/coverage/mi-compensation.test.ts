/**
 * Multi-instance compensation: each completed instance of a multi-instance activity is
 * compensated on its own, newest first, with that instance's local variables
 * (BPMN 2.0.2 §13.4.5 "Compensation": a multi-instance activity's instances are
 * compensated individually; Camunda 7 docs "Compensation Events" — the handler of a
 * multi-instance activity is invoked once per completed instance).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="mi_comp" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="book" camunda:type="external" camunda:topic="book">
      <bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="\${items}" camunda:elementVariable="item" />
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="book_comp" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
    <bpmn:serviceTask id="unbook" isForCompensation="true" camunda:type="external" camunda:topic="unbook" />
    <bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="book" />
    <bpmn:sequenceFlow id="f2" sourceRef="book" targetRef="undo" />
    <bpmn:sequenceFlow id="f3" sourceRef="undo" targetRef="end" />
    <bpmn:association id="a1" associationDirection="One" sourceRef="book_comp" targetRef="unbook" />
  </bpmn:process>
</bpmn:definitions>`;

describe('multi-instance compensation', () => {
  it("runs the handler once per completed instance, newest first, with each instance's element variable", async () => {
    const d = await Driver.load(XML, 'mi_comp');
    d.start({ items: ['a', 'b', 'c'] });
    for (let i = 0; i < 3; i++) d.completeTask('book');
    const handlers = d.effects.filter((e) => e.type === 'externalTaskCreated' && e.topic === 'unbook');
    assert.equal(handlers.length, 3, 'one handler per completed instance');
    assert.deepEqual(d.waitingAt(), ['unbook', 'unbook', 'unbook']);
    const items = d.effects
      .filter((e) => e.type === 'activityStarted' && e.elementId === 'unbook')
      .map((e) => (e.type === 'activityStarted' ? d.state.acts[e.activityInstanceId]?.vars?.item : undefined));
    assert.deepEqual(items, ['c', 'b', 'a'], 'newest first, each with its own element variable');
    for (let i = 0; i < 3; i++) d.completeTask('unbook');
    assert.equal(d.status, 'completed', 'the throw event waited for the three handlers, then the instance ended');
  });
});
