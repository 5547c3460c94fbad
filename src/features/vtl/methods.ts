// The allow-list of what a template may do with a value: Java's methods and bean properties
// for the types a template sees (String, Number, Boolean, List, Map, Map.Entry). Anything not
// listed here does not exist for a template: the call yields null, as an unknown method does
// in Velocity. No name ever reaches a JavaScript property lookup.
import { runtimeError } from './errors.js';
import { javaMatches, javaReplace, javaSplit, type PatternCache } from './java-regex.js';
import type { Budget } from './limits.js';
import { indexOfValue, javaEquals } from './operators.js';
import { toText } from './stringify.js';
import { HostObject, NO_METHOD, VEntry, VList, VMap, type Value } from './values.js';

export interface MethodContext {
  readonly budget: Budget;
  readonly patterns: PatternCache;
}

type Result = Value | typeof NO_METHOD;

/** What a method declared `void` returns to Velocity. */
const VOID = '';

const int = (v: Value | undefined): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;
const str = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Java throws NullPointerException for a null String argument; AWS answers that with a 500. */
function nonNull(name: string, v: Value | undefined): void {
  if (v === null) throw runtimeError(`${name}() was called with null`);
}

export function getProperty(target: Value, name: string): Value {
  if (target instanceof VMap) return target.get(name);
  if (target instanceof HostObject) return target.property(name);
  if (target instanceof VEntry) return name === 'key' ? target.key : name === 'value' ? target.value : null;
  // Bean property `empty` is isEmpty(), the only getter-style property these types offer.
  if (name === 'empty') {
    if (typeof target === 'string') return target.length === 0;
    if (target instanceof VList) return target.size === 0;
  }
  return null;
}

export function callMethod(target: Value, name: string, args: readonly Value[], ctx: MethodContext): Value {
  ctx.budget.tick();
  if (target === null) return null;
  if (name === 'toString' && args.length === 0) return toText(target, ctx.budget);
  if (name === 'equals' && args.length === 1 && !(target instanceof HostObject)) {
    return javaEquals(target, args[0] ?? null);
  }
  let result: Result;
  if (typeof target === 'string') result = stringMethod(target, name, args, ctx);
  else if (typeof target === 'number') result = numberMethod(target, name, args);
  else if (typeof target === 'boolean') result = booleanMethod(target, name, args);
  else if (target instanceof HostObject) result = target.call(name, args);
  else if (target instanceof VList) result = listMethod(target, name, args, ctx);
  else if (target instanceof VMap) result = mapMethod(target, name, args, ctx);
  else result = entryMethod(target, name, args, ctx);
  return result === NO_METHOD ? null : result;
}

/** `$x[i]` is `$x.get(i)` in Velocity. */
export function getIndex(target: Value, index: Value, ctx: MethodContext): Value {
  return callMethod(target, 'get', [index], ctx);
}

/** `#set($x.name = v)`: Maps take it as put(); other types have no setters. */
export function setProperty(target: Value, name: string, value: Value, ctx: MethodContext): void {
  if (target instanceof VMap) target.put(name, value, ctx.budget);
  else if (target instanceof VEntry && name === 'value') target.map.put(target.key, value, ctx.budget);
}

export function setIndex(target: Value, index: Value, value: Value, ctx: MethodContext): void {
  if (target instanceof VMap) target.put(index, value, ctx.budget);
  else if (target instanceof VList) listMethod(target, 'set', [index, value], ctx);
}

