/**
 * The store layer: one storage contract ({@link Store}), two implementations (SQLite,
 * PostgreSQL) behind {@link openStore}, migrations at open, coded errors
 * ({@link StoreErrors}). Imports nothing above it (ARCHITECTURE.md layers).
 */
export { openStore, compileStoreUrl } from './open.js';
export type { CompiledStoreConfig } from './open.js';
export { StoreErrors } from './errors.js';
export { SCHEMA_VERSION } from './sql/migrations.js';
export type { SqliteConfig } from './sqlite/sqlite-driver.js';
export type { PostgresConfig } from './postgres/postgres-driver.js';
export type {
  AcquireJobsRequest,
  DeployInput,
  DeployProcess,
  DeployResource,
  DeployResult,
  ExternalTaskDelete,
  ExternalTaskUpdate,
  FetchAndLockRequest,
  FetchTopic,
  HistoricActivityEnd,
  HistoricActivityStart,
  HistoricProcessEnd,
  HistoricProcessStart,
  HistoricVariableUpdate,
  HistoryWrites,
  IncidentResolve,
  InstanceInsert,
  InstanceUpdate,
  InstanceWrite,
  JobDelete,
  JobUpdate,
  NewExternalTask,
  NewIncident,
  NewJob,
  NewUserTask,
  OpenStoreOptions,
  SqliteSynchronous,
  Store,
  VariableDelete,
  VariableWrite,
  WriteBatch,
} from './types.js';
export type {
  DeploymentRecord,
  ExternalTaskRecord,
  HistoricActivityInstanceRecord,
  HistoricIncidentRecord,
  HistoricProcessInstanceRecord,
  HistoricVariableUpdateRecord,
  IncidentRecord,
  InstanceRecord,
  InstanceStatus,
  InstanceSummary,
  JobRecord,
  ProcessDefinitionRecord,
  ResourceRecord,
  UserTaskRecord,
  VariableRecord,
} from './records.js';
export type {
  DeploymentFilter,
  ExternalTaskFilter,
  HistoricActivityInstanceFilter,
  HistoricIncidentFilter,
  HistoricProcessInstanceFilter,
  HistoricVariableUpdateFilter,
  IncidentFilter,
  InstanceFilter,
  JobFilter,
  Page,
  ProcessDefinitionFilter,
  UserTaskFilter,
  VariableFilter,
} from './filters.js';
