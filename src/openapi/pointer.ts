// JSON pointers (RFC 6901) into the source document, so every problem and warning names a
// place the user can find in their own file.

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `pointer('/paths', '/pets', 'get')` is `/paths/~1pets/get`. */
export function pointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + escapeSegment(String(s))).join('');
}
