/**
 * The testing layer: `procos test`, declarative process tests with time travel. A
 * scenario file (YAML) deploys BPMN, starts an instance and walks it step by step
 * (complete, bpmnError, fail, correlate, signal, advanceClock, expect …) on a fresh
 * temporary store with a clock only the scenario moves. See schema.ts for the format.
 *
 * @example
 * ```ts
 * const { results, failed } = await runScenarioFiles(['order.test.yaml']);
 * for (const r of results) console.log(formatResult(r));
 * process.exitCode = failed === 0 ? 0 : 1;
 * ```
 */
export { runScenarioFile, runScenarioFiles, expandScenarioPaths } from './run.js';
export type { RunScenarioOptions, ScenarioFailure, ScenarioResult, ScenarioRunSummary, ScenarioStatus, StepReport } from './run.js';
export { formatResult, formatSummary } from './format.js';
export type { FormatOptions } from './format.js';
export { loadScenario } from './load.js';
export type { LoadedResource, LoadedScenario, LoadedStep, ScenarioIssue, StepSource } from './load.js';
export {
  scenarioSchema,
  stepSchema,
  startSchema,
  stepBodySchemas,
  STEP_KINDS,
  EXPECTED_STATES,
  completeSchema,
  bpmnErrorSchema,
  failSchema,
  correlateSchema,
  signalSchema,
  advanceClockSchema,
  expectSchema,
  setVariablesSchema,
  resolveIncidentSchema,
  cancelSchema,
} from './schema.js';
export type { ExpectedState, Scenario, ScenarioInput, StepBody, StepKind } from './schema.js';
export type { Mismatch } from './expect.js';
export type { EngineSnapshot, InstanceSnapshot } from './inspect.js';
export { SCENARIO_WORKER_ID } from './actions.js';
export { DEFAULT_START_TIME } from './time.js';
export { TestingErrors } from './errors.js';
