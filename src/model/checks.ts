/**
 * Checks every element of an executable process gets, whatever its kind: behaviour the
 * engine does not run must be refused, never silently dropped.
 *
 * Refused with `PROCOS_MODEL_UNSUPPORTED_ELEMENT`: `startQuantity`/`completionQuantity`
 * other than 1; listeners (Camunda and Zeebe); `camunda:connector`, `camunda:field`;
 * `camunda:in`/`camunda:out` anywhere but on call activities; data associations with
 * assignments or transformations; any other Camunda or Zeebe extension element the
 * element's kind does not read.
 * Refused with `PROCOS_MODEL_JAVA_IMPLEMENTATION`: listeners implemented by
 * `class`, `delegateExpression` or a method-call `expression`.
 * Fine (ignored): `camunda:properties`, `zeebe:properties`, extension elements of other
 * namespaces, documentation.
 * Loops, asynchronous continuations and compensation are compiled (see loops.ts,
 * async.ts, compensation.ts), not checked here.
 *
 * Source: Camunda 7 docs "Delegation Code" (listeners, field injection); Zeebe docs
 * "Execution listeners".
 */
import { report, type ProcessContext } from './context.js';
import { child, children, extensionValues, kindOf, prefixOf, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { findMethodCall, juelSegments } from './expressions.js';
import { IO_TYPES } from './io.js';

/** Extension elements without behaviour, allowed anywhere. */
const PROPERTIES: ReadonlySet<string> = new Set(['camunda:Properties', 'zeebe:Properties']);
/** Extension elements any element may carry. */
const ALWAYS_ALLOWED: ReadonlySet<string> = new Set([...PROPERTIES, ...IO_TYPES]);

/** Extension elements with a specific refusal message. */
const REFUSALS: Readonly<Record<string, string>> = {
  'camunda:FailedJobRetryTimeCycle': 'camunda:failedJobRetryTimeCycle belongs to activities, events and gateways',
  'camunda:Connector': 'camunda:connector (Camunda Connect) is not supported; use camunda:type="external" camunda:topic="…" and a worker',
  'camunda:Field': 'camunda:field injection is for Java delegates and is not supported',
  'camunda:In': 'camunda:in variable passing is only supported on call activities',
  'camunda:Out': 'camunda:out variable passing is only supported on call activities',
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
  checkExtensions(el, ctx, (type) => ALWAYS_ALLOWED.has(type) || consumes.includes(type));
}

/**
 * Refuses the Camunda and Zeebe extension elements inside an event definition
 * (`<camunda:in>` on a signal, `<camunda:field>` on a message …) other than `consumes`;
 * problems are reported on `owner`, the event.
 */
export function checkDefinitionExtensions(def: MElement, owner: MElement, ctx: ProcessContext, consumes: readonly string[] = []): void {
  checkExtensions(def, ctx, (type) => PROPERTIES.has(type) || consumes.includes(type), owner);
}

function checkExtensions(el: MElement, ctx: ProcessContext, allowed: (type: string) => boolean, owner: MElement = el): void {
  for (const ext of extensionValues(el)) {
    const prefix = prefixOf(ext);
    if (prefix !== 'camunda' && prefix !== 'zeebe') continue; // other vendors' extensions: no behaviour here
    if (allowed(ext.$type)) continue;
    const name = `${prefix}:${kindOf(ext)}`;
    if (ext.$type === 'camunda:ExecutionListener' || ext.$type === 'camunda:TaskListener') {
      checkListener(owner, ext, name, ctx);
      continue;
    }
    const message = REFUSALS[ext.$type] ?? `${name} is not supported on ${kindOf(el)}`;
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, owner, message, name);
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
