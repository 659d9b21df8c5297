/**
 * The public API: dispatch by expression kind, sequence-flow conditions (boolean only,
 * never a silent false), deploy-time checks, the variable scope helper and the parse cache.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../../src/common/json.js';
import type { Expr } from '../../../src/model/types.js';
import { BoundedCache } from '../../../src/engine/expressions/cache.js';
import {
  checkExpression,
  evaluate,
  evaluateCondition,
  variablesScope,
  type VariableScope,
} from '../../../src/engine/expressions/index.js';
import { assertExpressionError } from './helpers.js';

const juel = (source: string): Expr => ({ kind: 'juel', source });

describe('literal expressions', () => {
  const values: readonly JsonValue[] = ['text', 42, true, null, [1, 'a'], { a: { b: 1 } }];
  for (const value of values) {
    test(`literal ${JSON.stringify(value)} is returned as is`, () => {
      assert.deepEqual(evaluate({ kind: 'literal', value }, variablesScope({})), value);
      assert.doesNotThrow(() => checkExpression({ kind: 'literal', value }));
    });
  }
  test('a literal boolean is a condition', () => {
    assert.equal(evaluateCondition({ kind: 'literal', value: false }, variablesScope({})), false);
  });
  test('a literal that is not a boolean is not a condition', () => {
    assertExpressionError(() => evaluateCondition({ kind: 'literal', value: 'yes' }, variablesScope({})), {
      code: 'FAILED',
      expression: '"yes"',
      includes: 'the condition returned a string, not a boolean',
    });
  });
});

// bpmn-engine's pitfall: a JS-style evaluator turns `${x > 5}` with x undefined into
// false and silently takes another flow. Here it is an error naming x.
describe('sequence-flow condition ${x > 5} (the bpmn-engine pitfall)', () => {
  const cases: readonly (readonly [string, Record<string, JsonValue>, boolean])[] = [
    ['x = 7', { x: 7 }, true],
    ['x = 3', { x: 3 }, false],
    ['x = "7" (numeric string, EL §1.8.1)', { x: '7' }, true],
    ['x = null (EL §1.8.1: null operand → false)', { x: null }, false],
  ];
  for (const [label, vars, expected] of cases) {
    test(`${label} → ${String(expected)}`, () => {
      assert.equal(evaluateCondition(juel('${x > 5}'), variablesScope(vars)), expected);
    });
  }
  test('x missing → EXPRESSION_FAILED naming x, never false', () => {
    const e = assertExpressionError(() => evaluateCondition(juel('${x > 5}'), variablesScope({})), {
      code: 'FAILED',
      expression: '${x > 5}',
      variable: 'x',
    });
    assert.equal(e.message, "expression ${x > 5} failed: variable 'x' is not defined");
  });
  test('x missing in FEEL → EXPRESSION_FAILED naming x, never false', () => {
    assertExpressionError(() => evaluateCondition({ kind: 'feel', source: 'x > 5' }, variablesScope({})), {
      code: 'FAILED',
      expression: '=x > 5',
      variable: 'x',
    });
  });
});

describe('JUEL conditions must return a boolean (as Camunda 7 requires)', () => {
  const scope = variablesScope({ n: 1, s: 'true', z: null, list: [true], map: { a: true } });
  const cases: readonly (readonly [string, string])[] = [
    ['${n}', 'a number'],
    ['${s}', 'a string'],
    ["${'true'}", 'a string'],
    ['${z}', 'null'],
    ['${list}', 'an array'],
    ['${map}', 'an object'],
    ['flag ${s}', 'a string'],
  ];
  for (const [source, type] of cases) {
    test(`${source} returns ${type}`, () => {
      assertExpressionError(() => evaluateCondition(juel(source), scope), {
        code: 'FAILED',
        expression: source,
        includes: `the condition returned ${type}, not a boolean`,
      });
    });
  }
  test('${list[0]} and ${map.a} are booleans', () => {
    assert.equal(evaluateCondition(juel('${list[0]}'), scope), true);
    assert.equal(evaluateCondition(juel('${map.a}'), scope), true);
  });
});

describe('checkExpression', () => {
  const valid: readonly Expr[] = [
    juel('${missing > 1}'),
    juel('order-${a.b[0]}-${empty c ? 1 : 2}'),
    juel('no expression at all'),
    { kind: 'feel', source: 'missing > 1' },
  ];
  for (const expr of valid) {
    test(`${JSON.stringify(expr)} passes without variables`, () => {
      assert.doesNotThrow(() => checkExpression(expr));
    });
  }
});

describe('variablesScope', () => {
  test('sees own properties only', () => {
    const scope = variablesScope({ a: null });
    assert.equal(scope.get('a'), null);
    assert.equal(scope.get('toString'), undefined);
    assert.deepEqual(scope.all(), { a: null });
  });
});

describe('compiled JUEL is reused across scopes', () => {
  test('the same source evaluates against each scope it is given', () => {
    const expr = juel('${a + 1}');
    for (let a = 0; a < 5; a++) assert.equal(evaluate(expr, variablesScope({ a })), a + 1);
    assertExpressionError(() => evaluate(expr, variablesScope({})), { code: 'FAILED', expression: '${a + 1}', variable: 'a' });
  });
  test('a scope is read through get() only, and only for the names used', () => {
    const asked: string[] = [];
    const scope: VariableScope = {
      get: (name) => {
        asked.push(name);
        return name === 'a' ? 1 : undefined;
      },
      all: () => assert.fail('JUEL must not read all variables'),
    };
    assert.equal(evaluate(juel('${a > 0 || b}'), scope), true);
    assert.deepEqual(asked, ['a']);
  });
  test('a failed parse is reported again on every call', () => {
    for (let i = 0; i < 2; i++) {
      assertExpressionError(() => evaluate(juel('${a +}'), variablesScope({})), { code: 'FAILED', expression: '${a +}', position: 5 });
    }
  });
});

describe('BoundedCache', () => {
  test('drops the oldest entry when full', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    assert.equal(cache.size, 2);
    cache.set('c', 3);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('b'), 2);
    assert.equal(cache.get('c'), 3);
  });
  test('refuses a size that is not a positive integer', () => {
    assert.throws(() => new BoundedCache<number>(0), RangeError);
  });
});
