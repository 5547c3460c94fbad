// The values a template works with. Templates only ever see these classes, never JavaScript
// objects: property reads and method calls are dispatched by explicit switches over these
// types (methods.ts), so no template can reach a prototype, a constructor or a global.
//
// Maps and lists that come from JSON or from the gateway are lazy: they keep the parsed data
// and convert a member only when the template reads it, with own-property checks, so a
// template that reads three fields of a large payload does not pay for the rest. The data
// itself never leaves this module; what a read returns is a string, number, boolean, null or
// another lazy map or list.
import { limitError } from './errors.js';
import { MAX_VALUE_DEPTH, type Budget } from './limits.js';

export type Value = null | string | number | boolean | VMap | VList | VEntry | HostObject;

/**
 * Where the data behind a lazy map or list comes from, which decides how it converts:
 * JSON_DATA is what JSON.parse returned; GATEWAY_DATA is data the gateway hands over, such as
 * $context (undefined, non-finite numbers and anything that is not data become null, objects
 * nested past 32 levels are cut off, arrays print as Java lists); STRING_DATA keeps string
 * members only (stage variables, parameters).
 */
export const JSON_DATA = 0;
export const GATEWAY_DATA = 1;
export const STRING_DATA = 2;
export type DataKind = typeof JSON_DATA | typeof GATEWAY_DATA | typeof STRING_DATA;

const MAX_GATEWAY_DEPTH = 32;

