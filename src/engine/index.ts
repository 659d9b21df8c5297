/**
 * The engine layer: a pure, deterministic BPMN interpreter.
 * `execute(model, state, command, ctx) → { state, effects }` (see types.ts).
 */
export { execute } from './execute.js';
export { EngineErrors } from './errors.js';
export { STATE_VERSION } from './types.js';
export type {
  ActivityInstance,
  ActivityInstanceStatus,
  Command,
  Effect,
  EngineContext,
  EngineIncidentType,
  ExecuteResult,
  InstanceState,
  InstanceStatus,
} from './types.js';
export { evaluate, evaluateCondition, checkExpression } from './expressions/index.js';
export type { VariableScope } from './expressions/index.js';
export { validateExpressions, validateModel } from './validate.js';
export type { ExpressionProblem } from './validate.js';
export { visibleVariables } from './variables.js';
export { schedule as scheduleTimer, nextCycle } from './timers.js';
export type { TimerSchedule } from './timers.js';
