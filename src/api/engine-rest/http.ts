/**
 * The HTTP conventions of Camunda 7's REST API, applied to one Fastify scope:
 *
 * - errors are `{type, message, code}` (REST reference "Introduction → Error Handling";
 *   `code` is Camunda's numeric exception code of 7.20+: 0 by default, 1 for optimistic
 *   locking, 10000 deadlock, 10001 foreign key), plus `procosCode`, the ProcOS code;
 *   deployment parse errors are Camunda's ParseExceptionDto with `details` per resource;
 * - every JSON response has `Content-Type: application/json` exactly, with no charset
 *   (camunda-external-task-client-js parses JSON only on that exact string);
 * - JSON bodies: an empty body is no body (clients post `unlock` and `start` without
 *   one), malformed JSON is a 400 naming the problem;
 * - CORS: configured origins, or all (the default: Camunda Modeler runs from `file://`);
 * - authentication, when configured, before anything else (OPTIONS preflights excepted).
 */
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProcosError, isProcosError } from '../../common/errors.js';
import { RuntimeErrors } from '../../runtime/index.js';
import { StoreErrors } from '../../store/index.js';
import type { Authenticator } from '../auth.js';
import { ApiErrors } from '../errors.js';

/** Camunda's error body (ExceptionDto, 7.2x), with the ProcOS code. */
export interface ExceptionDto {
  type: string;
  message: string;
  /** Camunda's numeric exception code. */
  code: number;
  /** The ProcOS error code (`PROCOS_…`). */
  procosCode: string;
}

/** Camunda's ParseExceptionDto: errors per resource. */
export interface ParseExceptionDto extends ExceptionDto {
  details: Record<string, { errors: ProblemDto[]; warnings: ProblemDto[] }>;
}

/** One problem of a {@link ParseExceptionDto}. */
export interface ProblemDto {
  message: string;
  line: number | null;
  column: number | null;
  mainElementId: string | null;
  elementIds: string[];
}

/** CORS settings: allowed origins, or every origin. */
export interface CorsOptions {
  origins: readonly string[] | '*';
}

/** Camunda's exception class name for a ProcOS error (what `type` says). */
export function camundaType(e: ProcosError): string {
  switch (e.code) {
    case RuntimeErrors.DEPLOYMENT_INVALID.code:
      return 'ParseException';
    case RuntimeErrors.CONFLICT.code:
    case StoreErrors.REVISION_CONFLICT.code:
      return 'OptimisticLockingException';
    case ApiErrors.TOO_MANY_LONG_POLLS.code:
      return 'InvalidRequestException';
    case ApiErrors.TASK_ALREADY_CLAIMED.code:
      return 'TaskAlreadyClaimedException';
    case ApiErrors.MESSAGE_NOT_CORRELATED.code:
    case RuntimeErrors.MESSAGE_NOT_CORRELATED.code:
    case RuntimeErrors.MESSAGE_AMBIGUOUS.code:
    case RuntimeErrors.CLOSED.code:
      return 'RestException';
    case ApiErrors.UNAUTHORIZED.code:
      return 'AuthenticationException';
    case ApiErrors.UNSUPPORTED_MEDIA_TYPE.code:
      return 'NotSupportedException';
  }
  if (e.status === 400 || e.status === 404 || e.status === 413) return 'InvalidRequestException';
  return 'ProcessEngineException';
}

/** Camunda's numeric exception code (BuiltinExceptionCode) for a ProcOS error. */
export function camundaCode(e: ProcosError): number {
  switch (e.code) {
    case RuntimeErrors.CONFLICT.code:
    case StoreErrors.REVISION_CONFLICT.code:
      return 1;
    case StoreErrors.BUSY.code:
      return 10_000;
    case StoreErrors.REFERENCE_MISSING.code:
      return 10_001;
  }
  return 0;
}

/** The error body of a ProcOS error. */
export function exceptionDto(e: ProcosError): ExceptionDto | ParseExceptionDto {
  const base: ExceptionDto = { type: camundaType(e), message: e.message, code: camundaCode(e), procosCode: e.code };
  if (e.code !== RuntimeErrors.DEPLOYMENT_INVALID.code) return base;
  return parseException(base, e.details.problems);
}

