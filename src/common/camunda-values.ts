/**
 * Camunda 7 typed variables (`{value, type, valueInfo}`, REST reference "Variables") ⇄
 * ProcOS variables (plain JSON, what the engine stores and expressions read), and
 * Camunda's wire date format. One implementation for both sides of the wire: the
 * engine-rest API (src/api/engine-rest/variables.ts wraps it with the API's coded
 * errors) and the REST transport of TDE workers (src/worker/rest-transport.ts).
 *
 * Pure functions: no I/O, no framework. A value that cannot be converted throws a
 * {@link CamundaValueError}, which each caller turns into its own layer's coded error.
 *
 * Type names are read case-insensitively (`string`, `String`); answers use Camunda's
 * capitalised names. The mapping keeps every type that JSON alone cannot tell apart in
 * a small tagged object (`$type`), and keeps everything else as the plain JSON value an
 * expression would expect:
 *
 * | Camunda type | stored in ProcOS as | answered as |
 * |---|---|---|
 * | String | the string | String (but see Date) |
 * | Integer, Short | the number | Integer when −2³¹ ≤ n < 2³¹, else Long |
 * | Long | the number (must be a safe integer, \|n\| ≤ 2⁵³−1) | Integer or Long by magnitude |
 * | Double | the number | Double when not integral; an integral Double (2.0) comes back as Integer/Long |
 * | Boolean | true / false | Boolean |
 * | Null (or a null value) | null | Null |
 * | Date | ISO-8601 UTC string with ms, `2026-01-01T00:00:00.000Z` | Date, `2026-01-01T00:00:00.000+0000` |
 * | Json | the parsed JSON value | Json, value as a JSON string (objects and arrays; a Json scalar comes back as its scalar type) |
 * | Object, `serializationDataFormat` application/json | the parsed JSON value | Json (like above) |
 * | Object, any other format | `{"$type":"Object","serializationDataFormat","objectTypeName","value"}` (serialized text kept) | Object with the same valueInfo and text |
 * | File | `{"$type":"File","filename","mimeType","encoding","base64"}` | File, value null, valueInfo {filename, mimeType, encoding} (content via `…/data`, as Camunda) |
 * | Bytes | `{"$type":"Bytes","base64"}` | Bytes, value base64 |
 * | (no type) | the JSON value as sent (objects/arrays: as Json) | by the rules above |
 *
 * Sending a File to an engine (a request, not an answer: {@link toTypedValue} with
 * `{ fileContent: true }`) carries the content as base64 in `value` and valueInfo
 * `{filename, mimetype, encoding}`, as Camunda's REST reference documents uploads.
 *
 * Known ambiguities, by design: a String holding exactly the canonical date form
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`) is answered as a Date; an object written with a `$type`
 * of `File`, `Bytes` or `Object` and those fields is read as that type. Numeric and
 * boolean values sent as strings (`{"value":"42","type":"Integer"}`) are converted, as
 * Camunda converts them. `valueInfo.transient` is accepted, and the value is stored.
 */
import type { JsonValue, Variables } from './json.js';

// ---------------------------------------------------------------------------------------
// Dates: `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (Camunda's default date format, REST reference
// "Date Format"). ProcOS writes UTC; it reads that format and the ISO-8601 forms
// clients also send (`Z`, `+01:00`, without milliseconds).

const CAMUNDA_OR_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms → Camunda's date format in UTC (`2026-01-01T00:00:00.000+0000`). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '+0000');
}

/**
 * Reads a date in Camunda's format or ISO-8601 (`Z`, `±hh:mm`, `±hhmm`; no zone = UTC;
 * fractions beyond ms are cut). Returns epoch ms, or null when the text is not such a
 * date (including impossible dates like February 30).
 */
