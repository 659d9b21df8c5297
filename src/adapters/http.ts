/**
 * The `http` adapter: one HTTP request per task, built from configured values with
 * `${…}` lookups in the task's variables; the response becomes output variables.
 *
 * Config (YAML, under a route's `config`):
 * ```yaml
 * method: POST                       # GET (default) HEAD POST PUT PATCH DELETE OPTIONS
 * url: https://api.example/users/${userId}   # values percent-encoded, except a leading ${baseUrl}
 * headers: { Authorization: "Bearer ${token}", X-Api-Key: "${apiKey}" }
 * secretHeaders: [X-Api-Key]         # never logged; Authorization, Proxy-Authorization and Cookie never are
 * query: { expand: details, tag: ["${tagA}", "${tagB}"] }
 * body: { json: { name: "${user.name}", items: "${items}" } }   # or body: { text: "hello ${name}" }
 * timeout: 5000                      # ms, on top of the route's timeout
 * errorCodes: { "404": NOT_FOUND, "4xx": CLIENT_ERROR }   # status → BPMN error code
 * failOn: [500, "502-504", "5xx"]    # status → technical failure
 * responseType: auto                 # auto (JSON when content-type is JSON) | json | text
 * output: { status: status, headers: headers, body: body }  # variable names; null leaves one out
 * ```
 *
 * Outcomes: a status in `errorCodes` (exact match first, then the class `4xx`) is a BPMN
 * error carrying the output variables; else a status in `failOn` is a failure, retryable
 * for 408, 429 and 5xx; else the task completes with the output variables (whatever the
 * status). Network errors and timeouts are retryable failures; a missing template
 * variable, a bad URL, a response over `maxResponseBytes` or unparsable JSON are not.
 * Uses Node's built-in `fetch` (undici); redirects are followed.
 */
import { z } from 'zod';
import { isProcosError } from '../common/errors.js';
import type { JsonValue, Variables } from '../common/json.js';
import { jsonTemplate, outputName, templateString } from './config.js';
import { AdaptersErrors } from './errors.js';
import { renderJson, renderTemplate } from './template.js';
import type { Adapter, AdapterInput, AdapterResult, FailureResult } from './types.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Default cap of a response body, bytes (10 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Header names never logged, whatever the config says (lower case). */
export const ALWAYS_SECRET_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie'];

/** How much of an error response body goes into a failure's errorDetails, characters. */
const ERROR_DETAILS_CHARS = 4096;

const statusMatcher = z.union([
  z.int().min(100).max(599),
  z
    .string()
    .regex(/^(?:[1-5]\d\d(?:-[1-5]\d\d)?|[1-5]xx)$/, 'expected a status (500), a range ("500-504") or a class ("5xx")')
    .refine((s) => !s.includes('-') || Number(s.slice(0, 3)) <= Number(s.slice(4)), 'a range must go from low to high'),
]);

