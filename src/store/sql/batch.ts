/**
 * Batched writes: many rows of one table in one statement.
 *
 * A {@link BatchOp} describes one kind of row write twice, as SQL templates in which
 * `{k}` stands for the k-th value (1-based) of a row:
 * - `row`: the statement for ONE row, `{k}` → `?` (valid on both databases);
 * - `set`: the statement for MANY rows, read from a row set `u` written where `{rows}`
 *   stands, `{k}` → `u.columnk`. PostgreSQL binds the row set as one array per column,
 *   `unnest(CAST(? AS TEXT[]), CAST(? AS BIGINT[])) AS u (column1, column2)`, so the
 *   statement text (one prepared statement) is the same for any number of rows; other
 *   databases get `(VALUES (?, ?), (?, ?)) AS u` (columns `column1`, … by default).
 *
 * The dialect says how many rows go into one statement per kind
 * ({@link Dialect.batchRows}); 1 means the row form, one statement per row. One row
 * alone always gets the row form.
 *
 * Values are always bound parameters; the templates are constant text.
 */
import type { Dialect } from './dialect.js';
import type { SqlParam, SqlScalar, Stmt } from './program.js';

/** Type of a row set column (the PostgreSQL array element type). */
export type ColType = 'text' | 'bigint' | 'int' | 'bool';

/** One row's values, in the order of {@link BatchOp.types}. */
export type RowValues = readonly SqlScalar[];

/** A row write, as templates for one row and for a row set (build with {@link batchOp}). */
export interface BatchOp {
  readonly kind: 'insert' | 'update' | 'delete';
  /** Types of the values of a row. */
  readonly types: readonly ColType[];
  /** One row: `{k}` = the row's k-th value. */
  readonly row: string;
  /** A row set: `{rows}` = the row set `u`, `{k}` = its column k. */
  readonly set: string;
  /** `row` with `?` placeholders. */
  readonly rowSql: string;
  /** The value (0-based) bound to each `?` of `rowSql`, in order. */
  readonly rowOrder: readonly number[];
  /** `set` with `{k}` → `u.columnk` (`{rows}` still to fill). */
  readonly setSql: string;
  /** The PostgreSQL set statement (its text does not depend on the number of rows). */
  readonly unnestSql: string;
}

/** One statement of a batch and the rows (`from`, `count`) it writes. */
export interface BatchStmt {
  readonly stmt: Stmt;
  readonly from: number;
  readonly count: number;
}

const PG_ARRAY: Readonly<Record<ColType, string>> = { text: 'TEXT[]', bigint: 'BIGINT[]', int: 'INTEGER[]', bool: 'BOOLEAN[]' };

const VALUE_REF = /\{(\d+)\}/g;

/**
 * Compiles a row write from its templates.
 * @throws Error when a template names a value the types do not have (a programming error).
 */
export function batchOp(kind: BatchOp['kind'], types: readonly ColType[], row: string, set: string): BatchOp {
  const rowOrder: number[] = [];
  const check = (k: string): number => {
    const i = Number(k) - 1;
    if (i < 0 || i >= types.length) throw new Error(`batched write: template names value {${k}} of ${types.length}`);
    return i;
  };
  const rowSql = row.replace(VALUE_REF, (_, k: string) => {
    rowOrder.push(check(k));
    return '?';
  });
  const setSql = set.replace(VALUE_REF, (_, k: string) => `u.column${check(k) + 1}`);
  const names = types.map((_, i) => `column${i + 1}`).join(', ');
  const unnest = `unnest(${types.map((t) => `CAST(? AS ${PG_ARRAY[t]})`).join(', ')}) AS u (${names})`;
  return { kind, types, row, set, rowSql, rowOrder, setSql, unnestSql: setSql.replace('{rows}', () => unnest) };
}

