/**
 * The XML pre-pass: everything that must happen before bpmn-moddle sees the text.
 *
 * 1. Size check on the byte length → `PROCOS_MODEL_TOO_LARGE` (details `bytes`, `maxBytes`).
 * 2. Decoding (bytes only): BOM, else the XML declaration's `encoding`, else UTF-8; invalid
 *    bytes → `PROCOS_MODEL_NOT_WELL_FORMED`.
 * 3. A streaming, non-validating parse with `saxes` that refuses any DOCTYPE
 *    (`PROCOS_MODEL_DOCTYPE_FORBIDDEN`): entity declarations, entity expansion ("billion
 *    laughs") and external entities (XXE) are therefore impossible; moddle never sees such
 *    a document.
 * 4. Well-formedness (including namespace well-formedness) → `PROCOS_MODEL_NOT_WELL_FORMED`
 *    with line and column.
 * 5. An index of element start positions (1-based line/column of the `<`), by `id` and
 *    by offset, so problems can name positions (moddle keeps none).
 * 6. The root must be BPMN 2.0 `definitions` → otherwise `PROCOS_MODEL_INVALID`.
 * 7. Whitespace around `=` in attributes (`source ="x"`, allowed by XML 1.0 §3.1 [25] Eq)
 *    is moved after the value, because bpmn-moddle's parser refuses it; each tag keeps its
 *    length, so every element keeps its position.
 *
 * Source: XML 1.0 §2.8 (document type declaration), §4 (entities); BPMN 2.0.2 §8.2
 * (definitions, namespace `http://www.omg.org/spec/BPMN/20100524/MODEL`).
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ModelErrors } from './errors.js';
import { refusal, type Problem } from './problems.js';
import type { ErrorSpec } from '../common/errors.js';

/** The BPMN 2.0 model namespace. */
export const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
/** The namespace of BPMN 2.0 beta drafts, refused with a message that says so. */
export const BPMN_PREFINAL_NS = 'http://schema.omg.org/spec/BPMN/2.0';
/** The Activiti extension namespace, which Camunda 7 accepts as an alias of its own. */
export const ACTIVITI_NS = 'http://activiti.org/bpmn';

/** Default for {@link GuardOptions.maxBytes}: 10 MiB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** 1-based position of an element's start tag (`<`). `column` counts UTF-16 code units. */
export interface ElementPosition {
  readonly line: number;
  readonly column: number;
}

/** What the pre-pass knows about one element start tag. */
export interface ElementStart extends ElementPosition {
  /** Qualified name as written (`bpmn:serviceTask`). */
  readonly name: string;
  /** The element's own `id`, or the nearest ancestor's. */
  readonly nearestId?: string;
  /** The `id` of the enclosing BPMN `process` element, if any. */
  readonly processId?: string;
}

/** The result of the pre-pass. */
export interface XmlIndex {
  /** The decoded document text (BOM removed). */
  readonly text: string;
  /** Position of the first element carrying this `id`. */
  positionOf(id: string): ElementPosition | undefined;
  /** The element whose start tag is at, or last before, the given 1-based position. */
  elementAt(line: number, column: number): ElementStart | undefined;
  /** Ids carried by more than one element. */
  readonly duplicateIds: ReadonlySet<string>;
  /** Whether a namespace declaration binds {@link ACTIVITI_NS}. */
  readonly declaresActivitiNamespace: boolean;
}

/** Options of {@link guardXml}. */
export interface GuardOptions {
  /** File name used in messages. */
  readonly file?: string;
  /** Size limit in bytes (UTF-8 length for strings). */
  readonly maxBytes: number;
}

