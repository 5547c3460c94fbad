// Velocity 1.7's template grammar: text, references, directives and comments, including its
// whitespace rules (a directive's `)`, `#else` and `#end` eat the rest of their line when only
// spaces follow; `#set` also eats the spaces before it when they start a token), so output
// matches AWS byte for byte.
import type { Expr, MacroDefinition, Node, Program, Ref } from './ast.js';
import { Cursor, Source, isDirectiveChar, isIdentStart, isSpaceOrTab, isWhitespace } from './cursor.js';
import { TemplateError } from './errors.js';
import { ExpressionParser } from './expression-parser.js';
import { MAX_NESTING_DEPTH } from './limits.js';

const DOLLAR = 36;
const HASH = 35;
const BACKSLASH = 92;
const STAR = 42;
const LBRACKET = 91;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;

type Stop = 'eof' | 'end' | 'else' | 'elseif';

const TOP: ReadonlySet<Stop> = new Set();
const IF_BODY: ReadonlySet<Stop> = new Set(['end', 'else', 'elseif']);
const BLOCK_BODY: ReadonlySet<Stop> = new Set(['end']);

/** Directive names Velocity knows; an escaped one (`\#if`) prints as text. */
const DIRECTIVES = new Set([
  'set',
  'if',
  'elseif',
  'else',
  'end',
  'foreach',
  'break',
  'stop',
  'define',
  'macro',
  'include',
  'parse',
  'evaluate',
]);

interface ParseState {
  depth: number;
  readonly macroNames: ReadonlySet<string>;
  readonly macros: Map<string, MacroDefinition>;
}

interface DirectiveWord {
  readonly name: string;
  readonly end: number;
}

export function parseTemplate(source: string): Program {
  const state: ParseState = { depth: 0, macroNames: macroNamesIn(source), macros: new Map() };
  const body = new TemplateParser(new Cursor(new Source(source), 0, source.length), state).parseAll();
  return { body, macros: state.macros };
}

/**
 * Velocity registers inline macros while parsing, and a call that comes before the definition
 * still works at render time; a pre-scan of the names gives the parser the same knowledge.
 */
function macroNamesIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(/#\{?macro\}?\s*\(\s*([A-Za-z_@][A-Za-z0-9_@]*)/g)) {
    if (m[1] !== undefined) names.add(m[1]);
  }
  return names;
}

/** Collects a block's nodes, merging adjacent text. */
class Block {
  readonly nodes: Node[] = [];
  private text = '';
  /** Where the current lexer token began: `#set` eats spaces only if they start a token. */
  runStart: number;

  constructor(start: number) {
    this.runStart = start;
  }

  addText(s: string): void {
    this.text += s;
  }

  push(node: Node): void {
    this.flush();
    this.nodes.push(node);
  }

  dropTrailing(count: number): void {
    this.text = this.text.slice(0, this.text.length - count);
  }

  finish(): Node[] {
    this.flush();
    return this.nodes;
  }

  private flush(): void {
    if (this.text !== '') {
      this.nodes.push({ k: 'text', v: this.text });
      this.text = '';
    }
  }
}

class TemplateParser {
  private readonly expr: ExpressionParser;

  constructor(
    private readonly c: Cursor,
    private readonly state: ParseState,
  ) {
    this.expr = new ExpressionParser(c, {
      interpolate: (start, end) => new TemplateParser(new Cursor(c.source, start, end), state).parseAll(),
      enter: (at) => this.enter(at),
      leave: () => this.leave(),
    });
  }

  parseAll(): Node[] {
    return this.nodes(TOP).nodes;
  }

  private enter(at: number): void {
    if (++this.state.depth > MAX_NESTING_DEPTH) {
      throw new TemplateError(
        'limit',
        `template nesting is deeper than ${MAX_NESTING_DEPTH} levels`,
        this.c.position(at),
      );
    }
  }

  private leave(): void {
    this.state.depth--;
  }

