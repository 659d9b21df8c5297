/**
 * Batched commits: rows of one kind in one statement per table (PostgreSQL), the
 * unchecked rest in one combined statement, and the same result as writing row by row.
 * Statement shapes are checked without a database; the semantics on SQLite and
 * PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isProcosError, type ProcosError } from '../../src/common/errors.js';
import { StoreErrors, type ProcessDefinitionRecord, type WriteBatch } from '../../src/store/index.js';
import { batchStmts, setStmt } from '../../src/store/sql/batch.js';
import { COMMIT_OPS, commitProgram } from '../../src/store/sql/commit.js';
import { POSTGRES, SQLITE, type Dialect } from '../../src/store/sql/dialect.js';
import { migrate } from '../../src/store/sql/migrate.js';
import type { Stmt, StmtResult, TxProgram } from '../../src/store/sql/program.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import { SqliteDriver } from '../../src/store/sqlite/sqlite-driver.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployProcess, externalTask, hasCode, incident, instanceInsert, subscription, T0, userTask } from './fixtures.js';

const DEF = { id: 'order:1:x', key: 'order' } as ProcessDefinitionRecord;

/** What a runtime commits for: start → StartEvent → Task_1 (waits at an external task). */
function startBatch(def: ProcessDefinitionRecord, id: string): WriteBatch {
  return {
    instances: [instanceInsert(def, id)],
    externalTaskInserts: [externalTask(def, id, `${id}-et`, { activityInstanceId: `${id}-task` })],
    variableUpserts: [
      { processInstanceId: id, scopeId: id, name: 'a', value: 1 },
      { processInstanceId: id, scopeId: id, name: 'b', value: 'two' },
    ],
    history: {
      processStarts: [{ processInstanceId: id, processDefinitionId: def.id, processDefinitionKey: def.key, businessKey: null, startTime: T0 }],
      activityStarts: [
        { activityInstanceId: `${id}-start`, processInstanceId: id, elementId: 'StartEvent', elementType: 'startEvent', parentActivityInstanceId: id, startTime: T0 },
        { activityInstanceId: `${id}-task`, processInstanceId: id, elementId: 'Task_1', elementType: 'serviceTask', parentActivityInstanceId: id, startTime: T0 },
      ],
      activityEnds: [{ activityInstanceId: `${id}-start`, endTime: T0, canceled: false }],
      variableUpdates: [
        { processInstanceId: id, scopeId: id, name: 'a', value: 1, time: T0 },
        { processInstanceId: id, scopeId: id, name: 'b', value: 'two', time: T0 },
      ],
    },
  };
}

/** Completing Task_1 (locked by `worker`) → EndEvent → instance completed. */
function completeBatch(id: string, worker: string | undefined, revision = 1): WriteBatch {
  return {
    instances: [{ kind: 'update', id, expectedRevision: revision, status: 'completed', state: { done: true }, endTime: T0 + 9 }],
    externalTaskDeletes: [worker === undefined ? { id: `${id}-et` } : { id: `${id}-et`, expectedWorkerId: worker }],
    variableUpserts: [{ processInstanceId: id, scopeId: id, name: 'result', value: { ok: true } }],
    history: {
      activityStarts: [{ activityInstanceId: `${id}-end`, processInstanceId: id, elementId: 'EndEvent', elementType: 'endEvent', parentActivityInstanceId: id, startTime: T0 + 9 }],
      activityEnds: [
        { activityInstanceId: `${id}-task`, endTime: T0 + 9, canceled: false },
        { activityInstanceId: `${id}-end`, endTime: T0 + 9, canceled: false },
      ],
      variableUpdates: [{ processInstanceId: id, scopeId: id, name: 'result', value: { ok: true }, time: T0 + 9 }],
      processEnds: [{ processInstanceId: id, status: 'completed', endTime: T0 + 9 }],
    },
  };
}

function merge(batches: readonly WriteBatch[]): WriteBatch {
  const out: Record<string, unknown[]> = {};
  const history: Record<string, unknown[]> = {};
  for (const b of batches) {
    for (const [k, v] of Object.entries(b)) {
      if (k === 'history') for (const [hk, hv] of Object.entries(v as object)) history[hk] = [...(history[hk] ?? []), ...(hv as unknown[])];
      else out[k] = [...(out[k] ?? []), ...(v as unknown[])];
    }
  }
  return { ...out, history } as WriteBatch;
}

