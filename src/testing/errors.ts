/**
 * Coded errors of the scenario runner (`procos test`). Codes are stable; a retired code
 * is never reused. Documented in docs/errors.md ("Testing").
 *
 * The runner does not throw these at its caller for a broken or failing scenario: it
 * returns them as the `failure` of a {@link ScenarioResult} (see run.ts), so that one bad
 * file does not stop the others. {@link loadScenario} throws them.
 */
import type { ErrorSpec } from '../common/errors.js';

/** The testing layer's error registry. */
export const TestingErrors = {
  /** The scenario file cannot be read, or is not valid YAML. details: {file, line?, column?} */
  SCENARIO_UNREADABLE: { code: 'PROCOS_TESTING_SCENARIO_UNREADABLE', status: 400 },
  /** A field of the scenario is missing, unknown or has a bad value (an unknown step kind included). details: {file, field, line?, step?} */
  SCENARIO_INVALID: { code: 'PROCOS_TESTING_SCENARIO_INVALID', status: 400 },
  /** A file listed under `deploy` cannot be read. details: {file, resource} */
  RESOURCE_UNREADABLE: { code: 'PROCOS_TESTING_RESOURCE_UNREADABLE', status: 400 },
  /** The deployed BPMN was refused by the runtime; the cause holds its error. details: {file, problems} */
  DEPLOY_FAILED: { code: 'PROCOS_TESTING_DEPLOY_FAILED', status: 400 },
  /** The `start` section could not start the process (unknown key …); the cause holds the runtime's error. details: {file, process} */
  START_FAILED: { code: 'PROCOS_TESTING_START_FAILED', status: 400 },
  /** A step could not be carried out on the engine as it is (nothing to complete at an activity, a message nobody waits for …). details: {file, step, kind} */
  ACTION_FAILED: { code: 'PROCOS_TESTING_ACTION_FAILED', status: 409 },
  /** An `expect` step found something other than expected. details: {file, step, mismatches} */
  EXPECTATION_FAILED: { code: 'PROCOS_TESTING_EXPECTATION_FAILED', status: 417 },
  /** The runner itself failed (temporary store, an unexpected exception). details: {file} */
  RUN_FAILED: { code: 'PROCOS_TESTING_RUN_FAILED', status: 500 },
} as const satisfies Record<string, ErrorSpec>;
