/**
 * Several processes (nodes) on one database: a long-polling fetchAndLock on one node is
 * woken at once by a task created, unlocked or given retries on another (PostgreSQL
 * LISTEN/NOTIFY through the store); a node does not wake on its own echo.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Runtime } from '../../src/runtime/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { storeKinds } from '../helpers/stores.js';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_nodes" targetNamespace="http://procos.dev/test">
  <bpmn:process id="nodes_p" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="shared" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const TOPICS = [{ topicName: 'shared', lockDuration: 60_000 }];

for (const kind of storeKinds().filter((k) => k.name === 'postgres')) {
  describe(`nodes on one ${kind.name} database`, () => {
    it('a long poll on node A answers as soon as node B creates, unlocks or retries a task of its topic', { timeout: 60_000 }, async () => {
      const db = await kind.newDatabase();
      const stores: Store[] = [await openStore(db.url), await openStore(db.url)];
      const [a, b] = stores.map((s, i) => new Runtime(s, { nodeId: `node-${i}` })) as [Runtime, Runtime];
      try {
        await b.deploy({ name: 'nodes', resources: [{ name: 'nodes.bpmn', content: MODEL }] });
        // A waits up to 20 s; B's start must wake it within a second or two, not at the timeout.
        const waitAndTime = async (): Promise<{ ms: number; ids: string[] }> => {
          const t0 = Date.now();
          const tasks = await a.fetchAndLock({ workerId: 'wa', maxTasks: 1, asyncResponseTimeout: 20_000, topics: TOPICS });
          return { ms: Date.now() - t0, ids: tasks.map((t) => t.id) };
        };
        const created = waitAndTime();
        await waitUntil(() => a.notifier.waiting === 1);
        const pi = await b.startInstance({ key: 'nodes_p' });
        const first = await created;
        assert.equal(first.ids.length, 1, 'A got the task B created');
        assert.ok(first.ms < 5_000, `woken after ${first.ms} ms, not at the 20 s timeout`);

        // Unlocked on B: A's next long poll gets it again at once.
        const unlocked = waitAndTime();
        await waitUntil(() => a.notifier.waiting === 1);
        await b.unlockExternalTask(first.ids[0]!);
        const second = await unlocked;
        assert.deepEqual(second.ids, first.ids);
        assert.ok(second.ms < 5_000, `woken after ${second.ms} ms`);

        // Failed on A with retries: B's long poll is woken by A's notification.
        const tB = Date.now();
        const onB = b.fetchAndLock({ workerId: 'wb', maxTasks: 1, asyncResponseTimeout: 20_000, topics: TOPICS });
        await waitUntil(() => b.notifier.waiting === 1);
        await a.handleExternalTaskFailure(first.ids[0]!, 'wa', { errorMessage: 'try again', retries: 2, retryTimeout: 0 });
        const [again] = await onB;
        assert.equal(again?.id, first.ids[0]);
        assert.ok(Date.now() - tB < 5_000);
        await b.completeExternalTask(again!.id, 'wb');
        assert.equal((await b.getInstance(pi.id)).status, 'completed');
      } finally {
        a.close();
        b.close();
        for (const s of stores) await s.close();
        await db.drop();
      }
    });

    it("a node ignores its own notifications and wakes on notifications too big for one payload (all topics)", { timeout: 60_000 }, async () => {
      const db = await kind.newDatabase();
      const store = await openStore(db.url);
      const other = await openStore(db.url);
      const seen: { topics: readonly string[] | null; origin: string | null }[] = [];
      const stop = await store.listenTopics((topics, origin) => seen.push({ topics, origin }));
      try {
        await other.notifyTopics(['x', 'y'], 'node-other');
        await other.notifyTopics(Array.from({ length: 2_000 }, (_, i) => `a-rather-long-topic-name-${i}`), 'node-other');
        await waitUntil(() => seen.length === 2);
        assert.deepEqual(seen, [
          { topics: ['x', 'y'], origin: 'node-other' },
          { topics: null, origin: 'node-other' },
        ]);
        // A runtime's own notifications come back to it too; it does not wake on them (origin = its node id).
        const rt = new Runtime(store, { nodeId: 'me' });
        const received: (readonly string[] | null)[] = [];
        const receive = rt.notifier.receive.bind(rt.notifier);
        rt.notifier.receive = (topics) => {
          received.push(topics);
          receive(topics);
        };
        await new Promise((r) => setTimeout(r, 300)); // its listener is connected
        rt.notifier.notify(['mine']);
        await other.notifyTopics(['theirs'], 'node-other');
        await waitUntil(() => received.length >= 1 && seen.length >= 4);
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(received, [['theirs']]);
        rt.close();
      } finally {
        await stop();
        await store.close();
        await other.close();
        await db.drop();
      }
    });
  });
}

async function waitUntil(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