/** Runs a program against a fake database that changes every row it is asked to; returns the statements. */
function statementsOf(d: Dialect, program: TxProgram<void>, result: (s: Stmt) => StmtResult = allChanged): Stmt[] {
  const seen: Stmt[] = [];
  let step = program.next();
  while (!step.done) {
    seen.push(step.value);
    step = program.next(result(step.value));
  }
  return seen;
}

function allChanged(s: Stmt): StmtResult {
  const first = s.params[0];
  const ids = Array.isArray(first) ? first : [first];
  return { rows: / RETURNING id$/.test(s.sql) ? ids.map((id) => ({ id })) : [], changes: s.sql.startsWith('SELECT') ? 0 : 1 };
}

describe('batched commit statements', () => {
  it('PostgreSQL: a start is one instance insert and one combined statement; a completion adds the guarded writes', () => {
    const start = statementsOf(POSTGRES, commitProgram(POSTGRES, startBatch(DEF, 'pi-1')));
    assert.equal(start.length, 2);
    assert.match(start[0]!.sql, /^INSERT INTO process_instance /);
    assert.match(start[1]!.sql, /^WITH w1 AS \(INSERT INTO external_task .*\), w2 AS \(INSERT INTO variable .*INSERT INTO hist_variable_update /);
    assert.doesNotMatch(start[1]!.sql, /UPDATE hist_activity_instance/, 'the start event ended in the same batch: folded into its insert');

    const complete = statementsOf(POSTGRES, commitProgram(POSTGRES, completeBatch('pi-1', 'w')));
    assert.deepEqual(
      complete.map((s) => s.sql.slice(0, 30)),
      ['UPDATE process_instance SET st', 'DELETE FROM external_task WHER', 'WITH w1 AS (INSERT INTO variab'],
    );
    assert.equal(complete[2]!.sql.split('?').length - 1, complete[2]!.params.length);
  });

  it('PostgreSQL: a group commit writes one statement per table, whatever the number of instances', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `pi-${i}`);
    const starts = statementsOf(POSTGRES, commitProgram(POSTGRES, merge(ids.map((id) => startBatch(DEF, id)))));
    assert.equal(starts.length, 2);
    const completes = statementsOf(POSTGRES, commitProgram(POSTGRES, merge(ids.map((id) => completeBatch(id, 'w')))));
    assert.equal(completes.length, 3);
    // one statement text (one prepared plan) for any number of rows
    const two = batchStmts(POSTGRES, COMMIT_OPS.INSERT_EXTERNAL_TASK, [
      ['a', 'p', 'd', 'k', null, 'ai', 'el', 't', 0, null, T0],
      ['b', 'p', 'd', 'k', null, 'ai', 'el', 't', 0, null, T0],
    ]);
    const many = setStmt(
      POSTGRES,
      COMMIT_OPS.INSERT_EXTERNAL_TASK,
      ids.map((id) => [id, 'p', 'd', 'k', null, 'ai', 'el', 't', 0, null, T0]),
    );
    assert.equal(two.length, 1);
    assert.equal(two[0]!.stmt.sql, many.sql);
    assert.match(many.sql, /FROM unnest\(CAST\(\? AS TEXT\[\]\), .*CAST\(\? AS BIGINT\[\]\)\) AS u \(column1, /);
    assert.deepEqual(many.params[0], ids);
  });

  it('SQLite: one single-row statement per row, in the documented order, nothing combined', () => {
    const start = statementsOf(SQLITE, commitProgram(SQLITE, startBatch(DEF, 'pi-1')));
    assert.deepEqual(
      start.map((s) => /^(\w+ (?:INTO|FROM)?\s?\w+)/.exec(s.sql)?.[1]),
      [
        'INSERT INTO process_instance',
        'INSERT INTO external_task',
        'INSERT INTO variable',
        'INSERT INTO variable',
        'INSERT INTO hist_process_instance',
        'INSERT INTO hist_activity_instance',
        'INSERT INTO hist_activity_instance',
        'INSERT INTO hist_variable_update',
        'INSERT INTO hist_variable_update',
      ],
    );
    for (const s of start) assert.doesNotMatch(s.sql, /VALUES \(.*\), \(|unnest|WITH /);
  });

  it('a set write that changed fewer rows probes the first failing row in array order', () => {
    const batch: WriteBatch = {
      instances: ['c', 'a', 'b'].map((id) => ({ kind: 'update' as const, id, expectedRevision: 1, status: 'active' as const, state: {} })),
    };
    const seen: Stmt[] = [];
    assert.throws(
      () =>
        statementsOf(POSTGRES, commitProgram(POSTGRES, batch), (s) => {
          seen.push(s);
          if (s.sql.startsWith('UPDATE')) return { rows: [{ id: 'c' }], changes: 1 }; // a and b are stale
          return { rows: [{ revision: 5 }], changes: 1 };
        }),
      (e: ProcosError) => e.code === StoreErrors.REVISION_CONFLICT.code && e.details['processInstanceId'] === 'a',
    );
    assert.deepEqual(seen[0]!.params[0], ['a', 'b', 'c'], 'rows go in id order (one lock order for concurrent batches)');
    assert.deepEqual(seen[1], { sql: 'SELECT revision FROM process_instance WHERE id = ?', params: ['a'] });
  });
});

for (const kind of storeKinds()) {
  describe(`batched commits [${kind.name}]`, () => {
    let db: OpenedStore;
    let def: ProcessDefinitionRecord;
    beforeEach(async () => {
      db = await kind.open();
      def = await deployProcess(db.store);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('a group commit of starts and completions gives the rows of one-by-one commits', async () => {
      const ids = Array.from({ length: 30 }, (_, i) => `pi-${String(i).padStart(2, '0')}`);
      await db.store.commit(merge(ids.map((id) => startBatch(def, id))));
      assert.equal(await db.store.countExternalTasks(), 30);
      assert.equal(await db.store.countVariables(), 60);
      assert.equal(await db.store.countHistoricActivityInstances({ finished: true }), 30);
      assert.deepEqual(await db.store.listHistoricActivityInstances({ processInstanceId: 'pi-07' }), [
        {
          id: 'pi-07-start',
          processInstanceId: 'pi-07',
          elementId: 'StartEvent',
          elementType: 'startEvent',
          elementName: null,
          parentActivityInstanceId: 'pi-07',
          startTime: T0,
          endTime: T0,
          canceled: false,
        },
        {
          id: 'pi-07-task',
          processInstanceId: 'pi-07',
          elementId: 'Task_1',
          elementType: 'serviceTask',
          elementName: null,
          parentActivityInstanceId: 'pi-07',
          startTime: T0,
          endTime: null,
          canceled: false,
        },
      ]);
      await db.store.fetchAndLock({ workerId: 'w', maxTasks: 100, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 });
      await db.store.commit(merge(ids.map((id) => completeBatch(id, 'w'))));
      assert.equal(await db.store.countInstances({ status: 'completed' }), 30);
      assert.equal(await db.store.countExternalTasks(), 0);
      assert.equal(await db.store.countHistoricActivityInstances({ finished: false }), 0);
      assert.equal(await db.store.countHistoricProcessInstances({ status: 'completed' }), 30);
      assert.deepEqual((await db.store.getVariable('pi-29', 'result'))?.value, { ok: true });
      const updates = await db.store.listHistoricVariableUpdates({ processInstanceId: 'pi-03' });
      assert.deepEqual(
        updates.map((u) => u.name),
        ['a', 'b', 'result'],
      );
      const all = await db.store.listHistoricVariableUpdates();
      assert.deepEqual(
        all.map((u) => `${u.processInstanceId}.${u.name}`).slice(0, 4),
        ['pi-00.a', 'pi-00.b', 'pi-01.a', 'pi-01.b'],
        'sequence follows the batch order',
      );
    });

    it('guarded external task deletes in one batch: the first failing one (array order) is reported, nothing is written', async () => {
      const ids = ['pi-a', 'pi-b', 'pi-c', 'pi-d'];
      await db.store.commit(merge(ids.map((id) => startBatch(def, id))));
      await db.store.fetchAndLock({ workerId: 'w1', maxTasks: 2, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 }); // pi-a, pi-b (created time, id)
      await db.store.fetchAndLock({ workerId: 'w2', maxTasks: 2, topics: [{ topicName: 'work', lockDuration: 60_000 }], now: T0 }); // pi-c, pi-d
      const batch = merge([completeBatch('pi-a', 'w1'), completeBatch('pi-d', 'w1'), completeBatch('pi-c', 'w1'), completeBatch('pi-b', 'w1')]);
      await assert.rejects(db.store.commit(batch), (e: ProcosError) => {
        assert.equal(e.code, StoreErrors.EXTERNAL_TASK_LOCK_CONFLICT.code);
        assert.deepEqual(e.details, { externalTaskId: 'pi-d-et', workerId: 'w1', lockedBy: 'w2' });
        return true;
      });
      assert.equal(await db.store.countInstances({ status: 'completed' }), 0);
      assert.equal(await db.store.countExternalTasks(), 4);
      assert.equal(await db.store.countVariables({ name: 'result' }), 0);
      // unguarded deletes of missing tasks are ignored; a guarded one of a missing task is NOT_FOUND
      await db.store.commit({ externalTaskDeletes: [{ id: 'pi-a-et', expectedWorkerId: 'w1' }, { id: 'nope' }, { id: 'pi-c-et' }] });
      assert.equal(await db.store.countExternalTasks(), 2);
      await assert.rejects(
        db.store.commit({ externalTaskDeletes: [{ id: 'pi-b-et', expectedWorkerId: 'w1' }, { id: 'pi-a-et', expectedWorkerId: 'w1' }] }),
        (e: ProcosError) => e.code === StoreErrors.EXTERNAL_TASK_NOT_FOUND.code && e.details['externalTaskId'] === 'pi-a-et',
      );
      assert.equal(await db.store.countExternalTasks(), 2);
    });

    it('instance updates in one batch: revision guards per instance, first stale one reported, runs kept in order', async () => {
      await db.store.commit({ instances: ['a', 'b', 'c'].map((id) => instanceInsert(def, id)) });
      await db.store.commit({ instances: [{ kind: 'update', id: 'b', expectedRevision: 1, status: 'active', state: { n: 1 } }] });
      await assert.rejects(
        db.store.commit({
          instances: ['c', 'b', 'a'].map((id) => ({ kind: 'update' as const, id, expectedRevision: 1, status: 'active' as const, state: { lost: true } })),
        }),
        (e: ProcosError) => {
          assert.deepEqual(e.details, { processInstanceId: 'b', expectedRevision: 1, actualRevision: 2 });
          return true;
        },
      );
      assert.deepEqual((await db.store.getInstance('a'))?.state, instanceInsert(def, 'a').state);
      // the same instance twice in one batch, and an insert followed by its update: as one by one
      await db.store.commit({
        instances: [
          { kind: 'update', id: 'a', expectedRevision: 1, status: 'active', state: { n: 2 } },
          { kind: 'update', id: 'a', expectedRevision: 2, status: 'active', state: { n: 3 } },
          instanceInsert(def, 'd'),
          { kind: 'update', id: 'd', expectedRevision: 1, status: 'completed', state: { n: 4 }, endTime: T0 + 1 },
          { kind: 'update', id: 'c', expectedRevision: 1, status: 'active', state: { n: 5 } },
        ],
      });
      assert.deepEqual(
        await Promise.all(['a', 'c', 'd'].map(async (id) => [(await db.store.getInstance(id))?.revision, (await db.store.getInstance(id))?.state])),
        [
          [3, { n: 3 }],
          [2, { n: 5 }],
          [2, { n: 4 }],
        ],
      );
      // an update before the insert of its instance finds nothing
      await assert.rejects(
        db.store.commit({ instances: [{ kind: 'update', id: 'e', expectedRevision: 1, status: 'active', state: {} }, instanceInsert(def, 'e')] }),
        hasCode(StoreErrors.INSTANCE_NOT_FOUND),
      );
      assert.equal(await db.store.getInstance('e'), null);
    });

    it('history ends: folded when started in the batch, first end wins, ends of older rows update, missing ones are ignored', async () => {
      const act = (id: string, startTime = T0): { activityInstanceId: string; processInstanceId: string; elementId: string; elementType: string; parentActivityInstanceId: string; startTime: number } => ({
        activityInstanceId: id,
        processInstanceId: 'pi-1',
        elementId: id,
        elementType: 'task',
        parentActivityInstanceId: 'pi-1',
        startTime,
      });
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        incidentInserts: [incident(def, 'pi-1', 'inc-old')],
        history: {
          processStarts: [{ processInstanceId: 'pi-1', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: null, startTime: T0 }],
          activityStarts: [act('old-1'), act('old-2')],
          incidentsCreated: [incident(def, 'pi-1', 'inc-old')],
        },
      });
      await db.store.commit({
        incidentResolves: [{ id: 'inc-old', time: T0 + 3 }],
        history: {
          activityStarts: [act('new-1', T0 + 1), act('new-2', T0 + 1)],
          activityEnds: [
            { activityInstanceId: 'new-1', endTime: T0 + 2, canceled: true },
            { activityInstanceId: 'old-1', endTime: T0 + 3, canceled: false },
            { activityInstanceId: 'new-1', endTime: T0 + 4, canceled: false },
            { activityInstanceId: 'old-1', endTime: T0 + 5, canceled: true },
            { activityInstanceId: 'ghost', endTime: T0 + 6, canceled: false },
          ],
          incidentsCreated: [incident(def, 'pi-1', 'inc-new', { createdTime: T0 + 1 })],
          incidentsResolved: [
            { id: 'inc-new', time: T0 + 2 },
            { id: 'inc-old', time: T0 + 3 },
            { id: 'inc-new', time: T0 + 9 },
          ],
          processEnds: [
            { processInstanceId: 'pi-1', status: 'terminated', endTime: T0 + 7, reason: 'cancelled by test' },
            { processInstanceId: 'pi-1', status: 'completed', endTime: T0 + 8 },
          ],
        },
      });
      const ends = Object.fromEntries(
        (await db.store.listHistoricActivityInstances({ processInstanceId: 'pi-1' })).map((a) => [a.id, [a.endTime === null ? null : a.endTime - T0, a.canceled]]),
      );
      assert.deepEqual(ends, { 'old-1': [3, false], 'old-2': [null, false], 'new-1': [2, true], 'new-2': [null, false] });
      const incidents = Object.fromEntries((await db.store.listHistoricIncidents()).map((i) => [i.id, i.resolvedTime === null ? null : i.resolvedTime - T0]));
      assert.deepEqual(incidents, { 'inc-old': 3, 'inc-new': 2 });
      const p = await db.store.getHistoricProcessInstance('pi-1');
      assert.deepEqual([p?.status, p?.endTime, p?.endReason], ['terminated', T0 + 7, 'cancelled by test']);

      // a process started and ended in one batch
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-2', { status: 'completed', endTime: T0 })],
        history: {
          processStarts: [{ processInstanceId: 'pi-2', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: 'B', startTime: T0 }],
          processEnds: [{ processInstanceId: 'pi-2', status: 'completed', endTime: T0 + 1 }],
        },
      });
      const p2 = await db.store.getHistoricProcessInstance('pi-2');
      assert.deepEqual([p2?.status, p2?.endTime, p2?.endReason, p2?.businessKey], ['completed', T0 + 1, null, 'B']);
    });

    it('variables: repeated upserts of one name keep the last value; deletes run after upserts', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        variableUpserts: [
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'x', value: 1 },
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'y', value: 'y' },
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'x', value: 2 },
          { processInstanceId: 'pi-1', scopeId: 'sub', name: 'x', value: 'local' },
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'x', value: [3] },
        ],
      });
      assert.deepEqual((await db.store.getVariable('pi-1', 'x'))?.value, [3]);
      assert.equal(await db.store.countVariables(), 3);
      await db.store.commit({
        variableUpserts: [
          { processInstanceId: 'pi-1', scopeId: 'sub', name: 'z', value: true },
          { processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'y', value: 'new' },
        ],
        variableDeletes: [{ scopeId: 'sub' }, { scopeId: 'pi-1', name: 'x' }],
      });
      assert.deepEqual(
        (await db.store.listVariables()).map((v) => [v.scopeId, v.name, v.value]),
        [['pi-1', 'y', 'new']],
      );
    });

    it('inserts and deletes of one table in one batch keep their order (user tasks, external tasks, jobs)', async () => {
      await db.store.commit({
        instances: [instanceInsert(def, 'pi-1')],
        userTaskInserts: [userTask(def, 'pi-1', 'ut-1'), userTask(def, 'pi-1', 'ut-2')],
        userTaskDeletes: ['ut-1'],
        externalTaskInserts: [externalTask(def, 'pi-1', 'et-1'), externalTask(def, 'pi-1', 'et-2')],
        externalTaskDeletes: [{ id: 'et-2' }],
        externalTaskUpdates: [{ id: 'et-1', retries: 4 }],
        jobInserts: [{ id: 'j-1', processInstanceId: 'pi-1', type: 'timer', dueTime: T0, createdTime: T0 }],
        jobDeletes: [{ id: 'j-1' }],
        subscriptionInserts: [subscription('pi-1', 's-1')],
      });
      assert.deepEqual((await db.store.listUserTasks()).map((t) => t.id), ['ut-2']);
      assert.deepEqual((await db.store.listExternalTasks()).map((t) => [t.id, t.retries]), [['et-1', 4]]);
      assert.equal(await db.store.countJobs(), 0);
      assert.equal(await db.store.countSubscriptions(), 1);
    });

    it('concurrent group commits updating the same instances in opposite orders: each instance updated once, no deadlock', async () => {
      const ids = Array.from({ length: 8 }, (_, i) => `pi-${i}`);
      for (let round = 0; round < 5; round++) {
        const before = await Promise.all(ids.map(async (id) => (await db.store.getInstance(id))?.revision ?? 0));
        if (round === 0) await db.store.commit({ instances: ids.map((id) => instanceInsert(def, id)) });
        const rev = round === 0 ? 1 : (before[0] as number);
        const update = (order: string[]): Promise<void> =>
          db.store.commit({ instances: order.map((id) => ({ kind: 'update' as const, id, expectedRevision: rev, status: 'active' as const, state: { round } })) });
        const results = await Promise.allSettled([update(ids), update([...ids].reverse()), update(ids)]);
        const ok = results.filter((r) => r.status === 'fulfilled').length;
        assert.equal(ok, 1, `round ${round}: exactly one batch wins`);
        for (const r of results) if (r.status === 'rejected') assert.ok(isProcosError(r.reason, StoreErrors.REVISION_CONFLICT), String(r.reason));
      }
      assert.equal((await db.store.getInstance('pi-3'))?.revision, 6);
    });
  });
}

