/**
 * Loop characteristics of activities → {@link LoopCharacteristics}.
 *
 * Multi-instance (`multiInstanceLoopCharacteristics`):
 * - `isSequential` (default false);
 * - `loopCardinality`: numeric text → a number, `${…}` → JUEL, `=…` → FEEL;
 * - the collection: Camunda `camunda:collection` (an expression, or a plain variable name,
 *   read as `${name}`), or the BPMN `loopDataInputRef` (a variable name, as Camunda 7
 *   reads it); Zeebe `zeebe:loopCharacteristics inputCollection` (FEEL, `=…` required);
 * - the element variable: `camunda:elementVariable`, BPMN `inputDataItem name`, Zeebe
 *   `inputElement`;
 * - Zeebe `outputCollection` (a variable name) and `outputElement` (FEEL), together;
 * - `completionCondition`: a condition as on sequence flows (JUEL or FEEL).
 * At least a cardinality or a collection is required (`PROCOS_MODEL_INVALID`).
 * Refused (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`): `behavior` other than `All`, complex
 * behaviour definitions, `loopDataOutputRef`/`outputDataItem`, asynchronous continuations
 * of the multi-instance body (`camunda:asyncBefore`/`asyncAfter` on the loop element).
 *
 * Standard loop (`standardLoopCharacteristics`): `loopCondition` (a condition),
 * `testBefore` (default false), `loopMaximum` (a non-negative integer); one of
 * `loopCondition` and `loopMaximum` is required, else the loop never ends.
 *
 * Event subprocesses cannot loop (`PROCOS_MODEL_INVALID`).
 *
 * Source: BPMN 2.0.2 §10.3.7 (standard loop), §10.3.8 (multi-instance); Camunda 7 docs
 * "Multiple Instance"; Zeebe docs "Multi-instance".
 */
