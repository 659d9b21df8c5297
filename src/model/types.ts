/**
 * The compiled, immutable form of one executable BPMN process: what the engine runs.
 *
 * A {@link ProcessModel} is built once per process definition by `compileBpmn()` and
 * shared by every instance of it; instances refer to nodes and flows by id.
 * Indexes (incoming/outgoing flows, boundary attachments, scope children, start events)
 * are precomputed so that a transition is a map lookup.
 *
 * Source: BPMN 2.0.2 (formal/2013-12-09) §10 (process elements), §13 (execution semantics);
 * Camunda 7 extension attributes (`camunda:*`), Zeebe extension elements (`zeebe:*`).
 */
import type { JsonValue } from '../common/json.js';

/**
 * An expression or constant as written in the model.
 * - `literal`: a constant (attribute text without `${…}` / leading `=`), already typed.
 * - `juel`: Camunda 7 expression text, including `${…}` delimiters; it may mix text
 *   and expressions (`order-${id}`), as Camunda's composite expressions do.
 * - `feel`: FEEL expression text after the leading `=` (Zeebe).
 */
export type Expr =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'juel'; readonly source: string }
  | { readonly kind: 'feel'; readonly source: string };

/**
 * The value side of an input/output parameter (Camunda `camunda:inputParameter` /
 * `camunda:outputParameter`, Zeebe `zeebe:input` / `zeebe:output`).
 * Camunda lists and maps nest; Zeebe sources are always one expression.
 */
export type MappingValue =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'list'; readonly items: readonly MappingValue[] }
  | { readonly kind: 'map'; readonly entries: readonly { readonly key: string; readonly value: MappingValue }[] };

/** One input or output parameter: `target` is the variable name written. */
export interface Mapping {
  readonly target: string;
  readonly value: MappingValue;
}

/**
 * Input/output mapping of an activity.
 * Inputs are evaluated in the enclosing scope when the activity starts and become its
 * local variables. Outputs are evaluated in the activity's local scope when it completes
 * and are written to the enclosing scope.
 * Source: Camunda 7 docs "Input/Output Variable Mapping"; Zeebe docs "Variable mappings".
 */
export interface IoMapping {
  readonly dialect: 'camunda' | 'zeebe';
  readonly inputs: readonly Mapping[];
  readonly outputs: readonly Mapping[];
}

/** Element kinds the engine runs. Anything else is refused at compile time. */
export const ELEMENT_KINDS = [
  'startEvent',
  'endEvent',
  'task',
  'manualTask',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'userTask',
  'exclusiveGateway',
  'parallelGateway',
  'subProcess',
  'boundaryEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'receiveTask',
  'scriptTask',
  'callActivity',
  'inclusiveGateway',
  'eventBasedGateway',
  'transaction',
] as const;
/** One of {@link ELEMENT_KINDS}; equals the BPMN XML local name. */
export type ElementKind = (typeof ELEMENT_KINDS)[number];

/**
 * The event definition an event carries. `none` when it has none.
 * `error.errorCode` is the code of the referenced `bpmn:error`; absent (undefined) means
 * "no code": on a catching event it catches every error, on a throwing one it throws an
 * error without code.
 */
