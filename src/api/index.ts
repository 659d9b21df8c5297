/**
 * The API layer: the Camunda 7 compatible REST API (`/engine-rest`) as a Fastify
 * plugin, its authentication, and its coded errors. The kernel mounts
 * {@link engineRestPlugin} next to the ProcOS routes; {@link buildEngineRestServer}
 * serves it alone (tests, embedding).
 */
export { engineRestPlugin, buildEngineRestServer, ENGINE_REST_PREFIXES } from './engine-rest/plugin.js';
export type { EngineRestOptions } from './engine-rest/plugin.js';
export { CAMUNDA_API_VERSION } from './engine-rest/routes/engine.js';
export { hashPassword, verifyPassword, Authenticator } from './auth.js';
export type { AuthOptions } from './auth.js';
export { ApiErrors } from './errors.js';
export { fromTypedValue, fromTypedVariables, toTypedValue, toTypedVariables } from './engine-rest/variables.js';
export type { TypedValueDto } from './engine-rest/variables.js';
export { CamundaValueError } from '../common/camunda-values.js';
export { formatDate, parseDate } from './engine-rest/dates.js';
