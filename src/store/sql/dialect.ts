/**
 * What differs between SQLite and PostgreSQL, as data. Everything else (queries,
 * commit and deploy programs, row mapping) is shared.
 */

/** Column type names and small SQL differences used by the migrations and queries. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** 64-bit integer column (times in ms, priorities). */
  readonly bigint: string;
  /** 32-bit integer column. */
  readonly int: string;
  /** Byte column. */
  readonly bytes: string;
  /** Boolean column (SQLite: INTEGER 0/1; TRUE/FALSE literals work on both). */
  readonly bool: string;
  /** Auto-increasing 64-bit primary key column. */
  readonly serialPk: string;
  /** Appended to CREATE TABLE (SQLite: STRICT column typing). */
  readonly tableSuffix: string;
  /**
   * Appended to CREATE TABLE of tables with a text primary key and small rows (SQLite:
   * also WITHOUT ROWID, so the primary key is the table's only B-tree: one write per
   * insert instead of two).
   */
  readonly compactTableSuffix: string;
  /** One statement text may hold several parameterless statements (one round trip for DDL). */
  readonly multiStatement: boolean;
  /**
   * How LIMIT values reach the database. `literal` (SQLite): the LIMIT is written into the
   * statement text as an integer — SQLite 3.47+ reads a bound LIMIT while planning and then
   * recompiles the statement every time that parameter is bound (measured: 6 µs instead of
   * 2 µs for a primary-key get); OFFSET stays bound (it causes no recompile). `bound`
   * (PostgreSQL): both are `?` parameters — every distinct text becomes a named prepared
   * statement on each pooled connection.
   */
  readonly limits: 'literal' | 'bound';
  /** The literal `LIMIT` for "no limit" with `limits: 'literal'` (SQLite needs a LIMIT before OFFSET: `-1`). */
  readonly noLimit: string;
  /** Counts tables named `procos_schema` in the current schema; one row with column `n`. */
  readonly schemaTableExistsSql: string;
  /** Serializes migrations across nodes within a transaction, or null (SQLite: the IMMEDIATE transaction does). */
  readonly migrationLockSql: string | null;
  /** Serializes deploys of one key within a transaction (one `?`: the key), or null. */
  readonly keyLockSql: string | null;
  /**
   * How a row set (many rows of bound values, see batch.ts) is written in SQL:
   * `unnest` — one array parameter per column, `unnest(CAST(? AS TEXT[]), …)`: one
   * statement text for any number of rows (PostgreSQL); `values` — `(VALUES (?, ?), …)`.
   */
  readonly rowSet: 'unnest' | 'values';
  /**
   * Rows per batched write statement, by kind: `insert` (INSERT … SELECT FROM a row
   * set), `update` (UPDATE … FROM a row set), `delete` (DELETE … USING a row set). 1: one
   * single-row statement per row (no row set). `Infinity`: one statement per batch.
   * (SQLite could take more than 1 for inserts and updates, never for deletes: it has no
   * DELETE … USING.)
   */
  readonly batchRows: { readonly insert: number; readonly update: number; readonly delete: number };
  /**
   * Independent writes whose results are not read (see commit.ts) may be sent as ONE
   * statement, all but the last as data-modifying `WITH` queries (PostgreSQL).
   */
  readonly combineWrites: boolean;
}

/** SQLite ≥ 3.37 (STRICT tables, RETURNING, UPSERT). */
export const SQLITE: Dialect = {
  name: 'sqlite',
  bigint: 'INTEGER',
  int: 'INTEGER',
  bytes: 'BLOB',
  bool: 'INTEGER',
  serialPk: 'INTEGER PRIMARY KEY',
  tableSuffix: ' STRICT',
  compactTableSuffix: ' STRICT, WITHOUT ROWID',
  multiStatement: false,
  limits: 'literal',
  noLimit: '-1',
  schemaTableExistsSql: "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'procos_schema'",
  migrationLockSql: null,
  keyLockSql: null,
  // In-process: a statement costs microseconds, not a round trip. Measured (WAL,
  // synchronous NORMAL): single-row prepared statements are as fast or faster than
  // multi-row VALUES lists (groups of 50 starts: 190 vs 230 µs per instance).
  rowSet: 'values',
  batchRows: { insert: 1, update: 1, delete: 1 },
  combineWrites: false,
};

/** Advisory lock class ids (first int4 of `pg_advisory_xact_lock(int4, int4)`). */
const PG_LOCK_MIGRATION = 0x50726f; // "Pro"
const PG_LOCK_DEPLOY_KEY = 0x50726f + 1;

/** PostgreSQL ≥ 12. */
export const POSTGRES: Dialect = {
  name: 'postgres',
  bigint: 'BIGINT',
  int: 'INTEGER',
  bytes: 'BYTEA',
  bool: 'BOOLEAN',
  serialPk: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  tableSuffix: '',
  compactTableSuffix: '',
  multiStatement: true,
  limits: 'bound',
  noLimit: 'ALL', // unused: limits are bound
  schemaTableExistsSql:
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'procos_schema'",
  migrationLockSql: `SELECT pg_advisory_xact_lock(${PG_LOCK_MIGRATION}, 0)`,
  keyLockSql: `SELECT pg_advisory_xact_lock(${PG_LOCK_DEPLOY_KEY}, hashtext(CAST(? AS TEXT)))`,
  // Every statement is a round trip: one statement per table and batch.
  rowSet: 'unnest',
  batchRows: { insert: Infinity, update: Infinity, delete: Infinity },
  combineWrites: true,
};
