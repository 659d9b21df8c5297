/**
 * Messages and signals referenced by events and receive tasks.
 *
 * `messageRef` names a `bpmn:message`; its `name` is the message name, as an expression:
 * `${…}` → JUEL (Camunda 7), `=…` → FEEL (Zeebe), else a literal. The Zeebe correlation
 * key is `<zeebe:subscription correlationKey="=…"/>` in the message's extension elements
 * (`=…` FEEL, else a literal). `signalRef` names a `bpmn:signal`; its `name` is read the
 * same way.
 *
 * Source: BPMN 2.0.2 §8.4.6 (message), §10.5.5 (signal); Camunda 7 docs "Message Events",
 * "Signal Events"; Zeebe docs "Message events" (subscription, correlation key).
 */
import { refTo, report, takeExpr, type ProcessContext } from '../context.js';
import { extensionValues, idOf, str, type MElement } from '../element.js';
import { ModelErrors } from '../errors.js';
import { valueExpr } from '../expressions.js';
import type { Expr } from '../types.js';
import { zeebeValue } from './external-task.js';

/** A resolved message: its name and, when declared, its Zeebe correlation key. */
export interface MessageRef {
  readonly messageName: Expr;
  readonly correlationKey?: Expr;
}

/**
 * The message `holder.messageRef` names (`holder`: a `messageEventDefinition` or a
 * `receiveTask`): `'absent'` when no `messageRef` is written; undefined after reporting
 * `PROCOS_MODEL_INVALID` on `owner` (names nothing, not a message, a message without name).
 */
export function messageOf(owner: MElement, holder: MElement, ctx: ProcessContext): MessageRef | 'absent' | undefined {
  const ref = refTo(ctx, owner, holder, 'messageRef', 'bpmn:Message');
  if (ref === undefined || ref === 'absent') return ref;
  const name = str(ref, 'name');
  if (name === undefined || name.trim() === '') {
    report(ctx, ModelErrors.INVALID, owner, `the message "${idOf(ref) ?? '?'}" has no name`, 'messageRef');
    return undefined;
  }
  const messageName = takeExpr(ctx, valueExpr(name), owner, `message "${idOf(ref) ?? '?'}" name`);
  if (messageName === undefined) return undefined;
  const subscription = extensionValues(ref).find((v) => v.$type === 'zeebe:Subscription');
  const keyText = subscription === undefined ? undefined : str(subscription, 'correlationKey');
  if (keyText === undefined || keyText.trim() === '') return { messageName };
  const correlationKey = takeExpr(ctx, zeebeValue(keyText), owner, 'zeebe:subscription correlationKey');
  return correlationKey === undefined ? undefined : { messageName, correlationKey };
}

/**
 * The signal name `def.signalRef` names, or undefined after reporting
 * `PROCOS_MODEL_INVALID` on `owner` (no signalRef, names nothing, a signal without name).
 */
export function signalNameOf(owner: MElement, def: MElement, ctx: ProcessContext): Expr | undefined {
  const ref = refTo(ctx, owner, def, 'signalRef', 'bpmn:Signal');
  if (ref === undefined) return undefined;
  if (ref === 'absent') {
    report(ctx, ModelErrors.INVALID, owner, 'a signal event needs signalRef="<bpmn:signal id>"', 'signalRef');
    return undefined;
  }
  const name = str(ref, 'name');
  if (name === undefined || name.trim() === '') {
    report(ctx, ModelErrors.INVALID, owner, `the signal "${idOf(ref) ?? '?'}" has no name`, 'signalRef');
    return undefined;
  }
  return takeExpr(ctx, valueExpr(name), owner, `signal "${idOf(ref) ?? '?'}" name`);
}
