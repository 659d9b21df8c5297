/**
 * What every engine-rest route module gets: the runtime (commands), its store
 * (queries), the long-poll gate, the logger and limits. One context is shared by both
 * prefixes (`/engine-rest` and `/engine-rest/engine/default`).
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import type { LongPollGate } from './long-poll.js';

/** Shared state of the engine-rest routes. */
export interface RouteContext {
  readonly runtime: Runtime;
  readonly store: Store;
  readonly logger: FastifyBaseLogger;
  readonly longPolls: LongPollGate;
  /** Largest request body accepted, bytes. */
  readonly bodyLimit: number;
}

/** A function registering a group of routes on one prefixed scope. */
export type RouteModule = (scope: FastifyInstance, ctx: RouteContext) => void;

/** Base URL of the scope a request came in on (for Camunda's `links`), e.g. `http://localhost:8080/engine-rest`. */
export function baseUrl(scope: FastifyInstance, req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${scope.prefix}`;
}
