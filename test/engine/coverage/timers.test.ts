/**
 * Timer events: intermediate catch (duration, date), boundary (interrupting and
 * non-interrupting cycle), cron cycles, timer start events of event subprocesses.
 * Sources: BPMN 2.0.2 §10.5.3 (Timer Event Definition: timeDate, timeCycle, timeDuration as
 * ISO-8601), §13.4.2 (an intermediate timer waits until the time), §13.4.3 (interrupting
 * boundary events cancel the activity; non-interrupting ones leave it running), §13.4.4
 * (event subprocesses; an interrupting one cancels the other activities of the scope).
 * Camunda 7 docs "Timer Events": "timeDuration … PT10M"; "timeDate … ISO 8601"; "timeCycle
 * … R3/PT10H … repeating intervals … or a cron expression: 0 0/5 * * * ?"; a non-interrupting
 * timer boundary event with a cycle fires on every cycle; expressions such as ${deadline}
 * are evaluated when the timer is created. Camunda 8 docs "Timer events": FEEL expressions
 * (`=duration(…)`), "timeCycle … cron expression" (Spring format with seconds, every 15 minutes), "R3/PT10M … three times".
 * Camunda 7 docs "Event Subprocess": "an interrupting event subprocess cancels any
 * executions in the current scope". Due times are computed from the injected clock
 * (ARCHITECTURE.md "Deterministic core").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DRIVER_EPOCH } from '../../helpers/engine-driver.js';
import { HOUR, MIN, load, ofType, openSubs, removedIds, subOf, subsView, topics, trigger } from './driver-ext.js';

const FILE = 'timers.bpmn';

describe('intermediate timer catch events (BPMN 2.0.2 §13.4.2, Camunda 7 Timer Events)', () => {
  it('timeDuration PT5M: a timer job due 5 minutes after the injected clock; firing it moves on', async () => {
    const d = await load(FILE, 'TimerCatch');
    d.advance(90_000);
    const t0 = d.now;
    d.start({ deadline: '2024-01-01T12:00:00Z' });
    assert.deepEqual(d.waitingAt(), ['waitDuration']);
    const [job] = d.effectsOf('jobCreated');
    assert.deepEqual(job && [job.jobType, job.elementId, job.dueTime], ['timer', 'waitDuration', t0 + 5 * MIN]);
    assert.deepEqual(subsView(d), ['waitDuration:catch:timer']);
    d.advance(5 * MIN);
    trigger(d, 'waitDuration');
    assert.ok(d.passed.includes('waitDuration'));
    assert.deepEqual(d.waitingAt(), ['waitDate']);
    await d.assertDeterministic();
  });

  it('timeDate ${deadline}: the expression is evaluated and the job is due at that instant', async () => {
    const d = await load(FILE, 'TimerCatch');
    d.start({ deadline: '2024-01-01T12:00:00Z' });
    trigger(d, 'waitDuration');
    const dateJob = d.effectsOf('jobCreated').find((e) => e.elementId === 'waitDate');
    assert.equal(dateJob?.dueTime, Date.parse('2024-01-01T12:00:00Z'));
    assert.equal(dateJob?.jobType, 'timer');
    d.advance(Date.parse('2024-01-01T12:00:00Z') - d.now);
    trigger(d, 'waitDate');
    assert.deepEqual(d.waitingAt(), ['after']);
    assert.deepEqual(openSubs(d), []);
    d.completeTask('after');
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['start', 'waitDuration', 'waitDate', 'after', 'end']);
    await d.assertDeterministic();
  });

  it('Zeebe: FEEL duration and date expressions, and a cron cycle (0 */15 * * * *) on a non-interrupting boundary', async () => {
    const d = await load('zeebe-timers.bpmn', 'ZeebeTimers');
    const t0 = d.now;
    d.start({ minutes: 7, deadline: '2024-01-01T12:00:00Z' });
    assert.equal(subOf(d, 'waitFeel').dueTime, t0 + 7 * MIN, '=duration("PT" + string(minutes) + "M") with minutes 7');
    trigger(d, 'waitFeel');
    assert.equal(subOf(d, 'waitDate').dueTime, Date.parse('2024-01-01T12:00:00Z'), '=deadline');
    d.advance(Date.parse('2024-01-01T12:02:00Z') - d.now);
    trigger(d, 'waitDate');
    assert.deepEqual(d.waitingAt(), ['work']);
    assert.equal(subOf(d, 'poll').dueTime, Date.parse('2024-01-01T12:15:00Z'), 'the next quarter hour after 12:02');
    trigger(d, 'poll');
    assert.deepEqual(d.waitingAt(), ['work'], 'non-interrupting: the task keeps waiting');
    assert.ok(d.passed.includes('pollEnd'));
    assert.equal(subOf(d, 'poll').dueTime, Date.parse('2024-01-01T12:30:00Z'), 'an unbounded cron cycle schedules its next run');
    const poll = subOf(d, 'poll').id;
    const effects = d.completeTask('work');
    assert.ok(removedIds(effects).includes(poll), 'completing the task removes its boundary timer job');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });
});

