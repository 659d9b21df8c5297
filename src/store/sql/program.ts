/**
 * Transaction programs: store logic written once for both databases.
 *
 * A program is a generator that yields SQL statements and receives their results. It
 * holds the decisions (which rows, which error on 0 rows); a driver runs it — the SQLite
 * driver synchronously inside `BEGIN IMMEDIATE … COMMIT` (no other code can interleave),
 * the PostgreSQL driver statement by statement on one pooled connection inside
 * `BEGIN … COMMIT`. A program that throws rolls its transaction back.
 *
 * SQL uses `?` placeholders (the PostgreSQL driver numbers them `$1…`). Values are
 * ALWAYS bound parameters; only constant fragments are concatenated.
 */

/** A single value bound to a placeholder. Booleans become 1/0 on SQLite. */
export type SqlScalar = string | number | boolean | null | Buffer;

/**
 * A value bound to a placeholder: a scalar, or (PostgreSQL only: the row sets of batched
 * writes, `unnest(CAST(? AS TEXT[]), …)`, see batch.ts) an array of scalars.
 */
export type SqlParam = SqlScalar | readonly SqlScalar[];

/** A row as the driver returns it: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

/** One statement with its bound parameters. */
export interface Stmt {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** What a statement did: its rows (SELECT / RETURNING) and the number of changed rows. */
export interface StmtResult {
  readonly rows: readonly Row[];
  /** Rows inserted, updated or deleted (for RETURNING statements: rows returned). */
  readonly changes: number;
}

/** A transaction program returning `R`. */
export type TxProgram<R> = Generator<Stmt, R, StmtResult>;

/** Builds a statement. */
export function stmt(sql: string, ...params: SqlParam[]): Stmt {
  return { sql, params };
}

/** A program of one statement, returning its rows. */
export function* rowsOf(s: Stmt): TxProgram<readonly Row[]> {
  const r = yield s;
  return r.rows;
}

/** Runs a program synchronously with `exec` (SQLite). */
export function driveSync<R>(program: TxProgram<R>, exec: (s: Stmt) => StmtResult): R {
  let step = program.next();
  while (!step.done) step = program.next(exec(step.value));
  return step.value;
}

/** Runs a program with an async `exec` (PostgreSQL). */
export async function driveAsync<R>(program: TxProgram<R>, exec: (s: Stmt) => Promise<StmtResult>): Promise<R> {
  let step = program.next();
  while (!step.done) step = program.next(await exec(step.value));
  return step.value;
}

/** `?, ?, ?` for n values (n ≥ 1). */
export function placeholders(n: number): string {
  return n <= 0 ? '' : '?' + ', ?'.repeat(n - 1);
}
