/**
 * Child process of crash.test.ts: deploys, starts instances, then works through their
 * external tasks, appending each completed task id to a log file right after the
 * commit, and printing progress. The parent kills it with SIGKILL mid-flight.
 *
 *   node crash-child.js <storeUrl> <logFile> <instances>
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { openStore } from '../../src/store/index.js';
import { Runtime } from '../../src/runtime/index.js';

const [url, logFile, count] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url);
const rt = new Runtime(store);
const xml = readFileSync(new URL('../../../test/fixtures/runtime/crash-steps.bpmn', import.meta.url), 'utf8');
await rt.deploy({ name: 'crash', resources: [{ name: 'crash-steps.bpmn', content: xml }] });
for (let i = 0; i < Number(count); i++) await rt.startInstance({ key: 'crash_steps', businessKey: `c-${i}` });
process.stdout.write('started\n');
let done = 0;
for (;;) {
  const tasks = await rt.fetchAndLock({ workerId: 'child', maxTasks: 20, asyncResponseTimeout: 1000, topics: [{ topicName: 'crash-a', lockDuration: 30_000 }, { topicName: 'crash-b', lockDuration: 30_000 }] });
  for (const t of tasks) {
    await rt.completeExternalTask(t.id, 'child', { [`by_${t.elementId}`]: 'child' });
    appendFileSync(logFile, `${t.id}\n`);
    process.stdout.write(`completed ${++done}\n`);
  }
}
