/**
 * Camunda Modeler against ProcOS: the connection check, the deployment exactly as the
 * Modeler sends it (multipart bytes written out here: boundary, part headers, the BPMN
 * part as text/xml, its form fields), "start instance" as the Modeler sends it, and a
 * parse error the Modeler recognises (ENGINE-09005 prefix, ParseExceptionDto details).
 * Source: camunda-modeler `app/lib/... /CamundaAPI.js` (deployDiagram, startInstance,
 * checkConnection) and Camunda 7 REST "Create Deployment".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Contract } from './contract.js';
import { call, fixture, list, obj, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

const BOUNDARY = '----WebKitFormBoundaryq4KrdTY0c2Qn7jv1';

/** The body Camunda Modeler 5 sends for one diagram (FormData order: name, source, filtering, [tenant], file, attachments). */
function modelerBody(diagramName: string, xml: string, opts: { tenantId?: string; attachments?: { name: string; content: string }[] } = {}): Buffer {
  const crlf = '\r\n';
  let s = '';
  const field = (name: string, value: string): void => {
    s += `--${BOUNDARY}${crlf}Content-Disposition: form-data; name="${name}"${crlf}${crlf}${value}${crlf}`;
  };
  field('deployment-name', 'diagram_1');
  field('deployment-source', 'Camunda Modeler');
  field('enable-duplicate-filtering', 'true');
  if (opts.tenantId !== undefined) field('tenant-id', opts.tenantId);
  s += `--${BOUNDARY}${crlf}Content-Disposition: form-data; name="${diagramName}"; filename="${diagramName}"${crlf}Content-Type: text/xml${crlf}${crlf}${xml}${crlf}`;
  for (const a of opts.attachments ?? []) {
    s += `--${BOUNDARY}${crlf}Content-Disposition: form-data; name="${a.name}"; filename="${a.name}"${crlf}Content-Type: application/octet-stream${crlf}${crlf}${a.content}${crlf}`;
  }
  s += `--${BOUNDARY}--${crlf}`;
  return Buffer.from(s, 'utf8');
}

const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

