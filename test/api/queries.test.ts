/**
 * Camunda-style queries over the store: filters, `firstResult`/`maxResults`,
 * `sortBy`/`sortOrder`, `…/count`, refusal of Camunda filters ProcOS does not implement
 * (never a silently wider result), history, incidents, user tasks and deployment
 * deletion. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { call, deployFixtures, fetchTasks, fixture, list, obj, startProcess, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

for (const kind of storeKinds()) {
  describe(`queries [${kind.name}]`, () => {
    let server: TestServer;
    const pis: Record<string, string> = {};

    before(async () => {
      server = await startServer({ kind });
      await deployFixtures(server, 'order.bpmn', 'nested.bpmn', 'flaky.bpmn');
      const v2 = (await fixture('order.bpmn')).replace('camunda:versionTag="1.0"', 'camunda:versionTag="2.0"').replace('name="Order"', 'name="Order two"');
      await server.runtime.deploy({ name: 'second', source: 'cli', resources: [{ name: 'order.bpmn', content: v2 }] });
      for (const bk of ['alpha-1', 'alpha-2', 'beta-1']) pis[bk] = await startProcess(server, 'order', { businessKey: bk, variables: { bk: { value: bk } } });
      pis.nested = await startProcess(server, 'nested', { businessKey: 'n', variables: { owner: { value: 'ann' } } });
      pis.flaky = await startProcess(server, 'flaky', { businessKey: 'f' });
    });
    after(() => server.close());

    it('process definitions: key, latestVersion, versionTag, nameLike, paging, sorting, count', async () => {
      const q = async (qs: string): Promise<unknown[]> => list(await call(server, 'GET', `/process-definition?${qs}`)).map((d) => `${String(d.key)}:${String(d.version)}`);
      assert.deepEqual(await q('key=order&sortBy=version&sortOrder=asc'), ['order:1', 'order:2']);
      assert.deepEqual(await q('latestVersion=true&sortBy=key&sortOrder=desc'), ['order:2', 'nested:1', 'flaky:1']);
      assert.deepEqual(await q('versionTag=1.0'), ['order:1']);
      assert.deepEqual(await q('nameLike=Order%25&sortBy=version&sortOrder=desc'), ['order:2', 'order:1']);
      assert.deepEqual(await q('keysIn=flaky,nested'), ['flaky:1', 'nested:1']);
      assert.deepEqual(await q('sortBy=key&sortOrder=asc&firstResult=1&maxResults=2'), ['nested:1', 'order:1']);
      assert.deepEqual(await q('maxResults=0'), []);
      assert.deepEqual(await q('suspended=false&active=true&key=flaky'), ['flaky:1'], 'false flags are ignored, as Camunda does');
      assert.deepEqual(await q('suspended=true'), [], 'nothing is suspended in ProcOS');
      assert.deepEqual((await call(server, 'GET', '/process-definition/count?key=order&latestVersion=true')).body, { count: 1 });
      assert.deepEqual((await call(server, 'GET', '/process-definition/count?nameLike=%25two')).body, { count: 1 });
    });

    it('refuses bad and unsupported query parameters with 400 instead of a wider answer', async () => {
      const bad = await call(server, 'GET', '/process-definition?maxResults=many');
      assert.equal(bad.status, 400);
      assert.equal(obj(bad).message, "Cannot set query parameter 'maxResults' to value 'many'");
      const neg = await call(server, 'GET', '/process-instance?firstResult=-1');
      assert.equal(neg.status, 400);
      const half = await call(server, 'GET', '/process-definition?sortBy=key');
      assert.equal(obj(half).message, 'Only a single sorting parameter specified. sortBy and sortOrder required');
      const unknownSort = await call(server, 'GET', '/process-definition?sortBy=category&sortOrder=asc');
      assert.match(String(obj(unknownSort).message), /Cannot set query parameter 'sortBy' to value 'category'/);
      const unsupported = await call(server, 'GET', '/process-definition?startableBy=ann');
      assert.equal(unsupported.status, 400);
      assert.equal(obj(unsupported).procosCode, 'PROCOS_API_NOT_SUPPORTED');
      assert.match(String(obj(unsupported).message), /Query parameter 'startableBy' is not supported by ProcOS yet/);
      assert.equal((await call(server, 'GET', '/process-instance?variables=a_eq_1')).status, 400);
      assert.equal((await call(server, 'GET', '/process-instance?someCacheBuster=1')).status, 200, 'parameters Camunda does not know are ignored');
      assert.equal((await call(server, 'GET', '/deployment?after=yesterday')).status, 400);
    });

    it('process instances: businessKey(Like), processDefinitionKey, active, ids, paging; get; ended ones are 404', async () => {
      const keys = async (qs: string): Promise<unknown[]> => list(await call(server, 'GET', `/process-instance?${qs}`)).map((p) => p.businessKey);
      assert.deepEqual(await keys('businessKey=alpha-2'), ['alpha-2']);
      assert.deepEqual(await keys('businessKeyLike=alpha%25&sortBy=businessKey&sortOrder=desc'), ['alpha-2', 'alpha-1']);
      assert.deepEqual(await keys('processDefinitionKey=order&active=true&sortBy=businessKey&sortOrder=asc&firstResult=1&maxResults=5'), ['alpha-2', 'beta-1']);
      assert.deepEqual(await keys(`processInstanceIds=${pis['beta-1']!},${pis.nested!}&sortBy=businessKey&sortOrder=asc`), ['beta-1', 'n']);
      assert.deepEqual(await keys('processDefinitionKeyIn=nested,flaky&sortBy=businessKey&sortOrder=asc'), ['f', 'n']);
      assert.deepEqual(await keys('processDefinitionKeyNotIn=order&sortBy=businessKey&sortOrder=asc'), ['f', 'n']);
      assert.deepEqual((await call(server, 'GET', '/process-instance/count?processDefinitionKey=order')).body, { count: 3 });
      const versions = list(await call(server, 'GET', `/process-instance?processInstanceIds=${pis['alpha-1']!}`));
      assert.match(String(versions[0]!.definitionId), /^order:2:/, 'starting by key takes the latest version');
      const one = obj(await call(server, 'GET', `/process-instance/${pis['alpha-1']!}`));
      assert.equal(one.businessKey, 'alpha-1');
      assert.equal(one.ended, false);
      assert.equal(one.suspended, false);
    });

    it('external tasks and incidents: filters, withIncident, counts', async () => {
      const [f] = await fetchTasks(server, 'flaky', 'qw');
      await call(server, 'POST', `/external-task/${String(f!.id)}/failure`, { json: { workerId: 'qw', errorMessage: 'disk full', retries: 0 } });
      assert.deepEqual(list(await call(server, 'GET', '/process-instance?withIncident=true')).map((p) => p.id), [pis.flaky]);
      assert.deepEqual(list(await call(server, 'GET', '/process-instance?incidentType=failedExternalTask')).map((p) => p.id), [pis.flaky]);
      assert.deepEqual(list(await call(server, 'GET', '/external-task?noRetriesLeft=true')).map((t) => t.id), [f!.id]);
      assert.equal(list(await call(server, 'GET', '/external-task?withRetriesLeft=true&topicName=reserve')).length, 3);
      assert.deepEqual((await call(server, 'GET', '/external-task/count?notLocked=true&topicName=reserve')).body, { count: 3 });
      assert.deepEqual(list(await call(server, 'GET', '/incident?incidentMessageLike=disk%25')).map((i) => i.configuration), [f!.id]);
      assert.deepEqual((await call(server, 'GET', '/incident/count?processDefinitionKeyIn=flaky')).body, { count: 1 });
      assert.deepEqual((await call(server, 'GET', '/incident/count?activityId=reserve')).body, { count: 0 });
      const tree = obj(await call(server, 'GET', `/process-instance/${pis.flaky!}/activity-instances`));
      const child = (tree.childActivityInstances as Record<string, unknown>[])[0]!;
      assert.equal(child.activityId, 'flakyTask');
      assert.equal((child.incidentIds as string[]).length, 1);
    });

    it('user tasks: candidate queries leave assigned tasks out; claim and unclaim as Camunda', async () => {
      const [inner] = await fetchTasks(server, 'inner', 'qw');
      await call(server, 'POST', `/external-task/${String(inner!.id)}/complete`, { json: { workerId: 'qw' } });
      const all = list(await call(server, 'GET', '/task'));
      assert.equal(all.length, 1);
      const approve = all[0]!;
      assert.equal(approve.assignee, 'ann');
      assert.deepEqual(list(await call(server, 'GET', '/task?candidateGroup=sales')), [], 'assigned tasks are not candidate tasks');
      assert.equal(list(await call(server, 'GET', '/task?candidateGroup=sales&includeAssignedTasks=true')).length, 1);
      assert.equal(list(await call(server, 'GET', '/task?assignee=ann&taskDefinitionKey=approve&processInstanceBusinessKey=n')).length, 1);
      assert.equal(list(await call(server, 'GET', '/task?unassigned=true')).length, 0);
      assert.deepEqual((await call(server, 'GET', '/task/count?processDefinitionKey=nested&withCandidateGroups=true')).body, { count: 1 });
      const taken = await call(server, 'POST', `/task/${String(approve.id)}/claim`, { json: { userId: 'bob' } });
      assert.equal(taken.status, 500);
      assert.equal(obj(taken).type, 'TaskAlreadyClaimedException');
      assert.equal(obj(taken).message, `Cannot claim task '${String(approve.id)}': task is already claimed by someone else.`);
      assert.equal((await call(server, 'POST', `/task/${String(approve.id)}/claim`, { json: { userId: 'ann' } })).status, 204, 'claiming a task one holds is fine');
      assert.equal((await call(server, 'POST', `/task/${String(approve.id)}/unclaim`)).status, 204);
      assert.equal(list(await call(server, 'GET', '/task?candidateGroup=sales')).length, 1, 'unassigned: a candidate task now');
      assert.equal(list(await call(server, 'GET', '/task?unassigned=true')).length, 1);
      assert.equal((await call(server, 'POST', `/task/${String(approve.id)}/claim`, { json: { userId: 'bob' } })).status, 204);
      assert.equal(obj(await call(server, 'GET', `/task/${String(approve.id)}`)).assignee, 'bob');
      assert.equal((await call(server, 'POST', `/task/${String(approve.id)}/claim`, { json: {} })).status, 400, 'userId is required');
      assert.equal((await call(server, 'POST', '/task/nope/claim', { json: { userId: 'x' } })).status, 404);
    });

    it('history: process instances by state, activity instances by type and time order, variable instances with their latest value', async () => {
      await call(server, 'DELETE', `/process-instance/${pis['beta-1']!}`);
      assert.equal((await call(server, 'GET', `/process-instance/${pis['beta-1']!}`)).status, 404, 'an ended instance is not a runtime instance');
      assert.equal((await call(server, 'GET', `/process-instance/${pis['beta-1']!}/variables`)).status, 404);
      const terminated = list(await call(server, 'GET', '/history/process-instance?externallyTerminated=true'));
      assert.deepEqual(terminated.map((h) => [h.businessKey, h.state]), [['beta-1', 'EXTERNALLY_TERMINATED']]);
      assert.equal(terminated[0]!.processDefinitionVersion, 2);
      assert.equal(terminated[0]!.processDefinitionName, 'Order two');
      assert.deepEqual((await call(server, 'GET', '/history/process-instance/count?unfinished=true')).body, { count: 4 });
      assert.deepEqual((await call(server, 'GET', '/history/process-instance/count?finished=true&unfinished=true')).body, { count: 0 });
      assert.deepEqual(list(await call(server, 'GET', '/history/process-instance?processInstanceBusinessKeyLike=alpha%25&sortBy=businessKey&sortOrder=asc')).map((h) => h.businessKey), ['alpha-1', 'alpha-2']);
      const acts = list(await call(server, 'GET', `/history/activity-instance?processInstanceId=${pis.nested!}&sortBy=startTime&sortOrder=asc`));
      assert.deepEqual(acts.map((a) => a.activityId).slice(0, 3), ['start', 'sub', 'subStart']);
      assert.deepEqual(list(await call(server, 'GET', `/history/activity-instance?processInstanceId=${pis.nested!}&activityType=subProcess&finished=true`)).map((a) => a.activityId), ['sub']);
      assert.deepEqual((await call(server, 'GET', `/history/activity-instance/count?processInstanceId=${pis['beta-1']!}&canceled=true`)).body, { count: 1 });
      await server.runtime.setVariables(pis['alpha-1']!, { bk: 'changed' });
      const v = list(await call(server, 'GET', `/history/variable-instance?processInstanceId=${pis['alpha-1']!}&variableName=bk`));
      assert.deepEqual(v.map((x) => [x.name, x.value, x.type]), [['bk', 'changed', 'String']]);
      assert.deepEqual((await call(server, 'GET', '/history/variable-instance/count?variableNameLike=bk')).body, { count: 3 });
      assert.deepEqual(list(await call(server, 'GET', '/history/variable-instance?variableName=bk&sortBy=instanceId&sortOrder=asc&maxResults=2')).length, 2);
      assert.deepEqual((await call(server, 'GET', '/history/incident/count?open=true')).body, { count: 1 });
    });

    it('deployments: deletion refused while instances run; without running instances deleted with history kept; cascade deletes instances, tasks and history', async () => {
      const deployments = list(await call(server, 'GET', '/deployment?sortBy=deploymentTime&sortOrder=asc'));
      assert.deepEqual(deployments.map((d) => [d.name, d.source]), [['fixtures', null], ['second', 'cli']]);
      assert.deepEqual(list(await call(server, 'GET', '/deployment?source=cli')).map((d) => d.name), ['second']);
      assert.deepEqual(list(await call(server, 'GET', '/deployment?withoutSource=true')).map((d) => d.name), ['fixtures']);
      const second = String(deployments[1]!.id);
      const refused = await call(server, 'DELETE', `/deployment/${second}`);
      assert.equal(refused.status, 500);
      assert.equal(obj(refused).type, 'ProcessEngineException');
      assert.equal(obj(refused).procosCode, 'PROCOS_API_DEPLOYMENT_IN_USE');
      assert.match(String(obj(refused).message), /^Deletion of process definition without cascading failed\. Process definition with id: order:2:\S+ can't be deleted, since there exists 2 dependening process instances\.$/);
      assert.equal((await call(server, 'GET', `/process-instance/${pis['alpha-1']!}`)).status, 200, 'nothing was deleted');
      assert.equal((await call(server, 'GET', `/deployment/${second}`)).status, 200);

      // a deployment whose instances have all ended is deleted without cascade; their history stays
      const flaky2 = (await fixture('flaky.bpmn')).replace('name="Flaky"', 'name="Flaky two"');
      const third = await server.runtime.deploy({ name: 'third', resources: [{ name: 'flaky.bpmn', content: flaky2 }] });
      const ended = await startProcess(server, 'flaky', { businessKey: 'flaky-2' });
      await call(server, 'DELETE', `/process-instance/${ended}`);
      assert.equal((await call(server, 'DELETE', `/deployment/${third.deployment.id}`)).status, 204);
      assert.equal((await call(server, 'GET', `/deployment/${third.deployment.id}`)).status, 404);
      assert.equal(obj(await call(server, 'GET', '/process-definition/key/flaky')).version, 1, 'version 1 is the latest again');
      assert.equal(obj(await call(server, 'GET', `/history/process-instance/${ended}`)).state, 'EXTERNALLY_TERMINATED', 'history is kept without cascade');

      // cascade: the running instances, their tasks and variables, and the history of every instance of the definitions go
      const cascade = await call(server, 'DELETE', `/deployment/${second}?cascade=true&skipCustomListeners=true&skipIoMappings=true`);
      assert.equal(cascade.status, 204, cascade.text);
      assert.equal((await call(server, 'GET', `/deployment/${second}`)).status, 404);
      assert.equal((await call(server, 'DELETE', `/deployment/${second}`)).status, 404);
      for (const bk of ['alpha-1', 'alpha-2', 'beta-1']) {
        assert.equal((await call(server, 'GET', `/process-instance/${pis[bk]!}`)).status, 404, `${bk} is gone`);
        assert.equal((await call(server, 'GET', `/history/process-instance/${pis[bk]!}`)).status, 404, `the history of ${bk} is gone`);
      }
      assert.deepEqual(list(await call(server, 'GET', '/external-task?topicName=reserve')), []);
      assert.equal((await server.store.listVariables({ processInstanceId: pis['alpha-1']! })).length, 0);
      assert.equal((await server.store.listHistoricVariableUpdates({ processInstanceId: pis['alpha-1']! })).length, 0);
      assert.equal((await server.store.listHistoricActivityInstances({ processInstanceId: pis['alpha-1']! })).length, 0);
      assert.deepEqual(list(await call(server, 'GET', '/process-definition?key=order')).map((d) => d.version), [1]);
      assert.equal((await call(server, 'GET', `/process-instance/${pis.nested!}`)).status, 200, 'instances of other deployments stay');
      const again = await startProcess(server, 'order', { businessKey: 'after' });
      assert.match(String(obj(await call(server, 'GET', `/process-instance/${again}`)).definitionId), /^order:1:/);
    });
  });
}
