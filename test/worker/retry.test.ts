/** Retry arithmetic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchBackoffDelay, nextRetries, retryTimeoutFor } from '../../src/worker/index.js';

test('nextRetries starts from the route retries, then counts the task retries down, never below 0', () => {
  assert.equal(nextRetries(null, 3), 2);
  assert.equal(nextRetries(2, 3), 1);
  assert.equal(nextRetries(1, 3), 0);
  assert.equal(nextRetries(0, 3), 0);
  assert.equal(nextRetries(null, 0), 0);
  assert.equal(nextRetries(7, 3), 6, 'retries set higher by an operator are honoured');
});

test('retryTimeoutFor is constant without backoff and exponential, capped, with it', () => {
  assert.equal(retryTimeoutFor(null, 3, 1000, null), 1000);
  assert.equal(retryTimeoutFor(1, 3, 1000, null), 1000);
  const b = { factor: 2, maxTimeout: 5000 };
  assert.equal(retryTimeoutFor(null, 5, 1000, b), 1000);
  assert.equal(retryTimeoutFor(4, 5, 1000, b), 2000);
  assert.equal(retryTimeoutFor(3, 5, 1000, b), 4000);
  assert.equal(retryTimeoutFor(2, 5, 1000, b), 5000);
  assert.equal(retryTimeoutFor(9, 5, 1000, b), 1000, 'more retries than the route: no earlier failures counted');
});

test('fetchBackoffDelay doubles up to the cap, with the jitter in the upper half', () => {
  const b = { initialMs: 100, maxMs: 1000 };
  assert.equal(fetchBackoffDelay(1, b, 0), 50);
  assert.equal(fetchBackoffDelay(1, b, 0.999999), 100);
  assert.equal(fetchBackoffDelay(2, b, 0), 100);
  assert.equal(fetchBackoffDelay(3, b, 1), 400);
  assert.equal(fetchBackoffDelay(10, b, 1), 1000);
  assert.equal(fetchBackoffDelay(10, b, 0), 500);
});
