/**
 * Each step kind of a scenario, run for real: deploy BPMN fixtures to a fresh SQLite
 * store, start an instance, walk it. A scenario that should pass is asserted with its
 * formatted report as the message, so a failure here shows what the engine held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResult, runScenarioFile } from '../../src/testing/index.js';
import type { ScenarioResult } from '../../src/testing/index.js';
import { scenarioFile } from './helpers.js';

async function run(yaml: string, bpmn?: readonly string[]): Promise<ScenarioResult> {
  return runScenarioFile(await scenarioFile(yaml, bpmn));
}

function assertPassed(r: ScenarioResult): void {
  assert.equal(r.status, 'passed', formatResult(r));
  assert.equal(r.failure, null);
  assert.ok(r.steps.every((s) => s.status === 'passed'));
}

const ORDER = `deploy: [order.bpmn, payment.bpmn]
start: {process: order, businessKey: o-1, variables: {amount: 30}}
`;

describe('scenario steps', () => {
  it('complete: an external task by activity and by topic, also in a called instance', async () => {
    const r = await run(`name: complete external
${ORDER}steps:
  - expect: {waitingAt: [check]}
  - complete: {activity: check, variables: {checked: true}}
  - expect: {waitingAt: [payment], variables: {checked: true}}
  - expect: {in: payment, waitingAt: [pay], variables: {checked: true, amount: 30}}
  - complete: {topic: payment, variables: {paid: true}}
  - complete: {topic: ship}
  - expect: {state: completed, variables: {paid: true, checked: true}}
`);
    assertPassed(r);
    assert.equal(r.name, 'complete external');
    assert.deepEqual(
      r.steps.map((s) => [s.index, s.kind, s.line]),
      [
        [0, 'expect', 5],
        [1, 'complete', 6],
        [2, 'expect', 7],
        [3, 'expect', 8],
        [4, 'complete', 9],
        [5, 'complete', 10],
        [6, 'expect', 11],
      ],
    );
    assert.equal(r.steps[1]!.text, 'complete: {activity: check, variables: {checked: true}}');
  });

  it('complete: a user task, and exclusive gateways take the flow its variables choose', async () => {
    assertPassed(
      await run(`${ORDER.replace('amount: 30', 'amount: 300')}steps:
  - complete: {activity: check}
  - expect: {waitingAt: [approve], passed: [gwAmount], notPassed: [gwMerge]}
  - complete: {activity: approve, variables: {approved: true}}
  - expect: {waitingAt: [payment], passed: [gwApproved, gwMerge], notPassed: [rejected]}
`),
    );
  });

  it('complete: a message-less receive task; parallel joins waiting for tokens are not listed in waitingAt', async () => {
    assertPassed(
      await run(
        `deploy: [delivery.bpmn]
start: {process: delivery, businessKey: d-1}
steps:
  - expect: {waitingAt: [awaitGoods, decide]}
  - complete: {activity: awaitGoods, variables: {goods: 3}}
  - expect: {waitingAt: [decide], variables: {goods: 3}, passed: [awaitGoods]}
`,
        ['delivery.bpmn'],
      ),
    );
  });

  it('complete: with several tasks at one activity, the oldest; expect in: looks at the latest instance of a key', async () => {
    assertPassed(
      await run(
        `deploy: [delivery.bpmn, alert-log.bpmn]
start: {process: delivery, businessKey: d-1}
steps:
  - signal: {name: alert, variables: {n: 1}}
  - advanceClock: PT1M
  - signal: {name: alert, variables: {n: 2}}
  - expect: {instances: {alertLog: 2}, in: alertLog, waitingAt: [logAlert], variables: {n: 2}}
  - complete: {activity: logAlert, variables: {done: first}}
  - expect: {in: alertLog, state: active, variables: {n: 2}}
  - complete: {activity: logAlert, variables: {done: second}}
  - expect: {in: alertLog, state: completed, variables: {n: 2, done: second}}
`,
        ['delivery.bpmn', 'alert-log.bpmn'],
      ),
    );
  });

  it('bpmnError: caught by the error boundary event, with its variables readable there', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - bpmnError: {activity: check, code: REJECTED, message: no, variables: {reason: fraud}}
  - expect: {waitingAt: [notifyCustomer], passed: [checkRejected], variables: {reason: fraud, rejectionCode: REJECTED}}
  - bpmnError: {topic: notify, code: UNCAUGHT}
  - expect: {state: completed, notPassed: [cancelled]}
`),
    );
  });

  it('fail: retries left and a retry timeout; 0 retries raise an incident that resolveIncident resolves', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - fail: {activity: check, retries: 1, message: flaky, retryTimeout: PT10M}
  - expect: {state: active, incidents: 0}
  - advanceClock: PT10M
  - fail: {topic: check, message: down}
  - expect: {state: incident, incidents: 1, waitingAt: [check]}
  - resolveIncident: {activity: check}
  - expect: {state: active, incidents: 0}
  - complete: {activity: check}
  - expect: {waitingAt: [payment]}
`),
    );
  });

  it('correlate: a message to a boundary event by business key, with variables', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - complete: {activity: check}
  - correlate: {message: cancel, businessKey: o-1, variables: {why: late}}
  - expect: {state: completed, passed: [cancelRequested, cancelled], variables: {why: late}}
`),
    );
  });

  it('correlate: correlationKeys match process variables', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - complete: {activity: check}
  - correlate: {message: cancel, correlationKeys: {amount: 30}}
  - expect: {state: completed, passed: [cancelled]}
`),
    );
  });

  it('signal: reaches intermediate catch events and starts processes with a signal start event', async () => {
    assertPassed(
      await run(
        `deploy: [delivery.bpmn, alert-log.bpmn]
start: {process: delivery, businessKey: d-1}
steps:
  - signal: {name: alert, variables: {level: 3}}
  - expect: {waitingAt: [awaitGoods], passed: [alertRaised], instances: {delivery: 1, alertLog: 1}}
  - expect: {in: alertLog, waitingAt: [logAlert], variables: {level: 3}}
`,
        ['delivery.bpmn', 'alert-log.bpmn'],
      ),
    );
  });

  it('advanceClock: fires due timers; startTime sets where the clock starts', async () => {
    assertPassed(
      await run(
        `startTime: 2030-06-01T12:00:00Z
deploy: [delivery.bpmn]
start: {process: delivery}
steps:
  - advanceClock: PT1H
  - expect: {state: active, waitingAt: [awaitGoods, decide]}
  - advanceClock: P1D
  - expect: {state: completed, passed: [deadline, expired]}
`,
        ['delivery.bpmn'],
      ),
    );
  });

  it('setVariables and resolveIncident: an engine incident (gateway conditions) is fixed and retried', async () => {
    assertPassed(
      await run(`deploy: [order.bpmn, payment.bpmn]
start: {process: order}
steps:
  - complete: {activity: check}
  - expect: {state: incident, incidents: 1, waitingAt: [gwAmount]}
  - setVariables: {variables: {amount: 5}}
  - resolveIncident: {activity: gwAmount}
  - expect: {state: active, incidents: 0, waitingAt: [payment], variables: {amount: 5}}
  - setVariables: {in: payment, variables: {card: visa}}
  - expect: {in: payment, variables: {card: visa}}
`),
    );
  });

  it('cancel: the main instance ends terminated; its variables are then read from history', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - complete: {activity: check, variables: {checked: yes}}
  - cancel:
  - expect: {state: terminated, waitingAt: [], variables: {checked: yes, amount: 30}}
  - expect: {in: payment, state: terminated}
`),
    );
  });

  it('expect: passed / notPassed read the main instance history, not the called one', async () => {
    assertPassed(
      await run(`${ORDER}steps:
  - complete: {activity: check}
  - complete: {activity: pay}
  - expect: {passed: [payment], notPassed: [pay, paid]}
  - expect: {in: payment, passed: [pay, paid], state: completed}
`),
    );
  });
});
