/**
 * End to end: `procos boot` as a real child process on a free port with a temporary
 * SQLite store, the shipped processes run through the `procos` commands (child processes
 * too) and over HTTP; an incident caused and resolved; a SIGKILL mid-task and a restart
 * that resumes everything; graceful SIGTERM.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IncidentView, InstanceDetailView, InstanceView } from '../../src/api/procos-v1/index.js';
import { PROCESSES, bootKernel, getJson, procos, tempDir, waitFor } from './helpers.js';
import type { BootedKernel } from './helpers.js';

/** A process with one slow step (topic slow.step, `sleep 2`), for killing the kernel mid-task. */
const SLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_slow" targetNamespace="t">
  <bpmn:process id="slow_job" name="Slow job" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="slow" name="Slow step" camunda:type="external" camunda:topic="slow.step"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="e" name="Done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="slow" />
    <bpmn:sequenceFlow id="f2" sourceRef="slow" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

const SLOW_ROUTE = 'workers:\n  topics:\n    slow.step:\n      adapter: shell\n      config: { command: sleep, args: ["2"], env: { pass: [PATH] }, output: { stdout: slept } }\n';

async function state(url: string, id: string): Promise<string> {
  return (await getJson<InstanceDetailView>(`${url}/procos/v1/instances/${id}`)).state;
}

function startedId(stdout: string): string {
  const m = /as instance ([0-9a-f-]{36})/.exec(stdout);
  assert.ok(m, `no instance id in: ${stdout}`);
  return m[1]!;
}

