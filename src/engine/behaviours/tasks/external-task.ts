/**
 * serviceTask, sendTask and businessRuleTask as external tasks: the activity waits while
 * a worker fetches and locks the task by topic, then completes it, fails it, or reports a
 * BPMN error. Camunda 7 docs "External Tasks"; Zeebe "Job workers".
 *
 * Topic, priority and retries are evaluated when the activity starts. Priority must be an
 * integer (default 0); retries stay unset (null) for Camunda 7 until the first failure;
 * Zeebe task definitions default to 3 (set by the compiler).
 */
import type { ExternalTaskNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';
import { createExternalTask, removeExternalTask } from './external.js';

export const externalTask: Behaviour<ExternalTaskNode> = {
  execute(run, act, node) {
    createExternalTask(run, act, node.id, node);
  },
  cancel(run, act) {
    removeExternalTask(run, act);
  },
};
