/**
 * Test servers for the engine-rest API: a real store (a SQLite file in a temp dir by
 * default, or PostgreSQL), a runtime, and the Fastify server listening on 127.0.0.1 on
 * a free port. Requests go over real HTTP (undici `fetch`).
 */
import { readFile } from 'node:fs/promises';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildEngineRestServer } from '../../src/api/index.js';
import type { EngineRestOptions } from '../../src/api/index.js';
import { Runtime } from '../../src/runtime/index.js';
import type { Store } from '../../src/store/index.js';
import { startPostgres } from '../helpers/postgres-server.js';
import type { PostgresServer } from '../helpers/postgres-server.js';
import { storeKinds } from '../helpers/stores.js';
import type { StoreKind } from '../helpers/stores.js';

/**
 * When a test file runs alone (no PROCOS_TEST_PG_URL from scripts/run-tests.mjs), these
 * helpers start the PostgreSQL server themselves and stop it last, a moment after the
 * store helpers closed their pools: pg-pool's `end()` resolves before the sockets are
 * closed, and stopping the server in that moment kills a closing connection with an
 * uncaught "terminating connection due to administrator command".
 */
let ownPostgres: Promise<PostgresServer> | undefined;

async function sharedPostgres(): Promise<void> {
  if (process.env['PROCOS_TEST_PG_URL'] !== undefined && process.env['PROCOS_TEST_PG_URL'] !== '' && ownPostgres === undefined) return;
  ownPostgres ??= startPostgres();
  process.env['PROCOS_TEST_PG_URL'] = (await ownPostgres).url;
}

after(async () => {
  if (ownPostgres === undefined) return;
  const pg = await ownPostgres;
  await new Promise((r) => setTimeout(r, 250));
  await pg.stop();
});

/** A running engine-rest server on a fresh database. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/engine-rest` */
  readonly url: string;
  readonly runtime: Runtime;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Closes server, runtime and store, and drops the database. */
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions extends Omit<Partial<EngineRestOptions>, 'runtime'> {
  /** @default SQLite */
  kind?: StoreKind;
}

/** The SQLite store kind (the default of the tests). */
export const sqliteKind: StoreKind = storeKinds().find((k) => k.name === 'sqlite')!;

/** Starts a server on a fresh database. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const { kind = sqliteKind, ...rest } = options;
  if (kind.name === 'postgres') await sharedPostgres();
  const opened = await kind.open();
  const runtime = new Runtime(opened.store);
  const app = await buildEngineRestServer({ ...rest, runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/engine-rest`,
    runtime,
    store: opened.store,
    app,
    async close() {
      await app.close();
      runtime.close();
      await opened.cleanup();
    },
  };
}

/** A fixture file of test/fixtures/api as text. */
export function fixture(name: string): Promise<string> {
  return readFile(new URL(`../../../test/fixtures/api/${name}`, import.meta.url), 'utf8');
}

/** Deploys fixtures through the runtime (for tests not about deploying). */
export async function deployFixtures(server: TestServer, ...names: string[]): Promise<void> {
  const resources = await Promise.all(names.map(async (name) => ({ name, content: await fixture(name) })));
  await server.runtime.deploy({ name: 'fixtures', resources });
}

/** An HTTP answer. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is empty or not JSON). */
  body: unknown;
}

/** Options of {@link call}. */
export interface CallOptions {
  /** A JSON body (sent with Content-Type application/json). */
  json?: unknown;
  /** A raw body. */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** One HTTP request to the server; `path` is below `/engine-rest` unless it starts with `http`. */
export async function call(server: TestServer, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** The body as a record (asserting it is one). */
export function obj(a: Answer): Record<string, unknown> {
  if (typeof a.body !== 'object' || a.body === null || Array.isArray(a.body)) throw new Error(`expected a JSON object, got ${a.status} ${a.text}`);
  return a.body as Record<string, unknown>;
}

/** The body as a list of records (asserting it is one). */
export function list(a: Answer): Record<string, unknown>[] {
  if (!Array.isArray(a.body)) throw new Error(`expected a JSON array, got ${a.status} ${a.text}`);
  return a.body as Record<string, unknown>[];
}

/** Waits until `check` holds (polling every 10 ms), or fails after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts a process instance over the API (`POST /process-definition/key/{key}/start`) and returns its id. */
export async function startProcess(server: TestServer, key: string, body: Record<string, unknown> = {}): Promise<string> {
  const a = await call(server, 'POST', `/process-definition/key/${key}/start`, { json: body });
  if (a.status !== 200) throw new Error(`start ${key}: ${a.status} ${a.text}`);
  return String(obj(a).id);
}

/** Fetches and locks tasks of one topic for a worker (no long polling). */
export async function fetchTasks(server: TestServer, topicName: string, workerId = 'w1', extra: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
  const a = await call(server, 'POST', '/external-task/fetchAndLock', { json: { workerId, maxTasks: 10, topics: [{ topicName, lockDuration: 60_000 }], ...extra } });
  if (a.status !== 200) throw new Error(`fetchAndLock ${topicName}: ${a.status} ${a.text}`);
  return list(a);
}
