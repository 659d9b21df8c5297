/**
 * Contract: schema migrations at open, and store URLs. Run on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcosError } from '../../src/common/errors.js';
import { compileStoreUrl, openStore, SCHEMA_VERSION, StoreErrors } from '../../src/store/index.js';
import { PostgresDriver } from '../../src/store/postgres/postgres-driver.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import { migrate } from '../../src/store/sql/migrate.js';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { rowsOf, stmt } from '../../src/store/sql/program.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import { SqliteDriver } from '../../src/store/sqlite/sqlite-driver.js';
import { storeKinds, type StoreKind } from '../helpers/stores.js';
import { deployProcess, externalTask, hasCode, instanceInsert, subscription, T0, userTask } from './fixtures.js';

/** A driver on a store URL, without migrating (the internals openStore uses). */
function driverFor(url: string): SqlDriver {
  const config = compileStoreUrl(url);
  return config.kind === 'sqlite' ? new SqliteDriver(config) : new PostgresDriver(config);
}

/** Names of the tables and indexes of the open database (current schema). */
async function schemaObjects(kind: StoreKind, url: string): Promise<string[]> {
  const sql =
    kind.name === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'"
      : 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()';
  return (await kind.exec(url, sql)).map((r) => String(r['name'])).sort();
}

for (const kind of storeKinds()) {
  describe(`migrations [${kind.name}]`, () => {
    it('creates the schema on first open and records its version', async () => {
      const db = await kind.newDatabase();
      try {
        const store = await openStore(db.url);
        assert.equal(store.schemaVersion, SCHEMA_VERSION);
        assert.equal(store.kind, kind.name);
        await store.close();
        await store.close(); // idempotent
        await assert.rejects(store.countInstances(), hasCode(StoreErrors.CLOSED));
        const rows = await kind.exec(db.url, 'SELECT version, description, applied_time FROM procos_schema ORDER BY version');
        assert.deepEqual(
          rows.map((r) => Number(r['version'])),
          Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
        );
      } finally {
        await db.drop();
      }
    });

    it('reopening is a no-op: nothing is rewritten, data stays', async () => {
      const db = await kind.newDatabase();
      try {
        const first = await openStore(db.url);
        await first.deploy({ name: 'd', resources: [{ name: 'a.bpmn', content: 'a' }], processes: [{ key: 'a', resourceName: 'a.bpmn', hash: 'h' }] });
        await first.close();
        const before = await kind.exec(db.url, 'SELECT version, applied_time FROM procos_schema');
        const again = await openStore(db.url);
        assert.equal(await again.countProcessDefinitions(), 1);
        await again.close();
        assert.deepEqual(await kind.exec(db.url, 'SELECT version, applied_time FROM procos_schema'), before);
      } finally {
        await db.drop();
      }
    });

    it('concurrent first opens migrate once', async () => {
      const db = await kind.newDatabase();
      try {
        const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(db.url)));
        await Promise.all(stores.map((s) => s.close()));
        assert.equal((await kind.exec(db.url, 'SELECT version FROM procos_schema')).length, SCHEMA_VERSION);
      } finally {
        await db.drop();
      }
    });

    it('refuses a database with a newer schema version, naming both versions, without touching it', async () => {
      const db = await kind.newDatabase();
      try {
        await (await openStore(db.url)).close();
        const newer = SCHEMA_VERSION + 41;
        const insert =
          kind.name === 'sqlite'
            ? 'INSERT INTO procos_schema (version, description, applied_time) VALUES (?, ?, ?)'
            : 'INSERT INTO procos_schema (version, description, applied_time) VALUES ($1, $2, $3)';
        await kind.exec(db.url, insert, [newer, 'from the future', 1]);
        const before = await kind.exec(db.url, 'SELECT version FROM procos_schema ORDER BY version');
        await assert.rejects(openStore(db.url), (e: ProcosError) => {
          assert.equal(e.code, 'PROCOS_STORE_SCHEMA_TOO_NEW');
          assert.deepEqual(e.details, { databaseVersion: newer, codeVersion: SCHEMA_VERSION });
          assert.match(e.message, new RegExp(`schema version is ${newer}.*knows \\(${SCHEMA_VERSION}\\)`));
          return true;
        });
        assert.deepEqual(await kind.exec(db.url, 'SELECT version FROM procos_schema ORDER BY version'), before);
      } finally {
        await db.drop();
      }
    });
  });
}

