// The method request's query string as name/value pairs, keeping each pair's original text so
// the parameters a mapping does not touch reach the integration exactly as the client sent them.
import { encodeChar } from './runtime.js';

export interface QueryPair {
  /** `name=value` as received, still percent-encoded. */
  raw: string;
  /** The decoded name; query string names are case-sensitive. */
  name: string;
  value: string;
}

export function parseQuery(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (rawQuery === '') return pairs;
  for (const raw of rawQuery.split('&')) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    pairs.push({
      raw,
      name: decodeComponent(eq < 0 ? raw : raw.slice(0, eq)),
      value: eq < 0 ? '' : decodeComponent(raw.slice(eq + 1)),
    });
  }
  return pairs;
}

/** API Gateway joins repeated query string values with ','. */
export function queryValue(pairs: QueryPair[], name: string): string | undefined {
  let value: string | undefined;
  for (const pair of pairs) {
    if (pair.name === name) value = value === undefined ? pair.value : `${value},${pair.value}`;
  }
  return value;
}

export function encodeQueryPair(name: string, value: string): string {
  return `${encodeComponent(name)}=${encodeComponent(value)}`;
}

/** Form-style decoding ('+' is a space); text that is not valid percent-encoding stays as it is. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let out = '';
    for (const char of text) out += encodeChar(char);
    return out;
  }
}
