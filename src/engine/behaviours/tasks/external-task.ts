/**
 * serviceTask, sendTask and businessRuleTask as external tasks: the activity waits while
 * a worker fetches and locks the task by topic, then completes it, fails it, or reports a
 * BPMN error. Camunda 7 docs "External Tasks"; Zeebe "Job workers".
 *
 * Topic, priority and retries are evaluated when the activity starts. Priority must be an
 * integer (default 0); Zeebe retries default to null here (the queue applies its own
 * default), Camunda leaves retries unset until the first failure.
 */
import { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import type { ExternalTaskNode } from '../../../model/types.js';
import { EngineErrors } from '../../errors.js';
import { evaluate } from '../../expressions/index.js';
import type { Behaviour } from '../types.js';

function integer(v: JsonValue, node: ExternalTaskNode, field: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new ProcosError(EngineErrors.INVALID_VALUE, `${field} of "${node.id}" must be an integer, got ${JSON.stringify(v)}`, { elementId: node.id, field });
  }
  return n;
}

export const externalTask: Behaviour<ExternalTaskNode> = {
  execute(run, act, node) {
    const scope = run.scope(act.id);
    const topic = evaluate(node.topic, scope);
    if (typeof topic !== 'string' || topic === '') {
      throw new ProcosError(EngineErrors.INVALID_VALUE, `topic of "${node.id}" must be a non-empty string, got ${JSON.stringify(topic)}`, { elementId: node.id, field: 'topic' });
    }
    const priority = node.priority === undefined ? 0 : integer(evaluate(node.priority, scope), node, 'priority');
    const retries = node.retries === undefined ? null : integer(evaluate(node.retries, scope), node, 'retries');
    const id = run.ctx.newId();
    act.task = id;
    act.st = 'wait';
    run.effects.push({ type: 'externalTaskCreated', externalTaskId: id, activityInstanceId: act.id, elementId: node.id, topic, priority, retries, time: run.ctx.now });
  },
  cancel(run, act) {
    if (act.task !== undefined) run.effects.push({ type: 'externalTaskRemoved', externalTaskId: act.task, activityInstanceId: act.id, time: run.ctx.now });
  },
};
