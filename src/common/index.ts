export { ProcosError, isProcosError } from './errors.js';
export type { ErrorSpec, SourceLocation } from './errors.js';
export type { JsonValue, JsonObject, Variables } from './json.js';
export { cloneJson } from './json.js';
export { newUuidV7 } from './ids.js';
