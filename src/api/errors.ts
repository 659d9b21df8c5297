/**
 * Coded errors of the API layer (`/engine-rest`, authentication). HTTP statuses follow
 * Camunda 7's REST API where it has the case (its statuses are kept even where they are
 * odd, e.g. 500 for too many long polls, as its `FetchAndLockHandlerImpl` answers).
 * Errors of lower layers (runtime, store, engine, model) reach clients with their own
 * codes and statuses. Codes are stable; a retired code is never reused. Documented in
 * docs/errors.md ("API").
 */
import type { ErrorSpec } from '../common/errors.js';

/** The API's error registry: name → {code, HTTP status}. Use with `new ProcosError(ApiErrors.X, message, details)`. */
export const ApiErrors = {
  /** A request is malformed: bad JSON, a missing or mistyped field, a bad query parameter. details: {field?, value?} */
  INVALID_REQUEST: { code: 'PROCOS_API_INVALID_REQUEST', status: 400 },
  /** A variable in Camunda's typed format cannot be converted (bad value for its type, unknown type). details: {variable, type} */
  INVALID_VARIABLE: { code: 'PROCOS_API_INVALID_VARIABLE', status: 400 },
  /** The request asks for something ProcOS does not do yet (named in the message). details: {feature} */
  NOT_SUPPORTED: { code: 'PROCOS_API_NOT_SUPPORTED', status: 400 },
  /** No resource with that id (deployment, process instance, task, variable, route …). details: {resource, id} */
  NOT_FOUND: { code: 'PROCOS_API_NOT_FOUND', status: 404 },
  /** Authentication is on and the request carries no valid credentials. */
  UNAUTHORIZED: { code: 'PROCOS_API_UNAUTHORIZED', status: 401 },
  /** The request body is larger than the route accepts. details: {limit} */
  BODY_TOO_LARGE: { code: 'PROCOS_API_BODY_TOO_LARGE', status: 413 },
  /** The request body has a Content-Type the route does not accept. details: {contentType} */
  UNSUPPORTED_MEDIA_TYPE: { code: 'PROCOS_API_UNSUPPORTED_MEDIA_TYPE', status: 415 },
  /** More long-polling fetchAndLock requests wait than the configured capacity (Camunda answers 500). details: {capacity} */
  TOO_MANY_LONG_POLLS: { code: 'PROCOS_API_TOO_MANY_LONG_POLLS', status: 500 },
  /** A deployment cannot be deleted: process instances of its definitions still run (Camunda answers 500). details: {deploymentId, runningInstances} */
  DEPLOYMENT_IN_USE: { code: 'PROCOS_API_DEPLOYMENT_IN_USE', status: 500 },
  /** A user task is already claimed by another user (Camunda's TaskAlreadyClaimedException, 500). details: {taskId, assignee} */
  TASK_ALREADY_CLAIMED: { code: 'PROCOS_API_TASK_ALREADY_CLAIMED', status: 500 },
  /**
   * Retired: raised while the API did not deliver messages. Messages are correlated now;
   * one nobody waits for is PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED. Kept so that the code
   * is never reused. details: {messageName}
   */
  MESSAGE_NOT_CORRELATED: { code: 'PROCOS_API_MESSAGE_NOT_CORRELATED', status: 400 },
  /** The engine-rest options (auth, CORS, capacity) are invalid. details: {option} */
  OPTIONS_INVALID: { code: 'PROCOS_API_OPTIONS_INVALID', status: 500 },
  /** An unexpected error (a bug); the message names the request id to find it in the log. details: {requestId} */
  INTERNAL: { code: 'PROCOS_API_INTERNAL', status: 500 },
} as const satisfies Record<string, ErrorSpec>;
