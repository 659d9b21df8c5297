/**
 * Contract: what the store adds to claiming external tasks for Camunda's REST API —
 * fetchAndLock `order` (created time desc), the `processVariables` filter inside the
 * claim statement, and locking one task by id in one guarded statement (also under
 * concurrency, and from several stores on one database). Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import type { JsonValue } from '../../src/common/json.js';
import { openStore, StoreErrors, type FetchAndLockRequest, type Store } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { hasCode, seedTasks, T0 } from './fixtures.js';

function fetch(store: Store, extra: Partial<FetchAndLockRequest> = {}): Promise<string[]> {
  return store
    .fetchAndLock({ workerId: 'w1', maxTasks: 100, topics: [{ topicName: 'work', lockDuration: 1000 }], now: T0, ...extra })
    .then((tasks) => tasks.map((t) => t.id));
}

for (const kind of storeKinds()) {
  describe(`claim options [${kind.name}]`, () => {
    let db: OpenedStore;
    beforeEach(async () => {
      db = await kind.open();
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it("order 'desc' claims the newest tasks first (after priority with usePriority); 'asc' is the default", async () => {
      await seedTasks(db.store, 6, (i) => ({ priority: [5, 1, 9, 5, 0, 9][i - 1]!, createdTime: T0 - 10 * i }));
      // created: et-6 oldest … et-1 newest; priorities 9: et-3, et-6; 5: et-1, et-4
      assert.deepEqual(await fetch(db.store, { maxTasks: 2, order: 'desc' }), ['et-1', 'et-2']);
      assert.deepEqual(await fetch(db.store, { maxTasks: 2, order: 'desc', usePriority: true, workerId: 'w2' }), ['et-3', 'et-6']);
      assert.deepEqual(await fetch(db.store, { maxTasks: 1, order: 'asc', workerId: 'w3' }), ['et-5']);
      assert.deepEqual(await fetch(db.store, { workerId: 'w4' }), ['et-4']);
      await assert.rejects(fetch(db.store, { order: 'sideways' as 'asc' }), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('ties of created time go by id in the same direction', async () => {
      await seedTasks(db.store, 3);
      assert.deepEqual(await fetch(db.store, { order: 'desc' }), ['et-3', 'et-2', 'et-1']);
    });

    it('processVariables: only tasks whose instance has all those process variable values are claimed; the others stay unlocked', async () => {
      await seedTasks(db.store, 4);
      const v = (pi: string, name: string, value: JsonValue): { processInstanceId: string; scopeId: string; name: string; value: JsonValue } => ({ processInstanceId: pi, scopeId: pi, name, value });
      await db.store.commit({
        variableUpserts: [
          v('pi-1', 'region', 'eu'),
          v('pi-1', 'n', 1),
          v('pi-2', 'region', 'eu'),
          v('pi-2', 'n', 2),
          v('pi-3', 'region', 'us'),
          v('pi-3', 'n', 2),
          v('pi-3', 'vip', true),
          v('pi-4', 'nothing', null),
          // a local variable of the task's scope is not a process variable
          { processInstanceId: 'pi-4', scopeId: 'ai-et-4', name: 'region', value: 'eu' },
        ],
      });
      const pv = (processVariables: Record<string, JsonValue>, workerId = 'pv'): Promise<string[]> => fetch(db.store, { workerId, topics: [{ topicName: 'work', lockDuration: 1000, processVariables }] });
      assert.deepEqual(await pv({ region: 'eu', n: 2 }), ['et-2']);
      assert.deepEqual(await pv({ region: 'mars' }), []);
      assert.deepEqual(await pv({ n: '2' }), [], 'a string is not a number');
      assert.deepEqual(await pv({ vip: true, n: 2 }), ['et-3']);
      assert.deepEqual(await pv({ nothing: null }), ['et-4']);
      const unlocked = (await db.store.listExternalTasks({ notLockedAt: T0 })).map((t) => t.id);
      assert.deepEqual(unlocked, ['et-1'], 'tasks that did not match were never locked');
      assert.deepEqual(await pv({ region: 'eu' }, 'pv2'), ['et-1']);
      // topics are alternatives: a filter belongs to its topic only
      const both = await db.store.fetchAndLock({
        workerId: 'w9',
        maxTasks: 10,
        now: T0 + 2000,
        topics: [
          { topicName: 'work', lockDuration: 1000, processVariables: { region: 'us' } },
          { topicName: 'other', lockDuration: 1000 },
        ],
      });
      assert.deepEqual(both.map((t) => t.id), ['et-3']);
      await assert.rejects(pv({ '': 1 }), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('lockExternalTask locks an unlocked or expired task, renews the holder\'s lock, and refuses another holder', async () => {
      await seedTasks(db.store, 2);
      const t = await db.store.lockExternalTask('et-1', 'w1', 5000, T0);
      assert.equal(t.id, 'et-1');
      assert.equal(t.workerId, 'w1');
      assert.equal(t.lockExpirationTime, T0 + 5000);
      assert.deepEqual(await fetch(db.store, { workerId: 'w2' }), ['et-2'], 'a task locked by id is not fetched');
      await assert.rejects(db.store.lockExternalTask('et-1', 'w2', 5000, T0 + 10), (e: ProcosError) => {
        assert.equal(e.code, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT.code);
        assert.deepEqual(e.details, { externalTaskId: 'et-1', workerId: 'w2', lockedBy: 'w1', lockExpirationTime: T0 + 5000 });
        return true;
      });
      assert.equal((await db.store.lockExternalTask('et-1', 'w1', 100, T0 + 20)).lockExpirationTime, T0 + 120, 'the holder renews from now');
      assert.equal((await db.store.lockExternalTask('et-1', 'w2', 100, T0 + 120)).workerId, 'w2', 'an expired lock can be taken');
      await db.store.unlock('et-1');
      assert.equal((await db.store.lockExternalTask('et-1', 'w3', 100, T0 + 130)).workerId, 'w3');
      await assert.rejects(db.store.lockExternalTask('nope', 'w1', 100, T0), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
      await assert.rejects(db.store.lockExternalTask('et-2', '', 100, T0), hasCode(StoreErrors.BAD_ARGUMENT));
      await assert.rejects(db.store.lockExternalTask('et-2', 'w1', 0, T0), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('concurrent locks of one task by id (several stores on one database): exactly one worker wins', async () => {
      await seedTasks(db.store, 1);
      const nodes = await Promise.all(Array.from({ length: 2 }, () => openStore(db.url, { postgres: { maxConnections: 4 } })));
      try {
        const stores = [db.store, ...nodes];
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => stores[i % stores.length]!.lockExternalTask('et-1', `w${i}`, 60_000, T0)));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, 'one lock');
        for (const r of results) if (r.status === 'rejected') assert.ok(hasCode(StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT)(r.reason));
        const winner = (won[0] as PromiseFulfilledResult<{ workerId: string | null }>).value.workerId;
        assert.equal((await db.store.getExternalTask('et-1'))?.workerId, winner);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
      }
    });
  });
}
