/**
 * Running scenarios: each on a fresh temporary SQLite store (removed afterwards) with
 * a clock only the scenario moves. A scenario stops at its first failing step. Nothing a
 * scenario does wrong is thrown: it comes back as the result's `failure`.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProcosError, isProcosError } from '../common/errors.js';
import { Runtime } from '../runtime/index.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { runStep } from './actions.js';
import { TestingErrors } from './errors.js';
import type { Mismatch } from './expect.js';
import { snapshot } from './inspect.js';
import type { EngineSnapshot, ScenarioContext } from './inspect.js';
import { loadScenario, scenarioFileName } from './load.js';
import type { LoadedScenario, LoadedStep, ScenarioIssue } from './load.js';
import type { StepKind } from './schema.js';
import { ManualClock } from './time.js';

/** Outcome of a scenario: `error` when the file itself is broken or the run could not happen. */
export type ScenarioStatus = 'passed' | 'failed' | 'error';

/** One step of a run. */
export interface StepReport {
  /** Index in `steps` (0-based). */
  readonly index: number;
  readonly kind: StepKind;
  /** 1-based line in the scenario file, when known. */
  readonly line: number | null;
  /** The step as written. */
  readonly text: string;
  /** `skipped`: not run because an earlier step failed. */
  readonly status: 'passed' | 'failed' | 'skipped';
  /** ms */
  readonly durationMs: number;
}

/** Why a scenario did not pass. */
export interface ScenarioFailure {
  /** A `PROCOS_TESTING_…` code ({@link TestingErrors}). */
  readonly code: string;
  /** What went wrong, for people; one line per difference for an `expect`. */
  readonly message: string;
  /** The failing step, when a step failed. */
  readonly step?: { readonly index: number; readonly kind: StepKind; readonly line: number | null; readonly text: string };
  /** Where the run was when it failed: loading the file, deploying, starting, in the steps, or in the runner itself. */
  readonly phase?: 'load' | 'deploy' | 'start' | 'steps' | 'run';
  /** Problems of an invalid scenario file, each with field and line. */
  readonly issues?: readonly ScenarioIssue[];
  /** Differences found by a failing `expect`. */
  readonly mismatches?: readonly Mismatch[];
  /** The engine's state when the step failed. */
  readonly snapshot?: EngineSnapshot;
  /** The code of the engine's error, when the engine refused a command. */
  readonly engineCode?: string;
}

/** The result of one scenario file. */
export interface ScenarioResult {
  /** The scenario file, as given. */
  readonly file: string;
  /** The scenario's `name` (the file name when it has none, or cannot be read). */
  readonly name: string;
  readonly status: ScenarioStatus;
  /** Wall-clock time of the run, ms. */
  readonly durationMs: number;
  /** Every step, in order (empty when the file could not be loaded). */
  readonly steps: readonly StepReport[];
  /** Null when passed. */
  readonly failure: ScenarioFailure | null;
}

/** Options of {@link runScenarioFile}. */
export interface RunScenarioOptions {
  /** Folder for the temporary store. @default os.tmpdir() */
  readonly tmpDir?: string;
}

/** The result of several scenario files. */
export interface ScenarioRunSummary {
  readonly results: readonly ScenarioResult[];
  /** Scenarios that passed. */
  readonly passed: number;
  /** Scenarios that failed or could not run (`failed` + `error`). */
  readonly failed: number;
}

