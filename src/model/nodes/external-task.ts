/**
 * serviceTask, sendTask, businessRuleTask as external tasks (the only implementation the
 * engine runs: work is fetched and completed by workers).
 *
 * Camunda 7: `camunda:type="external" camunda:topic="…"` (topic `${…}` → JUEL, else a
 * literal), `camunda:taskPriority` (numeric text → a number, else JUEL; defaults to the
 * process's `camunda:taskPriority`).
 * Zeebe: `<zeebe:taskDefinition type="…" retries="…"/>` (`=…` → FEEL, else a literal;
 * retries a number or FEEL, literal 3 when absent, as Zeebe documents),
 * `<zeebe:jobPriorityDefinition priority="…"/>`.
 * When both are present, the Camunda declaration wins.
 * The same implementations serve throwing message events ({@link camundaExternal} on the
 * `messageEventDefinition`, {@link zeebeJob} on the event).
 *
 * Refused: `camunda:class`, `camunda:delegateExpression`, `camunda:expression` →
 * `PROCOS_MODEL_JAVA_IMPLEMENTATION`; `camunda:connector`, another `camunda:type`,
 * `camunda:resultVariable`, DMN (`camunda:decisionRef`, `zeebe:calledDecision`) →
 * `PROCOS_MODEL_UNSUPPORTED_ELEMENT`; no implementation → `PROCOS_MODEL_INVALID`.
 *
 * Source: Camunda 7 docs "External Tasks", "Service Task"; Zeebe docs "Service tasks",
 * "Job workers".
 */
import { report, takeExpr, type NodeHandler, type ProcessContext } from '../context.js';
import { extensionValues, kindOf, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import { valueExpr } from '../expressions.js';
import type { Expr, ExternalImplementation, ExternalTaskNode } from '../types.js';

const JAVA_ATTRIBUTES = ['class', 'delegateExpression', 'expression'] as const;

/** Zeebe's documented default when `retries` is absent: "The default is three" (Zeebe docs "Service tasks"). */
const ZEEBE_DEFAULT_RETRIES: Expr = Object.freeze({ kind: 'literal', value: 3 });

/** Handler for `bpmn:ServiceTask`, `bpmn:SendTask`, `bpmn:BusinessRuleTask`. */
export const externalTask: NodeHandler = {
  consumes: ['zeebe:TaskDefinition', 'zeebe:JobPriorityDefinition', 'zeebe:CalledDecision'],
  compile(el, base, ctx): ExternalTaskNode | undefined {
    const kind = kindOf(el) as ExternalTaskNode['kind'];
    if (!refuseOtherImplementations(el, ctx)) return undefined;
    const camunda = camundaExternal(el, el, ctx);
    if (camunda === undefined) return undefined;
    const impl = camunda !== 'absent' ? camunda : zeebeJob(el, ctx);
    if (impl === undefined) return undefined;
    if (impl !== 'absent') return { ...base, kind, ...impl };
    if (extensionValues(el).some((v) => v.$type === 'camunda:Connector')) return undefined; // refused by the common checks
    report(
      ctx,
      ModelErrors.INVALID,
      el,
      `${kind} has no implementation; add camunda:type="external" camunda:topic="…" (Camunda 7) or <zeebe:taskDefinition type="…"/> (Camunda 8)`,
      'implementation',
    );
    return undefined;
  },
};

/**
 * Reports `camunda:class`, `camunda:delegateExpression` and `camunda:expression` written on
 * `holder` (a task, or a `messageEventDefinition`) as Java implementations of `owner`;
 * false when any was found.
 */
export function refuseJava(holder: MElement, owner: MElement, ctx: ProcessContext): boolean {
  let ok = true;
  for (const attr of JAVA_ATTRIBUTES) {
    const v = str(holder, attr);
    if (v !== undefined) {
      report(ctx, ModelErrors.JAVA_IMPLEMENTATION, owner, `camunda:${attr}="${v}" is Java-only; use camunda:type="external" camunda:topic="…"`, `camunda:${attr}`);
      ok = false;
    }
  }
  return ok;
}

/** Reports Java, DMN and result-variable declarations; false when any was found. */
function refuseOtherImplementations(el: MElement, ctx: ProcessContext): boolean {
  let ok = refuseJava(el, el, ctx);
  const decisionRef = str(el, 'decisionRef');
  if (decisionRef !== undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:decisionRef="${decisionRef}" (DMN) is not supported`, 'camunda:decisionRef');
    ok = false;
  }
  if (extensionValues(el).some((v) => v.$type === 'zeebe:CalledDecision')) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'zeebe:calledDecision (DMN) is not supported', 'zeebe:calledDecision');
    ok = false;
  }
  const resultVariable = str(el, 'resultVariable');
  if (ok && resultVariable !== undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:resultVariable="${resultVariable}" has no effect on external tasks and is not supported`, 'camunda:resultVariable');
    ok = false;
  }
  return ok;
}

