/**
 * The kernel layer: `procos boot`, the microkernel. Loads the configuration, opens the
 * store, starts the runtime and the HTTP listener, deploys the processes folder, starts
 * the root process and the built-in workers, then watches (health line, supervision,
 * graceful shutdown).
 */
export { CONFIG_KEYS, LOG_LEVELS, formatConfigIssues, loadConfig } from './config.js';
export type { ConfigFlags, ConfigIssue, ConfigKey, KernelConfig, LoadConfigInput, LogFormat } from './config.js';
export { DEFAULT_WORKERS } from './default-workers.js';
export { deployFile, deployFolder, listBpmnFiles, problemsOf } from './deploy-folder.js';
export type { DeployedDefinition, DeployProblem, FileDeployResult } from './deploy-folder.js';
export { KernelErrors } from './errors.js';
export { InProcessTransport } from './in-process-transport.js';
export { Kernel, redactUrl } from './kernel.js';
export type { BootReport, KernelOptions, KernelState, RootReport, WorkersReport } from './kernel.js';
export { createKernelLogger, isPretty, prettyLine } from './log-format.js';
export type { KernelLoggerOptions } from './log-format.js';
export { PLACEHOLDER_NAMES, substitutePlaceholders } from './placeholders.js';
export type { PlaceholderValues } from './placeholders.js';
export { isProcessAlive, readReadyMarker, removeReadyMarker, writeReadyMarker } from './ready-marker.js';
export type { ReadyMarker } from './ready-marker.js';
export { formatBootSummary, shortPath } from './summary.js';
export { Supervisor, restartBackoff } from './supervisor.js';
export type { SupervisedComponent, SupervisorOptions } from './supervisor.js';
export { PROCOS_VERSION } from './version.js';
