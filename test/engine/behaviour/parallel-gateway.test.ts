/**
 * Parallel gateway (AND fork and join).
 * Source: BPMN 2.0.2 §13.3.1 "Parallel Gateway (Fork and Join)": "The Parallel Gateway is
 * activated if there is at least one token on each incoming Sequence Flow. The Parallel
 * Gateway consumes exactly one token from each incoming Sequence Flow and produces exactly
 * one token at each outgoing Sequence Flow. If there are excess tokens at an incoming
 * Sequence Flow, these tokens remain at this Sequence Flow after execution of the Gateway."
 * §13.1 "Process Instantiation and Termination": an instance completes only when no token
 * remains. (Camunda 7 counts arrivals instead of per-flow tokens, a documented deviation,
 * CAM-3472 / CAM-9366; ProcOS follows the specification.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver } from '../../helpers/engine-driver.js';

const count = (list: readonly string[], el: string): number => list.filter((x) => x === el).length;

describe('parallel fork and join (BPMN 2.0.2 §13.3.1)', () => {
  for (const order of [
    ['a', 'b', 'c'],
    ['c', 'a', 'b'],
    ['b', 'c', 'a'],
  ]) {
    it(`fork to three external tasks; the join waits for all three (completed in order ${order.join(', ')})`, async () => {
      const d = await Driver.load('parallel-fork-join.bpmn');
      d.start();
      assert.deepEqual(d.waitingAt(), ['a', 'b', 'c']);
      assert.deepEqual(d.externalTasks.map((t) => [t.elementId, t.topic]), [['a', 'a'], ['b', 'b'], ['c', 'c']]);

      const done: string[] = [];
      for (const [i, el] of order.entries()) {
        d.completeTask(el);
        done.push(el);
        if (i < order.length - 1) {
          assert.deepEqual(d.waitingAt(), ['a', 'b', 'c'].filter((x) => !done.includes(x)));
          assert.equal(count(d.passed, 'join'), 0, 'the join must not fire before a token arrived on every incoming flow');
          assert.ok(!d.started.includes('after'));
          const flows = Object.keys(d.joinTokens()['join'] ?? {}).sort();
          assert.deepEqual(flows, done.map((x) => `j${x}`).sort());
        }
      }
      assert.deepEqual(d.waitingAt(), ['after']);
      assert.equal(count(d.passed, 'join'), 1);
      assert.deepEqual(d.joinTokens(), {}, 'the join consumed one token per incoming flow');
      d.completeTask('after');
      assert.equal(d.status, 'completed');
      assert.equal(d.processEnded?.status, 'completed');
      await d.assertDeterministic();
    });
  }

  it('a gateway with two incoming and two outgoing flows first joins, then forks', async () => {
    const d = await Driver.load('parallel-mixed.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b']);
    d.completeTask('b');
    assert.deepEqual(d.waitingAt(), ['a']);
    assert.deepEqual(d.joinTokens(), { mixed: { bm: 1 } });
    d.completeTask('a');
    assert.equal(count(d.passed, 'mixed'), 1);
    assert.deepEqual(d.waitingAt(), ['c', 'd']);
    d.completeTask('d');
    d.completeTask('c');
    assert.equal(d.status, 'completed');
    assert.equal(count(d.passed, 'end'), 1);
    await d.assertDeterministic();
  });

  it('a parallel join after an EXCLUSIVE split waits forever: only one incoming flow ever gets a token', async () => {
    const d = await Driver.load('exclusive-then-parallel-join.bpmn');
    d.start({ path: 'a' });
    assert.deepEqual(d.waitingAt(), ['a']);
    d.completeTask('a');
    assert.equal(d.status, 'active', 'the instance must not complete: a token rests at the join (§13.1)');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.joinTokens(), { join: { ja: 1 } });
    assert.equal(count(d.passed, 'join'), 0);
    assert.ok(!d.started.includes('end'));
    assert.equal(d.effectsOf('processEnded').length, 0);
    await d.assertDeterministic();
  });

  it('the same deadlock on the default path of the exclusive split', async () => {
    const d = await Driver.load('exclusive-then-parallel-join.bpmn');
    d.start({ path: 'b' });
    assert.deepEqual(d.waitingAt(), ['b']);
    d.completeTask('b');
    assert.equal(d.status, 'active');
    assert.deepEqual(d.joinTokens(), { join: { jb: 1 } });
    assert.equal(d.effectsOf('processEnded').length, 0);
    await d.assertDeterministic();
  });

  it('nested fork/join: the inner join fires on its own set, the outer join on its own', async () => {
    const d = await Driver.load('parallel-nested.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b', 'c']);
    d.completeTask('b');
    assert.deepEqual(d.waitingAt(), ['a', 'c']);
    assert.deepEqual(d.joinTokens(), { join2: { bj2: 1 } });
    d.completeTask('a');
    assert.deepEqual(d.waitingAt(), ['c']);
    assert.deepEqual(d.joinTokens(), { join1: { aj1: 1 }, join2: { bj2: 1 } });
    d.completeTask('c');
    assert.deepEqual(d.waitingAt(), ['d']);
    assert.equal(count(d.passed, 'join2'), 1);
    assert.equal(count(d.passed, 'join1'), 0);
    assert.deepEqual(d.joinTokens(), { join1: { aj1: 1 } });
    d.completeTask('d');
    assert.equal(count(d.passed, 'join1'), 1);
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('unstructured fork/join (C finished first): join1 fires when B and D have arrived; E ends on its own', async () => {
    // forkA → B, C; B → join1; C → fork2 → D, E; D → join1; E → endE; join1 → F → end.
    // join1's incoming flows are bJoin and dJoin only, so it fires once both have a token.
    const d = await Driver.load('parallel-unstructured.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['b', 'c']);
    d.completeTask('c');
    assert.deepEqual(d.waitingAt(), ['b', 'd', 'e']);
    d.completeTask('e');
    assert.deepEqual(d.passed.slice(-2), ['e', 'endE']);
    assert.equal(d.status, 'active');
    assert.deepEqual(d.waitingAt(), ['b', 'd']);
    d.completeTask('d');
    assert.deepEqual(d.waitingAt(), ['b']);
    assert.deepEqual(d.joinTokens(), { join1: { dJoin: 1 } });
    d.completeTask('b');
    assert.deepEqual(d.waitingAt(), ['f']);
    assert.equal(count(d.passed, 'join1'), 1);
    assert.deepEqual(d.joinTokens(), {});
    d.completeTask('f');
    assert.equal(d.status, 'completed');
    assert.equal(count(d.passed, 'end'), 1);
    assert.equal(count(d.passed, 'endE'), 1);
    await d.assertDeterministic();
  });

  it('unstructured fork/join (B finished first): F runs while E still waits; the instance ends after E', async () => {
    const d = await Driver.load('parallel-unstructured.bpmn');
    d.start();
    d.completeTask('b');
    assert.deepEqual(d.joinTokens(), { join1: { bJoin: 1 } });
    assert.deepEqual(d.waitingAt(), ['c']);
    d.completeTask('c');
    assert.deepEqual(d.waitingAt(), ['d', 'e']);
    d.completeTask('d');
    assert.deepEqual(d.waitingAt(), ['e', 'f']);
    assert.equal(count(d.passed, 'join1'), 1);
    d.completeTask('f');
    assert.equal(d.status, 'active', 'E still holds a token');
    assert.deepEqual(d.waitingAt(), ['e']);
    d.completeTask('e');
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('a join inside a loop is passed twice; the tokens of the second pass are counted afresh', async () => {
    const d = await Driver.load('parallel-join-loop.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a', 'b']);
    d.completeTask('a');
    assert.deepEqual(d.joinTokens(), { join: { ja: 1 } });
    d.completeTask('b');
    assert.deepEqual(d.waitingAt(), ['check']);
    assert.deepEqual(d.joinTokens(), {});
    d.completeTask('check', { repeat: true });

    // second pass
    assert.deepEqual(d.waitingAt(), ['a', 'b']);
    assert.equal(count(d.passed, 'loopMerge'), 2);
    d.completeTask('b');
    assert.deepEqual(d.joinTokens(), { join: { jb: 1 } }, 'nothing left over from the first pass');
    assert.deepEqual(d.waitingAt(), ['a']);
    assert.equal(count(d.passed, 'join'), 1);
    d.completeTask('a');
    assert.equal(count(d.passed, 'join'), 2);
    assert.deepEqual(d.waitingAt(), ['check']);
    d.completeTask('check', { repeat: false });
    assert.equal(d.status, 'completed');
    await d.assertDeterministic();
  });

  it('two tokens on the same incoming flow: the join fires once per complete set, the extra token waits', async () => {
    // fork → A1, A2, B; A1 and A2 merge (XOR) onto flow fromA; B arrives on fromB.
    const d = await Driver.load('parallel-join-excess.bpmn');
    d.start();
    assert.deepEqual(d.waitingAt(), ['a1', 'a2', 'b']);
    d.completeTask('a1');
    assert.deepEqual(d.joinTokens(), { join: { fromA: 1 } });
    d.completeTask('a2');
    assert.deepEqual(d.joinTokens(), { join: { fromA: 2 } });
    assert.equal(count(d.passed, 'join'), 0, 'two tokens on one flow are not a token on each flow');
    assert.deepEqual(d.waitingAt(), ['b']);
    d.completeTask('b');
    assert.equal(count(d.passed, 'join'), 1);
    assert.deepEqual(d.waitingAt(), ['c'], 'exactly one token leaves the join');
    assert.deepEqual(d.joinTokens(), { join: { fromA: 1 } }, 'the excess token remains on its flow');
    d.completeTask('c');
    assert.equal(d.status, 'active', 'a token still rests at the join, so the instance is not complete (§13.1)');
    assert.deepEqual(d.waitingAt(), []);
    assert.deepEqual(d.joinTokens(), { join: { fromA: 1 } });
    assert.equal(d.effectsOf('processEnded').length, 0);
    await d.assertDeterministic();
  });
});
