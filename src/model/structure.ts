/**
 * Structural checks over a whole process, after its nodes are compiled: start events per
 * scope, event-based gateway targets, link pairs, compensation targets, cancel boundary
 * events. Each problem is `PROCOS_MODEL_INVALID` and names the element at fault.
 *
 * - Start events: the process has at most one none start event and at least one start
 *   event (none, or message/timer/signal/conditional); an embedded subprocess or a
 *   transaction has exactly one none start event; an event subprocess exactly one start
 *   event (with an event definition, checked by the start event compiler).
 * - Event-based gateway: at least two outgoing flows, without conditions, each to an
 *   intermediate catch event (message, timer, signal, conditional) or a receive task.
 * - Link events: every link throw event has a link catch event of the same name in the
 *   same scope; a name is caught once per scope.
 * - Compensation: a compensate event's `activityRef` names an activity of the event's
 *   scope or of an enclosing scope.
 * - A transaction has at most one cancel boundary event (as Camunda 7).
 *
 * Source: BPMN 2.0.2 §10.5.2 (start events), §10.6.6 (event-based gateway), §10.5.6
 * (link and compensation event definitions), §10.3.5 (transaction).
 */
import { report, reportId, type ProcessContext, type ScopeInfo } from './context.js';
import type { MElement } from './element.js';
import { ModelErrors } from './errors.js';
import type { EventDefinition, FlowNode, SequenceFlow } from './types.js';

/** Node kinds that are activities (may be compensated, may carry boundary events). */
export const ACTIVITY_KINDS: ReadonlySet<FlowNode['kind']> = new Set([
  'task',
  'manualTask',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'userTask',
  'receiveTask',
  'scriptTask',
  'callActivity',
  'subProcess',
  'transaction',
]);

const SCOPE_NAMES: Readonly<Record<ScopeInfo['kind'], string>> = {
  process: 'process',
  subProcess: 'subprocess',
  eventSubProcess: 'event subprocess',
  transaction: 'transaction',
};

/**
 * Start events per scope (see the module doc). `elementOf` gives the scope's element
 * (the process, or the subprocess) to name in problems.
 */
export function checkScopes(scopes: ReadonlyMap<string, ScopeInfo>, elementOf: (scopeId: string) => MElement | undefined, ctx: ProcessContext): void {
  for (const [scopeId, scope] of scopes) {
    const el = elementOf(scopeId);
    if (el === undefined) continue;
    const what = SCOPE_NAMES[scope.kind];
    if (scope.kind === 'eventSubProcess') {
      if (scope.startEvents.length !== 1) {
        const found = scope.startEvents.length === 0 ? 'none' : `${scope.startEvents.length} (${scope.startEvents.join(', ')})`;
        report(ctx, ModelErrors.INVALID, el, `an event subprocess needs exactly one start event, with an event definition; it has ${found}`, 'startEvent');
      }
      continue;
    }
    if (scope.startEvents.length === 0) {
      const hint = scope.kind === 'process' ? 'add a none <startEvent>, or a message, timer, signal or conditional start event' : 'add one none <startEvent>';
      report(ctx, ModelErrors.INVALID, el, `the ${what} has no start event; ${hint}`, 'startEvent');
    } else if (scope.noneStartEvents.length > 1) {
      report(ctx, ModelErrors.INVALID, el, `the ${what} has ${scope.noneStartEvents.length} none start events (${scope.noneStartEvents.join(', ')}); exactly one is allowed`, 'startEvent');
    }
  }
}

/**
 * The graph checks of the module doc, on the compiled nodes and flows. `collected` holds
 * the ids of every flow node of the process, compiled or not (a node that failed to
 * compile has its own problem; references to it are not reported again).
 */
