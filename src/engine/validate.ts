/**
 * Deploy-time checks of a compiled model that need the engine's expression languages:
 * every expression must parse, and none may call methods on host objects. Run by the
 * runtime before a deployment is stored, so that a typo fails the deployment, not an
 * instance later.
 */
import { isProcosError } from '../common/errors.js';
import type { Expr, ProcessModel } from '../model/types.js';
import { checkExpression } from './expressions/index.js';
import { supportsKind } from './behaviours/registry.js';

/** One expression problem, named by element id. */
export interface ExpressionProblem {
  readonly code: string;
  readonly message: string;
  readonly elementId: string;
  readonly line?: number;
  readonly column?: number;
}

/** Every expression anywhere in a node (topics, conditions, timers, names, mappings, loops …). */
function* nodeExprs(value: unknown, depth = 0): Generator<Expr> {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  const v = value as Record<string, unknown>;
  if ((v.kind === 'juel' || v.kind === 'feel') && typeof v.source === 'string') {
    yield v as unknown as Expr;
    return;
  }
  for (const k of Object.keys(v)) yield* nodeExprs(v[k], depth + 1);
}

/**
 * Checks every expression of a model (conditions, topics, priorities, assignments,
 * io mappings).
 * @returns the problems found; empty when the model is fine.
 */
export function validateExpressions(model: ProcessModel): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const check = (e: Expr, elementId: string, line?: number, column?: number): void => {
    try {
      checkExpression(e);
    } catch (err) {
      if (!isProcosError(err)) throw err;
      problems.push({ code: err.code, message: `element "${elementId}": ${err.message}`, elementId, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) });
    }
  };
  for (const n of model.nodes.values()) for (const e of nodeExprs(n)) check(e, n.id, n.line, n.column);
  for (const f of model.flows.values()) if (f.condition !== undefined) check(f.condition, f.id, f.line, f.column);
  return problems;
}

/**
 * Everything the engine checks before a model may be deployed: every element kind has a
 * behaviour (a kind the compiler knows but the engine does not run yet is refused,
 * named), and {@link validateExpressions}.
 * @returns problems with code PROCOS_MODEL_UNSUPPORTED_ELEMENT or an expression error code.
 */
export function validateModel(model: ProcessModel): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  for (const n of model.nodes.values()) {
    if (!supportsKind(n.kind)) {
      problems.push({
        code: 'PROCOS_MODEL_UNSUPPORTED_ELEMENT',
        message: `element "${n.id}" (${n.kind}): the engine does not run ${n.kind} elements yet`,
        elementId: n.id,
        ...(n.line !== undefined ? { line: n.line } : {}),
        ...(n.column !== undefined ? { column: n.column } : {}),
      });
    }
  }
  return [...problems, ...validateExpressions(model)];
}
