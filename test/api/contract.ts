/**
 * Validation of requests and responses against Camunda's OpenAPI description (the
 * subset of test/fixtures/api/camunda7-openapi.subset.json, extracted from
 * /work/shared/contracts/camunda7-openapi.json, plus the 7.2x additions of
 * openapi-7.2x-additions.json) with ajv.
 *
 * OpenAPI 3.0 specifics: `nullable` (ajv knows it); formats `int32`, `int64`,
 * `binary`; `date-time` is Camunda's wire format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`
 * (RFC 3339 would demand a colon in the offset, which Camunda never sends).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
interface Operation {
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}
interface Additions {
  schemaPatches: Record<string, { properties: Record<string, Json> }>;
  schemas: Record<string, Json>;
  paths: Record<string, Record<string, Operation>>;
}

const fixtureUrl = (name: string): URL => new URL(`../../../test/fixtures/api/${name}`, import.meta.url);

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixtureUrl(name), 'utf8')) as T;
}

/**
 * Rewrites local refs to the registered document id, and lets `nullable` enums hold
 * null (OpenAPI 3.0: `nullable: true` admits null; ajv applies `enum` to null too, and
 * Camunda answers e.g. `delegationState: null`).
 */
function rebase(v: Json): Json {
  if (Array.isArray(v)) return v.map(rebase);
  if (v === null || typeof v !== 'object') return v;
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/components/', 'camunda#/components/') : rebase(x);
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** Patches a schema (plain or allOf) with extra properties. */
function patch(schema: Json, props: Record<string, Json>): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  const target = Array.isArray(schema.allOf) ? (schema.allOf[0] as { [k: string]: Json }) : schema;
  target.properties = { ...((target.properties as Record<string, Json> | undefined) ?? {}), ...props };
}

/** The contract: Camunda's OpenAPI, as validators per operation. */
export class Contract {
  private readonly ajv: Ajv;
  private readonly doc: Doc;
  private readonly cache = new Map<string, ValidateFunction>();
  /** Operations validated so far, `METHOD path` (for the coverage check). */
  readonly seen = new Set<string>();

  constructor() {
    this.doc = readJson<Doc>('camunda7-openapi.subset.json');
    const add = readJson<Additions>('openapi-7.2x-additions.json');
    for (const [name, p] of Object.entries(add.schemaPatches)) patch(this.doc.components.schemas[name]!, p.properties);
    Object.assign(this.doc.components.schemas, add.schemas);
    for (const [p, ops] of Object.entries(add.paths)) this.doc.paths[p] = { ...(this.doc.paths[p] ?? {}), ...ops };
    // Fix of the generated 7.15 file: a variable's value is any JSON value.
    const vv = this.doc.components.schemas.VariableValueDto as { properties: Record<string, Json> };
    vv.properties.value = {};
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('binary', () => true);
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
    this.ajv.addSchema(rebase(this.doc as unknown as Json) as object, 'camunda');
  }

  /** Every operation of the contract, `METHOD path`. */
  operations(): string[] {
    return Object.entries(this.doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  }

  private op(method: string, path: string): Operation {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    assert.ok(op !== undefined, `${method} ${path} is not in the contract`);
    return op;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = this.ajv.compile(rebase(schema) as object);
      this.cache.set(key, v);
    }
    return v;
  }

  private check(what: string, v: ValidateFunction, data: unknown): void {
    if (!v(data)) assert.fail(`${what} does not match Camunda's contract: ${this.ajv.errorsText(v.errors, { separator: '; ' })}\n${JSON.stringify(data).slice(0, 2000)}`);
  }

  /** Validates a JSON request body of `METHOD path` (path as in the spec, e.g. `/external-task/{id}/complete`). */
  request(method: string, path: string, body: unknown): void {
    const schema = this.op(method, path).requestBody?.content['application/json']?.schema;
    assert.ok(schema !== undefined, `${method} ${path} takes no JSON body in the contract`);
    this.check(`request ${method} ${path}`, this.validator(`req ${method} ${path}`, schema), body);
  }

  /**
   * Validates a response: a documented status validates against its schema; an error
   * status the spec does not list validates against ExceptionDto; JSON responses must
   * say `Content-Type: application/json` exactly.
   */
  response(method: string, path: string, answer: { status: number; headers: Headers; body: unknown }): void {
    const op = this.op(method, path);
    this.seen.add(`${method.toUpperCase()} ${path}`);
    const documented = op.responses[String(answer.status)];
    if (answer.status === 204) {
      assert.ok(documented !== undefined, `${method} ${path}: 204 is not a documented status`);
      return;
    }
    const ct = answer.headers.get('content-type');
    const schema = documented?.content?.['application/json']?.schema;
    if (schema === undefined && documented?.content !== undefined) return; // binary / text responses
    if (schema === undefined) assert.ok(answer.status >= 400, `${method} ${path}: status ${answer.status} is not documented`);
    assert.equal(ct, 'application/json', `${method} ${path}: Content-Type must be exactly application/json`);
    const s: Json = schema ?? { $ref: '#/components/schemas/ExceptionDto' };
    this.check(`response ${answer.status} of ${method} ${path}`, this.validator(`res ${method} ${path} ${answer.status}`, s), answer.body);
    if (answer.status >= 400) {
      const b = answer.body as { type?: unknown; message?: unknown; code?: unknown };
      assert.equal(typeof b.type, 'string', 'error bodies have a type');
      assert.equal(typeof b.message, 'string', 'error bodies have a message');
      assert.equal(typeof b.code, 'number', 'error bodies have a numeric code');
    }
  }
}
