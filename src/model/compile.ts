/**
 * Compiles one executable `bpmn:process` into a frozen {@link ProcessModel}.
 *
 * Order: collect the flow elements of every scope (the process, its embedded and event
 * subprocesses and transactions) and the associations → resolve sequence flows
 * (`PROCOS_MODEL_FLOW_REF_MISSING` when a sourceRef/targetRef is missing or names no flow
 * node of this process) → index incoming/outgoing flows (from the flows, not from moddle's
 * lists), boundary attachments and compensation handlers → compile each node with its
 * kind's handler (unknown kinds → `PROCOS_MODEL_UNSUPPORTED_ELEMENT`), plus the parts
 * every activity may have (io mapping, loop, async continuations) → structural checks
 * (start events per scope, default flows, gateways with outgoing flows, no flow into
 * start or boundary events, none out of end events, none into or out of event
 * subprocesses and compensation handlers, no flow across a subprocess boundary, and the
 * graph checks of structure.ts).
 *
 * The model lists the none start event (`startEventId`, '' when the process has only
 * event start events), the event start events (`eventStartIds`) and the event
 * subprocesses at process level (`eventSubProcesses`).
 *
 * Source: BPMN 2.0.2 §10.3 (activities), §10.5 (events), §10.6 (gateways), §13 (execution).
 */
