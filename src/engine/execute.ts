/**
 * The engine's entry point: `execute(model, state, command, ctx) → { state, effects }`.
 *
 * Pure and deterministic: the input state is not mutated (it is copied first), time and
 * ids come from `ctx`. Each command handler validates that the instance is waiting for
 * it, applies it, and runs the instance to its next wait states.
 */
import { ProcosError } from '../common/errors.js';
import { cloneJson } from '../common/json.js';
import type { CallActivityNode, ProcessModel, ScriptTaskNode } from '../model/types.js';
import { EngineErrors } from './errors.js';
import { Run } from './run.js';
import { armEventSubprocesses, continueAsync, throwEvent, trigger } from './events.js';
import { applyCallMappings } from './behaviours/subprocess/call-activity.js';
import { variablesScope } from './expressions/index.js';
import type { Variables } from '../common/json.js';
import { STATE_VERSION } from './types.js';
import type { ActivityInstance, Command, EngineContext, ExecuteResult, InstanceState } from './types.js';

type Handler<C extends Command> = (run: Run, command: C) => void;
type Handlers = { readonly [T in Command['type']]: Handler<Extract<Command, { type: T }>> };

/** The activity instance `id` must be waiting at an element of one of `kinds`. */
function waitingAct(run: Run, id: string, kinds: readonly string[], what: string): ActivityInstance {
  const act = run.state.acts[id];
  const node = act === undefined ? undefined : run.model.nodes.get(act.el);
  if (act === undefined || node === undefined || act.st !== 'wait' || !kinds.includes(node.kind) || (what.startsWith('external task') && node.kind !== 'userTask' && act.task === undefined)) {
    throw new ProcosError(EngineErrors.NOT_WAITING, `activity instance ${id} of process instance ${run.state.id} is not waiting for a ${what}`, {
      activityInstanceId: id,
      processInstanceId: run.state.id,
    });
  }
  return act;
}

const EXTERNAL = ['serviceTask', 'sendTask', 'businessRuleTask', 'intermediateThrowEvent', 'endEvent'] as const;

const handlers: Handlers = {
  start(run, c) {
    const root = run.state.acts[run.state.id]!;
    run.effects.push({ type: 'processStarted', processInstanceId: run.state.id, key: run.model.id, businessKey: run.state.businessKey, time: run.ctx.now });
    if (c.parent !== undefined) run.state.parent = { processInstanceId: c.parent.processInstanceId, activityInstanceId: c.parent.activityInstanceId };
    if (c.variables !== undefined) for (const k in c.variables) run.setVariableLocal(root.id, k, c.variables[k]!);
    armEventSubprocesses(run, root, run.model.eventSubProcesses);
    // Camunda 7: without a none start event, a process with exactly one start event starts there.
    const startId = c.startEventId ?? (run.model.startEventId === '' && run.model.eventStartIds.length === 1 ? run.model.eventStartIds[0]! : run.model.startEventId);
    const start = run.model.nodes.get(startId);
    if (start === undefined || start.kind !== 'startEvent' || start.scopeId !== run.model.id) {
      throw new ProcosError(EngineErrors.BAD_COMMAND, startId === '' ? `process "${run.model.id}" has no none start event: start it by a message, signal or timer` : `"${startId}" is not a start event of process "${run.model.id}"`, { elementId: startId });
    }
    run.arrive(startId, root.id, null);
  },

  trigger(run, c) {
    trigger(run, c.subscriptionId, c.variables);
  },

  signalActivity(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['receiveTask'], 'signal (message-less receive task)');
    if (act.subs !== undefined) {
      throw new ProcosError(EngineErrors.NOT_WAITING, `receive task ${act.el} waits for a message; correlate the message instead`, { activityInstanceId: act.id });
    }
    if (c.variables !== undefined) for (const k in c.variables) run.setVariable(act.id, k, c.variables[k]!);
    run.leave(act);
  },

  completeCallActivity(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['callActivity'], 'called process instance');
    const node = run.node(act.el) as CallActivityNode;
    delete act.child;
    const childScope = variablesScope(c.variables);
    const zeebe = node.io?.dialect === 'zeebe' || node.propagateAllChildVariables !== undefined;
    if (zeebe) {
      // Zeebe: the child's variables are visible to the output mappings; without output
      // mappings (and unless propagateAllChildVariables=false) they all propagate.
      for (const k in c.variables) run.setVariableLocal(act.id, k, c.variables[k]!);
      if (node.propagateAllChildVariables !== false && (node.io === undefined || node.io.outputs.length === 0)) for (const k in c.variables) run.setVariable(act.parent!, k, c.variables[k]!);
      run.leave(act);
      return;
    }
    const out: Variables = applyCallMappings(node.outMappings, childScope).variables;
    const local = node.outMappings.some((m) => m.kind !== 'businessKey' && m.local);
    for (const k in out) {
      if (local) run.setVariableLocal(act.id, k, out[k]!);
      else run.setVariable(act.id, k, out[k]!);
    }
    run.leave(act);
  },

  childThrow(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['callActivity'], 'called process instance');
    const result = throwEvent(run, act, c.kind, c.code, c.message, c.variables);
    if (result !== 'caught' && c.kind === 'error' && run.state.acts[act.id] !== undefined) {
      const scopeId = act.parent!;
      run.end(act, false);
      run.tokenConsumed(scopeId);
    }
  },

  completeScript(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['scriptTask'], 'script result');
    const node = run.node(act.el) as ScriptTaskNode;
    if (c.variables !== undefined) for (const k in c.variables) run.setVariable(act.id, k, c.variables[k]!);
    if (node.resultVariable !== undefined) run.setVariable(act.id, node.resultVariable, c.result ?? null);
    run.leave(act);
  },

  failScript(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['scriptTask'], 'script result');
    run.raiseIncident(act, 'enter', 'scriptFailed', `${act.el}: ${c.message}`);
  },

  continueAsync(run, c) {
    continueAsync(run, c.jobId);
  },

  completeExternalTask(run, c) {
    const act = waitingAct(run, c.activityInstanceId, EXTERNAL, 'external task');
    const node = run.node(act.el);
    if (c.localVariables !== undefined) for (const k in c.localVariables) run.setVariableLocal(act.id, k, c.localVariables[k]!);
    if (c.variables !== undefined) {
      // Zeebe: with output mappings, job variables are local to the task; only the outputs propagate.
      const local = node.io?.dialect === 'zeebe' && node.io.outputs.length > 0;
      for (const k in c.variables) {
        if (local) run.setVariableLocal(act.id, k, c.variables[k]!);
        else run.setVariable(act.id, k, c.variables[k]!);
      }
    }
    delete act.task;
    run.leave(act);
  },

  bpmnError(run, c) {
    const act = waitingAct(run, c.activityInstanceId, [...EXTERNAL, 'userTask'], 'external task or user task');
    delete act.task;
    const thrown = throwEvent(run, act, 'error', c.errorCode, c.errorMessage, c.variables);
    if (thrown === 'caught' || run.state.acts[act.id] === undefined) return;
    // Uncaught: Camunda 7's default ends the current execution (docs "Unhandled BPMN Error").
    if (c.variables !== undefined) for (const k in c.variables) run.setVariable(act.id, k, c.variables[k]!);
    const scopeId = act.parent!;
    run.end(act, false);
    run.tokenConsumed(scopeId);
  },

  completeUserTask(run, c) {
    const act = waitingAct(run, c.activityInstanceId, ['userTask'], 'user task');
    if (c.variables !== undefined) for (const k in c.variables) run.setVariable(act.id, k, c.variables[k]!);
    run.leave(act);
  },

  retryIncident(run, c) {
    let act: ActivityInstance | undefined;
    for (const id in run.state.acts) if (run.state.acts[id]!.inc === c.incidentId) act = run.state.acts[id];
    if (act === undefined) {
      throw new ProcosError(EngineErrors.INCIDENT_NOT_FOUND, `process instance ${run.state.id} has no open incident ${c.incidentId}`, { incidentId: c.incidentId });
    }
    const at = act.incAt;
    run.effects.push({ type: 'incidentResolved', incidentId: c.incidentId, time: run.ctx.now });
    delete act.inc;
    delete act.incAt;
    act.st = 'wait';
    if (at === 'leave') run.leave(act);
    else run.execute(act, run.node(act.el));
  },

  setVariables(run, c) {
    if (c.activityInstanceId !== undefined) {
      const act = run.act(c.activityInstanceId);
      for (const k in c.variables) run.setVariableLocal(act.id, k, c.variables[k]!);
    } else {
      for (const k in c.variables) run.setVariable(run.state.id, k, c.variables[k]!);
    }
  },

  cancel(run, c) {
    run.finishProcess('terminated', c.reason);
  },
};

