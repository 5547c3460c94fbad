// Small helpers for reading untyped document values and building objects whose optional
// fields are absent rather than undefined (exactOptionalPropertyTypes).

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is an array, else an empty one. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** `{ [key]: value }` when value is defined, else `{}`; for spreading into object literals. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The value when it is a non-empty object or array, else undefined. */
export function nonEmpty<T>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value : undefined;
  if (isObject(value)) return Object.keys(value).length > 0 ? value : undefined;
  return value;
}

/** A copy of `source` without `keys`. */
export function omit(source: JsonObject, keys: readonly string[]): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (!keys.includes(key)) result[key] = value;
  return result;
}

/** A copy of `source` with only `keys`. */
export function pick(source: JsonObject, keys: readonly string[]): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (keys.includes(key)) result[key] = value;
  return result;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
