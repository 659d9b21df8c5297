/**
 * Scopes inside a process: embedded subprocesses, event subprocesses and transactions.
 *
 * - embedded subProcess and transaction: exactly one none start event (`startEventId`);
 * - event subprocess (`triggeredByEvent="true"`): exactly one start event, with an event
 *   definition (`eventStartId`; `startEventId` is ''), no incoming or outgoing sequence
 *   flows, no boundary events, no loop. It is listed in its parent's `eventSubProcesses`
 *   (and in `ProcessModel.eventSubProcesses` at process level).
 * Start-event counts and flows are checked by the process compiler for every scope; this
 * file builds the node from the scope it collected.
 *
 * Source: BPMN 2.0.2 §10.3.5 (sub-processes, event sub-processes, transaction), §13.3.4,
 * §13.5.5 (event subprocess semantics).
 */
import type { NodeHandler } from '../context.js';
import { bool } from '../element.js';
import type { SubProcessNode, TransactionNode } from '../types.js';

/** `bpmn:SubProcess`: embedded, or an event subprocess. */
export const subProcess: NodeHandler = {
  compile(el, base, ctx): SubProcessNode | undefined {
    const scope = ctx.scope(base.id);
    if (scope === undefined) return undefined;
    if (bool(el, 'triggeredByEvent') === true) {
      const [eventStartId] = scope.startEvents;
      if (scope.startEvents.length !== 1 || eventStartId === undefined) return undefined; // reported by the process compiler
      return { ...base, kind: 'subProcess', startEventId: '', children: scope.children, triggeredByEvent: true, eventStartId, eventSubProcesses: scope.eventSubProcesses };
    }
    const startEventId = scope.noneStartEvents.length === 1 ? scope.noneStartEvents[0] : undefined;
    if (startEventId === undefined) return undefined; // reported by the process compiler
    return { ...base, kind: 'subProcess', startEventId, children: scope.children, triggeredByEvent: false, eventSubProcesses: scope.eventSubProcesses };
  },
};

/** `bpmn:Transaction`: a subprocess that cancel events act on. */
export const transaction: NodeHandler = {
  compile(_el, base, ctx): TransactionNode | undefined {
    const scope = ctx.scope(base.id);
    const startEventId = scope?.noneStartEvents.length === 1 ? scope.noneStartEvents[0] : undefined;
    if (scope === undefined || startEventId === undefined) return undefined; // reported by the process compiler
    return { ...base, kind: 'transaction', startEventId, children: scope.children, eventSubProcesses: scope.eventSubProcesses };
  },
};
