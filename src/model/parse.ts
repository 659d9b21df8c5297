/**
 * Reading a guarded BPMN document into the moddle object tree.
 *
 * bpmn-moddle (v10) with the Camunda 7 (`camunda-bpmn-moddle`) and Camunda 8
 * (`zeebe-bpmn-moddle`) descriptors. Both descriptors define `TemplateSupported`
 * (`modelerTemplate`, `modelerTemplateVersion` on every flow element), which moddle
 * refuses as a duplicate property; the Zeebe copy is dropped, so `zeebe:modelerTemplate`
 * becomes an unknown (ignored) attribute. The Activiti namespace
 * (`http://activiti.org/bpmn`) is read as Camunda's, as Camunda 7 itself does.
 *
 * Moddle reports unknown content and unresolved references as warnings; they are
 * returned classified so the compiler can turn the ones inside executable processes
 * into problems.
 */
import { BpmnModdle, type ModdleWarning } from 'bpmn-moddle';
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { isElement, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { refusal, type Problem } from './problems.js';
import type { XmlIndex } from './xml-guard.js';

/** Camunda 7 extension namespace. */
export const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';

/** Content moddle could not map to its model (an unknown element, or a malformed known one). */
export interface UnparsableContent {
  /** Qualified name as written, e.g. `bpmn:fooTask`. */
  readonly name: string;
  /** Why, as moddle says it (`unknown type <bpmn:FooTask>`). */
  readonly reason: string;
  /** 1-based position of the start tag. */
  readonly line: number;
  readonly column: number;
}

/** A read document. */
export interface ParsedDocument {
  /** The `bpmn:Definitions` root. */
  readonly definitions: MElement;
  /**
   * The raw id of a reference that resolved to nothing, e.g. `unresolved(flow, 'targetRef')`.
   * `property` is the local name (no prefix).
   */
  unresolved(el: MElement, property: string): string | undefined;
  /** The element with this `id` anywhere in the document, or undefined. */
  byId(id: string): MElement | undefined;
  /** Unknown or malformed content, in document order. */
  readonly unparsable: readonly UnparsableContent[];
}

let moddle: BpmnModdle | undefined;

function getModdle(): BpmnModdle {
  moddle ??= new BpmnModdle({
    camunda: camundaDescriptor,
    zeebe: { ...zeebeDescriptor, types: zeebeDescriptor.types.filter((t) => t.name !== 'TemplateSupported') },
  });
  return moddle;
}

const ACTIVITI_DECL = /(\sxmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*)(["'])http:\/\/activiti\.org\/bpmn\2/g;

/**
 * Reads the guarded text with moddle.
 * @throws ProcosError `PROCOS_MODEL_INVALID` when moddle cannot read the root
 *   (the pre-pass has already checked that it is a BPMN `definitions` element).
 */
export async function parseBpmn(index: XmlIndex, file: string | undefined): Promise<ParsedDocument> {
  const text = index.declaresActivitiNamespace ? index.text.replace(ACTIVITI_DECL, `$1$2${CAMUNDA_NS}$2`) : index.text;
  let result;
  try {
    result = await getModdle().fromXML(text);
  } catch (e) {
    const p: Problem = { code: ModelErrors.INVALID.code, message: `BPMN document could not be read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    if (file !== undefined) p.file = file;
    throw refusal([p], {}, e);
  }
  const root = result.rootElement;
  if (!isElement(root) || root.$type !== 'bpmn:Definitions') {
    const p: Problem = { code: ModelErrors.INVALID.code, message: 'BPMN document has no definitions element' };
    if (file !== undefined) p.file = file;
    throw refusal([p]);
  }
  const refs = new Map<MElement, Map<string, string>>();
  const unparsable: UnparsableContent[] = [];
  for (const w of result.warnings) classify(w, refs, unparsable);
  const byId = result.elementsById;
  return {
    definitions: root,
    unresolved: (el, property) => refs.get(el)?.get(property),
    byId: (id) => {
      const el = Object.hasOwn(byId, id) ? byId[id] : undefined;
      return isElement(el) ? el : undefined;
    },
    unparsable,
  };
}

const UNPARSABLE = /^unparsable content <([^>]+)> detected\s+line: (\d+)\s+column: (\d+)(?:\s+nested error: (.*))?/s;

function classify(w: ModdleWarning, refs: Map<MElement, Map<string, string>>, unparsable: UnparsableContent[]): void {
  if (w.message.startsWith('unresolved reference') && isElement(w.element) && typeof w.property === 'string') {
    const prop = w.property.slice(w.property.indexOf(':') + 1);
    let m = refs.get(w.element);
    if (m === undefined) refs.set(w.element, (m = new Map()));
    if (!m.has(prop)) m.set(prop, typeof w.value === 'string' ? w.value : String(w.value));
    return;
  }
  const u = UNPARSABLE.exec(w.message);
  if (u !== null) {
    // moddle counts lines and columns from 0
    unparsable.push({ name: u[1] ?? '?', line: Number(u[2]) + 1, column: Number(u[3]) + 1, reason: (u[4] ?? 'unknown content').split('\n')[0] ?? '' });
  }
}
