/**
 * SQLite only: the driver's group commit (src/store/sqlite/sqlite-driver.ts). Write
 * programs issued in one event-loop turn share one transaction, each in a savepoint.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { StoreErrors } from '../../src/store/index.js';
import { rowsOf, stmt, type TxProgram } from '../../src/store/sql/program.js';
import { SqliteDriver } from '../../src/store/sqlite/sqlite-driver.js';

function* insert(name: string, blobBytes = 0): TxProgram<void> {
  yield stmt('INSERT INTO t (name, data) VALUES (?, ?)', name, Buffer.alloc(blobBytes, 7));
}

async function names(driver: SqliteDriver): Promise<string[]> {
  return (await driver.run(rowsOf(stmt('SELECT name FROM t ORDER BY name')), 'read')).map((r) => String(r.name));
}

describe('SQLite group commit', () => {
  let dir: string;
  let driver: SqliteDriver;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'procos-group-'));
    driver = new SqliteDriver({ kind: 'sqlite', path: join(dir, 'g.db'), synchronous: 'NORMAL', busyTimeoutMs: 1000 });
    await driver.run(rowsOf(stmt('CREATE TABLE t (name TEXT PRIMARY KEY, data BLOB)')), 'write');
  });
  afterEach(async () => {
    await driver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('programs issued together each succeed or fail alone: a failing one rolls back only its own writes', async () => {
    function* twoThenDuplicate(): TxProgram<void> {
      yield* insert('c');
      yield* insert('a'); // duplicate of the first program's row: fails after writing 'c'
    }
    const outcomes = await Promise.allSettled([driver.run(insert('a'), 'write'), driver.run(twoThenDuplicate(), 'write'), driver.run(insert('b'), 'write')]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code)),
      ['ok', StoreErrors.ALREADY_EXISTS.code, 'ok'],
    );
    assert.deepEqual(await names(driver), ['a', 'b'], "the failing program's first insert ('c') was rolled back with it");
  });

  it('an error that ends the whole transaction (SQLITE_FULL) fails its program with that error and the others with a retryable BUSY; nothing is half-written', async () => {
    await driver.run(insert('before'), 'write');
    const [{ page_count: pages }] = (await driver.run(rowsOf(stmt('PRAGMA page_count')), 'read')) as [{ page_count: number }];
    // The database may grow by a few pages only: a 1 MiB row cannot fit.
    await driver.run(rowsOf(stmt(`PRAGMA max_page_count = ${pages + 4}`)), 'read');
    const outcomes = await Promise.allSettled([driver.run(insert('x'), 'write'), driver.run(insert('huge', 1024 * 1024), 'write'), driver.run(insert('y'), 'write')]);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? o.reason : null));
    assert.ok(reasons.every((r) => isProcosError(r)), String(reasons));
    assert.equal((reasons[1] as { code: string }).code, StoreErrors.DATABASE_ERROR.code);
    assert.match((reasons[1] as Error).message, /full/i);
    for (const i of [0, 2]) {
      assert.equal((reasons[i] as { code: string }).code, StoreErrors.BUSY.code);
      assert.match((reasons[i] as Error).message, /rolled back by another write's error.*retry/);
    }
    assert.deepEqual(await names(driver), ['before']);
    // Retried, the innocent writes go through; the connection is usable.
    await Promise.all([driver.run(insert('x'), 'write'), driver.run(insert('y'), 'write')]);
    assert.deepEqual(await names(driver), ['before', 'x', 'y']);
  });

  it('runs programs queued before close(), and refuses new ones after it', async () => {
    const pending = [driver.run(insert('p1'), 'write'), driver.run(insert('p2'), 'write')];
    await driver.close();
    await Promise.all(pending);
    await assert.rejects(driver.run(insert('late'), 'write'), (e: unknown) => isProcosError(e, StoreErrors.CLOSED));
    driver = new SqliteDriver({ kind: 'sqlite', path: join(dir, 'g.db'), synchronous: 'NORMAL', busyTimeoutMs: 1000 });
    assert.deepEqual(await names(driver), ['p1', 'p2']);
  });
});
