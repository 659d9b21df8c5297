/**
 * `GET /version` and `GET /engine` (Camunda 7 REST "Version", "Engine").
 * ProcOS answers the Camunda REST API version it speaks, and one engine, `default`.
 */
import type { RouteModule } from '../context.js';

/** The Camunda 7 REST API version ProcOS is compatible with (answered by `GET /version`). */
export const CAMUNDA_API_VERSION = '7.22.0';

/** Registers `GET /version` and `GET /engine`. */
export const engineRoutes: RouteModule = (scope) => {
  scope.get('/version', async () => ({ version: CAMUNDA_API_VERSION }));
  scope.get('/engine', async () => [{ name: 'default' }]);
};
