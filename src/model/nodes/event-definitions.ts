/**
 * Event definitions → {@link EventDefinition}, for every place an event can stand.
 *
 * Which definitions each place allows follows BPMN 2.0.2 §10.5.6 (table 10.93 and
 * following): a definition outside its place is `PROCOS_MODEL_INVALID`; several
 * definitions on one event (multiple / parallel multiple) and shared definitions
 * (`eventDefinitionRef`) are `PROCOS_MODEL_UNSUPPORTED_ELEMENT`.
 *
 * - error: `errorRef` names a `bpmn:error` whose `errorCode` (and `name`) are copied (a
 *   qualified id such as `tns:myError` names the error `myError`). When
 *   `errorRef` names no element, its text is the code, as Camunda 7 does (BpmnParse:
 *   "error == null ? errorRef : error.getErrorCode()"). No `errorRef` → no code: a
 *   catch-all when catching, an error without code when throwing. A throwing event whose
 *   `bpmn:error` has no `errorCode` is refused, as Camunda 7 refuses it.
 *   `camunda:errorCodeVariable` / `camunda:errorMessageVariable` are kept when catching.
 * - escalation: `escalationRef` names a `bpmn:escalation` whose `escalationCode` is copied;
 *   catching without it catches every escalation; throwing needs one with a code (as
 *   Camunda 7 and Zeebe require). `camunda:escalationCodeVariable` when catching.
 * - timer: exactly one of `timeDuration`, `timeDate`, `timeCycle`; its text `=…` → FEEL,
 *   `${…}` → JUEL, else a literal string. An intermediate catch event fires once: no
 *   `timeCycle` there (as Zeebe).
 * - message: see messages.ts. Catching needs a `messageRef`; a throwing event without one
 *   has the empty literal name `''`. Throwing events may be implemented as external tasks
 *   (`camunda:type="external" camunda:topic` on the definition, or `zeebe:taskDefinition`
 *   on the event); without implementation they pass through (Camunda 7:
 *   IntermediateThrowNoneEventActivityBehavior).
 * - signal: `signalRef` → the `bpmn:signal` name (required).
 * - conditional: the `condition` (JUEL or FEEL, as sequence-flow conditions),
 *   `camunda:variableName`, `camunda:variableEvents` or Zeebe
 *   `zeebe:conditionalFilter variableNames/variableEvents` (one variable name at most).
 * - link: `name` (required); pairing is checked on the whole scope (structure.ts).
 * - compensate: `activityRef` (an activity of this process), `waitForCompletion`
 *   (default true).
 * - terminate, cancel: no data (cancel placement is checked by the event compilers).
 *
 * Source: BPMN 2.0.2 §10.5 (events); Camunda 7 docs "Events" (each event type);
 * Zeebe docs "Events".
 */