export type EventDefinition =
  | { readonly type: 'none' }
  | { readonly type: 'terminate' }
  | {
      readonly type: 'error';
      readonly errorCode?: string;
      readonly errorName?: string;
      /** Camunda `camunda:errorCodeVariable` (catching only): variable to receive the code. */
      readonly errorCodeVariable?: string;
      /** Camunda `camunda:errorMessageVariable` (catching only). */
      readonly errorMessageVariable?: string;
    }
  | { readonly type: 'timer'; readonly timer: TimerDefinition }
  | {
      readonly type: 'message';
      /** The referenced `bpmn:message` name (may hold an expression). */
      readonly messageName: Expr;
      /** Zeebe `zeebe:subscription correlationKey` (FEEL), catching only. */
      readonly correlationKey?: Expr;
      /** Throwing message events implemented as external tasks (Camunda `camunda:type="external"` on the definition, or zeebe:taskDefinition). */
      readonly external?: ExternalImplementation;
    }
  | { readonly type: 'signal'; readonly signalName: Expr }
  | {
      readonly type: 'escalation';
      /** Absent: catches every escalation (catching), or throws one without code. */
      readonly escalationCode?: string;
      /** Camunda `camunda:escalationCodeVariable` (catching only). */
      readonly escalationCodeVariable?: string;
    }
  | {
      readonly type: 'conditional';
      readonly condition: Expr;
      /** Camunda `camunda:variableName`: re-evaluate only when this variable changes. */
      readonly variableName?: string;
      /** Camunda `camunda:variableEvents` (create, update, delete). */
      readonly variableEvents?: readonly string[];
    }
  | { readonly type: 'link'; readonly linkName: string }
  | {
      readonly type: 'compensate';
      /** The activity to compensate; absent = the whole enclosing scope. */
      readonly activityRef?: string;
      /** @default true */
      readonly waitForCompletion: boolean;
    }
  | { readonly type: 'cancel' };

/**
 * A timer: `timeDuration` (ISO-8601 duration), `timeDate` (ISO-8601 date-time) or
 * `timeCycle` (ISO-8601 repeating interval `R[n]/[start/]duration`, or a cron expression
 * as Camunda 7 (Quartz, 6–7 fields) and Zeebe (5–6 fields) accept it). The text is an
 * expression; it is evaluated when the timer is created.
 */
export interface TimerDefinition {
  readonly kind: 'duration' | 'date' | 'cycle';
  readonly expr: Expr;
}

/** How a task or a throwing message event is handed to workers. */
export interface ExternalImplementation {
  readonly topic: Expr;
  readonly priority?: Expr;
  readonly retries?: Expr;
}

/**
 * Loop characteristics of an activity. BPMN 2.0.2 §10.3.7 (standard loop) and §10.3.8
 * (multi-instance); Camunda 7 collection/elementVariable; Zeebe
 * zeebe:loopCharacteristics inputCollection/inputElement/outputCollection/outputElement.
 */
export type LoopCharacteristics =
  | {
      readonly kind: 'multiInstance';
      readonly sequential: boolean;
      readonly loopCardinality?: Expr;
      /** Camunda `camunda:collection` (expression or variable name as expression), Zeebe `inputCollection`. */
      readonly collection?: Expr;
      /** Camunda `camunda:elementVariable`, Zeebe `inputElement`. */
      readonly elementVariable?: string;
      readonly completionCondition?: Expr;
      /** Zeebe `outputCollection` (variable name). */
      readonly outputCollection?: string;
      /** Zeebe `outputElement` (expression evaluated per instance). */
      readonly outputElement?: Expr;
    }
  | {
      readonly kind: 'standard';
      readonly loopCondition?: Expr;
      readonly testBefore: boolean;
      readonly loopMaximum?: number;
    };

/** Camunda 7 asynchronous continuations (`camunda:asyncBefore`, `camunda:asyncAfter`). */
export interface AsyncContinuation {
  readonly before: boolean;
  readonly after: boolean;
  /** `camunda:failedJobRetryTimeCycle`, e.g. `R5/PT1M`; default: 3 retries, no wait (Camunda 7). */
  readonly retryTimeCycle?: string;
}

/** A variable passing rule of a call activity (Camunda `camunda:in`/`camunda:out`, Zeebe mappings). */
export type CallMapping =
  | { readonly kind: 'all'; readonly local: boolean }
  | { readonly kind: 'variable'; readonly source: string; readonly target: string; readonly local: boolean }
  | { readonly kind: 'expression'; readonly source: Expr; readonly target: string; readonly local: boolean }
  | { readonly kind: 'businessKey'; readonly expr: Expr };

