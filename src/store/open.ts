/**
 * `openStore(url)`: the one way in. Validates the URL and options once
 * (`compileStoreUrl`), opens the driver, runs migrations, returns the {@link Store}.
 */
import { ProcosError } from '../common/errors.js';
import { StoreErrors } from './errors.js';
import { PostgresDriver, type PostgresConfig } from './postgres/postgres-driver.js';
import type { SqlDriver } from './sql/driver.js';
import { migrate } from './sql/migrate.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteDriver, type SqliteConfig } from './sqlite/sqlite-driver.js';
import type { OpenStoreOptions, SqliteSynchronous, Store } from './types.js';

/** Validated store settings: what the drivers receive. */
export type CompiledStoreConfig = SqliteConfig | PostgresConfig;

const SYNCHRONOUS: readonly SqliteSynchronous[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

function badUrl(url: string, message: string, parameter?: string): ProcosError {
  return new ProcosError(StoreErrors.BAD_URL, `store URL ${redact(url)}: ${message}`, parameter === undefined ? { url: redact(url) } : { url: redact(url), parameter });
}

function badOption(field: string, value: unknown, expected: string): ProcosError {
  return new ProcosError(StoreErrors.BAD_OPTION, `option ${field} must be ${expected}, got ${String(value)}`, { field, value: String(value) });
}

/** Hides a password in a URL for messages. */
function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function synchronousOf(value: string, onBad: () => ProcosError): SqliteSynchronous {
  const upper = value.toUpperCase();
  const found = SYNCHRONOUS.find((s) => s === upper);
  if (found === undefined) throw onBad();
  return found;
}

function msOption(field: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw badOption(field, value, `an integer >= ${min} (ms)`);
  return value;
}

function compileSqlite(url: string, options: OpenStoreOptions): SqliteConfig {
  const rest = url.slice('sqlite:'.length);
  const q = rest.indexOf('?');
  let path = q === -1 ? rest : rest.slice(0, q);
  if (path.startsWith('//')) path = path.slice(2);
  if (path.length === 0) throw badUrl(url, 'the SQLite path is empty (use sqlite:./procos.db or sqlite::memory:)');

  const o = options.sqlite ?? {};
  let synchronous: SqliteSynchronous =
    o.synchronous === undefined ? 'NORMAL' : synchronousOf(o.synchronous, () => badOption('sqlite.synchronous', o.synchronous, SYNCHRONOUS.join(' | ')));
  let busyTimeoutMs = msOption('sqlite.busyTimeoutMs', o.busyTimeoutMs, 5000, 0);

  const params = new URLSearchParams(q === -1 ? '' : rest.slice(q + 1));
  for (const [name, value] of params) {
    if (name === 'synchronous') {
      synchronous = synchronousOf(value, () => badUrl(url, `synchronous must be one of ${SYNCHRONOUS.join(', ')}`, name));
    } else if (name === 'busyTimeout' || name === 'busy_timeout') {
      if (!/^\d+$/.test(value)) throw badUrl(url, `${name} must be a number of milliseconds`, name);
      busyTimeoutMs = Number(value);
    } else {
      throw badUrl(url, `unknown parameter ${name} (known: synchronous, busyTimeout)`, name);
    }
  }
  return { kind: 'sqlite', path, synchronous, busyTimeoutMs };
}

function compilePostgres(url: string, options: OpenStoreOptions): PostgresConfig {
  const o = options.postgres ?? {};
  const maxConnections = msOption('postgres.maxConnections', o.maxConnections, 10, 1);
  return {
    kind: 'postgres',
    connectionString: url,
    maxConnections,
    connectionTimeoutMs: msOption('postgres.connectionTimeoutMs', o.connectionTimeoutMs, 10_000, 0),
    idleTimeoutMs: msOption('postgres.idleTimeoutMs', o.idleTimeoutMs, 30_000, 0),
    onIdleError: o.onIdleError ?? (() => undefined),
  };
}

/**
 * Validates a store URL and options.
 *
 * - `sqlite:<path>` (relative or absolute; `sqlite:///abs/path` also works),
 *   `sqlite::memory:`; parameters `synchronous` (OFF | NORMAL | FULL | EXTRA, default
 *   NORMAL) and `busyTimeout` (ms, default 5000). URL parameters win over options.
 * - `postgres://…` / `postgresql://…`: a libpq-style URL, passed to pg as is.
 *
 * @throws PROCOS_STORE_BAD_URL unknown scheme, empty path, unknown or bad parameter.
 * @throws PROCOS_STORE_BAD_OPTION an option out of range.
 */
export function compileStoreUrl(url: string, options: OpenStoreOptions = {}): CompiledStoreConfig {
  if (url.startsWith('sqlite:')) return compileSqlite(url, options);
  if (/^postgres(ql)?:\/\//i.test(url)) return compilePostgres(url, options);
  throw badUrl(url, 'unknown scheme (use sqlite:<path>, sqlite::memory: or postgres://…)');
}

/**
 * Opens a store and brings its schema to the version this code knows.
 *
 * @param url `sqlite:./procos.db`, `sqlite:./x.db?synchronous=FULL`, `sqlite::memory:`,
 *   `postgres://user:pass@host:5432/db`. See {@link compileStoreUrl}.
 * @example
 * const store = await openStore('sqlite:.procos/procos.db');
 * try { … } finally { await store.close(); }
 * @throws PROCOS_STORE_BAD_URL / PROCOS_STORE_BAD_OPTION bad settings.
 * @throws PROCOS_STORE_SCHEMA_TOO_NEW the database was written by a newer ProcOS (not touched).
 * @throws PROCOS_STORE_MIGRATION_FAILED a migration failed (rolled back).
 * @throws PROCOS_STORE_UNAVAILABLE PostgreSQL cannot be reached; PROCOS_STORE_DATABASE_ERROR
 *   the SQLite file cannot be opened.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const config = compileStoreUrl(url, options);
  const driver: SqlDriver = config.kind === 'sqlite' ? new SqliteDriver(config) : new PostgresDriver(config);
  try {
    const version = await migrate(driver, Date.now());
    return new SqlStore(driver, version);
  } catch (e) {
    await driver.close();
    throw e;
  }
}
