/**
 * Contract: deleting a deployment — its resources and definitions (and their timer start
 * jobs) go; ended instances go with their history kept; running instances refuse it
 * unless `cascade`, which removes them, the instances they called, every runtime row
 * and their history; other deployments are untouched. Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import { StoreErrors, type ProcessDefinitionRecord, type Store } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, externalTask, hasCode, incident, instanceInsert, subscription, T0, userTask } from './fixtures.js';

/** Every row an instance can have, and its history. */
async function populate(store: Store, def: ProcessDefinitionRecord, id: string, extra: { status?: 'active' | 'completed'; superInstanceId?: string } = {}): Promise<void> {
  const status = extra.status ?? 'active';
  await store.commit({
    instances: [instanceInsert(def, id, { status, ...(extra.superInstanceId !== undefined ? { superInstanceId: extra.superInstanceId } : {}) })],
    ...(status === 'active'
      ? {
          externalTaskInserts: [externalTask(def, id, `et-${id}`)],
          userTaskInserts: [userTask(def, id, `ut-${id}`)],
          incidentInserts: [incident(def, id, `inc-${id}`)],
          subscriptionInserts: [subscription(id, `sub-${id}`)],
          jobInserts: [{ id: `job-${id}`, processInstanceId: id, type: 'timer', dueTime: T0 + 1000, createdTime: T0 }],
          variableUpserts: [{ processInstanceId: id, scopeId: id, name: 'x', value: 1 }],
        }
      : {}),
    history: {
      processStarts: [{ processInstanceId: id, processDefinitionId: def.id, processDefinitionKey: def.key, businessKey: null, startTime: T0, ...(extra.superInstanceId !== undefined ? { superInstanceId: extra.superInstanceId } : {}) }],
      activityStarts: [{ activityInstanceId: `act-${id}`, processInstanceId: id, elementId: 'Task_1', elementType: 'serviceTask', parentActivityInstanceId: id, startTime: T0 }],
      variableUpdates: [{ processInstanceId: id, scopeId: id, name: 'x', value: 1, time: T0 }],
      incidentsCreated: [incident(def, id, `hinc-${id}`)],
      ...(status === 'completed' ? { processEnds: [{ processInstanceId: id, status: 'completed' as const, endTime: T0 + 1 }] } : {}),
    },
  });
}

async function rowsOf(store: Store, id: string): Promise<Record<string, number>> {
  return {
    instance: (await store.getInstance(id)) === null ? 0 : 1,
    externalTasks: await store.countExternalTasks({ processInstanceId: id }),
    userTasks: await store.countUserTasks({ processInstanceId: id }),
    incidents: await store.countIncidents({ processInstanceId: id }),
    subscriptions: await store.countSubscriptions({ processInstanceId: id }),
    jobs: await store.countJobs({ processInstanceId: id }),
    variables: await store.countVariables({ processInstanceId: id }),
    history: (await store.getHistoricProcessInstance(id)) === null ? 0 : 1,
    historicActivities: await store.countHistoricActivityInstances({ processInstanceId: id }),
    historicVariables: await store.countHistoricVariableUpdates({ processInstanceId: id }),
    historicIncidents: await store.countHistoricIncidents({ processInstanceId: id }),
  };
}

const ALL_ROWS = { instance: 1, externalTasks: 1, userTasks: 1, incidents: 1, subscriptions: 1, jobs: 1, variables: 1, history: 1, historicActivities: 1, historicVariables: 1, historicIncidents: 1 };
const NO_ROWS = Object.fromEntries(Object.keys(ALL_ROWS).map((k) => [k, 0]));

