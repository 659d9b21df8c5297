/**
 * Exclusive gateway (XOR split).
 * Sources: BPMN 2.0.2 §13.3.2 "Exclusive Gateway (Exclusive Decision (data-based) and
 * Exclusive Merge)": "the conditions are evaluated in order. The first condition that
 * evaluates to true determines the Sequence Flow the token is sent to … If and only if
 * none of the conditions evaluates to true, the token is passed on the default Sequence
 * Flow. In case all conditions evaluate to false and a default flow has not been
 * specified, an exception is thrown." Camunda 7 docs "Gateways → Exclusive Gateway" (the
 * first flow whose condition is true, in XML order, is selected). Camunda 7 docs
 * "Incidents" (a failure stops the token with an incident that a person resolves and
 * retries). Zeebe/Camunda 8 docs "Exclusive gateway" (FEEL conditions `=…`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, assertProcosError } from '../../helpers/engine-driver.js';

describe('exclusive gateway with JUEL conditions (BPMN 2.0.2 §13.3.2, Camunda 7 Exclusive Gateway)', () => {
  it('the first outgoing flow in document order whose condition is true wins (amount 150: "> 100" before "> 50")', async () => {
    // Flow_z_high is first in the document; its id sorts after Flow_a_medium on purpose.
    const d = await Driver.load('exclusive-juel.bpmn');
    d.start({ amount: 150 });
    assert.deepEqual(d.waitingAt(), ['high']);
    assert.deepEqual(d.externalTasks.map((t) => t.topic), ['high']);
    assert.ok(!d.started.includes('medium'), 'medium must not start: only one flow is taken');
    assert.ok(!d.started.includes('low'));
    d.completeTask('high');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'amountGw', 'high', 'merge', 'end']);
    await d.assertDeterministic();
  });

  it('a later flow is taken when only its condition is true (amount 70 → medium)', async () => {
    const d = await Driver.load('exclusive-juel.bpmn');
    d.start({ amount: 70 });
    assert.deepEqual(d.waitingAt(), ['medium']);
    d.completeTask('medium');
    assert.deepEqual(d.passed, ['start', 'amountGw', 'medium', 'merge', 'end']);
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('the default flow is taken when no condition is true (amount 10 → low)', async () => {
    const d = await Driver.load('exclusive-juel.bpmn');
    d.start({ amount: 10 });
    assert.deepEqual(d.waitingAt(), ['low']);
    d.completeTask('low');
    assert.deepEqual(d.passed, ['start', 'amountGw', 'low', 'merge', 'end']);
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('${amount > 100} with amount missing raises an expressionFailed incident naming the expression and the variable (never silently false)', async () => {
    const d = await Driver.load('exclusive-juel.bpmn');
    d.start({});
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['amountGw'], 'the token stays at the gateway');
    assert.ok(!d.started.includes('low'), 'a failed condition is not false: the default flow must not be taken');
    assert.ok(!d.started.includes('high') && !d.started.includes('medium'));
    const [inc] = d.openIncidents;
    assert.equal(d.openIncidents.length, 1);
    assert.equal(inc?.incidentType, 'expressionFailed');
    assert.equal(inc?.elementId, 'amountGw');
    const message = inc?.message ?? '';
    assert.ok(message.includes('amount > 100'), `the message names the expression: ${message}`);
    assert.ok(message.split('amount > 100').join('').includes('amount'), `the message names the missing variable apart from the expression: ${message}`);
    assert.equal(d.effectsOf('processEnded').length, 0);

    // Fix the data, retry: the gateway is evaluated again and the token moves on.
    d.setVariables({ amount: 70 });
    assert.deepEqual(d.waitingAt(), ['amountGw'], 'setVariables alone does not move the token');
    d.retryIncident(inc?.incidentId);
    assert.deepEqual(d.waitingAt(), ['medium']);
    assert.deepEqual(d.openIncidents, []);
    assert.deepEqual(d.effectsOf('incidentResolved').map((e) => e.incidentId), [inc?.incidentId]);
    d.completeTask('medium');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('retryIncident with an unknown incident id is refused with PROCOS_ENGINE_INCIDENT_NOT_FOUND (src/engine/errors.ts contract)', async () => {
    const d = await Driver.load('exclusive-juel.bpmn');
    d.start({});
    assertProcosError(() => d.send({ type: 'retryIncident', incidentId: 'no-such-incident' }), 'PROCOS_ENGINE_INCIDENT_NOT_FOUND');
    assert.deepEqual(d.waitingAt(), ['amountGw']);
    await d.assertDeterministic();
  });
});

describe('exclusive gateway without a default flow (BPMN 2.0.2 §13.3.2: no true condition and no default → exception)', () => {
  it('no matching flow → noOutgoingFlow incident, instance stays active; setVariables + retryIncident continues', async () => {
    const d = await Driver.load('exclusive-no-default.bpmn');
    d.start({ choice: 'c' });
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['choiceGw']);
    assert.deepEqual(d.openIncidents.map((i) => [i.elementId, i.incidentType]), [['choiceGw', 'noOutgoingFlow']]);
    assert.equal(d.effectsOf('processEnded').length, 0);
    assert.ok(!d.started.includes('a') && !d.started.includes('b'));

    // Retrying without a fix fails the same way: still one open incident at the gateway.
    d.retryIncident();
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['choiceGw']);
    assert.deepEqual(d.openIncidents.map((i) => [i.elementId, i.incidentType]), [['choiceGw', 'noOutgoingFlow']]);

    d.setVariables({ choice: 'b' });
    d.retryIncident('choiceGw');
    assert.deepEqual(d.openIncidents, []);
    assert.deepEqual(d.waitingAt(), ['b']);
    assert.equal(d.variables['choice'], 'b');
    d.completeTask('b');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed.filter((el) => el !== 'choiceGw'), ['start', 'b', 'endB']);
    await d.assertDeterministic();
  });
});

describe('exclusive gateway with FEEL conditions (Camunda 8 docs "Exclusive gateway", BPMN 2.0.2 §13.3.2)', () => {
  it('=amount > 100 is first in document order and wins over a later true condition', async () => {
    const d = await Driver.load('exclusive-feel.bpmn');
    d.start({ amount: 150, tier: 'gold' });
    assert.deepEqual(d.waitingAt(), ['high']);
    assert.deepEqual(d.externalTasks.map((t) => t.topic), ['high']);
    await d.assertDeterministic();
  });

  it('=amount > 50 and tier = "gold" selects medium', async () => {
    const d = await Driver.load('exclusive-feel.bpmn');
    d.start({ amount: 70, tier: 'gold' });
    assert.deepEqual(d.waitingAt(), ['medium']);
    d.completeTask('medium');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'amountGw', 'medium', 'merge', 'end']);
    await d.assertDeterministic();
  });

  it('no FEEL condition is true → the default flow', async () => {
    const d = await Driver.load('exclusive-feel.bpmn');
    d.start({ amount: 70, tier: 'silver' });
    assert.deepEqual(d.waitingAt(), ['low']);
    await d.assertDeterministic();
  });
});
