/**
 * BPMN for the message and signal tests of the engine-rest API: a receive task waiting
 * for `paid` then a signal `go`; a message start event `placeOrder`; a parallel
 * multi-instance receive task `itemArrived` (one subscription per item, each with its
 * local `item`); a signal start event `go`.
 */
export const MESSAGES_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_messages" targetNamespace="http://procos.dev/test/api">
  <bpmn:message id="m_paid" name="paid" />
  <bpmn:message id="m_place" name="placeOrder" />
  <bpmn:message id="m_item" name="itemArrived" />
  <bpmn:signal id="s_go" name="go" />
  <bpmn:process id="payment" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:receiveTask id="wait_paid" messageRef="m_paid" />
    <bpmn:intermediateCatchEvent id="wait_go"><bpmn:signalEventDefinition signalRef="s_go" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="p1" sourceRef="start" targetRef="wait_paid" />
    <bpmn:sequenceFlow id="p2" sourceRef="wait_paid" targetRef="wait_go" />
    <bpmn:sequenceFlow id="p3" sourceRef="wait_go" targetRef="end" />
  </bpmn:process>
  <bpmn:process id="placing" isExecutable="true">
    <bpmn:startEvent id="placed"><bpmn:messageEventDefinition messageRef="m_place" /></bpmn:startEvent>
    <bpmn:serviceTask id="ship" camunda:type="external" camunda:topic="ship" />
    <bpmn:endEvent id="shipped" />
    <bpmn:sequenceFlow id="q1" sourceRef="placed" targetRef="ship" />
    <bpmn:sequenceFlow id="q2" sourceRef="ship" targetRef="shipped" />
  </bpmn:process>
  <bpmn:process id="items" isExecutable="true">
    <bpmn:startEvent id="items_start" />
    <bpmn:receiveTask id="wait_item" messageRef="m_item">
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${items}" camunda:elementVariable="item" />
    </bpmn:receiveTask>
    <bpmn:endEvent id="items_end" />
    <bpmn:sequenceFlow id="r1" sourceRef="items_start" targetRef="wait_item" />
    <bpmn:sequenceFlow id="r2" sourceRef="wait_item" targetRef="items_end" />
  </bpmn:process>
  <bpmn:process id="on_go" isExecutable="true">
    <bpmn:startEvent id="go_start"><bpmn:signalEventDefinition signalRef="s_go" /></bpmn:startEvent>
    <bpmn:serviceTask id="went" camunda:type="external" camunda:topic="went" />
    <bpmn:endEvent id="go_end" />
    <bpmn:sequenceFlow id="g1" sourceRef="go_start" targetRef="went" />
    <bpmn:sequenceFlow id="g2" sourceRef="went" targetRef="go_end" />
  </bpmn:process>
</bpmn:definitions>
`;
