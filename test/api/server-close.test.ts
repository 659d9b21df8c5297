/**
 * The kernel's HTTP server (createApiServer: Fastify with forceCloseConnections, which
 * closes every connection when it stops): long polls waiting in /engine-rest when it stops
 * are answered with no tasks before the connections go, not cut off.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { createApiServer } from '../../src/api/server.js';
import { createKernelLogger } from '../../src/kernel/log-format.js';
import { Runtime } from '../../src/runtime/index.js';
import { openStore } from '../../src/store/index.js';

function post(url: string, body: unknown): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the kernel HTTP server stopping', () => {
  it('answers each waiting long poll with [] and Connection: close before it closes the connections', async () => {
    const store = await openStore('sqlite::memory:');
    const runtime = new Runtime(store);
    const app = await createApiServer({ runtime, logger: createKernelLogger({ level: 'warn', format: 'json', stream: process.stderr }), health: () => ({ status: 'ready' }) });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/engine-rest/external-task/fetchAndLock`;
      const polls = [1, 2, 3].map((i) => post(url, { workerId: `w${i}`, maxTasks: 1, asyncResponseTimeout: 60_000, topics: [{ topicName: 'nothing', lockDuration: 1000 }] }));
      for (let t0 = Date.now(); runtime.notifier.waiting < 3; ) {
        if (Date.now() - t0 > 5000) throw new Error('the long polls did not start waiting');
        await new Promise((r) => setTimeout(r, 10));
      }
      const t0 = Date.now();
      await app.close();
      const answers = await Promise.all(polls);
      assert.ok(Date.now() - t0 < 5_000, 'stopping does not wait for the long polls to time out');
      for (const a of answers) {
        assert.equal(a.status, 200);
        assert.equal(a.body, '[]');
        assert.equal(a.connection, 'close');
      }
    } finally {
      runtime.close();
      await store.close();
    }
  });
});
