/**
 * The `procos` command as npm runs it: `npx procos …` executes the package's `bin` file
 * (package.json) directly, so `npm run build` must leave it executable with a node shebang.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO } from '../e2e/helpers.js';

describe('the procos bin', () => {
  it('is the file package.json names, executable, and runs by itself (as npx runs it)', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = join(REPO, pkg.bin.procos ?? '');
    assert.ok((statSync(bin).mode & 0o111) !== 0, `${bin} is not executable: npx procos would fail with "Permission denied"`);
    assert.match(readFileSync(bin, 'utf8').split('\n')[0] ?? '', /^#!\/usr\/bin\/env node/);
    const { stdout } = await promisify(execFile)(bin, ['--version']);
    assert.match(stdout, /\d+\.\d+\.\d+/);
  });
});