describe('procos boot (child process)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let kernel: BootedKernel | undefined;
  before(async () => ({ dir, cleanup } = await tempDir('procos-e2e-')));
  after(async () => {
    await kernel?.stop('SIGKILL');
    await cleanup();
  });

  it('boots, runs the examples through the commands and HTTP, resolves an incident, stops on SIGTERM', async () => {
    const cwd = join(dir, 'tour');
    await mkdir(cwd);
    kernel = await bootKernel({ cwd });
    const { url } = kernel;
    assert.match(kernel.stderr(), /ProcOS \d+\.\d+\.\d+ is ready \(pid \d+, booted in \d+ ms\)/);
    assert.match(kernel.stderr(), /root_orchestrator:1 started, instance [0-9a-f-]{36}/);
    assert.match(kernel.stderr(), /file_intake:1\s+examples\/file-intake\.bpmn\s+new/);
    assert.match(kernel.stdout(), /"msg":"procos ready"/);

    // The commands find the kernel through .procos/ready in the working directory.
    const ps = await procos(['ps'], { cwd });
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /^ID\s+PROCESS\s+STATE\s+CURRENT\s+BUSINESS KEY\s+AGE\n[0-9a-f-]{36}\s+root_orchestrator:1\s+running\s+(Initialise core services|Start system monitoring|Wait for requests)/);

    // kernel_report: started by the command line, completed by the built-in workers.
    const start = await procos(['start', 'kernel_report', '--business-key', 'tour-1'], { cwd });
    assert.equal(start.code, 0, start.stderr);
    const reportId = startedId(start.stdout);
    await waitFor('kernel_report to complete', async () => (await state(url, reportId)) === 'completed');
    const show = await procos(['show', reportId], { cwd });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Process {7}kernel_report:1\n {2}State {9}completed\n {2}Business key {2}tour-1/);
    assert.match(show.stdout, /History\n {2}AT\s+ELEMENT\s+NAME\s+TOOK\n {2}\+0 ms\s+start event\s+Report requested/);
    assert.match(show.stdout, /end event\s+All clear/);
    assert.match(show.stdout, /Variables \(final values\)\n[\s\S]*summary\s+\{"total":2/);

    // HTTP: the own API, health, and the Camunda 7 compatible API.
    const list = await getJson<{ instances: InstanceView[] }>(`${url}/procos/v1/instances?state=all`);
    assert.deepEqual(list.instances.map((i) => `${i.key}:${i.state}`).sort(), ['kernel_report:completed', 'root_orchestrator:running']);
    assert.deepEqual(await getJson(`${url}/health`), { status: 'ready', live: true, ready: true });
    const engines = await fetch(`${url}/engine-rest/engine`);
    assert.equal(engines.status, 200);
    const byCamunda = await getJson<{ key: string }[]>(`${url}/engine-rest/process-definition?key=file_intake`);
    assert.equal(byCamunda[0]?.key, 'file_intake');

    // An incident: the file does not exist yet. Three attempts, then an incident.
    const file = join(cwd, 'tour.txt');
    const intake = await procos(['start', 'file_intake', '--var', `file=${file}`], { cwd });
    assert.equal(intake.code, 0, intake.stderr);
    const intakeId = startedId(intake.stdout);
    const incident = await waitFor('an incident', async () => (await getJson<{ incidents: IncidentView[] }>(`${url}/procos/v1/incidents`)).incidents[0]);
    assert.equal(incident.processInstanceId, intakeId);
    const incidents = await procos(['incidents'], { cwd });
    assert.equal(incidents.code, 0);
    assert.match(incidents.stdout, new RegExp(`${incident.id}\\s+${intakeId}\\s+file_intake / Read the file\\s+open \\d+s\\s+"cat" exited with code 1`));
    const stuck = await procos(['show', intakeId], { cwd });
    assert.match(stuck.stdout, /State {9}incident/);
    assert.match(stuck.stdout, /cat: .*tour\.txt: No such file or directory/);

    await writeFile(file, 'A short text.\n');
    const retry = await procos(['retry', incident.id], { cwd });
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, /resolved: "Read the file" of file_intake .*: its task gets one more attempt now\./);
    await waitFor('file_intake to complete', async () => (await state(url, intakeId)) === 'completed');
    const done = await procos(['show', intakeId, '--json'], { cwd });
    const detail = JSON.parse(done.stdout) as InstanceDetailView;
    assert.equal(detail.variables.words, 3);
    assert.ok(detail.incidentList[0]!.resolvedTime !== null);
    assert.equal((await procos(['incidents'], { cwd })).stdout.trim(), 'No open incidents.');

    // deploy: a changed file makes a new version, the same file again changes nothing.
    const changed = join(cwd, 'kernel-report.bpmn');
    await writeFile(changed, (await readFile(join(PROCESSES, 'examples', 'kernel-report.bpmn'), 'utf8')).replace('name="All clear"', 'name="Everything fine"'));
    const deploy = await procos(['deploy', changed], { cwd });
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, /kernel_report:2\s+kernel-report\.bpmn\s+new version/);
    const again = await procos(['deploy', changed], { cwd });
    assert.match(again.stdout, /kernel_report:2\s+kernel-report\.bpmn\s+unchanged\nNothing changed/);

    // kill: a waiting instance is terminated; a second kill says it has ended.
    const victim = startedId((await procos(['start', 'file_intake', '--var', `file=${join(cwd, 'never.txt')}`], { cwd })).stdout);
    const kill = await procos(['kill', victim], { cwd });
    assert.equal(kill.code, 0, kill.stderr);
    assert.match(kill.stdout, /is terminated\./);
    const twice = await procos(['kill', victim], { cwd });
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /has already ended \(terminated\); nothing to cancel/);
    const unknown = await procos(['show', '00000000-0000-0000-0000-000000000000'], { cwd });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr.trim(), /^procos: process instance 00000000-0000-0000-0000-000000000000 does not exist \[PROCOS_RUNTIME_INSTANCE_NOT_FOUND\]$/);

    const exit = await kernel.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.match(kernel.stderr(), /SIGTERM received, stopping/);
    assert.match(kernel.stdout(), /"msg":"stopped"/);
    assert.equal(existsSync(join(cwd, '.procos', 'ready')), false);
    kernel = undefined;
  });

  it('resumes everything after a SIGKILL mid-task: locks released, root not started twice, nothing lost', async () => {
    const cwd = join(dir, 'crash');
    const procs = join(cwd, 'processes');
    await mkdir(join(procs, 'examples'), { recursive: true });
    await copyFile(join(PROCESSES, 'root-orchestrator.bpmn'), join(procs, 'root-orchestrator.bpmn'));
    await copyFile(join(PROCESSES, 'examples', 'file-intake.bpmn'), join(procs, 'examples', 'file-intake.bpmn'));
    await writeFile(join(procs, 'slow.bpmn'), SLOW);
    await writeFile(join(cwd, 'procos.yml'), SLOW_ROUTE);
    const args = ['--processes', procs];
    kernel = await bootKernel({ cwd, args });
    const { url, port } = kernel;

    const waiting = startedId((await procos(['start', 'file_intake', '--var', `file=${join(cwd, 'later.txt')}`], { cwd })).stdout);
    await waitFor('the incident', async () => (await state(url, waiting)) === 'incident');
    const slow = startedId((await procos(['start', 'slow_job'], { cwd })).stdout);
    await waitFor('the slow step to be locked', async () => (await getJson<InstanceDetailView>(`${url}/procos/v1/instances/${slow}`)).externalTasks[0]?.workerId ?? false);

    const killed = await kernel.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(existsSync(join(cwd, '.procos', 'ready')), 'a killed kernel leaves its ready file');
    const none = await procos(['ps', '--url', url], { cwd });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no ProcOS kernel answers at http:\/\/127\.0\.0\.1:\d+ \(from --url\): connection refused/);

    const t0 = Date.now();
    kernel = await bootKernel({ cwd, port, args });
    assert.match(kernel.stderr(), /root_orchestrator:1 already running, instance /);
    assert.match(kernel.stderr(), /slow_job:1\s+slow\.bpmn\s+unchanged/);
    await waitFor('the slow job to complete after the restart', async () => (await state(url, slow)) === 'completed', 10_000);
    assert.ok(Date.now() - t0 < 10_000, 'the lock of the killed run was released at boot, not left to expire');
    assert.match(kernel.stdout(), /released task locks held by the previous run of this node/);

    const detail = await getJson<InstanceDetailView>(`${url}/procos/v1/instances/${slow}`);
    assert.deepEqual(detail.history.map((h) => h.elementId), ['s', 'slow', 'e']);
    assert.equal(detail.variables.slept, '');
    assert.equal(await state(url, waiting), 'incident');
    const all = await getJson<{ instances: InstanceView[] }>(`${url}/procos/v1/instances?state=all`);
    assert.equal(all.instances.filter((i) => i.key === 'root_orchestrator').length, 1);

    assert.equal((await kernel.stop('SIGINT')).code, 0);
    kernel = undefined;
  });

  it('on SIGTERM lets a running task finish within the grace period, or unlocks it for the next boot', async () => {
    const cwd = join(dir, 'graceful');
    const procs = join(cwd, 'processes');
    await mkdir(procs, { recursive: true });
    await writeFile(join(procs, 'slow.bpmn'), SLOW);
    await writeFile(join(cwd, 'procos.yml'), SLOW_ROUTE);

    // Default grace (10 s): the 2 s task finishes during the shutdown.
    kernel = await bootKernel({ cwd, args: ['--processes', procs] });
    const { url, port } = kernel;
    const first = startedId((await procos(['start', 'slow_job'], { cwd })).stdout);
    await waitFor('the slow step to be locked', async () => (await getJson<InstanceDetailView>(`${url}/procos/v1/instances/${first}`)).externalTasks[0]?.workerId ?? false);
    assert.equal((await kernel.stop('SIGTERM')).code, 0);
    assert.match(kernel.stdout(), /"outcome":"completed"/);

    // A grace of 200 ms: the task is given back (unlocked), and the next boot runs it at once.
    kernel = await bootKernel({ cwd, port, args: ['--processes', procs, '--shutdown-grace-ms', '200'] });
    assert.equal(await state(url, first), 'completed');
    const second = startedId((await procos(['start', 'slow_job'], { cwd })).stdout);
    await waitFor('the slow step to be locked', async () => (await getJson<InstanceDetailView>(`${url}/procos/v1/instances/${second}`)).externalTasks[0]?.workerId ?? false);
    assert.equal((await kernel.stop('SIGTERM')).code, 0);
    assert.match(kernel.stdout(), /"unlocked":true/);

    kernel = await bootKernel({ cwd, port, args: ['--processes', procs] });
    await waitFor('the unlocked task to run after the restart', async () => (await state(url, second)) === 'completed', 10_000);
    assert.doesNotMatch(kernel.stdout(), /released task locks/);
    assert.equal((await kernel.stop('SIGTERM')).code, 0);
    kernel = undefined;
  });
});
