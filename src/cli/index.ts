/**
 * The cli layer: the `procos` commands (boot, run, deploy, start, ps, show, incidents,
 * retry, kill) and the `/procos/v1` client they use.
 */
export { DEFAULT_KERNEL_URL, KernelClient, resolveKernelUrl } from './client.js';
export type { KernelClientOptions, KernelTarget } from './client.js';
export { CliErrors } from './errors.js';
export { formatDuration, formatInstanceDetail, formatTimeline, formatVariables } from './format.js';
export { processIo } from './io.js';
export type { CliIo } from './io.js';
export { createProgram, reportError, runCli } from './program.js';
export { collectVariables, parseValue, parseVar } from './vars.js';
