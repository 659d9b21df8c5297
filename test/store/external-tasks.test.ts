/**
 * Contract: external tasks — fetchAndLock (filters, order, expiry, retries,
 * concurrency), lock rules (extend, unlock, guarded writes), failure updates. Run on
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import { openStore, StoreErrors, type FetchAndLockRequest, type Store } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, externalTask, hasCode, instanceInsert, seedTasks, T0 } from './fixtures.js';

function fetch(store: Store, extra: Partial<FetchAndLockRequest> = {}): Promise<string[]> {
  return store
    .fetchAndLock({ workerId: 'w1', maxTasks: 100, topics: [{ topicName: 'work', lockDuration: 1000 }], now: T0, ...extra })
    .then((tasks) => tasks.map((t) => t.id));
}

for (const kind of storeKinds()) {
  describe(`external tasks [${kind.name}]`, () => {
    let db: OpenedStore;
    beforeEach(async () => {
      db = await kind.open();
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('locks fetched tasks for the worker until now + lockDuration and returns them whole', async () => {
      const def = await seedTasks(db.store, 1, () => ({ businessKey: 'BK', priority: 7, retries: 3 }));
      const [task] = await db.store.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 5000 }], now: T0 + 10 });
      assert.deepEqual(task, {
        id: 'et-1',
        processInstanceId: 'pi-1',
        processDefinitionId: def.id,
        processDefinitionKey: 'order',
        businessKey: 'BK',
        activityInstanceId: 'ai-et-1',
        elementId: 'Task_1',
        topic: 'work',
        priority: 7,
        retries: 3,
        workerId: 'w1',
        lockExpirationTime: T0 + 10 + 5000,
        retryAfterTime: null,
        errorMessage: null,
        errorDetails: null,
        suspended: false,
        createdTime: T0,
      });
      assert.deepEqual(await db.store.getExternalTask('et-1'), task);
      assert.deepEqual(await fetch(db.store, { workerId: 'w2', now: T0 + 5009 }), [], 'still locked');
      assert.deepEqual(await fetch(db.store, { workerId: 'w2', now: T0 + 5010 }), ['et-1'], 'lock expired: fetchable again');
      assert.equal((await db.store.getExternalTask('et-1'))?.workerId, 'w2');
    });

    it('reads a task together with its instance (getExternalTaskWithInstance), the same records as the single gets', async () => {
      await seedTasks(db.store, 2, () => ({ businessKey: 'BK', priority: 3 }));
      await db.store.commit({ instances: [{ kind: 'update', id: 'pi-2', expectedRevision: 1, status: 'active', state: { changed: [1, 'two'] } }] });
      for (const [taskId, instanceId] of [
        ['et-1', 'pi-1'],
        ['et-2', 'pi-2'],
      ] as const) {
        const both = await db.store.getExternalTaskWithInstance(taskId);
        assert.deepEqual(both, { task: await db.store.getExternalTask(taskId), instance: await db.store.getInstance(instanceId) });
      }
      assert.deepEqual((await db.store.getExternalTaskWithInstance('et-2'))?.instance?.state, { changed: [1, 'two'] });
      assert.equal((await db.store.getExternalTaskWithInstance('et-2'))?.instance?.revision, 2);
      assert.equal(await db.store.getExternalTaskWithInstance('nope'), null);
    });

    it('filters by topic, definition key(s), definition id and business key; one lock duration per topic', async () => {
      const order = await deployProcess(db.store, 'order');
      const invoice = await deployProcess(db.store, 'invoice');
      await db.store.commit({
        instances: [instanceInsert(order, 'po'), instanceInsert(invoice, 'pi')],
        externalTaskInserts: [
          externalTask(order, 'po', 'o-work', { businessKey: 'B1' }),
          externalTask(order, 'po', 'o-mail', { topic: 'mail', businessKey: 'B2' }),
          externalTask(invoice, 'pi', 'i-work', { businessKey: 'B1' }),
          externalTask(invoice, 'pi', 'i-mail', { topic: 'mail' }),
          externalTask(invoice, 'pi', 'i-other', { topic: 'other' }),
        ],
      });
      const ids = async (r: Omit<FetchAndLockRequest, 'workerId' | 'now' | 'maxTasks'>): Promise<string[]> => {
        const got = await db.store.fetchAndLock({ workerId: 'w', maxTasks: 10, now: T0, ...r });
        // release again so each query sees every task
        for (const t of got) await db.store.unlock(t.id);
        return got.map((t) => t.id).sort();
      };
      assert.deepEqual(await ids({ topics: [{ topicName: 'work', lockDuration: 1 }] }), ['i-work', 'o-work']);
      assert.deepEqual(await ids({ topics: [{ topicName: 'work', lockDuration: 1, processDefinitionKey: 'order' }] }), ['o-work']);
      assert.deepEqual(await ids({ topics: [{ topicName: 'mail', lockDuration: 1, processDefinitionKeyIn: ['invoice', 'x'] }] }), ['i-mail']);
      assert.deepEqual(await ids({ topics: [{ topicName: 'mail', lockDuration: 1, processDefinitionKeyIn: [] }] }), []);
      assert.deepEqual(await ids({ topics: [{ topicName: 'work', lockDuration: 1, processDefinitionId: invoice.id }] }), ['i-work']);
      assert.deepEqual(await ids({ topics: [{ topicName: 'work', lockDuration: 1, businessKey: 'B1' }, { topicName: 'mail', lockDuration: 1, businessKey: 'B2' }] }), [
        'i-work',
        'o-mail',
        'o-work',
      ]);
      assert.deepEqual(await ids({ topics: [{ topicName: 'nothing', lockDuration: 1 }] }), []);

      const locked = await db.store.fetchAndLock({
        workerId: 'w',
        maxTasks: 10,
        now: T0,
        topics: [
          { topicName: 'work', lockDuration: 100 },
          { topicName: 'mail', lockDuration: 200 },
        ],
      });
      assert.deepEqual(
        Object.fromEntries(locked.map((t) => [t.id, t.lockExpirationTime])),
        { 'o-work': T0 + 100, 'i-work': T0 + 100, 'o-mail': T0 + 200, 'i-mail': T0 + 200 },
      );
    });

    it('respects maxTasks and orders by priority (usePriority) then created time', async () => {
      await seedTasks(db.store, 6, (i) => ({ priority: [5, 1, 9, 5, 0, 9][i - 1]!, createdTime: T0 - 10 * i }));
      // created: et-6 oldest … et-1 newest; priorities 9: et-3, et-6; 5: et-1, et-4
      assert.deepEqual(await fetch(db.store, { maxTasks: 3, usePriority: true }), ['et-6', 'et-3', 'et-4']);
      assert.deepEqual(await fetch(db.store, { maxTasks: 2 }), ['et-5', 'et-2']);
      assert.deepEqual(await fetch(db.store, { maxTasks: 0 }), []);
      assert.deepEqual(await fetch(db.store, { maxTasks: 5 }), ['et-1']);
    });

    it('does not fetch tasks with retries 0 or before their retry-after time', async () => {
      await seedTasks(db.store, 3, (i) => ({ retries: i === 1 ? 0 : 2 }));
      await db.store.commit({ externalTaskUpdates: [{ id: 'et-2', retryAfterTime: T0 + 500 }] });
      assert.deepEqual(await fetch(db.store), ['et-3']);
      assert.deepEqual(await fetch(db.store, { now: T0 + 500, workerId: 'w2' }), ['et-2']);
      await db.store.setExternalTaskRetries('et-1', 1);
      assert.deepEqual(await fetch(db.store, { now: T0 + 500, workerId: 'w2' }), ['et-1']);
    });

    it('handles a failure in one commit: retries, error, lock release, retry-after', async () => {
      await seedTasks(db.store, 1);
      await fetch(db.store);
      await db.store.commit({
        externalTaskUpdates: [
          { id: 'et-1', expectedWorkerId: 'w1', retries: 2, errorMessage: 'timeout', errorDetails: 'stack…', releaseLock: true, retryAfterTime: T0 + 1000 },
        ],
      });
      const t = await db.store.getExternalTask('et-1');
      assert.equal(t?.retries, 2);
      assert.equal(t?.errorMessage, 'timeout');
      assert.equal(t?.errorDetails, 'stack…');
      assert.equal(t?.workerId, null);
      assert.equal(t?.lockExpirationTime, null);
      assert.equal(t?.retryAfterTime, T0 + 1000);
      assert.deepEqual(await fetch(db.store, { now: T0 + 999 }), []);
      assert.deepEqual(await fetch(db.store, { now: T0 + 1000, workerId: 'w2' }), ['et-1']);
      // an update guarded by the wrong worker fails and changes nothing
      await assert.rejects(db.store.commit({ externalTaskUpdates: [{ id: 'et-1', expectedWorkerId: 'w1', retries: 0 }] }), (e: ProcosError) => {
        assert.equal(e.code, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT.code);
        assert.deepEqual(e.details, { externalTaskId: 'et-1', workerId: 'w1', lockedBy: 'w2' });
        return true;
      });
      assert.equal((await db.store.getExternalTask('et-1'))?.retries, 2);
      // partial update: only the given fields change
      await db.store.commit({ externalTaskUpdates: [{ id: 'et-1', errorMessage: null }] });
      const u = await db.store.getExternalTask('et-1');
      assert.equal(u?.errorMessage, null);
      assert.equal(u?.errorDetails, 'stack…');
      assert.equal(u?.workerId, 'w2');
      await assert.rejects(db.store.commit({ externalTaskUpdates: [{ id: 'nope', retries: 1 }] }), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
    });

    it('deletes guarded by the lock holder (completion); a wrong holder rolls the batch back', async () => {
      const def = await seedTasks(db.store, 2);
      await fetch(db.store, { maxTasks: 1 });
      await assert.rejects(
        db.store.commit({
          instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'completed', state: {}, endTime: T0 }],
          externalTaskDeletes: [{ id: 'et-1', expectedWorkerId: 'intruder' }],
        }),
        (e: ProcosError) => {
          assert.equal(e.code, 'PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT');
          assert.equal(e.details['lockedBy'], 'w1');
          return true;
        },
      );
      assert.equal((await db.store.getInstance('pi-1'))?.revision, 1, 'instance update rolled back');
      await assert.rejects(db.store.commit({ externalTaskDeletes: [{ id: 'et-2', expectedWorkerId: 'w1' }] }), hasCode(StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT));
      await assert.rejects(db.store.commit({ externalTaskDeletes: [{ id: 'ghost', expectedWorkerId: 'w1' }] }), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));

      await db.store.commit({
        instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: {} }],
        externalTaskDeletes: [{ id: 'et-1', expectedWorkerId: 'w1' }],
        externalTaskInserts: [externalTask(def, 'pi-1', 'et-next')],
      });
      assert.equal(await db.store.getExternalTask('et-1'), null);
      // a second completion is refused
      await assert.rejects(db.store.commit({ externalTaskDeletes: [{ id: 'et-1', expectedWorkerId: 'w1' }] }), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
      // unguarded deletes (interruption) ignore missing tasks
      await db.store.commit({ externalTaskDeletes: [{ id: 'et-2' }, { id: 'gone' }] });
      assert.deepEqual(
        (await db.store.listExternalTasks()).map((t) => t.id),
        ['et-next'],
      );
    });

    it('extends a lock only for its holder while locked; unlock releases it', async () => {
      await seedTasks(db.store, 2);
      await fetch(db.store, { maxTasks: 1 });
      await db.store.extendLock('et-1', 'w1', 10_000, T0 + 500);
      assert.equal((await db.store.getExternalTask('et-1'))?.lockExpirationTime, T0 + 10_500);
      await assert.rejects(db.store.extendLock('et-1', 'w2', 10_000, T0 + 600), (e: ProcosError) => {
        assert.equal(e.code, 'PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT');
        assert.match(e.message, /locked by w1/);
        return true;
      });
      await assert.rejects(db.store.extendLock('et-1', 'w1', 1000, T0 + 10_500), (e: ProcosError) => {
        assert.equal(e.code, 'PROCOS_STORE_EXTERNAL_TASK_LOCK_CONFLICT');
        assert.match(e.message, /expired/);
        return true;
      });
      await assert.rejects(db.store.extendLock('et-2', 'w1', 1000, T0), hasCode(StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT));
      await assert.rejects(db.store.extendLock('nope', 'w1', 1000, T0), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
      await assert.rejects(db.store.extendLock('et-1', 'w1', 0, T0), hasCode(StoreErrors.BAD_ARGUMENT));

      await db.store.unlock('et-1');
      const t = await db.store.getExternalTask('et-1');
      assert.equal(t?.workerId, null);
      assert.equal(t?.lockExpirationTime, null);
      assert.deepEqual(await fetch(db.store, { workerId: 'w3', now: T0 + 1 }), ['et-1', 'et-2']);
      await assert.rejects(db.store.unlock('nope'), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
    });

    it('sets retries (null or >= 0)', async () => {
      await seedTasks(db.store, 1);
      await db.store.setExternalTaskRetries('et-1', 0);
      assert.equal((await db.store.getExternalTask('et-1'))?.retries, 0);
      await db.store.setExternalTaskRetries('et-1', null);
      assert.equal((await db.store.getExternalTask('et-1'))?.retries, null);
      await assert.rejects(db.store.setExternalTaskRetries('et-1', -1), hasCode(StoreErrors.BAD_ARGUMENT));
      await assert.rejects(db.store.setExternalTaskRetries('nope', 1), hasCode(StoreErrors.EXTERNAL_TASK_NOT_FOUND));
    });

    it('refuses bad fetch requests', async () => {
      const base: FetchAndLockRequest = { workerId: 'w', maxTasks: 1, topics: [{ topicName: 't', lockDuration: 1 }], now: T0 };
      for (const bad of [
        { ...base, topics: [] },
        { ...base, maxTasks: -1 },
        { ...base, workerId: '' },
        { ...base, topics: [{ topicName: 't', lockDuration: 0 }] },
        { ...base, now: Number.NaN },
      ]) {
        await assert.rejects(db.store.fetchAndLock(bad), hasCode(StoreErrors.BAD_ARGUMENT));
      }
    });

    it('lists and counts external tasks with filters and paging', async () => {
      await seedTasks(db.store, 5, (i) => ({ createdTime: T0 + i, topic: i <= 3 ? 'work' : 'mail', retries: i === 5 ? 0 : null }));
      await fetch(db.store, { maxTasks: 2 });
      const ids = async (p: Promise<{ id: string }[]>): Promise<string[]> => (await p).map((t) => t.id);
      assert.deepEqual(await ids(db.store.listExternalTasks()), ['et-1', 'et-2', 'et-3', 'et-4', 'et-5']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ topic: 'mail' })), ['et-4', 'et-5']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ workerId: 'w1' })), ['et-1', 'et-2']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ lockedAt: T0 })), ['et-1', 'et-2']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ notLockedAt: T0 })), ['et-3', 'et-4', 'et-5']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ notLockedAt: T0 + 1000 })), ['et-1', 'et-2', 'et-3', 'et-4', 'et-5']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ withRetriesLeft: false })), ['et-5']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ processInstanceId: 'pi-3', activityInstanceId: 'ai-et-3', elementId: 'Task_1' })), ['et-3']);
      assert.deepEqual(await ids(db.store.listExternalTasks({ processDefinitionKey: 'order' }, { firstResult: 3, maxResults: 10 })), ['et-4', 'et-5']);
      assert.equal(await db.store.countExternalTasks({ withRetriesLeft: true }), 4);
      assert.equal(await db.store.countExternalTasks({ topic: 'work', lockedAt: T0 }), 2);
    });

    it('concurrent fetches never return the same task (one store)', async () => {
      await seedTasks(db.store, 200);
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.store.fetchAndLock({ workerId: `w${i}`, maxTasks: 15, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 }),
        ),
      );
      const claimed = batches.flat();
      assert.equal(claimed.length, 200, 'all tasks claimed: 20 × 15 asked for 200 available');
      assert.equal(new Set(claimed.map((t) => t.id)).size, 200, 'each task claimed exactly once');
      for (const [i, batch] of batches.entries()) for (const t of batch) assert.equal(t.workerId, `w${i}`);
      const stored = await db.store.listExternalTasks();
      const holder = new Map(claimed.map((t) => [t.id, t.workerId]));
      for (const t of stored) assert.equal(t.workerId, holder.get(t.id));
    });

    it('concurrent fetches from several stores (nodes) on one database never return the same task', async () => {
      await seedTasks(db.store, 200);
      const nodes = await Promise.all(Array.from({ length: 3 }, () => openStore(db.url, { postgres: { maxConnections: 8 } })));
      try {
        const stores = [db.store, ...nodes];
        const claimed: string[] = [];
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const store = stores[i % stores.length]!;
            for (;;) {
              const got = await store.fetchAndLock({ workerId: `w${i}`, maxTasks: 7, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 });
              if (got.length === 0) return;
              claimed.push(...got.map((t) => t.id));
            }
          }),
        );
        assert.equal(claimed.length, 200);
        assert.equal(new Set(claimed).size, 200, 'each task claimed exactly once');
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
      }
    });
  });
}