export function parseDate(text: string): number | null {
  const m = CAMUNDA_OR_ISO.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  if (zone === undefined || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMin * 60_000;
}

// ---------------------------------------------------------------------------------------
// Typed values

/** A variable value in Camunda's format (VariableValueDto). */
export interface TypedValueDto {
  value: JsonValue;
  type: string;
  valueInfo: Record<string, JsonValue>;
}

/** The binary content of a File or Bytes variable (for the `…/data` routes). */
export interface BinaryContent {
  content: Buffer;
  /** Null for Bytes, or a File without a MIME type. */
  mimeType: string | null;
  filename: string | null;
  encoding: string | null;
}

/**
 * A typed value that cannot be converted. Never leaves ProcOS as is: the API answers it
 * as PROCOS_API_INVALID_VARIABLE (or _INVALID_REQUEST for a `map`), the worker's REST
 * transport as PROCOS_WORKER_BAD_VARIABLE.
 */
export class CamundaValueError extends Error {
  /**
   * @param kind `value`: one variable does not fit its type; `map`: the variables are not an object.
   * @param variable the variable's name (for `map`, the field that holds the variables).
   * @param type the type it was sent with (`unknown`, `untyped` when none).
   */
  constructor(
    readonly kind: 'value' | 'map',
    readonly variable: string,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'CamundaValueError';
  }
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const CANONICAL_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The type names ProcOS accepts (lower case), with their answer spelling. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'String',
  integer: 'Integer',
  short: 'Short',
  long: 'Long',
  double: 'Double',
  boolean: 'Boolean',
  date: 'Date',
  json: 'Json',
  null: 'Null',
  file: 'File',
  bytes: 'Bytes',
  object: 'Object',
};

/** The capitalised type names ProcOS reads and writes. */
export const CAMUNDA_TYPE_NAMES: readonly string[] = Object.values(TYPE_NAMES);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(name: string, type: string, why: string): CamundaValueError {
  return new CamundaValueError('value', name, type, `Cannot read variable '${name}' of type '${type}': ${why}`);
}

/** True when `v` is a JSON value (no undefined, functions, non-finite numbers). */
export function isJsonValue(v: unknown): v is JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonValue);
  if (isRecord(v)) return Object.values(v).every(isJsonValue);
  return false;
}

function toNumber(name: string, type: string, value: unknown, integral: boolean): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && (integral ? INTEGER_TEXT : NUMBER_TEXT).test(value.trim())) n = Number(value.trim());
  else throw bad(name, type, `${JSON.stringify(value)} is not a ${integral ? 'whole number' : 'number'}`);
  if (!Number.isFinite(n)) throw bad(name, type, `${JSON.stringify(value)} is not a finite number`);
  if (integral && !Number.isInteger(n)) throw bad(name, type, `${JSON.stringify(value)} is not a whole number`);
  return n;
}

function canonicalBase64(name: string, type: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw bad(name, type, 'the value must be a base64 string');
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) throw bad(name, type, 'the value is not valid base64');
  return Buffer.from(compact, 'base64').toString('base64');
}

