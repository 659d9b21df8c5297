/**
 * Schema migrations, one list for both databases (column types come from the
 * {@link Dialect}). A migration is never edited once released: add a new one.
 *
 * `procos_schema` holds one row per applied migration; the schema version is the
 * highest. Times are epoch ms in 64-bit integer columns; JSON is stored as text (opaque
 * instance state, variable values); booleans are BOOLEAN (PostgreSQL) or 0/1 (SQLite).
 */
import type { Dialect } from './dialect.js';

/** One schema version. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  /** DDL statements, run in order inside one transaction. */
  statements(d: Dialect): readonly string[];
}

/** The table that records applied migrations (created before any migration runs). */
export function schemaTableSql(d: Dialect): string {
  return `CREATE TABLE IF NOT EXISTS procos_schema (
    version ${d.int} PRIMARY KEY,
    description TEXT NOT NULL,
    applied_time ${d.bigint} NOT NULL
  )${d.tableSuffix}`;
}

const v1: Migration = {
  version: 1,
  description: 'deployments, instances, external tasks, user tasks, incidents, variables, jobs, history',
  statements: (d) => [
    // ---- repository
    `CREATE TABLE deployment (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      source TEXT,
      tenant_id TEXT,
      deploy_time ${d.bigint} NOT NULL
    )${d.tableSuffix}`,
    'CREATE INDEX deployment_time ON deployment (deploy_time)',
    `CREATE TABLE deployment_resource (
      deployment_id TEXT NOT NULL REFERENCES deployment (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      content ${d.bytes} NOT NULL,
      PRIMARY KEY (deployment_id, name)
    )${d.tableSuffix}`,
    `CREATE TABLE process_definition (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      version ${d.int} NOT NULL,
      version_tag TEXT,
      name TEXT,
      deployment_id TEXT NOT NULL REFERENCES deployment (id) ON DELETE CASCADE,
      resource_name TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      tenant_id TEXT,
      UNIQUE (key, version)
    )${d.tableSuffix}`,
    'CREATE INDEX process_definition_deployment ON process_definition (deployment_id)',

    // ---- runtime
    `CREATE TABLE process_instance (
      id TEXT PRIMARY KEY,
      process_definition_id TEXT NOT NULL REFERENCES process_definition (id),
      process_definition_key TEXT NOT NULL,
      business_key TEXT,
      status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'terminated')),
      state TEXT NOT NULL,
      revision ${d.bigint} NOT NULL,
      start_time ${d.bigint} NOT NULL,
      end_time ${d.bigint},
      super_instance_id TEXT
    )${d.tableSuffix}`,
    'CREATE INDEX process_instance_key ON process_instance (process_definition_key, start_time)',
    'CREATE INDEX process_instance_definition ON process_instance (process_definition_id)',
    // partial indexes: most instances have no business key / no super instance
    'CREATE INDEX process_instance_business_key ON process_instance (business_key) WHERE business_key IS NOT NULL',
    'CREATE INDEX process_instance_super ON process_instance (super_instance_id) WHERE super_instance_id IS NOT NULL',

    `CREATE TABLE external_task (
      id TEXT PRIMARY KEY,
      process_instance_id TEXT NOT NULL REFERENCES process_instance (id) ON DELETE CASCADE,
      process_definition_id TEXT NOT NULL,
      process_definition_key TEXT NOT NULL,
      business_key TEXT,
      activity_instance_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      priority ${d.bigint} NOT NULL,
      retries ${d.int} CHECK (retries IS NULL OR retries >= 0),
      worker_id TEXT,
      lock_expiration_time ${d.bigint},
      retry_after_time ${d.bigint},
      error_message TEXT,
      error_details TEXT,
      suspended ${d.bool} NOT NULL DEFAULT FALSE,
      created_time ${d.bigint} NOT NULL
    )${d.compactTableSuffix}`,
    // fetchAndLock: by topic, in priority order or in creation order
    'CREATE INDEX external_task_fetch_priority ON external_task (topic, priority DESC, created_time, id)',
    'CREATE INDEX external_task_fetch ON external_task (topic, created_time, id)',
    'CREATE INDEX external_task_instance ON external_task (process_instance_id)',

    `CREATE TABLE user_task (
      id TEXT PRIMARY KEY,
      process_instance_id TEXT NOT NULL REFERENCES process_instance (id) ON DELETE CASCADE,
      process_definition_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      name TEXT,
      assignee TEXT,
      candidate_groups TEXT NOT NULL,
      candidate_users TEXT NOT NULL,
      due_date TEXT,
      follow_up_date TEXT,
      priority ${d.bigint} NOT NULL,
      form_key TEXT,
      created_time ${d.bigint} NOT NULL
    )${d.compactTableSuffix}`,
    'CREATE INDEX user_task_instance ON user_task (process_instance_id)',
    'CREATE INDEX user_task_assignee ON user_task (assignee) WHERE assignee IS NOT NULL',

    `CREATE TABLE incident (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      message TEXT NOT NULL,
      process_instance_id TEXT NOT NULL REFERENCES process_instance (id) ON DELETE CASCADE,
      process_definition_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      external_task_id TEXT,
      created_time ${d.bigint} NOT NULL,
      resolved_time ${d.bigint},
      annotation TEXT
    )${d.compactTableSuffix}`,
    'CREATE INDEX incident_instance ON incident (process_instance_id)',
    'CREATE INDEX incident_external_task ON incident (external_task_id) WHERE external_task_id IS NOT NULL',

    `CREATE TABLE variable (
      process_instance_id TEXT NOT NULL REFERENCES process_instance (id) ON DELETE CASCADE,
      scope_id TEXT NOT NULL,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (scope_id, name)
    )${d.tableSuffix}`,
    'CREATE INDEX variable_instance ON variable (process_instance_id)',

    `CREATE TABLE job (
      id TEXT PRIMARY KEY,
      process_instance_id TEXT REFERENCES process_instance (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      due_time ${d.bigint} NOT NULL,
      payload TEXT NOT NULL,
      retries ${d.int} CHECK (retries IS NULL OR retries >= 0),
      lock_owner TEXT,
      lock_expiration_time ${d.bigint},
      created_time ${d.bigint} NOT NULL
    )${d.tableSuffix}`,
    'CREATE INDEX job_due ON job (due_time, id)',
    'CREATE INDEX job_instance ON job (process_instance_id)',

    // ---- history (append-only: inserted at start, end columns filled once)
    `CREATE TABLE hist_process_instance (
      id TEXT PRIMARY KEY,
      process_definition_id TEXT NOT NULL,
      process_definition_key TEXT NOT NULL,
      business_key TEXT,
      super_instance_id TEXT,
      status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'terminated')),
      start_time ${d.bigint} NOT NULL,
      end_time ${d.bigint},
      end_reason TEXT
    )${d.compactTableSuffix}`,
    'CREATE INDEX hist_process_instance_key ON hist_process_instance (process_definition_key, start_time)',
    'CREATE INDEX hist_process_instance_business_key ON hist_process_instance (business_key) WHERE business_key IS NOT NULL',
    `CREATE TABLE hist_activity_instance (
      id TEXT PRIMARY KEY,
      process_instance_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      element_type TEXT NOT NULL,
      element_name TEXT,
      parent_activity_instance_id TEXT NOT NULL,
      start_time ${d.bigint} NOT NULL,
      end_time ${d.bigint},
      canceled ${d.bool} NOT NULL DEFAULT FALSE
    )${d.compactTableSuffix}`,
    'CREATE INDEX hist_activity_instance_instance ON hist_activity_instance (process_instance_id, start_time)',
    `CREATE TABLE hist_variable_update (
      seq ${d.serialPk},
      process_instance_id TEXT NOT NULL,
      scope_id TEXT NOT NULL,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      time ${d.bigint} NOT NULL
    )${d.tableSuffix}`,
    'CREATE INDEX hist_variable_update_instance ON hist_variable_update (process_instance_id, seq)',
    `CREATE TABLE hist_incident (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      message TEXT NOT NULL,
      process_instance_id TEXT NOT NULL,
      process_definition_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      external_task_id TEXT,
      created_time ${d.bigint} NOT NULL,
      resolved_time ${d.bigint}
    )${d.compactTableSuffix}`,
    'CREATE INDEX hist_incident_instance ON hist_incident (process_instance_id)',
  ],
};

