/**
 * Contract: instances, optimistic locking, atomic commits, and the runtime tables written
 * with them (user tasks, incidents, variables). Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isProcosError, type ProcosError } from '../../src/common/errors.js';
import { StoreErrors, type ProcessDefinitionRecord } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, externalTask, hasCode, incident, instanceInsert, T0, userTask } from './fixtures.js';

for (const kind of storeKinds()) {
  describe(`instances [${kind.name}]`, () => {
    let db: OpenedStore;
    let def: ProcessDefinitionRecord;
    beforeEach(async () => {
      db = await kind.open();
      def = await deployProcess(db.store);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('inserts an instance at revision 1 and reads back its JSON state', async () => {
      const state = { v: 1, id: 'pi-1', key: 'order', acts: { 'pi-1': { id: 'pi-1', el: 'order', parent: null, st: 'scope', vars: { a: [1, 'x', null, { b: true }] } } }, joins: {} };
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK-1', state })] });
      const got = await db.store.getInstance('pi-1');
      assert.deepEqual(got, {
        id: 'pi-1',
        processDefinitionId: def.id,
        processDefinitionKey: 'order',
        businessKey: 'BK-1',
        status: 'active',
        revision: 1,
        startTime: T0,
        endTime: null,
        superInstanceId: null,
        state,
      });
      assert.equal(await db.store.getInstance('nope'), null);
    });

    it('reads several instances with their state in one call (getInstances)', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1', { state: { n: 1 } }), instanceInsert(def, 'pi-2', { state: { n: 2 } }), instanceInsert(def, 'pi-3')] });
      const got = await db.store.getInstances(['pi-2', 'nope', 'pi-1', 'pi-2']);
      assert.deepEqual(
        got.map((r) => [r.id, r.revision, r.state]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        [
          ['pi-1', 1, { n: 1 }],
          ['pi-2', 1, { n: 2 }],
        ],
      );
      assert.deepEqual(got.find((r) => r.id === 'pi-1'), await db.store.getInstance('pi-1'));
      assert.deepEqual(await db.store.getInstances([]), []);
      // more ids than one statement reads (a fetch may lock any number of tasks)
      const many = [...Array.from({ length: 1200 }, (_, i) => `missing-${i}`), 'pi-3', 'pi-1'];
      assert.deepEqual((await db.store.getInstances(many)).map((r) => r.id).sort(), ['pi-1', 'pi-3']);
    });

    // SQLite runs commits issued in one event-loop turn in one transaction (group commit),
    // in the order they were issued; PostgreSQL runs them concurrently (no order to assert).
    (kind.name === 'sqlite' ? it : it.skip)('group commit: commits issued together each succeed or fail alone, applied in the order issued', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1'), instanceInsert(def, 'pi-2')] });
      // Issued together, without awaiting in between (SQLite runs them in one group commit).
      const outcomes = await Promise.allSettled([
        db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: { first: true } }] }),
        db.store.commit({
          instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: { second: true } }],
          externalTaskInserts: [externalTask(def, 'pi-1', 'et-lost')],
        }),
        db.store.commit({ instances: [{ kind: 'update', id: 'pi-2', expectedRevision: 1, status: 'active', state: { other: true } }], externalTaskInserts: [externalTask(def, 'pi-2', 'et-kept')] }),
        db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 2, status: 'completed', state: { third: true }, endTime: T0 + 1 }] }),
        // a database error (duplicate key) after a successful first write of the same batch
        db.store.commit({ instances: [instanceInsert(def, 'pi-9')], externalTaskInserts: [externalTask(def, 'pi-9', 'et-kept')] }),
      ]);
      assert.deepEqual(
        outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as ProcosError).code)),
        ['ok', 'PROCOS_STORE_REVISION_CONFLICT', 'ok', 'ok', 'PROCOS_STORE_ALREADY_EXISTS'],
      );
      assert.equal(await db.store.getInstance('pi-9'), null, 'the instance written before the failing insert was rolled back');
      const pi1 = await db.store.getInstance('pi-1');
      assert.equal(pi1?.revision, 3);
      assert.deepEqual(pi1?.state, { third: true });
      assert.equal(pi1?.status, 'completed');
      assert.deepEqual((await db.store.getInstance('pi-2'))?.state, { other: true });
      assert.equal(await db.store.getExternalTask('et-lost'), null, 'the refused commit wrote nothing');
      assert.equal((await db.store.getExternalTask('et-kept'))?.processInstanceId, 'pi-2');
    });

    it('updates with the expected revision and bumps it', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1')] });
      await db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: { step: 2 } }] });
      await db.store.commit({
        instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 2, status: 'completed', state: { step: 3 }, endTime: T0 + 5, businessKey: 'late' }],
      });
      const got = await db.store.getInstance('pi-1');
      assert.equal(got?.revision, 3);
      assert.equal(got?.status, 'completed');
      assert.equal(got?.endTime, T0 + 5);
      assert.equal(got?.businessKey, 'late');
      assert.deepEqual(got?.state, { step: 3 });
    });

    it('refuses a stale revision and writes nothing of the batch', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1'), instanceInsert(def, 'pi-2')] });
      await db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: { winner: true } }] });

      const stale = db.store.commit({
        instances: [
          { kind: 'update', id: 'pi-2', expectedRevision: 1, status: 'active', state: { touched: true } },
          instanceInsert(def, 'pi-3'),
          { kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'completed', state: { loser: true }, endTime: T0 },
        ],
        externalTaskInserts: [externalTask(def, 'pi-2', 'et-1')],
        userTaskInserts: [userTask(def, 'pi-2', 'ut-1')],
        variableUpserts: [{ processInstanceId: 'pi-2', scopeId: 'pi-2', name: 'x', value: 1 }],
        history: { processStarts: [{ processInstanceId: 'pi-3', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: null, startTime: T0 }] },
      });
      await assert.rejects(stale, (e: ProcosError) => {
        assert.equal(e.code, 'PROCOS_STORE_REVISION_CONFLICT');
        assert.equal(e.status, 409);
        assert.deepEqual(e.details, { processInstanceId: 'pi-1', expectedRevision: 1, actualRevision: 2 });
        assert.match(e.message, /pi-1.*expected revision 1, found 2/);
        return true;
      });
      assert.deepEqual((await db.store.getInstance('pi-1'))?.state, { winner: true });
      const pi2 = await db.store.getInstance('pi-2');
      assert.equal(pi2?.revision, 1);
      assert.deepEqual(pi2?.state, instanceInsert(def, 'pi-2').state);
      assert.equal(await db.store.getInstance('pi-3'), null);
      assert.equal(await db.store.countExternalTasks(), 0);
      assert.equal(await db.store.countUserTasks(), 0);
      assert.equal(await db.store.countVariables(), 0);
      assert.equal(await db.store.countHistoricProcessInstances(), 0);
    });

    it('concurrent updates of one revision: exactly one wins', async () => {
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1')] });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: { i } }] })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(isProcosError(r.reason, StoreErrors.REVISION_CONFLICT));
      assert.equal((await db.store.getInstance('pi-1'))?.revision, 2);
    });

    it('an update of a missing instance is INSTANCE_NOT_FOUND; a duplicate insert is ALREADY_EXISTS; an unknown definition is REFERENCE_MISSING', async () => {
      await assert.rejects(
        db.store.commit({ instances: [{ kind: 'update', id: 'ghost', expectedRevision: 1, status: 'active', state: {} }] }),
        hasCode(StoreErrors.INSTANCE_NOT_FOUND),
      );
      await db.store.commit({ instances: [instanceInsert(def, 'pi-1')] });
      await assert.rejects(db.store.commit({ instances: [instanceInsert(def, 'pi-1')] }), hasCode(StoreErrors.ALREADY_EXISTS));
      await assert.rejects(
        db.store.commit({ instances: [instanceInsert({ ...def, id: 'order:9:none' }, 'pi-2')] }),
        hasCode(StoreErrors.REFERENCE_MISSING),
      );
      await assert.rejects(db.store.commit({ externalTaskInserts: [externalTask(def, 'ghost', 'et-1')] }), hasCode(StoreErrors.REFERENCE_MISSING));
      await assert.rejects(
        db.store.commit({ instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 0, status: 'active', state: {} }] }),
        hasCode(StoreErrors.BAD_ARGUMENT),
      );
    });

    it('group commit: many instances in one batch', async () => {
      const n = 300;
      await db.store.commit({
        instances: Array.from({ length: n }, (_, i) => instanceInsert(def, `pi-${i}`, { startTime: T0 + i })),
        externalTaskInserts: Array.from({ length: n }, (_, i) => externalTask(def, `pi-${i}`, `et-${i}`)),
      });
      assert.equal(await db.store.countInstances(), n);
      assert.equal(await db.store.countExternalTasks(), n);
      await db.store.commit({
        instances: Array.from({ length: n }, (_, i) => ({ kind: 'update' as const, id: `pi-${i}`, expectedRevision: 1, status: 'completed' as const, state: {}, endTime: T0 + n })),
        externalTaskDeletes: Array.from({ length: n }, (_, i) => ({ id: `et-${i}` })),
      });
      assert.equal(await db.store.countInstances({ status: 'completed' }), n);
      assert.equal(await db.store.countExternalTasks(), 0);
    });

    it('lists and counts instances with filters and paging', async () => {
      const def2 = await deployProcess(db.store, 'invoice');
      await db.store.commit({
        instances: [
          instanceInsert(def, 'a', { businessKey: 'BK-1', startTime: T0 + 1 }),
          instanceInsert(def, 'b', { businessKey: 'BK-2', startTime: T0 + 2, status: 'completed', endTime: T0 + 3 }),
          instanceInsert(def, 'c', { businessKey: 'BK-1', startTime: T0 + 3, superInstanceId: 'a' }),
          instanceInsert(def2, 'd', { startTime: T0 + 4, status: 'terminated', endTime: T0 + 5 }),
          instanceInsert(def2, 'e', { startTime: T0 + 5 }),
        ],
      });
      const ids = async (p: Promise<{ id: string }[]>): Promise<string[]> => (await p).map((x) => x.id);
      assert.deepEqual(await ids(db.store.listInstances()), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(await ids(db.store.listInstances({ processDefinitionKey: 'order' })), ['a', 'b', 'c']);
      assert.deepEqual(await ids(db.store.listInstances({ processDefinitionId: def2.id })), ['d', 'e']);
      assert.deepEqual(await ids(db.store.listInstances({ businessKey: 'BK-1' })), ['a', 'c']);
      assert.deepEqual(await ids(db.store.listInstances({ status: 'active' })), ['a', 'c', 'e']);
      assert.deepEqual(await ids(db.store.listInstances({ statusIn: ['completed', 'terminated'] })), ['b', 'd']);
      assert.deepEqual(await ids(db.store.listInstances({ superInstanceId: 'a' })), ['c']);
      assert.deepEqual(await ids(db.store.listInstances({ ids: ['e', 'a', 'zz'] })), ['a', 'e']);
      assert.deepEqual(await ids(db.store.listInstances({ ids: [] })), []);
      assert.deepEqual(await ids(db.store.listInstances({ processDefinitionKey: 'order', status: 'active' }, { firstResult: 1, maxResults: 5 })), ['c']);
      assert.deepEqual(await ids(db.store.listInstances({}, { firstResult: 2, maxResults: 2 })), ['c', 'd']);
      assert.deepEqual(await ids(db.store.listInstances({}, { maxResults: 0 })), []);
      assert.deepEqual(await ids(db.store.listInstances({}, { firstResult: 10 })), []);
      assert.equal(await db.store.countInstances(), 5);
      assert.equal(await db.store.countInstances({ businessKey: 'BK-1', status: 'active' }), 2);
      const summary = (await db.store.listInstances({ ids: ['b'] }))[0];
      assert.equal(summary && 'state' in summary, false, 'lists carry no state');
      await assert.rejects(db.store.listInstances({}, { firstResult: -1 }), hasCode(StoreErrors.BAD_ARGUMENT));
      await assert.rejects(db.store.listInstances({}, { maxResults: 1.5 }), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('writes, lists and deletes user tasks', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        userTaskInserts: [userTask(def, 'pi-1', 'ut-1', { assignee: 'demo', candidateUsers: ['a', 'b'] }), userTask(def, 'pi-1', 'ut-2', { createdTime: T0 + 1 })],
      });
      assert.deepEqual(await db.store.getUserTask('ut-1'), {
        id: 'ut-1',
        processInstanceId: 'pi-1',
        processDefinitionId: def.id,
        elementId: 'Review',
        name: 'Review order',
        assignee: 'demo',
        candidateGroups: ['clerks'],
        candidateUsers: ['a', 'b'],
        dueDate: '2030-01-01T00:00:00.000Z',
        followUpDate: null,
        priority: 50,
        formKey: 'embedded:app:forms/review.html',
        createdTime: T0,
      });
      assert.deepEqual(
        (await db.store.listUserTasks({ unassigned: true })).map((t) => t.id),
        ['ut-2'],
      );
      assert.equal(await db.store.countUserTasks({ assignee: 'demo' }), 1);
      assert.equal(await db.store.countUserTasks({ processInstanceId: 'pi-1', elementId: 'Review' }), 2);
      await db.store.commit({ userTaskDeletes: ['ut-1', 'missing-is-ignored'] });
      assert.equal(await db.store.getUserTask('ut-1'), null);
      assert.equal(await db.store.countUserTasks(), 1);
    });

    it('claims and unclaims user tasks (setUserTaskAssignee)', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        userTaskInserts: [userTask(def, 'pi-1', 'ut-1'), userTask(def, 'pi-1', 'ut-2', { assignee: 'mary', createdTime: T0 + 1 })],
      });
      await db.store.setUserTaskAssignee('ut-1', 'demo');
      assert.equal((await db.store.getUserTask('ut-1'))?.assignee, 'demo');
      assert.deepEqual(
        (await db.store.listUserTasks({ unassigned: true })).map((t) => t.id),
        [],
      );
      await db.store.setUserTaskAssignee('ut-2', 'demo'); // reassign
      assert.equal(await db.store.countUserTasks({ assignee: 'demo' }), 2);
      await db.store.setUserTaskAssignee('ut-1', null); // unclaim
      await db.store.setUserTaskAssignee('ut-1', null); // idempotent
      assert.deepEqual(
        (await db.store.listUserTasks({ unassigned: true })).map((t) => t.id),
        ['ut-1'],
      );
      assert.deepEqual(await db.store.getUserTask('ut-2'), { ...userTask(def, 'pi-1', 'ut-2', { createdTime: T0 + 1 }), assignee: 'demo' }, 'nothing else changes');
      await assert.rejects(db.store.setUserTaskAssignee('nope', 'demo'), (e: ProcosError) => {
        assert.equal(e.code, 'PROCOS_STORE_USER_TASK_NOT_FOUND');
        assert.equal(e.status, 404);
        assert.deepEqual(e.details, { userTaskId: 'nope' });
        return true;
      });
      await assert.rejects(db.store.setUserTaskAssignee('nope', null), hasCode(StoreErrors.USER_TASK_NOT_FOUND));
      await assert.rejects(db.store.setUserTaskAssignee('ut-1', ''), hasCode(StoreErrors.BAD_ARGUMENT));
    });

    it('creates, resolves and annotates incidents', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        incidentInserts: [incident(def, 'pi-1', 'inc-1', { externalTaskId: 'et-1' }), incident(def, 'pi-1', 'inc-2', { type: 'expressionFailed', createdTime: T0 + 1 })],
      });
      assert.equal(await db.store.countIncidents({ open: true }), 2);
      assert.equal((await db.store.getIncident('inc-1'))?.externalTaskId, 'et-1');
      await db.store.commit({ incidentResolves: [{ id: 'inc-1', time: T0 + 10 }] });
      assert.equal((await db.store.getIncident('inc-1'))?.resolvedTime, T0 + 10);
      assert.deepEqual(
        (await db.store.listIncidents({ open: true })).map((i) => i.id),
        ['inc-2'],
      );
      assert.deepEqual(
        (await db.store.listIncidents({ open: false })).map((i) => i.id),
        ['inc-1'],
      );
      assert.equal(await db.store.countIncidents({ type: 'expressionFailed', processInstanceId: 'pi-1' }), 1);
      assert.equal(await db.store.countIncidents({ externalTaskId: 'et-1' }), 1);
      await assert.rejects(db.store.commit({ incidentResolves: [{ id: 'inc-1', time: T0 + 11 }] }), hasCode(StoreErrors.INCIDENT_ALREADY_RESOLVED));
      await assert.rejects(db.store.commit({ incidentResolves: [{ id: 'nope', time: T0 + 11 }] }), hasCode(StoreErrors.INCIDENT_NOT_FOUND));
      await db.store.setIncidentAnnotation('inc-2', 'looking into it');
      assert.equal((await db.store.getIncident('inc-2'))?.annotation, 'looking into it');
      await db.store.setIncidentAnnotation('inc-2', null);
      assert.equal((await db.store.getIncident('inc-2'))?.annotation, null);
      await assert.rejects(db.store.setIncidentAnnotation('nope', 'x'), hasCode(StoreErrors.INCIDENT_NOT_FOUND));
    });

    it('upserts and deletes variables per scope', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        variableUpserts: [
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'order', value: { id: 7, items: ['a', 'b'], total: 12.5 } },
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'ok', value: true },
          { processInstanceId: 'pi-1', scopeId: 'sub-1', name: 'local', value: 'x' },
          { processInstanceId: 'pi-1', scopeId: 'sub-1', name: 'n', value: null },
        ],
      });
      assert.deepEqual(await db.store.getVariable('pi-1', 'order'), { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'order', value: { id: 7, items: ['a', 'b'], total: 12.5 } });
      assert.deepEqual((await db.store.getVariable('sub-1', 'n'))?.value, null);
      await db.store.commit({ variableUpserts: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'ok', value: false }] });
      assert.equal((await db.store.getVariable('pi-1', 'ok'))?.value, false);
      assert.equal(await db.store.countVariables({ processInstanceId: 'pi-1' }), 4);
      assert.deepEqual(
        (await db.store.listVariables({ scopeId: 'pi-1' })).map((v) => v.name),
        ['ok', 'order'],
      );
      await db.store.commit({ variableDeletes: [{ scopeId: 'sub-1' }, { scopeId: 'pi-1', name: 'ok' }, { scopeId: 'pi-1', name: 'missing' }] });
      assert.deepEqual(
        (await db.store.listVariables()).map((v) => `${v.scopeId}.${v.name}`),
        ['pi-1.order'],
      );
      assert.equal(await db.store.getVariable('pi-1', 'ok'), null);
    });
  });
}
