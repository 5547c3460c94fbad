// The pieces that signing and verification must agree on byte for byte: how a raw query string
// becomes the parameter bag the AWS signer canonicalises, and which hash it uses.
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/core/serde';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** SHA-256 for `SignatureV4`, backed by node:crypto. */
export const Sha256 = Hash.bind(null, 'sha256');

export type QueryBag = Record<string, string | string[]>;

/**
 * Decodes a raw query string (without `?`) into names and values. The signer re-encodes them
 * the RFC 3986 way, so `a+b` and `a%20b` both canonicalise to `a%20b` (a literal plus must be
 * sent as `%2B`), `%2f` and `%2F` agree, and repeated names keep every value (the signer sorts
 * them).
 */
export function queryBag(rawQuery: string): QueryBag {
  // A null prototype keeps a parameter named `__proto__` an ordinary parameter.
  const bag = Object.create(null) as QueryBag;
  if (rawQuery === '') return bag;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    const existing = bag[name];
    if (existing === undefined) bag[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else bag[name] = [existing, value];
  }
  return bag;
}

function decodeComponent(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray `%` cannot have been produced by a conforming signer; keeping it raw makes the
    // signature comparison fail instead of the request handling throwing.
    return spaced;
  }
}

/** Splits a raw request target into its path and its query string (without `?`). */
export function splitTarget(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  if (mark === -1) return { path: target, query: '' };
  return { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `20261125T215650Z`: the form of `X-Amz-Date` and of AWS's clock-skew messages. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}
