/**
 * Contract: event subscriptions (message correlation, signal broadcast), schema v2. Run on
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import { StoreErrors, type NewSubscription, type ProcessDefinitionRecord, type SubscriptionEventType } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, hasCode, instanceInsert, subscription, T0 } from './fixtures.js';

for (const kind of storeKinds()) {
  describe(`event subscriptions [${kind.name}]`, () => {
    let db: OpenedStore;
    let def: ProcessDefinitionRecord;
    beforeEach(async () => {
      db = await kind.open();
      def = await deployProcess(db.store);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    const ids = async (p: Promise<{ id: string }[]>): Promise<string[]> => (await p).map((x) => x.id);

    it('copies definition id, key and business key from the instance written in the same batch', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK-1' })],
        subscriptionInserts: [subscription('pi-1', 'sub-1', { correlationKey: 'order-7', activityInstanceId: 'ai-catch', elementId: 'WaitForPayment' })],
      });
      assert.deepEqual(await db.store.getSubscription('sub-1'), {
        id: 'sub-1',
        processInstanceId: 'pi-1',
        processDefinitionId: def.id,
        processDefinitionKey: 'order',
        businessKey: 'BK-1',
        activityInstanceId: 'ai-catch',
        elementId: 'WaitForPayment',
        eventType: 'message',
        name: 'paid',
        correlationKey: 'order-7',
        createdTime: T0,
      });
      assert.equal(await db.store.getSubscription('nope'), null);

      // the instance's business key as of the insert: an update earlier in the same batch counts, a later one does not
      await db.store.commit({
        instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: {}, businessKey: 'BK-2' }],
        subscriptionInserts: [subscription('pi-1', 'sub-2', { eventType: 'signal', name: 'alarm', correlationKey: undefined })],
      });
      await db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 2, status: 'active', state: {}, businessKey: 'BK-3' }] });
      const sub2 = await db.store.getSubscription('sub-2');
      assert.equal(sub2?.businessKey, 'BK-2');
      assert.equal(sub2?.correlationKey, null, 'correlationKey defaults to null');
      assert.equal((await db.store.getSubscription('sub-1'))?.businessKey, 'BK-1');
    });

    it('lists and counts by event type, name, instance, business key, correlation key and definition key', async () => {
      const def2 = await deployProcess(db.store, 'invoice');
      await db.store.commit({
        instances: [instanceInsert(def, 'a', { businessKey: 'BK-A' }), instanceInsert(def, 'b'), instanceInsert(def2, 'c', { businessKey: 'BK-A' })],
        subscriptionInserts: [
          subscription('a', 's-3', { createdTime: T0 + 3, correlationKey: 'k1' }),
          subscription('a', 's-1', { createdTime: T0 + 1, eventType: 'signal', name: 'alarm' }),
          subscription('b', 's-2', { createdTime: T0 + 1, correlationKey: 'k1' }),
          subscription('c', 's-4', { createdTime: T0 + 4, correlationKey: 'k2' }),
          subscription('c', 's-5', { createdTime: T0 + 5, eventType: 'signal', name: 'alarm' }),
        ],
      });
      assert.deepEqual(await ids(db.store.listSubscriptions()), ['s-1', 's-2', 's-3', 's-4', 's-5'], 'created time, then id');
      assert.deepEqual(await ids(db.store.listSubscriptions({ eventType: 'signal', name: 'alarm' })), ['s-1', 's-5']);
      assert.deepEqual(await ids(db.store.listSubscriptions({ eventType: 'message', name: 'paid', correlationKey: 'k1' })), ['s-2', 's-3']);
      assert.deepEqual(await ids(db.store.listSubscriptions({ eventType: 'message', name: 'paid', businessKey: 'BK-A' })), ['s-3', 's-4']);
      assert.deepEqual(await ids(db.store.listSubscriptions({ processInstanceId: 'c' })), ['s-4', 's-5']);
      assert.deepEqual(await ids(db.store.listSubscriptions({ processDefinitionKey: 'invoice', eventType: 'message' })), ['s-4']);
      assert.deepEqual(await ids(db.store.listSubscriptions({ name: 'nothing' })), []);
      assert.deepEqual(await ids(db.store.listSubscriptions({}, { firstResult: 1, maxResults: 2 })), ['s-2', 's-3']);
      assert.equal(await db.store.countSubscriptions(), 5);
      assert.equal(await db.store.countSubscriptions({ eventType: 'message' }), 3);
      assert.equal(await db.store.countSubscriptions({ eventType: 'signal', processDefinitionKey: 'order' }), 1);
      await assert.rejects(db.store.listSubscriptions({}, { maxResults: -1 }), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('deletes by id after the inserts of the same batch; missing ids are ignored', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        subscriptionInserts: [subscription('pi-1', 'keep'), subscription('pi-1', 'gone')],
      });
      // an instance ends: its subscriptions are deleted; a new one created and removed in one step leaves nothing
      await db.store.commit({
        subscriptionInserts: [subscription('pi-1', 'flash')],
        subscriptionDeletes: ['gone', 'flash', 'never-existed'],
      });
      assert.deepEqual(await ids(db.store.listSubscriptions()), ['keep']);
      await db.store.commit({ subscriptionDeletes: ['keep', 'keep'] });
      assert.equal(await db.store.countSubscriptions(), 0);
    });

    it('refuses a subscription of a missing instance (REFERENCE_MISSING) and rolls the batch back', async () => {
      await assert.rejects(
        db.store.commit({ instances: [instanceInsert(def, 'pi-1')], subscriptionInserts: [subscription('pi-1', 'ok'), subscription('ghost', 'bad')] }),
        (e: ProcosError) => {
          assert.equal(e.code, StoreErrors.REFERENCE_MISSING.code);
          assert.equal(e.details['processInstanceId'], 'ghost');
          assert.match(e.message, /subscription bad .*ghost/);
          return true;
        },
      );
      assert.equal(await db.store.getInstance('pi-1'), null);
      assert.equal(await db.store.countSubscriptions(), 0);
    });

    it('refuses duplicate ids and bad values', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1')], subscriptionInserts: [subscription('pi-1', 's')] });
      await assert.rejects(db.store.commit({ subscriptionInserts: [subscription('pi-1', 's')] }), hasCode(StoreErrors.ALREADY_EXISTS));
      await assert.rejects(db.store.commit({ subscriptionInserts: [subscription('pi-1', 'x'), subscription('pi-1', 'x')] }), hasCode(StoreErrors.ALREADY_EXISTS));
      await assert.rejects(
        db.store.commit({ subscriptionInserts: [subscription('pi-1', 'e', { eventType: 'timer' as SubscriptionEventType })] }),
        (e: ProcosError) => e.code === StoreErrors.BAD_ARGUMENT.code && e.details['field'] === 'subscriptionInserts[].eventType',
      );
      await assert.rejects(db.store.commit({ subscriptionInserts: [subscription('pi-1', 'n', { name: '' })] }), hasCode(StoreErrors.BAD_ARGUMENT));
      await assert.rejects(db.store.commit({ subscriptionInserts: [subscription('pi-1', '')] }), hasCode(StoreErrors.BAD_ARGUMENT));
      assert.deepEqual(await ids(db.store.listSubscriptions()), ['s']);
    });

    it('writes many subscriptions of many instances in one batch (group commit)', async () => {
      const n = 120;
      const subs: NewSubscription[] = [];
      for (let i = 0; i < n; i++) {
        subs.push(subscription(`pi-${i}`, `m-${i}`, { correlationKey: `k-${i % 3}` }), subscription(`pi-${i}`, `s-${i}`, { eventType: 'signal', name: 'stop' }));
      }
      await db.store.commit({
        instances: Array.from({ length: n }, (_, i) => instanceInsert(def, `pi-${i}`, { businessKey: `BK-${i}` })),
        subscriptionInserts: subs,
      });
      assert.equal(await db.store.countSubscriptions({ eventType: 'signal', name: 'stop' }), n);
      assert.equal(await db.store.countSubscriptions({ eventType: 'message', correlationKey: 'k-1' }), n / 3);
      assert.equal((await db.store.getSubscription('m-77'))?.businessKey, 'BK-77');

      // one missing instance among many names that one
      const more = Array.from({ length: 10 }, (_, i) => subscription(i === 6 ? 'ghost-6' : `pi-${i}`, `more-${i}`));
      await assert.rejects(db.store.commit({ subscriptionInserts: more }), (e: ProcosError) => e.code === StoreErrors.REFERENCE_MISSING.code && e.details['processInstanceId'] === 'ghost-6');
      assert.equal(await db.store.countSubscriptions(), 2 * n);

      await db.store.commit({ subscriptionDeletes: subs.filter((s) => s.eventType === 'signal').map((s) => s.id) });
      assert.equal(await db.store.countSubscriptions(), n);
    });
  });
}
