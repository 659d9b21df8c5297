/**
 * JUEL parser: composite text → {@link Template}; each `${…}` part by recursive descent
 * over the precedence levels of Unified EL 2.2 (JSR-245) §1.16, highest first:
 *
 * | level | operators | associativity |
 * |---|---|---|
 * | postfix | `[]` `.` | left |
 * | unary | `-` `!` `not` `empty` | right |
 * | multiplicative | `*` `/` `div` `%` `mod` | left |
 * | additive | `+` `-` | left |
 * | relational | `<` `>` `<=` `>=` `lt` `gt` `le` `ge` | left |
 * | equality | `==` `!=` `eq` `ne` | left |
 * | and | `&&` `and` | left |
 * | or | `\|\|` `or` | left |
 * | conditional | `? :` | right |
 *
 * Refused with `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED`: method calls (`x.foo()`,
 * `execution.getVariable('a')`), function calls (`fn:x()`, `f()`), and the Camunda host
 * object `execution` (Camunda resolves it before variables, so it can never be a variable).
 * Refused as syntax errors (`PROCOS_ENGINE_EXPRESSION_FAILED`, with the position):
 * EL 3.0 additions (assignment `=`, `+=`, lambda `->`, `;`, collection literals `{…}`)
 * and `instanceof`.
 */
import { expressionUnsupported } from '../failure.js';
import type { BinaryOp, Node, Template } from './ast.js';
import { syntaxError, tokenize, type Token } from './lexer.js';

/** Keyword and symbol spellings of binary operators, by precedence level. */
const MULTIPLICATIVE: Readonly<Record<string, BinaryOp>> = { '*': '*', '/': '/', div: '/', '%': '%', mod: '%' };
const ADDITIVE: Readonly<Record<string, BinaryOp>> = { '+': '+', '-': '-' };
const RELATIONAL: Readonly<Record<string, BinaryOp>> = {
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
};
const EQUALITY: Readonly<Record<string, BinaryOp>> = { '==': '==', '!=': '!=', eq: '==', ne: '!=' };

/** Why a token that cannot start or continue an expression is there, when we know. */
const REFUSED_HINTS: Readonly<Record<string, string>> = {
  '=': 'assignment is not supported',
  '+=': 'assignment is not supported',
  '->': 'lambda expressions are not supported',
  ';': 'statement separators are not supported',
  '{': 'collection literals are not supported',
  instanceof: "'instanceof' is not supported",
};

/** Host objects Camunda resolves before variables (Camunda 7 `VariableScopeElResolver`). */
const HOST_OBJECTS: ReadonlySet<string> = new Set(['execution']);

function tokenAt(tokens: readonly Token[], i: number): Token {
  return tokens[Math.min(i, tokens.length - 1)]!;
}

/** Parses the tokens of one `${…}` part. */
class ExpressionParser {
  #i = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** Parses one expression followed by the closing `}`; returns it and the offset after `}`. */
  parseEmbedded(): { node: Node; end: number } {
    const node = this.#conditional();
    const t = this.#peek();
    if (t.kind !== 'close') throw this.#unexpected(t, t.kind === 'eof' ? "missing '}'" : undefined);
    return { node, end: t.end };
  }

  #peek(offset = 0): Token {
    return tokenAt(this.tokens, this.#i + offset);
  }

