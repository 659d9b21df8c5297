/**
 * Shared helpers of the model-layer tests: where the repository, its fixtures and the
 * shared corpus are, and how to assert a refusal.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProcosError } from '../../src/common/errors.js';
import { compileBpmn, type BoundaryEventNode, type CompileOptions, type FlowNode, type Problem, type ProcessModel } from '../../src/model/index.js';

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

/** The node type(s) whose kind union includes K. */
export type NodeOf<K extends FlowNode['kind'], N = FlowNode> = N extends { kind: infer NK } ? (K extends NK ? N : never) : never;

/** The node `id` of `m`, asserted to be of `kind`. */
export function node<K extends FlowNode['kind']>(m: ProcessModel, id: string, kind: K): NodeOf<K> {
  const n = m.nodes.get(id);
  assert.ok(n !== undefined, `node ${id} exists`);
  assert.equal(n.kind, kind, `${id} is a ${kind}`);
  return n as NodeOf<K>;
}

/** Scope ids: the process and every node that holds children. */
function scopeChildren(m: ProcessModel): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>([[m.id, m.children]]);
  for (const n of m.nodes.values()) if (n.kind === 'subProcess' || n.kind === 'transaction') out.set(n.id, n.children);
  return out;
}

/**
 * Checks the invariants every compiled model must hold: flow and node indexes agree,
 * positions match the source, scopes list their children, start events and event
 * subprocesses are indexed, compensation handlers are handlers, everything is frozen, and
 * (with `withDi`) every node and flow has diagram interchange.
 */
export function assertIndexes(m: ProcessModel, xml: string, withDi = true): void {
  for (const [id, f] of m.flows) {
    assert.equal(f.id, id);
    assert.ok(m.nodes.get(f.sourceId)?.outgoing.includes(id), `${id} is outgoing of ${f.sourceId}`);
    assert.ok(m.nodes.get(f.targetId)?.incoming.includes(id), `${id} is incoming of ${f.targetId}`);
    assert.deepEqual({ line: f.line, column: f.column }, positionOfId(xml, id));
  }
  const scopes = scopeChildren(m);
  for (const [id, n] of m.nodes) {
    assert.equal(n.id, id);
    assert.deepEqual({ line: n.line, column: n.column }, positionOfId(xml, id), `position of ${id}`);
    for (const f of n.outgoing) assert.equal(m.flows.get(f)?.sourceId, id);
    for (const f of n.incoming) assert.equal(m.flows.get(f)?.targetId, id);
    for (const b of n.boundaryEvents) assert.equal((m.nodes.get(b) as BoundaryEventNode | undefined)?.attachedTo, id);
    assert.ok(scopes.get(n.scopeId)?.includes(id), `scope ${n.scopeId} lists ${id}`);
    assert.ok(Object.isFrozen(n) && Object.isFrozen(n.incoming) && Object.isFrozen(n.outgoing));
    if (n.defaultFlow !== undefined) assert.ok(n.outgoing.includes(n.defaultFlow));
    if (n.compensationHandler !== undefined) assert.equal(m.nodes.get(n.compensationHandler)?.isForCompensation, true, `handler of ${id}`);
    if (n.kind === 'subProcess' || n.kind === 'transaction') {
      for (const c of n.children) assert.equal(m.nodes.get(c)?.scopeId, id);
      for (const e of n.eventSubProcesses) assert.ok(n.children.includes(e));
    }
    if (n.kind === 'subProcess' && n.triggeredByEvent) {
      assert.equal(n.startEventId, '');
      assert.ok(n.eventStartId !== undefined && m.nodes.get(n.eventStartId)?.scopeId === id, `event start of ${id}`);
      const parent = n.scopeId === m.id ? m.eventSubProcesses : (m.nodes.get(n.scopeId) as { eventSubProcesses?: readonly string[] } | undefined)?.eventSubProcesses;
      assert.ok(parent?.includes(id), `${id} is listed in its parent's eventSubProcesses`);
    } else if (n.kind === 'subProcess' || n.kind === 'transaction') {
      assert.equal(m.nodes.get(n.startEventId)?.kind, 'startEvent');
    }
  }
  for (const id of m.children) assert.equal(m.nodes.get(id)?.scopeId, m.id);
  if (m.startEventId === '') assert.ok(m.eventStartIds.length > 0, 'a process without none start event has event start events');
  else assert.equal(m.nodes.get(m.startEventId)?.kind, 'startEvent');
  for (const id of m.eventStartIds) {
    const s = m.nodes.get(id);
    assert.ok(s?.kind === 'startEvent' && s.event.type !== 'none' && s.scopeId === m.id, `event start ${id}`);
  }
  for (const id of m.eventSubProcesses) assert.ok(m.children.includes(id));
  assert.ok(Object.isFrozen(m) && Object.isFrozen(m.children) && Object.isFrozen(m.eventStartIds) && Object.isFrozen(m.eventSubProcesses));
  if (withDi) for (const id of [...m.nodes.keys(), ...m.flows.keys()]) assert.ok(xml.includes(`bpmnElement="${id}"`), `DI for ${id}`);
}