/** One member of the data behind a lazy map or list, as a template value. */
function convert(raw: unknown, kind: DataKind, depth: number): Value {
  if (raw === null) return null;
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      return kind === JSON_DATA || Number.isFinite(raw) ? raw : null;
    case 'object':
      break;
    default:
      return null;
  }
  if (kind === JSON_DATA) {
    if (depth > MAX_VALUE_DEPTH) throw limitError(`JSON is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  } else if (depth > MAX_GATEWAY_DEPTH) {
    return null;
  }
  return Array.isArray(raw) ? VList.over(raw, kind, depth) : VMap.over(raw, kind, depth);
}

/**
 * Converts data the way a lazy map converts its members; `depth` is the depth `data` sits at
 * (containers past the limits are refused or cut off as described for DataKind).
 */
export function fromData(data: unknown, kind: DataKind, depth = 0): Value {
  return convert(data, kind, depth);
}

/** A Java List. `json` marks lists that came from JSON, which Java prints as JSON. */
export class VList {
  private data: Value[] | null;
  private source: readonly unknown[] | null = null;
  private kind: DataKind = JSON_DATA;
  private depth = 0;

  constructor(
    /** Internal: null makes the list lazy, for `VList.over` to give it its data. */
    items: Value[] | null,
    readonly json: boolean,
  ) {
    this.data = items;
  }

  /** A list over `source` (at `depth`), its elements converted when first needed. */
  static over(source: readonly unknown[], kind: DataKind, depth: number): VList {
    const list = new VList(null, kind === JSON_DATA);
    list.source = source;
    list.kind = kind;
    list.depth = depth;
    return list;
  }

  get items(): Value[] {
    return this.data ?? this.materialise();
  }

  get size(): number {
    return (this.data ?? (this.source as readonly unknown[])).length;
  }

  /** The parsed JSON array while none of it has been converted, for printing it as it is. */
  unconverted(): readonly unknown[] | null {
    return this.data === null && this.kind === JSON_DATA ? this.source : null;
  }

  private materialise(): Value[] {
    const { kind } = this;
    const depth = this.depth + 1;
    // map() keeps any holes in the gateway's arrays, as converting them up front did.
    const items = (this.source as readonly unknown[]).map((raw) => convert(raw, kind, depth));
    this.data = items;
    this.source = null;
    return items;
  }
}

/** Called before a key is written; the $context override maps use it to enforce AWS's rules. */
export type WriteGuard = (key: Value) => void;

const isEnumerable = (object: object, key: string): boolean =>
  Object.prototype.propertyIsEnumerable.call(object, key);

/** What a lazy map still holds unconverted, for printing it without converting it. */
export interface UnconvertedMap {
  readonly source: Readonly<Record<string, unknown>>;
  /** Members converted so far (the template may have changed them since). */
  readonly members: ReadonlyMap<string, Value> | null;
}

/**
 * A Java LinkedHashMap: insertion-ordered, keys compared by value for primitives. A map over
 * data (`VMap.over`) reads members straight from the data's own enumerable properties until
 * something needs all of them (iteration, size, a write); then it converts the rest and
 * becomes an ordinary map.
 */
export class VMap {
  private data: Map<Value, Value> | null;
  private source: Readonly<Record<string, unknown>> | null = null;
  /** Objects and arrays of `source` converted so far, so every read returns the same value. */
  private members: Map<string, Value> | null = null;
  /** Entries seeded while the map is lazy: they replace members of the same name and come last. */
  private tail: Map<string, Value> | null = null;
  private kind: DataKind = JSON_DATA;
  private depth = 0;

  constructor(
    /** Header maps look keys up without regard to case, as HTTP does. */
    readonly caseInsensitive = false,
    private readonly guard: WriteGuard | null = null,
    /** Internal: null makes the map lazy, for `VMap.over` to give it its data. */
    data: Map<Value, Value> | null = new Map(),
  ) {
    this.data = data;
  }

  /** A map over the own enumerable members of `source` (at `depth`), converted as they are read. */
  static over(source: object, kind: DataKind, depth: number): VMap {
    const map = new VMap(false, null, null);
    map.source = source as Readonly<Record<string, unknown>>;
    map.kind = kind;
    map.depth = depth;
    return map;
  }

  /** Every entry; a lazy map converts the rest of its data first. */
  get entries(): Map<Value, Value> {
    return this.data ?? this.materialise();
  }

  get size(): number {
    const data = this.data;
    if (data !== null) return data.size;
    // Every own enumerable member is an entry, except strings-only data, which skips the rest.
    if (this.kind === STRING_DATA || this.tail !== null) return this.entries.size;
    return Object.keys(this.source as object).length;
  }

  get(key: Value): Value {
    const data = this.data;
    if (data === null) return this.member(key) ?? null;
    const hit = data.get(key);
    if (hit !== undefined) return hit;
    if (this.caseInsensitive && typeof key === 'string') {
      const lower = key.toLowerCase();
      for (const [k, v] of data) if (typeof k === 'string' && k.toLowerCase() === lower) return v;
    }
    return null;
  }

  /** The value of `key`; undefined when the map has no such key (get() gives null for both). */
  find(key: Value): Value | undefined {
    const data = this.data;
    if (data === null) return this.member(key);
    const hit = data.get(key);
    if (hit !== undefined || !this.caseInsensitive || typeof key !== 'string') return hit;
    const lower = key.toLowerCase();
    for (const [k, v] of data) if (typeof k === 'string' && k.toLowerCase() === lower) return v;
    return undefined;
  }

  has(key: Value): boolean {
    const data = this.data;
    if (data === null) return this.member(key) !== undefined;
    if (data.has(key)) return true;
    if (this.caseInsensitive && typeof key === 'string') {
      const lower = key.toLowerCase();
      for (const k of data.keys()) if (typeof k === 'string' && k.toLowerCase() === lower) return true;
    }
    return false;
  }

  /** Java's put: returns the previous value. */
  put(key: Value, value: Value, budget: Budget | null): Value {
    this.guard?.(key);
    const entries = this.entries;
    const previous = entries.get(key);
    entries.set(key, value);
    if (budget && previous === undefined) budget.checkCollection(entries.size);
    return previous ?? null;
  }

  /** Fills the map without the guard: for values the gateway supplies, not template writes. */
  seed(key: string, value: Value): void {
    if (this.data !== null) this.data.set(key, value);
    else (this.tail ??= new Map()).set(key, value);
  }

  remove(key: Value): Value {
    const entries = this.entries;
    const previous = entries.get(key);
    entries.delete(key);
    return previous ?? null;
  }

  /** The parsed JSON object while the map is lazy, for printing it without converting it. */
  unconverted(): UnconvertedMap | null {
    if (this.data !== null || this.kind !== JSON_DATA || this.tail !== null) return null;
    return { source: this.source as Readonly<Record<string, unknown>>, members: this.members };
  }

  /** A member of a lazy map; undefined when it has none of that name. */
  private member(key: Value): Value | undefined {
    if (typeof key !== 'string') return undefined;
    if (this.tail !== null) {
      const seeded = this.tail.get(key);
      if (seeded !== undefined) return seeded;
    }
    const source = this.source as Readonly<Record<string, unknown>>;
    const kind = this.kind;
    // JSON.parse makes only own enumerable data properties; other data is asked explicitly.
    if (kind === JSON_DATA ? !Object.hasOwn(source, key) : !isEnumerable(source, key)) return undefined;
    const raw = source[key];
    if (typeof raw !== 'object' || raw === null) {
      if (kind !== STRING_DATA) return convert(raw, kind, this.depth + 1);
      return typeof raw === 'string' ? raw : undefined;
    }
    if (kind === STRING_DATA) return undefined;
    let members = this.members;
    if (members === null) {
      members = new Map();
      this.members = members;
    } else {
      const converted = members.get(key);
      if (converted !== undefined) return converted;
    }
    const converted = convert(raw, kind, this.depth + 1);
    members.set(key, converted);
    return converted;
  }

  private materialise(): Map<Value, Value> {
    const source = this.source as Readonly<Record<string, unknown>>;
    const { kind, members, tail } = this;
    const depth = this.depth + 1;
    const data = new Map<Value, Value>();
    for (const key of Object.keys(source)) {
      if (tail?.has(key)) continue;
      const raw = source[key];
      if (kind === STRING_DATA) {
        if (typeof raw === 'string') data.set(key, raw);
        continue;
      }
      const converted = members?.get(key);
      data.set(key, converted !== undefined ? converted : convert(raw, kind, depth));
    }
    if (tail !== null) for (const [key, value] of tail) data.set(key, value);
    this.data = data;
    this.source = null;
    this.members = null;
    this.tail = null;
    return data;
  }
}

/** A Map.Entry, as `entrySet()` yields. */
export class VEntry {
  constructor(
    readonly map: VMap,
    readonly key: Value,
  ) {}

  get value(): Value {
    return this.map.entries.get(this.key) ?? null;
  }
}

/** Gateway-provided objects ($input, $util, $foreach, #define blocks). */
export abstract class HostObject {
  /** `$obj.name`; null when there is no such property. */
  abstract property(name: string): Value;
  /** `$obj.name(args)`; NO_METHOD when there is no such method (the call renders as null). */
  abstract call(name: string, args: readonly Value[]): Value | typeof NO_METHOD;
  /** What the object prints as. */
  text(): string {
    return '';
  }
}

export const NO_METHOD: unique symbol = Symbol('no such method');
