// Velocity expressions and references: what appears inside a directive's parentheses and
// after a `$`. The grammar is Velocity 1.7's, a little more permissive where 1.7 only allowed
// a primary (method arguments, index brackets, #foreach lists take full expressions here).
import type { BinaryOperator, Expr, Node, Ref, RefPart } from './ast.js';
import { type Cursor, isAlpha, isDigit, isIdentChar, isIdentStart } from './cursor.js';

const DOLLAR = 36;
const BANG = 33;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const LPAREN = 40;
const DOT = 46;
const MINUS = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

export interface ExpressionHooks {
  /** Parses the inside of a double-quoted string (source offsets) as a template. */
  interpolate(start: number, end: number): Node[];
  /** Counts nesting; throws when it is too deep. */
  enter(at: number): void;
  leave(): void;
}

type OperatorTable = readonly (readonly [symbol: string, word: string | null, op: BinaryOperator])[];

const OR: OperatorTable = [['||', 'or', '||']];
const AND: OperatorTable = [['&&', 'and', '&&']];
const EQUALITY: OperatorTable = [
  ['==', 'eq', '=='],
  ['!=', 'ne', '!='],
];
const RELATIONAL: OperatorTable = [
  ['<=', 'le', '<='],
  ['>=', 'ge', '>='],
  ['<', 'lt', '<'],
  ['>', 'gt', '>'],
];
const ADDITIVE: OperatorTable = [
  ['+', null, '+'],
  ['-', null, '-'],
];
const MULTIPLICATIVE: OperatorTable = [
  ['*', null, '*'],
  ['/', null, '/'],
  ['%', null, '%'],
];
const LEVELS = [OR, AND, EQUALITY, RELATIONAL, ADDITIVE, MULTIPLICATIVE] as const;

export class ExpressionParser {
  constructor(
    private readonly c: Cursor,
    private readonly hooks: ExpressionHooks,
  ) {}

  /** At `$`: `$[!][{]name(.name | .name(args) | [index])*[}]`, or null when no name follows. */
  referenceAt(): Ref | null {
    const c = this.c;
    const start = c.pos;
    let p = start + 1;
    if (c.code(p) === BANG) p++;
    const formal = c.code(p) === LBRACE;
    if (formal) p++;
    if (!isIdentStart(c.code(p))) return null;
    c.pos = p;
    const root = c.identifier();
    const parts = this.refParts();
    if (formal) {
      if (c.code() !== RBRACE) throw c.syntaxError('expected } to close ${...}');
      c.pos++;
    }
    const { line, column } = c.position(start);
    return { root, parts, line, column };
  }

  private refParts(): RefPart[] {
    const c = this.c;
    const parts: RefPart[] = [];
    for (;;) {
      const ch = c.code();
      if (ch === LBRACKET) {
        const at = c.pos++;
        c.skipWhitespace();
        const index = this.expression();
        c.skipWhitespace();
        if (c.code() !== 93) throw c.syntaxError('expected ] to close the index', at);
        c.pos++;
        parts.push({ k: 'index', index });
      } else if (ch === DOT && isAlpha(c.code(c.pos + 1))) {
        c.pos++;
        const name = c.identifier();
        if (c.code() === LPAREN) {
          parts.push({ k: 'call', name, args: this.arguments() });
        } else {
          parts.push({ k: 'prop', name });
        }
      } else {
        return parts;
      }
    }
  }

  private arguments(): Expr[] {
    const c = this.c;
    const open = c.pos++;
    const args: Expr[] = [];
    c.skipWhitespace();
    if (c.code() === 41) {
      c.pos++;
      return args;
    }
    for (;;) {
      args.push(this.expression());
      c.skipWhitespace();
      const ch = c.code();
      if (ch === 44) {
        c.pos++;
        continue;
      }
      if (ch === 41) {
        c.pos++;
        return args;
      }
      throw c.syntaxError('expected , or ) in the argument list', c.eof() ? open : c.pos);
    }
  }

  expression(): Expr {
    this.hooks.enter(this.c.pos);
    try {
      return this.level(0);
    } finally {
      this.hooks.leave();
    }
  }

  private level(depth: number): Expr {
    const table = LEVELS[depth];
    if (!table) return this.unary();
    let left = this.level(depth + 1);
    for (;;) {
      this.c.skipWhitespace();
      const op = this.operator(table);
      if (!op) return left;
      const right = this.level(depth + 1);
      left = { k: 'bin', op, left, right };
    }
  }

  private operator(table: OperatorTable): BinaryOperator | null {
    const c = this.c;
    for (const [symbol, word, op] of table) {
      if (c.startsWith(symbol)) {
        c.pos += symbol.length;
        return op;
      }
      if (word !== null && c.atWord(word)) {
        c.pos += word.length;
        return op;
      }
    }
    return null;
  }

  private unary(): Expr {
    const c = this.c;
    c.skipWhitespace();
    if ((c.code() === BANG && c.code(c.pos + 1) !== 61) || c.atWord('not')) {
      c.pos += c.code() === BANG ? 1 : 3;
      this.hooks.enter(c.pos);
      try {
        return { k: 'not', operand: this.unary() };
      } finally {
        this.hooks.leave();
      }
    }
    return this.primary();
  }

