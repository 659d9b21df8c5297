/**
 * Embedded subprocess: a scope. Its none start event gets a token; the subprocess
 * completes when no token is left inside (BPMN 2.0.2 §13.2.4). Variables set inside
 * propagate to the enclosing scopes unless defined locally.
 */
import type { SubProcessNode, TransactionNode } from '../../../model/types.js';
import type { Behaviour } from '../types.js';

export const subProcess: Behaviour<SubProcessNode | TransactionNode> = {
  execute(run, act, node) {
    act.st = 'scope';
    run.arrive(node.startEventId, act.id, null);
  },
};
