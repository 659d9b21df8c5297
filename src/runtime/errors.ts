/**
 * Coded errors of the runtime layer. HTTP statuses follow Camunda 7's REST API where a
 * route exists (404 unknown id, 400 lock held by another worker, 500 engine trouble).
 * Codes are stable; a retired code is never reused. Documented in docs/errors.md.
 */
import type { ErrorSpec } from '../common/errors.js';

export const RuntimeErrors = {
  /** No process definition with that id / key (and version). details: {id?, key?} */
  DEFINITION_NOT_FOUND: { code: 'PROCOS_RUNTIME_DEFINITION_NOT_FOUND', status: 404 },
  /** No process instance with that id. details: {processInstanceId} */
  INSTANCE_NOT_FOUND: { code: 'PROCOS_RUNTIME_INSTANCE_NOT_FOUND', status: 404 },
  /** No external task with that id (unknown, or already completed). details: {externalTaskId} */
  EXTERNAL_TASK_NOT_FOUND: { code: 'PROCOS_RUNTIME_EXTERNAL_TASK_NOT_FOUND', status: 404 },
  /** The external task is locked by another worker, or by none. details: {externalTaskId, workerId, lockedBy} */
  EXTERNAL_TASK_LOCKED: { code: 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED', status: 400 },
  /** No user task with that id. details: {taskId} */
  USER_TASK_NOT_FOUND: { code: 'PROCOS_RUNTIME_USER_TASK_NOT_FOUND', status: 404 },
  /** No open incident with that id. details: {incidentId} */
  INCIDENT_NOT_FOUND: { code: 'PROCOS_RUNTIME_INCIDENT_NOT_FOUND', status: 404 },
  /** A deployment was refused: a resource failed to compile. details: {problems: [{resource, code, message, elementId, line, column}]} */
  DEPLOYMENT_INVALID: { code: 'PROCOS_RUNTIME_DEPLOYMENT_INVALID', status: 400 },
  /** A request argument is invalid (named in the message). details: {field} */
  BAD_ARGUMENT: { code: 'PROCOS_RUNTIME_BAD_ARGUMENT', status: 400 },
  /** A command kept meeting concurrent changes of the same instance and gave up. details: {processInstanceId, attempts} */
  CONFLICT: { code: 'PROCOS_RUNTIME_CONFLICT', status: 409 },
  /** A message matched no subscription and no message start event (Camunda MismatchingMessageCorrelationException). details: {messageName} */
  MESSAGE_NOT_CORRELATED: { code: 'PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED', status: 400 },
  /** A message matched more than one subscription or start event and `all` was not set. details: {messageName, matches} */
  MESSAGE_AMBIGUOUS: { code: 'PROCOS_RUNTIME_MESSAGE_AMBIGUOUS', status: 400 },
  /** The runtime was closed. */
  CLOSED: { code: 'PROCOS_RUNTIME_CLOSED', status: 503 },
} as const satisfies Record<string, ErrorSpec>;
