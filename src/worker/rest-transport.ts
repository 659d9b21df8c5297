/**
 * The REST {@link TaskTransport}: the external-task protocol over Camunda 7's REST API
 * ("engine-rest"), so a TDE worker runs unchanged against ProcOS (`/engine-rest`) or any
 * Camunda 7 / Operaton engine.
 *
 * ```ts
 * const transport = new RestTransport({ baseUrl: 'http://localhost:8080/engine-rest', auth: { basic: { username: 'demo', password: 'demo' } } });
 * const worker = new TdeWorker({ transport, workerId: 'tde-1', routes });
 * worker.start();
 * ```
 *
 * Requests, as Camunda's REST reference documents them:
 * - `POST /external-task/fetchAndLock` (FetchExternalTasksDto) with `asyncResponseTimeout`
 *   long polling; the request's own timeout is that wait plus `requestTimeoutMs`, and
 *   the caller's AbortSignal ends it (the fetch then resolves with no tasks, as the
 *   in-process transport does);
 * - `POST /external-task/{id}/complete | failure | bpmnError | extendLock`, JSON bodies;
 * - `POST /external-task/{id}/unlock` with no body and no Content-Type;
 * - `GET /execution/{id}/localVariables/{name}/data` for the content of File variables,
 *   which Camunda answers without it (first by the process instance id, as Camunda's
 *   JavaScript client reads it, then by the task's execution id).
 *
 * Variables are converted with the same functions the ProcOS server uses
 * (common/camunda-values.ts): fetched typed values → plain JSON, plain JSON → typed
 * values (String, Integer/Long, Double, Boolean, Null, Json, Date, File with content,
 * Bytes, Object). A fetched task whose variables cannot be converted is failed at once
 * with 0 retries (an incident naming the variable, PROCOS_WORKER_BAD_VARIABLE) and not
 * handed to the worker.
 *
 * Requests go through an {@link HttpExchange}: by default {@link createHttpExchange}'s
 * node:http / node:https requests over keep-alive connections (no redirects followed);
 * `close()` closes its idle connections when the worker is done.
 *
 * Answers are read as JSON only with `Content-Type: application/json` (parameters such
 * as a charset are tolerated). Errors are coded (WorkerErrors): connection failures
 * (`details.reason` the Node error code: `ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND` …),
 * timeouts (`details.reason` `'timeout'`) and 5xx (`'status 503'` …) →
 * `ENGINE_UNREACHABLE` (retryable: the worker's fetch loop backs off); 401/403 →
 * `ENGINE_UNAUTHORIZED`; 404 of a task → `TASK_GONE`; 400 naming a lock (another worker
 * holds it, or it expired) → `LOCK_LOST`; other 3xx and 4xx → `ENGINE_REFUSED`; an answer
 * of the wrong shape → `ENGINE_BAD_ANSWER`.
 */
import { CamundaValueError, fromTypedVariables, isFileWithoutContent, parseDate, toTypedVariables, withFileContent } from '../common/camunda-values.js';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { JsonValue, Variables } from '../common/json.js';
import { WorkerErrors } from './errors.js';
import { createHttpExchange, isHttpTimeout } from './http-exchange.js';
import type { HttpAnswer, HttpExchange, HttpRequest } from './http-exchange.js';
import type { FailureReport, FetchRequest, LockedTask, TaskTransport } from './transport.js';

/** Credentials sent with every request. */
export type RestAuth = { basic: { username: string; password: string } } | { bearer: string };

/** Options of {@link RestTransport}. */
export interface RestTransportOptions {
  /** The engine's REST root, e.g. `http://localhost:8080/engine-rest` (a trailing slash is dropped). */
  baseUrl: string;
  /** HTTP Basic credentials, or a bearer token. @default none */
  auth?: RestAuth;
  /** Longest time one request may take, ms; a long poll may take its `asyncResponseTimeout` on top. @default 30000 */
  requestTimeoutMs?: number;
  /**
   * How requests are sent; pass a wrapper of `createHttpExchange()` to observe requests
   * and answers. An exchange passed here is the caller's to close ({@link RestTransport.close}
   * only closes the one it created). @default createHttpExchange()
   */
  exchange?: HttpExchange;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The network-level reason of a failed request (`ECONNREFUSED`, `ECONNRESET`, …): the
 * Node error's `code`; else the `code` or message of its `cause` (an exchange wrapping
 * `fetch`, whose errors carry undici's cause); else its message.
 */
function networkReason(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') return (e as { code: string }).code;
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause === 'object' && cause !== null && typeof cause.code === 'string') return cause.code;
  if (typeof cause === 'object' && cause !== null && typeof cause.message === 'string') return cause.message;
  return messageOf(e);
}