  /** A single operand: what Velocity allows as a directive argument. */
  primary(): Expr {
    const c = this.c;
    c.skipWhitespace();
    const at = c.pos;
    const ch = c.code();
    if (ch === DQUOTE) return this.doubleQuoted();
    if (ch === SQUOTE) return this.singleQuoted();
    if (isDigit(ch) || ((ch === MINUS || ch === DOT) && isDigit(c.code(at + 1)))) return this.number();
    if (ch === MINUS && c.code(at + 1) === DOT && isDigit(c.code(at + 2))) return this.number();
    if (ch === DOLLAR) {
      const ref = this.referenceAt();
      if (!ref) throw c.syntaxError('expected a reference after $');
      return { k: 'ref', ref };
    }
    if (ch === LBRACKET) return this.listOrRange();
    if (ch === LBRACE) return this.map();
    if (ch === LPAREN) {
      c.pos++;
      const inner = this.expression();
      c.skipWhitespace();
      if (c.code() !== 41) throw c.syntaxError('expected ) to close (', at);
      c.pos++;
      return inner;
    }
    if (c.atWord('true')) {
      c.pos += 4;
      return { k: 'bool', v: true };
    }
    if (c.atWord('false')) {
      c.pos += 5;
      return { k: 'bool', v: false };
    }
    if (c.eof()) throw c.syntaxError('expected a value but the template ended');
    const word = isIdentStart(ch) ? c.src.slice(at, wordEnd(c, at)) : c.src[at];
    throw c.syntaxError(`unexpected ${JSON.stringify(word)} where a value was expected`);
  }

  private number(): Expr {
    const c = this.c;
    const start = c.pos;
    let p = start;
    if (c.code(p) === MINUS) p++;
    while (isDigit(c.code(p))) p++;
    // `1..3` is a range of integers, so a dot followed by a dot ends the number.
    if (c.code(p) === DOT && c.code(p + 1) !== DOT) {
      p++;
      while (isDigit(c.code(p))) p++;
    }
    const e = c.code(p);
    if (e === 101 || e === 69) {
      const sign = c.code(p + 1);
      const digitAt = sign === 43 || sign === MINUS ? p + 2 : p + 1;
      if (isDigit(c.code(digitAt))) {
        p = digitAt;
        while (isDigit(c.code(p))) p++;
      }
    }
    c.pos = p;
    return { k: 'num', v: Number(c.src.slice(start, p)) };
  }

  private doubleQuoted(): Expr {
    const c = this.c;
    const start = c.pos;
    let close = scanDoubleQuoted(c, start + 1, true);
    if (close < 0) close = scanDoubleQuoted(c, start + 1, false);
    if (close < 0) throw c.syntaxError('unterminated string literal', start);
    c.pos = close + 1;
    const raw = c.src.slice(start + 1, close);
    // Velocity 1.7 keeps backslashes in string literals as they are (AWS's documented
    // `.replaceAll("\\'","'")` depends on it) and only interpolates when there is VTL inside.
    if (raw.includes('$') || raw.includes('#')) {
      this.hooks.enter(start);
      try {
        return { k: 'interp', body: this.hooks.interpolate(start + 1, close) };
      } finally {
        this.hooks.leave();
      }
    }
    return { k: 'str', v: raw };
  }

  private singleQuoted(): Expr {
    const c = this.c;
    const start = c.pos;
    const close = c.src.indexOf("'", start + 1);
    if (close < 0 || close >= c.end) throw c.syntaxError('unterminated string literal', start);
    c.pos = close + 1;
    return { k: 'str', v: c.src.slice(start + 1, close) };
  }

  private listOrRange(): Expr {
    const c = this.c;
    const open = c.pos++;
    c.skipWhitespace();
    if (c.code() === 93) {
      c.pos++;
      return { k: 'list', items: [] };
    }
    const first = this.expression();
    c.skipWhitespace();
    if (c.startsWith('..')) {
      c.pos += 2;
      const to = this.expression();
      c.skipWhitespace();
      if (c.code() !== 93) throw c.syntaxError('expected ] to close the range', open);
      c.pos++;
      return { k: 'range', from: first, to };
    }
    const items = [first];
    for (;;) {
      const ch = c.code();
      if (ch === 93) {
        c.pos++;
        return { k: 'list', items };
      }
      if (ch !== 44) throw c.syntaxError('expected , or ] in the list', c.eof() ? open : c.pos);
      c.pos++;
      items.push(this.expression());
      c.skipWhitespace();
    }
  }

  private map(): Expr {
    const c = this.c;
    const open = c.pos++;
    const entries: (readonly [Expr, Expr])[] = [];
    c.skipWhitespace();
    if (c.code() === RBRACE) {
      c.pos++;
      return { k: 'map', entries };
    }
    for (;;) {
      const key = this.expression();
      c.skipWhitespace();
      if (c.code() !== 58) throw c.syntaxError('expected : after a map key', c.eof() ? open : c.pos);
      c.pos++;
      const value = this.expression();
      entries.push([key, value]);
      c.skipWhitespace();
      const ch = c.code();
      if (ch === RBRACE) {
        c.pos++;
        return { k: 'map', entries };
      }
      if (ch !== 44) throw c.syntaxError('expected , or } in the map', c.eof() ? open : c.pos);
      c.pos++;
    }
  }
}

/**
 * Finds the closing quote. Velocity's lexer lets `\"` continue the string; when that leaves the
 * string unterminated, the longest match is the one where the backslash was plain text.
 */
function scanDoubleQuoted(c: Cursor, from: number, escapes: boolean): number {
  for (let p = from; p < c.end; p++) {
    const ch = c.src.charCodeAt(p);
    if (ch === DQUOTE) return p;
    if (escapes && ch === BACKSLASH && p + 1 < c.end) p++;
  }
  return -1;
}

function wordEnd(c: Cursor, at: number): number {
  let p = at;
  while (isIdentChar(c.code(p))) p++;
  return p;
}