function parseException(base: ExceptionDto, problems: unknown): ParseExceptionDto {
  const details: ParseExceptionDto['details'] = {};
  const lines: string[] = [];
  for (const p of Array.isArray(problems) ? (problems as unknown[]) : []) {
    const r = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    const resource = typeof r.resource === 'string' ? r.resource : 'unknown';
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    const elementId = typeof r.elementId === 'string' ? r.elementId : null;
    const problem: ProblemDto = { message: String(r.message ?? base.message), line: num(r.line), column: num(r.column), mainElementId: elementId, elementIds: elementId === null ? [] : [elementId] };
    (details[resource] ??= { errors: [], warnings: [] }).errors.push(problem);
    lines.push(`* ${problem.message} | resource ${resource}${problem.line !== null ? ` | line ${problem.line}` : ''}${problem.column !== null ? ` | column ${problem.column}` : ''}`);
  }
  // Camunda Modeler recognises a parse error by this prefix (ENGINE-09005).
  return { ...base, message: `ENGINE-09005 Could not parse BPMN process. Errors: \n${lines.join('\n')}`, details };
}

/** Turns anything thrown in a route into a ProcosError (unknown errors become PROCOS_API_INTERNAL). */
export function toProcosError(e: unknown, requestId: string): ProcosError {
  if (isProcosError(e)) return e;
  const fe = e as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProcosError(ApiErrors.UNSUPPORTED_MEDIA_TYPE, `Unsupported Content-Type: ${fe.message ?? ''}. Send JSON bodies as application/json (deployments as multipart/form-data)`, {}, { cause: e });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProcosError(ApiErrors.BODY_TOO_LARGE, 'The request body is larger than this route accepts', {}, { cause: e });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ProcosError(ApiErrors.INVALID_REQUEST, fe.message ?? 'Bad request', {}, { cause: e });
  }
  return new ProcosError(ApiErrors.INTERNAL, `Internal error while handling request ${requestId}; see the ProcOS log`, { requestId }, { cause: e });
}

/** Sends an error the Camunda way. */
export function sendError(reply: FastifyReply, e: ProcosError): FastifyReply {
  return reply.code(e.status).type('application/json').send(exceptionDto(e));
}

function allowedOrigin(cors: CorsOptions, origin: string): string | null {
  if (cors.origins === '*') return '*';
  return cors.origins.includes(origin) ? origin : null;
}

/**
 * Installs the conventions above on one scope (a route prefix): JSON parser, error and
 * not-found handlers, the exact JSON content type, CORS (with an `OPTIONS /*` preflight
 * route) and authentication.
 */
export function installConventions(scope: FastifyInstance, opts: { logger: FastifyBaseLogger; cors: CorsOptions; auth: Authenticator | null; bodyLimit: number }): void {
  if (scope.hasContentTypeParser('application/json')) scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: opts.bodyLimit }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ProcosError(ApiErrors.INVALID_REQUEST, `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { field: 'body' }, { cause: e }), undefined);
    }
  });

  scope.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = toProcosError(error, req.id);
    if (e.status >= 500) opts.logger.error({ err: error, reqId: req.id, url: req.url, code: e.code }, `engine-rest: ${e.message}`);
    else opts.logger.debug({ reqId: req.id, url: req.url, code: e.code }, `engine-rest: ${e.message}`);
    return sendError(reply, e);
  });

  scope.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const e = new ProcosError(ApiErrors.NOT_FOUND, `No resource ${req.method} ${req.url.split('?')[0] ?? ''} in the Camunda 7 REST API of ProcOS`, { resource: 'route', id: req.url });
    return reply.code(404).type('application/json').send({ ...exceptionDto(e), type: 'NotFoundException' });
  });

  // Callback-style hooks (not async): they run on every request and need no promise.
  scope.addHook('onSend', (_req, reply, payload, done) => {
    const ct = reply.getHeader('content-type');
    if (typeof ct === 'string' && ct !== 'application/json' && /^application\/json\s*(;|$)/i.test(ct)) reply.header('content-type', 'application/json');
    done(null, payload);
  });

  scope.addHook('onRequest', (req, reply, done) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const allowed = allowedOrigin(opts.cors, origin);
      if (allowed !== null) {
        reply.header('access-control-allow-origin', allowed);
        reply.header('access-control-expose-headers', 'WWW-Authenticate, Content-Disposition');
      }
      if (opts.cors.origins !== '*') reply.header('vary', 'Origin');
    }
    done();
  });

  scope.options('/*', async (req, reply) => {
    const requested = req.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
    reply.header('access-control-allow-headers', typeof requested === 'string' && requested !== '' ? requested : 'Authorization, Content-Type');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });

  const auth = opts.auth;
  if (auth !== null) {
    scope.addHook('onRequest', async (req, reply) => {
      if (req.method === 'OPTIONS') return;
      const principal = await auth.authenticate(req.headers.authorization);
      if (principal !== null) return;
      reply.header('www-authenticate', [...auth.challenges]);
      const e = new ProcosError(ApiErrors.UNAUTHORIZED, 'Authentication required: send HTTP Basic credentials of a configured user or a configured bearer token', {});
      return sendError(reply, e);
    });
  }
}