for (const kind of storeKinds()) {
  describe(`deleteDeployment [${kind.name}]`, () => {
    let db: OpenedStore;
    beforeEach(async () => {
      db = await kind.open();
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('refuses while instances run (nothing deleted); cascade deletes them, what they called, every runtime row and their history', async () => {
      const order = await deployProcess(db.store, 'order', 'h1');
      const child = await deployProcess(db.store, 'child', 'c1');
      await db.store.commit({ jobInserts: [{ id: 'timer-start', processInstanceId: null, processDefinitionId: order.id, elementId: 'TimerStart', type: 'timer-start', dueTime: T0, createdTime: T0 }] });
      await populate(db.store, order, 'pi-run');
      await populate(db.store, order, 'pi-done', { status: 'completed' });
      await populate(db.store, child, 'pi-called', { superInstanceId: 'pi-run' });
      await populate(db.store, child, 'pi-grandchild', { superInstanceId: 'pi-called' });
      await populate(db.store, child, 'pi-other');

      await assert.rejects(db.store.deleteDeployment(order.deploymentId), (e: ProcosError) => {
        assert.equal(e.code, StoreErrors.DEPLOYMENT_IN_USE.code);
        assert.deepEqual(e.details, { deploymentId: order.deploymentId, processDefinitionId: order.id, runningInstances: 1 });
        return true;
      });
      assert.deepEqual(await rowsOf(db.store, 'pi-run'), ALL_ROWS, 'nothing was deleted');
      assert.ok((await db.store.getDeployment(order.deploymentId)) !== null);

      const gone = await db.store.deleteDeployment(order.deploymentId, { cascade: true });
      assert.deepEqual(gone, { deploymentId: order.deploymentId, processDefinitionIds: [order.id], deletedInstances: 4, deletedHistoricInstances: 4 });
      for (const id of ['pi-run', 'pi-done', 'pi-called', 'pi-grandchild']) assert.deepEqual(await rowsOf(db.store, id), NO_ROWS, `${id} is gone`);
      assert.deepEqual(await rowsOf(db.store, 'pi-other'), ALL_ROWS, 'other instances stay');
      assert.equal(await db.store.getDeployment(order.deploymentId), null);
      assert.equal(await db.store.getProcessDefinition(order.id), null);
      assert.deepEqual(await db.store.listResources(order.deploymentId), []);
      assert.equal(await db.store.getJob('timer-start'), null, 'the timer start job of the definition is gone');
      assert.ok((await db.store.getProcessDefinition(child.id)) !== null);
      await assert.rejects(db.store.deleteDeployment(order.deploymentId), hasCode(StoreErrors.DEPLOYMENT_NOT_FOUND));
    });

    it('without running instances: deletes the definitions and the ended instances, keeps their history; the previous version is the latest again', async () => {
      const v1 = await deployProcess(db.store, 'order', 'h1');
      const v2 = await deployProcess(db.store, 'order', 'h2');
      await populate(db.store, v2, 'pi-done', { status: 'completed' });
      await populate(db.store, v1, 'pi-v1');
      const gone = await db.store.deleteDeployment(v2.deploymentId);
      assert.deepEqual(gone, { deploymentId: v2.deploymentId, processDefinitionIds: [v2.id], deletedInstances: 1, deletedHistoricInstances: 0 });
      assert.equal(await db.store.getInstance('pi-done'), null);
      assert.equal((await db.store.getHistoricProcessInstance('pi-done'))?.status, 'completed', 'history is kept');
      assert.equal(await db.store.countHistoricVariableUpdates({ processInstanceId: 'pi-done' }), 1);
      assert.equal((await db.store.getLatestProcessDefinition('order'))?.id, v1.id);
      assert.deepEqual(await rowsOf(db.store, 'pi-v1'), ALL_ROWS);
      // a deployment without definitions (only other resources) is deleted too
      const plain = await db.store.deploy({ name: 'docs', resources: [{ name: 'readme.txt', content: 'hi' }], processes: [], time: T0 });
      assert.deepEqual(await db.store.deleteDeployment(plain.deployment.id), { deploymentId: plain.deployment.id, processDefinitionIds: [], deletedInstances: 0, deletedHistoricInstances: 0 });
      await assert.rejects(db.store.deleteDeployment(''), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('a new version can be deployed again after its predecessor was deleted', async () => {
      const v1 = await deployProcess(db.store, 'order', 'h1');
      const v2 = await deployProcess(db.store, 'order', 'h2');
      await db.store.deleteDeployment(v2.deploymentId);
      const again = await deployProcess(db.store, 'order', 'h3');
      assert.equal(again.version, 2);
      assert.notEqual(again.id, v2.id);
      assert.equal((await db.store.getLatestProcessDefinition('order'))?.id, again.id);
      assert.equal(v1.version, 1);
    });
  });
}
