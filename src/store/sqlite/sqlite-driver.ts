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
 * - `temp_store = MEMORY`: temporary tables and the statement journal of savepoints (see
 *   group commit below) stay in memory instead of a temporary file.
 * - `wal_autocheckpoint` = {@link WAL_CHECKPOINT_PAGES}: the WAL is copied back into the
 *   database every ~40 MiB instead of SQLite's 4 MiB, so a page changed by many commits is
 *   copied once per checkpoint (measured: 11 % fewer bytes written by the durable run).
 * - `cache_size`: a page cache of up to {@link PAGE_CACHE_KIB} KiB per connection (SQLite's
 *   default is 2 MiB; grown only as pages are read).
 *
 * Statements are prepared once and cached by SQL text. Write programs run synchronously
 * inside `BEGIN IMMEDIATE … COMMIT`, so nothing else in this process can interleave with
 * them, and the write lock is taken up front (no lock-upgrade deadlocks).
 *
 * Group commit: write programs handed to {@link SqliteDriver.run} during one turn of the
 * event loop (for example the steps of several HTTP requests read in one poll) are queued
 * and run together at the next `setImmediate`, in arrival order, in ONE transaction; each
 * program in its own `SAVEPOINT`, so a program that throws is rolled back alone and the
 * others still commit. Every promise settles after the shared `COMMIT` (a program is
 * durable when its promise resolves, as before); when the COMMIT itself fails, all of
 * them reject. When a program's error ends the whole transaction (SQLite rolls back on
 * SQLITE_FULL, SQLITE_IOERR…), that program rejects with its error and the others with a
 * retryable PROCOS_STORE_BUSY (their writes were lost with the transaction). Programs see
 * the writes of the programs queued before them (the same outcome as running them one by
 * one in that order), and a transaction holds at most {@link MAX_GROUP} programs. Reads
 * run at once, outside any transaction, and see only committed rows.
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

/** Largest page cache of a connection, KiB. */
export const PAGE_CACHE_KIB = 32 * 1024;

/** WAL pages (4 KiB) after which a commit checkpoints the WAL into the database. */
export const WAL_CHECKPOINT_PAGES = 10_000;

/** Write programs run in one group-commit transaction at most. */
export const MAX_GROUP = 256;

/** A queued write program and the settlement of its promise. */
interface Queued {
  readonly program: TxProgram<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

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
  private readonly savepoint: Prepared;
  private readonly release: Prepared;
  private readonly rollbackTo: Prepared;
  /** Write programs waiting for the next group commit. */
  private readonly queue: Queued[] = [];
  private flushing = false;
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
      // The savepoints of a group commit journal the pages they change: in memory, not in a temp file.
      this.db.pragma('temp_store = MEMORY');
      this.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      if (config.path !== ':memory:') this.db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      this.begin = this.db.prepare('BEGIN IMMEDIATE');
      this.commitStmt = this.db.prepare('COMMIT');
      this.rollback = this.db.prepare('ROLLBACK');
      this.savepoint = this.db.prepare('SAVEPOINT procos_program');
      this.release = this.db.prepare('RELEASE procos_program');
      this.rollbackTo = this.db.prepare('ROLLBACK TO procos_program');
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
      this.rollbackQuietly();
      throw e;
    }
  }

  /** Rolls back the open transaction, if any; never throws (flush runs in a `setImmediate`, where a throw would be uncaught). */
  private rollbackQuietly(): void {
    try {
      if (this.db.inTransaction) this.rollback.run();
    } catch {
      // Nothing of the transaction was committed; the error that led here is what callers get.
    }
  }

  /** Runs the queued write programs: one alone, or several in one transaction with a savepoint each. */
  private flush = (): void => {
    const group = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length > 0) setImmediate(this.flush);
    else this.flushing = false;
    if (group.length === 0) return;
    if (group.length === 1) {
      const q = group[0] as Queued;
      try {
        q.resolve(this.inTransaction(q.program));
      } catch (e) {
        q.reject(translateSqliteError(e));
      }
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    /** The program whose error ended the whole transaction (SQLITE_FULL, SQLITE_IOERR…), if one did. */
    let culprit = -1;
    try {
      this.begin.run();
      for (const [i, q] of group.entries()) {
        this.savepoint.run();
        let value: unknown;
        try {
          value = driveSync(q.program, this.exec);
        } catch (e) {
          if (!this.db.inTransaction) {
            culprit = i;
            throw e;
          }
          this.rollbackTo.run();
          this.release.run();
          outcomes.push({ ok: false, value: translateSqliteError(e) });
          continue;
        }
        this.release.run();
        outcomes.push({ ok: true, value });
      }
      this.commitStmt.run();
    } catch (e) {
      this.rollbackQuietly();
      const error = translateSqliteError(e);
      // A program's own error ended the transaction: it gets that error; the others lost
      // their writes through no fault of theirs and get a retryable BUSY.
      const others =
        culprit === -1
          ? error
          : new ProcosError(
              StoreErrors.BUSY,
              `the transaction this write shared with others was rolled back by another write's error (${error.message}); nothing of it was written: retry`,
              { driverCode: typeof error.details.driverCode === 'string' ? error.details.driverCode : null },
              { cause: e },
            );
      group.forEach((q, i) => q.reject(culprit === -1 || i === culprit ? error : others));
      return;
    }
    group.forEach((q, i) => {
      const o = outcomes[i] as { ok: boolean; value: unknown };
      if (o.ok) q.resolve(o.value);
      else q.reject(o.value);
    });
  };

  async run<R>(program: TxProgram<R>, mode: RunMode): Promise<R> {
    if (this.closed) throw new ProcosError(StoreErrors.CLOSED, 'the store is closed');
    if (mode === 'read') {
      try {
        return driveSync(program, this.exec);
      } catch (e) {
        throw translateSqliteError(e);
      }
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ program, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(this.flush);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Programs queued before close still run (their callers are waiting for them).
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    this.cache.clear();
    this.db.close();
  }
}
