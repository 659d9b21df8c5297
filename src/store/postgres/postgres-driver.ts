/**
 * PostgreSQL driver on a `pg.Pool`.
 *
 * - `write` programs run on one pooled connection between `BEGIN` and `COMMIT`
 *   (READ COMMITTED; guarded writes and `FOR UPDATE SKIP LOCKED` make that enough).
 * - `read` and `autocommit` programs run statement by statement on any connection.
 * - Statements with parameters are named prepared statements (name = hash of the SQL
 *   text), so each connection parses and plans them once.
 * - BIGINT (int8) and COUNT(*) values come back as JavaScript numbers (times in ms and
 *   counts stay far below 2^53).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { isProcosError, ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import { POSTGRES } from '../sql/dialect.js';
import type { RunMode, SqlDriver } from '../sql/driver.js';
import { driveAsync, type Row, type Stmt, type StmtResult, type TxProgram } from '../sql/program.js';

/** Compiled PostgreSQL settings (see `compileStoreUrl`). */
export interface PostgresConfig {
  readonly kind: 'postgres';
  readonly connectionString: string;
  readonly maxConnections: number;
  /** ms. */
  readonly connectionTimeoutMs: number;
  /** ms. */
  readonly idleTimeoutMs: number;
  readonly onIdleError: (error: Error) => void;
}

