/**
 * The `procos` package: the public API of every layer, each as a namespace
 * (`model`, `engine`, `store`, `runtime`, `api`, `worker`, `adapters`, `kernel`, `cli`,
 * `observability`, `common`), plus the handful of names most programs start from.
 *
 * @example
 * ```ts
 * import { openStore, Runtime } from 'procos';
 *
 * const store = await openStore('sqlite:./procos.db');
 * const runtime = new Runtime(store);
 * await runtime.deploy({ name: 'order', resources: [{ name: 'order.bpmn', content: xml }] });
 * const instance = await runtime.startInstance({ key: 'order', variables: { amount: 42 } });
 * ```
 */
export * as adapters from './adapters/index.js';
export * as api from './api/index.js';
export * as cli from './cli/index.js';
export * as common from './common/index.js';
export * as engine from './engine/index.js';
export * as kernel from './kernel/index.js';
export * as model from './model/index.js';
export * as observability from './observability/index.js';
export * as runtime from './runtime/index.js';
export * as store from './store/index.js';
export * as worker from './worker/index.js';

export { ProcosError, isProcosError } from './common/index.js';
export type { JsonObject, JsonValue, Variables } from './common/index.js';
export { compileBpmn } from './model/index.js';
export { openStore } from './store/index.js';
export type { Store } from './store/index.js';
export { Runtime } from './runtime/index.js';
export { TdeWorker, compileRoutes } from './worker/index.js';
export { createLogger } from './observability/index.js';
export { Kernel, loadConfig, InProcessTransport } from './kernel/index.js';
export { createApiServer } from './api/server.js';
export { procosV1Routes } from './api/procos-v1/index.js';
export { runCli } from './cli/index.js';
