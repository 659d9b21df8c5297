/**
 * What node compilers get to see: the document, the process being compiled, and a
 * problem sink that knows element ids, kinds and positions.
 */
import type { ErrorSpec } from '../common/errors.js';
import { child, idOf, kindOf, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import type { ExprResult } from './expressions.js';
import type { ParsedDocument } from './parse.js';
import type { ProblemList } from './problems.js';
import type { Expr, FlowNode, NodeBase } from './types.js';

/**
 * What kind of scope holds flow nodes: the process, an embedded subprocess, an event
 * subprocess (`triggeredByEvent="true"`) or a transaction.
 */
export type ScopeKind = 'process' | 'subProcess' | 'eventSubProcess' | 'transaction';

/** The direct content of one scope (the process, a subprocess or a transaction). */
export interface ScopeInfo {
  readonly kind: ScopeKind;
  /** Ids of the flow nodes directly inside, in document order. */
  readonly children: readonly string[];
  /** Ids of the none start events directly inside. */
  readonly noneStartEvents: readonly string[];
  /** Ids of all start events directly inside (none and with event definitions). */
  readonly startEvents: readonly string[];
  /** Ids of the event subprocesses directly inside. */
  readonly eventSubProcesses: readonly string[];
}

/** Process-wide defaults node compilers apply. */
export interface ProcessDefaults {
  /** `camunda:taskPriority` on the process: default priority of its external tasks. */
  readonly camundaTaskPriority?: Expr;
  /** `zeebe:jobPriorityDefinition` on the process: default priority of its jobs. */
  readonly zeebeJobPriority?: Expr;
}

/** Context for compiling one executable process. */
export interface ProcessContext {
  readonly doc: ParsedDocument;
  readonly problems: ProblemList;
  readonly processId: string;
  readonly defaults: ProcessDefaults;
  /** The definitions' `expressionLanguage`, when given. */
  readonly expressionLanguage?: string;
  /** The scope content of the process, a subprocess or a transaction, by id. */
  scope(id: string): ScopeInfo | undefined;
}

/** The fields of {@link NodeBase} other than `kind`, computed by the process compiler. */
export type NodeBaseFields = Omit<NodeBase, 'kind'>;

/** Compiler of one element kind (`bpmn:ServiceTask` …). One per kind; see nodes/index.ts. */
export interface NodeHandler {
  /**
   * Extension element types (`zeebe:TaskDefinition`) this kind reads. Other Camunda/Zeebe
   * extension elements on it are refused by the common checks.
   */
  readonly consumes?: readonly string[];
  /** Builds the node, or reports problems and returns undefined. */
  compile(el: MElement, base: NodeBaseFields, ctx: ProcessContext): FlowNode | undefined;
}

/**
 * Records a problem on a compiled node or flow, for checks that run on the compiled graph
 * (`elementType` is the node kind, or `sequenceFlow`).
 */
export function reportId(ctx: Pick<ProcessContext, 'problems'>, spec: ErrorSpec, elementId: string, elementType: string, message: string, attribute?: string): void {
  ctx.problems.add(spec, message, { elementId, elementType, ...(attribute !== undefined ? { attribute } : {}) });
}

/**
 * The element a reference property names (`messageRef`, `signalRef` …), checked to be of
 * `type` (moddle type, e.g. `bpmn:Message`). A qualified id (`tns:newInvoice`) names the
 * element whose id is its local part. Returns `'absent'` when the property is not written; undefined after reporting `PROCOS_MODEL_INVALID` on `owner` when it names
 * nothing or an element of another type.
 */
export function refTo(ctx: ProcessContext, owner: MElement, holder: MElement, prop: string, type: string): MElement | 'absent' | undefined {
  let ref = child(holder, prop);
  if (ref === undefined) {
    const raw = ctx.doc.unresolved(holder, prop);
    if (raw === undefined) return 'absent';
    // a qualified reference (`tns:newInvoice`), as Camunda 7 accepts it: the local part is the id
    const local = raw.includes(':') ? ctx.doc.byId(raw.slice(raw.indexOf(':') + 1)) : undefined;
    if (local === undefined) {
      report(ctx, ModelErrors.INVALID, owner, `${prop}="${raw}" names no element`, prop);
      return undefined;
    }
    ref = local;
  }
  if (ref.$type !== type) {
    report(ctx, ModelErrors.INVALID, owner, `${prop}="${idOf(ref) ?? '?'}" names a ${kindOf(ref)}, not a ${kindOf({ $type: type })}`, prop);
    return undefined;
  }
  return ref;
}

/** Records a problem on `el` (its id and kind name the site). */
export function report(ctx: Pick<ProcessContext, 'problems'>, spec: ErrorSpec, el: MElement, message: string, attribute?: string): void {
  const site: { elementId?: string; elementType: string; attribute?: string } = { elementType: kindOf(el) };
  const id = idOf(el);
  if (id !== undefined) site.elementId = id;
  if (attribute !== undefined) site.attribute = attribute;
  ctx.problems.add(spec, message, site);
}

/**
 * Unwraps an {@link ExprResult}: the expression, or undefined after reporting the problem
 * on `el`, prefixed with the attribute name.
 */
export function takeExpr(ctx: Pick<ProcessContext, 'problems'>, result: ExprResult, el: MElement, attribute: string): Expr | undefined {
  if ('expr' in result) return result.expr;
  report(ctx, result.problem.spec, el, `${attribute}: ${result.problem.message}`, attribute);
  return undefined;
}
