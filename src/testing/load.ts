/**
 * Reading a scenario file: YAML → validated, compiled scenario with each step's source
 * line and text, and the BPMN files it deploys read from disk. Every problem is a coded
 * error naming the file, the step and the field (`steps[2].complete.activity`) with its
 * line; never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { ProcosError } from '../common/errors.js';
import type { Variables } from '../common/json.js';
import { isBpmnResourceName } from '../runtime/index.js';
import { TestingErrors } from './errors.js';
import { STEP_KINDS, scenarioHeaderSchema, startSchema, stepBodySchemas } from './schema.js';
import type { StepBody, StepKind } from './schema.js';
import { show } from './show.js';
import { DEFAULT_START_TIME, parseInstant } from './time.js';

/** One problem of a scenario file. */
export interface ScenarioIssue {
  /** Path of the field, e.g. `steps[2].complete.activity`; `` for the whole file. */
  readonly field: string;
  readonly message: string;
  /** 1-based line in the scenario file, when known. */
  readonly line?: number;
  /** Index of the step in `steps`, for a problem inside a step. */
  readonly step?: number;
}

/** Where a step comes from in its file. */
export interface StepSource {
  /** Index in `steps` (0-based, as in `steps[2]`). */
  readonly index: number;
  /** 1-based line, when known. */
  readonly line: number | null;
  /** The step as written (one line; a multi-line step is shown in flow style). */
  readonly text: string;
}

/** A validated step: its kind, its body, where it was written. */
export type LoadedStep = { [K in StepKind]: { readonly kind: K; readonly body: StepBody<K> } & StepSource }[StepKind];

/** A BPMN file to deploy. */
export interface LoadedResource {
  /** The path as written under `deploy` (the deployment's resource name). */
  readonly name: string;
  readonly content: Uint8Array;
}

/** A scenario ready to run. */
export interface LoadedScenario {
  /** The scenario file as given to the runner. */
  readonly file: string;
  readonly name: string;
  readonly description: string | null;
  /** Where the clock starts, epoch ms. */
  readonly startTime: number;
  readonly resources: readonly LoadedResource[];
  readonly start: { readonly process: string; readonly businessKey?: string; readonly variables?: Variables };
  readonly steps: readonly LoadedStep[];
}

type PathSegment = string | number;

/** The name of a scenario without one: its file name without `.test.yaml` / `.yaml`. */
export function scenarioFileName(file: string): string {
  return basename(file).replace(/(\.test)?\.ya?ml$/i, '');
}

/** `steps[2].complete.activity` */
export function fieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function didYouMean(word: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: editDistance(word, k) })).sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

/** Reads positions from the parsed YAML. */
class Source {
  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** The node at `path` (or the deepest existing one on the way) and its 1-based line. */
  lineOf(path: readonly PathSegment[]): number | undefined {
    let cur: unknown = this.doc.contents;
    let offset: number | undefined = rangeStart(cur);
    for (const seg of path) {
      if (isMap(cur)) {
        const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (pair === undefined) break;
        offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
        cur = pair.value;
      } else if (isSeq(cur) && typeof seg === 'number') {
        const item: unknown = cur.items[seg];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        cur = item;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  /** Line of key `key` of the mapping at `path`. */
  keyLine(path: readonly PathSegment[], key: string): number | undefined {
    let cur: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(cur)) cur = cur.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg)?.value;
      else if (isSeq(cur) && typeof seg === 'number') cur = cur.items[seg];
      else return this.lineOf(path);
    }
    if (!isMap(cur)) return this.lineOf(path);
    const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    const at = pair === undefined ? undefined : rangeStart(pair.key);
    return at === undefined ? this.lineOf(path) : this.lines.linePos(at).line;
  }