/**
 * The Camunda 7 external-task implementation declared on `holder` (`camunda:type`,
 * `camunda:topic`, `camunda:taskPriority`): `'absent'` when `camunda:type` is not written;
 * undefined after reporting a problem on `owner` (another type, no topic, a bad priority).
 */
export function camundaExternal(holder: MElement, owner: MElement, ctx: ProcessContext): ExternalImplementation | 'absent' | undefined {
  const camundaType = str(holder, 'type');
  if (camundaType === undefined) return 'absent';
  if (camundaType !== 'external') {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, owner, `camunda:type="${camundaType}" is not supported; use camunda:type="external" camunda:topic="…"`, 'camunda:type');
    return undefined;
  }
  const topicText = str(holder, 'topic');
  if (topicText === undefined || topicText.trim() === '') {
    report(ctx, ModelErrors.INVALID, owner, 'camunda:type="external" needs camunda:topic="…"', 'camunda:topic');
    return undefined;
  }
  const topic = takeExpr(ctx, valueExpr(topicText), owner, 'camunda:topic');
  const priorityText = str(holder, 'taskPriority');
  const priority = priorityText === undefined ? ctx.defaults.camundaTaskPriority : takeExpr(ctx, valueExpr(priorityText, { numeric: true }), owner, 'camunda:taskPriority');
  if (topic === undefined || (priorityText !== undefined && priority === undefined)) return undefined;
  return { topic, ...(priority !== undefined ? { priority } : {}) };
}

/**
 * The Zeebe job implementation declared on `owner` (`zeebe:taskDefinition`,
 * `zeebe:jobPriorityDefinition`): `'absent'` when it has no `zeebe:taskDefinition`;
 * undefined after reporting a problem.
 */
export function zeebeJob(owner: MElement, ctx: ProcessContext): ExternalImplementation | 'absent' | undefined {
  const def = extensionValues(owner).find((v) => v.$type === 'zeebe:TaskDefinition');
  if (def === undefined) return 'absent';
  const type = str(def, 'type');
  if (type === undefined || type.trim() === '') {
    report(ctx, ModelErrors.INVALID, owner, 'zeebe:taskDefinition needs type="…"', 'zeebe:taskDefinition');
    return undefined;
  }
  const topic = takeExpr(ctx, zeebeValue(type), owner, 'zeebe:taskDefinition type');
  const retriesText = str(def, 'retries');
  let retries: Expr | undefined = ZEEBE_DEFAULT_RETRIES;
  if (retriesText !== undefined) {
    const r = zeebeValue(retriesText, true);
    if ('expr' in r && r.expr.kind === 'literal' && typeof r.expr.value !== 'number') {
      report(ctx, ModelErrors.INVALID, owner, `zeebe:taskDefinition retries="${retriesText}" is neither a number nor a FEEL expression`, 'zeebe:taskDefinition retries');
      return undefined;
    }
    retries = takeExpr(ctx, r, owner, 'zeebe:taskDefinition retries');
    if (retries === undefined) return undefined;
  }
  const prioDef = extensionValues(owner).find((v) => v.$type === 'zeebe:JobPriorityDefinition');
  const prioText = prioDef === undefined ? undefined : str(prioDef, 'priority');
  const priority = prioText === undefined ? ctx.defaults.zeebeJobPriority : takeExpr(ctx, zeebeValue(prioText, true), owner, 'zeebe:jobPriorityDefinition priority');
  if (topic === undefined || (prioText !== undefined && priority === undefined)) return undefined;
  return { topic, ...(priority !== undefined ? { priority } : {}), retries };
}

/** A Zeebe attribute value: `=…` FEEL, else a literal (Zeebe has no JUEL). */
export function zeebeValue(text: string, numeric = false): ReturnType<typeof valueExpr> {
  if (text.trim().startsWith('=')) return valueExpr(text);
  if (numeric && /^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(text)) return { expr: { kind: 'literal', value: Number(text) } };
  return { expr: { kind: 'literal', value: text } };
}