/** The zod schema of the `http` adapter config (see the module doc for the fields). */
export const httpConfigSchema = z
  .strictObject({
    method: z.enum(METHODS).default('GET'),
    url: templateString,
    headers: z.record(z.string().min(1), templateString).default({}),
    query: z.record(z.string().min(1), z.union([templateString, z.array(templateString)])).default({}),
    body: z.union([z.strictObject({ json: jsonTemplate }), z.strictObject({ text: templateString })]).optional(),
    /** Request timeout, ms. */
    timeout: z.int().positive().optional(),
    secretHeaders: z.array(z.string().min(1)).default([]),
    errorCodes: z.record(z.string().regex(/^(?:[1-5]\d\d|[1-5]xx)$/, 'expected a status ("404") or a class ("4xx")'), z.string().min(1)).default({}),
    failOn: z.array(statusMatcher).default([]),
    responseType: z.enum(['auto', 'json', 'text']).default('auto'),
    /** Largest accepted response body, bytes. */
    maxResponseBytes: z.int().positive().default(DEFAULT_MAX_RESPONSE_BYTES),
    output: z
      .strictObject({
        status: outputName.default('status'),
        headers: outputName.default('headers'),
        body: outputName.default('body'),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.body && (c.method === 'GET' || c.method === 'HEAD')) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${c.method} request cannot have a body` });
    }
  });

/** The parsed `http` adapter config. */
export type HttpConfig = z.output<typeof httpConfigSchema>;

/** The URL as logged and put in messages: no credentials, no query, no fragment. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function matchesStatus(status: number, matchers: HttpConfig['failOn']): boolean {
  return matchers.some((m) => {
    if (typeof m === 'number') return m === status;
    if (m.endsWith('xx')) return Math.floor(status / 100) === Number(m[0]);
    const [lo, hi] = m.includes('-') ? [Number(m.slice(0, 3)), Number(m.slice(4))] : [Number(m), Number(m)];
    return status >= lo && status <= hi;
  });
}

function isJsonContentType(contentType: string | null): boolean {
  return contentType !== null && /^application\/(?:[\w.-]+\+)?json\b|\+json\b/i.test(contentType);
}

/** Request headers with secret values replaced, for the log line. */
function redactHeaders(headers: Record<string, string>, secret: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = secret.has(k.toLowerCase()) ? '[redacted]' : v;
  return out;
}

interface BuiltRequest {
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Renders the `url` template. Values are percent-encoded (`encodeURIComponent`), so a
 * variable cannot change the URL's structure (`../`, `?`, `#`, `@`); only a placeholder
 * that starts the template (`${baseUrl}/users`) is inserted as it is.
 */
function renderUrl(template: string, variables: Variables): string {
  return renderTemplate(template, variables, (value, i) => (i === 0 ? value : encodeURIComponent(value)));
}

function buildRequest(config: HttpConfig, variables: Variables): BuiltRequest {
  const rendered = renderUrl(config.url, variables);
  if (!URL.canParse(rendered)) throw new RequestError(`URL "${rendered.replace(/\?.*$/, '?…')}" is not a valid absolute URL`);
  const url = new URL(rendered);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError(`URL scheme "${url.protocol}" is not http: or https:`);
  for (const [name, value] of Object.entries(config.query)) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, renderTemplate(v, variables));
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = renderTemplate(value, variables);
    try {
      new Headers([[name, headers[name]!]]);
    } catch {
      // The value may be a secret: name the header, never its value.
      throw new RequestError(`header "${name}" has an invalid name or value after templating`);
    }
  }
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (!config.body) return { url, headers };
  if ('json' in config.body) {
    if (!hasContentType) headers['content-type'] = 'application/json';
    return { url, headers, body: JSON.stringify(renderJson(config.body.json as JsonValue, variables)) };
  }
  if (!hasContentType) headers['content-type'] = 'text/plain; charset=utf-8';
  return { url, headers, body: renderTemplate(config.body.text, variables) };
}

/** A request that cannot be built from the config and variables (not retryable). */
class RequestError extends Error {}

/** Reads a body up to `max` bytes; undefined when it is larger. */
async function readCapped(res: Response, max: number): Promise<Buffer | undefined> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function parseBody(text: string, json: boolean): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (!json) return { ok: true, value: text };
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The message of a network error: undici's cause (`connect ECONNREFUSED 127.0.0.1:9`) when there is one. */
function networkMessage(e: unknown): string {
  if (e instanceof Error && e.cause instanceof Error) return e.cause.message;
  return e instanceof Error ? e.message : String(e);
}

function reasonText(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : String(r);
}

async function execute(input: AdapterInput<HttpConfig>): Promise<AdapterResult> {
  const { config, variables, signal } = input;
  const method = config.method;
  let req: BuiltRequest;
  try {
    req = buildRequest(config, variables);
  } catch (e) {
    if (isProcosError(e)) return { kind: 'failure', code: e.code, errorMessage: e.message, retryable: false };
    const message = e instanceof Error ? e.message : String(e);
    return { kind: 'failure', code: AdaptersErrors.HTTP_BAD_EXCHANGE.code, errorMessage: `${method}: ${message}`, retryable: false };
  }
  const where = `${method} ${safeUrl(req.url)}`;
  const secret = new Set([...ALWAYS_SECRET_HEADERS, ...config.secretHeaders.map((h) => h.toLowerCase())]);
  const log: Record<string, JsonValue> = { method, url: safeUrl(req.url), requestHeaders: redactHeaders(req.headers, secret) };
  const fail = (spec: { code: string }, errorMessage: string, retryable: boolean, errorDetails?: string): FailureResult => ({
    kind: 'failure',
    code: spec.code,
    errorMessage,
    retryable,
    log,
    ...(errorDetails !== undefined ? { errorDetails } : {}),
  });

  const timeout = new AbortController();
  const timer = config.timeout !== undefined ? setTimeout(() => timeout.abort(new Error('timeout')), config.timeout) : undefined;
  try {
    let res: Response;
    let bytes: Buffer | undefined;
    try {
      res = await fetch(req.url, {
        method,
        headers: req.headers,
        signal: AbortSignal.any([signal, timeout.signal]),
        ...(req.body !== undefined ? { body: req.body } : {}),
      });
      bytes = await readCapped(res, config.maxResponseBytes);
    } catch (e) {
      if (timeout.signal.aborted) return fail(AdaptersErrors.HTTP_TIMEOUT, `${where} timed out after ${config.timeout} ms`, true);
      if (signal.aborted) return fail(AdaptersErrors.ABORTED, `${where} aborted: ${reasonText(signal)}`, true);
      return fail(AdaptersErrors.HTTP_NETWORK, `${where} failed: ${networkMessage(e)}`, true);
    }
    log.status = res.status;
    if (bytes === undefined) {
      return fail(AdaptersErrors.HTTP_BAD_EXCHANGE, `${where}: response body larger than ${config.maxResponseBytes} bytes`, false);
    }
    const text = new TextDecoder().decode(bytes);
    const status = res.status;
    const wantJson = config.responseType === 'json' || (config.responseType === 'auto' && isJsonContentType(res.headers.get('content-type')));
    const parsed = parseBody(text, wantJson);

    const outputs: Variables = {};
    const names = config.output;
    if (names.status !== null) outputs[names.status] = status;
    if (names.headers !== null) outputs[names.headers] = Object.fromEntries(res.headers.entries());
    if (names.body !== null) outputs[names.body] = parsed.ok ? parsed.value : text;

    const errorCode = config.errorCodes[String(status)] ?? config.errorCodes[`${Math.floor(status / 100)}xx`];
    if (errorCode !== undefined) {
      return { kind: 'bpmnError', errorCode, errorMessage: `HTTP ${status} from ${where}`, variables: outputs, log };
    }
    if (matchesStatus(status, config.failOn)) {
      const retryable = status >= 500 || status === 408 || status === 429;
      const statusText = res.statusText ? ` ${res.statusText}` : '';
      return fail(AdaptersErrors.HTTP_STATUS, `HTTP ${status}${statusText} from ${where}`, retryable, text.slice(0, ERROR_DETAILS_CHARS));
    }
    if (!parsed.ok) {
      return fail(AdaptersErrors.HTTP_BAD_EXCHANGE, `${where}: response body is not valid JSON (${parsed.error})`, false, text.slice(0, ERROR_DETAILS_CHARS));
    }
    return { kind: 'complete', variables: outputs, log };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * The `http` adapter. Never throws: every problem is a result (see the module doc).
 * Failure codes: `PROCOS_ADAPTERS_HTTP_NETWORK`, `…_HTTP_TIMEOUT`, `…_HTTP_STATUS`,
 * `…_HTTP_BAD_EXCHANGE`, `…_ABORTED`, `…_TEMPLATE_VARIABLE_MISSING`.
 */
export const httpAdapter: Adapter<HttpConfig> = {
  name: 'http',
  configSchema: httpConfigSchema,
  execute,
};
