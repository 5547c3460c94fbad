// The values a template works with. Templates only ever see these classes, never JavaScript
// objects: property reads and method calls are dispatched by explicit switches over these
// types (methods.ts), so no template can reach a prototype, a constructor or a global.
import type { Budget } from './limits.js';

export type Value = null | string | number | boolean | VMap | VList | VEntry | HostObject;

/** A Java List. `json` marks lists that came from JSON, which Java prints as JSON. */
export class VList {
  constructor(
    public items: Value[],
    readonly json: boolean,
  ) {}
}

/** Called before a key is written; the $context override maps use it to enforce AWS's rules. */
export type WriteGuard = (key: Value) => void;

/** A Java LinkedHashMap: insertion-ordered, keys compared by value for primitives. */
export class VMap {
  readonly entries = new Map<Value, Value>();

  constructor(
    /** Header maps look keys up without regard to case, as HTTP does. */
    readonly caseInsensitive = false,
    private readonly guard: WriteGuard | null = null,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: Value): Value {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    if (this.caseInsensitive && typeof key === 'string') {
      const lower = key.toLowerCase();
      for (const [k, v] of this.entries) if (typeof k === 'string' && k.toLowerCase() === lower) return v;
    }
    return null;
  }

  has(key: Value): boolean {
    if (this.entries.has(key)) return true;
    if (this.caseInsensitive && typeof key === 'string') {
      const lower = key.toLowerCase();
      for (const k of this.entries.keys())
        if (typeof k === 'string' && k.toLowerCase() === lower) return true;
    }
    return false;
  }

  /** Java's put: returns the previous value. */
  put(key: Value, value: Value, budget: Budget | null): Value {
    this.guard?.(key);
    const previous = this.entries.get(key);
    this.entries.set(key, value);
    if (budget && previous === undefined) budget.checkCollection(this.entries.size);
    return previous ?? null;
  }

  /** Fills the map without the guard: for values the gateway supplies, not template writes. */
  seed(key: string, value: Value): void {
    this.entries.set(key, value);
  }

  remove(key: Value): Value {
    const previous = this.entries.get(key);
    this.entries.delete(key);
    return previous ?? null;
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