describe('SQLite with multi-row VALUES inserts (a dialect setting)', () => {
  it('writes the same rows in power-of-two chunks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'procos-values-'));
    const driver = new SqliteDriver({ kind: 'sqlite', path: join(dir, 'x.db'), synchronous: 'OFF', busyTimeoutMs: 1000 });
    try {
      await migrate(driver, T0);
      const store = new SqlStore(driver, 2);
      const def = await deployProcess(store);
      const values: Dialect = { ...SQLITE, batchRows: { insert: 4, update: 1, delete: 1 } };
      const ids = Array.from({ length: 7 }, (_, i) => `pi-${i}`);
      const batch = merge(ids.map((id) => ({ ...startBatch(def, id), subscriptionInserts: [subscription(id, `${id}-s`)] })));
      const stmts: Stmt[] = [];
      await driver.run(
        (function* () {
          const program = commitProgram(values, batch);
          let step = program.next();
          while (!step.done) {
            stmts.push(step.value);
            step = program.next(yield step.value);
          }
        })(),
        'write',
      );
      assert.deepEqual(
        stmts.filter((s) => s.sql.startsWith('INSERT INTO process_instance')).map((s) => s.params.length / 9),
        [4, 2, 1],
      );
      assert.equal(await store.countInstances(), 7);
      assert.equal(await store.countVariables(), 14);
      assert.equal((await store.getSubscription('pi-5-s'))?.processDefinitionKey, 'order');
      await assert.rejects(
        driver.run(commitProgram(values, { subscriptionInserts: [subscription('pi-1', 'x1'), subscription('ghost', 'x2'), subscription('pi-2', 'x3')] }), 'write'),
        hasCode(StoreErrors.REFERENCE_MISSING),
      );
    } finally {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
