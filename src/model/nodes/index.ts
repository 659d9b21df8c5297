/**
 * The element kinds the engine runs, by moddle type. An element whose type is not here
 * is refused with `PROCOS_MODEL_UNSUPPORTED_ELEMENT`. One handler per kind; no central
 * switch.
 */
import type { NodeHandler } from '../context.js';
import { boundaryEvent, endEvent, startEvent } from './events.js';
import { externalTask } from './external-task.js';
import { exclusiveGateway, parallelGateway } from './gateways.js';
import { subProcess } from './sub-process.js';
import { passThroughTask, userTask } from './tasks.js';

/** Handler by moddle `$type`. */
export const NODE_HANDLERS: ReadonlyMap<string, NodeHandler> = new Map<string, NodeHandler>([
  ['bpmn:StartEvent', startEvent],
  ['bpmn:EndEvent', endEvent],
  ['bpmn:BoundaryEvent', boundaryEvent],
  ['bpmn:Task', passThroughTask],
  ['bpmn:ManualTask', passThroughTask],
  ['bpmn:ServiceTask', externalTask],
  ['bpmn:SendTask', externalTask],
  ['bpmn:BusinessRuleTask', externalTask],
  ['bpmn:UserTask', userTask],
  ['bpmn:ExclusiveGateway', exclusiveGateway],
  ['bpmn:ParallelGateway', parallelGateway],
  ['bpmn:SubProcess', subProcess],
]);

/** Flow elements that carry no behaviour and are skipped (data objects and stores). */
export const INERT_FLOW_ELEMENTS: ReadonlySet<string> = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
