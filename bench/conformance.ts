/**
 * Conformance report: the shared BPMN corpus (../shared/corpus) run through ProcOS.
 *
 * 1. Every runnable executable corpus file (INDEX.tsv: `runnable_without_java=yes` and an
 *    `isExecutable="true"` process) is either exercised by scenarios under conformance/
 *    (each written from what the file's source project tests: Camunda's test named by the
 *    file, BPMN-ENGINE-TESTS.md, the Zeebe clients' tests) or listed in
 *    conformance/exclusions.yaml with the reason it cannot run here. A file passes when
 *    every scenario that starts its process passes (a scenario deploys that file first);
 *    a file only deployed beside another (a called process) counts those scenarios.
 * 2. Every MIWG reference model parses (bpmn-moddle, no warnings) and validates: it
 *    compiles, or the compiler refuses it only because nothing is executable, for a
 *    capability it does not have (UNSUPPORTED_ELEMENT, JAVA_IMPLEMENTATION), or for a
 *    reason listed for it in test/model/corpus-refusals.ts.
 *
 * Prints a table (file, elements, result, reason) with totals and writes CONFORMANCE.md.
 * It is a report: it exits 0 even when scenarios fail (2 only when it cannot run at all).
 *
 *   npm run conformance            # build, run everything, write CONFORMANCE.md
 *   node dist/bench/conformance.js [--no-write] [--filter <substring of a scenario path>]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { parse as parseYaml } from 'yaml';
import { isProcosError } from '../src/common/errors.js';
import { compileBpmn, DEFAULT_MAX_BYTES, ModelErrors } from '../src/model/index.js';
import type { Problem } from '../src/model/index.js';
import { runScenarioFile } from '../src/testing/index.js';
import type { ScenarioResult } from '../src/testing/index.js';
import { guardXml } from '../src/model/xml-guard.js';
import { EXPECTED_REFUSALS, REASONS } from '../test/model/corpus-refusals.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFORMANCE_DIR = join(ROOT, 'conformance');
const CORPUS_DIR = resolve(ROOT, '../shared/corpus');
const REPORT = join(ROOT, 'CONFORMANCE.md');
const COMMAND = 'npm run conformance';

// ---- inputs --------------------------------------------------------------------------------

/** One row of the corpus INDEX.tsv. */
interface CorpusFile {
  /** Path relative to the corpus root, `/`-separated. */
  readonly path: string;
  readonly isExecutable: readonly string[];
  readonly runnableWithoutJava: boolean;
  /** `local-name:count` pairs. */
  readonly elementTypes: readonly (readonly [string, number])[];
}

function readIndex(): CorpusFile[] {
  const lines = readFileSync(join(CORPUS_DIR, 'INDEX.tsv'), 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`INDEX.tsv has no column ${name}`);
    return i;
  };
  const [cPath, cExec, cRun, cTypes] = [col('path'), col('isExecutable'), col('runnable_without_java'), col('element_types')];
  return lines.slice(1).map((line) => {
    const f = line.split('\t');
    const types = (f[cTypes] ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map((s) => {
        const [name, n] = s.split(':');
        return [name ?? s, Number(n ?? 1)] as const;
      });
    return { path: f[cPath] ?? '', isExecutable: (f[cExec] ?? '').split(','), runnableWithoutJava: f[cRun] === 'yes', elementTypes: types };
  });
}

/** An exclusions.yaml entry. */
interface Exclusion {
  readonly file: string;
  readonly reason: string;
}

function readExclusions(): Exclusion[] {
  const raw: unknown = parseYaml(readFileSync(join(CONFORMANCE_DIR, 'exclusions.yaml'), 'utf8'));
  if (!Array.isArray(raw)) throw new Error('conformance/exclusions.yaml must be a list of {file, reason}');
  return raw.map((e: unknown, i) => {
    const o = e as { file?: unknown; reason?: unknown };
    if (typeof o.file !== 'string' || typeof o.reason !== 'string' || o.reason.trim() === '') throw new Error(`conformance/exclusions.yaml[${i}] needs file and reason`);
    return { file: o.file, reason: o.reason.trim() };
  });
}