function infoString(info: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = info[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/**
 * One typed value (VariableValueDto as sent) → the JSON value ProcOS stores.
 * @throws CamundaValueError (`kind` 'value') naming the variable and type, when the value
 *   does not fit its type or the type is unknown.
 */
export function fromTypedValue(name: string, input: unknown): JsonValue {
  if (!isRecord(input)) throw bad(name, 'unknown', 'expected an object {value, type, valueInfo}');
  const rawType = input.type;
  const value = input.value;
  const info = isRecord(input.valueInfo) ? input.valueInfo : {};
  if (rawType === undefined || rawType === null || rawType === '') {
    if (value === undefined) return null;
    if (!isJsonValue(value)) throw bad(name, 'untyped', 'the value is not JSON');
    return value;
  }
  if (typeof rawType !== 'string') throw bad(name, String(rawType), 'the type must be a string');
  const type = TYPE_NAMES[rawType.toLowerCase()];
  if (type === undefined) {
    throw bad(name, rawType, `ProcOS supports the types ${CAMUNDA_TYPE_NAMES.join(', ')} (any letter case)`);
  }
  if (value === null || value === undefined) {
    if (type === 'File') return fileJson(name, info, '');
    return null;
  }
  switch (type) {
    case 'Null':
      return null;
    case 'String':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw bad(name, type, 'the value must be a string');
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw bad(name, type, `${JSON.stringify(value)} is not true or false`);
    case 'Integer':
    case 'Short': {
      const n = toNumber(name, type, value, true);
      const [min, max] = type === 'Short' ? [-32768, 32767] : [INT_MIN, INT_MAX];
      if (n < min || n > max) throw bad(name, type, `${n} is out of range [${min}, ${max}]`);
      return n;
    }
    case 'Long': {
      const n = toNumber(name, type, value, true);
      if (!Number.isSafeInteger(n)) throw bad(name, type, `${String(value)} is beyond ±(2^53−1): ProcOS keeps numbers as JSON (IEEE doubles)`);
      return n;
    }
    case 'Double':
      return toNumber(name, type, value, false);
    case 'Date': {
      const ms = typeof value === 'string' ? parseDate(value) : null;
      if (ms === null) throw bad(name, type, `${JSON.stringify(value)} is not a date like 2026-01-01T00:00:00.000+0000`);
      return new Date(ms).toISOString();
    }
    case 'Json':
      return parseJsonText(name, type, value);
    case 'Object': {
      const format = infoString(info, 'serializationDataFormat');
      if (format === null) throw bad(name, type, 'valueInfo.serializationDataFormat is required (ProcOS reads application/json)');
      if (/^application\/json\b/i.test(format)) return parseJsonText(name, type, value);
      if (typeof value !== 'string') throw bad(name, type, `a value serialized as ${format} must be a string`);
      return { $type: 'Object', serializationDataFormat: format, objectTypeName: infoString(info, 'objectTypeName'), value };
    }
    case 'File':
      return fileJson(name, info, canonicalBase64(name, type, value));
    case 'Bytes':
      return { $type: 'Bytes', base64: canonicalBase64(name, type, value) };
  }
  throw bad(name, rawType, 'unknown type');
}

function parseJsonText(name: string, type: string, value: unknown): JsonValue {
  if (typeof value !== 'string') {
    if (!isJsonValue(value)) throw bad(name, type, 'the value is not JSON');
    return value;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    if (!isJsonValue(parsed)) throw new Error('not JSON');
    return parsed;
  } catch (e) {
    throw bad(name, type, `the value is not valid JSON text (${e instanceof Error ? e.message : String(e)})`);
  }
}

function fileJson(name: string, info: Record<string, unknown>, base64: string): JsonValue {
  return {
    $type: 'File',
    filename: infoString(info, 'filename') ?? name,
    mimeType: infoString(info, 'mimeType', 'mimetype'),
    encoding: infoString(info, 'encoding'),
    base64,
  };
}

/**
 * A map of typed values (`{"name": {value, type, valueInfo}}`) → ProcOS variables.
 * `undefined` and `null` give `undefined` (no variables).
 * @param field the name of the field holding the map (for the error message).
 * @throws CamundaValueError `kind` 'map' when `input` is not an object; `kind` 'value'
 *   for a bad value (see {@link fromTypedValue}).
 */
export function fromTypedVariables(input: unknown, field: string): Variables | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isRecord(input)) throw new CamundaValueError('map', field, 'map', `${field} must be an object of variables {"name": {"value": …, "type": …}}`);
  const out: Variables = {};
  for (const [name, tv] of Object.entries(input)) out[name] = fromTypedValue(name, tv);
  return out;
}