  #next(): Token {
    const t = this.#peek();
    this.#i++;
    return t;
  }

  /** True when the next token is punctuation or a keyword spelled `text`. */
  #at(text: string, offset = 0): boolean {
    const t = this.#peek(offset);
    return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
  }

  #expect(text: string): Token {
    if (!this.#at(text)) throw this.#unexpected(this.#peek(), `expected '${text}'`);
    return this.#next();
  }

  #unexpected(t: Token, expected?: string): Error {
    const hint = REFUSED_HINTS[t.text];
    let what: string;
    if (t.kind === 'eof') what = 'unexpected end of expression';
    else if (t.kind === 'close') what = "unexpected '}'";
    else what = `unexpected '${t.text}'`;
    if (hint !== undefined && (t.kind === 'punct' || t.kind === 'keyword')) what += ` (${hint})`;
    else if (expected !== undefined) what += `, ${expected}`;
    return syntaxError(this.source, t.pos, what);
  }

  #conditional(): Node {
    const test = this.#or();
    if (!this.#at('?')) return test;
    this.#next();
    const consequent = this.#conditional();
    this.#expect(':');
    const alternate = this.#conditional();
    return { type: 'conditional', test, consequent, alternate, pos: test.pos, end: alternate.end };
  }

  #or(): Node {
    let left = this.#and();
    while (this.#at('||') || this.#at('or')) {
      this.#next();
      const right = this.#and();
      left = { type: 'logical', op: '||', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  #and(): Node {
    let left = this.#equality();
    while (this.#at('&&') || this.#at('and')) {
      this.#next();
      const right = this.#equality();
      left = { type: 'logical', op: '&&', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  #equality(): Node {
    return this.#binary(EQUALITY, () => this.#relational());
  }

  #relational(): Node {
    return this.#binary(RELATIONAL, () => this.#additive());
  }

  #additive(): Node {
    return this.#binary(ADDITIVE, () => this.#multiplicative());
  }

  #multiplicative(): Node {
    return this.#binary(MULTIPLICATIVE, () => this.#unary());
  }

  /** One left-associative level: `operand (op operand)*`. */
  #binary(ops: Readonly<Record<string, BinaryOp>>, operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const t = this.#peek();
      const op = t.kind === 'punct' || t.kind === 'keyword' ? ops[t.text] : undefined;
      if (op === undefined) return left;
      this.#next();
      const right = operand();
      left = { type: 'binary', op, left, right, pos: left.pos, end: right.end };
    }
  }

  #unary(): Node {
    const t = this.#peek();
    if (t.kind === 'punct' || t.kind === 'keyword') {
      const op = t.text === '-' ? '-' : t.text === '!' || t.text === 'not' ? '!' : t.text === 'empty' ? 'empty' : undefined;
      if (op !== undefined) {
        this.#next();
        const operand = this.#unary();
        return { type: 'unary', op, operand, pos: t.pos, end: operand.end };
      }
    }
    return this.#postfix();
  }

  #postfix(): Node {
    const first = this.#peek();
    let node = this.#primary();
    for (;;) {
      if (this.#at('.')) {
        this.#next();
        const name = this.#next();
        if (name.kind !== 'identifier') throw this.#unexpected(name, "expected a property name after '.'");
        if (this.#at('(')) throw this.#methodCall(first, name);
        const property: Node = { type: 'literal', value: name.text, pos: name.pos, end: name.end };
        node = { type: 'member', object: node, property, pos: node.pos, end: name.end };
      } else if (this.#at('[')) {
        this.#next();
        const property = this.#conditional();
        const close = this.#expect(']');
        if (this.#at('(')) throw this.#methodCall(first, undefined);
        node = { type: 'member', object: node, property, pos: node.pos, end: close.end };
      } else {
        break;
      }
    }
    if (first.kind === 'identifier' && HOST_OBJECTS.has(first.text)) {
      throw expressionUnsupported(this.source, `the host object '${first.text}' is not available; refer to variables by name`, {
        position: first.pos,
      });
    }
    return node;
  }

  #methodCall(start: Token, name: Token | undefined): Error {
    const pos = name?.pos ?? start.pos;
    const called = name === undefined ? '' : ` ('${name.text}')`;
    return expressionUnsupported(this.source, `method calls on host objects are not supported${called} at position ${pos}`, {
      position: pos,
    });
  }

  #primary(): Node {
    const t = this.#next();
    switch (t.kind) {
      case 'literal':
        return { type: 'literal', value: t.value, pos: t.pos, end: t.end };
      case 'identifier': {
        // Function call: `ns:name(…)` or `name(…)` (EL 2.2 §1.15).
        const prefixed = this.#at(':') && this.#peek(1).kind === 'identifier' && this.#at('(', 2);
        if (prefixed || this.#at('(')) {
          const name = prefixed ? `${t.text}:${this.#peek(1).text}` : t.text;
          throw expressionUnsupported(this.source, `function calls are not supported ('${name}') at position ${t.pos}`, {
            position: t.pos,
          });
        }
        return { type: 'identifier', name: t.text, pos: t.pos, end: t.end };
      }
      case 'punct':
        if (t.text === '(') {
          const inner = this.#conditional();
          const close = this.#expect(')');
          return { ...inner, pos: t.pos, end: close.end };
        }
        throw this.#unexpected(t);
      default:
        throw this.#unexpected(t);
    }
  }
}

/**
 * Parses a whole JUEL text: literal text with any number of `${…}` or `#{…}` parts.
 * In literal text, `\${` and `\#{` stand for the characters `${` and `#{` (EL 2.2 §1.2.3).
 * A text may not mix `${…}` and `#{…}` (EL 2.2 §1.2.1).
 *
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` on a syntax error; the message and
 *   `details.position` give the 0-based offset into `source`.
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_UNSUPPORTED` on method or function calls
 *   and host objects.
 */
export function parseTemplate(source: string): Template {
  const parts: (string | Node)[] = [];
  let text = '';
  let textStart = 0;
  let delimiter: string | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\' && (source[i + 1] === '$' || source[i + 1] === '#') && source[i + 2] === '{') {
      text += source.slice(textStart, i) + source[i + 1] + '{';
      i += 3;
      textStart = i;
      continue;
    }
    if ((c === '$' || c === '#') && source[i + 1] === '{') {
      if (delimiter !== undefined && delimiter !== c) {
        throw syntaxError(source, i, 'a text may not mix ${…} and #{…} expressions');
      }
      delimiter = c;
      text += source.slice(textStart, i);
      if (text !== '') parts.push(text);
      text = '';
      const { node, end } = new ExpressionParser(source, tokenize(source, i + 2)).parseEmbedded();
      parts.push(node);
      i = end;
      textStart = i;
      continue;
    }
    i++;
  }
  text += source.slice(textStart);
  if (text !== '') parts.push(text);
  return { parts };
}
