/**
 * Timers are durable jobs: a 30-day timer (past Node's 24.8-day setTimeout limit) fires
 * when due; an overdue timer fires after a restart on a new runtime; with several
 * runtimes (nodes) on one store, every due timer fires exactly once.
 * Issue "Full BPMN execution coverage": "Timers are durable jobs run by the runtime's job
 * executor, fire after a restart when overdue, have no 24.8-day limit, and many nodes never
 * fire one twice."
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { Runtime } from '../../src/runtime/index.js';
import { storeKinds } from '../helpers/stores.js';

const DAY = 86_400_000;
const xml = (): Promise<string> => readFile(new URL('../../../test/fixtures/runtime/events/long-timer.bpmn', import.meta.url), 'utf8');

for (const kind of storeKinds()) {
  describe(`timer jobs on ${kind.name}`, () => {
    it('a 30-day timer survives a restart and fires when overdue, on a new runtime', async () => {
      const db = await kind.newDatabase();
      const clock = { now: Date.UTC(2026, 0, 1) };
      try {
        const store1 = await openStore(db.url);
        const rt1 = new Runtime(store1, { clock: () => clock.now });
        await rt1.deploy({ name: 't', resources: [{ name: 'long-timer.bpmn', content: await xml() }] });
        const pi = await rt1.startInstance({ key: 'long_timer' });
        const [job] = await store1.listJobs({ processInstanceId: pi.id });
        assert.equal(job?.dueTime, clock.now + 30 * DAY, 'due in 30 days (no 24.8-day limit: a stored due time, not a setTimeout)');
        clock.now += 29 * DAY;
        assert.equal(await rt1.runDueJobs(), 0, 'not due after 29 days');
        rt1.close();
        await store1.close();

        clock.now += 2 * DAY;
        const store2 = await openStore(db.url);
        const rt2 = new Runtime(store2, { clock: () => clock.now });
        try {
          assert.equal(await rt2.runDueJobs(), 1, 'the overdue timer fires on the restarted runtime');
          assert.equal((await rt2.getInstance(pi.id)).status, 'completed');
        } finally {
          rt2.close();
          await store2.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('three runtimes (nodes) on one store fire each of 60 due timers exactly once', { timeout: 120_000 }, async () => {
      const db = await kind.newDatabase();
      const clock = { now: Date.UTC(2026, 0, 1) };
      const stores = await Promise.all([0, 1, 2].map(() => openStore(db.url)));
      const nodes = stores.map((s, i) => new Runtime(s, { clock: () => clock.now, nodeId: `node-${i}` }));
      try {
        await nodes[0]!.deploy({ name: 't', resources: [{ name: 'long-timer.bpmn', content: await xml() }] });
        const ids: string[] = [];
        for (let i = 0; i < 60; i++) ids.push((await nodes[0]!.startInstance({ key: 'long_timer' })).id);
        clock.now += 31 * DAY;
        const fired = await Promise.all(nodes.map(async (n) => {
          let total = 0;
          for (;;) {
            const k = await n.runDueJobs(5);
            if (k === 0) break;
            total += k;
          }
          return total;
        }));
        assert.equal(fired.reduce((a, b) => a + b, 0), 60, `claimed exactly 60 jobs in all (per node: ${fired.join(', ')})`);
        for (const id of ids) {
          assert.equal((await nodes[0]!.getInstance(id)).status, 'completed');
          const ends = await stores[0]!.listHistoricActivityInstances({ processInstanceId: id, elementId: 'wait_30_days' });
          assert.equal(ends.length, 1, 'the timer event ran once');
        }
        assert.equal(await stores[0]!.countJobs({}), 0);
      } finally {
        for (const n of nodes) n.close();
        for (const s of stores) await s.close();
        await db.drop();
      }
    });
  });
}
