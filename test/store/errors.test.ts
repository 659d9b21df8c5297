/** The store's error registry follows the house rules (src/common/errors.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreErrors } from '../../src/store/index.js';

describe('StoreErrors', () => {
  it('has unique PROCOS_STORE_ codes matching their names, with HTTP statuses', () => {
    const codes = new Set<string>();
    for (const [name, spec] of Object.entries(StoreErrors)) {
      assert.equal(spec.code, `PROCOS_STORE_${name}`);
      assert.ok(!codes.has(spec.code), `duplicate code ${spec.code}`);
      codes.add(spec.code);
      assert.ok(Number.isInteger(spec.status) && spec.status >= 400 && spec.status < 600, `${spec.code} status`);
    }
  });
});
