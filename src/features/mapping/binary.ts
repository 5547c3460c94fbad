// Binary media types and content handling: which payloads API Gateway treats as binary, and
// the CONVERT_TO_TEXT / CONVERT_TO_BINARY conversions between binary and base64 text.
import type { CONTENT_HANDLING } from '../../model/rest-api.js';

export type ContentHandling = (typeof CONTENT_HANDLING)[number];

/** Compiles the API's binaryMediaTypes (`image/png`, `image/*`, `*\/*`) into a matcher. */
export function binaryMatcher(
  binaryMediaTypes: readonly string[],
): (contentType: string | undefined) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let everything = false;
  for (const type of binaryMediaTypes) {
    const lower = type.toLowerCase().trim();
    if (lower === '*/*') everything = true;
    else if (lower.endsWith('/*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  if (everything) return () => true;
  if (exact.size === 0 && prefixes.length === 0) return () => false;
  return (contentType) => {
    if (!contentType) return false;
    const base = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    return exact.has(base) || prefixes.some((prefix) => base.startsWith(prefix));
  };
}

/** Applies a conversion; `binary` says whether the payload is binary to begin with. */
export function convert(body: Buffer, binary: boolean, handling: ContentHandling | undefined): Buffer {
  if (handling === 'CONVERT_TO_TEXT' && binary) return Buffer.from(body.toString('base64'));
  if (handling === 'CONVERT_TO_BINARY' && !binary) return Buffer.from(body.toString('utf8'), 'base64');
  return body;
}
