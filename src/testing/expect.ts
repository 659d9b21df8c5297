/**
 * The `expect` step: compares what a scenario expects with what the engine holds and
 * lists every difference (not only the first), each naming its field.
 */
import type { JsonValue } from '../common/json.js';
import { ProcosError } from '../common/errors.js';
import { TestingErrors } from './errors.js';
import { historyOf, instanceCounts, latestInstanceOf, snapshot, snapshotInstance } from './inspect.js';
import type { ScenarioContext } from './inspect.js';
import type { StepBody } from './schema.js';
import { jsonEqual, show, showList } from './show.js';

/** One difference between expected and actual. */
export interface Mismatch {
  /** `waitingAt`, `state`, `variables.paid`, `instances.payment` … */
  readonly field: string;
  readonly expected: JsonValue;
  /** What the engine holds (null where nothing is). */
  readonly actual: JsonValue;
  /** One line for people: `waitingAt: expected [ship], actual [pay]`. */
  readonly message: string;
}

function mismatch(field: string, expected: JsonValue, actual: JsonValue, message?: string): Mismatch {
  return { field, expected, actual, message: message ?? `${field}: expected ${show(expected)}, actual ${show(actual)}` };
}

function describeInstances(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, n]) => `${k} ×${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/**
 * Checks one `expect` step.
 * @throws PROCOS_TESTING_EXPECTATION_FAILED with `details.mismatches` ({@link Mismatch}[])
 *   and `details.snapshot` (the engine's state) when anything differs.
 */
export async function checkExpectations(ctx: ScenarioContext, e: StepBody<'expect'>): Promise<void> {
  const { store } = ctx;
  const out: Mismatch[] = [];
  const targetId = e.in === undefined ? ctx.main.id : await latestInstanceOf(store, e.in);
  if (targetId === null) {
    const counts = await instanceCounts(store);
    out.push(mismatch('in', e.in ?? null, null, `in: no instance of process "${e.in}" was started in this scenario (started: ${describeInstances(counts)})`));
  } else {
    const s = (await snapshotInstance(ctx, targetId))!;
    if (e.waitingAt !== undefined) {
      const expected = [...new Set(e.waitingAt)].sort();
      if (!jsonEqual(expected, s.waitingAt)) {
        const missing = expected.filter((x) => !s.waitingAt.includes(x));
        const extra = s.waitingAt.filter((x) => !expected.includes(x));
        const notes = [missing.length > 0 ? `not waiting at ${showList(missing)}` : '', extra.length > 0 ? `also waiting at ${showList(extra)}` : ''].filter((x) => x !== '');
        out.push(mismatch('waitingAt', expected, [...s.waitingAt], `waitingAt: expected ${showList(expected)}, actual ${showList(s.waitingAt)} (${notes.join('; ')})`));
      }
    }
    if (e.state !== undefined && e.state !== s.state) {
      const why = s.state === 'incident' ? ` (${s.incidents.map((i) => `${i.elementId}: ${i.type} "${i.message}"`).join('; ')})` : '';
      out.push(mismatch('state', e.state, s.state, `state: expected ${e.state}, actual ${s.state}${why}`));
    }
    if (e.passed !== undefined || e.notPassed !== undefined) {
      const history = await historyOf(store, targetId);
      const missing = (e.passed ?? []).filter((x) => !history.includes(x));
      if (missing.length > 0) {
        out.push(mismatch('passed', e.passed ?? [], history, `passed: ${showList(missing)} ${missing.length === 1 ? 'is' : 'are'} not in the history (history: ${showList(history)})`));
      }
      const found = (e.notPassed ?? []).filter((x) => history.includes(x));
      if (found.length > 0) {
        out.push(mismatch('notPassed', e.notPassed ?? [], history, `notPassed: ${showList(found)} ${found.length === 1 ? 'is' : 'are'} in the history (history: ${showList(history)})`));
      }
    }
    if (e.variables !== undefined) {
      for (const [name, value] of Object.entries(e.variables)) {
        const has = Object.prototype.hasOwnProperty.call(s.variables, name);
        if (!has || !jsonEqual(value, s.variables[name])) {
          out.push(mismatch(`variables.${name}`, value, has ? s.variables[name]! : null, `variables.${name}: expected ${show(value)}, actual ${has ? show(s.variables[name]) : '(not set)'}`));
        }
      }
    }
    if (e.incidents !== undefined && e.incidents !== s.incidents.length) {
      const list = s.incidents.map((i) => `${i.elementId}: ${i.type} "${i.message}"`).join('; ');
      out.push(mismatch('incidents', e.incidents, s.incidents.length, `incidents: expected ${e.incidents} open, actual ${s.incidents.length}${list !== '' ? ` (${list})` : ''}`));
    }
  }
  if (e.instances !== undefined) {
    const counts = await instanceCounts(store);
    for (const [key, n] of Object.entries(e.instances)) {
      const actual = counts[key] ?? 0;
      if (actual !== n) out.push(mismatch(`instances.${key}`, n, actual, `instances.${key}: expected ${n}, actual ${actual} (started: ${describeInstances(counts)})`));
    }
  }
  if (out.length > 0) {
    const shot = await snapshot(ctx, targetId);
    throw new ProcosError(TestingErrors.EXPECTATION_FAILED, out.map((m) => m.message).join('\n'), { file: ctx.file, mismatches: out, snapshot: shot });
  }
}
