/**
 * Events: none start events, none/terminate/error end events, error boundary events.
 *
 * Error event definitions: `errorRef` names a `bpmn:error` whose `errorCode` (and `name`)
 * are copied. When `errorRef` names no element, its text is the code, as Camunda 7 does
 * (BpmnParse: "error == null ? errorRef : error.getErrorCode()"). No `errorRef` → no code:
 * a catch-all on a boundary event, an error without code on an end event. A throwing
 * event whose `bpmn:error` has no `errorCode` is refused, as Camunda 7 refuses it.
 * `camunda:errorCodeVariable` / `camunda:errorMessageVariable` are kept on catching events.
 *
 * Source: BPMN 2.0.2 §10.5.2 (start), §10.5.3 (end), §10.5.4 (boundary), §10.5.5 (error
 * event definition); Camunda 7 docs "Error Events".
 */
import { report, type NodeHandler, type ProcessContext } from '../context.js';
import { bool, child, children, kindOf, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import type { BoundaryEventNode, EndEventNode, EventDefinition, StartEventNode } from '../types.js';

/** `bpmn:StartEvent`: only the none start event runs; any event definition is refused. */
export const startEvent: NodeHandler = {
  consumes: ['camunda:FormData', 'camunda:FormProperty', 'zeebe:FormDefinition'],
  compile(el, base, ctx): StartEventNode | undefined {
    const defs = children(el, 'eventDefinitions');
    if (defs.length > 0 || children(el, 'eventDefinitionRef').length > 0) {
      const names = defs.map(kindOf).join(', ') || 'eventDefinitionRef';
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `start events with ${names} are not supported; only the none start event runs in this version`, names);
      return undefined;
    }
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
    return { ...base, kind: 'startEvent', event: { type: 'none' } };
  },
};

/** `bpmn:EndEvent`: none, terminate, or error. */
export const endEvent: NodeHandler = {
  compile(el, base, ctx): EndEventNode | undefined {
    const event = singleDefinition(el, ctx, ['terminateEventDefinition', 'errorEventDefinition'], 'end events');
    if (event === undefined) return undefined;
    if (event === 'none') return { ...base, kind: 'endEvent', event: { type: 'none' } };
    if (event.$type === 'bpmn:TerminateEventDefinition') return { ...base, kind: 'endEvent', event: { type: 'terminate' } };
    const error = errorDefinition(el, event, ctx, true);
    return error === undefined ? undefined : { ...base, kind: 'endEvent', event: error };
  },
};

/** `bpmn:BoundaryEvent`: error only, interrupting, attached to an activity. */
export const boundaryEvent: NodeHandler = {
  compile(el, base, ctx): BoundaryEventNode | undefined {
    const event = singleDefinition(el, ctx, ['errorEventDefinition'], 'boundary events');
    if (event === undefined) return undefined;
    if (event === 'none') {
      report(ctx, ModelErrors.INVALID, el, 'a boundary event needs an event definition; add <errorEventDefinition>', 'eventDefinitions');
      return undefined;
    }
    const cancelActivity = bool(el, 'cancelActivity') ?? true;
    if (!cancelActivity) {
      report(ctx, ModelErrors.INVALID, el, 'an error boundary event always interrupts; remove cancelActivity="false"', 'cancelActivity');
      return undefined;
    }
    const attached = child(el, 'attachedToRef');
    const attachedTo = attached === undefined ? undefined : str(attached, 'id');
    if (attachedTo === undefined) return undefined; // reported by the process compiler
    const error = errorDefinition(el, event, ctx, false);
    return error === undefined ? undefined : { ...base, kind: 'boundaryEvent', attachedTo, cancelActivity, event: error };
  },
};

/**
 * The one event definition of an event: 'none' when it has none; undefined (after a
 * problem) when it has several or one not in `allowed` (local names).
 */
function singleDefinition(el: MElement, ctx: ProcessContext, allowed: readonly string[], what: string): MElement | 'none' | undefined {
  const defs = children(el, 'eventDefinitions');
  if (children(el, 'eventDefinitionRef').length > 0) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'eventDefinitionRef (shared event definitions) is not supported', 'eventDefinitionRef');
    return undefined;
  }
  if (defs.length === 0) return 'none';
  const [first] = defs;
  if (defs.length > 1 || first === undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `multiple event definitions (${defs.map(kindOf).join(', ')}) are not supported`, 'eventDefinitions');
    return undefined;
  }
  if (!allowed.includes(kindOf(first))) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${what} with ${kindOf(first)} are not supported in this version`, kindOf(first));
    return undefined;
  }
  return first;
}

/** Compiles an `errorEventDefinition` (see the module doc for the rules). */
function errorDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  const out: { type: 'error'; errorCode?: string; errorName?: string; errorCodeVariable?: string; errorMessageVariable?: string } = { type: 'error' };
  const ref = child(def, 'errorRef');
  if (ref !== undefined) {
    if (ref.$type !== 'bpmn:Error') {
      report(ctx, ModelErrors.INVALID, el, `errorRef names a ${kindOf(ref)}, not an error`, 'errorRef');
      return undefined;
    }
    const code = str(ref, 'errorCode');
    const name = str(ref, 'name');
    if (code !== undefined && code !== '') out.errorCode = code;
    if (name !== undefined) out.errorName = name;
    if (throwing && out.errorCode === undefined) {
      report(ctx, ModelErrors.INVALID, el, `the error "${str(ref, 'id') ?? '?'}" has no errorCode; a throwing error event needs one`, 'errorRef');
      return undefined;
    }
  } else {
    const raw = ctx.doc.unresolved(def, 'errorRef');
    if (raw !== undefined && raw !== '') out.errorCode = raw;
  }
  if (out.errorCode?.startsWith('=') === true) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `error code expressions (${out.errorCode}) are not supported`, 'errorCode');
    return undefined;
  }
  if (!throwing) {
    const codeVar = str(def, 'errorCodeVariable');
    const messageVar = str(def, 'errorMessageVariable');
    if (codeVar !== undefined) out.errorCodeVariable = codeVar;
    if (messageVar !== undefined) out.errorMessageVariable = messageVar;
  }
  return out;
}

