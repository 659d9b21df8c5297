/**
 * Boundary events. The catching is done by `Run.throwError` (error events interrupt the
 * activity they are attached to, BPMN 2.0.2 §13.5.3); once triggered, the boundary
 * event's activity instance simply leaves through its outgoing flows.
 */
import type { BoundaryEventNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

export const boundaryEvent: Behaviour<BoundaryEventNode> = {
  execute(run, act) {
    run.leave(act);
  },
};
