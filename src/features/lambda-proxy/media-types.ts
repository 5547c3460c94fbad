// Which payloads travel base64-encoded between the gateway and a function. REST APIs decide
// by the API's binaryMediaTypes; HTTP APIs have no such setting and decide by content type.

export type MediaTypeMatcher = (mediaType: string | undefined) => boolean;

// The compiled stage hands the same array to every request, so each list is compiled once.
const compiled = new WeakMap<readonly string[], MediaTypeMatcher>();

const never: MediaTypeMatcher = () => false;
const always: MediaTypeMatcher = () => true;

/** The matcher for a binaryMediaTypes list (`image/png`, `image/*`, `*\/*`), compiled once per list. */
export function binaryMediaTypeMatcher(binaryMediaTypes: readonly string[]): MediaTypeMatcher {
  let matcher = compiled.get(binaryMediaTypes);
  if (!matcher) {
    matcher = compile(binaryMediaTypes);
    compiled.set(binaryMediaTypes, matcher);
  }
  return matcher;
}

function compile(binaryMediaTypes: readonly string[]): MediaTypeMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const type of binaryMediaTypes) {
    const lower = type.trim().toLowerCase();
    if (lower === '*/*') return always;
    if (lower.endsWith('/*')) prefixes.push(lower.slice(0, -1));
    else if (lower !== '') exact.add(lower);
  }
  if (exact.size === 0 && prefixes.length === 0) return never;
  return (mediaType) => {
    if (mediaType === undefined) return false;
    const base = baseType(mediaType);
    if (exact.has(base)) return true;
    for (const prefix of prefixes) if (base.startsWith(prefix)) return true;
    return false;
  };
}

/** `Text/HTML; charset=utf-8` → `text/html`. */
export function baseType(mediaType: string): string {
  const semicolon = mediaType.indexOf(';');
  return (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * API Gateway looks only at the first media type of the Accept header when it decides whether
 * a response goes back as binary; browsers' long Accept lists therefore need `*\/*` configured.
 */
export function firstAcceptedType(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const comma = accept.indexOf(',');
  return comma === -1 ? accept : accept.slice(0, comma);
}

// HTTP APIs hand a function the body as text only for these types; everything else (a missing
// Content-Type and application/x-www-form-urlencoded included) arrives base64-encoded.
const HTTP_API_TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

export function isHttpApiTextType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const base = baseType(contentType);
  return base.startsWith('text/') || HTTP_API_TEXT_TYPES.has(base);
}
