/**
 * Compensation bookkeeping: a completed activity that has a compensation handler is
 * remembered in its enclosing scope, newest last, so that a compensation throw event
 * can run the handlers in reverse order of completion (BPMN 2.0.2 §10.5.4, §13.5.5).
 */
import type { Run } from './run.js';
import type { ActivityInstance, CompensableRecord } from './types.js';

/**
 * Remembers a completing activity instance in its scope when it can be compensated: it
 * has a compensation handler, or it is a subprocess inside which compensable activities
 * completed (compensating the subprocess compensates those, BPMN 2.0.2 §13.4.5).
 */
export function rememberCompensable(run: Run, act: ActivityInstance): void {
  const scope = act.parent === null ? undefined : run.state.acts[act.parent];
  if (scope === undefined) return;
  const node = run.model.nodes.get(act.el);
  if (node?.compensationHandler === undefined && act.done === undefined) return;
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
      if (handler !== undefined) {
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
