/**
 * Runs the schema migrations at open.
 *
 * 1. Read the version WITHOUT writing (`procos_schema` may not exist yet).
 * 2. Newer than {@link SCHEMA_VERSION}: refuse (PROCOS_STORE_SCHEMA_TOO_NEW), untouched.
 *    Equal: done — reopening writes nothing.
 * 3. Older: one write transaction (PostgreSQL: after an advisory lock, so concurrent
 *    nodes migrate once) re-reads the version and applies the missing migrations.
 */
import { isProcosError, ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { SqlDriver } from './driver.js';
import { MIGRATIONS, SCHEMA_VERSION, schemaTableSql } from './migrations.js';
import { stmt, type TxProgram } from './program.js';
import { countOf } from './rows.js';
import { badArgument } from './validate.js';

function* readVersion(d: Dialect): TxProgram<number | null> {
  const exists = yield stmt(d.schemaTableExistsSql);
  if (countOf(exists.rows) === 0) return null;
  const r = yield stmt('SELECT COALESCE(MAX(version), 0) AS n FROM procos_schema');
  return countOf(r.rows);
}

function tooNew(found: number): ProcosError {
  return new ProcosError(
    StoreErrors.SCHEMA_TOO_NEW,
    `the database schema version is ${found}, newer than the newest this ProcOS version knows (${SCHEMA_VERSION}); ` +
      'upgrade ProcOS to use this database (it was not changed)',
    { databaseVersion: found, codeVersion: SCHEMA_VERSION },
  );
}

function* applyMigrations(d: Dialect, now: number, target: number): TxProgram<number> {
  if (d.migrationLockSql !== null) yield stmt(d.migrationLockSql);
  yield stmt(schemaTableSql(d));
  const current = (yield* readVersion(d)) ?? 0;
  if (current > SCHEMA_VERSION) throw tooNew(current);
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    const ddl = m.statements(d);
    if (d.multiStatement) yield stmt(ddl.join(';\n'));
    else for (const sql of ddl) yield stmt(sql);
    yield stmt('INSERT INTO procos_schema (version, description, applied_time) VALUES (?, ?, ?)', m.version, m.description, now);
  }
  return Math.max(current, target);
}

/**
 * Brings the database to {@link SCHEMA_VERSION} (or, for tests of the migrations, only up
 * to `target`; a database already past `target` is left as it is).
 * @returns the schema version of the database afterwards ({@link SCHEMA_VERSION} by default).
 * @throws PROCOS_STORE_SCHEMA_TOO_NEW the database is newer (details: databaseVersion, codeVersion).
 * @throws PROCOS_STORE_MIGRATION_FAILED a migration failed (rolled back; the driver error is the cause).
 */
export async function migrate(driver: SqlDriver, now: number, target: number = SCHEMA_VERSION): Promise<number> {
  if (!Number.isSafeInteger(target) || target < 1 || target > SCHEMA_VERSION) throw badArgument('target', target, `a schema version from 1 to ${SCHEMA_VERSION}`);
  const found = await driver.run(readVersion(driver.dialect), 'read');
  if (found !== null && found > SCHEMA_VERSION) throw tooNew(found);
  if (found !== null && found >= target) return found;
  try {
    return await driver.run(applyMigrations(driver.dialect, now, target), 'write');
  } catch (e) {
    if (isProcosError(e, StoreErrors.SCHEMA_TOO_NEW)) throw e;
    throw new ProcosError(StoreErrors.MIGRATION_FAILED, `migrating the database schema from version ${found ?? 0} to ${target} failed`, { version: target }, { cause: e });
  }
}