const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** PostgreSQL error codes (SQLSTATE) the store translates. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const BUSY_CODES = new Set(['40001', '40P01', '55P03']);
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Translates a pg / socket error to a StoreErrors ProcosError. */
export function translatePgError(e: unknown): ProcosError {
  if (isProcosError(e)) return e;
  if (e instanceof pg.DatabaseError) {
    const code = e.code ?? '';
    const details = { driverCode: code, constraint: e.constraint ?? null };
    if (code === UNIQUE_VIOLATION) return new ProcosError(StoreErrors.ALREADY_EXISTS, `already exists: ${e.message}`, details, { cause: e });
    if (code === FOREIGN_KEY_VIOLATION) return new ProcosError(StoreErrors.REFERENCE_MISSING, `a referenced row does not exist: ${e.message}`, details, { cause: e });
    if (code.startsWith('23') || code.startsWith('22')) return new ProcosError(StoreErrors.BAD_ARGUMENT, `a value is not allowed: ${e.message}`, details, { cause: e });
    if (BUSY_CODES.has(code)) return new ProcosError(StoreErrors.BUSY, `PostgreSQL: ${e.message}`, details, { cause: e });
    // 08: connection exception, 28: invalid authorization, 3D000: no such database
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('28') || code === '3D000') return new ProcosError(StoreErrors.UNAVAILABLE, `PostgreSQL: ${e.message}`, details, { cause: e });
    return new ProcosError(StoreErrors.DATABASE_ERROR, `PostgreSQL: ${e.message}`, details, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  const errno = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  if ((errno !== undefined && errno.startsWith('E')) || /Connection terminated|timeout exceeded when trying to connect|connect ECONN/i.test(message)) {
    return new ProcosError(StoreErrors.UNAVAILABLE, `PostgreSQL is unreachable: ${message}`, { driverCode: errno ?? null }, { cause: e });
  }
  return new ProcosError(StoreErrors.DATABASE_ERROR, `PostgreSQL: ${message}`, {}, { cause: e });
}

/** `?` placeholders → `$1, $2, …` (the SQL has no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A `pg.Pool` running programs. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = POSTGRES;
  private readonly pool: pg.Pool;
  private readonly texts = new Map<string, { text: string; name: string }>();
  /** Stops of the running {@link PostgresDriver.listen}s. */
  private readonly listeners = new Set<() => Promise<void>>();
  private closed = false;

  constructor(private readonly config: PostgresConfig) {
    this.pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.maxConnections,
      connectionTimeoutMillis: config.connectionTimeoutMs,
      idleTimeoutMillis: config.idleTimeoutMs,
      application_name: 'procos',
      types,
    });
    this.pool.on('error', (e) => config.onIdleError(e));
  }

  private query(s: Stmt): pg.QueryConfig<unknown[]> {
    let t = this.texts.get(s.sql);
    if (t === undefined) {
      if (this.texts.size >= 2000) this.texts.clear();
      t = { text: numbered(s.sql), name: 'procos_' + createHash('sha1').update(s.sql).digest('hex').slice(0, 24) };
      this.texts.set(s.sql, t);
    }
    return s.params.length === 0 ? { text: t.text } : { text: t.text, name: t.name, values: [...s.params] };
  }

  private async execOn(client: pg.Pool | pg.PoolClient, s: Stmt): Promise<StmtResult> {
    // A parameterless text with several statements (migrations) yields one result each.
    const result: pg.QueryResult<Row> | pg.QueryResult<Row>[] = await client.query<Row>(this.query(s));
    const r = Array.isArray(result) ? result[result.length - 1] : result;
    if (r === undefined) return { rows: [], changes: 0 };
    return { rows: r.rows, changes: r.rowCount ?? r.rows.length };
  }

  private async inTransaction<R>(program: TxProgram<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await driveAsync(program, (s) => this.execOn(client, s));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  async run<R>(program: TxProgram<R>, mode: RunMode): Promise<R> {
    if (this.closed) throw new ProcosError(StoreErrors.CLOSED, 'the store is closed');
    try {
      return mode === 'write' ? await this.inTransaction(program) : await driveAsync(program, (s) => this.execOn(this.pool, s));
    } catch (e) {
      throw translatePgError(e);
    }
  }

  /**
   * `LISTEN channel` on a connection of its own (not from the pool, whose idle timeout
   * would close it). A lost connection is made again after {@link RELISTEN_DELAY_MS} (then
   * `onPayload(null)`: payloads sent meanwhile were missed) until the returned function
   * or {@link PostgresDriver.close} stops it.
   * @throws PROCOS_STORE_BAD_ARGUMENT for a channel that is not a plain identifier;
   *   PROCOS_STORE_UNAVAILABLE when the first connection fails.
   */
  async listen(channel: string, onPayload: (payload: string | null) => void): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new ProcosError(StoreErrors.BAD_ARGUMENT, `channel must be a lower-case identifier, got ${JSON.stringify(channel)}`, { field: 'channel' });
    if (this.closed) throw new ProcosError(StoreErrors.CLOSED, 'the store is closed');
    let stopped = false;
    let client: pg.Client | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.config.connectionString, connectionTimeoutMillis: this.config.connectionTimeoutMs, application_name: 'procos-listen' });
      c.on('notification', (m) => {
        if (m.channel === channel) onPayload(m.payload ?? '');
      });
      c.on('error', (e) => {
        this.config.onIdleError(e);
        if (client === c) reconnect();
      });
      c.on('end', () => {
        if (client === c) reconnect();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${channel}`);
      } catch (e) {
        await c.end().catch(() => undefined);
        throw e;
      }
      client = c;
    };
    const reconnect = (): void => {
      const old = client;
      client = undefined;
      old?.end().catch(() => undefined);
      if (stopped || this.closed || retry !== undefined) return;
      retry = setTimeout(() => {
        retry = undefined;
        if (stopped || this.closed) return;
        connect().then(
          () => onPayload(null),
          (e: unknown) => {
            this.config.onIdleError(e instanceof Error ? e : new Error(String(e)));
            reconnect();
          },
        );
      }, RELISTEN_DELAY_MS);
      retry.unref();
    };
    try {
      await connect();
    } catch (e) {
      throw translatePgError(e);
    }
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      this.listeners.delete(stop);
      if (retry !== undefined) clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    };
    this.listeners.add(stop);
    // close() ran while the connection was being made: it could not stop this one.
    if (this.closed) await stop();
    return stop;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.listeners].map((stop) => stop()));
    await this.pool.end();
  }
}

/** Delay before a lost LISTEN connection is made again, ms. */
export const RELISTEN_DELAY_MS = 1000;
