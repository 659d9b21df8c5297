/**
 * One HTTP request → one answer, over node:http / node:https with keep-alive connections:
 * what {@link RestTransport} sends its requests with. A plain function type, so a caller
 * can wrap it to observe requests and answers (tests, benchmarks):
 *
 * ```ts
 * const inner = createHttpExchange();
 * const counting: HttpExchange = async (request) => {
 *   const answer = await inner(request);
 *   if (request.url.endsWith('/fetchAndLock')) fetches += 1;
 *   return answer;
 * };
 * const transport = new RestTransport({ baseUrl, exchange: counting });
 * // … when done: inner.close();
 * ```
 *
 * Why not `fetch`: a worker sends a few small requests per task (fetchAndLock, complete,
 * lock extensions), and in a profile of `procos worker` undici's `fetch` cost about
 * 0.7 ms of CPU per completed task (its internals, web streams, `AbortSignal.any` /
 * `AbortSignal.timeout` per request, the garbage they leave). Unlike `fetch`, redirects
 * are not followed: a 3xx is an answer like any other.
 */
import http from 'node:http';
import https from 'node:https';

/** One request of an {@link HttpExchange}. */
export interface HttpRequest {
  /** The HTTP method. */
  method: 'GET' | 'POST';
  /** The absolute `http:` or `https:` URL, query string included. */
  url: string;
  /** Request headers, lower-case names. `content-length` is set by the exchange. */
  headers: Record<string, string>;
  /** The body, sent as UTF-8 with its `Content-Length`; none when undefined (a POST then sends `Content-Length: 0`). */
  body?: string;
  /** Longest time, ms, from the call until the whole answer body has arrived; then the request is destroyed. */
  timeoutMs: number;
  /** Aborts the request; the exchange then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** The answer to an {@link HttpRequest}, whatever its status. */
export interface HttpAnswer {
  /** The HTTP status code. */
  status: number;
  /** The `Content-Type` header as sent, parameters included; null when there was none. */
  contentType: string | null;
  /** The whole body (empty when there was none). */
  body: Buffer;
}

/**
 * Sends one request and resolves with its answer, whatever its status (4xx and 5xx
 * included). Rejects with:
 * - `request.signal.reason` when the signal aborted (before or during the request);
 * - an {@link HttpTimeoutError} (`code` {@link HTTP_TIMEOUT_CODE}) when the answer was not
 *   complete within `request.timeoutMs`;
 * - Node's own error, with its `code` (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, …),
 *   when the connection failed or broke before the answer was complete.
 */
export type HttpExchange = (request: HttpRequest) => Promise<HttpAnswer>;

/** The `code` of an {@link HttpTimeoutError}. */
export const HTTP_TIMEOUT_CODE = 'HTTP_EXCHANGE_TIMEOUT';

/** What an {@link HttpExchange} rejects with when no complete answer came within the request's `timeoutMs`. */
export class HttpTimeoutError extends Error {
  /** Always {@link HTTP_TIMEOUT_CODE}. */
  readonly code = HTTP_TIMEOUT_CODE;
  /** The request's `timeoutMs`. */
  readonly timeoutMs: number;