import { checkDefinitionExtensions } from '../checks.js';
import { refTo, report, takeExpr, type ProcessContext } from '../context.js';
import { bool, child, children, extensionValues, idOf, kindOf, languageOf, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import { conditionExpr, valueExpr } from '../expressions.js';
import type { EventDefinition, Expr, TimerDefinition } from '../types.js';
import { camundaExternal, refuseJava, zeebeJob } from './external-task.js';
import { messageOf, signalNameOf } from './messages.js';

/** Where an event stands; decides which definitions it may carry and whether it throws. */
export type EventPlace = 'processStart' | 'subProcessStart' | 'eventSubProcessStart' | 'end' | 'boundary' | 'intermediateCatch' | 'intermediateThrow';

type DefinitionType = EventDefinition['type'];

/** Event definition type by moddle type. */
const TYPES: Readonly<Record<string, Exclude<DefinitionType, 'none'>>> = {
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CompensateEventDefinition': 'compensate',
  'bpmn:CancelEventDefinition': 'cancel',
};

/** What each place allows ('none': no definition). BPMN 2.0.2 §10.5.6. */
const ALLOWED: Readonly<Record<EventPlace, readonly DefinitionType[]>> = {
  processStart: ['none', 'timer', 'message', 'signal', 'conditional'],
  subProcessStart: ['none'],
  eventSubProcessStart: ['error', 'escalation', 'compensate', 'message', 'timer', 'signal', 'conditional'],
  end: ['none', 'terminate', 'error', 'signal', 'escalation', 'compensate', 'cancel', 'message'],
  boundary: ['error', 'escalation', 'timer', 'message', 'signal', 'conditional', 'compensate', 'cancel'],
  intermediateCatch: ['timer', 'message', 'signal', 'conditional', 'link'],
  intermediateThrow: ['none', 'signal', 'escalation', 'compensate', 'link', 'message'],
};

const PLACE_NAMES: Readonly<Record<EventPlace, string>> = {
  processStart: 'a process start event',
  subProcessStart: 'the start event of an embedded subprocess or transaction',
  eventSubProcessStart: 'the start event of an event subprocess',
  end: 'an end event',
  boundary: 'a boundary event',
  intermediateCatch: 'an intermediate catch event',
  intermediateThrow: 'an intermediate throw event',
};

const THROWING: ReadonlySet<EventPlace> = new Set(['end', 'intermediateThrow']);

/**
 * The definition of event `el` standing at `place`, or undefined after reporting a
 * problem.
 */
export function compileEventDefinition(el: MElement, place: EventPlace, ctx: ProcessContext): EventDefinition | undefined {
  if (children(el, 'eventDefinitionRef').length > 0) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'eventDefinitionRef (shared event definitions) is not supported', 'eventDefinitionRef');
    return undefined;
  }
  const defs = children(el, 'eventDefinitions');
  const allowed = ALLOWED[place];
  const list = allowed.filter((t) => t !== 'none').join(', ');
  if (defs.length === 0) {
    if (allowed.includes('none')) return { type: 'none' };
    report(ctx, ModelErrors.INVALID, el, `${PLACE_NAMES[place]} needs an event definition (${list})`, 'eventDefinitions');
    return undefined;
  }
  const [def] = defs;
  if (defs.length > 1 || def === undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `multiple event definitions (${defs.map(kindOf).join(', ')}) on one event are not supported`, 'eventDefinitions');
    return undefined;
  }
  const type = TYPES[def.$type];
  if (type === undefined || !allowed.includes(type)) {
    const what = allowed.includes('none') ? `no definition or ${list}` : list;
    report(ctx, ModelErrors.INVALID, el, `${PLACE_NAMES[place]} cannot carry ${/^[aeiou]/.test(kindOf(def)) ? 'an' : 'a'} ${kindOf(def)} (allowed: ${what})`, kindOf(def));
    return undefined;
  }
  const before = ctx.problems.size;
  checkDefinitionExtensions(def, el, ctx, type === 'conditional' ? ['zeebe:ConditionalFilter'] : []);
  const throwing = THROWING.has(place);
  const result = compileDefinition(type, el, def, place, throwing, ctx);
  return ctx.problems.size === before ? result : undefined;
}

function compileDefinition(type: Exclude<DefinitionType, 'none'>, el: MElement, def: MElement, place: EventPlace, throwing: boolean, ctx: ProcessContext): EventDefinition | undefined {
  switch (type) {
    case 'terminate':
    case 'cancel':
      return { type };
    case 'error':
      return errorDefinition(el, def, ctx, throwing);
    case 'escalation':
      return escalationDefinition(el, def, ctx, throwing);
    case 'timer': {
      const timer = timerDefinition(el, def, ctx);
      if (timer?.kind === 'cycle' && place === 'intermediateCatch') {
        report(ctx, ModelErrors.INVALID, el, 'an intermediate timer catch event fires once; use timeDuration or timeDate (timeCycle is for start and boundary events)', 'timeCycle');
        return undefined;
      }
      return timer === undefined ? undefined : { type: 'timer', timer };
    }
    case 'message':
      return messageDefinition(el, def, ctx, throwing);
    case 'signal':
      return signalDefinition(el, def, ctx, throwing);
    case 'conditional':
      return conditionalDefinition(el, def, ctx);
    case 'link': {
      const name = str(def, 'name')?.trim();
      if (name === undefined || name === '') {
        report(ctx, ModelErrors.INVALID, el, 'a link event needs a name (linkEventDefinition name="…"); throw and catch pair by name', 'linkEventDefinition');
        return undefined;
      }
      return { type: 'link', linkName: name };
    }
    case 'compensate':
      return compensateDefinition(el, def, ctx, throwing);
  }
}