/** True for `application/json`, with or without parameters. */
function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

/**
 * A {@link TaskTransport} over Camunda 7's REST API. Every method rejects with a coded
 * error of {@link WorkerErrors} (see the module doc).
 * @throws PROCOS_WORKER_OPTIONS_INVALID from the constructor: a base URL that is not
 *   http(s), bad credentials, a non-positive timeout.
 */
export class RestTransport implements TaskTransport {
  private readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly requestTimeoutMs: number;
  private readonly exchange: HttpExchange;
  /** The exchange this transport created (closed by close()); undefined when one was passed in. */
  private readonly ownExchange: (HttpExchange & { close(): void }) | undefined;

  constructor(options: RestTransportOptions) {
    const bad = (option: string, why: string): ProcosError => new ProcosError(WorkerErrors.OPTIONS_INVALID, `RestTransport ${option}: ${why}`, { option });
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw bad('baseUrl', `expected an http(s) URL like http://localhost:8080/engine-rest, got ${JSON.stringify(options.baseUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('baseUrl', `expected an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
    if (url.search !== '' || url.hash !== '') throw bad('baseUrl', 'expected no query string or fragment');
    this.baseUrl = url.toString().replace(/\/+$/, '');
    const auth = options.auth;
    if (auth !== undefined) {
      if ('basic' in auth) {
        if (typeof auth.basic?.username !== 'string' || auth.basic.username === '' || auth.basic.username.includes(':') || typeof auth.basic.password !== 'string') {
          throw bad('auth.basic', 'expected a non-empty username without ":" and a password');
        }
        this.authorization = `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`, 'utf8').toString('base64')}`;
      } else {
        if (typeof auth.bearer !== 'string' || auth.bearer === '' || /\s/.test(auth.bearer)) throw bad('auth.bearer', 'expected a token without spaces');
        this.authorization = `Bearer ${auth.bearer}`;
      }
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    if (!Number.isFinite(this.requestTimeoutMs) || this.requestTimeoutMs <= 0) throw bad('requestTimeoutMs', `expected a number > 0, got ${String(options.requestTimeoutMs)}`);
    if (options.exchange !== undefined) {
      this.exchange = options.exchange;
    } else {
      this.ownExchange = createHttpExchange();
      this.exchange = this.ownExchange;
    }
  }

  /**
   * Closes the idle keep-alive connections of the exchange this transport created (an
   * exchange passed in the options is left to its owner). Call it once the worker has
   * stopped; a later request opens a new connection.
   */
  close(): void {
    this.ownExchange?.close();
  }

  // ------------------------------------------------------------------ HTTP

  /**
   * Sends one request. Resolves with the answer whatever its status; rejects with
   * ENGINE_UNREACHABLE when no answer came (refused, reset, timeout), or with the
   * caller's abort reason when `signal` aborted.
   */
  private async send(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: method === 'GET' ? '*/*' : 'application/json' };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    let text: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      text = JSON.stringify(body);
    }
    const request: HttpRequest = { method, url, headers, timeoutMs };
    if (text !== undefined) request.body = text;
    if (signal !== undefined) request.signal = signal;
    try {
      return await this.exchange(request);
    } catch (e) {
      if (signal?.aborted === true) throw signal.reason;
      if (isHttpTimeout(e)) {
        throw new ProcosError(WorkerErrors.ENGINE_UNREACHABLE, `${method} ${url}: no answer within ${timeoutMs} ms`, { url, reason: 'timeout' }, { cause: e });
      }
      const reason = networkReason(e);
      throw new ProcosError(WorkerErrors.ENGINE_UNREACHABLE, `${method} ${url}: the engine cannot be reached (${reason})`, { url, reason }, { cause: e });
    }
  }

  /** The JSON body of an answer. @throws ENGINE_BAD_ANSWER when it is not `application/json` or not JSON. */
  private json(a: HttpAnswer, url: string): unknown {
    if (!isJsonType(a.contentType)) {
      throw new ProcosError(WorkerErrors.ENGINE_BAD_ANSWER, `${url}: expected a JSON answer (Content-Type application/json), got ${a.contentType ?? 'no Content-Type'} with status ${a.status}`, {
        url,
        status: a.status,
      });
    }
    try {
      return JSON.parse(a.body.toString('utf8')) as unknown;
    } catch (e) {
      throw new ProcosError(WorkerErrors.ENGINE_BAD_ANSWER, `${url}: the answer is not valid JSON (${messageOf(e)})`, { url, status: a.status }, { cause: e });
    }
  }

  /** The coded error of a non-2xx answer (`taskId` when the request was about one task). */
  private failure(a: HttpAnswer, method: string, path: string, taskId?: string): ProcosError {
    const url = `${this.baseUrl}${path}`;
    let engineType: string | null = null;
    let engineMessage: string | null = null;
    let procosCode: string | null = null;
    if (isJsonType(a.contentType)) {
      try {
        const b = JSON.parse(a.body.toString('utf8')) as unknown;
        if (isRecord(b)) {
          engineType = typeof b.type === 'string' ? b.type : null;
          engineMessage = typeof b.message === 'string' ? b.message : null;
          procosCode = typeof b.procosCode === 'string' ? b.procosCode : null;
        }
      } catch {
        // an unreadable error body: the status says enough
      }
    }
    const said = engineMessage === null ? `status ${a.status}` : `${a.status} ${engineType ?? ''}: ${engineMessage}`.replace(' :', ':');
    const what = `${method} ${url} failed with ${said}`;
    const details = { url, status: a.status, engineType, engineMessage, ...(taskId !== undefined ? { taskId } : {}) };
    if (a.status >= 500) return new ProcosError(WorkerErrors.ENGINE_UNREACHABLE, what, { ...details, reason: `status ${a.status}` });
    if (a.status === 401 || a.status === 403) return new ProcosError(WorkerErrors.ENGINE_UNAUTHORIZED, `${what}; check the worker's engine credentials`, details);
    if (taskId !== undefined && a.status === 404) return new ProcosError(WorkerErrors.TASK_GONE, `external task ${taskId} is gone: ${what}`, details);
    if (taskId !== undefined && a.status === 400 && (procosCode === 'PROCOS_RUNTIME_EXTERNAL_TASK_LOCKED' || /lock/i.test(engineMessage ?? ''))) {
      return new ProcosError(WorkerErrors.LOCK_LOST, `external task ${taskId} is not locked by this worker: ${what}`, details);
    }
    return new ProcosError(WorkerErrors.ENGINE_REFUSED, what, details);
  }

  /** POSTs a task command; resolves on 2xx. */
  private async command(taskId: string, action: string, body: unknown): Promise<void> {
    const path = `/external-task/${encodeURIComponent(taskId)}/${action}`;
    const a = await this.send('POST', path, body, this.requestTimeoutMs);
    if (a.status < 200 || a.status >= 300) throw this.failure(a, 'POST', path, taskId);
  }

  // ------------------------------------------------------------------ the protocol

  /**
   * Fetches and locks tasks (`POST /external-task/fetchAndLock`), long polling up to
   * `asyncResponseTimeout`. Resolves with no tasks when `signal` aborts.
   */
  async fetchAndLock(request: FetchRequest, signal?: AbortSignal): Promise<LockedTask[]> {
    const aborted = (): boolean => signal?.aborted === true;
    if (aborted()) return [];
    const path = '/external-task/fetchAndLock';
    const body = {
      workerId: request.workerId,
      maxTasks: request.maxTasks,
      ...(request.usePriority !== undefined ? { usePriority: request.usePriority } : {}),
      ...(request.asyncResponseTimeout !== undefined ? { asyncResponseTimeout: request.asyncResponseTimeout } : {}),
      topics: request.topics.map((t) => ({
        topicName: t.topicName,
        lockDuration: t.lockDuration,
        ...(t.variables !== undefined ? { variables: t.variables } : {}),
        ...(t.localVariables !== undefined ? { localVariables: t.localVariables } : {}),
        ...(t.processDefinitionKey !== undefined ? { processDefinitionKey: t.processDefinitionKey } : {}),
        ...(t.processDefinitionKeyIn !== undefined ? { processDefinitionKeyIn: t.processDefinitionKeyIn } : {}),
        ...(t.businessKey !== undefined ? { businessKey: t.businessKey } : {}),
      })),
    };
    let a: HttpAnswer;
    try {
      a = await this.send('POST', path, body, (request.asyncResponseTimeout ?? 0) + this.requestTimeoutMs, signal);
    } catch (e) {
      if (aborted()) return [];
      throw e;
    }
    if (a.status !== 200) throw this.failure(a, 'POST', path);
    const list = this.json(a, `${this.baseUrl}${path}`);
    if (!Array.isArray(list)) throw new ProcosError(WorkerErrors.ENGINE_BAD_ANSWER, `POST ${this.baseUrl}${path}: expected a list of tasks`, { url: `${this.baseUrl}${path}`, status: a.status });
    const local = new Map(request.topics.map((t) => [t.topicName, t.localVariables === true]));
    const tasks: LockedTask[] = [];
    for (const dto of list) {
      const task = await this.lockedTask(dto, request.workerId, local);
      if (task !== null) tasks.push(task);
    }
    return tasks;
  }

  /**
   * A LockedExternalTaskDto → a {@link LockedTask}, File contents downloaded. A task whose
   * variables cannot be read is failed with 0 retries and dropped (null).
   */
  private async lockedTask(dto: unknown, workerId: string, local: ReadonlyMap<string, boolean>): Promise<LockedTask | null> {
    const url = `${this.baseUrl}/external-task/fetchAndLock`;
    if (!isRecord(dto)) throw new ProcosError(WorkerErrors.ENGINE_BAD_ANSWER, `${url}: a task is not an object`, { url, status: 200 });
    const str = (k: string): string => {
      const v = dto[k];
      if (typeof v !== 'string' || v === '') throw new ProcosError(WorkerErrors.ENGINE_BAD_ANSWER, `${url}: a task has no ${k}`, { url, status: 200 });
      return v;
    };
    const optStr = (k: string): string | null => (typeof dto[k] === 'string' ? (dto[k] as string) : null);
    const optNum = (k: string): number | null => (typeof dto[k] === 'number' && Number.isFinite(dto[k]) ? (dto[k] as number) : null);
    const id = str('id');
    const processInstanceId = str('processInstanceId');
    const executionId = optStr('executionId');
    const lockExpiration = optStr('lockExpirationTime');
    let variables: Variables;
    try {
      variables = fromTypedVariables(dto.variables ?? {}, 'variables') ?? {};
      variables = await this.withFileContents(variables, processInstanceId, local.get(str('topicName')) === true ? executionId : null, executionId);
    } catch (e) {
      if (!(e instanceof CamundaValueError) && !isProcosError(e, WorkerErrors.BAD_VARIABLE)) throw e;
      await this.dropUnreadable(id, workerId, e);
      return null;
    }
    return {
      id,
      topicName: str('topicName'),
      workerId: optStr('workerId') ?? workerId,
      lockExpirationTime: (lockExpiration === null ? null : parseDate(lockExpiration)) ?? 0,
      retries: optNum('retries'),
      priority: optNum('priority') ?? 0,
      processInstanceId,
      processDefinitionId: optStr('processDefinitionId') ?? '',
      processDefinitionKey: optStr('processDefinitionKey') ?? '',
      activityId: optStr('activityId') ?? '',
      activityInstanceId: optStr('activityInstanceId') ?? '',
      businessKey: optStr('businessKey'),
      errorMessage: optStr('errorMessage'),
      variables,
    };
  }

  /**
   * Downloads the content of File variables the answer left out (Camunda answers File
   * values without content). Tries the scope the task's variables were fetched from
   * first: its execution with `localVariables`, else the process instance; then the other.
   */
  private async withFileContents(vars: Variables, processInstanceId: string, localScope: string | null, executionId: string | null): Promise<Variables> {
    const out: Variables = { ...vars };
    for (const [name, value] of Object.entries(vars)) {
      if (!isFileWithoutContent(value)) continue;
      const scopes = [...new Set([localScope ?? processInstanceId, processInstanceId, ...(executionId !== null ? [executionId] : [])])];
      let content: Uint8Array | null = null;
      let last: ProcosError | null = null;
      for (const scope of scopes) {
        const path = `/execution/${encodeURIComponent(scope)}/localVariables/${encodeURIComponent(name)}/data`;
        const a = await this.send('GET', path, undefined, this.requestTimeoutMs);
        if (a.status === 200) {
          content = a.body;
          break;
        }
        last = this.failure(a, 'GET', path);
        if (a.status !== 404) break;
      }
      if (content === null) {
        if (last !== null && !isProcosError(last, WorkerErrors.ENGINE_REFUSED)) throw last;
        throw new ProcosError(WorkerErrors.BAD_VARIABLE, `the content of File variable '${name}' cannot be read from the engine: ${last?.message ?? 'no scope to read it from'}`, {
          variable: name,
          type: 'File',
        });
      }
      out[name] = withFileContent(value, content);
    }
    return out;
  }

  /** Fails a fetched task whose variables cannot be read (0 retries: an incident naming the variable); best effort. */
  private async dropUnreadable(taskId: string, workerId: string, e: unknown): Promise<void> {
    const variable = e instanceof CamundaValueError ? e.variable : isProcosError(e) ? String(e.details.variable) : 'unknown';
    const message = `${WorkerErrors.BAD_VARIABLE.code}: variable '${variable}' of external task ${taskId} cannot be read by this worker: ${messageOf(e)}`;
    try {
      await this.handleFailure(taskId, workerId, { errorMessage: message, retries: 0, retryTimeout: 0 });
    } catch {
      // The lock expires and the task is offered again; the next fetch fails it again.
    }
  }

  /** Completes a task held by `workerId`, with variables (process scope) and local variables. */
  async complete(taskId: string, workerId: string, variables?: Variables, localVariables?: Variables): Promise<void> {
    await this.command(taskId, 'complete', {
      workerId,
      ...(variables !== undefined ? { variables: typed(variables) } : {}),
      ...(localVariables !== undefined ? { localVariables: typed(localVariables) } : {}),
    });
  }

  /** Reports a technical failure; 0 retries raises an incident. */
  async handleFailure(taskId: string, workerId: string, failure: FailureReport): Promise<void> {
    await this.command(taskId, 'failure', {
      workerId,
      errorMessage: failure.errorMessage,
      ...(failure.errorDetails !== undefined ? { errorDetails: failure.errorDetails } : {}),
      retries: failure.retries,
      retryTimeout: failure.retryTimeout,
    });
  }

  /** Reports a BPMN error, caught by a matching error boundary event. */
  async handleBpmnError(taskId: string, workerId: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    await this.command(taskId, 'bpmnError', {
      workerId,
      errorCode,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(variables !== undefined ? { variables: typed(variables) } : {}),
    });
  }

  /** Sets the lock to `newDuration` ms from now. */
  async extendLock(taskId: string, workerId: string, newDuration: number): Promise<void> {
    await this.command(taskId, 'extendLock', { workerId, newDuration });
  }

  /** Releases the lock (no body, no Content-Type, as Camunda's clients send it). */
  async unlock(taskId: string): Promise<void> {
    await this.command(taskId, 'unlock', undefined);
  }
}

/** Plain JSON variables → Camunda typed values as a client sends them (File content included). */
function typed(vars: Variables): Record<string, JsonValue> {
  return toTypedVariables(vars, { fileContent: true }) as unknown as Record<string, JsonValue>;
}