function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const p = join(dir, d.name);
      if (d.isDirectory()) return walk(p, keep);
      return keep(d.name) ? [p] : [];
    })
    .sort();
}

const toPosix = (p: string): string => p.split('\\').join('/');

/** A scenario file and the corpus files it deploys. */
interface ScenarioFile {
  readonly abs: string;
  /** Relative to the repository root. */
  readonly rel: string;
  /** Corpus-relative paths of the deployed files that lie in the corpus. */
  readonly corpusFiles: readonly string[];
  /** The scenario's `description`, when it has one. */
  readonly description?: string;
}

function readScenarios(filter: string | undefined): ScenarioFile[] {
  return walk(CONFORMANCE_DIR, (n) => /\.ya?ml$/.test(n) && n !== 'exclusions.yaml')
    .map((abs) => {
      let deploy: unknown;
      let description: unknown;
      try {
        const doc = parseYaml(readFileSync(abs, 'utf8')) as { deploy?: unknown; description?: unknown } | null;
        deploy = doc?.deploy;
        description = doc?.description;
      } catch {
        deploy = undefined; // the runner reports the broken file
      }
      const list = typeof deploy === 'string' ? [deploy] : Array.isArray(deploy) ? deploy.filter((d): d is string => typeof d === 'string') : [];
      const corpusFiles = list.map((d) => toPosix(relative(CORPUS_DIR, resolve(dirname(abs), d)))).filter((p) => !p.startsWith('..'));
      return { abs, rel: toPosix(relative(ROOT, abs)), corpusFiles, ...(typeof description === 'string' ? { description } : {}) };
    })
    .filter((s) => filter === undefined || s.rel.includes(filter));
}

// ---- MIWG parse and validate ----------------------------------------------------------------

/** Codes that say "not runnable here", not "structurally wrong". */
const CAPABILITY_CODES = new Set<string>([ModelErrors.NO_EXECUTABLE_PROCESS.code, ModelErrors.UNSUPPORTED_ELEMENT.code, ModelErrors.JAVA_IMPLEMENTATION.code]);

interface MiwgResult {
  readonly path: string;
  readonly ok: boolean;
  /** compiled / not executable / refused (capabilities) … */
  readonly outcome: string;
  readonly detail: string;
}

let moddle: BpmnModdle | undefined;
function getModdle(): BpmnModdle {
  // As src/model/parse.ts: Camunda 7 and Camunda 8 extensions; Zeebe's duplicate TemplateSupported dropped.
  moddle ??= new BpmnModdle({
    camunda: camundaDescriptor,
    zeebe: { ...zeebeDescriptor, types: zeebeDescriptor.types.filter((t) => t.name !== 'TemplateSupported') },
  });
  return moddle;
}

/**
 * Moddle warnings that are artefacts of how the document is read, not problems of the model:
 * - the text is decoded by ProcOS's XML guard (BOM, then the declared encoding), so moddle's
 *   "unsupported document encoding" note about the declaration does not apply;
 * - `zeebe:modelerTemplate*` attributes: both extension descriptors define them, moddle refuses
 *   the duplicate, so the Zeebe copy is dropped (src/model/parse.ts) and they read as unknown;
 * - an unresolved prefixed reference (`triso:unspecified`) names a definition in another
 *   namespace (a QName reference to a vendor type), which moddle cannot resolve.
 */
function isReadingArtefact(message: string): boolean {
  return /^unsupported document encoding/.test(message) || /^unknown attribute <zeebe:modelerTemplate/.test(message) || /^unresolved reference <[A-Za-z_][\w.-]*:[^>]+>/.test(message);
}

/** Problems that say "this condition language is not run here" (XPath, prose), not "broken". */
const LANGUAGE_REASONS = [REASONS.textCondition];

