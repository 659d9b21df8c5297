/**
 * `/procos/v1`: ProcOS's own API (deploy, start, list and show instances, incidents),
 * used by the `procos` commands. See `routes.ts` for the routes and `types.ts` for the
 * JSON shapes.
 */
export { procosV1Routes, sendError } from './routes.js';
export type { ProcosV1Options } from './routes.js';
export { DefinitionLookup, definitionView, incidentView, instanceDetail, instanceView, listInstanceViews, statusCounts } from './views.js';
export type { InstanceListQuery, InstanceListState } from './views.js';
export type {
  CurrentActivityView,
  DefinitionView,
  DeploymentResultView,
  ErrorBody,
  ExternalTaskView,
  HistoryStepView,
  IncidentView,
  InstanceDetailView,
  InstanceStateView,
  InstanceView,
  StatusView,
  UserTaskView,
} from './types.js';
