/**
 * The contract between the generic activity lifecycle ({@link RunApi}, implemented by
 * `Run`) and one element kind's behaviour. One behaviour file per element kind
 * (STYLE.md §3): it implements only what is special about that kind.
 */
import type { FlowNode } from '../../model/types.js';
import type { Run } from '../run.js';
import type { ActivityInstance } from '../types.js';

/** What a behaviour may ask of the running step: the step itself (`Run`). */
export type RunApi = Run;

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