  /** The step as written: its source text when on one line, else in flow style. */
  stepText(index: number, value: unknown): string {
    const seq = isMap(this.doc.contents) ? this.doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'steps')?.value : undefined;
    const node: unknown = isSeq(seq) ? seq.items[index] : undefined;
    const range = rangeOf(node);
    if (range !== undefined) {
      const written = this.text.slice(range[0], range[1]).trim();
      if (written !== '' && !written.includes('\n')) return written;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${v === null ? '' : show(v)}`.trimEnd())
        .join(', ');
    }
    return show(value);
  }
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const r = (node as { range?: unknown }).range;
  return Array.isArray(r) && r.length === 3 ? (r as unknown as readonly [number, number, number]) : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return rangeOf(node)?.[0];
}

/** zod issues → scenario issues, with lines and friendlier words. */
function fromZod(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[], value: unknown, src: Source, known: (path: readonly PathSegment[]) => readonly string[], step?: number): ScenarioIssue[] {
  // An unknown (misspelt) field first: the "required" problem it causes comes after it.
  const ordered = [...issues.filter((i) => i.code === 'unrecognized_keys'), ...issues.filter((i) => i.code !== 'unrecognized_keys')];
  return ordered.map((iss) => {
    const rel = iss.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
    const path = [...prefix, ...rel];
    const at = step === undefined ? {} : { step };
    if (iss.code === 'unrecognized_keys') {
      const names = known(rel);
      const key = iss.keys[0] ?? '';
      const what = iss.keys.length === 1 ? `unknown field "${key}"${didYouMean(key, names)}` : `unknown fields ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
      const line = src.keyLine(path, key);
      return { field: fieldPath(path), message: `${what}; known fields: ${names.join(', ')}`, ...(line !== undefined ? { line } : {}), ...at };
    }
    let message = iss.message.replace(/^Invalid input: /, '');
    if (iss.code === 'invalid_type' && valueAt(value, rel) === undefined) message = `is required (${message.replace(/, received undefined$/, '')})`;
    const line = src.lineOf(path);
    return { field: fieldPath(path), message, ...(line !== undefined ? { line } : {}), ...at };
  });
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function shapeKeys(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as { shape?: Record<string, unknown>; def?: { out?: unknown } };
  if (s.shape !== undefined) return Object.keys(s.shape);
  if (s.def?.out !== undefined) return shapeKeys(s.def.out);
  return [];
}

function issueAt(path: readonly PathSegment[], message: string, line: number | undefined, step?: number): ScenarioIssue {
  return { field: fieldPath(path), message, ...(line !== undefined ? { line } : {}), ...(step !== undefined ? { step } : {}) };
}

/** `file:line: field: message` */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  return `${file}${issue.line !== undefined ? `:${issue.line}` : ''}: ${issue.field === '' ? '' : `${issue.field}: `}${issue.message}`;
}

function invalid(file: string, issues: ScenarioIssue[]): ProcosError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ProcosError(TestingErrors.SCENARIO_INVALID, `${formatIssue(file, first)}${more}`, {
    file,
    field: first.field,
    ...(first.line !== undefined ? { line: first.line } : {}),
    ...(first.step !== undefined ? { step: first.step } : {}),
    issues,
  });
}

