// Java's java.util.regex as templates use it through String.replaceAll/replaceFirst/matches/
// split: the pattern dialect translated to JavaScript, Java's replacement syntax ($1, \$),
// and Java's split rules (trailing empty strings dropped).
import { runtimeError } from './errors.js';

export interface JavaPattern {
  /** Global form, for replaceAll and split. */
  readonly global: RegExp;
  /** First-match form, for replaceFirst. */
  readonly first: RegExp;
  /** Whole-input form, for matches(). */
  readonly whole: RegExp;
  readonly groupCount: number;
}

/** The POSIX classes Java spells \p{Name}; a Map, so a name like `constructor` finds nothing. */
const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ['Lower', 'a-z'],
  ['Upper', 'A-Z'],
  ['ASCII', '\\x00-\\x7F'],
  ['Alpha', 'a-zA-Z'],
  ['Digit', '0-9'],
  ['Alnum', 'a-zA-Z0-9'],
  ['Punct', '!-\\/:-@\\[-`{-~'],
  ['Graph', '!-~'],
  ['Print', ' -~'],
  ['Blank', ' \\t'],
  ['Cntrl', '\\x00-\\x1F\\x7F'],
  ['XDigit', '0-9a-fA-F'],
  ['Space', ' \\t\\n\\x0B\\f\\r'],
]);

const CACHE_LIMIT = 256;

/** Compiled patterns, shared by the renders of one template (patterns are usually literals). */
export class PatternCache {
  private readonly patterns = new Map<string, JavaPattern>();

  get(pattern: string): JavaPattern {
    let compiled = this.patterns.get(pattern);
    if (!compiled) {
      compiled = compileJavaPattern(pattern);
      if (this.patterns.size >= CACHE_LIMIT) this.patterns.clear();
      this.patterns.set(pattern, compiled);
    }
    return compiled;
  }
}

