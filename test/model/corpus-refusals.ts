/**
 * Why each runnable executable corpus file that does not compile is refused
 * (INDEX.tsv: `runnable_without_java=yes`, an `isExecutable="true"` process). The corpus
 * test checks both ways: every problem of a refused file matches one of its reasons, and
 * every listed reason still applies. A file that starts compiling must leave this list.
 *
 * Most of these files are written for bpmn-engine / bpmn-elements, whose dialect runs
 * JavaScript conditions and host services (`environment.services.x`), and accepts models
 * Camunda 7 and Zeebe refuse (subprocesses without start event, message events without
 * message, service tasks without implementation).
 */
import { ModelErrors } from '../../src/model/index.js';

/** One reason: the code and message pattern of the problems it explains, and why. */
export interface RefusalReason {
  readonly code: string;
  readonly match: RegExp;
  readonly why: string;
}

const { INVALID, UNSUPPORTED_ELEMENT, JAVA_IMPLEMENTATION } = ModelErrors;

/** The reasons, by name. */
export const REASONS = {
  jsCondition: {
    code: UNSUPPORTED_ELEMENT.code,
    match: /^(?:conditionExpression|condition): script condition in language "(?:javascript|js)"/i,
    why: 'JavaScript conditions (bpmn-engine dialect): an Expr is JUEL, FEEL or a literal',
  },
  hostServiceCall: {
    code: JAVA_IMPLEMENTATION.code,
    match: /^conditionExpression: expression ".*environment\.services\..*" calls ".*\(…\)"/,
    why: 'conditions calling bpmn-engine host services (environment.services.x(…))',
  },
  expressionImplementation: {
    code: JAVA_IMPLEMENTATION.code,
    match: /^camunda:expression=".*" is Java-only/,
    why: 'service tasks implemented by camunda:expression (a bean call in Camunda 7, a host service in bpmn-engine); only external tasks run',
  },
  javaListener: { code: JAVA_IMPLEMENTATION.code, match: /^camunda:taskListener \(event "create"\) uses camunda:class=/, why: 'a Java task listener' },
  noImplementation: {
    code: INVALID.code,
    match: /^(?:serviceTask|sendTask) has no implementation/,
    why: 'service or send tasks without implementation (bpmn-engine calls host services); Camunda 7 and Zeebe refuse them too',
  },
  subprocessWithoutStart: {
    code: INVALID.code,
    match: /^the subprocess has no start event/,
    why: 'an embedded subprocess without start event (BPMN allows it; Camunda 7 and Zeebe require exactly one none start event)',
  },
  processWithoutStart: { code: INVALID.code, match: /^the process has no start event/, why: 'a process without any start event' },
  messageWithoutRef: { code: INVALID.code, match: /^a catching message event needs messageRef/, why: 'a catching message event without messageRef (Camunda 7 and Zeebe need the message)' },
  signalWithoutRef: { code: INVALID.code, match: /^a signal event needs signalRef/, why: 'a signal event without signalRef' },
  boundaryWithoutDefinition: { code: INVALID.code, match: /^a boundary event needs an event definition/, why: 'a boundary event without event definition' },
  eventSubprocessNoneStart: { code: INVALID.code, match: /^the start event of an event subprocess needs an event definition/, why: 'an event subprocess with a none start event' },
  errorWithoutCode: { code: INVALID.code, match: /^the error ".*" has no errorCode; a throwing error event needs one/, why: 'a throwing error event whose bpmn:error has no errorCode (Camunda 7 refuses it)' },
  multiInstanceWithoutInput: {
    code: INVALID.code,
    match: /^a multi-instance activity needs loopCardinality or a collection/,
    why: 'a multi-instance activity with neither cardinality nor collection',
  },
  scriptMapping: { code: UNSUPPORTED_ELEMENT.code, match: /camunda:script mappings are not supported/, why: 'io mappings computed by scripts (camunda:script)' },
  listener: { code: UNSUPPORTED_ELEMENT.code, match: /^camunda:executionListener \(event "start"\) is not supported/, why: 'an execution listener (a script/expression listener)' },
  connector: { code: UNSUPPORTED_ELEMENT.code, match: /^camunda:connector \(Camunda Connect\)/, why: 'Camunda Connect connectors' },
  adHoc: { code: UNSUPPORTED_ELEMENT.code, match: /^adHocSubProcess is not supported/, why: 'ad-hoc subprocesses' },
  taskHeaders: { code: UNSUPPORTED_ELEMENT.code, match: /^zeebe:taskHeaders are not supported/, why: 'Zeebe task headers (ExternalTaskNode has no headers)' },
  dmn: { code: UNSUPPORTED_ELEMENT.code, match: /^zeebe:calledDecision \(DMN\)/, why: 'DMN business rule tasks' },
  externalTaskErrorExpression: {
    code: UNSUPPORTED_ELEMENT.code,
    match: /^camunda:errorEventDefinition \(error expressions on external tasks\)/,
    why: 'camunda:errorEventDefinition expressions on external tasks',
  },
  quantities: { code: UNSUPPORTED_ELEMENT.code, match: /^(?:start|completion)Quantity="2" is not supported/, why: 'startQuantity/completionQuantity other than 1 (interchange model)' },
  resourceAssignment: { code: UNSUPPORTED_ELEMENT.code, match: /^potentialOwner is not supported/, why: 'BPMN resource assignments (potentialOwner)' },
  dataAssignment: { code: UNSUPPORTED_ELEMENT.code, match: /^dataOutputAssociation with assignment or transformation/, why: 'data associations with assignments (interchange model)' },
  textCondition: { code: INVALID.code, match: /^conditionExpression: condition ".*" is not an expression/, why: 'conditions in prose (interchange model)' },
} as const satisfies Record<string, RefusalReason>;