/** True for a stored File, Bytes or Object value ({@link fromTypedValue}'s tagged objects). */
function tagOf(value: JsonValue): 'File' | 'Bytes' | 'Object' | null {
  if (!isRecord(value)) return null;
  const t = value.$type;
  if (t === 'File' && typeof value.base64 === 'string' && typeof value.filename === 'string') return 'File';
  if (t === 'Bytes' && typeof value.base64 === 'string') return 'Bytes';
  if (t === 'Object' && typeof value.value === 'string' && typeof value.serializationDataFormat === 'string') return 'Object';
  return null;
}

/** True when `s` is the canonical stored form of a Date. */
export function isStoredDate(s: string): boolean {
  return CANONICAL_DATE.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s;
}

/** Options of {@link toTypedValue}. */
export interface ToTypedOptions {
  /**
   * A File's content goes along as base64 in `value`, with valueInfo `{filename,
   * mimetype, encoding}` (how a client sends a File to an engine). @default false (an
   * answer: value null, content via the `…/data` route, valueInfo with `mimeType`)
   */
  readonly fileContent?: boolean;
}

/** A stored JSON value → Camunda's typed format (see the table in this module's doc). */
export function toTypedValue(value: JsonValue, options: ToTypedOptions = {}): TypedValueDto {
  if (value === null) return { type: 'Null', value: null, valueInfo: {} };
  if (typeof value === 'string') return isStoredDate(value) ? { type: 'Date', value: formatDate(Date.parse(value)), valueInfo: {} } : { type: 'String', value, valueInfo: {} };
  if (typeof value === 'boolean') return { type: 'Boolean', value, valueInfo: {} };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { type: 'Double', value, valueInfo: {} };
    return { type: value >= INT_MIN && value <= INT_MAX ? 'Integer' : 'Long', value, valueInfo: {} };
  }
  if (!Array.isArray(value)) {
    switch (tagOf(value)) {
      case 'File':
        if (options.fileContent === true) {
          return { type: 'File', value: value.base64 ?? '', valueInfo: { filename: value.filename ?? null, mimetype: value.mimeType ?? null, encoding: value.encoding ?? null } };
        }
        return { type: 'File', value: null, valueInfo: { filename: value.filename ?? null, mimeType: value.mimeType ?? null, encoding: value.encoding ?? null } };
      case 'Bytes':
        return { type: 'Bytes', value: value.base64 ?? '', valueInfo: {} };
      case 'Object':
        return {
          type: 'Object',
          value: value.value ?? null,
          valueInfo: { objectTypeName: value.objectTypeName ?? null, serializationDataFormat: value.serializationDataFormat ?? null },
        };
      case null:
        break;
    }
  }
  return { type: 'Json', value: JSON.stringify(value), valueInfo: {} };
}

/** Every variable of a map → its typed form. */
export function toTypedVariables(vars: Readonly<Record<string, JsonValue>>, options: ToTypedOptions = {}): Record<string, TypedValueDto> {
  const out: Record<string, TypedValueDto> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = toTypedValue(v, options);
  return out;
}

/** True when `value` is a stored File whose content is not known (read from an answer: value null). */
export function isFileWithoutContent(value: JsonValue): boolean {
  return tagOf(value) === 'File' && isRecord(value) && value.base64 === '';
}

/** `value` (a stored File) with its content set. */
export function withFileContent(value: JsonValue, content: Uint8Array): JsonValue {
  if (tagOf(value) !== 'File' || !isRecord(value)) return value;
  return { ...value, base64: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64') };
}

/** The content of a stored File or Bytes value; undefined for any other value. */
export function binaryContent(value: JsonValue): BinaryContent | undefined {
  const tag = tagOf(value);
  if (!isRecord(value) || (tag !== 'File' && tag !== 'Bytes')) return undefined;
  const str = (k: string): string | null => (typeof value[k] === 'string' && value[k] !== '' ? (value[k] as string) : null);
  return {
    content: Buffer.from(String(value.base64), 'base64'),
    mimeType: tag === 'File' ? str('mimeType') : null,
    filename: tag === 'File' ? str('filename') : null,
    encoding: tag === 'File' ? str('encoding') : null,
  };
}
