// The per-request half of a mapping value: reading headers, bodies and context variables, and
// joining a value's parts. Everything that can be decided from the configuration was decided
// when the value was compiled; these functions only look values up.
import type { JsonSegment } from './value.js';

/** A compiled value: the text to use, or undefined when a source it reads has no value. */
export type Getter<S> = (scope: S) => string | undefined;

/** AWS selects from at most the first 100 KB of a body when a value names a JSON path. */
export const JSON_PATH_BODY_LIMIT_BYTES = 100 * 1024;

export const NOT_JSON: unique symbol = Symbol('not JSON');

/** Joins literal text and getters; one missing source skips the whole mapping, as on AWS. */
export function joinParts<S>(parts: (string | Getter<S>)[]): Getter<S> {
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const only = parts[0]!;
    return typeof only === 'string' ? () => only : only;
  }
  return (scope) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = part(scope);
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  };
}

/** API Gateway joins repeated header values with ',' (no space). */
export function joinedHeader(value: string | string[] | undefined): string | undefined {
  // The type check also keeps a name such as "constructor" from reading an inherited property.
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(',') : undefined;
}

export function parseTruncatedJson(body: Buffer | undefined): unknown {
  if (body === undefined || body.length === 0) return NOT_JSON;
  const text = (
    body.length > JSON_PATH_BODY_LIMIT_BYTES ? body.subarray(0, JSON_PATH_BODY_LIMIT_BYTES) : body
  ).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** Strings as they are; numbers and booleans as JSON writes them; objects and arrays as JSON text. */
export function selectJson(root: unknown, path: JsonSegment[]): string | undefined {
  if (root === NOT_JSON) return undefined;
  let value = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[segment < 0 ? value.length + segment : segment] as unknown;
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `$context.a.b`: a flat key "a.b" first (how a caller may keep prepared values), then the
 * nested object path. Plain property reads, so a caller may layer per-request values over
 * deploy-time ones with a prototype; only strings, numbers and booleans count as values, so
 * objects and anything inherited from Object.prototype read as missing.
 */
export function contextValue(
  context: Record<string, unknown>,
  name: string,
  path: string[],
): string | undefined {
  let value: unknown = context[name];
  if (value === undefined && path.length > 1) {
    value = context;
    for (const key of path) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * A mapped header value as it can be sent: surrounding whitespace is not part of a field value
 * (RFC 9110 §5.5), and a value Node would refuse to write (control characters, code points past
 * U+00FF) skips the mapping rather than failing the request.
 */
export function headerFieldValue(value: string): string | undefined {
  const trimmed = value.trim();
  return /[^\t\x20-\x7e\x80-\xff]/.test(trimmed) ? undefined : trimmed;
}

/** Adds a field line, keeping the ones already there; arrays are copied, never changed in place. */
export function appendHeader(headers: Record<string, string | string[]>, name: string, value: string): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else if (Array.isArray(existing)) headers[name] = [...existing, value];
  else headers[name] = [existing, value];
}

/** Characters a path segment may carry unescaped (RFC 3986 pchar) plus '/'. */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** A decoded value placed in a path: everything outside pchar and '/' is percent-encoded. */
export function encodePathValue(value: string): string {
  return encodePath(value, false);
}

/** Static path text as written in the mapping: its own %XX escapes are kept. */
export function encodePathLiteral(value: string): string {
  return encodePath(value, true);
}

function encodePath(value: string, keepPercent: boolean): string {
  let out = '';
  for (const char of value) {
    out += PATH_SAFE.test(char) || (keepPercent && char === '%') ? char : encodeChar(char);
  }
  return out;
}

export function encodeChar(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    // A lone surrogate has no UTF-8 form; U+FFFD stands in for it, as TextEncoder does.
    return '%EF%BF%BD';
  }
}
