/**
 * JUEL values: every operator and keyword of the supported subset of Unified EL 2.2
 * (JSR-245), with the EL coercions. Section numbers (§) refer to the EL 2.2 specification.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../../src/common/json.js';
import { evaluate, variablesScope } from '../../../src/engine/expressions/index.js';

const vars: Record<string, JsonValue> = {
  x: 7,
  y: 2,
  zero: 0,
  pi: 3.5,
  n: null,
  s5: '5',
  s25: '2.5',
  blank: '',
  t: true,
  f: false,
  st: 'true',
  sTRUE: 'TRUE',
  sf: 'false',
  name: 'bob',
  i: 1,
  key: 'id',
  items: [1, 2, 3],
  none: [],
  obj: {},
  order: { id: 'A-1', lines: [{ sku: 'p1', qty: 2 }, { sku: 'p2', qty: 5 }], meta: {}, 'with space': 1 },
  $dollar: 'd',
  _under: 'u',
  größe: 'g',
};
const scope = variablesScope(vars);

/** [JUEL source, expected value] */
type Case = readonly [string, JsonValue];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [source, expected] of cases) {
      test(`${source} → ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(evaluate({ kind: 'juel', source }, scope), expected);
      });
    }
  });
}

// §1.3 Literals; §1.19 StringLiteral: only \\ and the enclosing quote are escapes.
table('literals (§1.3)', [
  ['${true}', true],
  ['${false}', false],
  ['${null}', null],
  ['${42}', 42],
  ['${4.5}', 4.5],
  ['${.5}', 0.5],
  ['${1e3}', 1000],
  ['${1.5E-1}', 0.15],
  ["${'single'}", 'single'],
  ['${"double"}', 'double'],
  ["${'it\\'s'}", "it's"],
  ['${"say \\"hi\\""}', 'say "hi"'],
  ["${'back\\\\slash'}", 'back\\slash'],
  ['${"it\'s"}', "it's"],
  ["${'a}b'}", 'a}b'],
  ["${''}", ''],
]);

// §1.2.1 eval-expressions: a lone ${…} keeps its type; composite text concatenates its
// parts coerced to String (§1.18.2: null → "", objects → their text, here JSON).
table('composite text (§1.2.1, §1.18.2)', [
  ['order-${order.id}-x', 'order-A-1-x'],
  ['${x}${y}', '72'],
  ['${x} ', '7 '],
  ['[${n}]', '[]'],
  ['v=${t}', 'v=true'],
  ['pi=${pi}', 'pi=3.5'],
  ['list ${items}', 'list [1,2,3]'],
  ['meta ${order.meta}', 'meta {}'],
  ['plain text', 'plain text'],
  ['', ''],
  ['\\${x} is ${x}', '${x} is 7'],
  ['\\#{x}', '#{x}'],
  ['a\\b', 'a\\b'],
  ['#{x + 1}', 8],
  ['${pi * 2}', 7],
  ['${items}', [1, 2, 3]],
  ['${order.lines[0]}', { sku: 'p1', qty: 2 }],
  ['${ x\n> 5 }', true],
]);

// §1.5 identifiers (Java identifiers) and §1.6 the [] and . operators: a null base or
// property gives null; a missing map key or an index out of range gives null.
table('identifiers and property paths (§1.5, §1.6)', [
  ['${x}', 7],
  ['${n}', null],
  ['${$dollar}', 'd'],
  ['${_under}', 'u'],
  ['${größe}', 'g'],
  ['${order.id}', 'A-1'],
  ["${order['id']}", 'A-1'],
  ['${order["with space"]}', 1],
  ['${order[key]}', 'A-1'],
  ['${order.lines[1].qty}', 5],
  ['${order.lines[i].sku}', 'p2'],
  ["${order['lines'][0]['sku']}", 'p1'],
  ['${items[0]}', 1],
  ["${items['2']}", 3],
  ['${items[1.9]}', 2],
  ['${items[3]}', null],
  ['${items[-1]}', null],
  ['${order.missing}', null],
  ['${order.missing.deeper}', null],
  ['${n.anything}', null],
  ['${n[0]}', null],
  ['${order[n]}', null],
  ['${order.meta}', {}],
  ['${order.constructor}', null],
  ['${obj.__proto__}', null],
]);

// §1.7 arithmetic: null and null → 0; numeric strings are coerced (§1.18.3); `/` is
// always a Double division (§1.7.2); `%` is Java's remainder (§1.7.3).
table('arithmetic (§1.7)', [
  ['${x + y}', 9],
  ['${x - y}', 5],
  ['${x * y}', 14],
  ['${x / y}', 3.5],
  ['${x div y}', 3.5],
  ['${x % y}', 1],
  ['${x mod y}', 1],
  ['${-x}', -7],
  ['${- -x}', 7],
  ['${-pi}', -3.5],
  ['${n + n}', 0],
  ['${n - n}', 0],
  ['${n * n}', 0],
  ['${n / n}', 0],
  ['${n % n}', 0],
  ['${n + 1}', 1],
  ['${n * x}', 0],
  ['${-n}', 0],
  ['${s5 + 1}', 6],
  ['${s25 * 2}', 5],
  ['${-s5}', -5],
  ["${'1e2' + 0}", 100],
  ['${blank + 1}', 1],
  ['${1 + 2 * 3}', 7],
  ['${(1 + 2) * 3}', 9],
  ['${10 - 2 - 3}', 5],
  ['${12 / 2 / 3}', 2],
  ['${2 * 3 % 4}', 2],
  ['${5.5 % 2}', 1.5],
  ['${-7 % 2}', -1],
  ['${0 * -1}', 0],
  ['${x / 0 > 1000}', true],
  ['${0.1 + 0.2 > 0.3}', true],
]);

// §1.8.1 relational: a number on either side compares numerically (numeric strings
// coerced); otherwise strings compare lexically; a null operand makes it false, except
// identical operands for <= and >=.
table('relational operators (§1.8.1)', [
  ['${x > 5}', true],
  ['${x < 5}', false],
  ['${x >= 7}', true],
  ['${x <= 6}', false],
  ['${x gt 5}', true],
  ['${x lt 5}', false],
  ['${x ge 7}', true],
  ['${x le 7}', true],
  ['${x > s5}', true],
  ['${s5 < 10}', true],
  ["${'10' < '9'}", true],
  ["${'abc' < 'abd'}", true],
  ["${name > 'alice'}", true],
  ['${n < 1}', false],
  ['${n > 1}', false],
  ['${n <= n}', true],
  ['${n >= n}', true],
  ['${n < n}', false],
  ['${f < t}', true],
  ["${t > 'false'}", true],
  ['${1 < 2 == true}', true],
]);

// §1.8.2 equality: numbers compare numerically, a boolean operand makes both booleans
// (§1.18.5), a string operand makes both strings, containers compare structurally.
table('equality operators (§1.8.2)', [
  ['${x == 7}', true],
  ['${x eq 7}', true],
  ['${x != 7}', false],
  ['${x ne 8}', true],
  ["${x == '7'}", true],
  ['${x == s5}', false],
  ['${pi == 3.5}', true],
  ['${1 == 1.0}', true],
  ['${n == n}', true],
  ['${n == null}', true],
  ['${n == 0}', false],
  ['${n != x}', true],
  ["${name == 'bob'}", true],
  ['${name eq "bob"}', true],
  ["${name != 'Bob'}", true],
  ["${t == 'true'}", true],
  ["${t == 'TRUE'}", true],
  ["${t == 'yes'}", false],
  ['${f == blank}', true],
  ['${order.meta == obj}', true],
  ['${items == items}', true],
  ['${order.lines[0] == order.lines[1]}', false],
]);

// §1.9 logical operators coerce operands to Boolean (§1.18.5: null and "" → false,
// strings → equalsIgnoreCase("true")) and short-circuit: the right side is not evaluated.
table('logical operators (§1.9)', [
  ['${t && f}', false],
  ['${t and t}', true],
  ['${f || t}', true],
  ['${f or f}', false],
  ['${!t}', false],
  ['${not f}', true],
  ['${!n}', true],
  ['${!blank}', true],
  ['${st && t}', true],
  ['${sTRUE and t}', true],
  ['${sf || f}', false],
  ["${'yes' || f}", false],
  ['${f && x}', false],
  ['${t || undefinedVariable}', true],
  ['${f and undefinedVariable.x}', false],
  ["${name == 'bob' && x > 5}", true],
  ['${t || f && f}', true],
  ['${!(x > 5)}', false],
  ['${not (x > 5) or t}', true],
]);

// §1.10 empty: null, "", an empty array or object.
table('empty (§1.10)', [
  ['${empty n}', true],
  ['${empty blank}', true],
  ['${empty none}', true],
  ['${empty obj}', true],
  ['${empty order.missing}', true],
  ['${empty items}', false],
  ['${empty name}', false],
  ['${empty x}', false],
  ['${empty zero}', false],
  ['${empty f}', false],
  ['${not empty items}', true],
  ['${!empty order.lines}', true],
]);

// §1.11 conditional (right-associative), §1.12 parentheses, §1.16 precedence.
table('conditional, parentheses and precedence (§1.11, §1.12, §1.16)', [
  ["${t ? 'a' : 'b'}", 'a'],
  ["${x > 5 ? 'big' : 'small'}", 'big'],
  ['${f ? 1 : n == null ? 2 : 3}', 2],
  ['${st ? 1 : 2}', 1],
  ['${n ? 1 : 2}', 2],
  ['${t ? 1 : undefinedVariable}', 1],
  ['${(x)}', 7],
  ['${-(1 + 2)}', -3],
  ['${1 + 2 == 3}', true],
  ['${x > 5 && y < 5 ? x - y : 0}', 5],
]);
