/**
 * Escalation events.
 * Sources: BPMN 2.0.2 §10.5 (Escalation event definition), §13.4.2 and §13.4.6 (an escalation is thrown to
 * the enclosing scopes and caught by the innermost matching boundary or event subprocess
 * start event; an intermediate escalation throw event continues its path), §13.4.3
 * (interrupting vs non-interrupting boundary events), §13.4.4 (event subprocesses).
 * Camunda 7 docs "Escalation Events": "an escalation … does not have to be handled … In
 * contrast to an error, an escalation is not critical and the execution continues at the
 * location of throwing"; "Escalation Boundary Event … interrupting or non-interrupting …
 * catches escalations thrown in the scope (subprocess) it is attached to";
 * camunda:escalationCodeVariable receives the code; "Escalation Start Event (event
 * subprocess)"; "if no catching event is found, nothing happens". Camunda 8 docs
 * "Escalation events": "If no catch event is found, the escalation is not caught … the
 * process instance continues (no incident)".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load, topics, visibleVariables } from './driver-ext.js';

const FILE = 'escalation.bpmn';

describe('escalation events (BPMN 2.0.2 §13.4, Camunda 7 Escalation Events)', () => {
  it('an intermediate throw caught by a non-interrupting boundary on the enclosing subprocess: the thrower continues', async () => {
    const d = await load(FILE, 'EscalationNonInterrupting');
    d.start();
    assert.ok(d.passed.includes('throwLate'));
    assert.ok(d.passed.includes('onLate'));
    assert.deepEqual(d.waitingAt(), ['inner', 'notify'], 'the boundary path runs and the thrower goes on to inner');
    assert.ok(d.liveElements().includes('sub'), 'non-interrupting: the subprocess is not cancelled');
    assert.deepEqual(d.canceled, []);
    assert.equal(visibleVariables(d, 'notify')['escCode'], 'LATE', 'camunda:escalationCodeVariable');
    d.completeTask('notify');
    d.completeTask('inner');
    assert.deepEqual(d.waitingAt(), ['after'], 'the subprocess completes normally');
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('an escalation end event caught by an interrupting boundary cancels the subprocess with its other tokens', async () => {
    const d = await load(FILE, 'EscalationInterrupting');
    d.start();
    assert.deepEqual(d.waitingAt(), ['ei_check', 'ei_other']);
    d.completeTask('ei_check');
    assert.ok(d.passed.includes('ei_onCrit'));
    assert.deepEqual(d.canceled.filter((el) => el !== 'ei_endCrit').sort(), ['ei_other', 'ei_sub']);
    assert.deepEqual(d.waitingAt(), ['ei_handle']);
    assert.deepEqual(d.liveElements(), ['ei_handle']);
    assert.deepEqual(topics(d), ['handle']);
    assert.ok(!d.started.includes('ei_after'));
    d.completeTask('ei_handle');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a non-interrupting escalation event subprocess catches it inside the subprocess; the thrower continues', async () => {
    const d = await load(FILE, 'EscalationEventSubprocess');
    d.start();
    assert.deepEqual(d.waitingAt(), ['es_handle', 'es_work']);
    assert.ok(d.passed.includes('es_espStart'));
    assert.deepEqual(d.canceled, []);
    d.completeTask('es_work');
    assert.deepEqual(d.waitingAt(), ['es_handle'], 'the subprocess waits for its running event subprocess');
    assert.ok(!d.passed.includes('es_sub'));
    d.completeTask('es_handle');
    assert.equal(d.status, 'completed');
    assert.ok(d.passed.includes('es_sub'));
    await d.assertDeterministic();
  });

  it('an uncaught escalation changes nothing: no incident, the path continues; an uncaught escalation end event just ends its path', async () => {
    const d = await load(FILE, 'EscalationUncaught');
    d.start();
    assert.ok(d.passed.includes('eu_throw'));
    assert.deepEqual(d.waitingAt(), ['eu_work']);
    assert.deepEqual(d.openIncidents, []);
    assert.deepEqual(d.effectsOf('incidentCreated'), []);
    assert.equal(d.status, 'active');
    d.completeTask('eu_work');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['eu_start', 'eu_throw', 'eu_work', 'eu_endEsc']);
    assert.deepEqual(d.effectsOf('thrownToParent'), [], 'a root instance has no parent to hand it to');
    await d.assertDeterministic();
  });
});
