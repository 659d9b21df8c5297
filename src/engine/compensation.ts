/**
 * Compensation bookkeeping: a completed activity that has a compensation handler is
 * remembered in its enclosing scope, newest last, so that a compensation throw event
 * can run the handlers in reverse order of completion (BPMN 2.0.2 §10.5.4, §13.5.5).
 */
import type { Run } from './run.js';
import type { ActivityInstance, CompensableRecord } from './types.js';
import type { FlowNode, SubProcessNode } from '../model/types.js';
import { passEvent } from './events.js';

/** The compensation event subprocess among `ids`, with its compensation start event. */
function compensationEventSubprocess(run: Run, ids: readonly string[]): { es: SubProcessNode; start: FlowNode } | undefined {
  for (const id of ids) {
    const es = run.model.nodes.get(id) as SubProcessNode | undefined;
    const start = es?.eventStartId === undefined ? undefined : run.model.nodes.get(es.eventStartId);
    if (es !== undefined && start?.kind === 'startEvent' && start.event.type === 'compensate') return { es, start };
  }
  return undefined;
}

/**
 * Remembers a completing activity instance in its scope when it can be compensated: it
 * has a compensation handler, or it is a subprocess inside which compensable activities
 * completed (compensating the subprocess compensates those, BPMN 2.0.2 §13.4.5).
 */
export function rememberCompensable(run: Run, act: ActivityInstance): void {
  const scope = act.parent === null ? undefined : run.state.acts[act.parent];
  if (scope === undefined) return;
  const node = run.model.nodes.get(act.el);
  const hasCompensationEventSubprocess = node?.kind === 'subProcess' && compensationEventSubprocess(run, node.eventSubProcesses) !== undefined;
  if (node?.compensationHandler === undefined && act.done === undefined && !hasCompensationEventSubprocess) return;
  (scope.done ??= []).push({ el: act.el, id: act.id, ...(act.vars !== undefined ? { vars: { ...act.vars } } : {}), ...(act.done !== undefined ? { nested: act.done } : {}) });
}

/**
 * Starts the compensation handlers for `activityRef` (or every compensable activity
 * completed in `scope` and, recursively, in the subprocess instances it remembered), in
 * reverse order of completion, in the scope where each completed.
 * @returns the number of handlers started.
 */
export function compensate(run: Run, scope: ActivityInstance, activityRef: string | undefined, waiter?: ActivityInstance): number {
  const done = scope.done ?? [];
  let started = 0;
  const runHandlers = (records: CompensableRecord[]): void => {
    for (let i = records.length - 1; i >= 0; i--) {
      const d = records[i]!;
      const node = run.model.nodes.get(d.el);
      const handler = node?.compensationHandler === undefined ? undefined : run.model.nodes.get(node.compensationHandler);
      const compEs = node?.kind === 'subProcess' ? compensationEventSubprocess(run, node.eventSubProcesses) : undefined;
      if (node?.loop?.kind === 'multiInstance' && d.nested !== undefined && d.nested.every((n) => n.el === d.el)) {
        // A multi-instance activity: one handler per completed instance, newest first.
        runHandlers(d.nested);
      } else if (compEs !== undefined && node !== undefined) {
        // BPMN 2.0.2 §10.3.5 / Camunda 7: a compensation event subprocess replaces the
        // default compensation of the subprocess; it runs in the re-created subprocess scope.
        const sAct = run.newAct(node, scope.id, { st: 'scope', cmp: true, ...(d.vars !== undefined ? { vars: { ...d.vars } } : {}), ...(d.nested !== undefined ? { done: d.nested } : {}), ...(waiter !== undefined ? { cw: waiter.id } : {}) });
        const esAct = run.newAct(compEs.es, sAct.id, { st: 'scope' });
        passEvent(run, compEs.start, esAct.id);
        started++;
      } else if (handler !== undefined) {
        const act = run.newAct(handler, scope.id, { ...(d.vars !== undefined ? { vars: { ...d.vars } } : {}), ...(waiter !== undefined ? { cw: waiter.id } : {}) });
        run.start(act, handler);
        started++;
      } else if (d.nested !== undefined) {
        runHandlers(d.nested);
      }
    }
  };
  const picked: CompensableRecord[] = [];
  for (let i = done.length - 1; i >= 0; i--) {
    if (activityRef !== undefined && done[i]!.el !== activityRef) continue;
    picked.unshift(done[i]!);
    done.splice(i, 1);
  }
  runHandlers(picked);
  if (done.length === 0) delete scope.done;
  return started;
}

/** A compensation handler completed: the throw event waiting for it (waitForCompletion) goes on when it was the last. */
export function handlerCompleted(run: Run, handler: ActivityInstance): void {
  const waiter = handler.cw === undefined ? undefined : run.state.acts[handler.cw];
  if (waiter?.pend === undefined) return;
  if (--waiter.pend > 0) return;
  delete waiter.pend;
  run.leave(waiter);
}
