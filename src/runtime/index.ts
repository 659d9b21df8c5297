/**
 * The runtime layer: applies commands to process instances in store transactions,
 * the external-task queue with long polling, incidents and history.
 */
export { Runtime, FAILED_EXTERNAL_TASK, FAILED_JOB, TIMER_START, isBpmnResourceName } from './runtime.js';
export type {
  DeployRequest,
  DeployResourceInput,
  FailureInput,
  MessageCorrelationInput,
  MessageCorrelationResult,
  FetchAndLockInput,
  FetchTopicInput,
  LockedExternalTask,
  RuntimeOptions,
  StartRequest,
  StartedInstance,
} from './runtime.js';
export { RuntimeErrors } from './errors.js';
export { TopicNotifier } from './notifier.js';
export { runJavaScript } from './scripts.js';
export type { ScriptLimits, ScriptOutcome } from './scripts.js';
