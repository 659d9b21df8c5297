/**
 * scriptTask: JavaScript or FEEL, inline.
 *
 * Camunda 7: `scriptFormat` (`javascript`, `js`, `ecmascript` and their MIME types →
 * 'javascript'; `feel` → 'feel', a leading `=` dropped), the `<script>` body,
 * `camunda:resultVariable`. Zeebe: `<zeebe:script expression="=…" resultVariable="…"/>`
 * → 'feel'.
 * Refused (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`): other languages (groovy, python, …, named
 * in the message), external scripts (`camunda:resource`), Zeebe job-worker script tasks
 * (`zeebe:taskDefinition`; use a service task). No `scriptFormat`, an empty script, or a
 * Zeebe expression without `=` → `PROCOS_MODEL_INVALID`.
 *
 * Source: BPMN 2.0.2 §10.3.3 (script task); Camunda 7 docs "Script Task", "Scripting";
 * Zeebe docs "Script tasks".
 */
import { report, type NodeHandler, type ProcessContext } from '../context.js';
import { extensionValues, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import type { ScriptTaskNode } from '../types.js';

const JAVASCRIPT = /^(?:javascript|js|ecmascript|(?:application|text)\/(?:javascript|ecmascript))$/i;
const FEEL = /^feel$/i;

/** `bpmn:ScriptTask`. */
export const scriptTask: NodeHandler = {
  consumes: ['zeebe:Script', 'zeebe:TaskDefinition'],
  compile(el, base, ctx): ScriptTaskNode | undefined {
    if (extensionValues(el).some((v) => v.$type === 'zeebe:TaskDefinition')) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'script tasks implemented by a job worker (zeebe:taskDefinition) are not supported; use a service task', 'zeebe:taskDefinition');
      return undefined;
    }
    const resource = str(el, 'resource');
    if (resource !== undefined) {
      report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `external scripts (camunda:resource="${resource}") are not supported; write the script inline`, 'camunda:resource');
      return undefined;
    }
    const zeebe = extensionValues(el).find((v) => v.$type === 'zeebe:Script');
    const compiled = zeebe !== undefined ? zeebeScript(el, zeebe, ctx) : camundaScript(el, ctx);
    if (compiled === undefined) return undefined;
    const resultVariable = (str(el, 'resultVariable') ?? (zeebe === undefined ? undefined : str(zeebe, 'resultVariable')))?.trim();
    return { ...base, kind: 'scriptTask', ...compiled, ...(resultVariable !== undefined && resultVariable !== '' ? { resultVariable } : {}) };
  },
};

type Script = Pick<ScriptTaskNode, 'language' | 'script'>;

function camundaScript(el: MElement, ctx: ProcessContext): Script | undefined {
  const format = str(el, 'scriptFormat')?.trim();
  if (format === undefined || format === '') {
    report(ctx, ModelErrors.INVALID, el, 'a script task needs scriptFormat="javascript" or "feel" (or <zeebe:script expression="=…"/>)', 'scriptFormat');
    return undefined;
  }
  const language = JAVASCRIPT.test(format) ? 'javascript' : FEEL.test(format) ? 'feel' : undefined;
  if (language === undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `script language "${format}" is not supported; use JavaScript or FEEL`, 'scriptFormat');
    return undefined;
  }
  const body = str(el, 'script') ?? '';
  const script = language === 'feel' ? body.trim().replace(/^=/, '').trim() : body;
  if (script.trim() === '') {
    report(ctx, ModelErrors.INVALID, el, 'the script is empty', 'script');
    return undefined;
  }
  return { language, script };
}

function zeebeScript(el: MElement, zeebe: MElement, ctx: ProcessContext): Script | undefined {
  const expression = str(zeebe, 'expression')?.trim() ?? '';
  if (!expression.startsWith('=') || expression.slice(1).trim() === '') {
    report(ctx, ModelErrors.INVALID, el, `zeebe:script expression="${expression}" must be a FEEL expression (=…)`, 'zeebe:script expression');
    return undefined;
  }
  return { language: 'feel', script: expression.slice(1).trim() };
}
