/**
 * The small structural interface each database implements (style: pg-boss `IDatabase`).
 * Everything above it — queries, programs, the {@link Store} methods — is shared.
 */
import type { Dialect } from './dialect.js';
import type { TxProgram } from './program.js';

/**
 * How a program runs.
 * - `read`: statements run one by one outside a transaction (read-only programs).
 * - `write`: one transaction (SQLite `BEGIN IMMEDIATE`, PostgreSQL `BEGIN`), committed
 *   when the program returns, rolled back when it (or a statement) throws.
 * - `autocommit`: programs whose only write is ONE statement (claims, guarded single-row
 *   updates followed by a read-only probe): PostgreSQL runs each statement on its own
 *   (a statement is atomic; saves the BEGIN/COMMIT round trips), SQLite still uses
 *   `BEGIN IMMEDIATE` (in-process, costs nothing, takes the write lock up front).
 */
export type RunMode = 'read' | 'write' | 'autocommit';

/** A database connection (SQLite) or pool (PostgreSQL) that runs programs. */
export interface SqlDriver {
  readonly dialect: Dialect;
  /**
   * Runs a program. Driver errors are translated to ProcosErrors of StoreErrors (the
   * driver error is the `cause`); ProcosErrors thrown by the program pass unchanged.
   * @throws PROCOS_STORE_CLOSED after {@link SqlDriver.close}.
   */
  run<R>(program: TxProgram<R>, mode: RunMode): Promise<R>;
  /**
   * Listens on a notification channel on a connection of its own (PostgreSQL `LISTEN`):
   * `onPayload` is called with each payload sent to `channel` by any connection, this
   * process's included, once the sending transaction committed; with null after the
   * listening connection was lost and made again (payloads sent meanwhile are missed).
   * Absent where the database has no such channel (SQLite). The returned function stops
   * listening.
   */
  listen?(channel: string, onPayload: (payload: string | null) => void): Promise<() => Promise<void>>;
  /** Closes the connection / ends the pool. Idempotent. */
  close(): Promise<void>;
}
