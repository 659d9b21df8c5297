/**
 * The store layer: one storage contract ({@link Store}), two implementations (SQLite,
 * PostgreSQL) behind {@link openStore}, migrations at open, coded errors
 * ({@link StoreErrors}). Imports nothing above it (ARCHITECTURE.md layers).
 */
export { openStore, compileStoreUrl } from './open.js';
/** Validated store settings (see compileStoreUrl). */
export type { CompiledStoreConfig } from './open.js';
export { StoreErrors } from './errors.js';
export { SCHEMA_VERSION } from './sql/migrations.js';
/** Compiled per-database settings (parts of CompiledStoreConfig). */
export type { SqliteConfig } from './sqlite/sqlite-driver.js';
export type { PostgresConfig } from './postgres/postgres-driver.js';
/** The contract: the Store, its write model (WriteBatch …), deploy and claim inputs, options. */
export type {
  AcquireJobsRequest,
  DeleteDeploymentOptions,
  DeployInput,
  DeploymentDeletion,
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
  NewSubscription,
  NewUserTask,
  OpenStoreOptions,
  SqliteSynchronous,
  Store,
  VariableDelete,
  VariableWrite,
  WriteBatch,
} from './types.js';
/** What the store returns: one record type per table. */
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
  SubscriptionEventType,
  SubscriptionRecord,
  UserTaskRecord,
  VariableRecord,
} from './records.js';
/** Query filters and paging. */
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
  SubscriptionFilter,
  UserTaskFilter,
  VariableFilter,
} from './filters.js';
