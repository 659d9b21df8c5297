/**
 * The adapters layer: the adapter contract and the built-in adapters (`http`, `shell`).
 * An adapter does one unit of work for a TDE worker (Input → Execute → Output); the
 * worker chooses it by a route's `adapter` name from an {@link AdapterRegistry}.
 */
import { adapterEntry } from './config.js';
import { httpAdapter } from './http.js';
import { shellAdapter } from './shell.js';
import type { AdapterRegistry } from './types.js';

export { AdaptersErrors } from './errors.js';
export { adapterEntry, configureAdapter, describeIssues, formatPath, jsonTemplate, outputName, templateString, toConfigIssues } from './config.js';
export { ALWAYS_SECRET_HEADERS, DEFAULT_MAX_RESPONSE_BYTES, httpAdapter, httpConfigSchema } from './http.js';
export type { HttpConfig } from './http.js';
export { DEFAULT_MAX_OUTPUT_BYTES, shellAdapter, shellConfigSchema } from './shell.js';
export type { ShellConfig } from './shell.js';
export { hasPlaceholders, lookupVariable, parseTemplate, renderJson, renderTemplate, stringifyValue } from './template.js';
export type { TemplatePart } from './template.js';
export type {
  Adapter,
  AdapterCall,
  AdapterEntry,
  AdapterInput,
  AdapterLogDetails,
  AdapterRegistry,
  AdapterResult,
  AdapterTaskInfo,
  BpmnErrorResult,
  CompleteResult,
  ConfigIssue,
  ConfigureResult,
  ConfiguredAdapter,
  FailureResult,
} from './types.js';

/** The adapters every worker knows: `http` and `shell`. Extend by spreading: `{...builtinAdapters, mine: adapterEntry(myAdapter)}`. */
export const builtinAdapters: AdapterRegistry = Object.freeze({
  http: adapterEntry(httpAdapter),
  shell: adapterEntry(shellAdapter),
});
