/** `task` (abstract) and `manualTask`: no work for the engine, the token passes. BPMN 2.0.2 §10.3.3. */
import type { PassThroughTaskNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

export const passThroughTask: Behaviour<PassThroughTaskNode> = {
  execute(run, act) {
    run.leave(act);
  },
};
