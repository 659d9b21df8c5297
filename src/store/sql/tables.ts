/** Each table as read by lists and gets: its columns and its stable order. */
import type { TableQuery } from './queries.js';
import {
  columns,
  DEFINITION_COLS,
  DEPLOYMENT_COLS,
  EXTERNAL_TASK_COLS,
  HIST_ACTIVITY_COLS,
  HIST_INCIDENT_COLS,
  HIST_PROCESS_COLS,
  HIST_VARIABLE_COLS,
  INCIDENT_COLS,
  INSTANCE_COLS,
  INSTANCE_SUMMARY_COLS,
  JOB_COLS,
  RESOURCE_COLS,
  SUBSCRIPTION_COLS,
  USER_TASK_COLS,
  VARIABLE_COLS,
} from './rows.js';

/** `deployment` as lists read it. */
export const DEPLOYMENTS: TableQuery = { table: 'deployment', columns: columns(DEPLOYMENT_COLS), orderBy: 'deploy_time, id' };
/** `deployment_resource` as lists read it. */
export const RESOURCES: TableQuery = { table: 'deployment_resource', columns: columns(RESOURCE_COLS), orderBy: 'name' };
/** `process_definition` as lists read it. */
export const DEFINITIONS: TableQuery = { table: 'process_definition', columns: columns(DEFINITION_COLS), orderBy: 'key, version' };
/** `process_instance` as lists read it. */
export const INSTANCES: TableQuery = { table: 'process_instance', columns: columns(INSTANCE_COLS), orderBy: 'start_time, id' };
/** `process_instance without state` as lists read it. */
export const INSTANCE_SUMMARIES: TableQuery = { ...INSTANCES, columns: columns(INSTANCE_SUMMARY_COLS) };
/** `external_task` as lists read it. */
export const EXTERNAL_TASKS: TableQuery = { table: 'external_task', columns: columns(EXTERNAL_TASK_COLS), orderBy: 'created_time, id' };
/** `user_task` as lists read it. */
export const USER_TASKS: TableQuery = { table: 'user_task', columns: columns(USER_TASK_COLS), orderBy: 'created_time, id' };
/** `incident` as lists read it. */
export const INCIDENTS: TableQuery = { table: 'incident', columns: columns(INCIDENT_COLS), orderBy: 'created_time, id' };
/** `variable` as lists read it. */
export const VARIABLES: TableQuery = { table: 'variable', columns: columns(VARIABLE_COLS), orderBy: 'scope_id, name' };
/** `job` as lists read it. */
export const JOBS: TableQuery = { table: 'job', columns: columns(JOB_COLS), orderBy: 'due_time, id' };
/** `event_subscription` as lists read it. */
export const SUBSCRIPTIONS: TableQuery = { table: 'event_subscription', columns: columns(SUBSCRIPTION_COLS), orderBy: 'created_time, id' };
/** `hist_process_instance` as lists read it. */
export const HIST_PROCESSES: TableQuery = { table: 'hist_process_instance', columns: columns(HIST_PROCESS_COLS), orderBy: 'start_time, id' };
/** `hist_activity_instance` as lists read it. */
export const HIST_ACTIVITIES: TableQuery = { table: 'hist_activity_instance', columns: columns(HIST_ACTIVITY_COLS), orderBy: 'start_time, id' };
/** `hist_variable_update` as lists read it. */
export const HIST_VARIABLES: TableQuery = { table: 'hist_variable_update', columns: columns(HIST_VARIABLE_COLS), orderBy: 'seq' };
/** `hist_incident` as lists read it. */
export const HIST_INCIDENTS: TableQuery = { table: 'hist_incident', columns: columns(HIST_INCIDENT_COLS), orderBy: 'created_time, id' };
