/**
 * Camunda typed variables ⇄ ProcOS JSON (src/api/engine-rest/variables.ts), dates and
 * the multipart reader: every type in and out, lower- and capitalised type names, and a
 * clear refusal of values that do not fit their type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { formatDate, parseDate } from '../../src/api/engine-rest/dates.js';
import { parseMultipart } from '../../src/api/engine-rest/multipart.js';
import { binaryContent, fromTypedValue, fromTypedVariables, toTypedValue } from '../../src/api/engine-rest/variables.js';

function refused(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e) => {
    assert.ok(isProcosError(e), String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

describe('typed variables in', () => {
  it('reads every type, in any letter case, into plain JSON', () => {
    const vars = fromTypedVariables(
      {
        s: { value: 'text', type: 'string' },
        i: { value: 42, type: 'Integer' },
        sh: { value: '7', type: 'short' },
        l: { value: 2 ** 40, type: 'LONG' },
        d: { value: 1.5, type: 'Double' },
        b: { value: 'true', type: 'boolean' },
        dt: { value: '2026-01-01T01:00:00.000+0100', type: 'Date' },
        j: { value: '{"a":[1,2,{"b":null}]}', type: 'json' },
        n: { value: null, type: 'Null' },
        o: { value: '{"x":1}', type: 'Object', valueInfo: { objectTypeName: 'com.example.X', serializationDataFormat: 'application/json' } },
        ox: { value: '<x/>', type: 'Object', valueInfo: { objectTypeName: 'com.example.X', serializationDataFormat: 'application/xml' } },
        f: { value: Buffer.from('hello').toString('base64'), type: 'file', valueInfo: { filename: 'hello.txt', mimetype: 'text/plain', encoding: 'utf-8' } },
        by: { value: Buffer.from([0, 1, 2, 255]).toString('base64'), type: 'Bytes' },
        untyped: { value: { deep: true } },
      },
      'variables',
    );
    assert.deepEqual(vars, {
      s: 'text',
      i: 42,
      sh: 7,
      l: 2 ** 40,
      d: 1.5,
      b: true,
      dt: '2026-01-01T00:00:00.000Z',
      j: { a: [1, 2, { b: null }] },
      n: null,
      o: { x: 1 },
      ox: { $type: 'Object', serializationDataFormat: 'application/xml', objectTypeName: 'com.example.X', value: '<x/>' },
      f: { $type: 'File', filename: 'hello.txt', mimeType: 'text/plain', encoding: 'utf-8', base64: 'aGVsbG8=' },
      by: { $type: 'Bytes', base64: 'AAEC/w==' },
      untyped: { deep: true },
    });
  });

  it('refuses values that do not fit their type, naming variable and type', () => {
    refused(() => fromTypedValue('n', { value: 'abc', type: 'Integer' }), 'PROCOS_API_INVALID_VARIABLE', /variable 'n' of type 'Integer'.*not a whole number/);
    refused(() => fromTypedValue('n', { value: 2 ** 31, type: 'Integer' }), 'PROCOS_API_INVALID_VARIABLE', /out of range/);
    refused(() => fromTypedValue('n', { value: 2 ** 60, type: 'Long' }), 'PROCOS_API_INVALID_VARIABLE', /2\^53/);
    refused(() => fromTypedValue('d', { value: 'yesterday', type: 'Date' }), 'PROCOS_API_INVALID_VARIABLE', /not a date/);
    refused(() => fromTypedValue('j', { value: '{broken', type: 'Json' }), 'PROCOS_API_INVALID_VARIABLE', /not valid JSON/);
    refused(() => fromTypedValue('b', { value: 'maybe', type: 'Boolean' }), 'PROCOS_API_INVALID_VARIABLE', /not true or false/);
    refused(() => fromTypedValue('x', { value: 1, type: 'Xml' }), 'PROCOS_API_INVALID_VARIABLE', /supports the types/);
    refused(() => fromTypedValue('o', { value: '{}', type: 'Object' }), 'PROCOS_API_INVALID_VARIABLE', /serializationDataFormat/);
    refused(() => fromTypedValue('f', { value: '!!!', type: 'File', valueInfo: { filename: 'a' } }), 'PROCOS_API_INVALID_VARIABLE', /base64/);
    refused(() => fromTypedVariables([1, 2], 'variables'), 'PROCOS_API_INVALID_REQUEST', /variables must be an object/);
  });
});

describe('typed variables out', () => {
  it('answers capitalised types: Integer/Long by magnitude, Double, Date, Json as a string, File without content', () => {
    assert.deepEqual(toTypedValue('x'), { type: 'String', value: 'x', valueInfo: {} });
    assert.deepEqual(toTypedValue(2 ** 31 - 1), { type: 'Integer', value: 2 ** 31 - 1, valueInfo: {} });
    assert.deepEqual(toTypedValue(-(2 ** 31)), { type: 'Integer', value: -(2 ** 31), valueInfo: {} });
    assert.deepEqual(toTypedValue(2 ** 31), { type: 'Long', value: 2 ** 31, valueInfo: {} });
    assert.deepEqual(toTypedValue(0.25), { type: 'Double', value: 0.25, valueInfo: {} });
    assert.deepEqual(toTypedValue(false), { type: 'Boolean', value: false, valueInfo: {} });
    assert.deepEqual(toTypedValue(null), { type: 'Null', value: null, valueInfo: {} });
    assert.deepEqual(toTypedValue('2026-01-01T00:00:00.000Z'), { type: 'Date', value: '2026-01-01T00:00:00.000+0000', valueInfo: {} });
    assert.deepEqual(toTypedValue('2026-01-01T00:00:00Z'), { type: 'String', value: '2026-01-01T00:00:00Z', valueInfo: {} }, 'only the canonical form is a Date');
    assert.deepEqual(toTypedValue({ a: [1] }), { type: 'Json', value: '{"a":[1]}', valueInfo: {} });
    assert.deepEqual(toTypedValue([1, 'x']), { type: 'Json', value: '[1,"x"]', valueInfo: {} });
    assert.deepEqual(toTypedValue({ $type: 'File', filename: 'a.txt', mimeType: 'text/plain', encoding: null, base64: 'YQ==' }), {
      type: 'File',
      value: null,
      valueInfo: { filename: 'a.txt', mimeType: 'text/plain', encoding: null },
    });
    assert.deepEqual(toTypedValue({ $type: 'Bytes', base64: 'AAE=' }), { type: 'Bytes', value: 'AAE=', valueInfo: {} });
    assert.deepEqual(toTypedValue({ $type: 'Object', serializationDataFormat: 'application/xml', objectTypeName: 'X', value: '<x/>' }), {
      type: 'Object',
      value: '<x/>',
      valueInfo: { objectTypeName: 'X', serializationDataFormat: 'application/xml' },
    });
  });

  it('round-trips every type through the store form without losing it', () => {
    const cases: [string, unknown, unknown][] = [
      ['String', 'hello', 'hello'],
      ['Integer', 12, 12],
      ['Long', 9_007_199_254_740_991, 9_007_199_254_740_991],
      ['Double', 3.25, 3.25],
      ['Boolean', true, true],
      ['Date', '2026-03-04T05:06:07.890+0000', '2026-03-04T05:06:07.890+0000'],
      ['Json', '{"k":"v"}', '{"k":"v"}'],
      ['Bytes', 'AAEC', 'AAEC'],
    ];
    for (const [type, value, back] of cases) {
      const out = toTypedValue(fromTypedValue('v', { type, value }));
      assert.equal(out.type, type);
      assert.deepEqual(out.value, back);
    }
    const file = fromTypedValue('f', { type: 'File', value: 'aGk=', valueInfo: { filename: 'hi.txt', mimeType: 'text/plain', encoding: 'UTF-8' } });
    assert.deepEqual(binaryContent(file), { content: Buffer.from('hi'), mimeType: 'text/plain', filename: 'hi.txt', encoding: 'UTF-8' });
    assert.equal(binaryContent('not binary'), undefined);
  });
});

describe('dates', () => {
  it("reads Camunda's format and ISO-8601, answers Camunda's format in UTC", () => {
    assert.equal(parseDate('2026-01-01T00:00:00.000+0000'), Date.UTC(2026, 0, 1));
    assert.equal(parseDate('2026-01-01T02:00:00.000+02:00'), Date.UTC(2026, 0, 1));
    assert.equal(parseDate('2026-01-01T00:00:00Z'), Date.UTC(2026, 0, 1));
    assert.equal(parseDate('2026-01-01T00:00:00'), Date.UTC(2026, 0, 1));
    assert.equal(parseDate('2026-02-30T00:00:00Z'), null);
    assert.equal(parseDate('01.01.2026'), null);
    assert.equal(formatDate(Date.UTC(2026, 0, 1, 12, 30, 5, 7)), '2026-01-01T12:30:05.007+0000');
  });
});

describe('multipart reader', () => {
  const CT = 'multipart/form-data; boundary=XyZ';
  const body = (s: string): Buffer => Buffer.from(s.replace(/\n/g, '\r\n'), 'utf8');

  it('splits fields and files with their names, file names and types', () => {
    const parts = parseMultipart(
      body('preamble\n--XyZ\nContent-Disposition: form-data; name="deployment-name"\n\nmine\n--XyZ\nContent-Disposition: form-data; name="a.bpmn"; filename="a \\"x\\".bpmn"\nContent-Type: text/xml\n\n<x/>\n--XyZ--\n'),
      CT,
    );
    assert.deepEqual(
      parts.map((p) => [p.name, p.filename, p.contentType, p.content.toString()]),
      [
        ['deployment-name', null, null, 'mine'],
        ['a.bpmn', 'a "x".bpmn', 'text/xml', '<x/>'],
      ],
    );
  });

  it('refuses a body without the boundary, without a final boundary, or without a name', () => {
    refused(() => parseMultipart(body('nothing here'), CT), 'PROCOS_API_INVALID_REQUEST', /boundary does not occur/);
    refused(() => parseMultipart(body('--XyZ\nContent-Disposition: form-data; name="a"\n\nvalue'), CT), 'PROCOS_API_INVALID_REQUEST', /not closed/);
    refused(() => parseMultipart(body('--XyZ\nContent-Disposition: form-data\n\nv\n--XyZ--'), CT), 'PROCOS_API_INVALID_REQUEST', /no name/);
    refused(() => parseMultipart(body('--XyZ--'), 'multipart/form-data'), 'PROCOS_API_INVALID_REQUEST', /no boundary parameter/);
  });
});
