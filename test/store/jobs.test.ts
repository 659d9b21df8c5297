/**
 * Contract: jobs (insert, acquire due jobs in one statement, guarded update and delete;
 * schema v2: jobs of a definition, the activity instance and element a job belongs to).
 * Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
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

    it('carries a timer start job of a definition (no instance) with its payload', async () => {
      const def2 = await deployProcess(db.store, 'invoice');
      await db.store.commit({
        jobInserts: [
          {
            id: 'start-timer',
            processInstanceId: null,
            processDefinitionId: def.id,
            elementId: 'TimerStart',
            type: 'timerStart',
            dueTime: T0 - 1,
            payload: { cycle: 'R/PT1H', repetitions: 3, definitionKey: 'order' },
            createdTime: T0,
          },
          { id: 'other-start', processInstanceId: null, processDefinitionId: def2.id, elementId: 'Start', type: 'timerStart', dueTime: T0 + 10, createdTime: T0 },
          { id: 'instance-timer', processInstanceId: 'pi-1', processDefinitionId: def.id, activityInstanceId: 'ai-7', elementId: 'Wait', type: 'timer', dueTime: T0, createdTime: T0 },
          { id: 'plain', processInstanceId: 'pi-1', type: 'async', dueTime: T0, retries: 3, createdTime: T0 },
        ],
      });
      assert.deepEqual(await db.store.getJob('start-timer'), {
        id: 'start-timer',
        processInstanceId: null,
        processDefinitionId: def.id,
        activityInstanceId: null,
        elementId: 'TimerStart',
        type: 'timerStart',
        dueTime: T0 - 1,
        payload: { cycle: 'R/PT1H', repetitions: 3, definitionKey: 'order' },
        retries: null,
        lockOwner: null,
        lockExpirationTime: null,
        createdTime: T0,
      });
      const plain = await db.store.getJob('plain');
      assert.deepEqual([plain?.processDefinitionId, plain?.activityInstanceId, plain?.elementId], [null, null, null], 'the new fields default to null');
      const timer = await db.store.getJob('instance-timer');
      assert.deepEqual([timer?.activityInstanceId, timer?.elementId], ['ai-7', 'Wait']);

      assert.deepEqual((await db.store.listJobs({ processDefinitionId: def.id })).map((j) => j.id), ['start-timer', 'instance-timer']);
      assert.deepEqual((await db.store.listJobs({ processDefinitionId: def2.id, type: 'timerStart' })).map((j) => j.id), ['other-start']);
      assert.equal(await db.store.countJobs({ processDefinitionId: def.id, type: 'timerStart', dueBefore: T0 }), 1);

      const acquired = await db.store.acquireJobs({ lockOwner: 'node-1', maxJobs: 1, lockDuration: 1000, now: T0, types: ['timerStart'] });
      assert.deepEqual(
        acquired.map((j) => [j.id, j.processDefinitionId, j.elementId, j.lockOwner]),
        [['start-timer', def.id, 'TimerStart', 'node-1']],
      );
      // the runtime reschedules a cycle: same job, next due time, lock released
      await db.store.commit({ jobUpdates: [{ id: 'start-timer', expectedLockOwner: 'node-1', dueTime: T0 + 3_600_000, releaseLock: true }] });
      assert.equal((await db.store.getJob('start-timer'))?.dueTime, T0 + 3_600_000);
    });

    it('refuses a job of an unknown definition (REFERENCE_MISSING)', async () => {
      await assert.rejects(
        db.store.commit({ jobInserts: [{ id: 'j', processInstanceId: null, processDefinitionId: 'order:9:none', type: 'timerStart', dueTime: T0, createdTime: T0 }] }),
        hasCode(StoreErrors.REFERENCE_MISSING),
      );
      assert.equal(await db.store.countJobs(), 0);
    });

    it('inserts, updates and deletes many jobs in one batch; a guard failure names the first failing job', async () => {
      const n = 50;
      await db.store.commit({
        jobInserts: Array.from({ length: n }, (_, i) => ({ id: `j-${i}`, processInstanceId: 'pi-1', type: 'timer', dueTime: T0 + i, createdTime: T0 })),
      });
      const got = await db.store.acquireJobs({ lockOwner: 'node-1', maxJobs: n, lockDuration: 1000, now: T0 + n });
      assert.equal(got.length, n);
      const deletes = Array.from({ length: n }, (_, i) => ({ id: `j-${i}`, expectedLockOwner: i === 30 || i === 10 ? 'node-2' : 'node-1' }));
      await assert.rejects(db.store.commit({ jobDeletes: deletes }), (e: ProcosError) => {
        assert.equal(e.code, StoreErrors.JOB_LOCK_CONFLICT.code);
        assert.deepEqual(e.details, { jobId: 'j-10', lockOwner: 'node-2', lockedBy: 'node-1' });
        return true;
      });
      assert.equal(await db.store.countJobs(), n, 'rolled back');
      await db.store.commit({ jobDeletes: [...deletes.filter((d) => d.expectedLockOwner === 'node-1'), { id: 'missing' }] });
      assert.deepEqual((await db.store.listJobs()).map((j) => j.id), ['j-10', 'j-30']);
      // a job named twice: the second guarded delete finds nothing (as one by one)
      await assert.rejects(
        db.store.commit({ jobDeletes: [{ id: 'j-10', expectedLockOwner: 'node-1' }, { id: 'j-30', expectedLockOwner: 'node-1' }, { id: 'j-10', expectedLockOwner: 'node-1' }] }),
        (e: ProcosError) => e.code === StoreErrors.JOB_NOT_FOUND.code && e.details['jobId'] === 'j-10',
      );
      assert.equal(await db.store.countJobs(), 2);
    });
  });
}
