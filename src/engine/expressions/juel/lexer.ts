/**
 * JUEL tokenizer: turns the text inside one `${…}` / `#{…}` into tokens, stopping at the
 * closing `}`.
 *
 * Lexical rules follow Unified EL 2.2 (JSR-245) §1.19 "Collected Syntax":
 * - identifiers are Java identifiers; the reserved words of §1.17 are keywords;
 * - IntegerLiteral `[0-9]+`; FloatingPointLiteral `[0-9]+ . [0-9]* Exp?`, `. [0-9]+ Exp?`,
 *   `[0-9]+ Exp`;
 * - StringLiteral in `'…'` or `"…"`; the only escapes are `\\` and the enclosing quote
 *   (`\'` in `'…'`, `\"` in `"…"`), as in JUEL's scanner.
 *
 * Tokens EL 3.0 added but this subset refuses (`=`, `+=`, `->`, `;`) are still recognised,
 * so that the parser can say what is not supported at the right position.
 */
import type { ProcosError } from '../../../common/errors.js';
import type { JsonValue } from '../../../common/json.js';
import { expressionFailed } from '../failure.js';

/** EL 2.2 §1.17 reserved words (keywords). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'gt',
  'le',
  'ge',
  'true',
  'false',
  'null',
  'instanceof',
  'empty',
  'div',
  'mod',
]);

/**
 * Kinds of token.
 * - `literal`: number or string (value in {@link Token.value});
 * - `identifier`: a name that is not a keyword;
 * - `keyword`: a reserved word (text in {@link Token.text});
 * - `punct`: an operator or punctuation mark;
 * - `close`: the `}` that ends the expression;
 * - `eof`: the text ended before a `}`.
 */
export type TokenKind = 'literal' | 'identifier' | 'keyword' | 'punct' | 'close' | 'eof';

/** One token; `pos`/`end` are 0-based offsets into the whole expression text. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: JsonValue;
  readonly pos: number;
  readonly end: number;
}

/** Punctuation, longest first so that `<=` wins over `<`. */
const PUNCTUATION = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '->',
  '+=',
  '=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  ';',
] as const;

const IDENT_START = /[\p{L}\p{Nl}\p{Sc}_]/u;
const IDENT_PART = /[\p{L}\p{Nl}\p{Sc}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;

/**
 * A `PROCOS_ENGINE_EXPRESSION_FAILED` syntax error at a 0-based position of `source`:
 * `syntax error at position 7: <what>`.
 */
export function syntaxError(source: string, pos: number, what: string): ProcosError {
  return expressionFailed(source, `syntax error at position ${pos}: ${what}`, { position: pos });
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Tokenizes `source` from offset `start` up to and including the first `}` outside a
 * string literal.
 *
 * @returns the tokens; the last one is `close` (at the `}`) or `eof` (no `}` found).
 * @throws ProcosError `PROCOS_ENGINE_EXPRESSION_FAILED` on an unknown character, an
 *   unterminated string, an invalid escape or an integer literal beyond ±2^53.
 */
export function tokenize(source: string, start: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '}') {
      tokens.push({ kind: 'close', text: '}', value: null, pos: i, end: i + 1 });
      return tokens;
    }
    if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = source[j]!;
        if (d === '\\') {
          const e = source[j + 1];
          if (e === '\\' || e === c) {
            text += e;
            j += 2;
            continue;
          }
          if (e === undefined) throw syntaxError(source, i, 'unterminated string');
          throw syntaxError(source, j, `invalid escape sequence \\${e} (only \\\\ and \\${c} are allowed)`);
        }
        if (d === c) {
          closed = true;
          j++;
          break;
        }
        text += d;
        j++;
      }
      if (!closed) throw syntaxError(source, i, 'unterminated string');
      tokens.push({ kind: 'literal', text: source.slice(i, j), value: text, pos: i, end: j });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) {
      let j = i;
      let floating = false;
      while (isDigit(source[j])) j++;
      if (source[j] === '.') {
        floating = true;
        j++;
        while (isDigit(source[j])) j++;
      }
      if (source[j] === 'e' || source[j] === 'E') {
        let k = j + 1;
        if (source[k] === '+' || source[k] === '-') k++;
        if (isDigit(source[k])) {
          floating = true;
          while (isDigit(source[k])) k++;
          j = k;
        }
      }
      const text = source.slice(i, j);
      const value = Number(text);
      if (!floating && !Number.isSafeInteger(value)) throw syntaxError(source, i, `integer literal ${text} is out of range`);
      if (!Number.isFinite(value)) throw syntaxError(source, i, `number literal ${text} is out of range`);
      tokens.push({ kind: 'literal', text, value, pos: i, end: j });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(source[j]!)) j++;
      const text = source.slice(i, j);
      if (text === 'true' || text === 'false') {
        tokens.push({ kind: 'literal', text, value: text === 'true', pos: i, end: j });
      } else if (text === 'null') {
        tokens.push({ kind: 'literal', text, value: null, pos: i, end: j });
      } else {
        tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'identifier', text, value: null, pos: i, end: j });
      }
      i = j;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punct === undefined) throw syntaxError(source, i, `unexpected character ${JSON.stringify(c)}`);
    tokens.push({ kind: 'punct', text: punct, value: null, pos: i, end: i + punct.length });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', value: null, pos: n, end: n });
  return tokens;
}
