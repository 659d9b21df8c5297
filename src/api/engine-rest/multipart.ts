/**
 * A small, strict reader of `multipart/form-data` bodies (RFC 7578), enough for
 * `POST /deployment/create` as Camunda Modeler, browsers (FormData) and the `form-data`
 * package send it: a boundary, parts with `Content-Disposition: form-data; name=…;
 * filename=…` and an optional `Content-Type`, CRLF line ends. The body is buffered
 * (bounded by the route's body limit) and parsed in one pass.
 */
import { ProcosError } from '../../common/errors.js';
import { ApiErrors } from '../errors.js';

/** One part of a multipart body. */
export interface FormPart {
  /** The form field name. */
  readonly name: string;
  /** The file name, for file parts; null for plain fields. */
  readonly filename: string | null;
  /** The part's Content-Type, when given. */
  readonly contentType: string | null;
  /** The raw bytes. */
  readonly content: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function malformed(why: string): ProcosError {
  return new ProcosError(ApiErrors.INVALID_REQUEST, `The multipart/form-data body is malformed: ${why}`, { field: 'body' });
}

/** The `boundary` parameter of a multipart Content-Type header. */
export function boundaryOf(contentType: string | undefined): string {
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  const b = m?.[1] ?? m?.[2];
  if (b === undefined || b.length > 200) throw malformed('the Content-Type header has no boundary parameter');
  return b;
}

/** Parameters of a header value like `form-data; name="a"; filename="b.bpmn"` (lower-case keys). */
function headerParams(value: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const key = m[1]!.toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
    if (key.endsWith('*')) {
      // RFC 8187 ext-value: charset'lang'percent-encoded
      const ext = /^([^']*)'[^']*'(.*)$/.exec(raw);
      if (ext !== null) {
        try {
          out.set(key.slice(0, -1), decodeURIComponent(ext[2]!));
          continue;
        } catch {
          throw malformed(`bad ${key} parameter`);
        }
      }
    }
    if (!out.has(key)) out.set(key, raw);
  }
  return out;
}

/**
 * Splits a multipart body into its parts.
 * @throws PROCOS_API_INVALID_REQUEST when the body does not follow RFC 7578 framing.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0 || (pos > 0 && !body.subarray(pos - 2, pos).equals(CRLF))) throw malformed('the boundary does not occur in the body');
  const parts: FormPart[] = [];
  const next = Buffer.concat([CRLF, delimiter]);
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw malformed('a boundary line is not followed by CRLF');
    pos += 2;
    const headerEnd = body.indexOf(HEADER_END, pos);
    const emptyHeaders = body.subarray(pos, pos + 2).equals(CRLF);
    if (headerEnd < 0 && !emptyHeaders) throw malformed('a part has no end of headers');
    const headerText = emptyHeaders ? '' : body.subarray(pos, headerEnd).toString('utf8');
    const contentStart = emptyHeaders ? pos + 2 : headerEnd + 4;
    const contentEnd = body.indexOf(next, contentStart);
    if (contentEnd < 0) throw malformed('a part is not closed by the boundary (missing final boundary?)');
    const headers = new Map<string, string>();
    for (const line of headerText.split(/\r\n(?![ \t])/)) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`bad part header line "${line.slice(0, 80)}"`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).replace(/\r\n[ \t]+/g, ' ').trim());
    }
    const disposition = headers.get('content-disposition');
    if (disposition === undefined || !/^form-data\b/i.test(disposition)) throw malformed('a part has no "Content-Disposition: form-data" header');
    const params = headerParams(disposition);
    const name = params.get('name');
    if (name === undefined) throw malformed('a part has no name');
    parts.push({ name, filename: params.get('filename') ?? null, contentType: headers.get('content-type') ?? null, content: body.subarray(contentStart, contentEnd) });
    pos = contentEnd + 2;
  }
}
