/**
 * Coded errors of the engine layer. Codes are stable; a retired code is never reused.
 * Every code is documented in docs/errors.md (checked by test/common/errors.test.ts).
 */
import type { ErrorSpec } from '../common/errors.js';

export const EngineErrors = {
  /** An expression could not be evaluated: syntax error, unknown variable, bad operand. details: {expression, variable?, elementId?} */
  EXPRESSION_FAILED: { code: 'PROCOS_ENGINE_EXPRESSION_FAILED', status: 400 },
  /** An expression uses something the engine refuses: method calls on host objects, unsupported functions. details: {expression} */
  EXPRESSION_UNSUPPORTED: { code: 'PROCOS_ENGINE_EXPRESSION_UNSUPPORTED', status: 400 },
  /** A command names an activity instance that is not waiting for it. details: {activityInstanceId} */
  NOT_WAITING: { code: 'PROCOS_ENGINE_NOT_WAITING', status: 409 },
  /** A command was sent to an instance that has ended. details: {processInstanceId, status} */
  INSTANCE_ENDED: { code: 'PROCOS_ENGINE_INSTANCE_ENDED', status: 409 },
  /** `retryIncident` names no open engine incident of this instance. details: {incidentId} */
  INCIDENT_NOT_FOUND: { code: 'PROCOS_ENGINE_INCIDENT_NOT_FOUND', status: 404 },
  /** Instance state has a schema version this code does not know. details: {version} */
  STATE_VERSION_UNKNOWN: { code: 'PROCOS_ENGINE_STATE_VERSION_UNKNOWN', status: 500 },
  /** No outgoing sequence flow could be taken (every condition false, no default). Raised as incident `noOutgoingFlow`. details: {elementId} */
  NO_OUTGOING_FLOW: { code: 'PROCOS_ENGINE_NO_OUTGOING_FLOW', status: 400 },
  /** An evaluated value has the wrong type (e.g. a priority that is not an integer). Raised as incident `invalidValue`. details: {elementId, field} */
  INVALID_VALUE: { code: 'PROCOS_ENGINE_INVALID_VALUE', status: 400 },
  /** A script task's script failed or hit its time/memory limit. Raised as incident `scriptFailed`. details: {elementId} */
  SCRIPT_FAILED: { code: 'PROCOS_ENGINE_SCRIPT_FAILED', status: 400 },
  /** A trigger names no open subscription or job of this instance (already fired or removed). details: {subscriptionId} */
  SUBSCRIPTION_NOT_FOUND: { code: 'PROCOS_ENGINE_SUBSCRIPTION_NOT_FOUND', status: 404 },
  /** `start` was given for an existing state, or another command without state. */
  BAD_COMMAND: { code: 'PROCOS_ENGINE_BAD_COMMAND', status: 400 },
} as const satisfies Record<string, ErrorSpec>;
