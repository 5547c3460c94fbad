// HTTP API CORS (corsConfiguration / x-amazon-apigateway-cors). When an API has it, the
// gateway answers preflights itself, before routing and authorizers, and owns every
// Access-Control-* header on actual responses: whatever the backend sent is dropped.
import type { MethodResponse, RequestContext } from '../../dataplane/context.js';
import { compileOriginMatcher, type AllowedOrigin, type OriginMatcher } from './origin-matcher.js';

export interface CorsConfiguration {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
  allowCredentials?: boolean;
}

/** AWS bounds maxAge to -1..86400 seconds (apigatewayv2 IntegerWithLengthBetweenMinus1And86400). */
export const MIN_MAX_AGE = -1;
export const MAX_MAX_AGE = 86_400;
/** AWS bounds each allowMethods entry to 1..64 characters (StringWithLengthBetween1And64). */
const MAX_METHOD_LENGTH = 64;

const LIST_FIELDS = ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const;
const FIELDS: readonly string[] = [...LIST_FIELDS, 'maxAge', 'allowCredentials'];

/** Problems with a corsConfiguration, each as `pointer: what is allowed`; empty when valid. */
export function corsProblems(config: unknown, pointer: string): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return [`${pointer || '/'}: must be an object with any of ${FIELDS.join(', ')}`];
  }
  const record = config as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!FIELDS.includes(key) && record[key] !== undefined) {
      problems.push(`${pointer}/${key}: unknown field; a CORS configuration has ${FIELDS.join(', ')}`);
    }
  }
  for (const field of LIST_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      problems.push(`${pointer}/${field}: must be an array of strings`);
      continue;
    }
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'string') problems.push(`${pointer}/${field}/${index}: must be a string`);
      else if (field === 'allowMethods' && (item.length === 0 || item.length > MAX_METHOD_LENGTH)) {
        problems.push(`${pointer}/${field}/${index}: must be 1 to ${MAX_METHOD_LENGTH} characters`);
      }
    });
  }
  const maxAge = record.maxAge;
  if (maxAge !== undefined && !isMaxAge(maxAge)) {
    problems.push(`${pointer}/maxAge: must be an integer from ${MIN_MAX_AGE} to ${MAX_MAX_AGE} (seconds)`);
  }
  const credentials = record.allowCredentials;
  if (credentials !== undefined && typeof credentials !== 'boolean') {
    problems.push(`${pointer}/allowCredentials: must be true or false`);
  }
  // AWS answers BadRequestException "allow-credentials is not supported if 'allow-origin' is *".
  if (credentials === true && Array.isArray(record.allowOrigins) && record.allowOrigins.includes('*')) {
    problems.push(
      `${pointer}/allowCredentials: must not be true while allowOrigins contains "*"; list the allowed origins instead`,
    );
  }
  return problems;
}

function isMaxAge(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_MAX_AGE && value <= MAX_MAX_AGE;
}

export interface CompiledCors {
  /** The gateway's own answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), or undefined when the request is not a preflight. Must run before route matching and authorizers. */
  preflight(ctx: RequestContext): MethodResponse | undefined;
  /** Drops any Access-Control-* headers the backend sent (AWS ignores them once CORS is configured) and, for an allowed Origin, adds the configured ones. Applied to every response, errors included. */
  decorate(ctx: RequestContext, response: MethodResponse): MethodResponse;
}

/** A configured list header: its joined value, or `*` meaning "whatever the preflight asks for". */
interface ListHeader {
  any: boolean;
  joined: string | undefined;
}

function listHeader(values: readonly string[] | undefined): ListHeader {
  const list = values ?? [];
  return { any: list.includes('*'), joined: list.length === 0 ? undefined : list.join(',') };
}

