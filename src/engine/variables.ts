/**
 * Variable scopes of a process instance.
 *
 * Each activity instance may hold local variables (`act.vars`); the root scope (the
 * process instance) holds the process variables. A read walks from an activity instance
 * up to the root; the first scope that defines the name wins.
 *
 * Writes follow Camunda 7's `setVariable`: the variable is updated in the nearest scope
 * that already defines it, otherwise created in the process instance (root) scope.
 * `setVariableLocal` writes to exactly the given scope.
 * Source: Camunda 7 docs, "Process Variables" → "Variable Scopes and Variable Visibility".
 */
import type { JsonValue } from '../common/json.js';
import type { VariableScope } from './expressions/index.js';
import type { ActivityInstance, InstanceState } from './types.js';

/** Finds the scope that defines `name`, starting at `actId` and walking up. */
export function findDefiningScope(state: InstanceState, actId: string, name: string): ActivityInstance | undefined {
  let cur: ActivityInstance | undefined = state.acts[actId];
  while (cur) {
    if (cur.vars !== undefined && Object.prototype.hasOwnProperty.call(cur.vars, name)) return cur;
    cur = cur.parent === null ? undefined : state.acts[cur.parent];
  }
  return undefined;
}

/** A {@link VariableScope} seen from activity instance `actId`. */
export function scopeView(state: InstanceState, actId: string): VariableScope {
  return {
    get(name: string): JsonValue | undefined {
      const s = findDefiningScope(state, actId, name);
      return s === undefined ? undefined : (s.vars as Record<string, JsonValue>)[name];
    },
    all(): Record<string, JsonValue> {
      const chain: ActivityInstance[] = [];
      let cur: ActivityInstance | undefined = state.acts[actId];
      while (cur) {
        chain.push(cur);
        cur = cur.parent === null ? undefined : state.acts[cur.parent];
      }
      const out: Record<string, JsonValue> = {};
      for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]!.vars);
      return out;
    },
  };
}

/** A scope view that sees `local` first, then the scopes from `actId` upward (input mappings). */
export function overlayView(base: VariableScope, local: Record<string, JsonValue>): VariableScope {
  return {
    get: (name) => (Object.prototype.hasOwnProperty.call(local, name) ? local[name] : base.get(name)),
    all: () => ({ ...base.all(), ...local }),
  };
}

/**
 * Every variable visible from activity instance `actId` (inner scopes shadow outer),
 * or only its local ones. Unknown activity instance → empty.
 */
export function visibleVariables(state: InstanceState, actId: string, localOnly = false): Record<string, JsonValue> {
  if (localOnly) return { ...(state.acts[actId]?.vars ?? {}) };
  return scopeView(state, actId).all();
}
