// Local `$ref` resolution. Gatehouse imports one self-contained document, so a reference to
// another file or URL is a problem the user must fix, not something to fetch.
import { unescapeSegment } from './pointer.js';
import { isObject, type JsonObject } from './values.js';

export type Resolution = { value: unknown; pointer: string } | { problem: string };

const MAX_HOPS = 32;

/** The value at a JSON pointer (`/a/b`), or undefined when nothing is there. */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = unescapeSegment(decodeFragment(raw));
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

// A `$ref` is a URI fragment, so its pointer may be percent-encoded (%7B for `{`).
function decodeFragment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Follows `value`'s `$ref` (and the target's, in turn) to the object it names. */
export function resolveRef(doc: unknown, value: unknown, at: string): Resolution {
  let current = value;
  let pointer = at;
  const seen = new Set<string>([at]);
  for (let hop = 0; hop < MAX_HOPS && isObject(current) && '$ref' in current; hop++) {
    const ref = current.$ref;
    if (typeof ref !== 'string') return { problem: `${pointer}/$ref: must be a string` };
    if (!ref.startsWith('#')) {
      return {
        problem: `${pointer}/$ref: "${ref}" refers outside this document; only local references (#/...) are supported`,
      };
    }
    const target = ref.slice(1);
    if (seen.has(target)) return { problem: `${pointer}/$ref: "${ref}" is circular` };
    seen.add(target);
    const next = valueAt(doc, target);
    if (next === undefined)
      return { problem: `${pointer}/$ref: "${ref}" does not resolve to anything in this document` };
    current = next;
    pointer = target;
  }
  return { value: current, pointer };
}

/**
 * A copy of `value` whose local `$ref`s are moved from one place to another, by the first
 * `[from, to]` prefix pair that matches (OpenAPI 3 `#/components/schemas/` ↔ Swagger 2.0
 * `#/definitions/`, and so on); other references are kept as they are.
 */
export function rewriteRefs(value: unknown, prefixes: readonly (readonly [string, string])[]): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, prefixes));
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') {
      const prefix = prefixes.find(([from]) => child.startsWith(from));
      result[key] = prefix ? prefix[1] + child.slice(prefix[0].length) : child;
    } else {
      result[key] = rewriteRefs(child, prefixes);
    }
  }
  return result;
}