describe('Camunda Modeler', () => {
  let server: TestServer;
  const contract = new Contract();
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('passes the connection check (GET /deployment?maxResults=0) and reads the version', async () => {
    const check = await call(server, 'GET', '/deployment?maxResults=0');
    assert.equal(check.status, 200);
    assert.equal(check.headers.get('content-type'), 'application/json');
    assert.deepEqual(check.body, []);
    contract.response('GET', '/deployment', check);
    const version = await call(server, 'GET', '/version');
    assert.deepEqual(version.body, { version: '7.22.0' });
    contract.response('GET', '/version', version);
  });

  it('deploys the multipart body byte for byte as the Modeler sends it, then starts an instance as the Modeler does', async () => {
    const xml = await fixture('order.bpmn');
    const deployed = await call(server, 'POST', '/deployment/create', { body: modelerBody('diagram_1.bpmn', xml, { attachments: [{ name: 'form.form', content: '{"components":[]}' }] }), headers: MULTIPART });
    assert.equal(deployed.status, 200, deployed.text);
    contract.response('POST', '/deployment/create', deployed);
    const d = obj(deployed);
    assert.equal(d.name, 'diagram_1');
    assert.equal(d.source, 'Camunda Modeler');
    const defs = Object.values(d.deployedProcessDefinitions as Record<string, Record<string, unknown>>);
    assert.equal(defs.length, 1);
    const def = defs[0]!;
    assert.equal(def.key, 'order');
    assert.equal(def.resource, 'diagram_1.bpmn');
    assert.equal(def.versionTag, '1.0');
    assert.deepEqual((d.links as unknown[])[0], { method: 'GET', href: `${server.url}/deployment/${String(d.id)}`, rel: 'self' });
    // both resources are stored
    assert.deepEqual((await server.store.listResources(String(d.id))).map((r) => r.name).sort(), ['diagram_1.bpmn', 'form.form']);
    // the BPMN comes back unchanged
    const back = await call(server, 'GET', `/process-definition/${String(def.id)}/xml`);
    assert.equal(obj(back).bpmn20Xml, xml);
    contract.response('GET', '/process-definition/{id}/xml', back);

    // "Start instance" (CamundaAPI.startInstance): JSON.stringify({ businessKey, variables })
    const body = JSON.stringify({ businessKey: 'order-1', variables: { amount: { value: '42', type: 'Integer' }, note: { value: 'rush', type: 'String' } } });
    contract.request('POST', '/process-definition/{id}/start', JSON.parse(body));
    const started = await call(server, 'POST', `/process-definition/${String(def.id)}/start`, { body, headers: { 'content-type': 'application/json' } });
    assert.equal(started.status, 200, started.text);
    contract.response('POST', '/process-definition/{id}/start', started);
    const pi = obj(started);
    assert.equal(pi.definitionId, def.id);
    assert.equal(pi.businessKey, 'order-1');
    assert.equal(pi.ended, false);
    const vars = await call(server, 'GET', `/process-instance/${String(pi.id)}/variables`);
    assert.deepEqual(obj(vars).amount, { type: 'Integer', value: 42, valueInfo: {} });
    // without business key and variables (JSON.stringify drops undefined fields)
    const bare = await call(server, 'POST', `/process-definition/${String(def.id)}/start`, { body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(bare.status, 200, bare.text);
    assert.equal(obj(bare).businessKey, null);
  });

  it('redeploys an unchanged diagram without a new version; a changed one becomes version 2', async () => {
    const xml = await fixture('order.bpmn');
    const again = obj(await call(server, 'POST', '/deployment/create', { body: modelerBody('diagram_1.bpmn', xml), headers: MULTIPART }));
    const v1 = Object.values(again.deployedProcessDefinitions as Record<string, Record<string, unknown>>)[0]!;
    assert.equal(v1.version, 1);
    const changed = obj(await call(server, 'POST', '/deployment/create', { body: modelerBody('diagram_1.bpmn', xml.replace('name="Order"', 'name="Order v2"')), headers: MULTIPART }));
    const v2 = Object.values(changed.deployedProcessDefinitions as Record<string, Record<string, unknown>>)[0]!;
    assert.equal(v2.version, 2);
    assert.equal(v2.name, 'Order v2');
    const latest = await call(server, 'GET', '/process-definition/key/order');
    assert.equal(obj(latest).version, 2);
    const all = await call(server, 'GET', '/deployment?sortBy=deploymentTime&sortOrder=desc');
    assert.equal(list(all)[0]!.id, changed.id);
  });

  it('deploys with a tenant id', async () => {
    const xml = (await fixture('flaky.bpmn')).replace('id="flaky"', 'id="tenantFlaky"');
    const d = obj(await call(server, 'POST', '/deployment/create', { body: modelerBody('t.bpmn', xml, { tenantId: 'acme' }), headers: MULTIPART }));
    assert.equal(d.tenantId, 'acme');
    const defs = await call(server, 'GET', '/process-definition?tenantIdIn=acme');
    assert.deepEqual(list(defs).map((x) => x.key), ['tenantFlaky']);
  });

  it('answers a diagram that cannot run with 400 ParseException: ENGINE-09005 prefix, details per resource with line, column and element', async () => {
    const xml = (await fixture('order.bpmn')).replace('camunda:type="external" camunda:topic="reserve"', 'camunda:class="org.example.Reserve"');
    const refused = await call(server, 'POST', '/deployment/create', { body: modelerBody('broken.bpmn', xml), headers: MULTIPART });
    assert.equal(refused.status, 400);
    contract.response('POST', '/deployment/create', refused);
    const e = obj(refused);
    assert.equal(e.type, 'ParseException');
    assert.equal(e.procosCode, 'PROCOS_RUNTIME_DEPLOYMENT_INVALID');
    assert.ok(String(e.message).startsWith('ENGINE-09005 Could not parse BPMN process.'), String(e.message));
    assert.match(String(e.message), /Java/);
    const details = e.details as Record<string, { errors: Record<string, unknown>[]; warnings: unknown[] }>;
    const problem = details['broken.bpmn']!.errors[0]!;
    assert.equal(problem.mainElementId, 'reserve');
    assert.deepEqual(problem.elementIds, ['reserve']);
    assert.equal(problem.line, 5);
    assert.equal(typeof problem.column, 'number');
    assert.deepEqual(details['broken.bpmn']!.warnings, []);
  });

  it('refuses a part without file name and a form without resources, as Camunda does', async () => {
    const noName = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\n\r\n<x/>\r\n--${BOUNDARY}--\r\n`);
    const a = await call(server, 'POST', '/deployment/create', { body: noName, headers: MULTIPART });
    assert.equal(a.status, 400);
    assert.match(String(obj(a).message), /No file name found in the deployment resource described by form parameter 'data'/);
    const none = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`);
    const b = await call(server, 'POST', '/deployment/create', { body: none, headers: MULTIPART });
    assert.equal(b.status, 400);
    assert.match(String(obj(b).message), /No deployment resources contained in the form upload/);
    const json = await call(server, 'POST', '/deployment/create', { json: { resources: [] } });
    assert.equal(json.status, 415);
  });

  it("accepts Node's own FormData (undici) too", async () => {
    const form = new FormData();
    form.append('deployment-name', 'from-node');
    form.append('deploy-changed-only', 'true');
    form.append('nested.bpmn', new Blob([await fixture('nested.bpmn')], { type: 'text/xml' }), 'nested.bpmn');
    const res = await fetch(`${server.url}/deployment/create`, { method: 'POST', body: form });
    assert.equal(res.status, 200);
    const d = (await res.json()) as Record<string, unknown>;
    assert.equal(d.name, 'from-node');
    assert.deepEqual(Object.values(d.deployedProcessDefinitions as Record<string, Record<string, unknown>>).map((x) => x.key), ['nested']);
  });
});
