/**
 * Coded errors of the store layer. Codes are stable; a retired code is never reused.
 * Every code is documented in docs/errors.md (checked by test/common/errors.test.ts).
 *
 * Driver errors (better-sqlite3's `SqliteError`, pg's `DatabaseError`, socket errors)
 * never leave the store raw: they are translated to one of these codes and kept as the
 * `cause` (`translateSqliteError` in sqlite/sqlite-driver.ts, `translatePgError` in
 * postgres/postgres-driver.ts).
 */
import type { ErrorSpec } from '../common/errors.js';

/** The store's error registry: name → {code, HTTP status}. Use with `new ProcosError(StoreErrors.X, message, details)`. */
export const StoreErrors = {
  /** The store URL is not understood: unknown scheme, empty SQLite path, unknown or bad URL parameter. details: {url, parameter?} */
  BAD_URL: { code: 'PROCOS_STORE_BAD_URL', status: 500 },
  /** An `openStore` option has a bad value. details: {field, value} */
  BAD_OPTION: { code: 'PROCOS_STORE_BAD_OPTION', status: 500 },
  /** An argument of a store operation is invalid (paging, lock duration, retries, empty topic list …). details: {field, value} */
  BAD_ARGUMENT: { code: 'PROCOS_STORE_BAD_ARGUMENT', status: 400 },
  /** The database schema is newer than this code knows; the database was not touched. details: {databaseVersion, codeVersion} */
  SCHEMA_TOO_NEW: { code: 'PROCOS_STORE_SCHEMA_TOO_NEW', status: 500 },
  /** A schema migration failed and was rolled back. details: {version} */
  MIGRATION_FAILED: { code: 'PROCOS_STORE_MIGRATION_FAILED', status: 500 },
  /** An instance update named a revision that is no longer current: reload and retry. details: {processInstanceId, expectedRevision, actualRevision} */
  REVISION_CONFLICT: { code: 'PROCOS_STORE_REVISION_CONFLICT', status: 409 },
  /** No process instance has this id. details: {processInstanceId} */
  INSTANCE_NOT_FOUND: { code: 'PROCOS_STORE_INSTANCE_NOT_FOUND', status: 404 },
  /** No external task has this id. details: {externalTaskId} */
  EXTERNAL_TASK_NOT_FOUND: { code: 'PROCOS_STORE_EXTERNAL_TASK_NOT_FOUND', status: 404 },
  /** The external task is not locked by this worker (or its lock has expired, for `extendLock`). details: {externalTaskId, workerId, lockedBy} */
  EXTERNAL_TASK_LOCK_CONFLICT: { code: 'PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT', status: 409 },
  /** No incident has this id. details: {incidentId} */
  INCIDENT_NOT_FOUND: { code: 'PROCOS_STORE_INCIDENT_NOT_FOUND', status: 404 },
  /** The incident is already resolved. details: {incidentId, resolvedTime} */
  INCIDENT_ALREADY_RESOLVED: { code: 'PROCOS_STORE_INCIDENT_ALREADY_RESOLVED', status: 409 },
  /** No user task has this id. details: {userTaskId} */
  USER_TASK_NOT_FOUND: { code: 'PROCOS_STORE_USER_TASK_NOT_FOUND', status: 404 },
  /** No job has this id. details: {jobId} */
  JOB_NOT_FOUND: { code: 'PROCOS_STORE_JOB_NOT_FOUND', status: 404 },
  /** The job is not locked by this owner. details: {jobId, lockOwner, lockedBy} */
  JOB_LOCK_CONFLICT: { code: 'PROCOS_STORE_JOB_LOCK_CONFLICT', status: 409 },
  /** A row with this id (or unique key) already exists. details: {constraint?} */
  ALREADY_EXISTS: { code: 'PROCOS_STORE_ALREADY_EXISTS', status: 409 },
  /** A row refers to a row that does not exist (foreign key), e.g. an instance of an unknown definition. details: {constraint?} */
  REFERENCE_MISSING: { code: 'PROCOS_STORE_REFERENCE_MISSING', status: 409 },
  /** A deployment is inconsistent: no resources, a process names a missing resource, a key appears twice. details: {field, value} */
  DEPLOYMENT_INVALID: { code: 'PROCOS_STORE_DEPLOYMENT_INVALID', status: 400 },
  /** No deployment has this id (`deleteDeployment`). details: {deploymentId} */
  DEPLOYMENT_NOT_FOUND: { code: 'PROCOS_STORE_DEPLOYMENT_NOT_FOUND', status: 404 },
  /** A deployment cannot be deleted without `cascade`: instances of its definitions run. details: {deploymentId, processDefinitionId, runningInstances} */
  DEPLOYMENT_IN_USE: { code: 'PROCOS_STORE_DEPLOYMENT_IN_USE', status: 409 },
  /** The database stayed locked longer than the busy timeout (SQLite), or a deadlock / lock timeout was detected (PostgreSQL). Retry. */
  BUSY: { code: 'PROCOS_STORE_BUSY', status: 503 },
  /** The database cannot be reached (connection refused, reset, timed out). */
  UNAVAILABLE: { code: 'PROCOS_STORE_UNAVAILABLE', status: 503 },
  /** The store was used after `close()`. */
  CLOSED: { code: 'PROCOS_STORE_CLOSED', status: 500 },
  /** Any other database failure; `cause` holds the driver error. details: {driverCode?} */
  DATABASE_ERROR: { code: 'PROCOS_STORE_DATABASE_ERROR', status: 500 },
  /** A stored value cannot be read back (bad JSON, wrong column type): the database was changed outside ProcOS. details: {column} */
  CORRUPT_ROW: { code: 'PROCOS_STORE_CORRUPT_ROW', status: 500 },
} as const satisfies Record<string, ErrorSpec>;