export function compileCors(config: CorsConfiguration): CompiledCors {
  const credentials = config.allowCredentials === true;
  const matchOrigin: OriginMatcher = compileOriginMatcher(config.allowOrigins ?? [], credentials);
  const methods = listHeader(config.allowMethods);
  const allowHeaders = listHeader(config.allowHeaders);
  const exposeHeaders =
    config.exposeHeaders && config.exposeHeaders.length > 0 ? config.exposeHeaders.join(',') : undefined;
  const maxAge = config.maxAge === undefined ? undefined : String(config.maxAge);

  // `*` for methods or headers answers with what the preflight asked for: the literal `*` means
  // nothing to a credentialed request, and never covers Authorization (Fetch standard), so
  // reflecting is what makes `*` work in every browser case. With nothing asked, `*` is sent.
  const allowed = (list: ListHeader, requested: string | undefined): string | undefined =>
    list.any ? requested || '*' : list.joined;
  // The gateway's own preflight answers pass decorate untouched, whichever order a caller
  // applies the two in.
  const ownAnswers = new WeakSet<MethodResponse>();

  return {
    preflight(ctx) {
      if (ctx.method !== 'OPTIONS') return undefined;
      const headers = ctx.req.headers;
      const origin = headers.origin;
      const requestMethod = headers['access-control-request-method'];
      if (!origin || requestMethod === undefined) return undefined;
      const response: MethodResponse = { statusCode: 204, headers: {}, body: null };
      ownAnswers.add(response);
      const match = matchOrigin(origin);
      // A disallowed origin still gets the gateway's empty 204, only without CORS headers:
      // the browser then refuses the actual request, and the route never sees the OPTIONS.
      if (!match) return response;
      const out = response.headers;
      setOrigin(out, match, credentials);
      const methodValue = allowed(methods, requestMethod);
      if (methodValue !== undefined) out['access-control-allow-methods'] = methodValue;
      const headerValue = allowed(allowHeaders, headers['access-control-request-headers']);
      if (headerValue !== undefined) out['access-control-allow-headers'] = headerValue;
      if (maxAge !== undefined) out['access-control-max-age'] = maxAge;
      return response;
    },

    decorate(ctx, response) {
      if (ownAnswers.has(response)) return response;
      const origin = ctx.req.headers.origin;
      const match = origin ? matchOrigin(origin) : undefined;
      const stripped = withoutCorsHeaders(response.headers);
      if (!match) return stripped === response.headers ? response : { ...response, headers: stripped };
      const headers = stripped === response.headers ? { ...stripped } : stripped;
      setOrigin(headers, match, credentials);
      if (exposeHeaders !== undefined) headers['access-control-expose-headers'] = exposeHeaders;
      return { ...response, headers };
    },
  };
}

function setOrigin(
  headers: Record<string, string | string[]>,
  match: AllowedOrigin,
  credentials: boolean,
): void {
  headers['access-control-allow-origin'] = match.value;
  if (credentials) headers['access-control-allow-credentials'] = 'true';
  if (match.reflected) addVaryOrigin(headers);
}

const CORS_PREFIX = 'access-control-';

/** The same object when there is nothing to drop, so the common case copies nothing. */
function withoutCorsHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  let result: Record<string, string | string[]> | undefined;
  for (const name in headers) {
    if (name.length > CORS_PREFIX.length && name.slice(0, CORS_PREFIX.length).toLowerCase() === CORS_PREFIX) {
      result ??= { ...headers };
      delete result[name];
    }
  }
  return result ?? headers;
}

/** Adds Origin to Vary, keeping the backend's spelling of the header and its other entries. */
function addVaryOrigin(headers: Record<string, string | string[]>): void {
  let key = 'vary';
  for (const name in headers) {
    if (name.toLowerCase() === 'vary') {
      key = name;
      break;
    }
  }
  const current = headers[key];
  if (current === undefined) {
    headers[key] = 'Origin';
    return;
  }
  const joined = Array.isArray(current) ? current.join(',') : current;
  const tokens = joined.split(',').map((token) => token.trim().toLowerCase());
  if (tokens.includes('*') || tokens.includes('origin')) return;
  headers[key] = joined.trim() === '' ? 'Origin' : `${joined}, Origin`;
}
