// Which request origins an HTTP API's allowOrigins admits. Compiled once per deployment into a
// set lookup plus a few anchored regular expressions, so a request costs one lowercase and
// at most a handful of regex tests.

/** What to send as Access-Control-Allow-Origin for a request origin, or undefined to send nothing. */
export type OriginMatcher = (origin: string) => AllowedOrigin | undefined;

export interface AllowedOrigin {
  /** The header value: `*`, or the request's own origin. */
  value: string;
  /** True when the value is the request's origin, so caches must key on Origin. */
  reflected: boolean;
}

const ANY: AllowedOrigin = Object.freeze({ value: '*', reflected: false });

/**
 * AWS documents three forms: an exact origin, `*` for every origin, and `https://*` or
 * `http://*` for every origin with that scheme. A `*` inside a host (`https://*.example.com`)
 * is read the same way: it stands for one or more characters that are not `/`, so it covers
 * any depth of subdomain but never the bare domain. Exact origins compare without regard to
 * case, as browsers serialise scheme and host in lowercase anyway. A trailing slash is not
 * stripped: browsers never send one, so `https://example.com/` admits nothing, and Gatehouse
 * keeps that mistake visible rather than let a configuration work here and not on AWS.
 */
export function compileOriginMatcher(
  allowOrigins: readonly string[],
  allowCredentials: boolean,
): OriginMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  let any = false;
  for (const entry of allowOrigins) {
    if (entry === '*') any = true;
    else if (entry.includes('*')) patterns.push(wildcardPattern(entry));
    else exact.add(entry.toLowerCase());
  }
  if (any && !allowCredentials) return () => ANY;
  // Validation refuses credentials with `*`; a stored API that has both still gets a working
  // answer, because browsers reject `*` on a credentialed response.
  if (any) return (origin) => ({ value: origin, reflected: true });
  if (exact.size === 0 && patterns.length === 0) return () => undefined;
  return (origin) => {
    const lower = origin.toLowerCase();
    if (exact.has(lower)) return { value: origin, reflected: true };
    for (const pattern of patterns) if (pattern.test(lower)) return { value: origin, reflected: true };
    return undefined;
  };
}

function wildcardPattern(entry: string): RegExp {
  const source = entry
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`);
}
