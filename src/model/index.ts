/**
 * The model layer: BPMN 2.0 XML → compiled, immutable {@link ProcessModel}s.
 *
 * @example
 * ```ts
 * const [model] = await compileBpmn(xml, { file: 'order.bpmn' });
 * model.nodes.get(model.startEventId);
 * ```
 */
import { isProcosError } from '../common/errors.js';
import { ModelErrors } from './errors.js';
import { compileProcess } from './compile.js';
import { bool, children, type MElement } from './element.js';
import { parseBpmn } from './parse.js';
import { ProblemList, refusal, type Problem } from './problems.js';
import type { ProcessModel } from './types.js';
import { DEFAULT_MAX_BYTES, guardXml } from './xml-guard.js';

export * from './types.js';
export { ModelErrors } from './errors.js';
export { formatProblem, type Problem } from './problems.js';
export { DEFAULT_MAX_BYTES } from './xml-guard.js';

/** Options of {@link compileBpmn}. */
export interface CompileOptions {
  /** File name used in problem messages and `details.file` (e.g. `order.bpmn`). */
  file?: string;
  /** Size limit of the document in bytes (UTF-8 length for strings). @default 10 MiB ({@link DEFAULT_MAX_BYTES}) */
  maxBytes?: number;
}

/**
 * Parses and compiles every executable process (`isExecutable="true"`) of one BPMN
 * document. Non-executable processes are skipped; collaborations, lanes, artifacts and
 * DI are ignored.
 *
 * Input: the document as text, or as bytes (decoded by BOM, else the XML declaration's
 * encoding, else UTF-8).
 *
 * @returns one {@link ProcessModel} per executable process, in document order; each is
 *   frozen (nodes, flows, arrays) and its Maps are read-only by type.
 * @throws ProcosError when the document is refused. `code` is the first problem's code
 *   (one of {@link ModelErrors}: `PROCOS_MODEL_TOO_LARGE`, `…_DOCTYPE_FORBIDDEN`,
 *   `…_NOT_WELL_FORMED`, `…_NO_EXECUTABLE_PROCESS`, `…_FLOW_REF_MISSING`,
 *   `…_UNSUPPORTED_ELEMENT`, `…_JAVA_IMPLEMENTATION`, `…_INVALID`); `message` names the
 *   file, line:column, element id and kind where known
 *   (`order.bpmn:12:5 element "Task_1" (serviceTask): camunda:class="…" is Java-only; …`);
 *   `details.problems` lists every problem found ({@link Problem}[]), and `details` also
 *   carries the first problem's `file`, `elementId`, `elementType`, `attribute`, `line`,
 *   `column` (and `bytes`, `maxBytes` for TOO_LARGE). No other error escapes.
 */
export async function compileBpmn(xml: string | Uint8Array, options: CompileOptions = {}): Promise<ProcessModel[]> {
  const { file } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw refusal([withFile({ code: ModelErrors.INVALID.code, message: `options.maxBytes must be a positive integer, got ${String(options.maxBytes)}` }, file)]);
  }
  if (typeof xml !== 'string' && !(xml instanceof Uint8Array)) {
    throw refusal([withFile({ code: ModelErrors.NOT_WELL_FORMED.code, message: 'the document must be a string or a Uint8Array' }, file)]);
  }
  try {
    const index = guardXml(xml, { ...(file !== undefined ? { file } : {}), maxBytes });
    const doc = await parseBpmn(index, file);
    const problems = new ProblemList(file, index);
    const executable = children(doc.definitions, 'rootElements').filter((el: MElement) => el.$type === 'bpmn:Process' && bool(el, 'isExecutable') === true);
    if (executable.length === 0) {
      problems.add(ModelErrors.NO_EXECUTABLE_PROCESS, 'no process has isExecutable="true"; nothing to run');
      problems.throwIfAny();
    }
    const models: ProcessModel[] = [];
    for (const proc of executable) {
      const model = compileProcess(proc, { doc, index, problems });
      if (model !== undefined) models.push(model);
    }
    problems.throwIfAny();
    return models;
  } catch (e) {
    if (isProcosError(e)) throw e;
    // Anything else is a bug or a parser failure: still a coded refusal, with the cause kept.
    throw refusal([withFile({ code: ModelErrors.INVALID.code, message: `the document could not be compiled: ${e instanceof Error ? e.message : String(e)}` }, file)], {}, e);
  }
}

function withFile(p: Problem, file: string | undefined): Problem {
  return file === undefined ? p : { ...p, file };
}