/**
 * Applies `command` to a process instance and runs it to its next wait states.
 *
 * @param model the compiled process the instance runs.
 * @param state the instance's current state; `null` only with a `start` command.
 * @param command what to do.
 * @param ctx injected clock (epoch ms) and id generator.
 * @returns the new state (a fresh object; `state` is untouched) and the effects, in order.
 * @throws ProcosError PROCOS_ENGINE_BAD_COMMAND (start with a state, or a state missing),
 *   PROCOS_ENGINE_INSTANCE_ENDED (command on an ended instance), PROCOS_ENGINE_NOT_WAITING
 *   (the activity instance is not waiting for this command), PROCOS_ENGINE_INCIDENT_NOT_FOUND,
 *   PROCOS_ENGINE_STATE_VERSION_UNKNOWN.
 *   Expression failures during the step do not throw: they become incidents.
 */
export function execute(model: ProcessModel, state: InstanceState | null, command: Command, ctx: EngineContext): ExecuteResult {
  let s: InstanceState;
  if (command.type === 'start') {
    if (state !== null) throw new ProcosError(EngineErrors.BAD_COMMAND, 'start needs no existing state', {});
    const id = command.processInstanceId ?? ctx.newId();
    s = { v: STATE_VERSION, id, key: model.id, businessKey: command.businessKey ?? null, status: 'active', acts: { [id]: { id, el: model.id, parent: null, st: 'scope' } }, joins: {} };
  } else {
    if (state === null) throw new ProcosError(EngineErrors.BAD_COMMAND, `${command.type} needs the instance state`, {});
    if (state.v !== STATE_VERSION) throw new ProcosError(EngineErrors.STATE_VERSION_UNKNOWN, `instance state version ${state.v} is not known (this engine reads version ${STATE_VERSION})`, { version: state.v });
    if (state.status !== 'active') {
      throw new ProcosError(EngineErrors.INSTANCE_ENDED, `process instance ${state.id} has ended (${state.status})`, { processInstanceId: state.id, status: state.status });
    }
    s = cloneJson(state);
  }
  const run = new Run(model, s, ctx);
  (handlers[command.type] as Handler<Command>)(run, command);
  run.drain();
  return { state: s, effects: run.effects };
}
