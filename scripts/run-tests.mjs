#!/usr/bin/env node
// Runs the compiled test suite (every *.test.js under dist/test, or under the paths given)
// with node's test runner. Helper modules under dist/test are not test files.
// When PostgreSQL 15 binaries are present it starts one throw-away server for the whole
// run (tests then use PROCOS_TEST_PG_URL); a test file run on its own starts its own.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres } from '../dist/test/helpers/postgres-server.js';

function testFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? testFiles(join(path, d.name)) : d.name.endsWith('.test.js') ? [join(path, d.name)] : []))
    .sort();
}

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['dist/test'];
const files = roots.flatMap(testFiles);
let pg = null;
if (!process.env.PROCOS_TEST_PG_URL) {
  pg = await startPostgres();
  process.env.PROCOS_TEST_PG_URL = pg.url;
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env: process.env });
if (pg) await pg.stop();
process.exit(r.status ?? 1);
