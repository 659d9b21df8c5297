/**
 * The kernel's HTTP server (Fastify): `/health`, ProcOS's own `/procos/v1`, and the
 * Camunda 7 compatible `/engine-rest`. The kernel creates it, then listens.
 *
 * `/health` answers while the process lives: `GET /health` → `{status, live, ready}`
 * (200), `GET /health/live` → 200, `GET /health/ready` → 200 once the kernel has booted
 * (processes deployed), 503 while it starts, is degraded (store unreachable) or stops.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { JsonObject } from '../common/json.js';
import type { Logger } from '../observability/index.js';
import type { Runtime } from '../runtime/index.js';
import { engineRestPlugin } from './engine-rest/plugin.js';
import { procosV1Routes } from './procos-v1/index.js';

/** Lifecycle as `/health` reports it. */
export type HealthStatus = 'starting' | 'ready' | 'degraded' | 'stopping';

/** What `/health` answers. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** Why it is not ready, for people. */
  readonly reason?: string;
}

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly runtime: Runtime;
  /** Errors of requests are logged here, at warn and above (requests themselves are not). */
  readonly logger: Logger;
  /** The current health, asked on every `/health` request. */
  readonly health: () => HealthReport;
  /** Extra fields of `GET /procos/v1/status` under `kernel`. */
  readonly kernelStatus?: () => JsonObject | Promise<JsonObject>;
  /** Largest request body, bytes. @default 16 MiB (a deployment of a 10 MiB BPMN file as JSON) */
  readonly bodyLimit?: number;
}

/** The server {@link createApiServer} builds (Fastify, logging through the ProcOS logger). */
export type ApiServer = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>;

/** Paths the server mounts, for the boot summary. */
export const API_PATHS = { health: '/health', procosV1: '/procos/v1', engineRest: '/engine-rest' } as const;

/** True when the Camunda 7 compatible API (`/engine-rest`) is mounted by this build. */
export const ENGINE_REST_MOUNTED = true;

/**
 * Builds the server (routes registered, not listening yet).
 * @example
 * const app = await createApiServer({ runtime, logger, health: () => ({ status: 'ready' }) });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = Fastify({
    // Requests are not logged, nor is "Server listening at": the kernel prints its URLs itself.
    loggerInstance: options.logger.child({ component: 'http' }, { level: 'warn' }),
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (Fastify's default binds reqId in a pino child for every
    // request); the error handlers log the request id themselves.
    childLoggerFactory: (logger) => logger,
    bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
    forceCloseConnections: true,
  });

  app.get(API_PATHS.health, async () => {
    const h = options.health();
    return { status: h.status, live: true, ready: h.status === 'ready', ...(h.reason !== undefined ? { reason: h.reason } : {}) };
  });
  app.get(`${API_PATHS.health}/live`, async () => ({ status: 'live' }));
  app.get(`${API_PATHS.health}/ready`, async (_request, reply) => {
    const h = options.health();
    return reply.code(h.status === 'ready' ? 200 : 503).send({ status: h.status, ...(h.reason !== undefined ? { reason: h.reason } : {}) });
  });

  await app.register((child) => procosV1Routes(child, { runtime: options.runtime, ...(options.kernelStatus ? { kernelStatus: options.kernelStatus } : {}) }), {
    prefix: API_PATHS.procosV1,
  });

  // The Camunda 7 compatible API registers its own prefixes (/engine-rest, /engine-rest/engine/default).
  await app.register(engineRestPlugin, { runtime: options.runtime, logger: options.logger, bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024 });

  return app;
}
