/**
 * FEEL through feelin: values (lists, contexts, functions, paths, filters), conversion of
 * results to JSON (dates as ISO-8601 strings), missing variables and syntax errors.
 * Messages quote FEEL with its leading `=`; positions are offsets into the text after it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../../src/common/json.js';
import { checkExpression, evaluate, evaluateCondition, variablesScope } from '../../../src/engine/expressions/index.js';
import { assertExpressionError, type ExpectedFailure } from './helpers.js';

const scope = variablesScope({
  x: 7,
  n: null,
  name: 'bob',
  items: [1, 2, 3],
  due: '2021-01-01',
  'order total': 10,
  order: { id: 'A-1', lines: [{ sku: 'p1', qty: 2 }, { sku: 'p2', qty: 5 }] },
} satisfies Record<string, JsonValue>);

const feel = (source: string) => ({ kind: 'feel', source }) as const;

/** [FEEL source, expected value] */
type Case = readonly [string, JsonValue];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [source, expected] of cases) {
      test(`=${source} → ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(evaluate(feel(source), scope), expected);
      });
    }
  });
}

table('values (DMN 1.3 FEEL §10.3)', [
  ['x', 7],
  [' x ', 7],
  ['n', null],
  ['x > 5', true],
  ['x * 2 + 1', 15],
  ['count(items) > 2', true],
  ['sum(items)', 6],
  ['if x > 5 then "a" else "b"', 'a'],
  ['if x > 50 then "a" else "b"', 'b'],
  ['items[1]', 1],
  ['items[-1]', 3],
  ['items[item > 1]', [2, 3]],
  ['order.id', 'A-1'],
  ['order.lines[2].qty', 5],
  ['order.lines.sku', ['p1', 'p2']],
  ['order.lines[qty > 3].sku', ['p2']],
  ['{a: 1, b: [x, "s"], c: {d: null}}', { a: 1, b: [7, 's'], c: { d: null } }],
  ['for i in items return i * 2', [2, 4, 6]],
  ['some i in items satisfies i > 2', true],
  ['every i in items satisfies i > 2', false],
  ['string length(name)', 3],
  ['name + "!"', 'bob!'],
  ['upper case(name)', 'BOB'],
  ['order total > 5', true],
  ['(function(a) a * 2)(x)', 14],
  ['x in [1..10]', true],
  ['n = null', true],
  // FEEL's own null semantics are kept where no variable is missing: a missing context
  // key and an ill-typed operation are null in FEEL (feelin warns), not errors.
  ['order.missing', null],
  ['"a" + 1', null],
  // A missing variable used by FEEL's own null check is FEEL semantics, not a silent failure.
  ['undefinedVariable = null', true],
]);

// FEEL temporal values become ISO-8601 strings (dates, times, date-times; durations as
// ISO-8601 durations); a date-time in an IANA zone prints as Java's ZonedDateTime does.
table('temporal values become ISO-8601 strings', [
  ['date("2020-01-01")', '2020-01-01'],
  ['date("2020-01-31") + duration("P1D")', '2020-02-01'],
  ['date and time("2020-01-01T10:00:00Z")', '2020-01-01T10:00:00Z'],
  ['date and time("2020-01-01T10:00:00+02:00")', '2020-01-01T10:00:00+02:00'],
  ['date and time("2020-01-01T10:00:00")', '2020-01-01T10:00:00'],
  ['date and time("2020-07-01T10:00:00@Europe/Paris")', '2020-07-01T10:00:00+02:00[Europe/Paris]'],
  ['time("10:30:00")', '10:30:00'],
  ['duration("P1DT2H")', 'P1DT2H'],
  ['duration("P14M")', 'P1Y2M'],
  ['date(due) - date("2020-12-31")', 'P1D'],
  ['[date("2020-01-01"), time("08:00:00")]', ['2020-01-01', '08:00:00']],
  ['{d: date("2020-01-01")}', { d: '2020-01-01' }],
  ['date(due) > date("2020-01-01")', true],
]);

describe('FEEL conditions', () => {
  const cases: readonly (readonly [string, boolean])[] = [
    ['x > 5', true],
    ['x < 5', false],
    ['count(items) > 2 and name = "bob"', true],
    ['not(x > 5)', false],
  ];
  for (const [source, expected] of cases) {
    test(`=${source} → ${String(expected)}`, () => {
      assert.equal(evaluateCondition(feel(source), scope), expected);
    });
  }
});

/** [FEEL source, how it is evaluated, expectation without the expression] */
type ErrorCase = readonly [string, 'value' | 'condition', Omit<ExpectedFailure, 'expression'>];

describe('FEEL failures', () => {
  const cases: readonly ErrorCase[] = [
    ['y > 5', 'value', { code: 'FAILED', variable: 'y', position: 0 }],
    ['y > 5', 'condition', { code: 'FAILED', variable: 'y', position: 0 }],
    ['y', 'value', { code: 'FAILED', variable: 'y', position: 0 }],
    [' y', 'condition', { code: 'FAILED', variable: 'y', position: 1 }],
    ['x + missing', 'value', { code: 'FAILED', variable: 'missing', position: 4 }],
    ['count(things) > 2', 'condition', { code: 'FAILED', variable: 'things', position: 6 }],
    ['customer.age >= 18', 'condition', { code: 'FAILED', variable: 'customer' }],
    ['foo(1)', 'value', { code: 'FAILED', includes: "function 'foo' is not defined" }],
    ['function(a) a', 'value', { code: 'FAILED', includes: 'cannot store a FEEL function as a variable' }],
    ['{f: function(a) a}', 'value', { code: 'FAILED', includes: 'cannot store a FEEL function as a variable (result.f)' }],
    ['[1..3]', 'value', { code: 'FAILED', includes: 'cannot store a FEEL range as a variable' }],
    ['10 ** 400', 'value', { code: 'FAILED', includes: 'Infinity, which is not a finite number' }],
    ['"yes"', 'condition', { code: 'FAILED', includes: 'the condition returned a string, not a boolean' }],
    ['x', 'condition', { code: 'FAILED', includes: 'the condition returned a number, not a boolean' }],
    ['n', 'condition', { code: 'FAILED', includes: 'the condition returned null, not a boolean' }],
    ['items', 'condition', { code: 'FAILED', includes: 'returned an array' }],
    ['order', 'condition', { code: 'FAILED', includes: 'returned a context' }],
    ['date("2020-01-01")', 'condition', { code: 'FAILED', includes: 'returned a date' }],
    ['"a" + 1 > 0', 'condition', { code: 'FAILED', includes: ['returned null', 'FEEL warnings'] }],
    ['1 +', 'value', { code: 'FAILED', includes: 'syntax error at position 3', position: 3 }],
    ['if then', 'value', { code: 'FAILED', includes: 'syntax error at position 3', position: 3 }],
    ['', 'value', { code: 'FAILED', includes: 'syntax error at position 0', position: 0 }],
  ];
  for (const [source, how, expected] of cases) {
    test(`${how} =${source}`, () => {
      const run = how === 'value' ? () => evaluate(feel(source), scope) : () => evaluateCondition(feel(source), scope);
      assertExpressionError(run, { ...expected, expression: `=${source}` });
    });
  }
});

describe('FEEL deploy-time check', () => {
  for (const source of ['x > 5', 'order total > 5', 'count(items) > 2', 'date and time("x")', 'items[item > 1]', 'missing.anything']) {
    test(`=${source} passes`, () => {
      assert.doesNotThrow(() => checkExpression(feel(source)));
    });
  }
  const failing: readonly (readonly [string, number, string])[] = [
    ['1 +* 2', 3, 'unexpected "*"'],
    ['1 +', 3, 'unexpected end of expression'],
    ['{ a: 1 ', 7, 'unexpected end of expression'],
    ['if then', 3, 'unexpected "then"'],
    ['', 0, 'unexpected end of expression'],
  ];
  for (const [source, position, text] of failing) {
    test(`=${source} fails at ${position}`, () => {
      assertExpressionError(() => checkExpression(feel(source)), {
        code: 'FAILED',
        expression: `=${source}`,
        position,
        includes: [`syntax error at position ${position}`, text],
      });
    });
  }
});