const v2: Migration = {
  version: 2,
  description: 'event subscriptions; jobs name their definition, activity instance and element',
  statements: (d) => [
    // message correlation and signal broadcast: by (event type, name); removed per instance
    `CREATE TABLE event_subscription (
      id TEXT PRIMARY KEY,
      process_instance_id TEXT NOT NULL REFERENCES process_instance (id) ON DELETE CASCADE,
      process_definition_id TEXT NOT NULL,
      process_definition_key TEXT NOT NULL,
      business_key TEXT,
      activity_instance_id TEXT NOT NULL,
      element_id TEXT NOT NULL,
      event_type TEXT NOT NULL CHECK (event_type IN ('message', 'signal')),
      name TEXT NOT NULL,
      correlation_key TEXT,
      created_time ${d.bigint} NOT NULL
    )${d.compactTableSuffix}`,
    'CREATE INDEX event_subscription_event ON event_subscription (event_type, name)',
    'CREATE INDEX event_subscription_instance ON event_subscription (process_instance_id)',

    // timer start events: a job of a definition, without an instance
    'ALTER TABLE job ADD COLUMN process_definition_id TEXT REFERENCES process_definition (id) ON DELETE CASCADE',
    'ALTER TABLE job ADD COLUMN activity_instance_id TEXT',
    'ALTER TABLE job ADD COLUMN element_id TEXT',
    'CREATE INDEX job_definition ON job (process_definition_id) WHERE process_definition_id IS NOT NULL',
  ],
};

const v3: Migration = {
  version: 3,
  description: 'history of process instances by definition (deleting a deployment with cascade)',
  statements: () => ['CREATE INDEX hist_process_instance_definition ON hist_process_instance (process_definition_id)'],
};

const v4: Migration = {
  version: 4,
  description: 'user tasks in list order (a task list page reads the index instead of sorting every task)',
  statements: () => ['CREATE INDEX user_task_created ON user_task (created_time, id)'],
};

/** All migrations, in version order (versions 1, 2, … without gaps). */
export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