function compileJavaPattern(pattern: string): JavaPattern {
  const { source, flags } = translate(pattern);
  assertNoNestedRepetition(source, pattern);
  try {
    const global = new RegExp(source, `${flags}g`);
    const first = new RegExp(source, flags);
    const whole = new RegExp(`(?<![\\s\\S])(?:${source})(?![\\s\\S])`, flags);
    const groupCount = (new RegExp(`${source}|`, flags).exec('')?.length ?? 1) - 1;
    return { global, first, whole, groupCount };
  } catch (error) {
    throw runtimeError(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let rest = pattern;
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(rest);
  if (inline?.[1]) {
    for (const flag of inline[1]) {
      if (flag === 'i' || flag === 'm' || flag === 's') {
        if (!flags.includes(flag)) flags += flag;
      } else if (flag !== 'u') {
        throw runtimeError(`regular expression flag (?${flag}) is not supported`);
      }
    }
    rest = rest.slice(inline[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\') {
      const next = rest[i + 1];
      if (next === undefined) throw runtimeError(`invalid regular expression ${JSON.stringify(pattern)}`);
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = rest.slice(i + 2, end < 0 ? rest.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?(?![\\s\\S]))';
      else if (next === 'p' || next === 'P') {
        const m = /^\{(?:Is)?([A-Za-z]+)\}/.exec(rest.slice(i + 2));
        const body = m?.[1] === undefined ? undefined : POSIX_CLASSES.get(m[1]);
        if (!m || body === undefined || (next === 'P' && inClass)) {
          throw runtimeError(`regular expression class \\${next}${m?.[0] ?? ''} is not supported`);
        }
        out += inClass ? body : next === 'P' ? `[^${body}]` : `[${body}]`;
        i += 1 + m[0].length;
        continue;
      } else out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      else if (ch === '&' && rest[i + 1] === '&') {
        throw runtimeError('regular expression class intersection (&&) is not supported');
      }
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` right after `[` or `[^` is a literal in Java.
      if (rest[i + 1] === '^') out += rest[++i];
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    out += ch;
  }
  return { source: out, flags };
}

/**
 * A repeated group that itself repeats (`(a+)+`, `(\w*\s?)*`) backtracks exponentially on a
 * near-miss input, and a JavaScript regex cannot be interrupted by the render timeout; such
 * patterns are refused rather than risk freezing the gateway.
 */
function assertNoNestedRepetition(source: string, pattern: string): void {
  const groups: boolean[] = [];
  let repeats = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (ch === '(') {
      groups.push(repeats);
      repeats = false;
      continue;
    }
    if (ch === ')') {
      const inner: boolean = repeats;
      repeats = groups.pop() ?? false;
      const after = repetitionAt(source, i + 1);
      if (after && inner) {
        throw runtimeError(`regular expression ${JSON.stringify(pattern)} repeats a repeating group`);
      }
      repeats ||= inner || after;
      continue;
    }
    if (repetitionAt(source, i)) repeats = true;
  }
}

function repetitionAt(source: string, i: number): boolean {
  const ch = source[i];
  if (ch === '*' || ch === '+') return true;
  if (ch !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
}

type ReplacementPart = string | number;

/** Parses Java's replacement syntax: `\x` is a literal x, `$n` and `${name}` are groups. */
function parseReplacement(replacement: string, groupCount: number): ReplacementPart[] | string {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  const parts: ReplacementPart[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    if (ch === '\\') {
      const next = replacement[++i];
      if (next === undefined) throw runtimeError('character to be escaped is missing in the replacement');
      literal += next;
    } else if (ch === '$') {
      const next = replacement[++i];
      if (next === undefined) throw runtimeError('illegal group reference: group index is missing');
      if (next === '{') {
        const close = replacement.indexOf('}', i);
        const name = close < 0 ? '' : replacement.slice(i + 1, close);
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name))
          throw runtimeError('illegal named group reference in the replacement');
        if (literal) parts.push(literal);
        literal = '';
        parts.push(`\u0000${name}`);
        i = close;
      } else if (next >= '0' && next <= '9') {
        let group = Number(next);
        while (i + 1 < replacement.length) {
          const d = replacement.charCodeAt(i + 1) - 48;
          if (d < 0 || d > 9 || group * 10 + d > groupCount) break;
          group = group * 10 + d;
          i++;
        }
        if (group > groupCount) throw runtimeError(`no group ${group} in the regular expression`);
        if (literal) parts.push(literal);
        literal = '';
        parts.push(group);
      } else {
        throw runtimeError('illegal group reference in the replacement');
      }
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

export function javaReplace(
  subject: string,
  pattern: JavaPattern,
  replacement: string,
  all: boolean,
): string {
  const parsed = parseReplacement(replacement, pattern.groupCount);
  const regex = all ? pattern.global : pattern.first;
  regex.lastIndex = 0;
  if (typeof parsed === 'string') return subject.replace(regex, () => parsed);
  return subject.replace(regex, (...args: unknown[]) => {
    const named = args.at(-1);
    let out = '';
    for (const part of parsed) {
      if (typeof part === 'number') {
        const group = args[part];
        if (typeof group === 'string') out += group;
      } else if (part.startsWith('\u0000')) {
        const name = part.slice(1);
        if (typeof named !== 'object' || named === null || !Object.hasOwn(named, name)) {
          throw runtimeError(`no group with name {${name}}`);
        }
        const group = (named as Record<string, unknown>)[name];
        if (typeof group === 'string') out += group;
      } else {
        out += part;
      }
    }
    return out;
  });
}

export function javaMatches(subject: string, pattern: JavaPattern): boolean {
  pattern.whole.lastIndex = 0;
  return pattern.whole.test(subject);
}

/** Java's String.split: no leading empty string for a zero-width match, trailing ones dropped. */
export function javaSplit(subject: string, pattern: JavaPattern, limit: number): string[] {
  const regex = pattern.global;
  regex.lastIndex = 0;
  const parts: string[] = [];
  let index = 0;
  let matched = false;
  for (let m = regex.exec(subject); m !== null; m = regex.exec(subject)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) regex.lastIndex++;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue;
    matched = true;
    parts.push(subject.slice(index, start));
    index = end;
  }
  if (!matched) return [subject];
  parts.push(subject.slice(index));
  if (limit === 0) while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}
