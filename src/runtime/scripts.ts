/**
 * Runs script tasks' JavaScript in a V8 isolate (isolated-vm), never in node:vm: a
 * separate heap with a memory limit, a wall-clock timeout, no Node APIs, no I/O.
 *
 * The script sees a small documented API:
 * - `execution.getVariable(name)` → the variable's JSON value (undefined when not set);
 * - `execution.setVariable(name, value)` → sets a process variable (Camunda semantics:
 *   updated where defined, else created on the process instance); the value must be
 *   JSON-serializable;
 * - `execution.getVariables()` → every visible variable;
 * - every visible variable is also a global of the same name (read-only copy);
 * - the value of the script's last expression is its result (Camunda
 *   `camunda:resultVariable`, Zeebe `resultVariable`).
 * Source: Camunda 7 docs "Script Task" (variables, resultVariable); Zeebe "Script task".
 */
import ivm from 'isolated-vm';
import type { JsonValue, Variables } from '../common/json.js';

/** Limits of one script run. */
export interface ScriptLimits {
  /** Wall-clock limit, ms. @default 1000 */
  timeoutMs?: number;
  /** Isolate heap limit, MiB (isolated-vm's minimum is 8). @default 32 */
  memoryMiB?: number;
}

/** The outcome of a script run. */
export type ScriptOutcome = { ok: true; variables: Variables; result: JsonValue } | { ok: false; message: string };

const PRELUDE = `
const __vars = JSON.parse(__input);
const __set = {};
for (const k of Object.keys(__vars)) { if (/^[A-Za-z_$][\\w$]*$/.test(k) && !(k in globalThis)) globalThis[k] = __vars[k]; }
const execution = Object.freeze({
  getVariable(name) { return Object.prototype.hasOwnProperty.call(__set, name) ? __set[name] : __vars[name]; },
  setVariable(name, value) { __set[String(name)] = value === undefined ? null : JSON.parse(JSON.stringify(value)); },
  getVariables() { return Object.assign({}, __vars, __set); },
});
`;

/**
 * Runs `script` with `variables` visible.
 * @returns `{ok: true, variables (set by the script), result}` or `{ok: false, message}`
 *   naming the cause: a thrown error, the time limit, or the memory limit.
 */
export async function runJavaScript(script: string, variables: Variables, limits: ScriptLimits = {}): Promise<ScriptOutcome> {
  const timeout = limits.timeoutMs ?? 1000;
  const memoryLimit = Math.max(8, limits.memoryMiB ?? 32);
  const isolate = new ivm.Isolate({ memoryLimit });
  try {
    const context = await isolate.createContext();
    await context.global.set('__input', JSON.stringify(variables));
    await context.eval(PRELUDE, { timeout });
    const body = `(function(){ const __r = eval(${JSON.stringify(script)}); return JSON.stringify({ set: __set, result: __r === undefined ? null : __r }); })()`;
    const out = (await context.eval(body, { timeout })) as string;
    const parsed = JSON.parse(out) as { set: Variables; result: JsonValue };
    return { ok: true, variables: parsed.set, result: parsed.result };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (isolate.isDisposed) return { ok: false, message: `script stopped: it used more than ${memoryLimit} MiB of memory` };
    if (/timed out/i.test(msg)) return { ok: false, message: `script stopped: it ran longer than ${timeout} ms` };
    return { ok: false, message: `script failed: ${msg}` };
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}