/**
 * Reads, validates and compiles a scenario file, and reads the BPMN files it deploys
 * (paths relative to the scenario file).
 * @param file path of the scenario (`*.test.yaml`), relative to the working directory or absolute.
 * @throws PROCOS_TESTING_SCENARIO_UNREADABLE the file cannot be read or is not valid YAML
 *   (details `line`, `column`).
 * @throws PROCOS_TESTING_SCENARIO_INVALID a field is missing, unknown or bad, or a step has
 *   an unknown kind (details `field`, `line`, `step`, and `issues`: every problem found).
 * @throws PROCOS_TESTING_RESOURCE_UNREADABLE a file under `deploy` cannot be read.
 */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new ProcosError(TestingErrors.SCENARIO_UNREADABLE, `${file}: cannot read the scenario file: ${reason}`, { file }, { cause: e });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    const where = pos === undefined ? '' : `:${pos.line}:${pos.col}`;
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ProcosError(TestingErrors.SCENARIO_UNREADABLE, `${file}${where}: not valid YAML: ${reason}`, { file, ...(pos !== undefined ? { line: pos.line, column: pos.col } : {}) });
  }
  const src = new Source(text, doc, lines);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ProcosError(TestingErrors.SCENARIO_UNREADABLE, `${file}: not valid YAML: ${e instanceof Error ? e.message : String(e)}`, { file }, { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(file, [issueAt([], 'a scenario is a mapping with name, deploy, start and steps', 1)]);
  }

  const headerKeys = shapeKeys(scenarioHeaderSchema);
  const header = scenarioHeaderSchema.safeParse(raw);
  const issues: ScenarioIssue[] = header.success
    ? []
    : fromZod(header.error.issues, [], raw, src, (p) => (p.length === 0 ? headerKeys : p[0] === 'start' ? shapeKeys(startSchema) : []));
  const rawSteps = (raw as { steps?: unknown }).steps;
  const steps: LoadedStep[] = [];
  if (Array.isArray(rawSteps)) {
    rawSteps.forEach((step, index) => {
      const at = ['steps', index];
      if (typeof step !== 'object' || step === null || Array.isArray(step)) {
        issues.push(issueAt(at, `a step is a mapping with one key, its kind (one of ${STEP_KINDS.join(', ')}); got ${show(step)}`, src.lineOf(at), index));
        return;
      }
      const keys = Object.keys(step);
      if (keys.length !== 1) {
        const kinds = keys.filter((k) => (STEP_KINDS as readonly string[]).includes(k));
        const others = keys.filter((k) => !kinds.includes(k));
        const message =
          keys.length === 0
            ? `an empty step; give one of ${STEP_KINDS.join(', ')}`
            : kinds.length === 1
              ? `${others.map((k) => `"${k}"`).join(', ')} ${others.length === 1 ? 'is' : 'are'} not a step kind; indent ${others.length === 1 ? 'it' : 'them'} under "${kinds[0]}:" if ${others.length === 1 ? 'it belongs' : 'they belong'} to that step`
              : `a step has exactly one kind, got ${keys.length}: ${keys.join(', ')} (write each as its own "- …" item)`;
        issues.push(issueAt(at, message, src.lineOf(at), index));
        return;
      }
      const kind = keys[0]!;
      if (!(STEP_KINDS as readonly string[]).includes(kind)) {
        issues.push(issueAt(at, `unknown step kind "${kind}"${didYouMean(kind, STEP_KINDS)}; known kinds: ${STEP_KINDS.join(', ')}`, src.keyLine(at, kind), index));
        return;
      }
      const k = kind as StepKind;
      const value = (step as Record<string, unknown>)[k];
      const parsed = stepBodySchemas[k].safeParse(value);
      if (!parsed.success) {
        issues.push(...fromZod(parsed.error.issues, [...at, k], value, src, (p) => (p.length === 0 ? shapeKeys(stepBodySchemas[k]) : []), index));
        return;
      }
      const line = src.lineOf(at);
      steps.push({ kind: k, body: parsed.data, index, line: line ?? null, text: src.stepText(index, step) } as LoadedStep);
    });
  }
  if (issues.length > 0 || !header.success) throw invalid(file, issues);
  const h = header.data;

  const base = dirname(resolve(file));
  const names = typeof h.deploy === 'string' ? [h.deploy] : h.deploy;
  const resources: LoadedResource[] = [];
  for (const [i, name] of names.entries()) {
    const field = typeof h.deploy === 'string' ? 'deploy' : `deploy[${i}]`;
    if (!isBpmnResourceName(name)) {
      const at = typeof h.deploy === 'string' ? ['deploy'] : ['deploy', i];
      throw invalid(file, [issueAt(at, `"${name}" is not a BPMN file (its name must end in .bpmn or .bpmn20.xml)`, src.lineOf(at))]);
    }
    try {
      resources.push({ name, content: await readFile(resolve(base, name)) });
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
      const line = src.lineOf(typeof h.deploy === 'string' ? ['deploy'] : ['deploy', i]);
      throw new ProcosError(TestingErrors.RESOURCE_UNREADABLE, `${file}${line !== undefined ? `:${line}` : ''}: ${field}: cannot read "${name}" (${resolve(base, name)}): ${reason}`, { file, field, resource: name, ...(line !== undefined ? { line } : {}) }, { cause: e });
    }
  }

  return {
    file,
    name: h.name ?? scenarioFileName(file),
    description: h.description ?? null,
    startTime: h.startTime === undefined ? DEFAULT_START_TIME : parseInstant(h.startTime)!,
    resources,
    start: { process: h.start.process, ...(h.start.businessKey !== undefined ? { businessKey: h.start.businessKey } : {}), ...(h.start.variables !== undefined ? { variables: h.start.variables } : {}) },
    steps,
  };
}
