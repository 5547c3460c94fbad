// How values print. A template's output is Java's toString() of each value: maps as
// `{a=1, b=x}`, lists as `[1, 2]`, except lists that came from JSON, which print as compact
// JSON (Jayway JsonPath returns json-smart arrays, whose toString() is JSON).
import { limitError } from './errors.js';
import { MAX_VALUE_DEPTH, type Budget } from './limits.js';
import { HostObject, VEntry, VList, VMap, type Value } from './values.js';

/**
 * Doubles printed recently: prices and amounts repeat from request to request, and printing a
 * double is far slower than finding it here. Cleared when full.
 */
const printedDoubles = new Map<number, string>();
const PRINTED_DOUBLES_LIMIT = 1024;

/** Java's rendering of a number: integers without a fraction, doubles like Double.toString(). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    let text = printedDoubles.get(n);
    if (text === undefined) {
      text = String(n);
      if (printedDoubles.size >= PRINTED_DOUBLES_LIMIT) printedDoubles.clear();
      printedDoubles.set(n, text);
    }
    return text;
  }
  const [mantissa = '0', exponent = '0'] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** The text a value renders as in the output; null renders as nothing. */
export function toText(v: Value, budget: Budget): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof HostObject) return v.text();
  const w = new Printer(budget);
  w.text(v, 0);
  return w.out;
}

/** Compact JSON of a value, as `$input.json()` returns it. */
export function toJson(v: Value, budget: Budget): string {
  const w = new Printer(budget);
  w.json(v, 0);
  return w.out;
}

class Printer {
  out = '';

  constructor(private readonly budget: Budget) {}

  private append(s: string): void {
    this.out += s;
    if (this.out.length > this.budget.limits.maxOutputBytes) {
      throw limitError(`a value printed longer than ${this.budget.limits.maxOutputBytes} characters`);
    }
  }

  private enter(depth: number): void {
    if (depth > MAX_VALUE_DEPTH) throw limitError(`a value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
    this.budget.tick();
  }

  text(v: Value, depth: number): void {
    if (v === null) return this.append('null');
    if (typeof v === 'string') return this.append(v);
    if (typeof v === 'number') return this.append(formatNumber(v));
    if (typeof v === 'boolean') return this.append(v ? 'true' : 'false');
    this.enter(depth);
    if (v instanceof VList) {
      if (v.json) return this.json(v, depth);
      this.append('[');
      let first = true;
      for (const item of v.items) {
        if (!first) this.append(', ');
        first = false;
        if (item === v) this.append('(this Collection)');
        else this.text(item, depth + 1);
      }
      return this.append(']');
    }
    if (v instanceof VMap) {
      this.append('{');
      let first = true;
      for (const [key, value] of v.entries) {
        if (!first) this.append(', ');
        first = false;
        if (key === v) this.append('(this Map)');
        else this.text(key, depth + 1);
        this.append('=');
        if (value === v) this.append('(this Map)');
        else this.text(value, depth + 1);
      }
      return this.append('}');
    }
    if (v instanceof VEntry) {
      this.text(v.key, depth + 1);
      this.append('=');
      return this.text(v.value, depth + 1);
    }
    return this.append(v.text());
  }

  json(v: Value, depth: number): void {
    if (v === null) return this.append('null');
    if (typeof v === 'string') return this.append(JSON.stringify(v));
    if (typeof v === 'number') return this.append(Number.isFinite(v) ? formatNumber(v) : 'null');
    if (typeof v === 'boolean') return this.append(v ? 'true' : 'false');
    this.enter(depth);
    if (v instanceof VList) {
      const raw = v.unconverted();
      if (raw !== null) return this.rawArray(raw, depth);
      this.append('[');
      let first = true;
      for (const item of v.items) {
        if (!first) this.append(',');
        first = false;
        this.json(item, depth + 1);
      }
      return this.append(']');
    }
    if (v instanceof VMap) {
      const raw = v.unconverted();
      if (raw !== null) return this.rawObject(raw.source, raw.members, depth);
      this.append('{');
      let first = true;
      for (const [key, value] of v.entries) {
        if (!first) this.append(',');
        first = false;
        this.append(JSON.stringify(typeof key === 'string' ? key : toText(key, this.budget)));
        this.append(':');
        this.json(value, depth + 1);
      }
      return this.append('}');
    }
    if (v instanceof VEntry) {
      this.append(`{${JSON.stringify(toText(v.key, this.budget))}:`);
      this.json(v.value, depth + 1);
      return this.append('}');
    }
    return this.append(JSON.stringify(v.text()));
  }

  // Parsed JSON that no template value has been made of yet prints as the values it would
  // convert to would print, without converting it.

  private rawJson(v: unknown, depth: number): void {
    if (typeof v !== 'object' || v === null) return this.json(v as Value, depth);
    this.enter(depth);
    if (Array.isArray(v)) return this.rawArray(v as unknown[], depth);
    return this.rawObject(v as Readonly<Record<string, unknown>>, null, depth);
  }

  /** After enter(depth), as json() calls it. */
  private rawArray(items: readonly unknown[], depth: number): void {
    this.append('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.append(',');
      this.rawJson(items[i], depth + 1);
    }
    this.append(']');
  }

  /** After enter(depth); `members` are those already converted, printed as they are now. */
  private rawObject(
    source: Readonly<Record<string, unknown>>,
    members: ReadonlyMap<string, Value> | null,
    depth: number,
  ): void {
    this.append('{');
    let first = true;
    for (const key of Object.keys(source)) {
      if (!first) this.append(',');
      first = false;
      this.append(JSON.stringify(key));
      this.append(':');
      const member = members?.get(key);
      if (member !== undefined) this.json(member, depth + 1);
      else this.rawJson(source[key], depth + 1);
    }
    this.append('}');
  }
}