  /** Parses until end of input or one of the `allowed` block terminators. */
  private nodes(allowed: ReadonlySet<Stop>): { nodes: Node[]; stop: Stop } {
    const c = this.c;
    const block = new Block(c.pos);
    while (!c.eof()) {
      const ch = c.code();
      if (ch === DOLLAR) {
        this.dollar(block);
      } else if (ch === HASH) {
        const stop = this.hash(block, allowed);
        if (stop !== null) return { nodes: block.finish(), stop };
      } else if (ch === BACKSLASH) {
        this.backslashes(block);
      } else {
        let p = c.pos + 1;
        while (p < c.end) {
          const x = c.src.charCodeAt(p);
          if (x === DOLLAR || x === HASH || x === BACKSLASH) break;
          p++;
        }
        block.addText(c.src.slice(c.pos, p));
        c.pos = p;
      }
    }
    return { nodes: block.finish(), stop: 'eof' };
  }

  private dollar(block: Block): void {
    const c = this.c;
    const start = c.pos;
    const ref = this.expr.referenceAt();
    if (ref) {
      block.push({ k: 'out', ref, src: c.src.slice(start, c.pos), escapes: 0 });
    } else {
      block.addText('$');
      c.pos = start + 1;
    }
    block.runStart = c.pos;
  }

  private backslashes(block: Block): void {
    const c = this.c;
    const at = c.pos;
    let p = at;
    while (c.code(p) === BACKSLASH) p++;
    const count = p - at;
    const next = c.code(p);
    if (next === DOLLAR) {
      c.pos = p;
      const ref = this.expr.referenceAt();
      if (ref) {
        block.push({ k: 'out', ref, src: c.src.slice(p, c.pos), escapes: count });
        block.runStart = c.pos;
        return;
      }
    } else if (next === HASH) {
      const word = this.directiveWord(p);
      if (word && (DIRECTIVES.has(word.name) || this.state.macroNames.has(word.name))) {
        if (count % 2 === 1) {
          // `\#if` prints `#if`; each further pair of backslashes prints one backslash.
          block.addText('\\'.repeat((count - 1) / 2) + c.src.slice(p, word.end));
          c.pos = word.end;
        } else {
          block.addText('\\'.repeat(count / 2));
          c.pos = p;
        }
        block.runStart = c.pos;
        return;
      }
    }
    block.addText(c.src.slice(at, p));
    c.pos = p;
    block.runStart = p;
  }