/** Fields every flow node has. */
export interface NodeBase {
  readonly id: string;
  readonly kind: ElementKind;
  readonly name?: string;
  /** Id of the enclosing scope: the process id, or a subProcess id. */
  readonly scopeId: string;
  /** Incoming sequence flow ids, in document order. */
  readonly incoming: readonly string[];
  /** Outgoing sequence flow ids, in document order. */
  readonly outgoing: readonly string[];
  /** Id of the default flow (`default` attribute) for activities and gateways that have one. */
  readonly defaultFlow?: string;
  /** Boundary event ids attached to this activity, in document order. */
  readonly boundaryEvents: readonly string[];
  /** Input/output mapping, when the element declares one. */
  readonly io?: IoMapping;
  /** Loop or multi-instance characteristics, when declared. */
  readonly loop?: LoopCharacteristics;
  /** Asynchronous continuations, when declared (Camunda 7). */
  readonly async?: AsyncContinuation;
  /** `isForCompensation="true"`: a compensation handler, only run by compensation. */
  readonly isForCompensation?: boolean;
  /** Id of this activity's compensation handler (via a compensation boundary event's association). */
  readonly compensationHandler?: string;
  /** 1-based position of the element's start tag in the source, where known. */
  readonly line?: number;
  readonly column?: number;
}

export interface StartEventNode extends NodeBase {
  readonly kind: 'startEvent';
  readonly event: EventDefinition;
  /** `isInterrupting` (event subprocess start events). @default true */
  readonly interrupting: boolean;
}
/** Intermediate catch event: timer, message, signal, conditional, link. */
export interface IntermediateCatchEventNode extends NodeBase {
  readonly kind: 'intermediateCatchEvent';
  readonly event: EventDefinition;
}
/** Intermediate throw event: none, signal, escalation, compensate, link, message (external). */
export interface IntermediateThrowEventNode extends NodeBase {
  readonly kind: 'intermediateThrowEvent';
  readonly event: EventDefinition;
}
/** Receive task: waits for a message (or, without one, for `complete`). */
export interface ReceiveTaskNode extends NodeBase {
  readonly kind: 'receiveTask';
  readonly messageName?: Expr;
  readonly correlationKey?: Expr;
}
/** Script task: JavaScript (run in an isolate) or FEEL. Other languages are refused. */
export interface ScriptTaskNode extends NodeBase {
  readonly kind: 'scriptTask';
  readonly language: 'javascript' | 'feel';
  /** Script text (FEEL without the leading `=`). */
  readonly script: string;
  /** Camunda `camunda:resultVariable` / Zeebe `resultVariable`. */
  readonly resultVariable?: string;
}
/** Call activity: starts an instance of another process and waits for it. */
export interface CallActivityNode extends NodeBase {
  readonly kind: 'callActivity';
  readonly calledElement: Expr;
  /** Camunda `camunda:calledElementBinding`. @default 'latest' */
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: Expr;
  readonly versionTag?: Expr;
  readonly inMappings: readonly CallMapping[];
  readonly outMappings: readonly CallMapping[];
  /** Zeebe `propagateAllChildVariables` / default outputs when no out mapping. */
  readonly propagateAllChildVariables?: boolean;
  /** Zeebe `propagateAllParentVariables`. @default true for Zeebe, n/a for Camunda */
  readonly propagateAllParentVariables?: boolean;
}
/** Inclusive gateway (OR). */
export interface InclusiveGatewayNode extends NodeBase {
  readonly kind: 'inclusiveGateway';
}
/** Event-based gateway: the first of the following catch events / receive tasks to trigger wins. */
export interface EventBasedGatewayNode extends NodeBase {
  readonly kind: 'eventBasedGateway';
}
/** Transaction subprocess (cancel end events, cancel boundary events). */
export interface TransactionNode extends NodeBase {
  readonly kind: 'transaction';
  readonly startEventId: string;
  readonly children: readonly string[];
  readonly eventSubProcesses: readonly string[];
}
export interface EndEventNode extends NodeBase {
  readonly kind: 'endEvent';
  readonly event: EventDefinition;
}
/** `task` and `manualTask`: pass straight through. */
export interface PassThroughTaskNode extends NodeBase {
  readonly kind: 'task' | 'manualTask';
}
/**
 * serviceTask, sendTask, businessRuleTask implemented as an external task:
 * Camunda `camunda:type="external" camunda:topic="…"` or Zeebe `zeebe:taskDefinition`.
 */
