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
  private closed = false;

  constructor(config: PostgresConfig) {
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
