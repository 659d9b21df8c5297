/**
 * JUEL failures: undefined variables, operands EL cannot coerce, refused method and
 * function calls, and syntax errors with their positions. Every error must carry the
 * right code, quote the expression and, for a missing variable, name it.
 */
import { describe, test } from 'node:test';
import type { JsonValue } from '../../../src/common/json.js';
import { checkExpression, evaluate, variablesScope } from '../../../src/engine/expressions/index.js';
import { assertExpressionError, type ExpectedFailure } from './helpers.js';

const scope = variablesScope({
  x: 7,
  t: true,
  zero: 0,
  name: 'bob',
  items: [1, 2, 3],
  obj: {},
  order: { id: 'A-1' },
} satisfies Record<string, JsonValue>);

/** [JUEL source, expectation without the expression (it is the source)] */
type Case = readonly [string, Omit<ExpectedFailure, 'expression'>];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [source, expected] of cases) {
      test(source, () => {
        assertExpressionError(() => evaluate({ kind: 'juel', source }, scope), { ...expected, expression: source });
      });
    }
  });
}

// EL §1.5: an identifier no resolver knows is an error (Camunda: PropertyNotFoundException),
// never null or false.
table('undefined variables', [
  ['${amount > 5}', { code: 'FAILED', variable: 'amount', position: 2 }],
  ['order-${id}', { code: 'FAILED', variable: 'id', position: 8 }],
  ['${customer.id}', { code: 'FAILED', variable: 'customer' }],
  ['${t && missing}', { code: 'FAILED', variable: 'missing' }],
  ['${items[idx]}', { code: 'FAILED', variable: 'idx' }],
  ['${empty missing}', { code: 'FAILED', variable: 'missing' }],
  ['${missing == null}', { code: 'FAILED', variable: 'missing' }],
  ['${constructor}', { code: 'FAILED', variable: 'constructor' }],
]);

// §1.18.3 coerce to Number, §1.18.5 coerce to Boolean, §1.6 property resolution.
table('operands EL cannot coerce', [
  ['${name + 1}', { code: 'FAILED', includes: ['name = "bob" (a string)', "'+'", 'not a number', "no string concatenation with '+'"] }],
  ["${'a' + 'b'}", { code: 'FAILED', includes: ['"a" (a string)', 'not a number'] }],
  ['${t + 1}', { code: 'FAILED', includes: ['t = true (a boolean)', 'not a number'] }],
  ['${items * 2}', { code: 'FAILED', includes: ['items = [1,2,3] (an array)'] }],
  ['${-name}', { code: 'FAILED', includes: ['name = "bob"', "'-'"] }],
  ["${x == 'abc'}", { code: 'FAILED', includes: ['"abc" (a string)', "'=='"] }],
  ["${x < 'abc'}", { code: 'FAILED', includes: ['"abc" (a string)', "'<'"] }],
  ['${items < obj}', { code: 'FAILED', includes: ['cannot compare items = [1,2,3] (an array) with obj = {} (an object)'] }],
  ['${t == 1}', { code: 'FAILED', includes: ['t = true (a boolean)', 'not a number'] }],
  ['${x && t}', { code: 'FAILED', includes: ['x = 7 (a number)', "'&&'", 'boolean'] }],
  ['${zero == 1 or x}', { code: 'FAILED', includes: ['x = 7 (a number)', "'||'"] }],
  ['${!x}', { code: 'FAILED', includes: ['x = 7 (a number)', "'!'"] }],
  ['${not x > 5}', { code: 'FAILED', includes: ['x = 7 (a number)', "'!'"] }],
  ['${x ? 1 : 2}', { code: 'FAILED', includes: ['x = 7 (a number)', "'?'"] }],
  ['${x mod 0}', { code: 'FAILED', includes: 'division by zero' }],
  ['${x % zero}', { code: 'FAILED', includes: 'division by zero' }],
  ['${name.length}', { code: 'FAILED', includes: 'cannot read property "length" of name = "bob" (a string)' }],
  ['${x.y}', { code: 'FAILED', includes: 'cannot read property "y" of x = 7 (a number)' }],
  ['${items.size}', { code: 'FAILED', includes: '"size" (a string) is not an index of the array items' }],
  ['${items[t]}', { code: 'FAILED', includes: 'is not an index' }],
  ['${1 / 0}', { code: 'FAILED', includes: 'Infinity is not a finite number' }],
  ['${zero / zero}', { code: 'FAILED', includes: 'NaN is not a finite number' }],
]);