describe('timer boundary events (BPMN 2.0.2 §13.4.3, Camunda 7 Timer Boundary Event)', () => {
  it('an interrupting PT1H and a non-interrupting R3/PT10M: two jobs due from the injected clock', async () => {
    const d = await load(FILE, 'TimerBoundary');
    d.advance(3 * MIN);
    const t0 = d.now;
    d.start();
    assert.deepEqual(d.waitingAt(), ['tb_work']);
    assert.deepEqual(subsView(d), ['tb_remind:boundary:timer', 'tb_timeout:boundary:timer']);
    assert.equal(subOf(d, 'tb_timeout').dueTime, t0 + HOUR);
    assert.equal(subOf(d, 'tb_remind').dueTime, t0 + 10 * MIN);
    assert.deepEqual(
      d.effectsOf('jobCreated').map((e) => [e.jobType, e.elementId]).sort(),
      [
        ['timer', 'tb_remind'],
        ['timer', 'tb_timeout'],
      ],
    );
    await d.assertDeterministic();
  });

  it('R3/PT10M fires three times, every 10 minutes, without interrupting the task; then the PT1H timeout interrupts it', async () => {
    const d = await load(FILE, 'TimerBoundary');
    const t0 = d.now;
    d.start();
    for (let i = 1; i <= 3; i++) {
      assert.equal(subOf(d, 'tb_remind').dueTime, t0 + i * 10 * MIN, `run ${i} is due at +${i * 10} min`);
      trigger(d, 'tb_remind');
      assert.equal(d.externalTasks.filter((t) => t.topic === 'remind').length, i, `reminder ${i}`);
      assert.ok(d.waitingAt().includes('tb_work'), 'non-interrupting: the task keeps waiting');
    }
    assert.deepEqual(subsView(d), ['tb_timeout:boundary:timer'], 'R3: no fourth run is scheduled');
    assert.ok(!d.canceled.includes('tb_work'));

    d.advance(t0 + HOUR - d.now);
    trigger(d, 'tb_timeout');
    assert.ok(d.canceled.includes('tb_work'), 'the interrupting timer cancels the task');
    assert.ok(!d.passed.includes('tb_work'));
    assert.deepEqual(d.waitingAt(), ['tb_escalate', 'tb_reminder', 'tb_reminder', 'tb_reminder'], 'the reminders started earlier run on');
    assert.deepEqual(openSubs(d), []);
    assert.ok(!d.started.includes('tb_end'));
    await d.assertDeterministic();
  });

  it('the interrupting timer removes the pending cycle job of the same activity', async () => {
    const d = await load(FILE, 'TimerBoundary');
    d.start();
    trigger(d, 'tb_remind');
    const remind = subOf(d, 'tb_remind').id;
    const effects = trigger(d, 'tb_timeout');
    assert.deepEqual(ofType(effects, 'jobRemoved').map((e) => e.jobId), [remind]);
    assert.deepEqual(d.waitingAt(), ['tb_escalate', 'tb_reminder']);
    await d.assertDeterministic();
  });

  it('completing the task before any timer removes both timer jobs; no boundary path is taken', async () => {
    const d = await load(FILE, 'TimerBoundary');
    d.start();
    const all = openSubs(d).map((s) => s.id).sort();
    const effects = d.completeTask('tb_work');
    assert.deepEqual(removedIds(effects), all);
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.passed, ['tb_start', 'tb_work', 'tb_end']);
    await d.assertDeterministic();
  });
});

describe('timer start events of event subprocesses (BPMN 2.0.2 §13.4.4, Camunda 7 Event Subprocess / Timer Events)', () => {
  it('a non-interrupting cron cycle (0 0/15 * * * ?) starts the subprocess every quarter hour; the interrupting PT30M cancels everything', async () => {
    const d = await load(FILE, 'TimerEventSubprocess');
    d.advance(MIN); // 09:01
    const t0 = d.now;
    d.start();
    assert.deepEqual(d.waitingAt(), ['te_work']);
    assert.deepEqual(subsView(d), ['te_expireStart:eventSub:timer', 'te_reportStart:eventSub:timer']);
    assert.equal(subOf(d, 'te_reportStart').dueTime, DRIVER_EPOCH + 15 * MIN, 'cron: next quarter hour, 09:15');
    assert.equal(subOf(d, 'te_expireStart').dueTime, t0 + 30 * MIN, 'PT30M from 09:01');
    assert.equal(subOf(d, 'te_reportStart').a, d.processInstanceId, 'the subscription belongs to the scope hosting the event subprocess');

    trigger(d, 'te_reportStart');
    assert.deepEqual(d.waitingAt(), ['te_reportTask', 'te_work'], 'non-interrupting: the main flow keeps waiting');
    assert.equal(subOf(d, 'te_reportStart').dueTime, DRIVER_EPOCH + 30 * MIN, 'the next run, 09:30');
    trigger(d, 'te_reportStart');
    assert.deepEqual(d.waitingAt(), ['te_reportTask', 'te_reportTask', 'te_work']);
    assert.equal(subOf(d, 'te_reportStart').dueTime, DRIVER_EPOCH + 45 * MIN);

    const reportJob = subOf(d, 'te_reportStart').id;
    const effects = trigger(d, 'te_expireStart');
    assert.deepEqual(d.waitingAt(), ['te_expired'], 'the interrupting event subprocess cancels the main flow and the running report subprocesses');
    assert.ok(d.canceled.includes('te_work'));
    assert.equal(d.canceled.filter((el) => el === 'te_reportTask').length, 2);
    assert.ok(removedIds(effects).includes(reportJob), 'the cron job is removed');
    assert.deepEqual(openSubs(d), []);
    assert.deepEqual(topics(d), ['expired']);
    d.completeTask('te_expired');
    assert.equal(d.status, 'completed', 'the interrupting event subprocess ends the process when it ends');
    assert.ok(!d.started.includes('te_end'));
    await d.assertDeterministic();
  });

  it('completing the main flow ends the process and removes the event subprocess timer jobs', async () => {
    const d = await load(FILE, 'TimerEventSubprocess');
    d.start();
    const all = openSubs(d).map((s) => s.id).sort();
    const effects = d.completeTask('te_work');
    assert.equal(d.status, 'completed');
    assert.deepEqual(removedIds(effects), all);
    await d.assertDeterministic();
  });
});
