/**
 * callActivity: starts an instance of another process and waits for it.
 *
 * The called process: the `calledElement` attribute (`${…}` → JUEL, `=…` → FEEL, else a
 * literal process id), or Zeebe `<zeebe:calledElement processId="…"/>` (`=…` → FEEL, else
 * a literal). The attribute wins when both are written. None → `PROCOS_MODEL_INVALID`.
 *
 * Binding: Camunda `camunda:calledElementBinding` (latest | deployment | version |
 * versionTag, default latest) with `camunda:calledElementVersion` (number or expression,
 * required for `version`) and `camunda:calledElementVersionTag` (required for
 * `versionTag`); Zeebe `bindingType` (latest | deployment | versionTag) with `versionTag`.
 *
 * Variables: Camunda `<camunda:in>` / `<camunda:out>` → {@link CallMapping}:
 * `variables="all"` (+ `local`) → all; `source` + `target` → variable;
 * `sourceExpression` + `target` → expression; `<camunda:in businessKey="…"/>` → the
 * child's business key. Zeebe `propagateAllChildVariables` / `propagateAllParentVariables`
 * (default true, as Zeebe) are kept; `zeebe:ioMapping` stays the node's `io`.
 *
 * Refused: `camunda:variableMappingClass` / `variableMappingDelegateExpression` →
 * `PROCOS_MODEL_JAVA_IMPLEMENTATION`; CMMN cases (`camunda:caseRef`), tenant ids, Zeebe
 * `businessId` → `PROCOS_MODEL_UNSUPPORTED_ELEMENT`.
 *
 * Source: BPMN 2.0.2 §10.3.4 (call activity); Camunda 7 docs "Call Activity" (passing
 * variables, business key, binding); Zeebe docs "Call activities".
 */
