/**
 * The worker layer: TDE workers that fetch external tasks by topic (Camunda 7 protocol,
 * {@link TaskTransport}: in-process, or {@link RestTransport} over Camunda 7's REST API)
 * and run them with adapters, routed by configuration.
 */
export { WorkerErrors } from './errors.js';
export { correlationIdOf, executeTask, EXECUTION_LOG_MESSAGE } from './execution.js';
export type { ExecutionContext, ExecutionRecord, Outcome } from './execution.js';
export { fetchBackoffDelay, nextRetries, retryTimeoutFor } from './retry.js';
export type { FetchBackoff, RetryBackoff } from './retry.js';
export { compileRoutes, RETRY_BACKOFF_DEFAULTS, ROUTE_DEFAULTS } from './routes.js';
export type { CompiledRoute, CompiledRoutes, CompileRoutesOptions, RouteOptions, WorkersConfig } from './routes.js';
export { createHttpExchange, HTTP_TIMEOUT_CODE, HttpTimeoutError, isHttpTimeout } from './http-exchange.js';
export type { HttpAnswer, HttpExchange, HttpExchangeOptions, HttpRequest } from './http-exchange.js';
export { RestTransport } from './rest-transport.js';
export type { RestAuth, RestTransportOptions } from './rest-transport.js';
export { TdeWorker } from './worker.js';
export type { StopOptions, TdeWorkerOptions, WorkerState, WorkerStats } from './worker.js';
export type { FailureReport, FetchRequest, FetchTopic, LockedTask, TaskTransport } from './transport.js';
