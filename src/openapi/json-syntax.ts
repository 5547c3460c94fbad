// Finds where and why a JSON text is malformed. JSON.parse's messages and positions differ
// between Node versions, so Gatehouse scans the text itself to report a stable line:column.

export interface JsonSyntaxProblem {
  offset: number;
  reason: string;
}

class Scanner {
  offset = 0;
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw Object.assign(new Error(reason), { offset: this.offset });
  }

  skipWhitespace(): void {
    while (/[ \t\r\n]/.test(this.text[this.offset] ?? '')) this.offset++;
  }

  describeHere(): string {
    const ch = this.text[this.offset];
    return ch === undefined ? 'end of input' : `"${ch}"`;
  }

  value(): void {
    this.skipWhitespace();
    const ch = this.text[this.offset];
    if (ch === '{') this.object();
    else if (ch === '[') this.array();
    else if (ch === '"') this.string();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) this.number();
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) {
      this.fail(`expected a value, found ${this.describeHere()}`);
    }
  }

  literal(word: string): boolean {
    if (!this.text.startsWith(word, this.offset)) return false;
    this.offset += word.length;
    return true;
  }

  object(): void {
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === '}') return void this.offset++;
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"') {
        this.fail(`expected a double-quoted property name, found ${this.describeHere()}`);
      }
      this.string();
      this.skipWhitespace();
      if (this.text[this.offset] !== ':')
        this.fail(`expected ":" after property name, found ${this.describeHere()}`);
      this.offset++;
      this.value();
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === '}') return;
      if (next !== ',') {
        this.offset--;
        this.fail(`expected "," or "}" after property value, found ${this.describeHere()}`);
      }
    }
  }

  array(): void {
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === ']') return void this.offset++;
    for (;;) {
      this.value();
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === ']') return;
      if (next !== ',') {
        this.offset--;
        this.fail(`expected "," or "]" after array element, found ${this.describeHere()}`);
      }
    }
  }

  string(): void {
    this.offset++;
    for (;;) {
      const ch = this.text[this.offset];
      if (ch === undefined || ch === '\n') this.fail('unterminated string');
      if (ch === '"') return void this.offset++;
      if (ch === '\\') {
        this.offset++;
        const escape = this.text[this.offset] ?? '';
        if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 1, this.offset + 5))) {
          this.offset += 4;
        } else if (!'"\\/bfnrt'.includes(escape) || escape === '') {
          this.fail('invalid escape sequence in string');
        }
      } else if (ch < ' ') {
        this.fail('control character in string');
      }
      this.offset++;
    }
  }

  number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.offset));
    if (!match) this.fail('invalid number');
    this.offset += match[0].length;
  }
}

/** The first syntax problem in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.skipWhitespace();
    if (scanner.offset < text.length) scanner.fail(`unexpected ${scanner.describeHere()} after the document`);
    return undefined;
  } catch (error) {
    const { message, offset } = error as Error & { offset: number };
    return { offset, reason: message };
  }
}