import { compileAsync, RETRY_CYCLE_TYPE } from './async.js';
import { checkCommon } from './checks.js';
import { compensationHandlers } from './compensation.js';
import { report, takeExpr, type NodeBaseFields, type ProcessContext, type ProcessDefaults, type ScopeKind } from './context.js';
import { bool, child, children, extensionValues, idOf, kindOf, languageOf, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { conditionExpr, valueExpr } from './expressions.js';
import { compileIo } from './io.js';
import { compileLoop } from './loops.js';
import { zeebeValue } from './nodes/external-task.js';
import { INERT_FLOW_ELEMENTS, NODE_HANDLERS, SCOPE_TYPES } from './nodes/index.js';
import type { ParsedDocument } from './parse.js';
import type { ProblemList } from './problems.js';
import { checkGraph, checkScopes } from './structure.js';
import type { FlowNode, ProcessModel, SequenceFlow } from './types.js';
import type { XmlIndex } from './xml-guard.js';

/** What the document-level compiler hands to {@link compileProcess}. */
export interface DocumentContext {
  readonly doc: ParsedDocument;
  readonly index: XmlIndex;
  readonly problems: ProblemList;
}

/** Activity types a boundary event may be attached to (supported or not). */
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(
  ['Task', 'ManualTask', 'ServiceTask', 'SendTask', 'BusinessRuleTask', 'UserTask', 'ScriptTask', 'ReceiveTask', 'CallActivity', 'SubProcess', 'Transaction', 'AdHocSubProcess'].map((t) => `bpmn:${t}`),
);

/** Extension elements a process may carry. */
const PROCESS_EXTENSIONS = ['zeebe:VersionTag', 'zeebe:UserTaskForm', 'zeebe:JobPriorityDefinition', 'camunda:PotentialStarter'];

interface Entry {
  readonly el: MElement;
  readonly id: string;
  readonly scopeId: string;
}

interface MutableScope {
  readonly kind: ScopeKind;
  readonly children: string[];
  readonly noneStartEvents: string[];
  readonly startEvents: string[];
  readonly eventSubProcesses: string[];
}

interface Collected {
  readonly nodes: Entry[];
  readonly flows: Entry[];
  /** Data objects and stores: no behaviour, only the common checks. */
  readonly inert: MElement[];
  /** `bpmn:association` artifacts of every scope (compensation handlers). */
  readonly associations: MElement[];
  readonly nodeById: Map<string, Entry>;
  readonly scopes: Map<string, MutableScope>;
  readonly seen: Set<string>;
}

/**
 * Compiles one executable process. Problems go to `dctx.problems`; returns undefined when
 * this process has any.
 */
export function compileProcess(proc: MElement, dctx: DocumentContext): ProcessModel | undefined {
  const { problems, doc, index } = dctx;
  const before = problems.size;
  const processId = idOf(proc) ?? '';
  const collected: Collected = { nodes: [], flows: [], inert: [], associations: [], nodeById: new Map(), scopes: new Map(), seen: new Set([processId]) };
  const baseCtx = { problems };
  collect(proc, processId, 'process', collected, dctx);

  const expressionLanguage = str(doc.definitions, 'expressionLanguage');
  const ctx: ProcessContext = {
    doc,
    problems,
    processId,
    defaults: processDefaults(proc, baseCtx),
    ...(expressionLanguage !== undefined ? { expressionLanguage } : {}),
    scope: (id) => collected.scopes.get(id),
  };
  checkCommon(proc, ctx, PROCESS_EXTENSIONS);
  for (const el of collected.inert) checkCommon(el, ctx);
  reportUnparsable(processId, dctx);

  const { flows, links } = compileFlows(collected, ctx, index);
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const f of links) {
    push(outgoing, f.sourceId, f.id);
    push(incoming, f.targetId, f.id);
  }
  const boundaries = attachBoundaries(collected, ctx);
  const handlers = compensationHandlers(collected.nodes, collected.nodeById, collected.associations, ctx);

  const nodes = new Map<string, FlowNode>();
  for (const entry of collected.nodes) {
    const handler = handlers.get(entry.id);
    const node = compileNode(entry, ctx, index, {
      incoming: incoming.get(entry.id) ?? [],
      outgoing: outgoing.get(entry.id) ?? [],
      boundaryEvents: boundaries.get(entry.id) ?? [],
      ...(handler !== undefined ? { compensationHandler: handler } : {}),
    });
    if (node !== undefined) nodes.set(node.id, deepFreeze(node));
  }
  checkScopes(collected.scopes, (id) => (id === processId ? proc : collected.nodeById.get(id)?.el), ctx);
  checkGraph(processId, nodes, flows, new Set(collected.nodeById.keys()), ctx);

  if (problems.size !== before) return undefined;
  const processScope = collected.scopes.get(processId);
  const startEventId = processScope?.noneStartEvents[0] ?? '';
  const eventStartIds = (processScope?.startEvents ?? []).filter((id) => !processScope?.noneStartEvents.includes(id));
  const name = str(proc, 'name');
  const versionTag = str(proc, 'versionTag') ?? zeebeVersionTag(proc);
  return Object.freeze({
    id: processId,
    ...(name !== undefined ? { name } : {}),
    ...(versionTag !== undefined ? { versionTag } : {}),
    nodes,
    flows,
    eventSubProcesses: Object.freeze([...(processScope?.eventSubProcesses ?? [])]),
    eventStartIds: Object.freeze(eventStartIds),
    startEventId,
    children: Object.freeze([...(processScope?.children ?? [])]),
  });
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Walks the flow elements of a scope, recursing into subprocesses and transactions. */
function collect(container: MElement, scopeId: string, kind: ScopeKind, acc: Collected, dctx: DocumentContext): void {
  const scope: MutableScope = { kind, children: [], noneStartEvents: [], startEvents: [], eventSubProcesses: [] };
  acc.scopes.set(scopeId, scope);
  for (const artifact of children(container, 'artifacts')) if (artifact.$type === 'bpmn:Association') acc.associations.push(artifact);
  for (const el of children(container, 'flowElements')) {
    // Camunda 7 accepts sequence flows without id; give them a stable synthetic one.
    const id = idOf(el) ?? (el.$type === 'bpmn:SequenceFlow' ? `${scopeId}#sequenceFlow${acc.flows.length + 1}` : undefined);
    if (id === undefined || id === '') {
      dctx.problems.add(ModelErrors.INVALID, `a ${kindOf(el)} inside "${scopeId}" has no id`, { elementId: scopeId, elementType: kindOf(el) });
      continue;
    }
    if (acc.seen.has(id) || dctx.index.duplicateIds.has(id)) {
      // reported once: the problem list drops identical problems
      dctx.problems.add(ModelErrors.INVALID, `the id "${id}" is used by more than one element`, { elementId: id });
      if (acc.seen.has(id)) continue;
    }
    acc.seen.add(id);
    if (el.$type === 'bpmn:SequenceFlow') {
      acc.flows.push({ el, id, scopeId });
      continue;
    }
    if (INERT_FLOW_ELEMENTS.has(el.$type)) {
      acc.inert.push(el);
      continue;
    }
    const entry = { el, id, scopeId };
    acc.nodes.push(entry);
    acc.nodeById.set(id, entry);
    scope.children.push(id);
    if (el.$type === 'bpmn:StartEvent') {
      scope.startEvents.push(id);
      if (children(el, 'eventDefinitions').length === 0 && children(el, 'eventDefinitionRef').length === 0) scope.noneStartEvents.push(id);
    }
    if (SCOPE_TYPES.has(el.$type)) {
      const eventSubProcess = bool(el, 'triggeredByEvent') === true;
      if (eventSubProcess) scope.eventSubProcesses.push(id);
      collect(el, id, eventSubProcess ? 'eventSubProcess' : el.$type === 'bpmn:Transaction' ? 'transaction' : 'subProcess', acc, dctx);
    }
  }
}

function processDefaults(proc: MElement, ctx: Pick<ProcessContext, 'problems'>): ProcessDefaults {
  const out: { camundaTaskPriority?: ProcessDefaults['camundaTaskPriority']; zeebeJobPriority?: ProcessDefaults['zeebeJobPriority'] } = {};
  const camunda = str(proc, 'taskPriority');
  if (camunda !== undefined) {
    const e = takeExpr(ctx, valueExpr(camunda, { numeric: true }), proc, 'camunda:taskPriority');
    if (e !== undefined) out.camundaTaskPriority = e;
  }
  const zeebe = extensionValues(proc).find((v) => v.$type === 'zeebe:JobPriorityDefinition');
  const zeebeText = zeebe === undefined ? undefined : str(zeebe, 'priority');
  if (zeebeText !== undefined) {
    const e = takeExpr(ctx, zeebeValue(zeebeText, true), proc, 'zeebe:jobPriorityDefinition priority');
    if (e !== undefined) out.zeebeJobPriority = e;
  }
  return out;
}

function zeebeVersionTag(proc: MElement): string | undefined {
  const tag = extensionValues(proc).find((v) => v.$type === 'zeebe:VersionTag');
  return tag === undefined ? undefined : str(tag, 'value');
}

/** Content moddle could not read, inside this process → unsupported. */
function reportUnparsable(processId: string, { doc, index, problems }: DocumentContext): void {
  const seen = new Set<string>();
  for (const u of doc.unparsable) {
    const start = index.elementAt(u.line, u.column);
    // duplicate ids are reported by collect(), from the pre-pass
    if (start?.processId !== processId || seen.has(`${u.line}:${u.column}`) || u.reason.startsWith('duplicate ID')) continue;
    seen.add(`${u.line}:${u.column}`);
    const local = u.name.slice(u.name.indexOf(':') + 1);
    problems.add(ModelErrors.UNSUPPORTED_ELEMENT, `<${u.name}> is not supported here (${u.reason})`, {
      ...(start.nearestId !== undefined ? { elementId: start.nearestId } : {}),
      elementType: local,
      attribute: u.name,
      line: u.line,
      column: u.column,
    });
  }
}

/** A flow whose both ends resolved (its condition may still have problems). */
interface Link {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
}

function compileFlows(collected: Collected, ctx: ProcessContext, index: XmlIndex): { flows: Map<string, SequenceFlow>; links: Link[] } {
  const flows = new Map<string, SequenceFlow>();
  const links: Link[] = [];
  for (const { el, id, scopeId } of collected.flows) {
    const before = ctx.problems.size;
    const sourceId = flowEnd(el, 'sourceRef', scopeId, collected, ctx);
    const targetId = flowEnd(el, 'targetRef', scopeId, collected, ctx);
    checkCommon(el, ctx);
    let condition;
    const ce = child(el, 'conditionExpression');
    if (ce !== undefined) {
      const resource = str(ce, 'resource');
      if (resource !== undefined) {
        report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `conditions from an external resource (camunda:resource="${resource}") are not supported`, 'camunda:resource');
      } else {
        condition = takeExpr(ctx, conditionExpr(str(ce, 'body') ?? '', languageOf(ce), ctx.expressionLanguage), el, 'conditionExpression');
      }
    }
    if (sourceId === undefined || targetId === undefined) continue;
    links.push({ id, sourceId, targetId });
    if (ctx.problems.size !== before) continue;
    const name = str(el, 'name');
    const pos = positionOf(index, id);
    flows.set(
      id,
      deepFreeze({ id, ...(name !== undefined ? { name } : {}), sourceId, targetId, ...(condition !== undefined ? { condition } : {}), ...pos }),
    );
  }
  return { flows, links };
}

