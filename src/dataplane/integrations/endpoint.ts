// An integration endpoint URI, parsed once at deploy time: `${stageVariables.x}` already
// substituted, `{name}` placeholders in the path filled per request.
export class EndpointError extends Error {
  override name = 'EndpointError';
}

export interface Endpoint {
  /** scheme://host[:port], the key of the connection pool. */
  origin: string;
  host: string;
  /** Path parts: literal text and placeholder names, alternating (even: literal, odd: name). */
  pathParts: string[];
  /** Query string written in the URI itself, without '?'. */
  query: string;
}

/** `${stageVariables.name}` in any text; a variable that is not set renders empty, as on AWS. */
export function substituteStageVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => variables[name] ?? '');
}

export function parseEndpoint(uri: string): Endpoint {
  let url: URL;
  try {
    url = new URL(uri.replace(/\{([^}]+)\}/g, '__gh_$1__'));
  } catch {
    throw new EndpointError(`integration uri "${uri}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EndpointError(`integration uri "${uri}" must be http:// or https://`);
  }
  const rawPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(uri)?.[1] || '/';
  const query = /\?([^#]*)/.exec(uri)?.[1] ?? '';
  return { origin: url.origin, host: url.host, pathParts: rawPath.split(/\{([^}]+)\}/), query };
}

/** Fills the placeholders; a placeholder with no value is left out, leaving its surrounding text. */
export function buildPath(endpoint: Endpoint, value: (name: string) => string | undefined): string {
  const parts = endpoint.pathParts;
  if (parts.length === 1) return parts[0]!;
  let path = '';
  for (let i = 0; i < parts.length; i++)
    path += i % 2 === 0 ? parts[i] : (value(parts[i]!.replace(/\+$/, '')) ?? '');
  return path;
}

export function joinQuery(...parts: string[]): string {
  const query = parts.filter((part) => part !== '').join('&');
  return query === '' ? '' : `?${query}`;
}
