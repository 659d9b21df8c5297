/**
 * Contract: append-only history written in the same commit as the step it records. Run
 * on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcessDefinitionRecord, WriteBatch } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, externalTask, incident, instanceInsert, T0 } from './fixtures.js';

/** What a runtime would commit for: start → StartEvent → Task_1 (waits). */
function startBatch(def: ProcessDefinitionRecord): WriteBatch {
  return {
    instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK' })],
    externalTaskInserts: [externalTask(def, 'pi-1', 'et-1', { activityInstanceId: 'ai-task' })],
    variableUpserts: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'amount', value: 10 }],
    history: {
      processStarts: [{ processInstanceId: 'pi-1', processDefinitionId: def.id, processDefinitionKey: def.key, businessKey: 'BK', startTime: T0 }],
      activityStarts: [
        { activityInstanceId: 'ai-start', processInstanceId: 'pi-1', elementId: 'StartEvent', elementType: 'startEvent', parentActivityInstanceId: 'pi-1', startTime: T0 },
        {
          activityInstanceId: 'ai-task',
          processInstanceId: 'pi-1',
          elementId: 'Task_1',
          elementType: 'serviceTask',
          elementName: 'Do it',
          parentActivityInstanceId: 'pi-1',
          startTime: T0 + 1,
        },
      ],
      activityEnds: [{ activityInstanceId: 'ai-start', endTime: T0, canceled: false }],
      variableUpdates: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'amount', value: 10, time: T0 }],
    },
  };
}

