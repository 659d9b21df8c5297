/**
 * cloneJson: the deep copy the engine makes of an instance state before running a command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../src/common/json.js';

describe('cloneJson', () => {
  it('copies nested objects and arrays deeply: the copy equals the original and shares nothing with it', () => {
    const original = { a: 1, s: 'x', n: null, b: false, list: [1, { deep: [true, 'y'] }], obj: { inner: { k: 2.5 } } };
    const copy = cloneJson(original);
    assert.deepEqual(copy, original);
    copy.list.push(9);
    (copy.list[1] as { deep: unknown[] }).deep[0] = false;
    copy.obj.inner.k = 0;
    assert.deepEqual(original, { a: 1, s: 'x', n: null, b: false, list: [1, { deep: [true, 'y'] }], obj: { inner: { k: 2.5 } } });
  });

  it('returns scalars as they are', () => {
    for (const v of [0, -1.5, 'text', '', true, false, null]) assert.equal(cloneJson(v), v);
  });

  it('copies a "__proto__" key as a plain own property, as JSON.parse creates it, without touching the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(Object.keys(copy), ['__proto__', 'x']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value, { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
  });
});
