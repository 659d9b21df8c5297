/**
 * SQLite driver on better-sqlite3 (synchronous, in-process).
 *
 * Connection settings (applied at open):
 * - `journal_mode = WAL`: readers never block the writer and vice versa (file databases).
 * - `synchronous` = NORMAL by default: with WAL, a commit survives a process crash; the
 *   last commits before a power loss or OS crash can be lost (the file is never
 *   corrupted). FULL/EXTRA fsync every commit (survives power loss, slower). OFF: no fsync.
 * - `busy_timeout`: how long a statement waits for another connection's write lock
 *   (another process on the same file) before PROCOS_STORE_BUSY.
 * - `foreign_keys = ON`.
 *
 * Statements are prepared once and cached by SQL text. A program runs synchronously
 * between `BEGIN IMMEDIATE` and `COMMIT`, so nothing else in this process can interleave
 * with it, and the write lock is taken up front (no lock-upgrade deadlocks).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isProcosError, ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import { SQLITE } from '../sql/dialect.js';
import type { RunMode, SqlDriver } from '../sql/driver.js';
import { driveSync, type Row, type SqlParam, type Stmt, type StmtResult, type TxProgram } from '../sql/program.js';
import type { SqliteSynchronous } from '../types.js';

/** Compiled SQLite settings (see `compileStoreUrl`). */
export interface SqliteConfig {
  readonly kind: 'sqlite';
  /** File path, or `:memory:`. */
  readonly path: string;
  readonly synchronous: SqliteSynchronous;
  /** ms. */
  readonly busyTimeoutMs: number;
}

/** Statements cached at most; beyond it the cache is emptied (dynamic filter shapes). */
const MAX_CACHED_STATEMENTS = 500;

type Prepared = Database.Statement<unknown[], unknown>;

/** Translates a better-sqlite3 error to a StoreErrors ProcosError. */
export function translateSqliteError(e: unknown): ProcosError {
  if (isProcosError(e)) return e;
  if (e instanceof Database.SqliteError) {
    const code = e.code;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
      return new ProcosError(StoreErrors.ALREADY_EXISTS, `already exists: ${e.message}`, { driverCode: code }, { cause: e });
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return new ProcosError(StoreErrors.REFERENCE_MISSING, `a referenced row does not exist: ${e.message}`, { driverCode: code }, { cause: e });
    }
    if (code.startsWith('SQLITE_CONSTRAINT')) {
      return new ProcosError(StoreErrors.BAD_ARGUMENT, `a value is not allowed: ${e.message}`, { driverCode: code }, { cause: e });
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new ProcosError(StoreErrors.BUSY, `the SQLite database is locked by another connection: ${e.message}`, { driverCode: code }, { cause: e });
    }
    return new ProcosError(StoreErrors.DATABASE_ERROR, `SQLite: ${e.message}`, { driverCode: code }, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ProcosError(StoreErrors.DATABASE_ERROR, `SQLite: ${message}`, {}, { cause: e });
}

function bind(p: SqlParam): string | number | null | Buffer {
  // Array parameters are PostgreSQL row sets (batch.ts); the SQLite dialect never asks for them.
  if (Array.isArray(p)) throw new Error('SQLite binds no array parameters');
  return typeof p === 'boolean' ? (p ? 1 : 0) : (p as string | number | null | Buffer);
}

/** One better-sqlite3 connection. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = SQLITE;
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Prepared>();
  private readonly begin: Prepared;
  private readonly commitStmt: Prepared;
  private readonly rollback: Prepared;
  private closed = false;

  /**
   * Opens (creating when missing, with its directory) the database file.
   * @throws PROCOS_STORE_DATABASE_ERROR the file cannot be opened (not a database, no access).
   */
  constructor(config: SqliteConfig) {
    try {
      if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
      this.db = new Database(config.path, { timeout: config.busyTimeoutMs });
      if (config.path !== ':memory:') this.db.pragma('journal_mode = WAL');
      // PRAGMA takes no bound parameters; the value is one of four keywords (SqliteSynchronous).
      this.db.pragma(`synchronous = ${config.synchronous}`);
      this.db.pragma('foreign_keys = ON');
      this.begin = this.db.prepare('BEGIN IMMEDIATE');
      this.commitStmt = this.db.prepare('COMMIT');
      this.rollback = this.db.prepare('ROLLBACK');
    } catch (e) {
      throw translateSqliteError(e);
    }
  }

  private prepare(sql: string): Prepared {
    let s = this.cache.get(sql);
    if (s === undefined) {
      if (this.cache.size >= MAX_CACHED_STATEMENTS) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  private exec = (st: Stmt): StmtResult => {
    const s = this.prepare(st.sql);
    const params = st.params.map(bind);
    if (s.reader) {
      const rows = s.all(...params) as Row[];
      return { rows, changes: rows.length };
    }
    return { rows: [], changes: s.run(...params).changes };
  };

  private inTransaction<R>(program: TxProgram<R>): R {
    this.begin.run();
    try {
      const result = driveSync(program, this.exec);
      this.commitStmt.run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.rollback.run();
      throw e;
    }
  }

  async run<R>(program: TxProgram<R>, mode: RunMode): Promise<R> {
    if (this.closed) throw new ProcosError(StoreErrors.CLOSED, 'the store is closed');
    try {
      return mode === 'read' ? driveSync(program, this.exec) : this.inTransaction(program);
    } catch (e) {
      throw translateSqliteError(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.db.close();
  }
}