export function checkGraph(processId: string, nodes: ReadonlyMap<string, FlowNode>, flows: ReadonlyMap<string, SequenceFlow>, collected: ReadonlySet<string>, ctx: ProcessContext): void {
  const linkCatches = new Map<string, string>();
  for (const n of nodes.values()) {
    if (n.kind === 'intermediateCatchEvent' && n.event.type === 'link') {
      const key = `${n.scopeId}\u0000${n.event.linkName}`;
      const first = linkCatches.get(key);
      if (first === undefined) linkCatches.set(key, n.id);
      else reportId(ctx, ModelErrors.INVALID, n.id, n.kind, `the link name "${n.event.linkName}" is already caught by "${first}" in this scope; link names must be unique per scope`, 'linkEventDefinition');
    }
  }
  for (const n of nodes.values()) {
    if (n.kind === 'eventBasedGateway') checkEventGateway(n, nodes, flows, ctx);
    if ((n.kind === 'intermediateThrowEvent' || n.kind === 'endEvent') && n.event.type === 'compensate') checkCompensateTarget(processId, n, n.event, nodes, collected, ctx);
    if (n.kind === 'intermediateThrowEvent' && n.event.type === 'link' && !linkCatches.has(`${n.scopeId}\u0000${n.event.linkName}`)) {
      reportId(ctx, ModelErrors.INVALID, n.id, n.kind, `no link catch event named "${n.event.linkName}" in the same scope ("${n.scopeId}")`, 'linkEventDefinition');
    }
    if (n.kind === 'transaction') {
      const cancels = n.boundaryEvents.filter((b) => {
        const be = nodes.get(b);
        return be?.kind === 'boundaryEvent' && be.event.type === 'cancel';
      });
      if (cancels.length > 1) reportId(ctx, ModelErrors.INVALID, n.id, n.kind, `a transaction has at most one cancel boundary event; it has ${cancels.length} (${cancels.join(', ')})`, 'boundaryEvents');
    }
  }
}

const GATEWAY_EVENTS: ReadonlySet<EventDefinition['type']> = new Set(['message', 'timer', 'signal', 'conditional']);

function checkEventGateway(gw: FlowNode, nodes: ReadonlyMap<string, FlowNode>, flows: ReadonlyMap<string, SequenceFlow>, ctx: ProcessContext): void {
  if (gw.outgoing.length < 2) {
    reportId(ctx, ModelErrors.INVALID, gw.id, gw.kind, `an event-based gateway needs at least two outgoing sequence flows; it has ${gw.outgoing.length}`, 'outgoing');
  }
  const bad: string[] = [];
  for (const flowId of gw.outgoing) {
    const flow = flows.get(flowId);
    if (flow === undefined) continue;
    if (flow.condition !== undefined) reportId(ctx, ModelErrors.INVALID, flow.id, 'sequenceFlow', 'a sequence flow leaving an event-based gateway cannot have a condition', 'conditionExpression');
    const target = nodes.get(flow.targetId);
    if (target === undefined) continue;
    const ok = target.kind === 'receiveTask' || (target.kind === 'intermediateCatchEvent' && GATEWAY_EVENTS.has(target.event.type));
    if (!ok) bad.push(`${target.id} (${target.kind === 'intermediateCatchEvent' ? `${target.event.type} catch event` : target.kind})`);
  }
  if (bad.length > 0) {
    reportId(
      ctx,
      ModelErrors.INVALID,
      gw.id,
      gw.kind,
      `an event-based gateway must be followed by intermediate catch events (message, timer, signal, conditional) or receive tasks; not by ${bad.join(', ')}`,
      'outgoing',
    );
  }
}

function checkCompensateTarget(
  processId: string,
  n: FlowNode,
  event: Extract<EventDefinition, { type: 'compensate' }>,
  nodes: ReadonlyMap<string, FlowNode>,
  collected: ReadonlySet<string>,
  ctx: ProcessContext,
): void {
  if (event.activityRef === undefined) return;
  const target = nodes.get(event.activityRef);
  if (target === undefined && collected.has(event.activityRef)) return;
  if (target === undefined || !ACTIVITY_KINDS.has(target.kind)) {
    reportId(ctx, ModelErrors.INVALID, n.id, n.kind, `activityRef="${event.activityRef}" names no activity of this process`, 'activityRef');
    return;
  }
  // the event's scope and the scopes that enclose it
  const chain = new Set<string>();
  for (let scope: string | undefined = n.scopeId; scope !== undefined && !chain.has(scope); scope = scope === processId ? undefined : nodes.get(scope)?.scopeId) chain.add(scope);
  if (!chain.has(target.scopeId)) {
    reportId(ctx, ModelErrors.INVALID, n.id, n.kind, `activityRef="${target.id}" is in scope "${target.scopeId}", which neither is nor encloses the scope of this event ("${n.scopeId}")`, 'activityRef');
  }
}