/** Resolves one end of a sequence flow to a node id of the same scope, or reports why not. */
function flowEnd(flow: MElement, prop: 'sourceRef' | 'targetRef', scopeId: string, collected: Collected, ctx: ProcessContext): string | undefined {
  const ref = child(flow, prop);
  if (ref === undefined) {
    const raw = ctx.doc.unresolved(flow, prop);
    const message = raw === undefined ? `sequence flow has no ${prop}` : `${prop}="${raw}" names no element`;
    report(ctx, ModelErrors.FLOW_REF_MISSING, flow, message, prop);
    return undefined;
  }
  const refId = idOf(ref) ?? '';
  const entry = collected.nodeById.get(refId);
  if (entry === undefined || entry.el !== ref) {
    report(ctx, ModelErrors.FLOW_REF_MISSING, flow, `${prop}="${refId}" names no flow node of process "${ctx.processId}" (it is a ${kindOf(ref)})`, prop);
    return undefined;
  }
  if (entry.scopeId !== scopeId) {
    report(ctx, ModelErrors.INVALID, flow, `${prop}="${refId}" is in scope "${entry.scopeId}" but the flow is in "${scopeId}"; sequence flows cannot cross a subprocess boundary`, prop);
    return undefined;
  }
  return refId;
}

/** Boundary event ids per attached activity, in document order. */
function attachBoundaries(collected: Collected, ctx: ProcessContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { el, id, scopeId } of collected.nodes) {
    if (el.$type !== 'bpmn:BoundaryEvent') continue;
    const ref = child(el, 'attachedToRef');
    if (ref === undefined) {
      const raw = ctx.doc.unresolved(el, 'attachedToRef');
      report(ctx, ModelErrors.INVALID, el, raw === undefined ? 'a boundary event needs attachedToRef="<activity id>"' : `attachedToRef="${raw}" names no element`, 'attachedToRef');
      continue;
    }
    const target = collected.nodeById.get(idOf(ref) ?? '');
    if (target === undefined || target.el !== ref || !ACTIVITY_TYPES.has(ref.$type)) {
      report(ctx, ModelErrors.INVALID, el, `attachedToRef="${idOf(ref) ?? '?'}" names no activity of this process (it is a ${kindOf(ref)})`, 'attachedToRef');
      continue;
    }
    if (target.scopeId !== scopeId) {
      report(ctx, ModelErrors.INVALID, el, `the boundary event is in scope "${scopeId}" but its activity "${target.id}" is in "${target.scopeId}"`, 'attachedToRef');
      continue;
    }
    if (bool(ref, 'triggeredByEvent') === true) {
      report(ctx, ModelErrors.INVALID, el, `attachedToRef="${target.id}" is an event subprocess, which cannot carry boundary events`, 'attachedToRef');
      continue;
    }
    push(out, target.id, id);
  }
  return out;
}

