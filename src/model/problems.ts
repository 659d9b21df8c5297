/**
 * Problems found while compiling a BPMN document, and how they become one
 * {@link ProcosError}.
 *
 * The compiler does not stop at the first problem: it collects every problem of the
 * document (so a modeller can fix them all at once) and refuses the document with the
 * first problem's code. Positions come from the XML pre-pass ({@link XmlIndex}),
 * because bpmn-moddle keeps none.
 */
import { ProcosError, type ErrorSpec } from '../common/errors.js';
import { ModelErrors } from './errors.js';
import type { XmlIndex } from './xml-guard.js';

/**
 * One problem found in a BPMN document.
 * - `code`: a {@link ModelErrors} code (`PROCOS_MODEL_…`).
 * - `message`: the problem alone, without position prefix (see {@link formatProblem}).
 * - `file`, `elementId`, `line`, `column` (1-based): where, when known.
 * - `elementType`: the BPMN/extension local name of the element (`serviceTask`), when known.
 * - `attribute`: the attribute or child that is the problem (`camunda:class`), when one is.
 */
export interface Problem {
  code: string;
  message: string;
  file?: string;
  elementId?: string;
  line?: number;
  column?: number;
  elementType?: string;
  attribute?: string;
}

/** Where a problem is: the element (by id) and optionally its kind and the attribute at fault. */
export interface ProblemSite {
  readonly elementId?: string;
  readonly elementType?: string;
  readonly attribute?: string;
  /** Explicit position, for problems on elements without id. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Formats a problem the way error messages show it:
 * `order.bpmn:12:5 element "Task_1" (serviceTask): <message>`.
 * Parts that are unknown are left out.
 */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
  const element = p.elementId !== undefined ? `element "${p.elementId}"${p.elementType !== undefined ? ` (${p.elementType})` : ''}` : '';
  const head = [where, element].filter((s) => s !== '').join(' ');
  return head === '' ? p.message : `${head}: ${p.message}`;
}

/**
 * Collects the problems of one document. Element positions are looked up by id in the
 * pre-pass index.
 */
export class ProblemList {
  readonly #items: Problem[] = [];
  readonly #keys = new Set<string>();
  readonly #file: string | undefined;
  readonly #index: XmlIndex | undefined;

  constructor(file: string | undefined, index?: XmlIndex) {
    this.#file = file;
    this.#index = index;
  }

  /** Records one problem of kind `spec` at `site` (an identical problem is recorded once). */
  add(spec: ErrorSpec, message: string, site: ProblemSite = {}): void {
    const pos = site.elementId !== undefined ? this.#index?.positionOf(site.elementId) : undefined;
    const p: Problem = { code: spec.code, message };
    if (this.#file !== undefined) p.file = this.#file;
    if (site.elementId !== undefined) p.elementId = site.elementId;
    const line = site.line ?? pos?.line;
    const column = site.column ?? pos?.column;
    if (line !== undefined) p.line = line;
    if (column !== undefined) p.column = column;
    if (site.elementType !== undefined) p.elementType = site.elementType;
    if (site.attribute !== undefined) p.attribute = site.attribute;
    const key = JSON.stringify([p.code, p.message, p.elementId, p.line, p.column]);
    if (this.#keys.has(key)) return;
    this.#keys.add(key);
    this.#items.push(p);
  }

  /** Number of problems recorded so far. */
  get size(): number {
    return this.#items.length;
  }

  /** The problems in document order (by line, then column; problems without position first). */
  sorted(): Problem[] {
    return this.#items
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
      .map(({ p }) => p);
  }

  /** Throws the refusal error when any problem was recorded; returns otherwise. */
  throwIfAny(): void {
    if (this.#items.length > 0) throw refusal(this.sorted());
  }
}

const SPEC_BY_CODE: ReadonlyMap<string, ErrorSpec> = new Map(Object.values(ModelErrors).map((s) => [s.code, s]));

/**
 * Builds the refusal error for a non-empty list of problems: code and status of the
 * first problem, message naming its position, `details.problems` listing all of them,
 * and the first problem's `file`, `elementId`, `elementType`, `attribute`, `line`,
 * `column` copied into `details`, plus the `extra` fields (e.g. `bytes`, `maxBytes`).
 * `cause` is kept as the error's `cause`.
 */
export function refusal(problems: readonly Problem[], extra: Record<string, unknown> = {}, cause?: unknown): ProcosError {
  const first = problems[0] ?? { code: ModelErrors.INVALID.code, message: 'invalid BPMN document' };
  const spec = SPEC_BY_CODE.get(first.code) ?? ModelErrors.INVALID;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  const details: Record<string, unknown> = { ...extra, problems: problems.map((p) => Object.freeze({ ...p })) };
  for (const key of ['file', 'elementId', 'elementType', 'attribute', 'line', 'column'] as const) {
    if (first[key] !== undefined) details[key] = first[key];
  }
  return new ProcosError(spec, formatProblem(first) + more, details, cause === undefined ? undefined : { cause });
}
