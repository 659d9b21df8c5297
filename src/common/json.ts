/** A JSON value, as stored in instance state and variables. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };
/**
 * Process variables: name → JSON value. Dates travel as ISO-8601 strings; binary
 * content is not stored in variables by the engine core.
 */
export type Variables = Record<string, JsonValue>;
