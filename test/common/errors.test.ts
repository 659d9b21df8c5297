/**
 * The error registries (`src/<layer>/errors.ts`) and their documentation (docs/errors.md).
 *
 * Registries are discovered from the compiled tree (`dist/src/<layer>/errors.js`), so a new
 * layer is covered as soon as it has an errors file. A registry is any exported object whose
 * values are all `{code, status}` (an {@link ErrorSpec}).
 *
 * Checked: the code format `PROCOS_<LAYER>_<NAME>` with the layer matching the folder, an
 * HTTP status, codes unique across all registries, every code documented in docs/errors.md
 * (one table row, same status) and no documented code that no registry has.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProcosError, isProcosError } from '../../src/common/errors.js';
import type { ErrorSpec } from '../../src/common/errors.js';

// This file runs as dist/test/common/errors.test.js.
const here = dirname(fileURLToPath(import.meta.url));
const distSrc = resolve(here, '../../src');
const repoRoot = resolve(here, '../../..');
const docsPath = join(repoRoot, 'docs', 'errors.md');

const CODE_FORMAT = /^PROCOS_[A-Z]+_[A-Z0-9_]+$/;

/** One registered code, with where it was found. */
interface Registered {
  layer: string;
  registry: string;
  key: string;
  spec: ErrorSpec;
}

function isErrorSpec(v: unknown): v is ErrorSpec {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.status === 'number';
}

/** An exported plain object whose values are all {code, status}. */
function isRegistry(v: unknown): v is Record<string, ErrorSpec> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const values = Object.values(v);
  return values.length > 0 && values.every(isErrorSpec);
}

/** The `PROCOS_<LAYER>_` prefix codes of a layer folder must start with. */
function layerPrefix(layer: string): string {
  return `PROCOS_${layer.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}_`;
}

/** Layer folder name → its compiled errors module. */
function errorModules(): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(distSrc, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(distSrc, entry.name, 'errors.js');
    if (existsSync(file)) found.set(entry.name, file);
  }
  return found;
}

async function loadRegistered(): Promise<{ files: Map<string, string>; registries: Map<string, number>; codes: Registered[] }> {
  const files = errorModules();
  const registries = new Map<string, number>();
  const codes: Registered[] = [];
  for (const [layer, file] of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (!isRegistry(value)) continue;
      registries.set(`${layer}/${name}`, Object.keys(value).length);
      for (const [key, spec] of Object.entries(value)) codes.push({ layer, registry: name, key, spec });
    }
  }
  return { files, registries, codes };
}

/** Documented codes: the first cell of every docs/errors.md table row, with the row's status cell. */
function documentedCodes(): { code: string; status: string; line: number }[] {
  const rows: { code: string; status: string; line: number }[] = [];
  readFileSync(docsPath, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\|\s*`?(PROCOS_[A-Z0-9_]+)`?\s*\|\s*([^|]*?)\s*\|/.exec(text);
      if (m) rows.push({ code: m[1]!, status: m[2]!, line: i + 1 });
    });
  return rows;
}

const where = (r: Registered): string => `${r.layer}/errors.ts ${r.registry}.${r.key}`;