function stringMethod(s: string, name: string, args: readonly Value[], ctx: MethodContext): Result {
  const [a, b] = args;
  const n = args.length;
  const out = (r: string): string => ctx.budget.checkString(r);
  switch (name) {
    case 'length':
      return n === 0 ? s.length : NO_METHOD;
    case 'isEmpty':
      return n === 0 ? s.length === 0 : NO_METHOD;
    case 'trim':
      return n === 0 ? javaTrim(s) : NO_METHOD;
    case 'toLowerCase':
      return n === 0 ? s.toLowerCase() : NO_METHOD;
    case 'toUpperCase':
      return n === 0 ? s.toUpperCase() : NO_METHOD;
    case 'charAt': {
      const i = int(a);
      if (n !== 1 || i === undefined) return NO_METHOD;
      if (i < 0 || i >= s.length)
        throw runtimeError(`charAt(${i}) is out of range for a string of length ${s.length}`);
      return s.charAt(i);
    }
    case 'substring': {
      const begin = int(a);
      const end = n === 2 ? int(b) : s.length;
      if (n < 1 || n > 2 || begin === undefined || end === undefined) return NO_METHOD;
      if (begin < 0 || end > s.length || begin > end) {
        throw runtimeError(`substring(${begin}, ${end}) is out of range for a string of length ${s.length}`);
      }
      return s.slice(begin, end);
    }
    case 'indexOf':
    case 'lastIndexOf': {
      if (n < 1 || n > 2) return NO_METHOD;
      nonNull(name, a);
      const needle = str(a);
      const from = n === 2 ? int(b) : undefined;
      if (needle === undefined || (n === 2 && from === undefined)) return NO_METHOD;
      if (name === 'indexOf') return s.indexOf(needle, from === undefined ? 0 : Math.max(from, 0));
      return from === undefined ? s.lastIndexOf(needle) : from < 0 ? -1 : s.lastIndexOf(needle, from);
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'concat':
    case 'matches':
    case 'compareTo': {
      if (n !== 1 && !(name === 'startsWith' && n === 2)) return NO_METHOD;
      nonNull(name, a);
      const x = str(a);
      if (x === undefined) return NO_METHOD;
      if (name === 'contains') return s.includes(x);
      if (name === 'endsWith') return s.endsWith(x);
      if (name === 'concat') return out(s + x);
      if (name === 'matches') return javaMatches(s, ctx.patterns.get(x));
      if (name === 'compareTo') return compareStrings(s, x);
      const offset = n === 2 ? int(b) : 0;
      if (offset === undefined) return NO_METHOD;
      return offset >= 0 && s.startsWith(x, offset);
    }
    case 'equalsIgnoreCase':
      if (n !== 1) return NO_METHOD;
      return typeof a === 'string' && a.length === s.length && a.toUpperCase() === s.toUpperCase();
    case 'replace': {
      if (n !== 2) return NO_METHOD;
      nonNull(name, a);
      nonNull(name, b);
      const target = str(a);
      const replacement = str(b);
      if (target === undefined || replacement === undefined) return NO_METHOD;
      if (target === '') return out(replacement + [...s].join(replacement) + (s === '' ? '' : replacement));
      return out(s.split(target).join(replacement));
    }
    case 'replaceAll':
    case 'replaceFirst': {
      if (n !== 2) return NO_METHOD;
      nonNull(name, a);
      nonNull(name, b);
      const regex = str(a);
      const replacement = str(b);
      if (regex === undefined || replacement === undefined) return NO_METHOD;
      return out(javaReplace(s, ctx.patterns.get(regex), replacement, name === 'replaceAll'));
    }
    case 'split': {
      if (n < 1 || n > 2) return NO_METHOD;
      nonNull(name, a);
      const regex = str(a);
      const limit = n === 2 ? int(b) : 0;
      if (regex === undefined || limit === undefined) return NO_METHOD;
      const parts = javaSplit(s, ctx.patterns.get(regex), limit);
      ctx.budget.checkCollection(parts.length);
      return new VList(parts, false);
    }
    default:
      return NO_METHOD;
  }
}

/** Java's trim() removes every character up to U+0020, not Unicode whitespace. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const JAVA_INT = /^[+-]?\d+$/;
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

const numberFormatError = (s: Value) =>
  runtimeError(`NumberFormatException: For input string: "${typeof s === 'string' ? s : typeof s}"`);

function parseJavaInteger(s: Value, bits: 32 | 64): number {
  if (typeof s !== 'string' || !JAVA_INT.test(s)) throw numberFormatError(s);
  const n = Number(s);
  const max = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (n >= max || n < -max) throw numberFormatError(s);
  return n;
}

function parseJavaDouble(s: Value): number {
  const t = typeof s === 'string' ? javaTrim(s) : '';
  if (!JAVA_DOUBLE.test(t)) throw numberFormatError(s);
  return Number(t.replace(/[fFdD]$/, ''));
}

function numberMethod(v: number, name: string, args: readonly Value[]): Result {
  const n = args.length;
  const a = args[0] ?? null;
  switch (name) {
    case 'intValue':
      return n === 0 ? toInt32(v) : NO_METHOD;
    case 'longValue':
      return n === 0 ? (Number.isFinite(v) ? Math.trunc(v) : 0) : NO_METHOD;
    case 'doubleValue':
      return n === 0 ? v : NO_METHOD;
    case 'floatValue':
      return n === 0 ? Math.fround(v) : NO_METHOD;
    case 'isNaN':
      return n === 0 ? Number.isNaN(v) : NO_METHOD;
    case 'isInfinite':
      return n === 0 ? v === Infinity || v === -Infinity : NO_METHOD;
    case 'compareTo':
      if (n !== 1 || typeof a !== 'number') return NO_METHOD;
      return v < a ? -1 : v > a ? 1 : 0;
    // Static methods reached through an instance, a common mapping-template idiom
    // (`#set($Integer = 0)` then `$Integer.parseInt($s)`).
    case 'parseInt':
      return n === 1 ? parseJavaInteger(a, 32) : NO_METHOD;
    case 'parseLong':
      return n === 1 ? parseJavaInteger(a, 64) : NO_METHOD;
    case 'parseDouble':
    case 'parseFloat':
      return n === 1 ? parseJavaDouble(a) : NO_METHOD;
    case 'valueOf':
      if (n !== 1) return NO_METHOD;
      if (typeof a === 'number') return a;
      return Number.isInteger(v) ? parseJavaInteger(a, 32) : parseJavaDouble(a);
    default:
      return NO_METHOD;
  }
}

function toInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v >= 2 ** 31 - 1) return 2 ** 31 - 1;
  if (v <= -(2 ** 31)) return -(2 ** 31);
  return Math.trunc(v);
}

function booleanMethod(v: boolean, name: string, args: readonly Value[]): Result {
  const a = args[0];
  switch (name) {
    case 'booleanValue':
      return args.length === 0 ? v : NO_METHOD;
    case 'parseBoolean':
    case 'valueOf':
      if (args.length !== 1) return NO_METHOD;
      return typeof a === 'boolean' ? a : typeof a === 'string' && a.toLowerCase() === 'true';
    default:
      return NO_METHOD;
  }
}

function checkIndex(i: number, size: number, inclusive = false): void {
  if (i < 0 || i > size || (i === size && !inclusive)) {
    throw runtimeError(`index ${i} is out of bounds for a list of size ${size}`);
  }
}

function listMethod(list: VList, name: string, args: readonly Value[], ctx: MethodContext): Result {
  const n = args.length;
  // Answered without converting a list that came from JSON.
  if (name === 'size') return n === 0 ? list.size : NO_METHOD;
  if (name === 'isEmpty') return n === 0 ? list.size === 0 : NO_METHOD;
  const items = list.items;
  const a = args[0] ?? null;
  const b = args[1] ?? null;
  switch (name) {
    case 'get': {
      const i = int(a);
      if (n !== 1 || i === undefined) return NO_METHOD;
      checkIndex(i, items.length);
      return items[i] ?? null;
    }
    case 'contains':
      return n === 1 ? indexOfValue(items, a) >= 0 : NO_METHOD;
    case 'indexOf':
      return n === 1 ? indexOfValue(items, a) : NO_METHOD;
    case 'lastIndexOf': {
      if (n !== 1) return NO_METHOD;
      for (let i = items.length - 1; i >= 0; i--) if (javaEquals(items[i] ?? null, a)) return i;
      return -1;
    }
    case 'add': {
      if (n === 1) {
        items.push(a);
        ctx.budget.checkCollection(items.length);
        return true;
      }
      const i = int(a);
      if (n !== 2 || i === undefined) return NO_METHOD;
      checkIndex(i, items.length, true);
      items.splice(i, 0, b);
      ctx.budget.checkCollection(items.length);
      return VOID;
    }
    case 'addAll':
      if (n !== 1 || !(a instanceof VList)) return NO_METHOD;
      items.push(...a.items);
      ctx.budget.checkCollection(items.length);
      return a.items.length > 0;
    case 'set': {
      const i = int(a);
      if (n !== 2 || i === undefined) return NO_METHOD;
      checkIndex(i, items.length);
      const previous = items[i] ?? null;
      items[i] = b;
      return previous;
    }
    case 'remove': {
      if (n !== 1) return NO_METHOD;
      const i = int(a);
      if (i !== undefined) {
        checkIndex(i, items.length);
        return items.splice(i, 1)[0] ?? null;
      }
      const at = indexOfValue(items, a);
      if (at >= 0) items.splice(at, 1);
      return at >= 0;
    }
    case 'clear':
      if (n !== 0) return NO_METHOD;
      items.length = 0;
      return VOID;
    case 'subList': {
      const from = int(a);
      const to = int(b);
      if (n !== 2 || from === undefined || to === undefined) return NO_METHOD;
      if (from < 0 || to > items.length || from > to) {
        throw runtimeError(`subList(${from}, ${to}) is out of bounds for a list of size ${items.length}`);
      }
      return new VList(items.slice(from, to), false);
    }
    default:
      return NO_METHOD;
  }
}

function mapMethod(map: VMap, name: string, args: readonly Value[], ctx: MethodContext): Result {
  const n = args.length;
  const a = args[0] ?? null;
  const b = args[1] ?? null;
  switch (name) {
    case 'get':
      return n === 1 ? map.get(a) : NO_METHOD;
    case 'getOrDefault':
      return n === 2 ? (map.has(a) ? map.get(a) : b) : NO_METHOD;
    case 'containsKey':
      return n === 1 ? map.has(a) : NO_METHOD;
    case 'containsValue':
      return n === 1 ? indexOfValue([...map.entries.values()], a) >= 0 : NO_METHOD;
    case 'size':
      return n === 0 ? map.size : NO_METHOD;
    case 'isEmpty':
      return n === 0 ? map.size === 0 : NO_METHOD;
    case 'keySet':
      return n === 0 ? new VList([...map.entries.keys()], false) : NO_METHOD;
    case 'values':
      return n === 0 ? new VList([...map.entries.values()], false) : NO_METHOD;
    case 'entrySet':
      return n === 0
        ? new VList(
            [...map.entries.keys()].map((key) => new VEntry(map, key)),
            false,
          )
        : NO_METHOD;
    case 'put':
      return n === 2 ? map.put(a, b, ctx.budget) : NO_METHOD;
    case 'putIfAbsent':
      if (n !== 2) return NO_METHOD;
      return map.has(a) ? map.get(a) : map.put(a, b, ctx.budget);
    case 'putAll':
      if (n !== 1 || !(a instanceof VMap)) return NO_METHOD;
      for (const [key, value] of [...a.entries]) map.put(key, value, ctx.budget);
      return VOID;
    case 'remove':
      return n === 1 ? map.remove(a) : NO_METHOD;
    case 'clear':
      if (n !== 0) return NO_METHOD;
      map.entries.clear();
      return VOID;
    default:
      return NO_METHOD;
  }
}

function entryMethod(entry: VEntry, name: string, args: readonly Value[], ctx: MethodContext): Result {
  switch (name) {
    case 'getKey':
      return args.length === 0 ? entry.key : NO_METHOD;
    case 'getValue':
      return args.length === 0 ? entry.value : NO_METHOD;
    case 'setValue':
      return args.length === 1 ? entry.map.put(entry.key, args[0] ?? null, ctx.budget) : NO_METHOD;
    default:
      return NO_METHOD;
  }
}
