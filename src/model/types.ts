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
    };

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
  /** 1-based position of the element's start tag in the source, where known. */
  readonly line?: number;
  readonly column?: number;
}

export interface StartEventNode extends NodeBase {
  readonly kind: 'startEvent';
  readonly event: EventDefinition;
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
/** Embedded subprocess: a scope with its own none start event. */
export interface SubProcessNode extends NodeBase {
  readonly kind: 'subProcess';
  /** The none start event inside this subprocess. */
  readonly startEventId: string;
  /** Ids of the flow nodes directly inside. */
  readonly children: readonly string[];
}
/** Boundary event attached to an activity. In this version: error (always interrupting). */
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
  | BoundaryEventNode;

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
}
