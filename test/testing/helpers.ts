/**
 * Helpers of the scenario runner's tests: the fixtures folder, and scenario files written
 * to a fresh temporary folder next to copies of the BPMN fixtures they deploy.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

/** test/fixtures/testing (this file runs as dist/test/testing/helpers.js). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/testing/', import.meta.url));

/** A fixture's path. */
export function fixture(name: string): string {
  return join(FIXTURES, name);
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * Writes `yaml` as `<name>.test.yaml` in a new temporary folder, with copies of the BPMN
 * fixtures it deploys (by file name). Removed after the test file.
 * @returns the scenario file's path.
 */
export async function scenarioFile(yaml: string, bpmn: readonly string[] = ['order.bpmn', 'payment.bpmn'], name = 'scenario'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'procos-testing-test-'));
  dirs.push(dir);
  for (const b of bpmn) await copyFile(fixture(b), join(dir, b));
  const file = join(dir, `${name}.test.yaml`);
  await writeFile(file, yaml);
  return file;
}

/** The lines of a text, without a trailing empty one. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
}