import { checkDefinitionExtensions } from './checks.js';
import { report, takeExpr, type ProcessContext } from './context.js';
import { bool, child, extensionValues, idOf, kindOf, languageOf, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { conditionExpr, juelExpr, valueExpr } from './expressions.js';
import type { Expr, LoopCharacteristics } from './types.js';

/** A plain variable name: `camunda:collection="items"` means `${items}`. */
const VARIABLE_NAME = /^[A-Za-z_$][\w$]*$/;

type MultiInstance = Extract<LoopCharacteristics, { kind: 'multiInstance' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The loop characteristics of `el`, or undefined when it has none. Problems are reported
 * (the caller sees them in the problem count).
 */
export function compileLoop(el: MElement, ctx: ProcessContext): LoopCharacteristics | undefined {
  const loop = child(el, 'loopCharacteristics');
  if (loop === undefined) return undefined;
  if (bool(el, 'triggeredByEvent') === true) {
    report(ctx, ModelErrors.INVALID, el, `an event subprocess cannot have ${kindOf(loop)}`, kindOf(loop));
    return undefined;
  }
  if (loop.$type === 'bpmn:MultiInstanceLoopCharacteristics') return multiInstance(el, loop, ctx);
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') return standardLoop(el, loop, ctx);
  report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `${kindOf(loop)} is not supported`, kindOf(loop));
  return undefined;
}

function multiInstance(el: MElement, loop: MElement, ctx: ProcessContext): LoopCharacteristics | undefined {
  const before = ctx.problems.size;
  const attr = (name: string): string => `multiInstanceLoopCharacteristics ${name}`;
  refuseUnsupported(el, loop, ctx);
  checkDefinitionExtensions(loop, el, ctx, ['zeebe:LoopCharacteristics']);
  const out: Mutable<MultiInstance> = { kind: 'multiInstance', sequential: bool(loop, 'isSequential') ?? false };

  const cardinality = child(loop, 'loopCardinality');
  if (cardinality !== undefined) {
    const text = (str(cardinality, 'body') ?? '').trim();
    const r = valueExpr(text, { numeric: true });
    if (text === '' || ('expr' in r && r.expr.kind === 'literal' && typeof r.expr.value !== 'number')) {
      report(ctx, ModelErrors.INVALID, el, `loopCardinality "${text}" is neither a number nor an expression`, attr('loopCardinality'));
    } else {
      const e = takeExpr(ctx, r, el, attr('loopCardinality'));
      if (e !== undefined) out.loopCardinality = e;
    }
  }

  const collection = camundaCollection(el, loop, ctx);
  if (collection !== undefined) out.collection = collection;
  const item = child(loop, 'inputDataItem');
  const elementVariable = str(loop, 'elementVariable') ?? (item === undefined ? undefined : str(item, 'name'));
  if (elementVariable !== undefined && elementVariable.trim() !== '') out.elementVariable = elementVariable.trim();

  const zeebe = extensionValues(loop).find((v) => v.$type === 'zeebe:LoopCharacteristics');
  if (zeebe !== undefined) zeebeLoop(el, zeebe, out, ctx);

  const completion = child(loop, 'completionCondition');
  if (completion !== undefined) {
    const e = takeExpr(ctx, conditionExpr(str(completion, 'body') ?? '', languageOf(completion), ctx.expressionLanguage), el, attr('completionCondition'));
    if (e !== undefined) out.completionCondition = e;
  }
  if (out.loopCardinality === undefined && out.collection === undefined && ctx.problems.size === before) {
    report(
      ctx,
      ModelErrors.INVALID,
      el,
      'a multi-instance activity needs loopCardinality or a collection (camunda:collection, loopDataInputRef or zeebe:loopCharacteristics inputCollection)',
      'multiInstanceLoopCharacteristics',
    );
  }
  return ctx.problems.size === before ? out : undefined;
}

function refuseUnsupported(el: MElement, loop: MElement, ctx: ProcessContext): void {
  const behavior = str(loop, 'behavior');
  if (behavior !== undefined && behavior !== 'All') {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `multi-instance behavior="${behavior}" is not supported (only All)`, 'behavior');
  }
  for (const prop of ['complexBehaviorDefinition', 'loopDataOutputRef', 'outputDataItem', 'oneBehaviorEventRef', 'noneBehaviorEventRef'] as const) {
    const v = loop[prop];
    const present = (Array.isArray(v) ? v.length > 0 : v !== undefined) || ctx.doc.unresolved(loop, prop) !== undefined;
    if (present) report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `multi-instance ${prop} is not supported; use zeebe:loopCharacteristics outputCollection/outputElement or an output mapping`, prop);
  }
  for (const prop of ['asyncBefore', 'asyncAfter', 'async'] as const) {
    if (bool(loop, prop) === true) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:${prop} on the multi-instance body is not supported; put it on the activity`, `multiInstanceLoopCharacteristics camunda:${prop}`);
    }
  }
}

/** `camunda:collection` or `loopDataInputRef` (both at once: invalid). */
function camundaCollection(el: MElement, loop: MElement, ctx: ProcessContext): Expr | undefined {
  const camunda = str(loop, 'collection');
  const ref = child(loop, 'loopDataInputRef');
  const dataInput = ref !== undefined ? idOf(ref) : ctx.doc.unresolved(loop, 'loopDataInputRef');
  if (camunda !== undefined && dataInput !== undefined) {
    report(ctx, ModelErrors.INVALID, el, 'both camunda:collection and loopDataInputRef name the collection; keep one', 'camunda:collection');
    return undefined;
  }
  const text = (camunda ?? dataInput)?.trim();
  if (text === undefined) return undefined;
  const where = camunda !== undefined ? 'camunda:collection' : 'loopDataInputRef';
  if (VARIABLE_NAME.test(text)) return takeExpr(ctx, juelExpr(`\${${text}}`), el, where);
  const r = valueExpr(text);
  if ('expr' in r && r.expr.kind === 'literal') {
    report(ctx, ModelErrors.INVALID, el, `${where}="${text}" is neither a variable name nor an expression`, where);
    return undefined;
  }
  return takeExpr(ctx, r, el, where);
}

function zeebeLoop(el: MElement, zeebe: MElement, out: Mutable<MultiInstance>, ctx: ProcessContext): void {
  const attr = (name: string): string => `zeebe:loopCharacteristics ${name}`;
  const feel = (name: string): Expr | undefined => {
    const text = str(zeebe, name);
    if (text === undefined || text.trim() === '') return undefined;
    if (!text.trim().startsWith('=')) {
      report(ctx, ModelErrors.INVALID, el, `${attr(name)}="${text}" must be a FEEL expression (=…)`, attr(name));
      return undefined;
    }
    return takeExpr(ctx, valueExpr(text), el, attr(name));
  };
  const input = feel('inputCollection');
  if (input !== undefined) {
    if (out.collection !== undefined) report(ctx, ModelErrors.INVALID, el, 'both camunda:collection and zeebe:loopCharacteristics inputCollection are given; keep one', attr('inputCollection'));
    out.collection = input;
  }
  const inputElement = str(zeebe, 'inputElement')?.trim();
  if (inputElement !== undefined && inputElement !== '') out.elementVariable = inputElement;
  const outputCollection = str(zeebe, 'outputCollection')?.trim();
  const outputElement = feel('outputElement');
  if ((outputCollection === undefined || outputCollection === '') !== (outputElement === undefined)) {
    report(ctx, ModelErrors.INVALID, el, 'zeebe:loopCharacteristics outputCollection and outputElement go together; give both or neither', attr('outputCollection'));
    return;
  }
  if (outputCollection !== undefined && outputCollection !== '' && outputElement !== undefined) {
    out.outputCollection = outputCollection;
    out.outputElement = outputElement;
  }
}

function standardLoop(el: MElement, loop: MElement, ctx: ProcessContext): LoopCharacteristics | undefined {
  const before = ctx.problems.size;
  checkDefinitionExtensions(loop, el, ctx);
  const condition = child(loop, 'loopCondition');
  const loopCondition =
    condition === undefined ? undefined : takeExpr(ctx, conditionExpr(str(condition, 'body') ?? '', languageOf(condition), ctx.expressionLanguage), el, 'standardLoopCharacteristics loopCondition');
  const max = loop['loopMaximum'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0)) {
    report(ctx, ModelErrors.INVALID, el, `loopMaximum="${String(max)}" must be a non-negative integer`, 'loopMaximum');
  }
  if (condition === undefined && max === undefined) {
    report(ctx, ModelErrors.INVALID, el, 'a standard loop needs a loopCondition or a loopMaximum; without either it never ends', 'standardLoopCharacteristics');
  }
  if (ctx.problems.size !== before) return undefined;
  return {
    kind: 'standard',
    testBefore: bool(loop, 'testBefore') ?? false,
    ...(loopCondition !== undefined ? { loopCondition } : {}),
    ...(typeof max === 'number' ? { loopMaximum: max } : {}),
  };
}