/** Internal: stops the saxes parse from inside an event handler. */
class Stop extends Error {
  constructor(
    readonly spec: ErrorSpec,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/**
 * Runs the pre-pass on one document.
 * @throws ProcosError `PROCOS_MODEL_TOO_LARGE`, `PROCOS_MODEL_NOT_WELL_FORMED`,
 *   `PROCOS_MODEL_DOCTYPE_FORBIDDEN`, `PROCOS_MODEL_INVALID` (not a BPMN 2.0 document).
 */
export function guardXml(input: string | Uint8Array, options: GuardOptions): XmlIndex {
  const bytes = typeof input === 'string' ? utf8Length(input, options.maxBytes) : input.byteLength;
  if (bytes > options.maxBytes) {
    throw refusal([problem(ModelErrors.TOO_LARGE, `document is ${bytes} bytes, over the limit of ${options.maxBytes} bytes`, options.file)], {
      bytes,
      maxBytes: options.maxBytes,
    });
  }
  let text = typeof input === 'string' ? input : decode(input, options.file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return scan(text, options.file);
}

/** UTF-8 byte length of `s`; stops counting once past `limit` (the exact value then does not matter). */
function utf8Length(s: string, limit: number): number {
  if (s.length > limit) return s.length; // every UTF-16 unit is at least one UTF-8 byte
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Decodes bytes: BOM first, then the XML declaration's encoding label, else UTF-8. Fatal on bad bytes. */
function decode(bytes: Uint8Array, file: string | undefined): string {
  let label = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    const head = String.fromCharCode(...bytes.subarray(0, 200));
    const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
    if (declared?.[1] !== undefined) label = declared[1];
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch (e) {
    throw refusal([problem(ModelErrors.NOT_WELL_FORMED, `unsupported document encoding "${label}"`, file)], {}, e);
  }
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw refusal([problem(ModelErrors.NOT_WELL_FORMED, `document is not valid ${decoder.encoding}`, file)], {}, e);
  }
}

function problem(spec: ErrorSpec, message: string, file: string | undefined, pos?: ElementPosition): Problem {
  const p: Problem = { code: spec.code, message };
  if (file !== undefined) p.file = file;
  if (pos !== undefined) {
    p.line = pos.line;
    p.column = pos.column;
  }
  return p;
}

/** Offsets of line starts; `\r\n`, `\r` and `\n` end a line, as in saxes. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Index of the last element of sorted `values` that is <= `x`, or -1. */
function floorIndex(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? Infinity) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

interface Frame {
  readonly nearestId: string | undefined;
  readonly processId: string | undefined;
}

function scan(text: string, file: string | undefined): XmlIndex {
  const lines = lineStarts(text);
  const toPos = (offset: number): ElementPosition => {
    const i = Math.max(0, floorIndex(lines, offset));
    return { line: i + 1, column: offset - (lines[i] ?? 0) + 1 };
  };
  const offsets: number[] = [];
  const starts: ElementStart[] = [];
  const byId = new Map<string, ElementPosition>();
  const duplicateIds = new Set<string>();
  const stack: Frame[] = [];
  let declaresActivitiNamespace = false;
  let rootChecked = false;
  let tagOffset = 0;
  /** Start tags with whitespace around an attribute's `=`: [start, end) offsets. */
  const loose: [number, number][] = [];

  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('doctype', () => {
    throw new Stop(ModelErrors.DOCTYPE_FORBIDDEN, 'DOCTYPE declarations are not allowed (no DTDs, no entities)', text.lastIndexOf('<!DOCTYPE', parser.position));
  });
  parser.on('error', (err) => {
    throw new Stop(ModelErrors.NOT_WELL_FORMED, `XML is not well formed: ${err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`);
  });
  parser.on('opentagstart', () => {
    // the `<` of this tag is the last one before the parser's position (a name has none)
    let i = Math.min(parser.position, text.length) - 1;
    while (i > 0 && text.charCodeAt(i) !== 0x3c) i--;
    tagOffset = Math.max(0, i);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const idAttr = tag.attributes['id'];
    const id = idAttr !== undefined && idAttr.uri === '' ? idAttr.value : undefined;
    const pos = toPos(tagOffset);
    const parent = stack[stack.length - 1];
    if (!rootChecked) {
      rootChecked = true;
      checkRoot(tag, tagOffset);
    }
    for (const a of Object.values(tag.attributes)) {
      if ((a.name === 'xmlns' || a.prefix === 'xmlns') && a.value === ACTIVITI_NS) declaresActivitiNamespace = true;
    }
    if (id !== undefined) {
      if (byId.has(id)) duplicateIds.add(id);
      else byId.set(id, pos);
    }
    const processId = tag.uri === BPMN_MODEL_NS && tag.local === 'process' ? id : parent?.processId;
    const frame: Frame = { nearestId: id ?? parent?.nearestId, processId };
    const start: ElementStart = { ...pos, name: tag.name, ...(frame.nearestId !== undefined ? { nearestId: frame.nearestId } : {}), ...(processId !== undefined ? { processId } : {}) };
    offsets.push(tagOffset);
    starts.push(start);
    stack.push(frame);
    const end = Math.min(parser.position, text.length);
    if (LOOSE_EQ.test(text.slice(tagOffset, end))) loose.push([tagOffset, end]);
  });
  parser.on('closetag', () => {
    stack.pop();
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (!(e instanceof Stop)) throw refusal([problem(ModelErrors.NOT_WELL_FORMED, 'XML could not be read', file)], {}, e);
    let spec = e.spec;
    let message = e.message;
    if (spec === ModelErrors.NOT_WELL_FORMED && /<!(?:DOCTYPE|ENTITY)/.test(text)) {
      spec = ModelErrors.DOCTYPE_FORBIDDEN;
      message = 'DOCTYPE and ENTITY declarations are not allowed';
    }
    const pos = e.offset !== undefined && e.offset >= 0 ? toPos(e.offset) : { line: parser.line, column: parser.column };
    throw refusal([problem(spec, message, file, pos)]);
  }

  return {
    text: tightenAll(text, loose),
    positionOf: (id) => byId.get(id),
    elementAt: (line, column) => {
      const lineStart = lines[line - 1];
      if (lineStart === undefined) return undefined;
      const i = floorIndex(offsets, lineStart + column - 1);
      return i >= 0 ? starts[i] : undefined;
    },
    duplicateIds,
    declaresActivitiNamespace,
  };
}

const LOOSE_EQ = /\s=|=\s/;
const ATTRIBUTE = /([^\s=<>"'/]+)(\s*)=(\s*)("[^"]*"|'[^']*')/g;

/** Rewrites the given start tags with {@link tightenAttributes}. */
function tightenAll(text: string, spans: readonly (readonly [number, number])[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + tightenAttributes(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `<a x = "1">` → `<a x="1"  >`: the whitespace around each attribute's `=` moves after
 * its value, so the tag keeps its length. The tag is well formed (saxes read it), so every
 * attribute matches from its name and no match starts inside a value.
 */
export function tightenAttributes(tag: string): string {
  return tag.replace(ATTRIBUTE, (_m: string, name: string, before: string, after: string, value: string) => `${name}=${value}${before}${after}`);
}

/** The root element must be `definitions` in the BPMN 2.0 model namespace. */
function checkRoot(tag: SaxesTagNS, offset: number): void {
  if (tag.local === 'definitions' && tag.uri === BPMN_MODEL_NS) return;
  const message =
    tag.uri === BPMN_PREFINAL_NS
      ? `the namespace ${BPMN_PREFINAL_NS} is from a pre-final BPMN 2.0 draft and is not supported; use ${BPMN_MODEL_NS}`
      : `not a BPMN 2.0 document: the root element is <${tag.name}>${tag.uri !== '' ? ` in namespace ${tag.uri}` : ''}; expected <definitions> in ${BPMN_MODEL_NS}`;
  throw new Stop(ModelErrors.INVALID, message, offset);
}
