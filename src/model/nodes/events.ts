/**
 * Events: start, end, boundary, intermediate catch and intermediate throw events. What
 * each may carry, and how definitions compile, is in event-definitions.ts; this file adds
 * the rules that depend on where the event stands:
 *
 * - start events: in the process, none / timer / message / signal / conditional (several
 *   event start events are fine; they are listed in `ProcessModel.eventStartIds`); in an
 *   embedded subprocess or transaction, none only; in an event subprocess, one start with
 *   a definition, `isInterrupting` → `interrupting` (an error start always interrupts).
 *   `isInterrupting` has no meaning elsewhere and is not read there.
 * - end events: a cancel end event stands directly inside a transaction.
 * - boundary events: `cancelActivity` (default true); error and cancel boundary events
 *   always interrupt; a cancel boundary event is attached to a transaction; a compensation
 *   boundary event has no outgoing sequence flow (its handler is associated, see
 *   compensation.ts).
 * - link events: a link catch event has no incoming, a link throw event no outgoing flow.
 * - `zeebe:taskDefinition` belongs only to throwing message events.
 *
 * Source: BPMN 2.0.2 §10.5.2 (start), §10.5.3 (end), §10.5.4 (intermediate, boundary),
 * §10.3.5 (transaction), §10.5.6 (event definitions); Camunda 7 docs "Events".
 */
