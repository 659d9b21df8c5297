/**
 * Crash safety: a child process runs 200 instances with a worker; it is killed with
 * SIGKILL mid-flight. The store is reopened, the work is finished, and every instance
 * must have completed exactly once, with no external task completed twice and every
 * step in the history exactly once. Runs on SQLite (file) and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.js';
import { Runtime } from '../../src/runtime/index.js';
import { storeKinds } from '../helpers/stores.js';

const INSTANCES = 200;
const KILL_AFTER = 120;

/** Runs the child until it has completed `n` tasks, then kills it with SIGKILL. */
function runChildAndKill(url: string, logFile: string): Promise<number> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./crash-child.js', import.meta.url)), url, logFile, String(INSTANCES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      const m = /completed (\d+)\n[^\n]*$/.exec(buf);
      if (!killed && m !== null && Number(m[1]) >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
      if (buf.length > 10_000) buf = buf.slice(-200);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(KILL_AFTER) : reject(new Error(`child ended by itself (code ${code}, signal ${signal})`))));
    child.on('error', reject);
  });
}

for (const kind of storeKinds()) {
  describe(`crash safety on ${kind.name}`, () => {
    it(`SIGKILL mid-flight loses nothing: ${INSTANCES} instances complete exactly once`, { timeout: 180_000 }, async () => {
      const db = await kind.newDatabase();
      const dir = mkdtempSync(join(tmpdir(), 'procos-crash-'));
      const logFile = join(dir, 'completed.log');
      appendFileSync(logFile, '');
      try {
        await runChildAndKill(db.url, logFile);
        const store = await openStore(db.url);
        // Locks held by the dead worker expire: a clock 60 s ahead sees them expired.
        const rt = new Runtime(store, { clock: () => Date.now() + 60_000 });
        try {
          assert.equal(await store.countInstances({}), INSTANCES, 'every started instance survived the crash');
          const before = await store.countInstances({ status: 'completed' });
          assert.ok(before < INSTANCES, 'the crash happened mid-flight');
          for (;;) {
            const tasks = await rt.fetchAndLock({ workerId: 'parent', maxTasks: 50, topics: [{ topicName: 'crash-a', lockDuration: 30_000 }, { topicName: 'crash-b', lockDuration: 30_000 }] });
            if (tasks.length === 0) break;
            for (const t of tasks) {
              await rt.completeExternalTask(t.id, 'parent', { [`by_${t.elementId}`]: 'parent' });
              appendFileSync(logFile, `${t.id}\n`);
            }
          }
          assert.equal(await store.countInstances({ status: 'completed' }), INSTANCES, 'all instances completed');
          assert.equal(await store.countExternalTasks({}), 0, 'no external task left');
          const completions = readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '');
          assert.ok(completions.length >= INSTANCES * 2 - 20, 'the log saw (almost) all completions: at most one batch in flight was lost with the child');
          assert.equal(new Set(completions).size, completions.length, 'no external task was completed twice');
          const hist = await store.listHistoricProcessInstances({ status: 'completed' }, { maxResults: 10_000 });
          assert.equal(hist.length, INSTANCES);
          for (const element of ['step_a', 'step_b', 'end']) {
            const acts = await store.listHistoricActivityInstances({ elementId: element }, { maxResults: 10_000 });
            const perInstance = new Map<string, number>();
            for (const a of acts) {
              assert.notEqual(a.endTime, null, `${element} ended`);
              assert.equal(a.canceled, false);
              perInstance.set(a.processInstanceId, (perInstance.get(a.processInstanceId) ?? 0) + 1);
            }
            assert.equal(perInstance.size, INSTANCES, `${element} ran in every instance`);
            assert.ok([...perInstance.values()].every((n) => n === 1), `${element} ran exactly once per instance`);
          }
        } finally {
          rt.close();
          await store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await db.drop();
      }
    });
  });
}
