/**
 * Contract: schema migrations at open, and store URLs. Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import { compileStoreUrl, openStore, SCHEMA_VERSION, StoreErrors } from '../../src/store/index.js';
import { storeKinds } from '../helpers/stores.js';
import { hasCode } from './fixtures.js';

for (const kind of storeKinds()) {
  describe(`migrations [${kind.name}]`, () => {
    it('creates the schema on first open and records its version', async () => {
      const db = await kind.newDatabase();
      try {
        const store = await openStore(db.url);
        assert.equal(store.schemaVersion, SCHEMA_VERSION);
        assert.equal(store.kind, kind.name);
        await store.close();
        await store.close(); // idempotent
        await assert.rejects(store.countInstances(), hasCode(StoreErrors.CLOSED));
        const rows = await kind.exec(db.url, 'SELECT version, description, applied_time FROM procos_schema ORDER BY version');
        assert.deepEqual(
          rows.map((r) => Number(r['version'])),
          Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
        );
      } finally {
        await db.drop();
      }
    });

    it('reopening is a no-op: nothing is rewritten, data stays', async () => {
      const db = await kind.newDatabase();
      try {
        const first = await openStore(db.url);
        await first.deploy({ name: 'd', resources: [{ name: 'a.bpmn', content: 'a' }], processes: [{ key: 'a', resourceName: 'a.bpmn', hash: 'h' }] });
        await first.close();
        const before = await kind.exec(db.url, 'SELECT version, applied_time FROM procos_schema');
        const again = await openStore(db.url);
        assert.equal(await again.countProcessDefinitions(), 1);
        await again.close();
        assert.deepEqual(await kind.exec(db.url, 'SELECT version, applied_time FROM procos_schema'), before);
      } finally {
        await db.drop();
      }
    });

    it('concurrent first opens migrate once', async () => {
      const db = await kind.newDatabase();
      try {
        const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(db.url)));
        await Promise.all(stores.map((s) => s.close()));
        assert.equal((await kind.exec(db.url, 'SELECT version FROM procos_schema')).length, SCHEMA_VERSION);
      } finally {
        await db.drop();
      }
    });

    it('refuses a database with a newer schema version, naming both versions, without touching it', async () => {
      const db = await kind.newDatabase();
      try {
        await (await openStore(db.url)).close();
        const newer = SCHEMA_VERSION + 41;
        const insert =
          kind.name === 'sqlite'
            ? 'INSERT INTO procos_schema (version, description, applied_time) VALUES (?, ?, ?)'
            : 'INSERT INTO procos_schema (version, description, applied_time) VALUES ($1, $2, $3)';
        await kind.exec(db.url, insert, [newer, 'from the future', 1]);
        const before = await kind.exec(db.url, 'SELECT version FROM procos_schema ORDER BY version');
        await assert.rejects(openStore(db.url), (e: ProcosError) => {
          assert.equal(e.code, 'PROCOS_STORE_SCHEMA_TOO_NEW');
          assert.deepEqual(e.details, { databaseVersion: newer, codeVersion: SCHEMA_VERSION });
          assert.match(e.message, new RegExp(`schema version is ${newer}.*knows \\(${SCHEMA_VERSION}\\)`));
          return true;
        });
        assert.deepEqual(await kind.exec(db.url, 'SELECT version FROM procos_schema ORDER BY version'), before);
      } finally {
        await db.drop();
      }
    });
  });
}

describe('store URLs', () => {
  it('compiles sqlite URLs with durability parameters', () => {
    assert.deepEqual(compileStoreUrl('sqlite:./x.db'), { kind: 'sqlite', path: './x.db', synchronous: 'NORMAL', busyTimeoutMs: 5000 });
    assert.deepEqual(compileStoreUrl('sqlite:./x.db?synchronous=full&busyTimeout=100'), { kind: 'sqlite', path: './x.db', synchronous: 'FULL', busyTimeoutMs: 100 });
    assert.deepEqual(compileStoreUrl('sqlite:///var/lib/procos.db'), { kind: 'sqlite', path: '/var/lib/procos.db', synchronous: 'NORMAL', busyTimeoutMs: 5000 });
    assert.equal((compileStoreUrl('sqlite::memory:') as { path: string }).path, ':memory:');
    assert.deepEqual(compileStoreUrl('sqlite:x.db', { sqlite: { synchronous: 'EXTRA', busyTimeoutMs: 1 } }), { kind: 'sqlite', path: 'x.db', synchronous: 'EXTRA', busyTimeoutMs: 1 });
    assert.equal((compileStoreUrl('sqlite:x.db?synchronous=OFF', { sqlite: { synchronous: 'FULL' } }) as { synchronous: string }).synchronous, 'OFF', 'the URL wins');
  });

  it('refuses bad URLs and options with coded errors naming the problem', async () => {
    for (const [url, re] of [
      ['mysql://x', /unknown scheme/],
      ['sqlite:', /path is empty/],
      ['sqlite:x.db?synchronus=FULL', /unknown parameter synchronus/],
      ['sqlite:x.db?synchronous=SOMETIMES', /synchronous must be one of/],
      ['sqlite:x.db?busyTimeout=soon', /busyTimeout must be a number/],
    ] as const) {
      assert.throws(() => compileStoreUrl(url), (e: ProcosError) => e.code === StoreErrors.BAD_URL.code && re.test(e.message));
    }
    assert.throws(() => compileStoreUrl('postgres://u:secret@h/db', { postgres: { maxConnections: 0 } }), hasCode(StoreErrors.BAD_OPTION));
    await assert.rejects(openStore('nope:'), hasCode(StoreErrors.BAD_URL));
    assert.throws(
      () => compileStoreUrl('mysql://u:secret@h/db'),
      (e: ProcosError) => e.code === StoreErrors.BAD_URL.code && !e.message.includes('secret') && !JSON.stringify(e.details).includes('secret'),
      'passwords are not repeated in errors',
    );
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      assert.equal(await store.countInstances(), 0);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable PostgreSQL as UNAVAILABLE', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/x', { postgres: { connectionTimeoutMs: 2000 } }), hasCode(StoreErrors.UNAVAILABLE));
  });
});
