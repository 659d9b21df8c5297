/**
 * Checks every element of an executable process gets, whatever its kind: behaviour the
 * engine does not run must be refused, never silently dropped.
 *
 * Refused with `PROCOS_MODEL_UNSUPPORTED_ELEMENT`: loop and multi-instance
 * characteristics; `camunda:asyncBefore` / `asyncAfter` / `async`, `camunda:exclusive="false"`,
 * `camunda:failedJobRetryTimeCycle`; compensation (`isForCompensation`); listeners
 * (Camunda and Zeebe); `camunda:in`/`camunda:out`, `camunda:connector`, `camunda:field`;
 * data associations with assignments or transformations; any other Camunda or Zeebe
 * extension element the element's kind does not read.
 * Refused with `PROCOS_MODEL_JAVA_IMPLEMENTATION`: listeners implemented by
 * `class`, `delegateExpression` or a method-call `expression`.
 * Fine (ignored): `camunda:properties`, `zeebe:properties`, extension elements of other
 * namespaces, documentation.
 *
 * Source: Camunda 7 docs "Transactions in Processes" (async continuations), "Delegation
 * Code" (listeners, field injection); Zeebe docs "Execution listeners".
 */
import { report, type ProcessContext } from './context.js';
import { bool, child, children, extensionValues, kindOf, prefixOf, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { findMethodCall, juelSegments } from './expressions.js';
import { IO_TYPES } from './io.js';

/** Extension elements any element may carry. */
const ALWAYS_ALLOWED: ReadonlySet<string> = new Set(['camunda:Properties', 'zeebe:Properties', ...IO_TYPES]);

/** Extension elements with a specific refusal message. */
const REFUSALS: Readonly<Record<string, string>> = {
  'camunda:FailedJobRetryTimeCycle': 'camunda:failedJobRetryTimeCycle (job retries of async continuations) is not supported',
  'camunda:Connector': 'camunda:connector (Camunda Connect) is not supported; use camunda:type="external" camunda:topic="…" and a worker',
  'camunda:Field': 'camunda:field injection is for Java delegates and is not supported',
  'camunda:In': 'camunda:in variable passing belongs to call activities and signals, which are not supported',
  'camunda:Out': 'camunda:out variable passing belongs to call activities, which are not supported',
  'camunda:ErrorEventDefinition': 'camunda:errorEventDefinition (error expressions on external tasks) is not supported',
  'zeebe:TaskHeaders': 'zeebe:taskHeaders are not supported (headers would not reach the worker)',
  'zeebe:ExecutionListeners': 'zeebe:executionListeners are not supported',
  'zeebe:TaskListeners': 'zeebe:taskListeners are not supported',
};

/**
 * Runs the common checks on a flow node, a sequence flow or a process element.
 * `consumes` are the extension element types the element's compiler reads itself.
 */
export function checkCommon(el: MElement, ctx: ProcessContext, consumes: readonly string[] = []): void {
  const loop = child(el, 'loopCharacteristics');
  if (loop !== undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${kindOf(loop)} (loops and multi-instance) is not supported`, kindOf(loop));
  }
  for (const attr of ['asyncBefore', 'asyncAfter', 'async'] as const) {
    if (bool(el, attr) === true) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:${attr}="true" (asynchronous continuation) is not supported`, `camunda:${attr}`);
    }
  }
  if (bool(el, 'exclusive') === false) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'camunda:exclusive="false" (non-exclusive jobs) is not supported', 'camunda:exclusive');
  }
  if (bool(el, 'isForCompensation') === true) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'compensation handlers (isForCompensation="true") are not supported', 'isForCompensation');
  }
  for (const q of ['startQuantity', 'completionQuantity'] as const) {
    const v = el[q];
    if (typeof v === 'number' && v !== 1) report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${q}="${v}" is not supported (only 1)`, q);
  }
  for (const prop of ['dataInputAssociations', 'dataOutputAssociations'] as const) {
    for (const assoc of children(el, prop)) {
      if (children(assoc, 'assignment').length > 0 || child(assoc, 'transformation') !== undefined) {
        report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${kindOf(assoc)} with assignment or transformation is not supported; use an input/output mapping`, kindOf(assoc));
      }
    }
  }
  checkExtensions(el, ctx, consumes);
}

function checkExtensions(el: MElement, ctx: ProcessContext, consumes: readonly string[]): void {
  for (const ext of extensionValues(el)) {
    const prefix = prefixOf(ext);
    if (prefix !== 'camunda' && prefix !== 'zeebe') continue; // other vendors' extensions: no behaviour here
    if (ALWAYS_ALLOWED.has(ext.$type) || consumes.includes(ext.$type)) continue;
    const name = `${prefix}:${kindOf(ext)}`;
    if (ext.$type === 'camunda:ExecutionListener' || ext.$type === 'camunda:TaskListener') {
      checkListener(el, ext, name, ctx);
      continue;
    }
    const message = REFUSALS[ext.$type] ?? `${name} is not supported on ${kindOf(el)}`;
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, message, name);
  }
}

function checkListener(el: MElement, listener: MElement, name: string, ctx: ProcessContext): void {
  const event = str(listener, 'event') ?? '?';
  for (const attr of ['class', 'delegateExpression'] as const) {
    const v = str(listener, attr);
    if (v !== undefined) {
      report(ctx, ModelErrors.JAVA_IMPLEMENTATION, el, `${name} (event "${event}") uses camunda:${attr}="${v}", which is Java-only`, `camunda:${attr}`);
      return;
    }
  }
  const expression = str(listener, 'expression');
  if (expression !== undefined) {
    const call = (juelSegments(expression) ?? []).map(findMethodCall).find((c) => c !== undefined);
    if (call !== undefined) {
      report(ctx, ModelErrors.JAVA_IMPLEMENTATION, el, `${name} (event "${event}") calls "${call}(…)" in ${JSON.stringify(expression)}, a Java method`, 'camunda:expression');
      return;
    }
  }
  report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${name} (event "${event}") is not supported`, name);
}
