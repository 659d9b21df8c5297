/**
 * Human-readable scenario results: one line for a pass; for a failure, the step as
 * written (index and line), what was expected, and what the engine holds.
 */
import { formatIssue } from './load.js';
import type { EngineSnapshot, InstanceSnapshot } from './inspect.js';
import { shownVariables } from './inspect.js';
import type { ScenarioResult, ScenarioRunSummary, StepReport } from './run.js';
import { showList } from './show.js';

/** Options of {@link formatResult}. */
export interface FormatOptions {
  /** List every step with its outcome, not only the failing one. @default false */
  readonly verbose?: boolean;
}

const MARK = { passed: 'ok  ', failed: 'FAIL', skipped: '--  ' } as const;

function stepLine(s: Pick<StepReport, 'index' | 'line' | 'text'>): string {
  return `steps[${s.index}]${s.line !== null ? ` (line ${s.line})` : ''}: ${s.text}`;
}

function instanceLines(label: string, s: InstanceSnapshot | null | undefined, indent: string): string[] {
  if (s === undefined) return [];
  if (s === null) return [`${indent}${label}: not found`];
  const who = `${s.key}${s.businessKey !== null ? ` ${s.businessKey}` : ''}`;
  return [
    `${indent}${label} (${who}, instance ${s.id}):`,
    `${indent}  state: ${s.state}`,
    `${indent}  waitingAt: ${showList(s.waitingAt)}`,
    `${indent}  variables: ${shownVariables(s)}`,
    `${indent}  open incidents: ${s.incidents.length === 0 ? 'none' : s.incidents.map((i) => `${i.elementId}: ${i.type} "${i.message}"`).join('; ')}`,
    ...(s.work.length === 0 ? [`${indent}  open work: none`] : [`${indent}  open work:`, ...s.work.map((w) => `${indent}    ${w}`)]),
  ];
}

function snapshotLines(s: EngineSnapshot, indent: string): string[] {
  const counts = Object.entries(s.instances).map(([k, n]) => `${k} ×${n}`);
  return [
    `${indent}the engine holds, at ${s.clock}:`,
    ...instanceLines('main instance', s.main, `${indent}  `),
    ...instanceLines('looked at', s.target, `${indent}  `),
    `${indent}  instances started: ${counts.length === 0 ? 'none' : counts.join(', ')}`,
  ];
}

/**
 * Formats one result for a terminal: `PASS name (file, n steps, t ms)`, or `FAIL` /
 * `ERROR` with the failing step, the differences and the engine's state, and the
 * `PROCOS_TESTING_…` code.
 */
export function formatResult(result: ScenarioResult, options: FormatOptions = {}): string {
  const head = `${result.status === 'passed' ? 'PASS' : result.status === 'failed' ? 'FAIL' : 'ERROR'} ${result.name}`;
  const where = `${result.file}, ${result.steps.length} step${result.steps.length === 1 ? '' : 's'}, ${result.durationMs} ms`;
  const lines = [`${head} (${where})`];
  if (options.verbose === true) for (const s of result.steps) lines.push(`  ${MARK[s.status]} ${stepLine(s)}`);
  const f = result.failure;
  if (f === null) return lines.join('\n');
  if (f.step !== undefined) {
    lines.push(`  at ${stepLine(f.step)}`);
    for (const l of f.message.split('\n')) lines.push(`    ${l}`);
  } else if (f.issues !== undefined && f.issues.length > 0) {
    for (const i of f.issues) lines.push(`  ${formatIssue(result.file, i)}`);
  } else {
    for (const l of f.message.split('\n')) lines.push(`  ${l}`);
  }
  if (f.snapshot !== undefined) lines.push(...snapshotLines(f.snapshot, '  '));
  lines.push(`  [${f.code}]`);
  return lines.join('\n');
}

/** `3 scenarios: 2 passed, 1 failed` */
export function formatSummary(summary: ScenarioRunSummary): string {
  const n = summary.results.length;
  return `${n} scenario${n === 1 ? '' : 's'}: ${summary.passed} passed, ${summary.failed} failed`;
}