  /** Handles a `#`; returns the terminator when it ends the current block. */
  private hash(block: Block, allowed: ReadonlySet<Stop>): Stop | null {
    const c = this.c;
    const src = c.src;
    const at = c.pos;
    const next = c.code(at + 1);
    if (next === HASH) {
      let p = at + 2;
      while (p < c.end && src.charCodeAt(p) !== 10 && src.charCodeAt(p) !== 13) p++;
      if (c.code(p) === 13 && c.code(p + 1) === 10) p += 2;
      else if (p < c.end) p++;
      c.pos = block.runStart = p;
      return null;
    }
    if (next === STAR) {
      const close = src.indexOf('*#', at + 2);
      if (close < 0 || close + 2 > c.end) throw c.syntaxError('unterminated #* comment', at);
      c.pos = block.runStart = close + 2;
      return null;
    }
    if (next === LBRACKET && c.code(at + 2) === LBRACKET) {
      const close = src.indexOf(']]#', at + 3);
      if (close < 0 || close + 3 > c.end) throw c.syntaxError('unterminated #[[ text block', at);
      block.addText(src.slice(at + 3, close));
      c.pos = block.runStart = close + 3;
      return null;
    }
    const word = this.directiveWord(at);
    if (!word) {
      block.addText('#');
      c.pos = block.runStart = at + 1;
      return null;
    }
    const literal = (): null => {
      block.addText(src.slice(at, word.end));
      c.pos = block.runStart = word.end;
      return null;
    };
    switch (word.name) {
      case 'set': {
        let p = word.end;
        while (c.code(p) === 32) p++;
        if (c.code(p) !== LPAREN) return literal();
        const run = at - block.runStart;
        if (run > 0 && isBlank(src, block.runStart, at)) block.dropTrailing(run);
        c.pos = p + 1;
        block.push(this.set(at));
        break;
      }
      case 'if':
        block.push(this.ifDirective(at, word.end));
        break;
      case 'elseif':
      case 'else':
      case 'end':
        if (!allowed.has(word.name)) throw c.syntaxError(`unexpected #${word.name}`, at);
        c.pos = word.end;
        if (word.name !== 'elseif') c.eatLineEnd();
        return word.name;
      case 'foreach': {
        const open = this.leftParen(word.end);
        if (open < 0) return literal();
        block.push(this.foreach(at, open));
        break;
      }
      case 'break': {
        const open = this.leftParen(word.end);
        if (open < 0) {
          c.pos = word.end;
          block.push({ k: 'break', scope: null });
        } else {
          c.pos = open + 1;
          const scope = this.expr.expression();
          this.closeParen('#break', at);
          block.push({ k: 'break', scope });
        }
        break;
      }
      case 'stop':
        c.pos = word.end;
        block.push({ k: 'stop' });
        break;
      case 'define': {
        const open = this.leftParen(word.end);
        if (open < 0) return literal();
        block.push(this.define(at, open));
        break;
      }
      case 'macro': {
        const open = this.leftParen(word.end);
        if (open < 0) throw c.syntaxError('#macro needs a name in parentheses', at);
        this.macro(at, open);
        break;
      }
      case 'include':
      case 'parse':
      case 'evaluate':
        if (this.leftParen(word.end) >= 0) {
          throw c.syntaxError(`#${word.name} is not supported in mapping templates`, at);
        }
        return literal();
      default: {
        const open = this.state.macroNames.has(word.name) ? this.leftParen(word.end) : -1;
        if (open < 0) return literal();
        block.push(this.macroCall(at, word.name, open));
      }
    }
    block.runStart = c.pos;
    return null;
  }

  /** `#name` or `#{name}` after the `#` at `at`. */
  private directiveWord(at: number): DirectiveWord | null {
    const c = this.c;
    const p = at + 1;
    if (c.code(p) === LBRACE) {
      if (!isIdentStart(c.code(p + 1))) return null;
      let q = p + 2;
      while (isDirectiveChar(c.code(q))) q++;
      if (c.code(q) !== RBRACE) return null;
      return { name: c.src.slice(p + 1, q), end: q + 1 };
    }
    const first = c.code(p);
    if (!isIdentStart(first) && first !== 64) return null;
    let q = p + 1;
    while (isDirectiveChar(c.code(q))) q++;
    return { name: c.src.slice(p, q), end: q };
  }

  /** Position of the `(` after optional whitespace, or -1: without one a word is plain text. */
  private leftParen(from: number): number {
    let p = from;
    while (isWhitespace(this.c.code(p))) p++;
    return this.c.code(p) === LPAREN ? p : -1;
  }

  private closeParen(directive: string, at: number): void {
    const c = this.c;
    c.skipWhitespace();
    if (c.code() !== 41) {
      throw c.syntaxError(`expected ) to close ${directive}`, c.eof() ? at : c.pos);
    }
    c.pos++;
    c.eatLineEnd();
  }

  private simpleVariable(directive: string): string {
    const c = this.c;
    c.skipWhitespace();
    const at = c.pos;
    const ref = c.code() === DOLLAR ? this.expr.referenceAt() : null;
    if (!ref || ref.parts.length > 0) throw c.syntaxError(`${directive} needs a plain $variable`, at);
    return ref.root;
  }

  private set(at: number): Node {
    const c = this.c;
    c.skipWhitespace();
    const targetAt = c.pos;
    const target: Ref | null = c.code() === DOLLAR ? this.expr.referenceAt() : null;
    if (!target) throw c.syntaxError('#set needs a $reference to assign to', targetAt);
    if (target.parts.at(-1)?.k === 'call') {
      throw c.syntaxError('#set cannot assign to a method call', targetAt);
    }
    c.skipWhitespace();
    if (c.code() !== 61 || c.code(c.pos + 1) === 61) throw c.syntaxError('expected = in #set');
    c.pos++;
    const value = this.expr.expression();
    this.closeParen('#set', at);
    return { k: 'set', target, value };
  }

