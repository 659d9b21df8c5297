/**
 * Script task. FEEL scripts are evaluated by the engine itself; JavaScript runs outside
 * the pure engine, in an isolate with time and memory limits run by the runtime: the
 * engine asks for it (`scriptRequested`) and waits for `completeScript` / `failScript`.
 * The result goes to `resultVariable` (Camunda `camunda:resultVariable`, Zeebe
 * `resultVariable`).
 */
import type { ScriptTaskNode } from '../../../model/types.js';
import { evaluate } from '../../expressions/index.js';
import type { Behaviour } from '../types.js';

export const scriptTask: Behaviour<ScriptTaskNode> = {
  execute(run, act, node) {
    if (node.language === 'feel') {
      const result = evaluate({ kind: 'feel', source: node.script }, run.scope(act.id));
      if (node.resultVariable !== undefined) run.setVariable(act.id, node.resultVariable, result);
      run.leave(act);
      return;
    }
    act.st = 'wait';
    run.effects.push({ type: 'scriptRequested', activityInstanceId: act.id, elementId: node.id, language: 'javascript', script: node.script, variables: run.scope(act.id).all(), time: run.ctx.now });
  },
};
