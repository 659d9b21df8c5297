/**
 * Script tasks: FEEL inline, JavaScript through the runtime.
 * Sources: BPMN 2.0.2 §10.3.3 "Script Task" (the script runs when the task starts; the
 * task completes when the script completes). Camunda 7 docs "Script Task": scriptFormat,
 * camunda:resultVariable ("the return value of the script is assigned to the result
 * variable"); Camunda 8 docs "Script task": `zeebe:script expression="=…" resultVariable`
 * (a FEEL expression whose result is set as the result variable). ProcOS engine contract
 * (src/engine/types.ts): FEEL scripts are evaluated inline by the engine; JavaScript emits
 * `scriptRequested` with the visible variables, the runtime runs it in an isolate and
 * answers `completeScript` (variables it set, its result) or `failScript` (an incident
 * `scriptFailed` a person can retry, Camunda 7 docs "Incidents").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actOf, endVariables, load, ofType } from './driver-ext.js';

describe('FEEL script tasks (Camunda 7 Script Task with scriptFormat feel, Camunda 8 Script task)', () => {
  it('Camunda: scriptFormat="feel" is evaluated inline and its result set as camunda:resultVariable', async () => {
    const d = await load('scripts.bpmn', 'ScriptFeel');
    const effects = d.start({ a: 2, b: 3 });
    assert.equal(d.variables['sum'], 5);
    assert.deepEqual(ofType(effects, 'scriptRequested'), [], 'FEEL needs no runtime round trip');
    assert.ok(d.passed.includes('sum'));
    assert.deepEqual(d.waitingAt(), ['after']);
    await d.assertDeterministic();
  });

  it('Zeebe: zeebe:script expression with resultVariable', async () => {
    const d = await load('zeebe-scripts.bpmn', 'ZeebeScript');
    d.start({ price: 2.5, quantity: 4 });
    assert.equal(d.status, 'completed');
    assert.equal(endVariables(d)['total'], 10);
    assert.deepEqual(d.passed, ['start', 'product', 'end']);
    await d.assertDeterministic();
  });
});

describe('JavaScript script tasks (Camunda 7 Script Task; ProcOS engine contract)', () => {
  const ITEMS = [{ price: 2 }, { price: 3 }];

  it('emits scriptRequested with the script and the visible variables, and waits', async () => {
    const d = await load('scripts.bpmn', 'ScriptJs');
    const effects = d.start({ items: ITEMS });
    const [req] = ofType(effects, 'scriptRequested');
    assert.ok(req);
    assert.equal(req.elementId, 'js_total');
    assert.equal(req.language, 'javascript');
    assert.equal(req.script, 'items.reduce((a, i) => a + i.price, 0)');
    assert.deepEqual(req.variables, { items: ITEMS });
    assert.equal(req.activityInstanceId, actOf(d, 'js_total').id);
    assert.deepEqual(d.waitingAt(), ['js_total']);
    await d.assertDeterministic();
  });

  it('completeScript sets the result variable and the variables the script set, then the task completes', async () => {
    const d = await load('scripts.bpmn', 'ScriptJs');
    d.start({ items: ITEMS });
    d.send({ type: 'completeScript', activityInstanceId: actOf(d, 'js_total').id, result: 5, variables: { checked: true } });
    assert.equal(d.variables['total'], 5);
    assert.equal(d.variables['checked'], true);
    assert.deepEqual(d.waitingAt(), ['js_after']);
    assert.ok(d.passed.includes('js_total'));
    await d.assertDeterministic();
  });

  it('failScript raises a scriptFailed incident; retrying requests the script again', async () => {
    const d = await load('scripts.bpmn', 'ScriptJs');
    d.start({ items: ITEMS });
    d.send({ type: 'failScript', activityInstanceId: actOf(d, 'js_total').id, message: 'ReferenceError: itemz is not defined' });
    assert.deepEqual(
      d.openIncidents.map((i) => [i.elementId, i.incidentType]),
      [['js_total', 'scriptFailed']],
    );
    assert.match(d.openIncidents[0]?.message ?? '', /itemz is not defined/);
    assert.equal(d.status, 'active');
    const effects = d.retryIncident('js_total');
    assert.equal(ofType(effects, 'scriptRequested').length, 1, 'the retry asks the runtime to run the script again');
    assert.deepEqual(d.openIncidents, []);
    d.send({ type: 'completeScript', activityInstanceId: actOf(d, 'js_total').id, result: 5 });
    assert.equal(d.variables['total'], 5);
    assert.deepEqual(d.waitingAt(), ['js_after']);
    await d.assertDeterministic();
  });
});
