// A position in the template source, with the character classes of Velocity 1.7's lexer.
import { TemplateError, type TemplatePosition } from './errors.js';

export const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Velocity 1.7 identifiers start with a letter or `_` ... */
export const isIdentStart = (c: number): boolean => isAlpha(c) || c === 95;
/** ... and go on with letters, digits, `_` and `-` (so `$header.Content-Type` is one name). */
export const isIdentChar = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 45;
/** Directive names: letters, digits, `_` and `@`, no `-`. */
export const isDirectiveChar = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 64;
export const isSpaceOrTab = (c: number): boolean => c === 32 || c === 9;
export const isWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** The template text, with its line starts computed once for every cursor over it. */
export class Source {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  lineStarts(): number[] {
    return (this.starts ??= lineStartsOf(this.text));
  }
}

export class Cursor {
  pos: number;
  readonly src: string;

  /** `end` bounds the cursor, so a string literal's contents can be parsed in place. */
  constructor(
    readonly source: Source,
    start: number,
    readonly end: number,
  ) {
    this.src = source.text;
    this.pos = start;
  }

  eof(at = this.pos): boolean {
    return at >= this.end;
  }

  code(at = this.pos): number {
    return at < this.end ? this.src.charCodeAt(at) : -1;
  }

  startsWith(text: string, at = this.pos): boolean {
    return at + text.length <= this.end && this.src.startsWith(text, at);
  }

  /** Skips spaces, tabs and newlines: whitespace inside a directive's parentheses. */
  skipWhitespace(): void {
    while (isWhitespace(this.code())) this.pos++;
  }

  /** Reads `[A-Za-z_][A-Za-z0-9_-]*` at the cursor, or returns '' without moving. */
  identifier(): string {
    const start = this.pos;
    if (!isIdentStart(this.code())) return '';
    let p = start + 1;
    while (isIdentChar(this.code(p))) p++;
    this.pos = p;
    return this.src.slice(start, p);
  }

  /** Whether `word` is at the cursor as a whole word (not the start of a longer name). */
  atWord(word: string): boolean {
    return this.startsWith(word) && !isIdentChar(this.code(this.pos + word.length));
  }

  /** Velocity eats `[ \t]*` plus one newline after a directive's `)`, `#else` and `#end`. */
  eatLineEnd(): void {
    let p = this.pos;
    while (isSpaceOrTab(this.code(p))) p++;
    const c = this.code(p);
    if (c === 10) this.pos = p + 1;
    else if (c === 13) this.pos = this.code(p + 1) === 10 ? p + 2 : p + 1;
  }

  position(at = this.pos): TemplatePosition {
    const starts = this.source.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (starts[lo] ?? 0) + 1 };
  }

  syntaxError(detail: string, at = this.pos): TemplateError {
    return new TemplateError('syntax', detail, this.position(at));
  }
}

function lineStartsOf(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && src.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}
