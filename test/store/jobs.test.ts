/**
 * Contract: jobs (minimal: insert, acquire due jobs in one statement, guarded update and
 * delete). Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreErrors, type ProcessDefinitionRecord } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, hasCode, instanceInsert, T0 } from './fixtures.js';

for (const kind of storeKinds()) {
  describe(`jobs [${kind.name}]`, () => {
    let db: OpenedStore;
    let def: ProcessDefinitionRecord;
    beforeEach(async () => {
      db = await kind.open();
      def = await deployProcess(db.store);
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1')] });
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('acquires due jobs only, in due order, and locks them', async () => {
      await db.store.commit({
        jobInserts: [
          { id: 'j-late', processInstanceId: 'pi-1', type: 'timer', dueTime: T0 + 100, payload: { el: 'Timer_1' }, createdTime: T0 },
          { id: 'j-2', processInstanceId: 'pi-1', type: 'timer', dueTime: T0 - 5, retries: 3, createdTime: T0 },
          { id: 'j-1', processInstanceId: null, type: 'cleanup', dueTime: T0 - 10, createdTime: T0 },
          { id: 'j-dead', processInstanceId: 'pi-1', type: 'timer', dueTime: T0 - 20, retries: 0, createdTime: T0 },
        ],
      });
      const got = await db.store.acquireJobs({ lockOwner: 'node-1', maxJobs: 10, lockDuration: 30_000, now: T0 });
      assert.deepEqual(
        got.map((j) => [j.id, j.lockOwner, j.lockExpirationTime]),
        [
          ['j-1', 'node-1', T0 + 30_000],
          ['j-2', 'node-1', T0 + 30_000],
        ],
      );
      assert.deepEqual(await db.store.acquireJobs({ lockOwner: 'node-2', maxJobs: 10, lockDuration: 30_000, now: T0 + 200 }).then((js) => js.map((j) => j.id)), ['j-late']);
      assert.deepEqual(await db.store.acquireJobs({ lockOwner: 'node-2', maxJobs: 10, lockDuration: 1, now: T0 + 30_000, types: ['timer'] }).then((js) => js.map((j) => j.id)), ['j-2']);
      assert.deepEqual((await db.store.getJob('j-late'))?.payload, { el: 'Timer_1' });
      assert.equal((await db.store.getJob('j-1'))?.payload, null);
      assert.equal(await db.store.countJobs({ processInstanceId: 'pi-1' }), 3);
      assert.deepEqual(
        (await db.store.listJobs({ dueBefore: T0 }, { maxResults: 2 })).map((j) => j.id),
        ['j-dead', 'j-1'],
      );
      assert.equal(await db.store.countJobs({ type: 'cleanup' }), 1);
    });

    it('updates and deletes jobs guarded by the lock owner', async () => {
      await db.store.commit({ jobInserts: [{ id: 'j', processInstanceId: 'pi-1', type: 'timer', dueTime: T0, retries: 3, createdTime: T0 }] });
      await db.store.acquireJobs({ lockOwner: 'node-1', maxJobs: 1, lockDuration: 1000, now: T0 });
      await assert.rejects(db.store.commit({ jobDeletes: [{ id: 'j', expectedLockOwner: 'node-2' }] }), hasCode(StoreErrors.JOB_LOCK_CONFLICT));
      await db.store.commit({ jobUpdates: [{ id: 'j', expectedLockOwner: 'node-1', retries: 2, dueTime: T0 + 500, releaseLock: true }] });
      const j = await db.store.getJob('j');
      assert.equal(j?.retries, 2);
      assert.equal(j?.dueTime, T0 + 500);
      assert.equal(j?.lockOwner, null);
      await assert.rejects(db.store.commit({ jobUpdates: [{ id: 'j', expectedLockOwner: 'node-1', retries: 1 }] }), hasCode(StoreErrors.JOB_LOCK_CONFLICT));
      await assert.rejects(db.store.commit({ jobUpdates: [{ id: 'nope', retries: 1 }] }), hasCode(StoreErrors.JOB_NOT_FOUND));
      await assert.rejects(db.store.commit({ jobDeletes: [{ id: 'nope', expectedLockOwner: 'x' }] }), hasCode(StoreErrors.JOB_NOT_FOUND));
      await db.store.commit({ jobDeletes: [{ id: 'j' }, { id: 'missing' }] });
      assert.equal(await db.store.getJob('j'), null);
      await assert.rejects(db.store.acquireJobs({ lockOwner: 'n', maxJobs: 1, lockDuration: 0, now: T0 }), hasCode(StoreErrors.BAD_ARGUMENT));
    });
  });
}