async function checkMiwg(path: string): Promise<MiwgResult> {
  const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, path)));
  let warnings: string[];
  let artefacts: string[];
  try {
    const text = guardXml(bytes, { file: path, maxBytes: DEFAULT_MAX_BYTES }).text;
    const r = await getModdle().fromXML(text);
    const all = r.warnings.map((w) => w.message.split('\n')[0] ?? w.message);
    warnings = all.filter((m) => !isReadingArtefact(m));
    artefacts = [...new Set(all.filter(isReadingArtefact).map((m) => m.replace(/^(unresolved reference) <.*>$/, '$1 to a prefixed (external) QName')))];
  } catch (e) {
    return { path, ok: false, outcome: 'unreadable', detail: `cannot be read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  if (warnings.length > 0) return { path, ok: false, outcome: 'moddle warnings', detail: warnings.slice(0, 3).join('; ') };
  const note = artefacts.length > 0 ? ` (moddle notes, not model problems: ${artefacts.join('; ')})` : '';
  try {
    const models = await compileBpmn(bytes, { file: path });
    return { path, ok: true, outcome: 'compiles', detail: `executable: ${models.map((m) => m.id).join(', ')}${note}` };
  } catch (e) {
    if (!isProcosError(e)) return { path, ok: false, outcome: 'crashed', detail: String(e) };
    const problems = (e.details['problems'] ?? []) as Problem[];
    if (e.code === ModelErrors.NO_EXECUTABLE_PROCESS.code && problems.every((p) => p.code === e.code)) {
      return { path, ok: true, outcome: 'valid, not executable', detail: `no process has isExecutable="true" (interchange model)${note}` };
    }
    const listed = [...(EXPECTED_REFUSALS[path] ?? []), ...LANGUAGE_REASONS];
    const unexplained = problems.filter((p) => !CAPABILITY_CODES.has(p.code) && !listed.some((r) => r.code === p.code && r.match.test(p.message)));
    const codes = [...new Set(problems.map((p) => p.code.replace('PROCOS_MODEL_', '')))].join(', ');
    if (unexplained.length > 0) {
      return { path, ok: false, outcome: 'structural problems', detail: unexplained.map((p) => `${p.elementId ?? ''} ${p.message}`.trim()).slice(0, 3).join('; ') };
    }
    const whys = new Set<string>();
    for (const p of problems) {
      const r = listed.find((x) => x.code === p.code && x.match.test(p.message));
      whys.add(r !== undefined ? r.why : p.message.replace(/"[^"]*"/g, '"…"'));
    }
    return { path, ok: true, outcome: `valid, not runnable (${codes})`, detail: `${[...whys].slice(0, 4).join('; ')}${note}` };
  }
}

// ---- report -----------------------------------------------------------------------------------

type FileStatus = 'pass' | 'fail' | 'excluded' | 'missing';

interface FileRow {
  readonly path: string;
  readonly elements: string;
  readonly status: FileStatus;
  readonly reason: string;
  readonly scenarios: readonly string[];
}

const SKIP_ELEMENTS = new Set(['process', 'sequenceFlow', 'definitions']);

function elementsOf(f: CorpusFile | undefined): string {
  if (f === undefined) return '';
  return f.elementTypes
    .filter(([n]) => !SKIP_ELEMENTS.has(n))
    .map(([n, c]) => (c > 1 ? `${n}×${c}` : n))
    .join(', ');
}

/** First line of a failure, made to fit a table cell. */
function firstLine(s: string, max = 240): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function describeFailure(r: ScenarioResult): string {
  const f = r.failure;
  if (f === null) return '';
  const at = f.step !== undefined ? `step ${f.step.index + 1} \`${f.step.text}\`` : (f.phase ?? 'run');
  const shot = f.snapshot;
  const incidents = [shot?.main, shot?.target].flatMap((i) => (i === null || i === undefined ? [] : i.incidents.map((x) => `${i.key}/${x.elementId}: ${x.type} "${x.message}"`)));
  const extra = incidents.length > 0 && !incidents.every((x) => f.message.includes(x.split(': ').slice(1).join(': '))) ? `\nopen incidents: ${[...new Set(incidents)].join('; ')}` : '';
  return `${at}: ${f.message}${extra}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes('--no-write');
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args[fi + 1] : undefined;

  const index = readIndex();
  const byPath = new Map(index.map((f) => [f.path, f]));
  const exclusions = readExclusions();
  const excluded = new Map(exclusions.map((e) => [e.file, e.reason]));
  const scenarios = readScenarios(filter);

  // 1. scenarios
  const results = new Map<string, ScenarioResult>();
  let n = 0;
  for (const s of scenarios) {
    n++;
    const r = await runScenarioFile(toPosix(relative(process.cwd(), s.abs)) || s.abs);
    results.set(s.rel, r);
    const mark = r.status === 'passed' ? 'pass' : 'FAIL';
    process.stdout.write(`[${String(n).padStart(3)}/${scenarios.length}] ${mark} ${s.rel}${r.status === 'passed' ? '' : `\n        ${firstLine(describeFailure(r), 400)}`}\n`);
  }

  // 2. per corpus file
  const inScope = index.filter((f) => f.runnableWithoutJava && f.isExecutable.includes('true'));
  const problems: string[] = [];
  const rows: FileRow[] = [];
  for (const f of inScope) {
    // A file is judged by the scenarios that start its process (it is deployed first); a file
    // only ever deployed next to another (a called process, a signal thrower) by those.
    const primary = scenarios.filter((s) => s.corpusFiles[0] === f.path);
    const own = primary.length > 0 ? primary : scenarios.filter((s) => s.corpusFiles.includes(f.path));
    const reason = excluded.get(f.path);
    if (own.length > 0) {
      if (reason !== undefined) problems.push(`${f.path} has scenarios and an exclusion; remove one`);
      const failed = own.filter((s) => results.get(s.rel)?.status !== 'passed');
      rows.push({
        path: f.path,
        elements: elementsOf(f),
        status: failed.length === 0 ? 'pass' : 'fail',
        reason:
          failed.length === 0
            ? `${own.length} scenario${own.length === 1 ? '' : 's'} passed${primary.length === 0 ? ' (deployed as a companion)' : ''}`
            : failed.map((s) => `${s.rel.replace(/^conformance\//, '')}: ${firstLine(describeFailure(results.get(s.rel)!), 300)}`).join(' / '),
        scenarios: own.map((s) => s.rel),
      });
    } else if (reason !== undefined) {
      let why = reason;
      if (/^refused by the compiler/.test(reason)) {
        try {
          await compileBpmn(new Uint8Array(readFileSync(join(CORPUS_DIR, f.path))), { file: f.path });
          why = `STALE: this file compiles now; write scenarios for it. (was: ${reason})`;
          problems.push(`${f.path} is excluded as refused, but it compiles now`);
        } catch {
          // still refused
        }
      }
      rows.push({ path: f.path, elements: elementsOf(f), status: 'excluded', reason: why, scenarios: [] });
    } else if (filter === undefined) {
      rows.push({ path: f.path, elements: elementsOf(f), status: 'missing', reason: 'no scenario and no exclusion', scenarios: [] });
      problems.push(`${f.path} has neither a scenario nor an exclusion`);
    }
  }
  for (const e of exclusions) {
    if (!inScope.some((f) => f.path === e.file)) problems.push(`exclusions.yaml lists ${e.file}, which is not a runnable executable corpus file`);
  }
  for (const s of scenarios) {
    if (s.corpusFiles.length === 0) problems.push(`${s.rel} deploys no corpus file`);
    for (const c of s.corpusFiles) if (!byPath.has(c)) problems.push(`${s.rel} deploys ${c}, which is not in INDEX.tsv`);
  }

  // 3. MIWG
  const miwg: MiwgResult[] = [];
  if (filter === undefined) for (const f of index.filter((x) => x.path.startsWith('miwg/'))) miwg.push(await checkMiwg(f.path));

  // 4. totals and output
  const count = (st: FileStatus): number => rows.filter((r) => r.status === st).length;
  const scenarioResults = [...results.values()];
  const sPassed = scenarioResults.filter((r) => r.status === 'passed').length;
  const totals = {
    files: rows.length,
    pass: count('pass'),
    fail: count('fail'),
    excluded: count('excluded'),
    missing: count('missing'),
    scenarios: scenarioResults.length,
    scenariosPassed: sPassed,
    scenariosFailed: scenarioResults.length - sPassed,
    miwg: miwg.length,
    miwgOk: miwg.filter((m) => m.ok).length,
  };

  const order: Record<FileStatus, number> = { fail: 0, missing: 1, pass: 2, excluded: 3 };
  const sorted = [...rows].sort((a, b) => order[a.status] - order[b.status] || a.path.localeCompare(b.path));

  // console
  const w = Math.max(...sorted.map((r) => r.path.length), 4);
  console.log('');
  console.log(`${pad('file', w)}  ${pad('result', 8)}  reason`);
  for (const r of sorted) console.log(`${pad(r.path, w)}  ${pad(r.status.toUpperCase(), 8)}  ${firstLine(r.reason, 160)}`);
  console.log('');
  console.log(
    `corpus files (runnable without Java, executable): ${totals.files}: ${totals.pass} pass, ${totals.fail} fail, ${totals.excluded} excluded${totals.missing > 0 ? `, ${totals.missing} MISSING` : ''}`,
  );
  console.log(`scenarios: ${totals.scenarios}: ${totals.scenariosPassed} passed, ${totals.scenariosFailed} failed`);
  if (miwg.length > 0) console.log(`MIWG reference models: ${totals.miwgOk}/${totals.miwg} parse and validate`);
  const failedScenarios = scenarioResults.filter((r) => r.status !== 'passed');
  if (failedScenarios.length > 0) {
    console.log('\nFAILURES');
    for (const r of failedScenarios) console.log(`- ${toPosix(relative(ROOT, resolve(r.file)))} (${r.name})\n    ${describeFailure(r).split('\n').join('\n    ')}`);
  }
  for (const m of miwg.filter((x) => !x.ok)) console.log(`MIWG ${m.path}: ${m.outcome}: ${m.detail}`);
  for (const p of problems) console.log(`PROBLEM: ${p}`);

  if (write && filter === undefined) {
    writeFileSync(REPORT, markdown(sorted, totals, failedScenarios, miwg, problems, exclusions, inScope.length, new Map(scenarios.flatMap((s) => (s.description !== undefined ? [[s.rel, s.description] as const] : [])))));
    console.log(`\nwrote ${toPosix(relative(process.cwd(), REPORT)) || REPORT}`);
  }
}