/** Builds an insert: `INSERT INTO table (columns) VALUES (values)`; `values` holds `{k}`s (and constants). */
export function insertOp(table: string, columns: readonly string[], values: string, types: readonly ColType[], tail = ''): BatchOp {
  const into = `INSERT INTO ${table} (${columns.join(', ')})`;
  // SQLite: an upsert after INSERT … SELECT needs a WHERE clause (parsing ambiguity).
  const where = tail.includes('ON CONFLICT') ? ' WHERE true' : '';
  return batchOp('insert', types, `${into} VALUES (${values})${tail}`, `${into} SELECT ${values} FROM {rows}${where}${tail}`);
}

/**
 * Builds an update: `UPDATE table SET set WHERE where`. Unqualified names are the table's
 * columns. `returning` (e.g. ` RETURNING id`) is added to the set form only: a row-form
 * statement reports its changed-row count, which says enough for one row (and SQLite
 * runs a plain UPDATE faster than one with RETURNING).
 */
export function updateOp(table: string, set: string, where: string, types: readonly ColType[], returning = ''): BatchOp {
  return batchOp('update', types, `UPDATE ${table} SET ${set} WHERE ${where}`, `UPDATE ${table} SET ${set} FROM {rows} WHERE ${where}${returning}`);
}

/** Builds a delete: `DELETE FROM table WHERE where`. Unqualified names are the table's columns. `returning` as for {@link updateOp}. */
export function deleteOp(table: string, where: string, types: readonly ColType[], returning = ''): BatchOp {
  return batchOp('delete', types, `DELETE FROM ${table} WHERE ${where}`, `DELETE FROM ${table} USING {rows} WHERE ${where}${returning}`);
}

/** The row form for one row: `{k}` → `?`, bound in order of appearance. */
export function rowStmt(op: BatchOp, row: RowValues): Stmt {
  return { sql: op.rowSql, params: op.rowOrder.map((i) => valueAt(row, i)) };
}

/** The set form for several rows (`{rows}` → the dialect's row set). */
export function setStmt(d: Dialect, op: BatchOp, rows: readonly RowValues[]): Stmt {
  const n = op.types.length;
  if (d.rowSet === 'unnest') {
    return { sql: op.unnestSql, params: op.types.map((_, c) => rows.map((r) => valueAt(r, c))) };
  }
  const tuple = '(' + Array.from({ length: n }, () => '?').join(', ') + ')';
  const source = `(VALUES ${rows.map(() => tuple).join(', ')}) AS u`;
  const params: SqlParam[] = rows.flatMap((r) => Array.from({ length: n }, (_, c) => valueAt(r, c)));
  return { sql: op.setSql.replace('{rows}', () => source), params };
}

function valueAt(row: RowValues, i: number): SqlScalar {
  const v = row[i];
  if (v === undefined) throw new Error(`batched write: a row has no value ${i + 1}`);
  return v;
}

/**
 * Sizes of the statements for `n` rows with at most `max` rows each: one statement when
 * `max` is unbounded, else powers of two (few distinct statement texts to prepare).
 */
function chunkSizes(n: number, max: number): number[] {
  if (max === Infinity || n <= 1) return n === 0 ? [] : [n];
  const sizes: number[] = [];
  let left = n;
  while (left > 0) {
    let size = 1;
    while (size * 2 <= Math.min(left, max)) size *= 2;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * The statements writing `rows` with `op`: set-form statements of up to
 * `d.batchRows[op.kind]` rows, or (when that is 1, or `rowByRow`) one row-form statement
 * per row. Row order is kept.
 *
 * A single row always gets the row form: on PostgreSQL a set statement is planned anew
 * on every execution (the plan depends on the array lengths, so the prepared statement's
 * generic plan is never chosen), which costs about as much as a round trip on a local
 * server; from two rows on, one round trip saved pays for it.
 */
export function batchStmts(d: Dialect, op: BatchOp, rows: readonly RowValues[], rowByRow = false): BatchStmt[] {
  const max = rowByRow ? 1 : d.batchRows[op.kind];
  const out: BatchStmt[] = [];
  let from = 0;
  for (const count of chunkSizes(rows.length, max)) {
    const part = rows.slice(from, from + count);
    out.push({ stmt: count === 1 ? rowStmt(op, part[0] as RowValues) : setStmt(d, op, part), from, count });
    from += count;
  }
  return out;
}
