/**
 * Expr construction rules: JUEL / FEEL / literal, numeric literals, conditions by
 * language, and the JUEL method-call detector.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelErrors } from '../../src/model/index.js';
import { conditionExpr, findMethodCall, juelSegments, valueExpr } from '../../src/model/expressions.js';

describe('valueExpr', () => {
  it('builds literal, JUEL and FEEL expressions', () => {
    assert.deepEqual(valueExpr('payments'), { expr: { kind: 'literal', value: 'payments' } });
    assert.deepEqual(valueExpr('order-${id}'), { expr: { kind: 'juel', source: 'order-${id}' } });
    assert.deepEqual(valueExpr('#{x}'), { expr: { kind: 'juel', source: '#{x}' } });
    assert.deepEqual(valueExpr('= a + 1'), { expr: { kind: 'feel', source: 'a + 1' } });
    assert.deepEqual(valueExpr('10', { numeric: true }), { expr: { kind: 'literal', value: 10 } });
    assert.deepEqual(valueExpr('-2.5', { numeric: true }), { expr: { kind: 'literal', value: -2.5 } });
    assert.deepEqual(valueExpr('10'), { expr: { kind: 'literal', value: '10' } });
    assert.deepEqual(valueExpr('  ', { emptyIsNull: true }), { expr: { kind: 'literal', value: null } });
  });

  it('refuses empty FEEL, unterminated JUEL and method calls', () => {
    const problem = (r: ReturnType<typeof valueExpr>) => ('problem' in r ? r.problem.spec.code : 'ok');
    assert.equal(problem(valueExpr('=')), ModelErrors.INVALID.code);
    assert.equal(problem(valueExpr('${a')), ModelErrors.INVALID.code);
    assert.equal(problem(valueExpr('${a.b()}')), ModelErrors.JAVA_IMPLEMENTATION.code);
  });
});

describe('conditionExpr', () => {
  it('chooses the language by attribute, body, then definitions default', () => {
    assert.deepEqual(conditionExpr(' ${x > 5} ', undefined), { expr: { kind: 'juel', source: '${x > 5}' } });
    assert.deepEqual(conditionExpr('=x > 5', undefined), { expr: { kind: 'feel', source: 'x > 5' } });
    assert.deepEqual(conditionExpr('x > 5', 'https://www.omg.org/spec/DMN/20191111/FEEL/'), { expr: { kind: 'feel', source: 'x > 5' } });
    assert.deepEqual(conditionExpr('x > 5', undefined, 'http://www.omg.org/spec/FEEL/20140401'), { expr: { kind: 'feel', source: 'x > 5' } });
    assert.deepEqual(conditionExpr('${x}', 'juel'), { expr: { kind: 'juel', source: '${x}' } });
    const code = (r: ReturnType<typeof conditionExpr>) => ('problem' in r ? r.problem.spec.code : 'ok');
    assert.equal(code(conditionExpr('next(null, true)', 'javascript')), ModelErrors.UNSUPPORTED_ELEMENT.code);
    assert.equal(code(conditionExpr('true', undefined)), ModelErrors.INVALID.code);
    assert.equal(code(conditionExpr('', undefined)), ModelErrors.INVALID.code);
  });
});

describe('findMethodCall', () => {
  it('finds method and function calls', () => {
    assert.equal(findMethodCall("execution.getVariable('x')"), 'getVariable');
    assert.equal(findMethodCall('bean.check(a)'), 'check');
    assert.equal(findMethodCall('fn:contains(a, b)'), 'contains');
    assert.equal(findMethodCall('a.b (c)'), 'b');
    assert.equal(findMethodCall("m['k'](1)"), '[…]');
  });

  it('treats EL operator words, grouping and strings as no calls', () => {
    for (const body of ['not(empty(x))', 'a and (b or c)', 'x eq(1)', "s == 'f(x)'", '"call(me)" != y', '(a + 1) * 2', 'x div(2) mod(3)', '1e3 > x', 'list[0].size']) {
      assert.equal(findMethodCall(body), undefined, body);
    }
  });
});

describe('juelSegments', () => {
  it('splits composite expressions and skips braces in strings', () => {
    assert.deepEqual(juelSegments('a-${x}-#{y}'), ['x', 'y']);
    assert.deepEqual(juelSegments("${m['}']}"), ["m['}']"]);
    assert.equal(juelSegments('${open'), undefined);
    assert.deepEqual(juelSegments('plain'), []);
  });
});
