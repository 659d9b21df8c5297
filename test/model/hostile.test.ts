/**
 * Hostile and broken input: the pre-pass refuses it before moddle sees it, with a code,
 * a position and the file name, and nothing else escapes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBpmn, ModelErrors } from '../../src/model/index.js';
import { bpmn, compileOne, refused } from './helpers.js';

const DEFS_OPEN =
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="urn:t">';
const SIMPLE = bpmn(`    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />
    <bpmn:endEvent id="e" />`);

describe('DOCTYPE and entities', () => {
  it('refuses XXE (external entity) before resolving anything', async () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
${DEFS_OPEN}<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&e;</bpmn:documentation></bpmn:process></bpmn:definitions>`;
    const { error, problems } = await refused(xml, ModelErrors.DOCTYPE_FORBIDDEN.code, { file: 'xxe.bpmn' });
    assert.match(error.message, /^xxe\.bpmn:2:1: DOCTYPE/);
    assert.doesNotMatch(error.message, /root:/);
    assert.equal(problems[0]?.line, 2);
    assert.equal(problems[0]?.column, 1);
    assert.equal(error.status, 400);
  });

  it('refuses a billion-laughs document quickly', async () => {
    const lols = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('\n  ');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n  ${lols}\n]>\n${DEFS_OPEN}<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&lol9;</bpmn:documentation></bpmn:process></bpmn:definitions>`;
    const started = performance.now();
    const { error } = await refused(xml, ModelErrors.DOCTYPE_FORBIDDEN.code, { file: 'lol.bpmn' });
    assert.ok(performance.now() - started < 1000);
    assert.match(error.message, /^lol\.bpmn:2:1:/);
  });

  it('refuses a DOCTYPE without entities', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE definitions>\n${SIMPLE.slice(SIMPLE.indexOf('<bpmn:definitions'))}`;
    const { problems } = await refused(xml, ModelErrors.DOCTYPE_FORBIDDEN.code);
    assert.equal(problems[0]?.line, 2);
  });

  it('refuses an ENTITY declaration outside a DOCTYPE as forbidden, not only malformed', async () => {
    const xml = `<?xml version="1.0"?>\n${DEFS_OPEN}\n<!ENTITY e "x">\n</bpmn:definitions>`;
    await refused(xml, ModelErrors.DOCTYPE_FORBIDDEN.code);
  });
});

describe('size limit', () => {
  it('refuses an 11 MiB document quickly, as string and as bytes', async () => {
    const pad = `<!-- ${'x'.repeat(11 * 1024 * 1024)} -->`;
    const xml = SIMPLE.replace('<bpmn:process', `${pad}\n  <bpmn:process`);
    let started = performance.now();
    const { error } = await refused(xml, ModelErrors.TOO_LARGE.code, { file: 'big.bpmn' });
    assert.ok(performance.now() - started < 500, 'string refused quickly');
    assert.equal(error.status, 413);
    assert.equal(error.details['maxBytes'], 10 * 1024 * 1024);
    assert.ok((error.details['bytes'] as number) > 11 * 1024 * 1024);
    assert.match(error.message, /^big\.bpmn: document is \d+ bytes, over the limit of 10485760 bytes/);
    const bytes = new TextEncoder().encode(xml);
    started = performance.now();
    const fromBytes = await refused(bytes, ModelErrors.TOO_LARGE.code);
    assert.ok(performance.now() - started < 500, 'bytes refused quickly');
    assert.equal(fromBytes.error.details['bytes'], bytes.byteLength);
  });

  it('honours a smaller maxBytes, counting UTF-8 bytes', async () => {
    const xml = SIMPLE.replace('id="s"', 'id="s" name="ééééé"');
    const bytes = new TextEncoder().encode(xml).byteLength;
    const { error } = await refused(xml, ModelErrors.TOO_LARGE.code, { maxBytes: bytes - 1 });
    assert.equal(error.details['bytes'], bytes);
    assert.equal(error.details['maxBytes'], bytes - 1);
    await compileOne(xml, { maxBytes: bytes });
  });

  it('refuses a nonsensical maxBytes option', async () => {
    await refused(SIMPLE, ModelErrors.INVALID.code, { maxBytes: -1 });
  });
});

describe('not well formed', () => {
  it('reports truncated XML with line and column', async () => {
    const cut = SIMPLE.slice(0, SIMPLE.indexOf('<bpmn:endEvent') + 8);
    const { error, problems } = await refused(cut, ModelErrors.NOT_WELL_FORMED.code, { file: 'cut.bpmn' });
    const lines = cut.split('\n');
    assert.equal(problems[0]?.line, lines.length);
    assert.ok((problems[0]?.column ?? 0) > 0);
    assert.match(error.message, new RegExp(`^cut\\.bpmn:${lines.length}:\\d+: XML is not well formed`));
  });

  it('reports a mismatched close tag at its line', async () => {
    const xml = SIMPLE.replace('<bpmn:endEvent id="e" />', '<bpmn:endEvent id="e">\n</bpmn:startEvent>');
    const { problems } = await refused(xml, ModelErrors.NOT_WELL_FORMED.code);
    assert.equal(problems[0]?.line, xml.split('\n').findIndex((l) => l.includes('</bpmn:startEvent>')) + 1);
  });

  it('refuses empty input, text, and an unbound prefix', async () => {
    await refused('', ModelErrors.NOT_WELL_FORMED.code);
    await refused('hello', ModelErrors.NOT_WELL_FORMED.code);
    await refused(SIMPLE.replace('<bpmn:endEvent id="e" />', '<foo:endEvent id="e" />'), ModelErrors.NOT_WELL_FORMED.code);
  });

  it('refuses bytes that are not valid UTF-8', async () => {
    const bytes = new TextEncoder().encode(SIMPLE);
    const bad = new Uint8Array([...bytes.subarray(0, 60), 0xff, 0xfe, 0xc3, ...bytes.subarray(60)]);
    const { error } = await refused(bad, ModelErrors.NOT_WELL_FORMED.code);
    assert.match(error.message, /not valid utf-8/);
  });

  it('decodes bytes in the declared encoding (ISO-8859-1)', async () => {
    const xml = SIMPLE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('id="s"', 'id="s" name="Début"');
    const latin1 = Uint8Array.from(xml, (c) => c.charCodeAt(0));
    const m = await compileOne(latin1);
    assert.equal(m.nodes.get('s')?.name, 'Début');
  });

  it('refuses a well-formed document that is not BPMN', async () => {
    const { error } = await refused('<?xml version="1.0"?>\n<root xmlns="urn:x"/>', ModelErrors.INVALID.code, { file: 'x.xml' });
    assert.match(error.message, /^x\.xml:2:1: not a BPMN 2\.0 document: the root element is <root> in namespace urn:x/);
  });

  it('never lets anything but a ProcosError escape', async () => {
    const inputs: unknown[] = [null, 42, {}, '<', '<a', '<?xml?>', '\u0000', new Uint8Array([0, 1, 2])];
    for (const input of inputs) {
      await assert.rejects(compileBpmn(input as string), (e: unknown) => e instanceof Error && e.name === 'ProcosError');
    }
  });
});