function positionOf(index: XmlIndex, id: string): { line?: number; column?: number } {
  const pos = index.positionOf(id);
  return pos === undefined ? {} : { line: pos.line, column: pos.column };
}

function compileNode(
  entry: Entry,
  ctx: ProcessContext,
  index: XmlIndex,
  links: { incoming: readonly string[]; outgoing: readonly string[]; boundaryEvents: readonly string[]; compensationHandler?: string },
): FlowNode | undefined {
  const { el, id, scopeId } = entry;
  const handler = NODE_HANDLERS.get(el.$type);
  if (handler === undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${kindOf(el)} is not supported in this version`, kindOf(el));
    return undefined;
  }
  const before = ctx.problems.size;
  checkCommon(el, ctx, [...(handler.consumes ?? []), RETRY_CYCLE_TYPE]);
  structural(el, links, ctx);
  const io = compileIo(el, ctx);
  const loop = compileLoop(el, ctx);
  const async = compileAsync(el, ctx);
  const defaultFlow = defaultFlowOf(el, links.outgoing, ctx);
  const name = str(el, 'name');
  const pos = positionOf(index, id);
  const base: NodeBaseFields = {
    id,
    ...(name !== undefined ? { name } : {}),
    scopeId,
    incoming: links.incoming,
    outgoing: links.outgoing,
    ...(defaultFlow !== undefined ? { defaultFlow } : {}),
    boundaryEvents: links.boundaryEvents,
    ...(io !== undefined ? { io } : {}),
    ...(loop !== undefined ? { loop } : {}),
    ...(async !== undefined ? { async } : {}),
    ...(el['isForCompensation'] === true ? { isForCompensation: true } : {}),
    ...(links.compensationHandler !== undefined ? { compensationHandler: links.compensationHandler } : {}),
    ...pos,
  };
  const node = handler.compile(el, base, ctx);
  return ctx.problems.size === before ? node : undefined;
}

/** The `default` flow, which must be one of the element's outgoing flows. */
function defaultFlowOf(el: MElement, outgoing: readonly string[], ctx: ProcessContext): string | undefined {
  const ref = child(el, 'default');
  if (ref === undefined) {
    const raw = ctx.doc.unresolved(el, 'default');
    if (raw !== undefined) report(ctx, ModelErrors.INVALID, el, `default="${raw}" names no sequence flow`, 'default');
    return undefined;
  }
  const flowId = idOf(ref) ?? '';
  if (ref.$type !== 'bpmn:SequenceFlow' || !outgoing.includes(flowId)) {
    report(ctx, ModelErrors.INVALID, el, `default="${flowId}" is not one of its outgoing sequence flows (${outgoing.join(', ') || 'none'})`, 'default');
    return undefined;
  }
  return flowId;
}

/** Flow rules that depend on the element kind. */
function structural(el: MElement, links: { incoming: readonly string[]; outgoing: readonly string[] }, ctx: ProcessContext): void {
  const kind = kindOf(el);
  if ((kind === 'startEvent' || kind === 'boundaryEvent') && links.incoming.length > 0) {
    report(ctx, ModelErrors.INVALID, el, `a ${kind} cannot have incoming sequence flows (${links.incoming.join(', ')})`, 'incoming');
  }
  if (kind === 'endEvent' && links.outgoing.length > 0) {
    report(ctx, ModelErrors.INVALID, el, `an end event cannot have outgoing sequence flows (${links.outgoing.join(', ')})`, 'outgoing');
  }
  if (kind.endsWith('Gateway') && links.outgoing.length === 0) {
    report(ctx, ModelErrors.INVALID, el, 'a gateway needs at least one outgoing sequence flow', 'outgoing');
  }
  const noFlows = bool(el, 'triggeredByEvent') === true ? 'an event subprocess' : el['isForCompensation'] === true ? 'a compensation handler (isForCompensation="true")' : undefined;
  const flows = [...links.incoming, ...links.outgoing];
  if (noFlows !== undefined && flows.length > 0) {
    report(ctx, ModelErrors.INVALID, el, `${noFlows} cannot have incoming or outgoing sequence flows (${flows.join(', ')})`, links.incoming.length > 0 ? 'incoming' : 'outgoing');
  }
}

/** Freezes an object and every plain object or array inside it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
