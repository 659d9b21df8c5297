/**
 * Input/output variable mapping.
 * Sources: Camunda 7 docs "User Guide → Process Engine → Variables → Input/Output Variable
 * Mapping": input parameters (text constants, expressions, camunda:list, camunda:map) are
 * evaluated when the activity starts and become its LOCAL variables; output parameters are
 * evaluated in the activity's scope when it ends and are set in the parent scope; local
 * variables are gone after the activity. Camunda 8 docs "Variables → Input/output variable
 * mappings" (zeebe:ioMapping, FEEL sources): "If one or more output mappings are defined, the
 * job variables are set as local variables in the scope of the element", and only the output
 * mappings reach the parent scope.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

describe('camunda:inputOutput (Camunda 7 Input/Output Variable Mapping)', () => {
  it('inputs — a text constant, an expression, a list, a map — become local variables of the task', async () => {
    const d = await Driver.load('io-mapping.bpmn');
    d.start({ a: 2, b: 3 });
    assert.deepEqual(d.waitingAt(), ['calc']);
    assert.deepEqual(d.localVariables('calc'), {
      greeting: 'hello',
      sum: 5,
      items: ['first', 2],
      config: { mode: 'fast', limit: 3 },
    });
    assert.deepEqual(d.variables, { a: 2, b: 3 }, 'inputs do not leak into the process scope');
    const [calcId] = d.actIds('calc');
    const local = d.effectsOf('variableSet').filter((e) => e.scopeId === calcId).map((e) => e.name).sort();
    assert.deepEqual(local, ['config', 'greeting', 'items', 'sum']);
    await d.assertDeterministic();
  });

  it('outputs are evaluated in the task scope and copied to the process scope; the local variables are not visible after the task', async () => {
    const d = await Driver.load('io-mapping.bpmn');
    d.start({ a: 2, b: 3 });
    d.completeTask('calc');
    assert.deepEqual(d.waitingAt(), ['next']);
    assert.deepEqual(d.variables, { a: 2, b: 3, total: 50, echo: 'hello' });
    const pi = d.processInstanceId;
    assert.deepEqual(
      d.lastEffects.flatMap((e) => (e.type === 'variableSet' && e.scopeId === pi ? [e.name] : [])).sort(),
      ['echo', 'total'],
    );
    d.completeTask('next');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('an input expression over a missing variable is an expressionFailed incident; setVariables + retryIncident continues', async () => {
    const d = await Driver.load('io-mapping.bpmn');
    d.start({ a: 2 });
    assert.equal(d.status, 'active');
    assert.deepEqual(d.openIncidents.map((i) => [i.elementId, i.incidentType]), [['calc', 'expressionFailed']]);
    assert.equal(d.externalTasks.length, 0, 'no external task is created while the inputs cannot be evaluated');
    d.setVariables({ b: 10 });
    d.retryIncident('calc');
    assert.deepEqual(d.openIncidents, []);
    assert.equal(d.localVariables('calc')['sum'], 12);
    assert.deepEqual(d.externalTasks.map((t) => t.elementId), ['calc']);
    await d.assertDeterministic();
  });
});

describe('zeebe:ioMapping (Camunda 8 Input/output variable mappings)', () => {
  it('FEEL inputs become local variables; the FEEL output reaches the process scope; locals vanish', async () => {
    const d = await Driver.load('zeebe-io-mapping.bpmn');
    d.start({ a: 2, b: 3 });
    assert.deepEqual(d.localVariables('calc'), { sum: 5, greeting: 'hello' });
    assert.deepEqual(d.variables, { a: 2, b: 3 });
    d.completeTask('calc');
    assert.deepEqual(d.waitingAt(), ['next']);
    assert.deepEqual(d.variables, { a: 2, b: 3, total: 50 });
    await d.assertDeterministic();
  });

  it('with output mappings, the job variables stay local to the task: only the outputs reach the process', async () => {
    const d = await Driver.load('zeebe-io-mapping.bpmn');
    d.start({ a: 2, b: 3 });
    d.completeTask('calc', { workerResult: 'x' });
    assert.deepEqual(d.variables, { a: 2, b: 3, total: 50 });
    await d.assertDeterministic();
  });

  it('without output mappings, job variables are merged into the process', async () => {
    const d = await Driver.load('zeebe-io-mapping.bpmn');
    d.start({ a: 2, b: 3 });
    d.completeTask('calc');
    d.completeTask('next', { shipped: true });
    assert.equal(d.status, 'completed');
    assert.ok(d.effectsOf('variableSet').some((e) => e.scopeId === d.processInstanceId && e.name === 'shipped' && e.value === true));
    await d.assertDeterministic();
  });
});