type ReasonName = keyof typeof REASONS;

const BY_FILE: Readonly<Record<string, readonly ReasonName[]>> = {
  'bpmn-elements/activity-execution.bpmn': ['messageWithoutRef', 'noImplementation'],
  'bpmn-elements/activity-lifecycle.bpmn': ['noImplementation'],
  'bpmn-elements/ad-hoc-subprocess.bpmn': ['adHoc'],
  'bpmn-elements/async-decision.bpmn': ['jsCondition'],
  'bpmn-elements/boundary-timeout.bpmn': ['javaListener'],
  'bpmn-elements/bpmn-error.bpmn': ['hostServiceCall'],
  'bpmn-elements/conditional-bound-js-event.bpmn': ['jsCondition'],
  'bpmn-elements/conditional-flows.bpmn': ['jsCondition'],
  'bpmn-elements/consumer_error.bpmn': ['jsCondition'],
  'bpmn-elements/data-store-reference.bpmn': ['listener'],
  'bpmn-elements/end-compensate.bpmn': ['multiInstanceWithoutInput', 'noImplementation'],
  'bpmn-elements/engine-issue-105_1.bpmn': ['jsCondition', 'noImplementation'],
  'bpmn-elements/engine-issue-105_2.bpmn': ['jsCondition', 'noImplementation'],
  'bpmn-elements/engine-issue-180-message.bpmn': ['noImplementation'],
  'bpmn-elements/engine-issue-180-signal.bpmn': ['noImplementation'],
  'bpmn-elements/engine-issue-180.bpmn': ['errorWithoutCode', 'noImplementation'],
  'bpmn-elements/engine-issue-73.bpmn': ['jsCondition'],
  'bpmn-elements/escalation-start-event.bpmn': ['subprocessWithoutStart', 'eventSubprocessNoneStart'],
  'bpmn-elements/escalation.bpmn': ['hostServiceCall'],
  'bpmn-elements/issue-31-cm.bpmn': ['noImplementation', 'hostServiceCall'],
  'bpmn-elements/issue-31.bpmn': ['noImplementation', 'hostServiceCall'],
  'bpmn-elements/issue-4.bpmn': ['connector'],
  'bpmn-elements/issue-42-same-target-sequence-flows.bpmn': ['hostServiceCall'],
  'bpmn-elements/join-inbound.bpmn': ['boundaryWithoutDefinition'],
  'bpmn-elements/lanes.bpmn': ['messageWithoutRef'],
  'bpmn-elements/loop.bpmn': ['jsCondition'],
  'bpmn-elements/messaging.bpmn': ['noImplementation'],
  'bpmn-elements/misp-loopback.bpmn': ['subprocessWithoutStart', 'jsCondition'],
  'bpmn-elements/misp-parallel-loopback.bpmn': ['subprocessWithoutStart', 'jsCondition'],
  'bpmn-elements/mother-of-all.bpmn': ['subprocessWithoutStart', 'jsCondition'],
  'bpmn-elements/multiple-joins.bpmn': ['jsCondition'],
  'bpmn-elements/nested-joins.bpmn': ['jsCondition', 'noImplementation'],
  'bpmn-elements/resume_error.bpmn': ['jsCondition'],
  'bpmn-elements/service-task-io.bpmn': ['scriptMapping', 'noImplementation'],
  'bpmn-elements/service-task.bpmn': ['expressionImplementation'],
  'bpmn-elements/signals.bpmn': ['expressionImplementation'],
  'bpmn-elements/simple-task.bpmn': ['processWithoutStart'],
  'bpmn-elements/sub-process.bpmn': ['subprocessWithoutStart'],
  'bpmn-elements/swimlanes.bpmn': ['subprocessWithoutStart'],
  'bpmn-elements/task-multiple-inbound.bpmn': ['jsCondition'],
  'bpmn-elements/transaction.bpmn': ['noImplementation', 'hostServiceCall'],
  'bpmn-elements/wait-activities.bpmn': ['messageWithoutRef', 'signalWithoutRef', 'jsCondition', 'expressionImplementation'],
  'bpmn-engine/boundary-timeout.bpmn': ['javaListener'],
  'bpmn-engine/conditional-bound-js-event.bpmn': ['jsCondition'],
  'bpmn-engine/issue-163.bpmn': ['subprocessWithoutStart'],
  'bpmn-engine/issue-187.bpmn': ['jsCondition'],
  'bpmn-engine/issue-4.bpmn': ['connector'],
  'bpmn-engine/lanes.bpmn': ['messageWithoutRef'],
  'bpmn-engine/loop.bpmn': ['jsCondition'],
  'bpmn-engine/messaging.bpmn': ['noImplementation'],
  'bpmn-engine/mother-of-all.bpmn': ['subprocessWithoutStart', 'jsCondition'],
  'bpmn-engine/multiple-joins.bpmn': ['jsCondition'],
  'bpmn-engine/service-task-io.bpmn': ['scriptMapping', 'noImplementation'],
  'bpmn-engine/service-task.bpmn': ['expressionImplementation'],
  'bpmn-engine/signals.bpmn': ['expressionImplementation'],
  'bpmn-engine/simple-task.bpmn': ['processWithoutStart'],
  'bpmn-engine/sub-process.bpmn': ['subprocessWithoutStart'],
  'bpmn-engine/task-multiple-inbound.bpmn': ['jsCondition'],
  'camunda/external-task-client-js/test/test-process.bpmn': ['scriptMapping'],
  'camunda/platform/api/externaltask/ExternalTaskServiceTest.externalTaskWithNestedErrorEventDefinitionVariableExpression.bpmn20.xml': ['externalTaskErrorExpression'],
  'camunda/platform/bpmn/event/compensate/CompensateEventTest.activityWithCompensationEndEvent.bpmn20.xml': ['expressionImplementation'],
  'miwg/C.3.0.bpmn': ['quantities', 'resourceAssignment', 'subprocessWithoutStart', 'textCondition'],
  'miwg/C.8.1.bpmn': ['dataAssignment', 'taskHeaders', 'resourceAssignment'],
  'miwg/C.9.0.bpmn': ['dmn'],
  'zeebe/camunda-8-js-sdk/BpmnParser2.bpmn': ['taskHeaders'],
  'zeebe/camunda-8-js-sdk/Client-MessageStart.bpmn': ['taskHeaders'],
};

/** The refusal reasons of each refused runnable executable corpus file, by path. */
export const EXPECTED_REFUSALS: Readonly<Record<string, readonly RefusalReason[]>> = Object.fromEntries(
  Object.entries(BY_FILE).map(([path, names]) => [path, names.map((n) => REASONS[n])]),
);
