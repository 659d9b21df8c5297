/**
 * The contract between the generic activity lifecycle ({@link RunApi}, implemented by
 * `Run`) and one element kind's behaviour. One behaviour file per element kind
 * (STYLE.md §3): it implements only what is special about that kind.
 */
import type { JsonValue, Variables } from '../../common/json.js';
import type { FlowNode, MappingValue, ProcessModel } from '../../model/types.js';
import type { VariableScope } from '../expressions/index.js';
import type { ActivityInstance, Effect, EngineContext, EngineIncidentType, InstanceState } from '../types.js';

/** What a behaviour may ask of the running step. */
export interface RunApi {
  readonly model: ProcessModel;
  readonly state: InstanceState;
  readonly ctx: EngineContext;
  readonly effects: Effect[];
  node(id: string): FlowNode;
  scope(actId: string): VariableScope;
  children(scopeId: string): ActivityInstance[];
  arrive(nodeId: string, scopeId: string, via: string | null): void;
  /** Completes `act`: outputs, outgoing flows (or the given ones), end. */
  leave(act: ActivityInstance, flows?: readonly string[]): void;
  /** Ends `act` without leaving (its token is consumed by the caller's logic). */
  end(act: ActivityInstance, canceled: boolean): void;
  tokenConsumed(scopeId: string): void;
  completeScope(scope: ActivityInstance): void;
  terminateScope(scope: ActivityInstance): void;
  throwError(from: ActivityInstance, errorCode: string | null, errorMessage: string | undefined, variables: Variables | undefined): boolean;
  raiseIncident(act: ActivityInstance, at: 'enter' | 'leave', incidentType: EngineIncidentType, message: string): void;
  setVariable(fromActId: string, name: string, value: JsonValue): void;
  mapValue(v: MappingValue, scope: VariableScope): JsonValue;
}

/** One element kind's behaviour. */
export interface Behaviour<N extends FlowNode = FlowNode> {
  /**
   * A token arrives, before any activity instance exists. Return false to hold the
   * token (a join still waiting); true to start the activity.
   */
  arrive?(run: RunApi, node: N, scopeId: string, via: string | null): boolean;
  /** Runs the activity: call `run.leave(act)` to complete now, or leave it waiting. */
  execute(run: RunApi, act: ActivityInstance, node: N): void;
  /** Releases what the activity holds outside the state (external task, user task). */
  cancel?(run: RunApi, act: ActivityInstance, node: N): void;
}
