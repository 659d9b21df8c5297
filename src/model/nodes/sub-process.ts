/**
 * Embedded subProcess: a scope with exactly one none start event. Event subprocesses
 * (`triggeredByEvent="true"`) are refused (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`); the
 * start-event count is checked by the process compiler for every scope.
 *
 * Source: BPMN 2.0.2 §10.3.5 (sub-processes), §13.3.4.
 */
import { report, type NodeHandler } from '../context.js';
import { bool } from '../element.js';
import { ModelErrors } from '../errors.js';
import type { SubProcessNode } from '../types.js';

/** `bpmn:SubProcess` (embedded). */
export const subProcess: NodeHandler = {
  compile(el, base, ctx): SubProcessNode | undefined {
    if (bool(el, 'triggeredByEvent') === true) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'event subprocesses (triggeredByEvent="true") are not supported', 'triggeredByEvent');
      return undefined;
    }
    const scope = ctx.scope(base.id);
    const startEventId = scope?.noneStartEvents.length === 1 ? scope.noneStartEvents[0] : undefined;
    if (scope === undefined || startEventId === undefined) return undefined; // reported by the process compiler
    return { ...base, kind: 'subProcess', startEventId, children: scope.children, triggeredByEvent: false, eventSubProcesses: [] };
  },
};
