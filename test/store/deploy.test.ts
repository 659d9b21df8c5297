/**
 * Contract: deployments and process definition versions (run on SQLite and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isProcosError } from '../../src/common/errors.js';
import { openStore, StoreErrors } from '../../src/store/index.js';
import { storeKinds, type OpenedStore } from '../helpers/stores.js';
import { deployInput, T0 } from './fixtures.js';

for (const kind of storeKinds()) {
  describe(`deploy [${kind.name}]`, () => {
    let db: OpenedStore;
    beforeEach(async () => {
      db = await kind.open();
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('creates version 1 with its deployment and resources', async () => {
      const r = await db.store.deploy(deployInput('order', 'h1', { tenantId: 'acme' }));
      assert.equal(r.duplicate, false);
      assert.equal(r.definitions.length, 1);
      const def = r.definitions[0]!;
      assert.equal(def.key, 'order');
      assert.equal(def.version, 1);
      assert.match(def.id, /^order:1:[0-9a-f-]{36}$/);
      assert.equal(def.deploymentId, r.deployment.id);
      assert.equal(def.resourceName, 'order.bpmn');
      assert.equal(def.contentHash, 'h1');
      assert.equal(def.name, 'Process order');
      assert.equal(def.tenantId, 'acme');
      assert.deepEqual(r.deployment, { id: r.deployment.id, name: 'order-deployment', source: 'test', tenantId: 'acme', deployTime: T0 });

      assert.deepEqual(await db.store.getDeployment(r.deployment.id), r.deployment);
      assert.deepEqual(await db.store.getProcessDefinition(def.id), def);
      assert.deepEqual(await db.store.getLatestProcessDefinition('order'), def);
      const res = await db.store.getResource(r.deployment.id, 'order.bpmn');
      assert.equal(res?.content.toString('utf8'), '<definitions id="order" hash="h1"/>');
      assert.equal(await db.store.getResource(r.deployment.id, 'nope.bpmn'), null);
      assert.equal(await db.store.getProcessDefinition('nope'), null);
      assert.equal(await db.store.getLatestProcessDefinition('nope'), null);
    });

    it('returns the existing definitions and writes nothing when nothing changed', async () => {
      const first = await db.store.deploy(deployInput('order', 'h1'));
      const again = await db.store.deploy(deployInput('order', 'h1', { time: T0 + 1000 }));
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.definitions, first.definitions);
      assert.deepEqual(again.deployment, first.deployment);
      assert.equal(await db.store.countDeployments(), 1);
      assert.equal(await db.store.countProcessDefinitions(), 1);
    });

    it('creates version + 1 when the hash changed, keeping the versionTag', async () => {
      await db.store.deploy(deployInput('order', 'h1'));
      const input = deployInput('order', 'h2');
      const r = await db.store.deploy({ ...input, processes: [{ ...input.processes[0]!, versionTag: 'v2.0' }] });
      assert.equal(r.duplicate, false);
      assert.equal(r.definitions[0]!.version, 2);
      assert.equal(r.definitions[0]!.versionTag, 'v2.0');
      assert.equal((await db.store.getLatestProcessDefinition('order'))?.version, 2);
      // back to the first content: still a change against the latest, so version 3
      const r3 = await db.store.deploy(deployInput('order', 'h1'));
      assert.equal(r3.definitions[0]!.version, 3);
      assert.deepEqual(
        (await db.store.listProcessDefinitions({ key: 'order' })).map((d) => [d.version, d.contentHash]),
        [
          [1, 'h1'],
          [2, 'h2'],
          [3, 'h1'],
        ],
      );
      assert.deepEqual(
        (await db.store.listProcessDefinitions({ latestOnly: true })).map((d) => d.version),
        [3],
      );
      assert.equal((await db.store.listProcessDefinitions({ versionTag: 'v2.0' }))[0]?.version, 2);
    });

    it('versions per key: only changed processes of a deployment get a new version', async () => {
      const two = (hashA: string, hashB: string, time: number) => ({
        name: 'two',
        resources: [
          { name: 'a.bpmn', content: 'a' + hashA },
          { name: 'b.bpmn', content: new Uint8Array([1, 2, 3]) },
        ],
        processes: [
          { key: 'a', resourceName: 'a.bpmn', hash: hashA },
          { key: 'b', resourceName: 'b.bpmn', hash: hashB },
        ],
        time,
      });
      const first = await db.store.deploy(two('1', '1', T0));
      const second = await db.store.deploy(two('1', '2', T0 + 1));
      assert.equal(second.duplicate, false);
      assert.notEqual(second.deployment.id, first.deployment.id);
      const [a, b] = second.definitions;
      assert.deepEqual(a, first.definitions[0], 'unchanged a is the existing definition');
      assert.equal(a!.deploymentId, first.deployment.id);
      assert.equal(b!.version, 2);
      assert.equal(b!.deploymentId, second.deployment.id);
      const bytes = await db.store.getResource(second.deployment.id, 'b.bpmn');
      assert.deepEqual([...bytes!.content], [1, 2, 3]);
      assert.deepEqual(
        (await db.store.listResources(second.deployment.id)).map((r) => r.name),
        ['a.bpmn', 'b.bpmn'],
      );
      // a duplicate of processes from two deployments returns the newest deployment
      const third = await db.store.deploy(two('1', '2', T0 + 2));
      assert.equal(third.duplicate, true);
      assert.equal(third.deployment.id, second.deployment.id);
    });

    it('serializes concurrent deploys of one key: unique versions, identical content deployed once', async () => {
      const changed = await Promise.all(Array.from({ length: 8 }, (_, i) => db.store.deploy(deployInput('order', `h${i}`))));
      const versions = changed.map((r) => r.definitions[0]!.version).sort((x, y) => x - y);
      assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7, 8]);

      const same = await Promise.all(Array.from({ length: 8 }, () => db.store.deploy(deployInput('other', 'same'))));
      assert.equal(same.filter((r) => !r.duplicate).length, 1);
      assert.equal(new Set(same.map((r) => r.definitions[0]!.id)).size, 1);
      assert.equal(await db.store.countProcessDefinitions({ key: 'other' }), 1);
    });

    it('serializes deploys from two stores on one database', async () => {
      const other = await openStore(db.url);
      try {
        const rs = await Promise.all(
          Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? db.store : other).deploy(deployInput('order', `h${i}`))),
        );
        assert.deepEqual(
          rs.map((r) => r.definitions[0]!.version).sort((x, y) => x - y),
          [1, 2, 3, 4, 5, 6],
        );
      } finally {
        await other.close();
      }
    });

    it('refuses inconsistent deployments', async () => {
      const cases = [
        { ...deployInput('order', 'h1'), resources: [] },
        { ...deployInput('order', 'h1'), processes: [{ key: 'order', resourceName: 'missing.bpmn', hash: 'h' }] },
        {
          ...deployInput('order', 'h1'),
          processes: [
            { key: 'order', resourceName: 'order.bpmn', hash: 'h' },
            { key: 'order', resourceName: 'order.bpmn', hash: 'h' },
          ],
        },
        {
          ...deployInput('order', 'h1'),
          resources: [
            { name: 'order.bpmn', content: 'x' },
            { name: 'order.bpmn', content: 'y' },
          ],
        },
      ];
      for (const input of cases) {
        await assert.rejects(db.store.deploy(input), (e) => isProcosError(e, StoreErrors.DEPLOYMENT_INVALID));
      }
      assert.equal(await db.store.countDeployments(), 0);
    });

    it('lists deployments with filters and paging', async () => {
      for (let i = 0; i < 5; i++) await db.store.deploy(deployInput(`p${i}`, 'h', { time: T0 + i, source: i % 2 === 0 ? 'even' : 'odd' }));
      assert.equal(await db.store.countDeployments(), 5);
      assert.equal(await db.store.countDeployments({ source: 'even' }), 3);
      const page = await db.store.listDeployments({}, { firstResult: 1, maxResults: 2 });
      assert.deepEqual(
        page.map((d) => d.deployTime),
        [T0 + 1, T0 + 2],
      );
      assert.deepEqual(
        (await db.store.listProcessDefinitions({ keyIn: ['p1', 'p3'] })).map((d) => d.key),
        ['p1', 'p3'],
      );
      assert.deepEqual(await db.store.listProcessDefinitions({ keyIn: [] }), []);
    });
  });
}