// Camunda's JUEL resolves beans and Java methods; the engine has JSON variables only.
table('method and function calls are refused', [
  ['${x.foo()}', { code: 'UNSUPPORTED', includes: ["method calls on host objects are not supported ('foo')"], position: 4 }],
  [
    "${execution.getVariable('a')}",
    { code: 'UNSUPPORTED', includes: "method calls on host objects are not supported ('getVariable')", position: 12 },
  ],
  ['${bean.method(1)}', { code: 'UNSUPPORTED', includes: 'method calls on host objects are not supported' }],
  ['${order.lines[0].get(0)}', { code: 'UNSUPPORTED', includes: "('get')" }],
  ['${items[0](1)}', { code: 'UNSUPPORTED', includes: 'method calls' }],
  ['${fn:x()}', { code: 'UNSUPPORTED', includes: "function calls are not supported ('fn:x')", position: 2 }],
  ['${len(items)}', { code: 'UNSUPPORTED', includes: "function calls are not supported ('len')" }],
  ['text ${t ? fn:upper(name) : 1}', { code: 'UNSUPPORTED', includes: "('fn:upper')", position: 11 }],
  ['${execution.processInstanceId}', { code: 'UNSUPPORTED', includes: "host object 'execution'" }],
  ['${execution}', { code: 'UNSUPPORTED', includes: "host object 'execution'" }],
]);

// EL 3.0 additions and malformed text are syntax errors; positions are 0-based offsets
// into the whole expression text.
table('syntax errors with positions', [
  ['${x = 5}', { code: 'FAILED', includes: ["syntax error at position 4: unexpected '='", 'assignment'], position: 4 }],
  ['${x += 1}', { code: 'FAILED', includes: ["unexpected '+='", 'assignment'], position: 4 }],
  ['${x -> x}', { code: 'FAILED', includes: ["unexpected '->'", 'lambda'], position: 4 }],
  ['${(a, b) -> a}', { code: 'FAILED', includes: "unexpected ','", position: 4 }],
  ['${x; t}', { code: 'FAILED', includes: ["unexpected ';'", 'statement separators'], position: 3 }],
  ['${a instanceof b}', { code: 'FAILED', includes: "'instanceof' is not supported", position: 4 }],
  ['${ {1, 2} }', { code: 'FAILED', includes: 'collection literals', position: 3 }],
  ['${x >}', { code: 'FAILED', includes: "syntax error at position 5: unexpected '}'", position: 5 }],
  ['${}', { code: 'FAILED', includes: "unexpected '}'", position: 2 }],
  ['${x', { code: 'FAILED', includes: "missing '}'", position: 3 }],
  ['a ${x + (1}', { code: 'FAILED', includes: "expected ')'", position: 10 }],
  ['${items[0}', { code: 'FAILED', includes: "expected ']'", position: 9 }],
  ['${t ? 1}', { code: 'FAILED', includes: "expected ':'", position: 7 }],
  ["${'abc}", { code: 'FAILED', includes: 'unterminated string', position: 2 }],
  ["${'a\\nb'}", { code: 'FAILED', includes: 'invalid escape sequence \\n', position: 4 }],
  ['${"a\\\'b"}', { code: 'FAILED', includes: "invalid escape sequence \\'", position: 4 }],
  ['${x @ t}', { code: 'FAILED', includes: 'unexpected character "@"', position: 4 }],
  ['${x & t}', { code: 'FAILED', includes: 'unexpected character "&"', position: 4 }],
  ['${1 2}', { code: 'FAILED', includes: "unexpected '2'", position: 4 }],
  ['${order.}', { code: 'FAILED', includes: "expected a property name after '.'", position: 8 }],
  ['${order.empty}', { code: 'FAILED', includes: "unexpected 'empty'", position: 8 }],
  ['${99999999999999999999}', { code: 'FAILED', includes: 'integer literal 99999999999999999999 is out of range', position: 2 }],
  ['${x}#{x}', { code: 'FAILED', includes: 'may not mix', position: 4 }],
  ['text ${x > } more', { code: 'FAILED', includes: "unexpected '}'", position: 11 }],
]);

describe('deploy-time check reports the same syntax errors and refusals', () => {
  const cases: readonly Case[] = [
    ['${x = 5}', { code: 'FAILED', position: 4 }],
    ['${x', { code: 'FAILED', position: 3 }],
    ["${execution.getVariable('a')}", { code: 'UNSUPPORTED', includes: 'method calls on host objects are not supported' }],
    ['${fn:x()}', { code: 'UNSUPPORTED' }],
  ];
  for (const [source, expected] of cases) {
    test(source, () => {
      assertExpressionError(() => checkExpression({ kind: 'juel', source }), { ...expected, expression: source });
    });
  }
});