function failureOf(e: unknown, phase: ScenarioFailure['phase'], step?: LoadedStep): ScenarioFailure {
  const at = step === undefined ? {} : { step: { index: step.index, kind: step.kind, line: step.line, text: step.text } };
  if (isProcosError(e)) {
    const d = e.details;
    return {
      code: e.code,
      message: e.message,
      phase,
      ...at,
      ...(Array.isArray(d.issues) ? { issues: d.issues as ScenarioIssue[] } : {}),
      ...(Array.isArray(d.mismatches) ? { mismatches: d.mismatches as Mismatch[] } : {}),
      ...(typeof d.snapshot === 'object' && d.snapshot !== null ? { snapshot: d.snapshot as EngineSnapshot } : {}),
      ...(typeof d.engineCode === 'string' ? { engineCode: d.engineCode } : {}),
    };
  }
  return { code: TestingErrors.RUN_FAILED.code, message: `the runner failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, phase, ...at };
}

/**
 * Runs one scenario file: loads it, deploys its BPMN files to a fresh temporary SQLite
 * store, starts the main instance with the clock at the scenario's start time, and runs
 * its steps in order until one fails.
 * @param file path of the scenario (relative to the working directory, or absolute).
 * @returns the result; a broken file or a failing step is reported in `failure` with a
 *   `PROCOS_TESTING_…` code, never thrown.
 * @example
 * const result = await runScenarioFile('test/fixtures/testing/order-shipped.test.yaml');
 * console.log(formatResult(result));
 */
export async function runScenarioFile(file: string, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const t0 = performance.now();
  const elapsed = (): number => Math.round(performance.now() - t0);
  let scenario: LoadedScenario;
  try {
    scenario = await loadScenario(file);
  } catch (e) {
    return { file, name: scenarioFileName(file), status: 'error', durationMs: elapsed(), steps: [], failure: failureOf(e, 'load') };
  }
  const base = { file, name: scenario.name };
  let dir: string | undefined;
  let store: Store | undefined;
  let runtime: Runtime | undefined;
  try {
    dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'procos-test-'));
    store = await openStore(`sqlite:${join(dir, 'scenario.db')}`, { sqlite: { synchronous: 'OFF' } });
    const clock = new ManualClock(scenario.startTime);
    runtime = new Runtime(store, { clock: clock.read });
    const rt = runtime;

    try {
      await rt.deploy({ name: scenario.name, source: 'procos test', resources: scenario.resources.map((r) => ({ name: r.name, content: r.content })) });
    } catch (e) {
      const cause = isProcosError(e) ? `${e.message} [${e.code}]` : e instanceof Error ? e.message : String(e);
      const problems = isProcosError(e) && Array.isArray(e.details.problems) ? e.details.problems : [];
      const err = new ProcosError(TestingErrors.DEPLOY_FAILED, `${file}: deploy: the BPMN was refused: ${cause}`, { file, problems }, { cause: e });
      return { ...base, status: 'error', durationMs: elapsed(), steps: [], failure: failureOf(err, 'deploy') };
    }

    let mainId: string;
    try {
      const started = await rt.startInstance({
        key: scenario.start.process,
        ...(scenario.start.businessKey !== undefined ? { businessKey: scenario.start.businessKey } : {}),
        ...(scenario.start.variables !== undefined ? { variables: scenario.start.variables } : {}),
      });
      mainId = started.id;
    } catch (e) {
      const cause = isProcosError(e) ? `${e.message} [${e.code}]` : e instanceof Error ? e.message : String(e);
      const deployed = (await rt.store.listProcessDefinitions({ latestOnly: true })).map((d) => d.key);
      const err = new ProcosError(TestingErrors.START_FAILED, `${file}: start.process: cannot start "${scenario.start.process}": ${cause} (deployed: ${deployed.join(', ') || 'none'})`, { file, process: scenario.start.process }, { cause: e });
      return { ...base, status: 'error', durationMs: elapsed(), steps: [], failure: failureOf(err, 'start') };
    }

    const ctx: ScenarioContext = { runtime: rt, store: rt.store, file, main: { id: mainId, key: scenario.start.process }, now: clock.read, moveClock: (to) => clock.moveTo(to) };
    const reports: StepReport[] = [];
    let failure: ScenarioFailure | null = null;
    for (const step of scenario.steps) {
      const report = { index: step.index, kind: step.kind, line: step.line, text: step.text };
      if (failure !== null) {
        reports.push({ ...report, status: 'skipped', durationMs: 0 });
        continue;
      }
      const s0 = performance.now();
      try {
        await runStep(ctx, step.kind, step.body);
        reports.push({ ...report, status: 'passed', durationMs: Math.round(performance.now() - s0) });
      } catch (e) {
        reports.push({ ...report, status: 'failed', durationMs: Math.round(performance.now() - s0) });
        const f = failureOf(e, 'steps', step);
        const shot = f.snapshot ?? (await snapshot(ctx).catch(() => undefined));
        failure = shot === undefined ? f : { ...f, snapshot: shot };
      }
    }
    return { ...base, status: failure === null ? 'passed' : 'failed', durationMs: elapsed(), steps: reports, failure };
  } catch (e) {
    return { ...base, status: 'error', durationMs: elapsed(), steps: [], failure: failureOf(e, 'run') };
  } finally {
    runtime?.close();
    await store?.close().catch(() => undefined);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Runs scenario files one after the other (each with its own store and clock).
 * @returns every result and the counts; `failed` counts broken files too.
 */
export async function runScenarioFiles(files: readonly string[], options: RunScenarioOptions = {}): Promise<ScenarioRunSummary> {
  const results: ScenarioResult[] = [];
  for (const f of files) results.push(await runScenarioFile(f, options));
  const passed = results.filter((r) => r.status === 'passed').length;
  return { results, passed, failed: results.length - passed };
}

/**
 * Expands folders to the scenario files in them (`*.test.yaml`, `*.test.yml`, sorted, not
 * recursive); files are kept as given, in order. A path that does not exist is kept (its
 * run reports PROCOS_TESTING_SCENARIO_UNREADABLE).
 */
export async function expandScenarioPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory() === true) {
      const names = (await readdir(p)).filter((n) => /\.test\.ya?ml$/i.test(n)).sort();
      out.push(...names.map((n) => join(p, n)));
    } else {
      out.push(p);
    }
  }
  return out;
}