describe('error registries', async () => {
  const { files, registries, codes } = await loadRegistered();

  test('are found in dist/src/<layer>/errors.js', () => {
    assert.ok(files.size > 0, `no errors.js under ${distSrc}: build first (npx tsc -p tsconfig.json)`);
    assert.ok(codes.length > 0, 'no registered codes found');
    for (const layer of files.keys()) {
      if (layer === 'common') continue; // the base class, no codes of its own
      const own = [...registries.keys()].filter((k) => k.startsWith(`${layer}/`));
      assert.ok(own.length > 0, `src/${layer}/errors.ts exports no registry of {code, status} objects`);
    }
  });

  test('codes have the form PROCOS_<LAYER>_<NAME>, with the layer of their folder', () => {
    for (const r of codes) {
      assert.match(r.spec.code, CODE_FORMAT, `${where(r)}: bad code ${r.spec.code}`);
      const prefix = layerPrefix(r.layer);
      assert.ok(r.spec.code.startsWith(prefix), `${where(r)}: ${r.spec.code} should start with ${prefix}`);
    }
  });

  test('statuses are HTTP status codes', () => {
    for (const r of codes) {
      assert.ok(Number.isInteger(r.spec.status) && r.spec.status >= 100 && r.spec.status <= 599, `${where(r)}: bad status ${r.spec.status}`);
    }
  });

  test('codes are unique across all registries', () => {
    const seen = new Map<string, Registered>();
    for (const r of codes) {
      const first = seen.get(r.spec.code);
      assert.equal(first, undefined, `${r.spec.code} is registered twice: ${first ? where(first) : ''} and ${where(r)}`);
      seen.set(r.spec.code, r);
    }
  });

  test('every code is documented in docs/errors.md, once, with its status', () => {
    const docs = documentedCodes();
    const byCode = new Map<string, { status: string; line: number }[]>();
    for (const d of docs) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
    const undocumented = codes.filter((r) => !byCode.has(r.spec.code)).map((r) => `${r.spec.code} (${where(r)})`);
    assert.deepEqual(undocumented, [], `add these codes to docs/errors.md:\n  ${undocumented.join('\n  ')}`);
    for (const r of codes) {
      const rows = byCode.get(r.spec.code)!;
      assert.equal(rows.length, 1, `${r.spec.code} has ${rows.length} rows in docs/errors.md (lines ${rows.map((x) => x.line).join(', ')})`);
      assert.equal(rows[0]!.status, String(r.spec.status), `docs/errors.md line ${rows[0]!.line}: status of ${r.spec.code} should be ${r.spec.status}`);
    }
  });

  test('docs/errors.md documents no code that no registry has', () => {
    const registered = new Set(codes.map((r) => r.spec.code));
    const stale = documentedCodes()
      .filter((d) => !registered.has(d.code))
      .map((d) => `${d.code} (line ${d.line})`);
    assert.deepEqual(stale, [], `docs/errors.md documents unregistered codes:\n  ${stale.join('\n  ')}`);
  });
});

describe('ProcosError', () => {
  const SPEC = { code: 'PROCOS_TEST_SOMETHING', status: 418 } as const satisfies ErrorSpec;
  const OTHER = { code: 'PROCOS_TEST_OTHER', status: 400 } as const satisfies ErrorSpec;

  test('carries code, status, message, details and cause', () => {
    const cause = new Error('disk full');
    const e = new ProcosError(SPEC, 'could not do it', { elementId: 'Task_1' }, { cause });
    assert.ok(e instanceof Error);
    assert.ok(e instanceof ProcosError);
    assert.equal(e.name, 'ProcosError');
    assert.equal(e.message, 'could not do it');
    assert.equal(e.code, 'PROCOS_TEST_SOMETHING');
    assert.equal(e.status, 418);
    assert.deepEqual(e.details, { elementId: 'Task_1' });
    assert.equal(e.cause, cause);
    assert.match(String(e.stack), /could not do it/);
  });

  test('has empty details and no cause by default', () => {
    const e = new ProcosError(SPEC, 'plain');
    assert.deepEqual(e.details, {});
    assert.equal(e.cause, undefined);
    assert.equal(Object.hasOwn(e, 'cause'), false);
  });

  test('isProcosError tells ProcosErrors apart, optionally by spec', () => {
    const e = new ProcosError(SPEC, 'x');
    assert.equal(isProcosError(e), true);
    assert.equal(isProcosError(e, SPEC), true);
    assert.equal(isProcosError(e, OTHER), false);
    assert.equal(isProcosError(new Error('x')), false);
    assert.equal(isProcosError({ code: SPEC.code, status: SPEC.status, message: 'x' }, SPEC), false);
    assert.equal(isProcosError(undefined), false);
    assert.equal(isProcosError(SPEC.code), false);
  });

  test('works with the registries', async () => {
    const { codes } = await loadRegistered();
    const r = codes[0];
    assert.ok(r, 'no registered code');
    const e = new ProcosError(r.spec, 'from a registry');
    assert.equal(e.code, r.spec.code);
    assert.equal(e.status, r.spec.status);
    assert.equal(isProcosError(e, r.spec), true);
  });
});