/** Compiles an `errorEventDefinition` (see the module doc for the rules). */
function errorDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  const out: { type: 'error'; errorCode?: string; errorName?: string; errorCodeVariable?: string; errorMessageVariable?: string } = { type: 'error' };
  const rawRef = ctx.doc.unresolved(def, 'errorRef');
  // a qualified reference (`tns:myError`) names the error whose id is its local part
  const qualified = rawRef?.includes(':') === true ? ctx.doc.byId(rawRef.slice(rawRef.indexOf(':') + 1)) : undefined;
  const ref = child(def, 'errorRef') ?? (qualified?.$type === 'bpmn:Error' ? qualified : undefined);
  if (ref !== undefined) {
    if (ref.$type !== 'bpmn:Error') {
      report(ctx, ModelErrors.INVALID, el, `errorRef names a ${kindOf(ref)}, not an error`, 'errorRef');
      return undefined;
    }
    const code = str(ref, 'errorCode');
    const name = str(ref, 'name');
    if (code !== undefined && code !== '') out.errorCode = code;
    if (name !== undefined) out.errorName = name;
    if (throwing && out.errorCode === undefined) {
      report(ctx, ModelErrors.INVALID, el, `the error "${str(ref, 'id') ?? '?'}" has no errorCode; a throwing error event needs one`, 'errorRef');
      return undefined;
    }
  } else if (rawRef !== undefined && rawRef !== '') {
    out.errorCode = rawRef;
  }
  if (out.errorCode?.startsWith('=') === true) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `error code expressions (${out.errorCode}) are not supported`, 'errorCode');
    return undefined;
  }
  if (!throwing) {
    const codeVar = str(def, 'errorCodeVariable');
    const messageVar = str(def, 'errorMessageVariable');
    if (codeVar !== undefined) out.errorCodeVariable = codeVar;
    if (messageVar !== undefined) out.errorMessageVariable = messageVar;
  }
  return out;
}

function escalationDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  const ref = refTo(ctx, el, def, 'escalationRef', 'bpmn:Escalation');
  if (ref === undefined) return undefined;
  const code = ref === 'absent' ? undefined : str(ref, 'escalationCode')?.trim();
  if (throwing && (code === undefined || code === '')) {
    const why = ref === 'absent' ? 'needs escalationRef="<bpmn:escalation id>"' : `names the escalation "${idOf(ref) ?? '?'}", which has no escalationCode`;
    report(ctx, ModelErrors.INVALID, el, `a throwing escalation event ${why}`, 'escalationRef');
    return undefined;
  }
  if (code?.startsWith('=') === true) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `escalation code expressions (${code}) are not supported`, 'escalationCode');
    return undefined;
  }
  const codeVar = throwing ? undefined : str(def, 'escalationCodeVariable');
  return { type: 'escalation', ...(code !== undefined && code !== '' ? { escalationCode: code } : {}), ...(codeVar !== undefined ? { escalationCodeVariable: codeVar } : {}) };
}

const TIMER_PARTS = [
  ['timeDuration', 'duration'],
  ['timeDate', 'date'],
  ['timeCycle', 'cycle'],
] as const;

function timerDefinition(el: MElement, def: MElement, ctx: ProcessContext): TimerDefinition | undefined {
  const parts = TIMER_PARTS.flatMap(([prop, kind]) => {
    const expression = child(def, prop);
    return expression === undefined ? [] : [{ prop, kind, expression }];
  });
  const [part] = parts;
  if (parts.length !== 1 || part === undefined) {
    const what = parts.length === 0 ? 'has none' : `has ${parts.map((p) => p.prop).join(' and ')}`;
    report(ctx, ModelErrors.INVALID, el, `a timer needs exactly one of timeDuration, timeDate, timeCycle; this one ${what}`, 'timerEventDefinition');
    return undefined;
  }
  const text = (str(part.expression, 'body') ?? '').trim();
  if (text === '') {
    report(ctx, ModelErrors.INVALID, el, `${part.prop} is empty`, part.prop);
    return undefined;
  }
  const expr = takeExpr(ctx, valueExpr(text), el, part.prop);
  return expr === undefined ? undefined : { kind: part.kind, expr };
}

function messageDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  const message = messageOf(el, def, ctx);
  if (message === undefined) return undefined;
  if (!throwing) {
    if (message === 'absent') {
      report(ctx, ModelErrors.INVALID, el, 'a catching message event needs messageRef="<bpmn:message id>"', 'messageRef');
      return undefined;
    }
    for (const attr of ['type', 'topic', 'class', 'delegateExpression', 'expression'] as const) {
      const v = str(def, attr);
      if (v !== undefined) {
        report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:${attr}="${v}" on a catching message event has no effect and is not supported`, `camunda:${attr}`);
        return undefined;
      }
    }
    return { type: 'message', ...message };
  }
  const messageName: Expr = message === 'absent' ? { kind: 'literal', value: '' } : message.messageName;
  if (!refuseJava(def, el, ctx)) return undefined;
  const resultVariable = str(def, 'resultVariable');
  if (resultVariable !== undefined) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `camunda:resultVariable="${resultVariable}" has no effect on external tasks and is not supported`, 'camunda:resultVariable');
    return undefined;
  }
  const camunda = camundaExternal(def, el, ctx);
  if (camunda === undefined) return undefined;
  const external = camunda !== 'absent' ? camunda : zeebeJob(el, ctx);
  if (external === undefined) return undefined;
  return { type: 'message', messageName, ...(external !== 'absent' ? { external } : {}) };
}

function signalDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  if (throwing && bool(def, 'async') === true) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, 'camunda:async="true" on a signal event definition (asynchronous signal delivery) is not supported', 'camunda:async');
    return undefined;
  }
  const signalName = signalNameOf(el, def, ctx);
  return signalName === undefined ? undefined : { type: 'signal', signalName };
}

const VARIABLE_EVENTS: ReadonlySet<string> = new Set(['create', 'update', 'delete']);

function conditionalDefinition(el: MElement, def: MElement, ctx: ProcessContext): EventDefinition | undefined {
  const condition = child(def, 'condition');
  if (condition === undefined) {
    report(ctx, ModelErrors.INVALID, el, 'a conditional event needs a <condition>', 'conditionalEventDefinition');
    return undefined;
  }
  const expr = takeExpr(ctx, conditionExpr(str(condition, 'body') ?? '', languageOf(condition), ctx.expressionLanguage), el, 'condition');
  if (expr === undefined) return undefined;
  const filter = extensionValues(def).find((v) => v.$type === 'zeebe:ConditionalFilter');
  const names = splitList(str(def, 'variableName') ?? (filter === undefined ? undefined : str(filter, 'variableNames')));
  const events = splitList(str(def, 'variableEvents') ?? (filter === undefined ? undefined : str(filter, 'variableEvents')));
  if (names.length > 1) {
    report(ctx, ModelErrors.UNSUPPORTED_ELEMENT, el, `conditional events filtered on several variables (${names.join(', ')}) are not supported; name one`, 'variableName');
    return undefined;
  }
  const bad = events.filter((e) => !VARIABLE_EVENTS.has(e));
  if (bad.length > 0) {
    report(ctx, ModelErrors.INVALID, el, `variableEvents "${bad.join(', ')}" is not one of create, update, delete`, 'variableEvents');
    return undefined;
  }
  const [variableName] = names;
  return { type: 'conditional', condition: expr, ...(variableName !== undefined ? { variableName } : {}), ...(events.length > 0 ? { variableEvents: events } : {}) };
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function compensateDefinition(el: MElement, def: MElement, ctx: ProcessContext, throwing: boolean): EventDefinition | undefined {
  const waitForCompletion = bool(def, 'waitForCompletion') ?? true;
  if (!throwing) return { type: 'compensate', waitForCompletion };
  const ref = child(def, 'activityRef');
  const raw = ref === undefined ? ctx.doc.unresolved(def, 'activityRef') : undefined;
  if (raw !== undefined) {
    report(ctx, ModelErrors.INVALID, el, `activityRef="${raw}" names no activity`, 'activityRef');
    return undefined;
  }
  const activityRef = ref === undefined ? undefined : idOf(ref);
  return { type: 'compensate', waitForCompletion, ...(activityRef !== undefined ? { activityRef } : {}) };
}
