/**
 * The element kinds the engine runs, by moddle type. An element whose type is not here
 * is refused with `PROCOS_MODEL_UNSUPPORTED_ELEMENT` (complexGateway, adHocSubProcess,
 * choreography and conversation elements …). One handler per kind; no central switch.
 */
import type { NodeHandler } from '../context.js';
import { callActivity } from './call-activity.js';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events.js';
import { externalTask } from './external-task.js';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways.js';
import { receiveTask } from './receive-task.js';
import { scriptTask } from './script-task.js';
import { subProcess, transaction } from './sub-process.js';
import { passThroughTask, userTask } from './tasks.js';

/** Handler by moddle `$type`. */
export const NODE_HANDLERS: ReadonlyMap<string, NodeHandler> = new Map<string, NodeHandler>([
  ['bpmn:StartEvent', startEvent],
  ['bpmn:EndEvent', endEvent],
  ['bpmn:BoundaryEvent', boundaryEvent],
  ['bpmn:IntermediateCatchEvent', intermediateCatchEvent],
  ['bpmn:IntermediateThrowEvent', intermediateThrowEvent],
  ['bpmn:Task', passThroughTask],
  ['bpmn:ManualTask', passThroughTask],
  ['bpmn:ServiceTask', externalTask],
  ['bpmn:SendTask', externalTask],
  ['bpmn:BusinessRuleTask', externalTask],
  ['bpmn:UserTask', userTask],
  ['bpmn:ReceiveTask', receiveTask],
  ['bpmn:ScriptTask', scriptTask],
  ['bpmn:CallActivity', callActivity],
  ['bpmn:ExclusiveGateway', exclusiveGateway],
  ['bpmn:ParallelGateway', parallelGateway],
  ['bpmn:InclusiveGateway', inclusiveGateway],
  ['bpmn:EventBasedGateway', eventBasedGateway],
  ['bpmn:SubProcess', subProcess],
  ['bpmn:Transaction', transaction],
]);

/** Moddle types that open a scope of their own (their flow elements are collected inside). */
export const SCOPE_TYPES: ReadonlySet<string> = new Set(['bpmn:SubProcess', 'bpmn:Transaction']);

/** Flow elements that carry no behaviour and are skipped (data objects and stores). */
export const INERT_FLOW_ELEMENTS: ReadonlySet<string> = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
