/**
 * SQLite only: a database FILE keeps everything across close and reopen; WAL journaling
 * and the busy timeout behave as the TSDoc promises.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore, StoreErrors, type Store } from '../../src/store/index.js';
import { deployInput, externalTask, hasCode, incident, instanceInsert, T0, userTask } from './fixtures.js';

/** Everything readable, for before/after comparison. */
async function snapshot(store: Store): Promise<unknown> {
  return {
    deployments: await store.listDeployments(),
    resources: (await store.listResources((await store.listDeployments())[0]?.id ?? '')).map((r) => [r.name, r.content.toString('base64')]),
    definitions: await store.listProcessDefinitions(),
    instance: await store.getInstance('pi-1'),
    instances: await store.listInstances(),
    externalTasks: await store.listExternalTasks(),
    userTasks: await store.listUserTasks(),
    incidents: await store.listIncidents(),
    variables: await store.listVariables(),
    jobs: await store.listJobs(),
    historicProcesses: await store.listHistoricProcessInstances(),
    historicActivities: await store.listHistoricActivityInstances(),
    historicVariables: await store.listHistoricVariableUpdates(),
    historicIncidents: await store.listHistoricIncidents(),
  };
}

describe('SQLite file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'procos-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives close and reopen with everything intact', async () => {
    const url = `sqlite:${join(dir, 'nested', 'dir', 'procos.db')}`;
    const store = await openStore(url);
    const { definitions } = await store.deploy(deployInput('order', 'h1', { resources: [{ name: 'order.bpmn', content: new Uint8Array([0, 255, 10, 13]) }] }));
    const def = definitions[0]!;
    const inc = incident(def, 'pi-1', 'inc-1');
    await store.commit({
      instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK', state: { v: 1, unicode: 'Grüße ✓ 日本', nested: { list: [1.5, -2, true, null] } } })],
      externalTaskInserts: [externalTask(def, 'pi-1', 'et-1', { priority: 2 ** 40, retries: 3 })],
      userTaskInserts: [userTask(def, 'pi-1', 'ut-1')],
      incidentInserts: [inc],
      variableUpserts: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'v', value: { big: Number.MAX_SAFE_INTEGER } }],
      jobInserts: [{ id: 'j-1', processInstanceId: 'pi-1', type: 'timer', dueTime: T0 + 1000, payload: ['x'], createdTime: T0 }],
      history: {
        processStarts: [{ processInstanceId: 'pi-1', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: 'BK', startTime: T0 }],
        activityStarts: [{ activityInstanceId: 'ai-1', processInstanceId: 'pi-1', elementId: 'Task_1', elementType: 'serviceTask', parentActivityInstanceId: 'pi-1', startTime: T0 }],
        variableUpdates: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'v', value: 1, time: T0 }],
        incidentsCreated: [inc],
      },
    });
    await store.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 });
    const before = await snapshot(store);
    await store.close();

    const reopened = await openStore(url);
    try {
      assert.deepEqual(await snapshot(reopened), before);
      assert.equal((await reopened.getExternalTask('et-1'))?.workerId, 'w1');
      assert.equal((await reopened.getExternalTask('et-1'))?.priority, 2 ** 40);
      // and it keeps working: the next step commits on the reopened file
      await reopened.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'completed', state: {}, endTime: T0 + 1 }] });
      assert.equal((await reopened.getInstance('pi-1'))?.revision, 2);
    } finally {
      await reopened.close();
    }
  });

  it('uses WAL journaling (persisted in the file)', async () => {
    const file = join(dir, 'settings.db');
    const store = await openStore(`sqlite:${file}?synchronous=FULL`);
    try {
      assert.ok(existsSync(`${file}-wal`), 'WAL file exists while open');
      const raw = new Database(file);
      try {
        assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        raw.close();
      }
    } finally {
      await store.close();
    }
  });

  it('waits busyTimeout for another connection’s write lock, then fails with BUSY and writes nothing', async () => {
    const file = join(dir, 'busy.db');
    const store = await openStore(`sqlite:${file}?busyTimeout=150`);
    const other = new Database(file);
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const started = Date.now();
      await assert.rejects(store.deploy(deployInput('order', 'h1')), hasCode(StoreErrors.BUSY));
      assert.ok(Date.now() - started >= 140, 'waited for the lock');
      other.prepare('ROLLBACK').run();
      assert.equal(await store.countDeployments(), 0);
      await store.deploy(deployInput('order', 'h1'));
      assert.equal(await store.countDeployments(), 1);
    } finally {
      other.close();
      await store.close();
    }
  });
});
