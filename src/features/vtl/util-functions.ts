// $util: the six functions API Gateway documents, with the Java library semantics behind them.
import { runtimeError } from './errors.js';
import { parseJsonText } from './json-values.js';
import type { Budget } from './limits.js';
import { toText } from './stringify.js';
import { HostObject, NO_METHOD, type Value } from './values.js';

/**
 * Apache Commons Lang's StringEscapeUtils.escapeJavaScript, whose javadoc AWS's description
 * repeats word for word ("Escapes the characters in a String using JavaScript String rules"):
 * `'` `"` `\` `/` get a backslash, control characters their short or \u00XX form, and every
 * character above 0x7F a \uXXXX escape (upper-case hex).
 */
export function escapeJavaScript(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const escaped = c < 0x80 ? ASCII_ESCAPES[c]! : `\\u${hex4(c)}`;
    if (escaped !== '') {
      out += s.slice(last, i) + escaped;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

const HEX = '0123456789ABCDEF';

/** Four upper-case hex digits of a UTF-16 code unit. */
const hex4 = (c: number): string =>
  HEX[(c >> 12) & 15]! + HEX[(c >> 8) & 15]! + HEX[(c >> 4) & 15]! + HEX[c & 15]!;

/**
 * What escapeJavaScript turns each ASCII character into, '' for those it keeps: looked up per
 * character, as every request template runs escapeJavaScript over most of its values.
 */
const ASCII_ESCAPES: readonly string[] = Array.from({ length: 0x80 }, (_, c) => {
  switch (c) {
    case 8:
      return '\\b';
    case 9:
      return '\\t';
    case 10:
      return '\\n';
    case 12:
      return '\\f';
    case 13:
      return '\\r';
    case 0x27:
      return "\\'";
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x2f:
      return '\\/';
    default:
      return c < 0x20 ? `\\u${hex4(c)}` : '';
  }
});

const isUrlSafe = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  b === 0x2e ||
  b === 0x2d ||
  b === 0x2a ||
  b === 0x5f;

/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space as `+`, upper-case %XX. */
export function urlEncode(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (isUrlSafe(b)) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder.decode(s, "UTF-8"): `+` is a space; a broken %XX is an error. */
export function urlDecode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '+') {
      out += ' ';
      i++;
    } else if (ch === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex))
          throw runtimeError(`urlDecode: illegal hex characters in escape (%) pattern`);
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

export function base64Encode(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

export function base64Decode(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

/** `$util`. Calling a function it does not have renders nothing, as on AWS. */
export class UtilHost extends HostObject {
  constructor(private readonly budget: Budget) {
    super();
  }

  property(): Value {
    return null;
  }

  call(name: string, args: readonly Value[]): Value | typeof NO_METHOD {
    if (args.length !== 1) return NO_METHOD;
    const arg = args[0] ?? null;
    switch (name) {
      case 'escapeJavaScript':
        return arg === null ? null : this.budget.checkString(escapeJavaScript(this.argText(arg)));
      case 'parseJson':
        return arg === null ? null : parseJsonText(this.argText(arg));
      case 'urlEncode':
        return arg === null ? null : this.budget.checkString(urlEncode(this.argText(arg)));
      case 'urlDecode':
        return arg === null ? null : urlDecode(this.argText(arg));
      case 'base64Encode':
        return arg === null ? null : this.budget.checkString(base64Encode(this.argText(arg)));
      case 'base64Decode':
        return arg === null ? null : base64Decode(this.argText(arg));
      default:
        return NO_METHOD;
    }
  }

  private argText(arg: Value): string {
    return typeof arg === 'string' ? arg : toText(arg, this.budget);
  }
}