export interface ExternalTaskNode extends NodeBase {
  readonly kind: 'serviceTask' | 'sendTask' | 'businessRuleTask';
  readonly topic: Expr;
  /** `camunda:taskPriority`; default priority 0. */
  readonly priority?: Expr;
  /** Zeebe `retries` (default 3 in Zeebe); Camunda leaves retries unset (null) until a failure. */
  readonly retries?: Expr;
}
/** userTask: a wait state. Assignment data is kept, not enforced by the engine. */
export interface UserTaskNode extends NodeBase {
  readonly kind: 'userTask';
  readonly assignee?: Expr;
  /** Comma-separated list once evaluated (Camunda) or a FEEL list (Zeebe). */
  readonly candidateGroups?: Expr;
  readonly candidateUsers?: Expr;
  /** ISO-8601 date-time once evaluated. */
  readonly dueDate?: Expr;
  readonly followUpDate?: Expr;
  readonly priority?: Expr;
  readonly formKey?: string;
}
export interface ExclusiveGatewayNode extends NodeBase {
  readonly kind: 'exclusiveGateway';
}
export interface ParallelGatewayNode extends NodeBase {
  readonly kind: 'parallelGateway';
}
/**
 * Embedded subprocess: a scope with its own none start event; or, with
 * `triggeredByEvent`, an event subprocess (no start event id: its start event is
 * in `eventStartId`).
 */
export interface SubProcessNode extends NodeBase {
  readonly kind: 'subProcess';
  /** The none start event inside this subprocess ('' for event subprocesses). */
  readonly startEventId: string;
  /** Ids of the flow nodes directly inside (event subprocesses included). */
  readonly children: readonly string[];
  /** `triggeredByEvent="true"`. @default false */
  readonly triggeredByEvent: boolean;
  /** For an event subprocess: its (single) start event id. */
  readonly eventStartId?: string;
  /** Ids of the event subprocesses directly inside. */
  readonly eventSubProcesses: readonly string[];
}
/** Boundary event attached to an activity (error and cancel always interrupt). */
export interface BoundaryEventNode extends NodeBase {
  readonly kind: 'boundaryEvent';
  readonly attachedTo: string;
  readonly cancelActivity: boolean;
  readonly event: EventDefinition;
}

/** Every node kind. Discriminate on `kind`. */
export type FlowNode =
  | StartEventNode
  | EndEventNode
  | PassThroughTaskNode
  | ExternalTaskNode
  | UserTaskNode
  | ExclusiveGatewayNode
  | ParallelGatewayNode
  | SubProcessNode
  | BoundaryEventNode
  | IntermediateCatchEventNode
  | IntermediateThrowEventNode
  | ReceiveTaskNode
  | ScriptTaskNode
  | CallActivityNode
  | InclusiveGatewayNode
  | EventBasedGatewayNode
  | TransactionNode;

/** A sequence flow. `condition` absent = unconditional. */
export interface SequenceFlow {
  readonly id: string;
  readonly name?: string;
  readonly sourceId: string;
  readonly targetId: string;
  readonly condition?: Expr;
  readonly line?: number;
  readonly column?: number;
}

/** One compiled executable process. Immutable once built. */
export interface ProcessModel {
  /** The process id: the process definition key. */
  readonly id: string;
  readonly name?: string;
  /** `camunda:versionTag` or `zeebe:versionTag`, when given. */
  readonly versionTag?: string;
  /** All flow nodes of the process and its subprocesses, by id. */
  readonly nodes: ReadonlyMap<string, FlowNode>;
  /** All sequence flows, by id. */
  readonly flows: ReadonlyMap<string, SequenceFlow>;
  /** The process-level none start event. */
  readonly startEventId: string;
  /** Ids of the flow nodes directly in the process (not in subprocesses). */
  readonly children: readonly string[];
  /** Ids of the event subprocesses directly in the process. */
  readonly eventSubProcesses: readonly string[];
  /** Start events of the process other than the none start event (message, timer, signal, conditional). */
  readonly eventStartIds: readonly string[];
}
