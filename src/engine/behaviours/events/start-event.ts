/** None start event: the token passes straight on. BPMN 2.0.2 §13.5.2. */
import type { StartEventNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

export const startEvent: Behaviour<StartEventNode> = {
  execute(run, act) {
    run.leave(act);
  },
};