for (const kind of storeKinds()) {
  describe(`history [${kind.name}]`, () => {
    let db: OpenedStore;
    let def: ProcessDefinitionRecord;
    beforeEach(async () => {
      db = await kind.open();
      def = await deployProcess(db.store);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('records a process from start to end', async () => {
      await db.store.commit(startBatch(def));
      assert.deepEqual(await db.store.getHistoricProcessInstance('pi-1'), {
        id: 'pi-1',
        processDefinitionId: def.id,
        processDefinitionKey: 'order',
        businessKey: 'BK',
        superInstanceId: null,
        status: 'active',
        startTime: T0,
        endTime: null,
        endReason: null,
      });
      assert.deepEqual(
        (await db.store.listHistoricActivityInstances({ processInstanceId: 'pi-1', finished: false })).map((a) => a.id),
        ['ai-task'],
      );

      await db.store.commit({
        instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'completed', state: {}, endTime: T0 + 9 }],
        externalTaskDeletes: [{ id: 'et-1' }],
        variableUpserts: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'amount', value: 20 }],
        history: {
          activityEnds: [{ activityInstanceId: 'ai-task', endTime: T0 + 5, canceled: false }],
          activityStarts: [{ activityInstanceId: 'ai-end', processInstanceId: 'pi-1', elementId: 'EndEvent', elementType: 'endEvent', parentActivityInstanceId: 'pi-1', startTime: T0 + 9 }],
          variableUpdates: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'amount', value: 20, time: T0 + 5 }],
          processEnds: [{ processInstanceId: 'pi-1', status: 'completed', endTime: T0 + 9 }],
        },
      });
      await db.store.commit({ history: { activityEnds: [{ activityInstanceId: 'ai-end', endTime: T0 + 9, canceled: false }] } });

      const p = await db.store.getHistoricProcessInstance('pi-1');
      assert.equal(p?.status, 'completed');
      assert.equal(p?.endTime, T0 + 9);
      assert.deepEqual(await db.store.listHistoricActivityInstances({ processInstanceId: 'pi-1' }), [
        { id: 'ai-start', processInstanceId: 'pi-1', elementId: 'StartEvent', elementType: 'startEvent', elementName: null, parentActivityInstanceId: 'pi-1', startTime: T0, endTime: T0, canceled: false },
        { id: 'ai-task', processInstanceId: 'pi-1', elementId: 'Task_1', elementType: 'serviceTask', elementName: 'Do it', parentActivityInstanceId: 'pi-1', startTime: T0 + 1, endTime: T0 + 5, canceled: false },
        { id: 'ai-end', processInstanceId: 'pi-1', elementId: 'EndEvent', elementType: 'endEvent', elementName: null, parentActivityInstanceId: 'pi-1', startTime: T0 + 9, endTime: T0 + 9, canceled: false },
      ]);
      const updates = await db.store.listHistoricVariableUpdates({ processInstanceId: 'pi-1', name: 'amount' });
      assert.deepEqual(
        updates.map((u) => [u.value, u.time]),
        [
          [10, T0],
          [20, T0 + 5],
        ],
      );
      assert.ok(updates[0]!.sequence < updates[1]!.sequence, 'sequence grows');
      assert.equal((await db.store.getVariable('pi-1', 'amount'))?.value, 20, 'runtime variable holds the last value');
      assert.equal(await db.store.countHistoricProcessInstances({ finished: true }), 1);
      assert.equal(await db.store.countHistoricProcessInstances({ finished: false }), 0);
    });

    it('records cancellations, termination reasons and incidents', async () => {
      await db.store.commit(startBatch(def));
      const inc = incident(def, 'pi-1', 'inc-1', { activityInstanceId: 'ai-task', createdTime: T0 + 2 });
      await db.store.commit({ incidentInserts: [inc], history: { incidentsCreated: [inc] } });
      assert.deepEqual(await db.store.listHistoricIncidents({ open: true }), [
        {
          id: 'inc-1',
          type: 'failedExternalTask',
          message: 'boom',
          processInstanceId: 'pi-1',
          processDefinitionId: def.id,
          activityInstanceId: 'ai-task',
          elementId: 'Task_1',
          externalTaskId: null,
          createdTime: T0 + 2,
          resolvedTime: null,
        },
      ]);
      await db.store.commit({
        instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'terminated', state: {}, endTime: T0 + 3 }],
        externalTaskDeletes: [{ id: 'et-1' }],
        incidentResolves: [{ id: 'inc-1', time: T0 + 3 }],
        history: {
          incidentsResolved: [{ id: 'inc-1', time: T0 + 3 }],
          activityEnds: [{ activityInstanceId: 'ai-task', endTime: T0 + 3, canceled: true }],
          processEnds: [{ processInstanceId: 'pi-1', status: 'terminated', endTime: T0 + 3, reason: 'cancelled by operator' }],
        },
      });
      assert.deepEqual(
        (await db.store.listHistoricIncidents({ open: false })).map((i) => [i.id, i.resolvedTime]),
        [['inc-1', T0 + 3]],
      );
      assert.equal(await db.store.countHistoricIncidents({ processInstanceId: 'pi-1', type: 'failedExternalTask', elementId: 'Task_1' }), 1);
      const p = await db.store.getHistoricProcessInstance('pi-1');
      assert.equal(p?.status, 'terminated');
      assert.equal(p?.endReason, 'cancelled by operator');
      assert.deepEqual(
        (await db.store.listHistoricActivityInstances({ canceled: true })).map((a) => a.id),
        ['ai-task'],
      );
      assert.equal(await db.store.countHistoricActivityInstances({ canceled: false }), 1);
      assert.equal(await db.store.countHistoricActivityInstances({ elementType: 'serviceTask', elementId: 'Task_1' }), 1);
      // an end is recorded once: a second end does not rewrite it
      await db.store.commit({
        history: {
          activityEnds: [{ activityInstanceId: 'ai-task', endTime: T0 + 100, canceled: false }],
          processEnds: [{ processInstanceId: 'pi-1', status: 'completed', endTime: T0 + 100 }],
          // an end without a start row (lower history level) is ignored
          incidentsResolved: [{ id: 'never-created', time: T0 }],
        },
      });
      assert.equal((await db.store.getHistoricProcessInstance('pi-1'))?.status, 'terminated');
      assert.equal((await db.store.listHistoricActivityInstances({ canceled: true }))[0]?.endTime, T0 + 3);
    });

    it('lists historic process instances with filters and paging', async () => {
      const starts = Array.from({ length: 5 }, (_, i) => ({
        processInstanceId: `pi-${i}`,
        processDefinitionId: def.id,
        processDefinitionKey: def.key,
        businessKey: i % 2 === 0 ? 'even' : 'odd',
        superInstanceId: i === 4 ? 'pi-0' : null,
        startTime: T0 + i,
      }));
      await db.store.commit({ history: { processStarts: starts } });
      await db.store.commit({ history: { processEnds: [{ processInstanceId: 'pi-1', status: 'completed', endTime: T0 + 10 }] } });
      const ids = async (p: Promise<{ id: string }[]>): Promise<string[]> => (await p).map((x) => x.id);
      assert.deepEqual(await ids(db.store.listHistoricProcessInstances({}, { firstResult: 1, maxResults: 2 })), ['pi-1', 'pi-2']);
      assert.deepEqual(await ids(db.store.listHistoricProcessInstances({ businessKey: 'even' })), ['pi-0', 'pi-2', 'pi-4']);
      assert.deepEqual(await ids(db.store.listHistoricProcessInstances({ status: 'completed' })), ['pi-1']);
      assert.deepEqual(await ids(db.store.listHistoricProcessInstances({ superInstanceId: 'pi-0' })), ['pi-4']);
      assert.deepEqual(await ids(db.store.listHistoricProcessInstances({ processInstanceId: 'pi-3', processDefinitionKey: 'order', processDefinitionId: def.id })), ['pi-3']);
      assert.equal(await db.store.countHistoricProcessInstances({ finished: false }), 4);
      assert.equal(await db.store.countHistoricVariableUpdates(), 0);
    });
  });
}