  constructor(method: string, url: string, timeoutMs: number) {
    super(`${method} ${url}: no complete answer within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** True when `e` is the timeout of an {@link HttpExchange} (an {@link HttpTimeoutError}, or any error with its `code`). */
export function isHttpTimeout(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === HTTP_TIMEOUT_CODE;
}

/** Options of {@link createHttpExchange}. */
export interface HttpExchangeOptions {
  /**
   * Most connections open at once per host (in use and idle). The worker bounds its own
   * concurrency (`parallel` tasks, one fetch), so there is no limit by default.
   * @default Infinity
   */
  maxSockets?: number;
  /** Most idle keep-alive connections kept per host. @default 256 */
  maxFreeSockets?: number;
  /**
   * How long an idle keep-alive connection is kept, ms, before the exchange closes it
   * (shorter when the server announces a shorter `Keep-Alive: timeout=…`). Kept below
   * the usual server keep-alive timeouts (Node 5 s, Tomcat 20 s), so a request is not
   * sent on a connection the server is closing at that moment (ECONNRESET). Also the
   * agent's socket idle timeout, which only emits an event on connections in use.
   * @default 4000
   */
  idleSocketTimeoutMs?: number;
}

/** An error carrying a Node-style `code`. */
function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * An {@link HttpExchange} over `http.request` / `https.request` (chosen by the URL's
 * protocol), each with its own keep-alive `Agent`: connections are reused across
 * requests, a new one is opened only when all open ones are busy.
 *
 * Per request: the body is written with an explicit `Content-Length`, the answer body is
 * collected as Buffer chunks, one `setTimeout` destroys the request after `timeoutMs`, and
 * the caller's `signal` gets one `abort` listener (`once`), removed when the request
 * settles.
 *
 * `close()` destroys the idle keep-alive connections of both agents (in-flight requests
 * are not affected; the exchange stays usable and opens new connections as needed).
 * Idle connections do not keep the process alive, so close() is about telling the
 * server at once, not about exiting.
 */
export function createHttpExchange(options: HttpExchangeOptions = {}): HttpExchange & { close(): void } {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? Infinity,
    maxFreeSockets: options.maxFreeSockets ?? 256,
    timeout: options.idleSocketTimeoutMs ?? 4000,
    scheduling: 'lifo',
  };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  const exchange: HttpExchange = (request) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const { method, url, signal, timeoutMs } = request;
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      let target: URL;
      try {
        target = new URL(url);
      } catch (e) {
        reject(e);
        return;
      }
      const protocol = target.protocol;
      if (protocol !== 'http:' && protocol !== 'https:') {
        reject(coded(`${method} ${url}: expected an http: or https: URL`, 'ERR_INVALID_PROTOCOL'));
        return;
      }
      const headers: Record<string, string | number> = { ...request.headers };
      const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
      if (body !== undefined) headers['content-length'] = body.length;
      else if (method === 'POST') headers['content-length'] = 0;

      let settled = false;
      /** Marks the request settled, once: clears the timer and the abort listener. False when it already was. */
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (e: unknown): void => {
        if (settle()) reject(e);
      };
      let req: http.ClientRequest | undefined;
      /**
       * Sends the request. A keep-alive connection the server closed just as it was
       * reused fails with ECONNRESET/EPIPE before any answer: then the request never
       * reached the server, and it is sent once more on a fresh connection (as the Node
       * docs advise for `request.reusedSocket`).
       */
      const attempt = (retried: boolean): void => {
        let answered = false;
        let current: http.ClientRequest;
        try {
          current = (protocol === 'https:' ? https.request : http.request)(target, { method, headers, agent: agents[protocol] }, (res) => {
            answered = true;
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', fail);
            res.on('end', () => {
              if (settle()) resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
            });
            res.on('close', () => {
              if (!res.complete) fail(coded(`${method} ${url}: the connection closed before the whole answer arrived`, 'ECONNRESET'));
            });
          });
        } catch (e) {
          // invalid headers (a value with a line break, …) throw at once
          fail(e);
          return;
        }
        req = current;
        current.on('error', (e: NodeJS.ErrnoException) => {
          const stale = !retried && !answered && !settled && current.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE');
          if (stale) attempt(true);
          else fail(e);
        });
        current.end(body);
      };
      const onAbort = (): void => {
        fail(signal!.reason);
        req?.destroy();
      };
      const timer = setTimeout(() => {
        fail(new HttpTimeoutError(method, url, timeoutMs));
        req?.destroy();
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      attempt(false);
    });

  const close = (): void => {
    for (const agent of Object.values(agents)) {
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of [...(sockets ?? [])]) socket.destroy();
      }
    }
  };
  return Object.assign(exchange, { close });
}
