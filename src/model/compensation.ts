/**
 * Compensation handlers: a compensation boundary event on activity A is associated
 * (`bpmn:association`, either direction) with one activity H that has
 * `isForCompensation="true"`; the compiled A gets `compensationHandler: H`.
 *
 * `PROCOS_MODEL_INVALID`: no association, an association to something that is not an
 * activity of this process, a handler without `isForCompensation="true"`.
 * `PROCOS_MODEL_UNSUPPORTED_ELEMENT`: one boundary event associated with several
 * handlers, or one activity with several compensation boundary events (compensation with
 * multiple handlers).
 *
 * Source: BPMN 2.0.2 §10.5.6 (compensation event), §13.5.5 (compensation handler);
 * Camunda 7 docs "Cancel and Compensation Events".
 */
import { report, type ProcessContext } from './context.js';
import { child, children, idOf, kindOf, type MElement } from './element.js';
import { ModelErrors } from './errors.js';

/** A collected flow node: its element, id and enclosing scope. */
export interface CollectedNode {
  readonly el: MElement;
  readonly id: string;
  readonly scopeId: string;
}

/**
 * The compensation handler of each activity that has one (activity id → handler id).
 * Problems are reported on the boundary event.
 */
export function compensationHandlers(nodes: readonly CollectedNode[], nodeById: ReadonlyMap<string, CollectedNode>, associations: readonly MElement[], ctx: ProcessContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const { el } of nodes) {
    if (el.$type !== 'bpmn:BoundaryEvent' || !children(el, 'eventDefinitions').some((d) => d.$type === 'bpmn:CompensateEventDefinition')) continue;
    const ends = associations.flatMap((a) => {
      const source = child(a, 'sourceRef');
      const target = child(a, 'targetRef');
      if (source === el && target !== undefined) return [target];
      if (target === el && source !== undefined) return [source];
      return [];
    });
    const [end] = ends;
    if (end === undefined) {
      report(ctx, ModelErrors.INVALID, el, 'a compensation boundary event needs an association to its compensation handler (an activity with isForCompensation="true")', 'association');
      continue;
    }
    if (ends.length > 1) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `compensation with multiple handlers (${ends.map((e) => idOf(e) ?? '?').join(', ')}) is not supported; associate one`, 'association');
      continue;
    }
    const handler = nodeById.get(idOf(end) ?? '');
    if (handler?.el !== end) {
      report(ctx, ModelErrors.INVALID, el, `the compensation boundary event is associated with "${idOf(end) ?? '?'}" (a ${kindOf(end)}), not with an activity of this process`, 'association');
      continue;
    }
    if (end['isForCompensation'] !== true) {
      report(ctx, ModelErrors.INVALID, el, `the compensation handler "${handler.id}" must have isForCompensation="true"`, 'association');
      continue;
    }
    const attached = child(el, 'attachedToRef');
    const activityId = attached === undefined ? undefined : idOf(attached);
    if (activityId === undefined) continue; // reported by the process compiler
    if (out.has(activityId)) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `compensation with multiple handlers is not supported: "${activityId}" already has the compensation handler "${out.get(activityId) ?? '?'}"`, 'attachedToRef');
      continue;
    }
    out.set(activityId, handler.id);
  }
  return out;
}
