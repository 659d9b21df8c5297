/**
 * Input/output mappings: Camunda `camunda:inputOutput` and Zeebe `zeebe:ioMapping`
 * → {@link IoMapping}.
 *
 * Camunda: a parameter's `name` is the target; its body is text (JUEL when it contains
 * `${`/`#{`, else a literal string, trimmed; empty → literal null), or one of
 * `camunda:list` / `camunda:map` (nested), or `camunda:script` (refused:
 * `PROCOS_MODEL_UNSUPPORTED_ELEMENT`).
 * Zeebe: `source` (`=…` FEEL, else a literal string) → `target`.
 *
 * Source: Camunda 7 docs "Input/Output Variable Mapping"; Zeebe docs "Variable mappings".
 */
import { report, takeExpr, type ProcessContext } from './context.js';
import { children, child, extensionValues, str, type MElement } from './element.js';
import { ModelErrors } from './errors.js';
import { valueExpr } from './expressions.js';
import type { IoMapping, Mapping, MappingValue } from './types.js';

/** Extension element types read by {@link compileIo}. */
export const IO_TYPES = ['camunda:InputOutput', 'zeebe:IoMapping'] as const;

/**
 * The io mapping declared on `el`, or undefined when it declares none (or when it is
 * refused; problems are then reported).
 */
export function compileIo(el: MElement, ctx: ProcessContext): IoMapping | undefined {
  const ext = extensionValues(el);
  const camunda = ext.filter((v) => v.$type === 'camunda:InputOutput');
  const zeebe = ext.filter((v) => v.$type === 'zeebe:IoMapping');
  if (camunda.length + zeebe.length === 0) return undefined;
  if (camunda.length + zeebe.length > 1) {
    report(ctx, ModelErrors.INVALID, el, 'more than one input/output mapping (camunda:inputOutput / zeebe:ioMapping); merge them into one', camunda.length > 0 ? 'camunda:inputOutput' : 'zeebe:ioMapping');
    return undefined;
  }
  const before = ctx.problems.size;
  const io = camunda[0] !== undefined ? camundaIo(el, camunda[0], ctx) : zeebeIo(el, zeebe[0] as MElement, ctx);
  return ctx.problems.size === before ? io : undefined;
}

function camundaIo(owner: MElement, io: MElement, ctx: ProcessContext): IoMapping {
  const params = (prop: string, what: string): Mapping[] =>
    children(io, prop).flatMap((p) => {
      const target = str(p, 'name');
      if (target === undefined || target.trim() === '') {
        report(ctx, ModelErrors.INVALID, owner, `camunda:${what} without a name`, `camunda:${what}`);
        return [];
      }
      const value = camundaValue(owner, p, ctx, `camunda:${what} "${target}"`);
      return value === undefined ? [] : [{ target, value }];
    });
  return { dialect: 'camunda', inputs: params('inputParameters', 'inputParameter'), outputs: params('outputParameters', 'outputParameter') };
}

/** The value of a parameter, list item or map entry: a `definition` child, or its text. */
function camundaValue(owner: MElement, holder: MElement, ctx: ProcessContext, where: string): MappingValue | undefined {
  const def = child(holder, 'definition');
  if (def !== undefined) return camundaDefinition(owner, def, ctx, where);
  return textValue(owner, str(holder, 'value') ?? '', ctx, where);
}

function textValue(owner: MElement, text: string, ctx: ProcessContext, where: string): MappingValue | undefined {
  const expr = takeExpr(ctx, valueExpr(text.trim(), { emptyIsNull: true }), owner, where);
  return expr === undefined ? undefined : { kind: 'expr', expr };
}

function camundaDefinition(owner: MElement, def: MElement, ctx: ProcessContext, where: string): MappingValue | undefined {
  switch (def.$type) {
    case 'camunda:List': {
      const items: MappingValue[] = [];
      let ok = true;
      for (const item of children(def, 'items')) {
        const v = item.$type === 'camunda:Value' ? textValue(owner, str(item, 'value') ?? '', ctx, where) : camundaDefinition(owner, item, ctx, where);
        if (v === undefined) ok = false;
        else items.push(v);
      }
      return ok ? { kind: 'list', items } : undefined;
    }
    case 'camunda:Map': {
      const entries: { key: string; value: MappingValue }[] = [];
      let ok = true;
      for (const entry of children(def, 'entries')) {
        const key = str(entry, 'key');
        if (key === undefined) {
          report(ctx, ModelErrors.INVALID, owner, `${where}: camunda:entry without key`, 'camunda:entry');
          ok = false;
          continue;
        }
        const v = camundaValue(owner, entry, ctx, `${where} entry "${key}"`);
        if (v === undefined) ok = false;
        else entries.push({ key, value: v });
      }
      return ok ? { kind: 'map', entries } : undefined;
    }
    case 'camunda:Value':
      return textValue(owner, str(def, 'value') ?? '', ctx, where);
    case 'camunda:Script':
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, owner, `${where}: camunda:script mappings are not supported; use an expression \${…}`, 'camunda:script');
      return undefined;
    default:
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, owner, `${where}: ${def.$type} is not supported`, def.$type);
      return undefined;
  }
}

function zeebeIo(owner: MElement, io: MElement, ctx: ProcessContext): IoMapping {
  const params = (prop: string, what: string): Mapping[] =>
    children(io, prop).flatMap((p) => {
      const target = str(p, 'target');
      const source = str(p, 'source');
      if (target === undefined || target.trim() === '' || source === undefined) {
        report(ctx, ModelErrors.INVALID, owner, `zeebe:${what} needs both source and target`, `zeebe:${what}`);
        return [];
      }
      if (!source.trim().startsWith('=')) {
        // Zeebe has no JUEL: a source without "=" is a string constant, even with "${".
        return [{ target, value: { kind: 'expr', expr: { kind: 'literal', value: source } } }];
      }
      const result = valueExpr(source);
      const expr = takeExpr(ctx, result, owner, `zeebe:${what} "${target}"`);
      return expr === undefined ? [] : [{ target, value: { kind: 'expr', expr } }];
    });
  return { dialect: 'zeebe', inputs: params('inputParameters', 'input'), outputs: params('outputParameters', 'output') };
}