  private condition(from: number, directive: string, at: number): Expr {
    const c = this.c;
    const open = this.leftParen(from);
    if (open < 0) throw c.syntaxError(`expected ( after ${directive}`, at);
    c.pos = open + 1;
    const cond = this.expr.expression();
    this.closeParen(directive, at);
    return cond;
  }

  private ifDirective(at: number, wordEnd: number): Node {
    this.enter(at);
    const branches: { cond: Expr; body: Node[] }[] = [];
    let cond = this.condition(wordEnd, '#if', at);
    for (;;) {
      const { nodes, stop } = this.nodes(IF_BODY);
      branches.push({ cond, body: nodes });
      if (stop === 'elseif') {
        cond = this.condition(this.c.pos, '#elseif', at);
        continue;
      }
      let otherwise: Node[] | null = null;
      if (stop === 'else') {
        const rest = this.nodes(BLOCK_BODY);
        if (rest.stop !== 'end') throw this.c.syntaxError('#if has no matching #end', at);
        otherwise = rest.nodes;
      } else if (stop !== 'end') {
        throw this.c.syntaxError('#if has no matching #end', at);
      }
      this.leave();
      return { k: 'if', branches, otherwise };
    }
  }

  private body(directive: string, at: number): Node[] {
    this.enter(at);
    const { nodes, stop } = this.nodes(BLOCK_BODY);
    if (stop !== 'end') throw this.c.syntaxError(`${directive} has no matching #end`, at);
    this.leave();
    return nodes;
  }

  private foreach(at: number, open: number): Node {
    const c = this.c;
    c.pos = open + 1;
    const varName = this.simpleVariable('#foreach');
    c.skipWhitespace();
    if (!c.atWord('in')) throw c.syntaxError('expected "in" in #foreach');
    c.pos += 2;
    const iterable = this.expr.expression();
    this.closeParen('#foreach', at);
    const { line, column } = c.position(at);
    return { k: 'foreach', varName, iterable, body: this.body('#foreach', at), line, column };
  }

  private define(at: number, open: number): Node {
    this.c.pos = open + 1;
    const name = this.simpleVariable('#define');
    this.closeParen('#define', at);
    return { k: 'define', name, body: this.body('#define', at) };
  }

  private macro(at: number, open: number): void {
    const c = this.c;
    c.pos = open + 1;
    c.skipWhitespace();
    const nameStart = c.pos;
    while (isDirectiveChar(c.code()) && c.pos < c.end) c.pos++;
    const name = c.src.slice(nameStart, c.pos);
    if (name === '' || !(isIdentStart(name.charCodeAt(0)) || name.startsWith('@'))) {
      throw c.syntaxError('#macro needs a name as its first argument', nameStart);
    }
    const params: string[] = [];
    for (;;) {
      c.skipWhitespace();
      if (c.code() === 44) {
        c.pos++;
        c.skipWhitespace();
      }
      if (c.code() === 41 || c.eof()) break;
      params.push(this.simpleVariable('#macro'));
    }
    this.closeParen('#macro', at);
    this.state.macros.set(name, { name, params, body: this.body('#macro', at) });
  }

  private macroCall(at: number, name: string, open: number): Node {
    const c = this.c;
    c.pos = open + 1;
    const args: Expr[] = [];
    for (;;) {
      c.skipWhitespace();
      if (c.code() === 44) {
        c.pos++;
        c.skipWhitespace();
      }
      if (c.code() === 41 || c.eof()) break;
      args.push(this.expr.primary());
    }
    if (c.code() !== 41) throw c.syntaxError(`expected ) to close #${name}`, at);
    const src = c.src.slice(at, c.pos + 1);
    this.closeParen(`#${name}`, at);
    const { line, column } = c.position(at);
    return { k: 'call', name, args, src, line, column };
  }
}

function isBlank(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpaceOrTab(src.charCodeAt(i))) return false;
  return true;
}
