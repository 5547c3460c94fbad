// The cache key of a method: the request's method, the resource path (or the integration's
// cacheNamespace, which lets several resources share entries), and the values of the
// integration's cacheKeyParameters. Parameters that are not listed never split the cache.
import type { RequestContext } from '../../dataplane/context.js';
import { lastQueryValue } from '../../dataplane/integrations/request-parameters.js';
import type { Integration } from '../../model/rest-api.js';

export type CacheKeyOf = (ctx: RequestContext) => string;
type ValueOf = (ctx: RequestContext) => string | undefined;

export interface CacheKeySpec {
  resourcePath: string;
  integration: Pick<Integration, 'cacheKeyParameters' | 'cacheNamespace' | 'requestParameters'>;
  /** Told about each listed parameter that cannot be part of a key; it is left out. */
  warn: (message: string) => void;
}

export function compileCacheKey(spec: CacheKeySpec): CacheKeyOf {
  const namespace = spec.integration.cacheNamespace ?? spec.resourcePath;
  const values: ValueOf[] = [];
  for (const name of spec.integration.cacheKeyParameters ?? []) {
    const value = parameterValue(name, spec.integration.requestParameters);
    if (value) values.push(value);
    else
      spec.warn(
        `cache key parameter ${name}: must be method.request.{path|querystring|header}.NAME, or an integration request parameter mapped from one; it is not part of the key`,
      );
  }
  // Most keys are a GET's: that one is made once, so a lookup neither builds nor hashes a new
  // string (a Map hashes a string once and keeps the hash with it).
  const getKey = `GET ${namespace}`;
  const prefixOf = (method: string) => (method === 'GET' ? getKey : `${method} ${namespace}`);
  if (values.length === 0) return (ctx) => prefixOf(ctx.method);
  // JSON keeps the values apart: no value can forge another combination, and an absent
  // parameter (null) is not the same entry as an empty one ("").
  return (ctx) => {
    const parts: (string | null)[] = [];
    for (const value of values) parts.push(value(ctx) ?? null);
    return `${prefixOf(ctx.method)} ${JSON.stringify(parts)}`;
  };
}

function parameterValue(name: string, mapping: Record<string, string> | undefined): ValueOf | undefined {
  const method = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(name);
  if (method) return methodRequestValue(method[1]!, method[2]!);
  if (/^integration\.request\.(path|querystring|header)\..+$/.test(name)) {
    // An integration parameter is keyed by what it is mapped from.
    const source = mapping?.[name];
    if (source === undefined) return undefined;
    if (/^'.*'$/s.test(source)) {
      const literal = source.slice(1, -1);
      return () => literal;
    }
    const from = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(source);
    if (from) return methodRequestValue(from[1]!, from[2]!);
  }
  return undefined;
}

function methodRequestValue(location: string, name: string): ValueOf {
  switch (location) {
    case 'path':
      return (ctx) => ctx.pathParameters[name];
    case 'querystring':
      return (ctx) => lastQueryValue(ctx.rawQuery, name);
    default: {
      const header = name.toLowerCase();
      return (ctx) => {
        const value = ctx.req.headers[header];
        return Array.isArray(value) ? value.join(',') : value;
      };
    }
  }
}