import { report, takeExpr, type NodeHandler, type ProcessContext } from '../context.js';
import { extensionValues, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import { valueExpr } from '../expressions.js';
import type { CallActivityNode, CallMapping, Expr } from '../types.js';
import { zeebeValue } from './external-task.js';

const CAMUNDA_BINDINGS: readonly CallActivityNode['binding'][] = ['latest', 'deployment', 'version', 'versionTag'];
const ZEEBE_BINDINGS: readonly CallActivityNode['binding'][] = ['latest', 'deployment', 'versionTag'];

/** `bpmn:CallActivity`. */
export const callActivity: NodeHandler = {
  consumes: ['camunda:In', 'camunda:Out', 'zeebe:CalledElement'],
  compile(el, base, ctx): CallActivityNode | undefined {
    const before = ctx.problems.size;
    refuseUnsupported(el, ctx);
    const zeebe = extensionValues(el).find((v) => v.$type === 'zeebe:CalledElement');
    const calledElement = calledElementOf(el, zeebe, ctx);
    // moddle reports camunda:calledElementBinding's default ('latest') when it is not written
    const camundaBindingWritten = Object.hasOwn(el, 'calledElementBinding');
    const binding = zeebe !== undefined && !camundaBindingWritten ? zeebeBinding(el, zeebe, ctx) : camundaBinding(el, ctx);
    const inMappings: CallMapping[] = [];
    const outMappings: CallMapping[] = [];
    for (const ext of extensionValues(el)) {
      if (ext.$type !== 'camunda:In' && ext.$type !== 'camunda:Out') continue;
      const mapping = callMapping(el, ext, ext.$type === 'camunda:In' ? 'in' : 'out', ctx);
      if (mapping !== undefined) (ext.$type === 'camunda:In' ? inMappings : outMappings).push(mapping);
    }
    if (calledElement === undefined || binding === undefined || ctx.problems.size !== before) return undefined;
    return {
      ...base,
      kind: 'callActivity',
      calledElement,
      ...binding,
      inMappings,
      outMappings,
      ...(zeebe !== undefined
        ? { propagateAllChildVariables: zeebe['propagateAllChildVariables'] !== false, propagateAllParentVariables: zeebe['propagateAllParentVariables'] !== false }
        : {}),
    };
  },
};

function refuseUnsupported(el: MElement, ctx: ProcessContext): void {
  for (const attr of ['variableMappingClass', 'variableMappingDelegateExpression'] as const) {
    const v = str(el, attr);
    if (v !== undefined) report(ctx, ModelErrors.JAVA_IMPLEMENTATION, el, `camunda:${attr}="${v}" is Java-only; use camunda:in / camunda:out`, `camunda:${attr}`);
  }
  for (const attr of ['caseRef', 'calledElementTenantId'] as const) {
    const v = str(el, attr);
    if (v !== undefined) report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:${attr}="${v}" is not supported${attr === 'caseRef' ? ' (CMMN)' : ' (no multi-tenancy)'}`, `camunda:${attr}`);
  }
}

function calledElementOf(el: MElement, zeebe: MElement | undefined, ctx: ProcessContext): Expr | undefined {
  const attr = str(el, 'calledElement')?.trim();
  if (attr !== undefined && attr !== '') return takeExpr(ctx, valueExpr(attr), el, 'calledElement');
  const processId = zeebe === undefined ? undefined : str(zeebe, 'processId')?.trim();
  if (processId !== undefined && processId !== '') return takeExpr(ctx, zeebeValue(processId), el, 'zeebe:calledElement processId');
  report(ctx, ModelErrors.INVALID, el, 'a call activity needs calledElement="<process id>" (Camunda 7) or <zeebe:calledElement processId="…"/> (Camunda 8)', 'calledElement');
  return undefined;
}

type Binding = Pick<CallActivityNode, 'binding' | 'version' | 'versionTag'>;

function isBinding(text: string, allowed: readonly CallActivityNode['binding'][]): text is CallActivityNode['binding'] {
  return (allowed as readonly string[]).includes(text);
}

function camundaBinding(el: MElement, ctx: ProcessContext): Binding | undefined {
  const text = str(el, 'calledElementBinding')?.trim() ?? 'latest';
  if (!isBinding(text, CAMUNDA_BINDINGS)) {
    report(ctx, ModelErrors.INVALID, el, `camunda:calledElementBinding="${text}" is not one of ${CAMUNDA_BINDINGS.join(', ')}`, 'camunda:calledElementBinding');
    return undefined;
  }
  const versionText = str(el, 'calledElementVersion')?.trim();
  const tagText = str(el, 'calledElementVersionTag')?.trim();
  if (text === 'version' && (versionText === undefined || versionText === '')) {
    report(ctx, ModelErrors.INVALID, el, 'camunda:calledElementBinding="version" needs camunda:calledElementVersion', 'camunda:calledElementVersion');
    return undefined;
  }
  if (text === 'versionTag' && (tagText === undefined || tagText === '')) {
    report(ctx, ModelErrors.INVALID, el, 'camunda:calledElementBinding="versionTag" needs camunda:calledElementVersionTag', 'camunda:calledElementVersionTag');
    return undefined;
  }
  const version = text === 'version' && versionText !== undefined ? takeExpr(ctx, valueExpr(versionText, { numeric: true }), el, 'camunda:calledElementVersion') : undefined;
  const versionTag = text === 'versionTag' && tagText !== undefined ? takeExpr(ctx, valueExpr(tagText), el, 'camunda:calledElementVersionTag') : undefined;
  return { binding: text, ...(version !== undefined ? { version } : {}), ...(versionTag !== undefined ? { versionTag } : {}) };
}

function zeebeBinding(el: MElement, zeebe: MElement, ctx: ProcessContext): Binding | undefined {
  const text = str(zeebe, 'bindingType')?.trim() ?? 'latest';
  if (!isBinding(text, ZEEBE_BINDINGS)) {
    report(ctx, ModelErrors.INVALID, el, `zeebe:calledElement bindingType="${text}" is not one of ${ZEEBE_BINDINGS.join(', ')}`, 'zeebe:calledElement bindingType');
    return undefined;
  }
  const businessId = str(zeebe, 'businessId');
  if (businessId !== undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `zeebe:calledElement businessId="${businessId}" is not supported`, 'zeebe:calledElement businessId');
    return undefined;
  }
  const tagText = str(zeebe, 'versionTag')?.trim();
  if (text === 'versionTag') {
    if (tagText === undefined || tagText === '') {
      report(ctx, ModelErrors.INVALID, el, 'zeebe:calledElement bindingType="versionTag" needs versionTag="…"', 'zeebe:calledElement versionTag');
      return undefined;
    }
    return { binding: text, versionTag: { kind: 'literal', value: tagText } };
  }
  return { binding: text };
}

/** One `<camunda:in>` / `<camunda:out>` (see the module doc). */
function callMapping(el: MElement, ext: MElement, direction: 'in' | 'out', ctx: ProcessContext): CallMapping | undefined {
  const name = `camunda:${direction}`;
  const local = ext['local'] === true;
  const businessKey = str(ext, 'businessKey');
  if (businessKey !== undefined) {
    if (direction === 'out') {
      report(ctx, ModelErrors.INVALID, el, 'camunda:out cannot carry businessKey; the business key is passed in with <camunda:in businessKey="…"/>', name);
      return undefined;
    }
    const expr = takeExpr(ctx, valueExpr(businessKey), el, `${name} businessKey`);
    return expr === undefined ? undefined : { kind: 'businessKey', expr };
  }
  const variables = str(ext, 'variables');
  if (variables !== undefined) {
    if (variables.trim() !== 'all') {
      report(ctx, ModelErrors.INVALID, el, `${name} variables="${variables}" is not supported; only variables="all"`, name);
      return undefined;
    }
    return { kind: 'all', local };
  }
  const source = str(ext, 'source');
  const sourceExpression = str(ext, 'sourceExpression');
  const target = str(ext, 'target')?.trim();
  if (source !== undefined && sourceExpression !== undefined) {
    report(ctx, ModelErrors.INVALID, el, `${name} has both source and sourceExpression; keep one`, name);
    return undefined;
  }
  if (source === undefined && sourceExpression === undefined) {
    report(ctx, ModelErrors.INVALID, el, `${name} needs source, sourceExpression, variables="all"${direction === 'in' ? ' or businessKey' : ''}`, name);
    return undefined;
  }
  if (target === undefined || target === '') {
    report(ctx, ModelErrors.INVALID, el, `${name} (${source ?? sourceExpression ?? ''}) needs target="…"`, name);
    return undefined;
  }
  if (source !== undefined) return { kind: 'variable', source: source.trim(), target, local };
  const expr = takeExpr(ctx, valueExpr(sourceExpression ?? ''), el, `${name} sourceExpression`);
  return expr === undefined ? undefined : { kind: 'expression', source: expr, target, local };
}
