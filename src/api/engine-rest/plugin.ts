/**
 * The Camunda 7 compatible REST API ("engine-rest") as a Fastify plugin: every route
 * under `/engine-rest` and under `/engine-rest/engine/default` (Camunda's two spellings
 * of the default engine), with Camunda's error bodies, content type, CORS and
 * (optional) authentication (http.ts), on the ProcOS runtime.
 *
 * Variables travel in Camunda's typed format and are stored as plain JSON; the mapping
 * is documented in variables.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { fastify } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ProcosError } from '../../common/errors.js';
import type { Logger } from '../../observability/index.js';
import type { Runtime } from '../../runtime/index.js';
import { Authenticator } from '../auth.js';
import type { AuthOptions } from '../auth.js';
import { ApiErrors } from '../errors.js';
import type { RouteContext, RouteModule } from './context.js';
import { installConventions } from './http.js';
import type { CorsOptions } from './http.js';
import { LongPollGate } from './long-poll.js';
import { deploymentRoutes } from './routes/deployment.js';
import { engineRoutes } from './routes/engine.js';
import { externalTaskRoutes } from './routes/external-task.js';
import { historyRoutes } from './routes/history.js';
import { incidentRoutes } from './routes/incident.js';
import { messageRoutes } from './routes/message.js';
import { processDefinitionRoutes } from './routes/process-definition.js';
import { processInstanceRoutes } from './routes/process-instance.js';
import { taskRoutes } from './routes/task.js';

/** Options of {@link engineRestPlugin} and {@link buildEngineRestServer}. */
export interface EngineRestOptions {
  /** The runtime the routes command and query (through `runtime.store`). */
  runtime: Runtime;
  /** Authentication; absent = off (every request is served). */
  auth?: AuthOptions;
  /** Origins allowed to read responses in a browser. @default { origins: '*' } (Camunda Modeler runs from file://) */
  cors?: { origins: string[] | '*' };
  /** How many long-polling fetchAndLock requests may wait at once; one more is refused with 500 as Camunda does. @default 200 */
  longPollCapacity?: number;
  /** Logger for errors and warnings of these routes. @default the Fastify instance's logger */
  logger?: Logger;
  /** Largest request body (JSON or multipart), bytes. @default 16 MiB */
  bodyLimit?: number;
}

/** The route prefixes: Camunda serves the default engine under both. */
export const ENGINE_REST_PREFIXES = ['/engine-rest', '/engine-rest/engine/default'] as const;

const ROUTES: readonly RouteModule[] = [engineRoutes, deploymentRoutes, processDefinitionRoutes, processInstanceRoutes, externalTaskRoutes, taskRoutes, incidentRoutes, historyRoutes, messageRoutes];

interface CompiledOptions {
  runtime: Runtime;
  auth: Authenticator | null;
  cors: CorsOptions;
  longPollCapacity: number;
  bodyLimit: number;
}

/**
 * Validates options once, at the edge.
 * @throws PROCOS_API_OPTIONS_INVALID naming the bad option.
 */
function compileOptions(options: EngineRestOptions): CompiledOptions {
  const bad = (option: string, why: string): ProcosError => new ProcosError(ApiErrors.OPTIONS_INVALID, `engine-rest option ${option}: ${why}`, { option });
  if (typeof options?.runtime?.fetchAndLock !== 'function') throw bad('runtime', 'a Runtime is required');
  const origins = options.cors?.origins ?? '*';
  if (origins !== '*' && !(Array.isArray(origins) && origins.every((o) => typeof o === 'string' && o !== ''))) throw bad('cors.origins', "expected '*' or a list of origins");
  const bodyLimit = options.bodyLimit ?? 16 * 1024 * 1024;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit <= 0) throw bad('bodyLimit', `expected a positive integer (bytes), got ${String(options.bodyLimit)}`);
  return { runtime: options.runtime, auth: Authenticator.compile(options.auth), cors: { origins: origins === '*' ? '*' : [...origins] }, longPollCapacity: options.longPollCapacity ?? 200, bodyLimit };
}

/**
 * Fastify plugin: registers every route under `/engine-rest` and
 * `/engine-rest/engine/default`. Register it with `app.register(engineRestPlugin, options)`.
 * Closing the Fastify instance answers waiting long polls with no tasks.
 * @throws PROCOS_API_OPTIONS_INVALID for bad options (at registration).
 */
export async function engineRestPlugin(app: FastifyInstance, options: EngineRestOptions): Promise<void> {
  const o = compileOptions(options);
  const longPolls = new LongPollGate(o.longPollCapacity);
  const logger: FastifyBaseLogger = options.logger ?? app.log;
  const ctx: RouteContext = { runtime: o.runtime, store: o.runtime.store, logger, longPolls, bodyLimit: o.bodyLimit };
  app.addHook('preClose', async () => longPolls.close());
  for (const prefix of ENGINE_REST_PREFIXES) {
    await app.register(
      async (scope) => {
        installConventions(scope, { logger, cors: o.cors, auth: o.auth, bodyLimit: o.bodyLimit });
        for (const routes of ROUTES) routes(scope, ctx);
      },
      { prefix },
    );
  }
}

/**
 * On close, destroys connections that never carried a request. Node closes idle
 * keep-alive connections at `server.close()`, but not one a client opened and has not
 * used yet (an HTTP client that aborted a request while connecting may keep such a
 * socket in its pool): without this, close waits for the headers timeout (a minute).
 */
function closeUnusedConnections(app: FastifyInstance): void {
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (req: IncomingMessage) => unused.delete(req.socket));
  app.addHook('preClose', async () => {
    for (const socket of unused) socket.destroy();
    unused.clear();
  });
}

/**
 * A standalone server for tests and embedding: Fastify with {@link engineRestPlugin}
 * registered (not listening yet: call `listen`).
 * @example
 * ```ts
 * const app = await buildEngineRestServer({ runtime });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * ```
 */
export async function buildEngineRestServer(options: EngineRestOptions): Promise<FastifyInstance> {
  // A pino logger types the instance with pino's Logger; the plugin needs only the base logger.
  const app: FastifyInstance = options.logger === undefined ? fastify({ logger: false }) : (fastify({ loggerInstance: options.logger }) as unknown as FastifyInstance);
  closeUnusedConnections(app);
  await app.register(engineRestPlugin, options);
  await app.ready();
  return app;
}
