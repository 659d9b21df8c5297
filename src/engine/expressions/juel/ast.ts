/**
 * Syntax tree of the JUEL subset (Unified EL 2.2, JSR-245 §1.19 grammar).
 *
 * Keyword operators are normalised to their symbols (`div` → `/`, `mod` → `%`, `lt` → `<`,
 * `and` → `&&`, `not` → `!` …), EL 2.2 §1.7–§1.10. Every node keeps its 0-based
 * `[pos, end)` span in the whole expression text, for messages.
 */
import type { JsonValue } from '../../../common/json.js';

/** Source span of a node: 0-based offsets into the whole expression text. */
export interface Span {
  readonly pos: number;
  readonly end: number;
}

/** `+ - *` (§1.7.1), `/` (§1.7.2), `%` (§1.7.3). */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
/** `< > <= >=` (§1.8.1) and `== !=` (§1.8.2). */
export type RelationalOp = '<' | '>' | '<=' | '>=' | '==' | '!=';
/** Binary operators. */
export type BinaryOp = ArithmeticOp | RelationalOp;
/** Unary minus (§1.7.4), `!`/`not` (§1.9.2), `empty` (§1.10). */
export type UnaryOp = '-' | '!' | 'empty';

/** A literal: boolean, number, string or null (§1.3). */
export interface LiteralNode extends Span {
  readonly type: 'literal';
  readonly value: JsonValue;
}
/** A top-level identifier: a variable (§1.5). */
export interface IdentifierNode extends Span {
  readonly type: 'identifier';
  readonly name: string;
}
/** `a.b` (property is a string literal) or `a[expr]` (§1.6). */
export interface MemberNode extends Span {
  readonly type: 'member';
  readonly object: Node;
  readonly property: Node;
}
/** A unary operator applied to one operand. */
export interface UnaryNode extends Span {
  readonly type: 'unary';
  readonly op: UnaryOp;
  readonly operand: Node;
}
/** An arithmetic or relational operator with two operands. */
export interface BinaryNode extends Span {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
}
/** `&&`/`and`, `||`/`or` (§1.9.1), short-circuit. */
export interface LogicalNode extends Span {
  readonly type: 'logical';
  readonly op: '&&' | '||';
  readonly left: Node;
  readonly right: Node;
}
/** `test ? consequent : alternate` (§1.11). */
export interface ConditionalNode extends Span {
  readonly type: 'conditional';
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
}

/** Any expression node. */
export type Node = LiteralNode | IdentifierNode | MemberNode | UnaryNode | BinaryNode | LogicalNode | ConditionalNode;

/**
 * A whole JUEL text (§1.2): literal text and `${…}` / `#{…}` parts, in order.
 * A template of exactly one expression part evaluates to that part's typed value;
 * anything else evaluates to the concatenation of its parts coerced to strings (§1.2.1.1).
 */
export interface Template {
  readonly parts: readonly (string | Node)[];
}
