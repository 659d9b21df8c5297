/**
 * Camunda 7 asynchronous continuations → {@link AsyncContinuation}.
 *
 * `camunda:asyncBefore="true"` (or the legacy `camunda:async="true"`) → `before`;
 * `camunda:asyncAfter="true"` → `after`; the extension element
 * `<camunda:failedJobRetryTimeCycle>R5/PT1M</camunda:failedJobRetryTimeCycle>` →
 * `retryTimeCycle` (kept as written; it also governs the element's timer jobs, so it is
 * kept without async flags too). Empty or repeated retry cycles → `PROCOS_MODEL_INVALID`.
 *
 * `camunda:exclusive` is accepted and has no effect: Camunda runs exclusive jobs of one
 * instance one at a time to avoid optimistic-locking conflicts, and ProcOS serializes
 * every step of an instance by its revision anyway (ARCHITECTURE.md, "One revision per
 * instance"), so `exclusive="false"` cannot change an outcome.
 *
 * Source: Camunda 7 docs "Transactions in Processes" (asynchronous continuations,
 * exclusive jobs), "Failed Jobs" (retry time cycle).
 */
import { report, type ProcessContext } from './context.js';
import { bool, extensionValues, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import type { AsyncContinuation } from './types.js';

/** The extension element read by {@link compileAsync}. */
export const RETRY_CYCLE_TYPE = 'camunda:FailedJobRetryTimeCycle';

/**
 * The asynchronous continuations declared on `el`, or undefined when it declares none
 * (or after reporting a problem).
 */
export function compileAsync(el: MElement, ctx: ProcessContext): AsyncContinuation | undefined {
  const before = bool(el, 'asyncBefore') === true || bool(el, 'async') === true;
  const after = bool(el, 'asyncAfter') === true;
  const cycles = extensionValues(el).filter((v) => v.$type === RETRY_CYCLE_TYPE);
  if (cycles.length > 1) {
    report(ctx, ModelErrors.INVALID, el, `${cycles.length} camunda:failedJobRetryTimeCycle elements; keep one`, 'camunda:failedJobRetryTimeCycle');
    return undefined;
  }
  const [cycle] = cycles;
  const retryTimeCycle = cycle === undefined ? undefined : (str(cycle, 'body') ?? '').trim();
  if (retryTimeCycle === '') {
    report(ctx, ModelErrors.INVALID, el, 'camunda:failedJobRetryTimeCycle is empty; write a cycle such as R5/PT1M', 'camunda:failedJobRetryTimeCycle');
    return undefined;
  }
  if (!before && !after && retryTimeCycle === undefined) return undefined;
  return { before, after, ...(retryTimeCycle !== undefined ? { retryTimeCycle } : {}) };
}
