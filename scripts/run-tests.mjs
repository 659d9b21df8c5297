#!/usr/bin/env node
// Runs the compiled test suite with node's test runner.
// When PostgreSQL 15 binaries are present it starts one throw-away server for the whole
// run (tests then use PROCOS_TEST_PG_URL); a test file run on its own starts its own.
import { spawnSync } from 'node:child_process';
import { startPostgres } from '../dist/test/helpers/postgres-server.js';

let pg = null;
if (!process.env.PROCOS_TEST_PG_URL) {
  pg = await startPostgres();
  process.env.PROCOS_TEST_PG_URL = pg.url;
}
const args = ['--test', '--test-concurrency=2', ...(process.argv.slice(2).length ? process.argv.slice(2) : ['dist/test/'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
if (pg) await pg.stop();
process.exit(r.status ?? 1);