interface Totals {
  files: number;
  pass: number;
  fail: number;
  excluded: number;
  missing: number;
  scenarios: number;
  scenariosPassed: number;
  scenariosFailed: number;
  miwg: number;
  miwgOk: number;
}

/** Groups exclusion reasons into a few kinds for the summary. */
function reasonKind(reason: string): string {
  if (/^refused by the compiler/.test(reason)) {
    const m = /^refused by the compiler \(([^)]*)\)/.exec(reason);
    const codes = (m?.[1] ?? '').replace(/PROCOS_MODEL_/g, '').split(', ').sort();
    return `refused by the compiler (${codes.join(', ')})`;
  }
  if (/^MIWG/.test(reason)) return 'MIWG interchange model (no execution behaviour specified)';
  if (/script/i.test(reason) && /next\(\)|next\(new|services/.test(reason)) return "scripts written for bpmn-engine's script API";
  if (/environment\.|`variables`/.test(reason)) return "expressions reading bpmn-engine's environment/variables objects";
  if (/discard/.test(reason)) return 'bpmn-engine/bpmn-elements discard semantics at parallel joins';
  if (/isExecutable=\\?"false\\?"|non-executable|message flow/.test(reason)) return 'calls or starts a non-executable process';
  return 'other';
}

function markdown(rows: FileRow[], t: Totals, failed: ScenarioResult[], miwg: MiwgResult[], problems: string[], exclusions: Exclusion[], inScope: number, descriptions: ReadonlyMap<string, string>): string {
  const L: string[] = [];
  const date = new Date().toISOString().slice(0, 10);
  L.push('# Conformance: the shared BPMN corpus on ProcOS', '');
  L.push(`Generated ${date} by \`${COMMAND}\` (bench/conformance.ts). Do not edit by hand.`, '');
  L.push(
    'Every corpus file (../shared/corpus, INDEX.tsv) that needs no Java and has an executable process is run by the scenarios under',
    '`conformance/` (YAML, run by the scenario runner of `procos test`) or listed in `conformance/exclusions.yaml` with the reason it',
    'cannot run here. Each scenario takes its expectations from the test of the file\'s source project: the Camunda 7 engine test the',
    'file name names, the camunda-8-js-sdk and zeebe-process-test tests using the file, BPMN-ENGINE-TESTS.md for bpmn-engine and',
    'bpmn-elements (files no test uses, and the MIWG models, are marked "model-derived"). A file passes when every scenario that',
    'starts its process passes; a file only deployed beside another (a called process, a signal thrower) counts those scenarios.',
    '',
  );
  L.push('## Totals', '');
  L.push(`| | count |`, `|---|---|`);
  L.push(`| corpus files in scope (runnable without Java, executable) | ${inScope} |`);
  L.push(`| pass | ${t.pass} |`, `| fail | ${t.fail} |`, `| excluded (reason below) | ${t.excluded} |`);
  if (t.missing > 0) L.push(`| missing (neither scenario nor exclusion) | ${t.missing} |`);
  L.push(`| scenarios run | ${t.scenarios} (${t.scenariosPassed} passed, ${t.scenariosFailed} failed) |`);
  L.push(`| MIWG reference models that parse and validate | ${t.miwgOk} / ${t.miwg} |`, '');

  if (failed.length > 0) {
    L.push('## Failures', '');
    L.push('Scenarios whose expectations (from the source project\'s test) the engine does not meet:', '');
    for (const r of failed) {
      L.push(`- \`${toPosix(relative(ROOT, resolve(r.file)))}\`: ${r.name}`);
      const d = descriptions.get(toPosix(relative(ROOT, resolve(r.file))));
      if (d !== undefined) L.push(`  ${d}`);
      L.push('', '  ```', ...describeFailure(r).split('\n').map((l) => `  ${l}`), '  ```', '');
    }
  }
  if (problems.length > 0) {
    L.push('## Bookkeeping problems', '');
    for (const p of problems) L.push(`- ${p}`);
    L.push('');
  }

  L.push('## Files', '');
  L.push('| file | elements | result | reason |', '|---|---|---|---|');
  for (const r of rows) {
    const reason = r.status === 'pass' ? `${r.reason}: ${r.scenarios.map((s) => `\`${s.replace(/^conformance\//, '')}\``).join(', ')}` : r.reason;
    L.push(`| ${cell(r.path)} | ${cell(r.elements)} | ${r.status} | ${cell(reason)} |`);
  }
  L.push('');

  const kinds = new Map<string, number>();
  for (const e of exclusions) kinds.set(reasonKind(e.reason), (kinds.get(reasonKind(e.reason)) ?? 0) + 1);
  L.push('## Exclusions by kind', '');
  L.push('| kind | files |', '|---|---|');
  for (const [k, c] of [...kinds].sort((a, b) => b[1] - a[1])) L.push(`| ${cell(k)} | ${c} |`);
  L.push('');

  if (miwg.length > 0) {
    L.push('## MIWG reference models: parse and validate', '');
    L.push(
      'Each model is read by bpmn-moddle (with the Camunda 7 and Zeebe extensions) without warnings, and compiled: it compiles, or the',
      'compiler refuses it only because no process is executable, for a capability ProcOS lacks (UNSUPPORTED_ELEMENT,',
      'JAVA_IMPLEMENTATION), or for a reason listed for it in test/model/corpus-refusals.ts. No structural error otherwise.',
      '',
    );
    L.push('| model | ok | outcome | detail |', '|---|---|---|---|');
    for (const m of miwg) L.push(`| ${m.path} | ${m.ok ? 'yes' : '**no**'} | ${cell(m.outcome)} | ${cell(m.detail)} |`);
    L.push('');
  }
  return L.join('\n');
}

try {
  statSync(CORPUS_DIR);
} catch {
  console.error(`the corpus is missing: ${CORPUS_DIR}`);
  process.exit(2);
}
main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(2);
});
