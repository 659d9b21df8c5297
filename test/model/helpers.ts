/**
 * Shared helpers of the model-layer tests: where the repository, its fixtures and the
 * shared corpus are, and how to assert a refusal.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProcosError } from '../../src/common/errors.js';
import { compileBpmn, type CompileOptions, type Problem, type ProcessModel } from '../../src/model/index.js';

/** Repository root: the compiled test is dist/test/model/x.js, three levels below it. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared BPMN corpus, beside the repository. */
export const CORPUS_DIR = fileURLToPath(new URL('../shared/corpus/', new URL('../../../', import.meta.url)));
/** This layer's fixtures. */
export const FIXTURES_DIR = fileURLToPath(new URL('test/fixtures/model/', new URL('../../../', import.meta.url)));

/** Text of a fixture file. */
export function fixture(name: string): string {
  return readFileSync(FIXTURES_DIR + name, 'utf8');
}

/** 1-based line and column of the start tag of the element with `id="…"` in `xml`. */
export function positionOfId(xml: string, id: string): { line: number; column: number } {
  const at = xml.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `id ${id} is in the document`);
  const tagStart = xml.lastIndexOf('<', at);
  const before = xml.slice(0, tagStart);
  const line = before.split('\n').length;
  return { line, column: tagStart - before.lastIndexOf('\n') };
}

/** Compiles and expects exactly one model. */
export async function compileOne(xml: string | Uint8Array, options?: CompileOptions): Promise<ProcessModel> {
  const models = await compileBpmn(xml, options);
  assert.equal(models.length, 1, 'one executable process');
  const [model] = models;
  assert.ok(model !== undefined);
  return model;
}

/** Expects `compileBpmn` to refuse with `code`; returns the error and its problems. */
export async function refused(xml: string | Uint8Array, code: string, options?: CompileOptions): Promise<{ error: ProcosError; problems: Problem[] }> {
  let caught: unknown;
  try {
    await compileBpmn(xml, options);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ProcosError, `expected a ProcosError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  const problems = caught.details['problems'];
  assert.ok(Array.isArray(problems) && problems.length > 0, 'details.problems lists the problems');
  return { error: caught, problems: problems as Problem[] };
}

/** Wraps process content into a minimal BPMN document (no DI). */
export function bpmn(processContent: string, options: { executable?: boolean; head?: string; id?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs_1" targetNamespace="urn:test">${options.head ?? ''}
  <bpmn:process id="${options.id ?? 'p'}" isExecutable="${String(options.executable ?? true)}">
${processContent}
  </bpmn:process>
</bpmn:definitions>
`;
}
