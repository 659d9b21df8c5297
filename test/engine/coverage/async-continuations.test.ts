/**
 * Asynchronous continuations (camunda:asyncBefore / camunda:asyncAfter).
 * Sources: Camunda 7 docs "Transactions in Processes → Asynchronous Continuations":
 * "asyncBefore … a job is created before the activity is executed … the activity is
 * executed when the job runs"; "asyncAfter … after the activity has ended, a job is created
 * … the outgoing sequence flows are taken when the job runs". Camunda 7 docs "Failed Jobs":
 * "by default a failed job is retried three times"; camunda:failedJobRetryTimeCycle R5/PT1M
 * gives 5 retries. Jobs are due now (the injected clock).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncJobs, continueAsync, load, ofType } from './driver-ext.js';

const FILE = 'async.bpmn';

describe('asynchronous continuations (Camunda 7 Asynchronous Continuations)', () => {
  it('asyncBefore: an async job before the task; the task (and its external task) starts only when the job runs', async () => {
    const d = await load(FILE, 'AsyncBefore');
    d.advance(42_000);
    const effects = d.start();
    const jobs = ofType(effects, 'jobCreated');
    assert.deepEqual(
      jobs.map((j) => [j.jobType, j.elementId, j.dueTime, j.retries]),
      [['async', 'work', d.now, 3]],
    );
    assert.deepEqual(d.externalTasks, [], 'the task has not started yet');
    assert.ok(!d.passed.includes('work'));
    assert.equal(asyncJobs(d).length, 1);
    const run = continueAsync(d, 'work');
    assert.equal(ofType(run, 'externalTaskCreated').length, 1);
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.deepEqual(asyncJobs(d), []);
    d.completeTask('work');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'work', 'end']);
    await d.assertDeterministic();
  });

  it('asyncAfter: completing the task creates an async job; the next activity starts only when the job runs', async () => {
    const d = await load(FILE, 'AsyncAfter');
    d.start();
    assert.deepEqual(d.effectsOf('jobCreated'), [], 'nothing async before the task');
    const effects = d.completeTask('aa_work');
    assert.deepEqual(
      ofType(effects, 'jobCreated').map((j) => [j.jobType, j.elementId, j.dueTime, j.retries]),
      [['async', 'aa_work', d.now, 3]],
    );
    assert.ok(!d.started.includes('aa_next'));
    assert.deepEqual(d.externalTasks, [], 'the external task of aa_work is gone, none for aa_next yet');
    continueAsync(d, 'aa_work');
    assert.deepEqual(d.waitingAt(), ['aa_next']);
    assert.deepEqual(asyncJobs(d), []);
    d.completeTask('aa_next');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['aa_start', 'aa_work', 'aa_next', 'aa_end']);
    await d.assertDeterministic();
  });

  it('asyncAfter: the activity has ended before the job (the boundary lies after its end, before the outgoing flow)', async () => {
    // Camunda 7: the asyncAfter job continues at "transition-notify-listener-take", i.e.
    // after the activity's end listeners ran and its activity instance ended.
    const d = await load(FILE, 'AsyncAfter');
    d.start();
    d.completeTask('aa_work');
    assert.ok(d.passed.includes('aa_work'), 'activityEnded for aa_work is emitted when it completes');
    assert.ok(!d.waitingAt().includes('aa_work'), 'aa_work is no longer a waiting activity');
    await d.assertDeterministic();
  });

  it('failedJobRetryTimeCycle R5/PT1M gives the async job 5 retries', async () => {
    const d = await load(FILE, 'AsyncRetries');
    d.start();
    assert.deepEqual(
      d.effectsOf('jobCreated').map((j) => [j.jobType, j.elementId, j.retries]),
      [['async', 'ar_work', 5]],
    );
    await d.assertDeterministic();
  });

  it('cancelling the instance while a job waits removes the job', async () => {
    const d = await load(FILE, 'AsyncBefore');
    d.start();
    const job = asyncJobs(d)[0]?.jobId;
    const effects = d.cancel();
    assert.equal(d.status, 'terminated');
    assert.deepEqual(
      ofType(effects, 'jobRemoved').map((e) => e.jobId),
      [job],
    );
    await d.assertDeterministic();
  });
});
