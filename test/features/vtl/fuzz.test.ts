// 10,000 generated templates and inputs (seeded, so every run is the same): every compile and
// render either succeeds or throws TemplateError, finishes near the time limit, and no
// template reads or changes anything outside the values it is given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError, type TemplateInput } from '../../../src/features/vtl/index.js';

const CANARY = 'canary-9d04e2f1';
const globals = globalThis as { __gatehouseCanary?: string };
const TIMEOUT_MS = 25;
const TEMPLATES = 10_000;

/** mulberry32: small, fast and deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  private depth = 0;

  constructor(private readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  private readonly roots = [
    'input',
    'context',
    'util',
    'stageVariables',
    'foreach',
    'velocityCount',
    'x',
    'y',
    'l',
    'm',
    's',
    'n',
    '__gatehouseCanary',
    'globalThis',
    'process',
    'constructor',
    'this',
    'require',
    'Function',
    'Object',
  ] as const;

  private readonly names = [
    'body',
    'size',
    'length',
    'keySet',
    'values',
    'entrySet',
    'get',
    'put',
    'add',
    'remove',
    'contains',
    'toString',
    'equals',
    'substring',
    'replaceAll',
    'split',
    'matches',
    'trim',
    'toUpperCase',
    'isEmpty',
    'json',
    'path',
    'params',
    'escapeJavaScript',
    'urlEncode',
    'urlDecode',
    'base64Encode',
    'base64Decode',
    'parseJson',
    'index',
    'hasNext',
    'parent',
    'key',
    'value',
    'header',
    'querystring',
    'requestOverride',
    'responseOverride',
    'status',
    'identity',
    'constructor',
    'prototype',
    'class',
    'getClass',
    'valueOf',
    'call',
    'apply',
    'bind',
    'toFixed',
    'map',
    'push',
    'hasOwnProperty',
    'parseInt',
    'charAt',
    'indexOf',
  ] as const;

  private readonly strings = [
    '',
    'a',
    'x y',
    '$.a',
    '$',
    '$..b',
    '$.a[0]',
    '$[*]',
    '$.a[1:]',
    '$.constructor',
    '__proto__',
    ',',
    '\\\\d+',
    '(a+)+',
    '(',
    'é',
    '%zz',
    'a+b',
    '[a-z]+',
    '$1',
    '{}',
    '[1,2]',
    '{"a":{"b":[1,2]}}',
    'constructor',
    '0',
  ] as const;

  reference(): string {
    const root = this.pick(this.roots);
    let ref = `${this.pick(['$', '$!', '$'])}${root}`;
    const parts = this.int(4);
    for (let i = 0; i < parts; i++) {
      const name = this.pick(this.names);
      const kind = this.int(3);
      if (kind === 0) ref += `.${name}`;
      else if (kind === 1) ref += `.${name}(${this.args()})`;
      else ref += `[${this.expression()}]`;
    }
    return this.chance(0.2)
      ? `\${${ref.replace(/^\$!?/, '')}}`.replace('${', this.chance(0.5) ? '$!{' : '${')
      : ref;
  }

  args(): string {
    const n = this.int(3);
    return Array.from({ length: n }, () => this.expression()).join(', ');
  }

  literal(): string {
    switch (this.int(7)) {
      case 0:
        return String(this.int(20) - 5);
      case 1:
        return `'${this.pick(this.strings)}'`;
      case 2:
        return `"${this.pick(this.strings)}${this.chance(0.3) ? this.reference() : ''}"`;
      case 3: {
        const big = this.chance(0.05);
        return `[${this.int(5)}..${big ? this.int(3000) : this.int(12)}]`;
      }
      case 4:
        return `[${this.args()}]`;
      case 5:
        return `{${this.chance(0.5) ? `'${this.pick(this.names)}': ${this.expression()}` : ''}}`;
      default:
        return this.pick(['true', 'false', '1.5', '-2']);
    }
  }

  expression(): string {
    if (this.depth > 3) return this.literal();
    this.depth++;
    try {
      switch (this.int(6)) {
        case 0:
        case 1:
          return this.reference();
        case 2:
          return this.literal();
        case 3:
          return `${this.expression()} ${this.pick(['+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', 'and', 'eq'])} ${this.expression()}`;
        case 4:
          return `!${this.expression()}`;
        default:
          return `(${this.expression()})`;
      }
    } finally {
      this.depth--;
    }
  }

  block(size: number): string {
    let out = '';
    for (let i = 0; i < size; i++) out += this.fragment();
    return out;
  }

  fragment(): string {
    if (this.depth > 3) return this.pick(['a', ' ', '\n', this.reference()]);
    this.depth++;
    try {
      switch (this.int(18)) {
        case 0:
        case 1:
          return this.pick(['a', ' ', '\n', '{', '}', '"', ',', ':', '\t', 'x y', '\r\n', '  ', '[', ']']);
        case 2:
        case 3:
          return this.reference();
        case 4:
          return `#set(${this.reference().replace('$!', '$')} = ${this.expression()})`;
        case 5:
          return `#if(${this.expression()})${this.block(2)}${this.chance(0.3) ? `#elseif(${this.expression()})${this.block(1)}` : ''}${this.chance(0.3) ? `#else${this.block(1)}` : ''}#end`;
        case 6:
          return `#foreach($${this.pick(['i', 'x', 'l'])} in ${this.expression()})${this.block(3)}#end`;
        case 7:
          return this.chance(0.1)
            ? this.pick(['#{else}', '#end', '#elseif(true)'])
            : this.pick(['#break', '#stop', '## comment\n', '#* c *#', '#[[ $raw ]]#', '#break($foreach)']);
        case 8:
          return `#define($${this.pick(['d', 'x'])})${this.block(2)}#end`;
        case 9:
          return `#macro(m${this.int(2)} $p)${this.block(2)}#end#m${this.int(2)}(${this.expression()})`;
        case 10:
          return this.pick(['$', '#', '\\', '\\$x', '\\#if', '(', ')', '!', '*', '.', "'", '${', '#{', '$!']);
        case 11:
          return `$input.${this.pick(['json', 'path', 'params'])}('${this.pick(this.strings)}')`;
        case 12:
          return `$util.${this.pick(['escapeJavaScript', 'urlEncode', 'urlDecode', 'base64Encode', 'base64Decode', 'parseJson'])}(${this.expression()})`;
        case 13:
          return `#set($s = '${this.pick(this.strings)}')$s.${this.pick(['substring', 'split', 'replaceAll', 'matches', 'charAt', 'indexOf'])}(${this.args()})`;
        default:
          return this.chance(0.5) ? this.reference() : `"${this.reference()}"`;
      }
    } finally {
      this.depth--;
    }
  }

  template(): string {
    let t = this.block(1 + this.int(8));
    // Mutations reach the error paths of the parser.
    const mutations = this.chance(0.2) ? this.int(3) + 1 : 0;
    for (let i = 0; i < mutations; i++) {
      const at = this.int(t.length + 1);
      t = this.chance(0.5)
        ? t.slice(0, at) + t.slice(at + 1 + this.int(3))
        : t.slice(0, at) +
          this.pick(['$', '#', '(', ')', '"', "'", '[', '{', '}', '\\', '#end', '#if(']) +
          t.slice(at);
    }
    return t;
  }

  json(depth = 0): unknown {
    switch (depth > 3 ? this.int(4) : this.int(7)) {
      case 0:
        return this.int(100) - 50;
      case 1:
        return this.pick(this.strings);
      case 2:
        return this.chance(0.5) ? null : this.chance(0.5);
      case 3:
        return this.chance(0.5) ? 1.25 : 'x'.repeat(this.int(50));
      case 4:
      case 5: {
        const out: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--)
          out[this.pick(['a', 'b', '__proto__', 'constructor', 'x-y', 'body'])] = this.json(depth + 1);
        return out;
      }
      default:
        return Array.from({ length: this.int(4) }, () => this.json(depth + 1));
    }
  }

  input(): TemplateInput {
    const body = this.chance(0.15) ? this.pick(['', 'a=1&b=2', '{broken', ' ']) : JSON.stringify(this.json());
    return {
      body,
      params: {
        path: { id: this.pick(['1', 'x y', '']) },
        querystring: this.chance(0.5) ? { q: this.pick(this.strings) } : {},
        header: { 'X-Trace': 't', ...(this.chance(0.3) ? { constructor: 'c' } : {}) },
      },
      context: {
        requestId: 'r',
        identity: { sourceIp: '192.0.2.1', apiKey: null },
        authorizer: this.json(2),
      },
      stageVariables: { env: 'dev' },
    };
  }
}

describe('fuzz', () => {
  const prototypeKeys = () =>
    [Object.getOwnPropertyNames(Object.prototype), Object.getOwnPropertyNames(Array.prototype)].join();
  let before = '';

  beforeAll(() => {
    globals.__gatehouseCanary = CANARY;
    before = prototypeKeys();
  });
  afterAll(() => {
    delete globals.__gatehouseCanary;
  });

  it('never crashes, hangs or escapes', { timeout: 60_000 }, () => {
    const gen = new Generator(prng(20260219));
    const started = performance.now();
    const outcomes = { compiled: 0, syntax: 0, rendered: 0, limit: 0, runtime: 0 };
    let slowest = 0;
    for (let i = 0; i < TEMPLATES; i++) {
      const source = gen.template();
      let template;
      try {
        template = compileTemplate(source, { timeoutMs: TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
        outcomes.compiled++;
      } catch (error) {
        if (!(error instanceof TemplateError)) {
          throw new Error(`compile threw ${String(error)} for ${JSON.stringify(source)}`, { cause: error });
        }
        outcomes.syntax++;
        continue;
      }
      for (let r = 0; r < 2; r++) {
        const input = gen.input();
        const start = performance.now();
        let output: string | undefined;
        try {
          output = template.render(input).output;
          outcomes.rendered++;
        } catch (error) {
          if (!(error instanceof TemplateError)) {
            throw new Error(`render threw ${String(error)} for ${JSON.stringify(source)}`, { cause: error });
          }
          if (error.message.startsWith('internal error')) {
            throw new Error(
              `${error.message} for ${JSON.stringify(source)} with ${JSON.stringify(input.body)}`,
              { cause: error },
            );
          }
          outcomes[error.kind === 'limit' ? 'limit' : 'runtime']++;
        }
        const ms = performance.now() - start;
        if (output !== undefined) {
          expect(typeof output).toBe('string');
          expect(output).not.toContain(CANARY);
        }
        slowest = Math.max(slowest, ms);
        expect(ms, JSON.stringify(source)).toBeLessThan(TIMEOUT_MS + 250);
      }
      expect(globals.__gatehouseCanary).toBe(CANARY);
    }
    expect(prototypeKeys()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Every path was exercised: the generator reaches successes and each kind of failure.
    expect(outcomes.rendered).toBeGreaterThan(1000);
    expect(outcomes.syntax).toBeGreaterThan(100);
    expect(outcomes.runtime).toBeGreaterThan(10);
    expect(outcomes.limit).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(slowest).toBeLessThan(TIMEOUT_MS + 250);
  });
});
