/**
 * createHttpExchange against a raw TCP server that plays a keep-alive HTTP server closing
 * an idle connection just as the client reuses it (a real race with real servers).
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpExchange } from '../../src/worker/http-exchange.js';

/** Answers the first request of every connection with 200 "ok-<n>" (keep-alive); resets a connection on its second request. */
function resettingServer(): { server: Server; connections: () => number; resets: () => number } {
  let connections = 0;
  let resets = 0;
  const server = createServer((socket: Socket) => {
    connections += 1;
    const n = connections;
    let requests = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        const end = buffered.indexOf('\r\n\r\n') + 4;
        const head = buffered.slice(0, end);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + length) return;
        buffered = buffered.slice(end + length);
        requests += 1;
        if (requests === 1) {
          const body = `ok-${n}`;
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
        } else {
          resets += 1;
          socket.resetAndDestroy();
          return;
        }
      }
    });
    socket.on('error', () => undefined);
  });
  return { server, connections: () => connections, resets: () => resets };
}

describe('createHttpExchange on a reused connection the server resets', () => {
  const s = resettingServer();
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    const address = s.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/engine-rest/external-task/t1/complete`;
  });
  after(() => new Promise<void>((resolve) => s.server.close(() => resolve())));

  it('sends the request again on a fresh connection, once, and answers', async () => {
    const exchange = createHttpExchange();
    try {
      const first = await exchange({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"workerId":"w"}', timeoutMs: 5000 });
      assert.equal(first.body.toString(), 'ok-1');
      // the same keep-alive connection is reused; the server resets it: the exchange retries on connection 2
      const second = await exchange({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"workerId":"w"}', timeoutMs: 5000 });
      assert.equal(second.status, 200);
      assert.equal(second.body.toString(), 'ok-2');
      assert.equal(s.resets(), 1);
      assert.equal(s.connections(), 2);
    } finally {
      exchange.close();
    }
  });

  it('does not retry a request on a fresh connection: a reset there is the caller\'s error', async () => {
    const exchange = createHttpExchange();
    try {
      // a server that resets every connection at its first request
      const hostile = createServer((socket) => {
        socket.once('data', () => socket.resetAndDestroy());
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
      const address = hostile.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      let accepted = 0;
      hostile.on('connection', () => (accepted += 1));
      await assert.rejects(exchange({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}', timeoutMs: 5000 }), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET');
      assert.equal(accepted, 1);
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    } finally {
      exchange.close();
    }
  });
});