for (const kind of storeKinds()) {
  describe(`migration 1 → 2 [${kind.name}]`, () => {
    it('adds subscriptions and the job columns to a version-1 database and keeps its rows', async () => {
      const db = await kind.newDatabase();
      try {
        // a version-1 database with data, written by the version-1 statements
        const driver = driverFor(db.url);
        try {
          assert.equal(await migrate(driver, T0, 1), 1);
          const v1 = new SqlStore(driver, 1);
          const def = await deployProcess(v1);
          await v1.commit({
            instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK' })],
            externalTaskInserts: [externalTask(def, 'pi-1', 'et-1')],
            userTaskInserts: [userTask(def, 'pi-1', 'ut-1')],
            variableUpserts: [{ processInstanceId: 'pi-1', scopeId: 'pi-1', name: 'x', value: { a: 1 } }],
            history: { processStarts: [{ processInstanceId: 'pi-1', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: 'BK', startTime: T0 }] },
          });
          await driver.run(
            rowsOf(
              stmt(
                'INSERT INTO job (id, process_instance_id, type, due_time, payload, retries, created_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
                'job-1',
                'pi-1',
                'timer',
                T0 + 5,
                '{"el":"Timer_1"}',
                null,
                T0,
              ),
            ),
            'write',
          );
          assert.ok(!(await schemaObjects(kind, db.url)).includes('event_subscription'));
          assert.equal(await migrate(driver, T0, 1), 1, 'migrating to the version it has is a no-op');
        } finally {
          await driver.close();
        }

        const store = await openStore(db.url);
        try {
          assert.equal(store.schemaVersion, SCHEMA_VERSION);
          const versions = await kind.exec(db.url, 'SELECT version, description FROM procos_schema ORDER BY version');
          assert.deepEqual(
            versions.map((r) => [Number(r['version']), r['description']]),
            MIGRATIONS.map((m) => [m.version, m.description]),
          );
          const objects = await schemaObjects(kind, db.url);
          for (const name of ['event_subscription', 'event_subscription_event', 'event_subscription_instance', 'job_definition']) {
            assert.ok(objects.includes(name), `${name} exists`);
          }

          // old rows are all there
          const inst = await store.getInstance('pi-1');
          assert.equal(inst?.businessKey, 'BK');
          assert.equal(inst?.revision, 1);
          assert.equal((await store.getExternalTask('et-1'))?.topic, 'work');
          assert.equal((await store.getUserTask('ut-1'))?.assignee, null);
          assert.deepEqual((await store.getVariable('pi-1', 'x'))?.value, { a: 1 });
          assert.equal((await store.getHistoricProcessInstance('pi-1'))?.status, 'active');
          assert.deepEqual(await store.getJob('job-1'), {
            id: 'job-1',
            processInstanceId: 'pi-1',
            processDefinitionId: null,
            activityInstanceId: null,
            elementId: null,
            type: 'timer',
            dueTime: T0 + 5,
            payload: { el: 'Timer_1' },
            retries: null,
            lockOwner: null,
            lockExpirationTime: null,
            createdTime: T0,
          });

          // and the version-2 contract works on them
          const def = await store.getLatestProcessDefinition('order');
          assert.ok(def);
          await store.commit({
            instances: [{ kind: 'update', id: 'pi-1', expectedRevision: 1, status: 'active', state: {} }],
            subscriptionInserts: [subscription('pi-1', 'sub-1')],
            jobInserts: [{ id: 'job-2', processInstanceId: null, processDefinitionId: def.id, elementId: 'TimerStart', type: 'timerStart', dueTime: T0, createdTime: T0 }],
          });
          assert.equal((await store.getSubscription('sub-1'))?.businessKey, 'BK');
          assert.equal(await store.countJobs({ processDefinitionId: def.id }), 1);
          await store.setUserTaskAssignee('ut-1', 'demo');
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('a failing migration 2 is rolled back whole and reported with its version', async () => {
      const db = await kind.newDatabase();
      try {
        const driver = driverFor(db.url);
        try {
          await migrate(driver, T0, 1);
          // a table in the way of migration 2 (made outside ProcOS)
          await driver.run(rowsOf(stmt('CREATE TABLE event_subscription (id TEXT PRIMARY KEY)')), 'write');
        } finally {
          await driver.close();
        }
        await assert.rejects(openStore(db.url), (e: ProcosError) => {
          assert.equal(e.code, StoreErrors.MIGRATION_FAILED.code);
          assert.deepEqual(e.details, { version: SCHEMA_VERSION });
          assert.match(e.message, new RegExp(`from version 1 to ${SCHEMA_VERSION}`));
          assert.ok(e.cause !== undefined);
          return true;
        });
        const versions = await kind.exec(db.url, 'SELECT version FROM procos_schema ORDER BY version');
        assert.deepEqual(
          versions.map((r) => Number(r['version'])),
          [1],
        );
        const columns =
          kind.name === 'sqlite'
            ? (await kind.exec(db.url, "SELECT name FROM pragma_table_info('job')")).map((r) => String(r['name']))
            : (await kind.exec(db.url, "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'job'")).map((r) =>
                String(r['name']),
              );
        assert.ok(!columns.includes('process_definition_id'), 'the job columns of migration 2 were rolled back');
      } finally {
        await db.drop();
      }
    });

    it('migration 2 → 3 adds the index of history by definition and keeps the rows; deleting a deployment works on a migrated database', async () => {
      const db = await kind.newDatabase();
      try {
        const driver = driverFor(db.url);
        let defId: string;
        try {
          assert.equal(await migrate(driver, T0, 2), 2);
          const v2 = new SqlStore(driver, 2);
          const def = await deployProcess(v2);
          defId = def.id;
          await v2.commit({
            instances: [instanceInsert(def, 'pi-1', { businessKey: 'BK' })],
            history: { processStarts: [{ processInstanceId: 'pi-1', processDefinitionId: def.id, processDefinitionKey: 'order', businessKey: 'BK', startTime: T0 }] },
          });
          assert.ok(!(await schemaObjects(kind, db.url)).includes('hist_process_instance_definition'));
        } finally {
          await driver.close();
        }
        const store = await openStore(db.url);
        try {
          assert.equal(store.schemaVersion, SCHEMA_VERSION, 'opened: migrated to the current version (3 and later)');
          assert.ok((await schemaObjects(kind, db.url)).includes('hist_process_instance_definition'));
          assert.equal((await store.getHistoricProcessInstance('pi-1'))?.processDefinitionId, defId);
          const def = await store.getProcessDefinition(defId);
          await assert.rejects(store.deleteDeployment(def!.deploymentId), hasCode(StoreErrors.DEPLOYMENT_IN_USE));
          const gone = await store.deleteDeployment(def!.deploymentId, { cascade: true });
          assert.deepEqual([gone.deletedInstances, gone.deletedHistoricInstances], [1, 1]);
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('migration 3 → 4 adds the list-order index of user tasks and keeps the tasks', async () => {
      const db = await kind.newDatabase();
      try {
        const driver = driverFor(db.url);
        try {
          assert.equal(await migrate(driver, T0, 3), 3);
          const v3 = new SqlStore(driver, 3);
          const def = await deployProcess(v3);
          await v3.commit({
            instances: [instanceInsert(def, 'pi-1')],
            userTaskInserts: [userTask(def, 'pi-1', 'ut-2', { createdTime: T0 + 2 }), userTask(def, 'pi-1', 'ut-1', { createdTime: T0 + 1 })],
          });
          assert.ok(!(await schemaObjects(kind, db.url)).includes('user_task_created'));
        } finally {
          await driver.close();
        }
        const store = await openStore(db.url);
        try {
          assert.equal(store.schemaVersion, SCHEMA_VERSION);
          assert.ok((await schemaObjects(kind, db.url)).includes('user_task_created'));
          assert.deepEqual((await store.listUserTasks({}, { maxResults: 10 })).map((t) => t.id), ['ut-1', 'ut-2'], 'in created-time order');
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('refuses a target version it does not know; never migrates down', async () => {
      const db = await kind.newDatabase();
      try {
        const driver = driverFor(db.url);
        try {
          await assert.rejects(migrate(driver, T0, SCHEMA_VERSION + 1), hasCode(StoreErrors.BAD_ARGUMENT));
          await assert.rejects(migrate(driver, T0, 0), hasCode(StoreErrors.BAD_ARGUMENT));
          assert.equal(await migrate(driver, T0), SCHEMA_VERSION);
          assert.equal(await migrate(driver, T0, 1), SCHEMA_VERSION);
        } finally {
          await driver.close();
        }
        assert.equal((await kind.exec(db.url, 'SELECT version FROM procos_schema')).length, SCHEMA_VERSION);
      } finally {
        await db.drop();
      }
    });
  });
}

describe('store URLs', () => {
  it('compiles sqlite URLs with durability parameters', () => {
    assert.deepEqual(compileStoreUrl('sqlite:./x.db'), { kind: 'sqlite', path: './x.db', synchronous: 'NORMAL', busyTimeoutMs: 5000 });
    assert.deepEqual(compileStoreUrl('sqlite:./x.db?synchronous=full&busyTimeout=100'), { kind: 'sqlite', path: './x.db', synchronous: 'FULL', busyTimeoutMs: 100 });
    assert.deepEqual(compileStoreUrl('sqlite:///var/lib/procos.db'), { kind: 'sqlite', path: '/var/lib/procos.db', synchronous: 'NORMAL', busyTimeoutMs: 5000 });
    assert.equal((compileStoreUrl('sqlite::memory:') as { path: string }).path, ':memory:');
    assert.deepEqual(compileStoreUrl('sqlite:x.db', { sqlite: { synchronous: 'EXTRA', busyTimeoutMs: 1 } }), { kind: 'sqlite', path: 'x.db', synchronous: 'EXTRA', busyTimeoutMs: 1 });
    assert.equal((compileStoreUrl('sqlite:x.db?synchronous=OFF', { sqlite: { synchronous: 'FULL' } }) as { synchronous: string }).synchronous, 'OFF', 'the URL wins');
  });

  it('refuses bad URLs and options with coded errors naming the problem', async () => {
    for (const [url, re] of [
      ['mysql://x', /unknown scheme/],
      ['sqlite:', /path is empty/],
      ['sqlite:x.db?synchronus=FULL', /unknown parameter synchronus/],
      ['sqlite:x.db?synchronous=SOMETIMES', /synchronous must be one of/],
      ['sqlite:x.db?busyTimeout=soon', /busyTimeout must be a number/],
    ] as const) {
      assert.throws(() => compileStoreUrl(url), (e: ProcosError) => e.code === StoreErrors.BAD_URL.code && re.test(e.message));
    }
    assert.throws(() => compileStoreUrl('postgres://u:secret@h/db', { postgres: { maxConnections: 0 } }), hasCode(StoreErrors.BAD_OPTION));
    await assert.rejects(openStore('nope:'), hasCode(StoreErrors.BAD_URL));
    assert.throws(
      () => compileStoreUrl('mysql://u:secret@h/db'),
      (e: ProcosError) => e.code === StoreErrors.BAD_URL.code && !e.message.includes('secret') && !JSON.stringify(e.details).includes('secret'),
      'passwords are not repeated in errors',
    );
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      assert.equal(await store.countInstances(), 0);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable PostgreSQL as UNAVAILABLE', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/x', { postgres: { connectionTimeoutMs: 2000 } }), hasCode(StoreErrors.UNAVAILABLE));
  });
});
