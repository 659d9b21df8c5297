/**
 * Multi-instance activities and standard loops.
 * Sources: BPMN 2.0.2 §10.3.8 / §13.2.7 "Multiple Instances Activity": loopCardinality or
 * loopDataInput decide the number of instances; parallel instances all start at once,
 * sequential ones one after another; "the completionCondition is evaluated each time an
 * instance completes; if true, the remaining instances are cancelled and the activity
 * completes"; attributes numberOfInstances / numberOfActiveInstances /
 * numberOfCompletedInstances, and loopCounter per instance. §10.3.7 / §13.2.6 "Loop Activity"
 * (standard loop): "testBefore … the loopCondition is evaluated before (while) or after
 * (do-while) each iteration"; "loopMaximum … the maximum number of iterations".
 * Camunda 7 docs "Multiple Instance": variables nrOfInstances, nrOfActiveInstances,
 * nrOfCompletedInstances (on the multi-instance body) and loopCounter (local to each
 * instance, starting at 0); camunda:collection + camunda:elementVariable ("for each element
 * … an instance is created with the element in a local variable"); the completion
 * condition example `${nrOfCompletedInstances/nrOfInstances >= 0.6}`; an empty collection
 * / cardinality 0 creates no instance. Camunda 7 expressions in camunda:topic.
 * Camunda 8 docs "Multi-instance": inputCollection / inputElement (local per instance);
 * "loopCounter … starting at 1"; "outputCollection … outputElement … the output
 * collection has the same order as the input collection"; completion condition with
 * numberOfCompletedInstances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeTopic, count, load, ofType, topics } from './driver-ext.js';

const FILE = 'multi-instance.bpmn';
const ZFILE = 'zeebe-multi-instance.bpmn';

function externalTasksOf(d: Awaited<ReturnType<typeof load>>, el: string): number {
  return d.effectsOf('externalTaskCreated').filter((e) => e.elementId === el).length;
}

describe('parallel multi-instance (BPMN 2.0.2 §13.2.7, Camunda 7 Multiple Instance)', () => {
  it('one instance per collection element, all at once, each with its element variable and loopCounter (0-based)', async () => {
    const d = await load(FILE, 'MiParallel');
    d.start({ reviewers: ['ann', 'bob', 'cy'] });
    assert.deepEqual(d.waitingAt(), ['par_task', 'par_task', 'par_task']);
    assert.deepEqual(topics(d), ['review-ann-0', 'review-bob-1', 'review-cy-2']);
    for (const name of ['reviewer', 'loopCounter', 'nrOfInstances', 'nrOfActiveInstances', 'nrOfCompletedInstances']) {
      assert.ok(!(name in d.variables), `${name} is not a process variable`);
    }
    completeTopic(d, 'review-bob-1');
    completeTopic(d, 'review-cy-2');
    assert.deepEqual(topics(d), ['review-ann-0'], 'the body waits for every instance');
    assert.ok(!d.started.includes('par_after'));
    completeTopic(d, 'review-ann-0');
    assert.deepEqual(d.waitingAt(), ['par_after']);
    assert.equal(count(d.started, 'par_after'), 1);
    assert.ok(!('reviewer' in d.variables));
    d.completeTask('par_after');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('an empty collection creates no instance: the activity is passed', async () => {
    const d = await load(FILE, 'MiParallel');
    d.start({ reviewers: [] });
    assert.equal(externalTasksOf(d, 'par_task'), 0);
    assert.deepEqual(d.waitingAt(), ['par_after']);
    await d.assertDeterministic();
  });

  it('completionCondition ${nrOfCompletedInstances/nrOfInstances >= 0.6}: 2 of 3 complete it, the third is cancelled', async () => {
    const d = await load(FILE, 'MiParallelCompletion');
    d.start({ reviewers: ['ann', 'bob', 'cy'] });
    completeTopic(d, 'review-cy');
    assert.deepEqual(topics(d), ['review-ann', 'review-bob'], '1/3 < 0.6: the others go on');
    const bob = d.externalTasks.find((t) => t.topic === 'review-bob');
    const effects = completeTopic(d, 'review-ann');
    assert.deepEqual(d.waitingAt(), ['pc_after']);
    assert.equal(count(d.canceled, 'pc_task'), 1, 'the remaining instance is cancelled');
    assert.deepEqual(
      ofType(effects, 'externalTaskRemoved').map((e) => e.externalTaskId),
      [bob?.externalTaskId],
    );
    await d.assertDeterministic();
  });

  it('nrOfActiveInstances and loopCardinality: 3 instances, done when one is still active', async () => {
    const d = await load(FILE, 'MiParallelActive');
    d.start();
    assert.deepEqual(topics(d), ['part-0', 'part-1', 'part-2']);
    completeTopic(d, 'part-1');
    assert.deepEqual(topics(d), ['part-0', 'part-2'], 'two still active');
    completeTopic(d, 'part-0');
    assert.deepEqual(d.waitingAt(), ['pa_after'], 'nrOfActiveInstances == 1 after the second completion');
    assert.equal(count(d.canceled, 'pa_task'), 1);
    await d.assertDeterministic();
  });
});

describe('sequential multi-instance (BPMN 2.0.2 §13.2.7, Camunda 7 Multiple Instance)', () => {
  it('over a collection, one at a time, in order', async () => {
    const d = await load(FILE, 'MiSequential');
    d.start({ items: ['x', 'y', 'z'] });
    assert.deepEqual(topics(d), ['item-x-0']);
    completeTopic(d, 'item-x-0');
    assert.deepEqual(topics(d), ['item-y-1']);
    completeTopic(d, 'item-y-1');
    assert.deepEqual(topics(d), ['item-z-2']);
    completeTopic(d, 'item-z-2');
    assert.deepEqual(d.waitingAt(), ['seq_after']);
    assert.ok(!('item' in d.variables));
    await d.assertDeterministic();
  });

  it('loopCardinality ${n}: n instances, nrOfInstances visible to each', async () => {
    const d = await load(FILE, 'MiCardinality');
    d.start({ n: 3 });
    for (const t of ['n-0-of-3', 'n-1-of-3', 'n-2-of-3']) {
      assert.deepEqual(topics(d), [t]);
      completeTopic(d, t);
    }
    assert.deepEqual(d.waitingAt(), ['card_after']);
    await d.assertDeterministic();
  });

  it('loopCardinality 0 creates no instance', async () => {
    const d = await load(FILE, 'MiCardinality');
    d.start({ n: 0 });
    assert.equal(externalTasksOf(d, 'card_task'), 0);
    assert.deepEqual(d.waitingAt(), ['card_after']);
    await d.assertDeterministic();
  });

  it('a completion condition ends a sequential loop early: the remaining instances never start', async () => {
    const d = await load(FILE, 'MiSequentialCompletion');
    d.start({ found: false });
    completeTopic(d, 'try-0');
    assert.deepEqual(topics(d), ['try-1']);
    completeTopic(d, 'try-1', { found: true });
    assert.deepEqual(d.waitingAt(), ['sc_after']);
    assert.equal(externalTasksOf(d, 'sc_task'), 2, 'only 2 of 5 instances ran');
    await d.assertDeterministic();
  });
});

describe('Zeebe multi-instance (Camunda 8 Multi-instance)', () => {
  it('parallel: inputElement per instance, outputCollection in input order whatever the completion order', async () => {
    const d = await load(ZFILE, 'ZeebeMiParallel');
    d.start({ items: [1, 2, 3] });
    assert.deepEqual(topics(d), ['item-1', 'item-2', 'item-3']);
    completeTopic(d, 'item-3');
    completeTopic(d, 'item-1');
    assert.ok(!d.started.includes('after'));
    completeTopic(d, 'item-2');
    assert.deepEqual(d.waitingAt(), ['after']);
    assert.deepEqual(d.variables['results'], [10, 20, 30]);
    assert.ok(!('item' in d.variables) && !('loopCounter' in d.variables));
    await d.assertDeterministic();
  });

  it('loopCounter is the 1-based index of the instance ("starting with 1")', async () => {
    const d = await load(ZFILE, 'ZeebeMiLoopCounter');
    d.start({ items: ['a', 'b', 'c'] });
    assert.deepEqual(topics(d), ['n-1', 'n-2', 'n-3']);
    await d.assertDeterministic();
  });

  it('sequential with completionCondition numberOfCompletedInstances >= 2', async () => {
    const d = await load(ZFILE, 'ZeebeMiSequential');
    d.start({ items: ['a', 'b', 'c'] });
    assert.deepEqual(topics(d), ['step-a']);
    completeTopic(d, 'step-a');
    assert.deepEqual(topics(d), ['step-b']);
    completeTopic(d, 'step-b');
    assert.deepEqual(d.waitingAt(), ['zs_after']);
    assert.equal(externalTasksOf(d, 'zs_task'), 2);
    await d.assertDeterministic();
  });
});

describe('standard loop (BPMN 2.0.2 §13.2.6 Loop Activity)', () => {
  it('testBefore=false (do-while): runs, then loops while ${count < 3}', async () => {
    const d = await load(FILE, 'StandardLoop');
    d.start({ count: 0 });
    assert.deepEqual(d.waitingAt(), ['sl_task']);
    d.completeTask('sl_task', { count: 1 });
    assert.deepEqual(d.waitingAt(), ['sl_task'], 'count 1 < 3: again');
    d.completeTask('sl_task', { count: 2 });
    assert.deepEqual(d.waitingAt(), ['sl_task']);
    d.completeTask('sl_task', { count: 3 });
    assert.deepEqual(d.waitingAt(), ['sl_after']);
    assert.equal(externalTasksOf(d, 'sl_task'), 3);
    await d.assertDeterministic();
  });

  it('testBefore=false runs at least once even when the condition is false from the start', async () => {
    const d = await load(FILE, 'StandardLoop');
    d.start({ count: 5 });
    assert.deepEqual(d.waitingAt(), ['sl_task']);
    d.completeTask('sl_task');
    assert.deepEqual(d.waitingAt(), ['sl_after']);
    assert.equal(externalTasksOf(d, 'sl_task'), 1);
    await d.assertDeterministic();
  });

  it('testBefore=true (while): a false condition skips the activity entirely', async () => {
    const d = await load(FILE, 'StandardLoopTestBefore');
    d.start({ again: false });
    assert.equal(externalTasksOf(d, 'tb_task'), 0);
    assert.deepEqual(d.waitingAt(), ['tb_after']);
    await d.assertDeterministic();
  });

  it('testBefore=true: loops while the condition holds', async () => {
    const d = await load(FILE, 'StandardLoopTestBefore');
    d.start({ again: true });
    d.completeTask('tb_task');
    assert.deepEqual(d.waitingAt(), ['tb_task']);
    d.completeTask('tb_task', { again: false });
    assert.deepEqual(d.waitingAt(), ['tb_after']);
    assert.equal(externalTasksOf(d, 'tb_task'), 2);
    await d.assertDeterministic();
  });

  it('loopMaximum=2 caps an always-true condition at 2 iterations', async () => {
    const d = await load(FILE, 'StandardLoopMaximum');
    d.start();
    d.completeTask('lm_task');
    assert.deepEqual(d.waitingAt(), ['lm_task']);
    d.completeTask('lm_task');
    assert.deepEqual(d.waitingAt(), ['lm_after']);
    assert.equal(externalTasksOf(d, 'lm_task'), 2);
    await d.assertDeterministic();
  });
});
