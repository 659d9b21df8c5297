/**
 * Identifiers: UUID version 7 (RFC 9562 §5.7), time-ordered, so rows inserted together
 * land next to each other in primary-key B-trees.
 *
 * The `uuid` package formats the bytes; this module only feeds it random bytes from a
 * pool (one `randomFillSync` call per 256 identifiers instead of one per identifier)
 * and keeps its monotonic counter, as `uuid`'s own `v7()` does without options (RFC 9562
 * §6.2, method 1: a 32-bit counter seeded randomly each millisecond; when it wraps, the
 * timestamp moves on by 1 ms).
 */
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let position = pool.length;
let lastMs = -Infinity;
let seq = 0;

/**
 * A new UUIDv7 string (`xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`, lower-case). Identifiers
 * made by one process increase strictly in string order.
 */
export function newUuidV7(): string {
  if (position === pool.length) {
    randomFillSync(pool);
    position = 0;
  }
  const random = pool.subarray(position, position + 16);
  position += 16;
  const now = Date.now();
  if (now > lastMs) {
    seq = (((random[6] as number) & 0x7f) << 24) | ((random[7] as number) << 16) | ((random[8] as number) << 8) | (random[9] as number);
    lastMs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs += 1;
  }
  return v7({ random, msecs: lastMs, seq });
}