import { report, type NodeBaseFields, type NodeHandler, type ProcessContext } from '../context.js';
import { child, extensionValues, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import type { BoundaryEventNode, EndEventNode, EventDefinition, IntermediateCatchEventNode, IntermediateThrowEventNode, StartEventNode } from '../types.js';
import { compileEventDefinition, type EventPlace } from './event-definitions.js';

/** Extension elements of throwing message events implemented as Zeebe jobs. */
const ZEEBE_JOB = ['zeebe:TaskDefinition', 'zeebe:JobPriorityDefinition'];

/** `bpmn:StartEvent`. */
export const startEvent: NodeHandler = {
  consumes: ['camunda:FormData', 'camunda:FormProperty', 'zeebe:FormDefinition'],
  compile(el, base, ctx): StartEventNode | undefined {
    const scopeKind = ctx.scope(base.scopeId)?.kind ?? 'process';
    const place: EventPlace = scopeKind === 'process' ? 'processStart' : scopeKind === 'eventSubProcess' ? 'eventSubProcessStart' : 'subProcessStart';
    const event = compileEventDefinition(el, place, ctx);
    const initiator = str(el, 'initiator');
    if (initiator !== undefined) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:initiator="${initiator}" is not supported`, 'camunda:initiator');
      return undefined;
    }
    const handler = str(el, 'formHandlerClass');
    if (handler !== undefined) {
      report(ctx, ModelErrors.JAVA_IMPLEMENTATION, el, `camunda:formHandlerClass="${handler}" is Java-only`, 'camunda:formHandlerClass');
      return undefined;
    }
    if (event === undefined) return undefined;
    const interrupting = place === 'eventSubProcessStart' ? (el['isInterrupting'] !== false) : true;
    if (!interrupting && event.type === 'error') {
      report(ctx, ModelErrors.INVALID, el, 'an error start event always interrupts; remove isInterrupting="false"', 'isInterrupting');
      return undefined;
    }
    return { ...base, kind: 'startEvent', event, interrupting };
  },
};

/** `bpmn:EndEvent`. */
export const endEvent: NodeHandler = {
  consumes: ZEEBE_JOB,
  compile(el, base, ctx): EndEventNode | undefined {
    const event = compileEventDefinition(el, 'end', ctx);
    if (event === undefined || !zeebeJobOnlyOnMessage(el, event, ctx)) return undefined;
    if (event.type === 'cancel' && ctx.scope(base.scopeId)?.kind !== 'transaction') {
      report(ctx, ModelErrors.INVALID, el, 'a cancel end event must stand directly inside a transaction', 'cancelEventDefinition');
      return undefined;
    }
    return { ...base, kind: 'endEvent', event };
  },
};

/** `bpmn:BoundaryEvent`. */
export const boundaryEvent: NodeHandler = {
  compile(el, base, ctx): BoundaryEventNode | undefined {
    const event = compileEventDefinition(el, 'boundary', ctx);
    if (event === undefined) return undefined;
    const cancelActivity = el['cancelActivity'] !== false;
    if (!cancelActivity && (event.type === 'error' || event.type === 'cancel')) {
      report(ctx, ModelErrors.INVALID, el, `an ${event.type} boundary event always interrupts; remove cancelActivity="false"`, 'cancelActivity');
      return undefined;
    }
    const attached = child(el, 'attachedToRef');
    const attachedTo = attached === undefined ? undefined : str(attached, 'id');
    if (attached === undefined || attachedTo === undefined) return undefined; // reported by the process compiler
    if (event.type === 'cancel' && attached.$type !== 'bpmn:Transaction') {
      report(ctx, ModelErrors.INVALID, el, `a cancel boundary event must be attached to a transaction, not to "${attachedTo}"`, 'attachedToRef');
      return undefined;
    }
    if (event.type === 'compensate' && base.outgoing.length > 0) {
      report(
        ctx,
        ModelErrors.INVALID,
        el,
        `a compensation boundary event has no outgoing sequence flows (${base.outgoing.join(', ')}); associate it with its handler (isForCompensation="true")`,
        'outgoing',
      );
      return undefined;
    }
    return { ...base, kind: 'boundaryEvent', attachedTo, cancelActivity, event };
  },
};

/** `bpmn:IntermediateCatchEvent`: timer, message, signal, conditional, link. */
export const intermediateCatchEvent: NodeHandler = {
  compile(el, base, ctx): IntermediateCatchEventNode | undefined {
    const event = compileEventDefinition(el, 'intermediateCatch', ctx);
    if (event === undefined || !linkFlows(el, base, event, ctx)) return undefined;
    return { ...base, kind: 'intermediateCatchEvent', event };
  },
};

/** `bpmn:IntermediateThrowEvent`: none, signal, escalation, compensate, link, message. */
export const intermediateThrowEvent: NodeHandler = {
  consumes: ZEEBE_JOB,
  compile(el, base, ctx): IntermediateThrowEventNode | undefined {
    const event = compileEventDefinition(el, 'intermediateThrow', ctx);
    if (event === undefined || !zeebeJobOnlyOnMessage(el, event, ctx) || !linkFlows(el, base, event, ctx)) return undefined;
    return { ...base, kind: 'intermediateThrowEvent', event };
  },
};

/** Reports `zeebe:taskDefinition` on a throwing event that is not a message event. */
function zeebeJobOnlyOnMessage(el: MElement, event: EventDefinition, ctx: ProcessContext): boolean {
  if (event.type === 'message' || !extensionValues(el).some((v) => v.$type === 'zeebe:TaskDefinition')) return true;
  report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `zeebe:taskDefinition on a ${event.type} event is not supported; only message throw events are job-based`, 'zeebe:taskDefinition');
  return false;
}

/** A link catch event is entered by its throw event, and a link throw event leaves by it. */
function linkFlows(el: MElement, base: NodeBaseFields, event: EventDefinition, ctx: ProcessContext): boolean {
  if (event.type !== 'link') return true;
  const [flows, what] = el.$type === 'bpmn:IntermediateCatchEvent' ? [base.incoming, 'incoming'] : [base.outgoing, 'outgoing'];
  if (flows.length === 0) return true;
  report(ctx, ModelErrors.INVALID, el, `a link ${what === 'incoming' ? 'catch' : 'throw'} event cannot have ${what} sequence flows (${flows.join(', ')})`, what);
  return false;
}
