/**
 * Hands an activity instance to workers as an external task (Camunda 7 "External
 * Tasks", Zeebe job workers): used by service/send/businessRule tasks and by message
 * throw events implemented as external tasks.
 */
import { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import type { ExternalImplementation } from '../../../model/types.js';
import { EngineErrors } from '../../errors.js';
import { evaluate } from '../../expressions/index.js';
import type { Run } from '../../run.js';
import type { ActivityInstance } from '../../types.js';

function integer(v: JsonValue, elementId: string, field: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new ProcosError(EngineErrors.INVALID_VALUE, `${field} of "${elementId}" must be an integer, got ${JSON.stringify(v)}`, { elementId, field });
  }
  return n;
}

/** Evaluates topic, priority and retries and creates the external task; the activity waits. */
export function createExternalTask(run: Run, act: ActivityInstance, elementId: string, impl: ExternalImplementation): void {
  const scope = run.scope(act.id);
  const topic = evaluate(impl.topic, scope);
  if (typeof topic !== 'string' || topic === '') {
    throw new ProcosError(EngineErrors.INVALID_VALUE, `topic of "${elementId}" must be a non-empty string, got ${JSON.stringify(topic)}`, { elementId, field: 'topic' });
  }
  const priority = impl.priority === undefined ? 0 : integer(evaluate(impl.priority, scope), elementId, 'priority');
  const retries = impl.retries === undefined ? null : integer(evaluate(impl.retries, scope), elementId, 'retries');
  const id = run.ctx.newId();
  act.task = id;
  act.st = 'wait';
  run.effects.push({ type: 'externalTaskCreated', externalTaskId: id, activityInstanceId: act.id, elementId, topic, priority, retries, time: run.ctx.now });
}

/** Removes the external task of a cancelled activity instance. */
export function removeExternalTask(run: Run, act: ActivityInstance): void {
  if (act.task !== undefined) run.effects.push({ type: 'externalTaskRemoved', externalTaskId: act.task, activityInstanceId: act.id, time: run.ctx.now });
}
