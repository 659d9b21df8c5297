/** `${…}` templating: lookups only, missing variables named, no code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isProcosError } from '../../src/common/errors.js';
import { AdaptersErrors, parseTemplate, renderJson, renderTemplate } from '../../src/adapters/index.js';

const vars = { name: 'Ada', n: 3, ok: true, nothing: null, user: { id: 'u1', tags: ['a', 'b'] }, items: [{ sku: 'x' }] };

test('renders names and dotted paths; values as text', () => {
  assert.equal(renderTemplate('Hello ${name}!', vars), 'Hello Ada!');
  assert.equal(renderTemplate('${user.id}/${user.tags.1}/${items.0.sku}', vars), 'u1/b/x');
  assert.equal(renderTemplate('${n}-${ok}-[${nothing}]', vars), '3-true-[]');
  assert.equal(renderTemplate('${user.tags}', vars), '["a","b"]');
  assert.equal(renderTemplate('${ name }', vars), 'Ada', 'spaces inside the braces are allowed');
  assert.equal(renderTemplate('no placeholders', vars), 'no placeholders');
  assert.equal(renderTemplate('', vars), '');
  assert.equal(renderTemplate('cost: $5, literal $${name}', vars), 'cost: $5, literal ${name}');
});

test('inserted values are data: never scanned for placeholders again', () => {
  assert.equal(renderTemplate('${evil}', { evil: '${name}', name: 'x' }), '${name}');
});

test('a missing variable is an error naming it', () => {
  for (const [template, variable] of [
    ['${missing}', 'missing'],
    ['id ${user.nope}', 'user.nope'],
    ['${user.tags.5}', 'user.tags.5'],
    ['${name.length}', 'name.length'],
    ['${constructor}', 'constructor'],
    ['${user.__proto__}', 'user.__proto__'],
  ] as const) {
    assert.throws(
      () => renderTemplate(template, vars),
      (e) => isProcosError(e, AdaptersErrors.TEMPLATE_VARIABLE_MISSING) && e.details.variable === variable && e.message.includes(`"${variable}"`),
      template,
    );
  }
});

test('anything but a lookup is refused as an invalid template', () => {
  for (const t of ['${a + b}', '${f()}', '${}', '${a[0]}', 'open ${name', '${a..b}', "${process.env['X']}"]) {
    assert.throws(() => parseTemplate(t), (e) => isProcosError(e, AdaptersErrors.TEMPLATE_INVALID), t);
  }
});

test('renderJson keeps the type of a whole-string placeholder and renders nested strings', () => {
  assert.deepEqual(renderJson({ who: '${user}', n: '${n}', label: 'n=${n}', list: ['${name}', 1, null], k: { deep: '${ok}' } }, vars), {
    who: { id: 'u1', tags: ['a', 'b'] },
    n: 3,
    label: 'n=3',
    list: ['Ada', 1, null],
    k: { deep: true },
  });
});
