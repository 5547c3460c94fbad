// Which methods a stage caches, for how long, and under which key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../../src/dataplane/context.js';
import {
  asksForFreshEntry,
  cacheCapacityBytes,
  compileCacheKey,
  methodCacheSettings,
} from '../../../src/features/cache/index.js';
import type { MethodSetting, Stage } from '../../../src/model/api.js';

const stage = (methodSettings?: Record<string, MethodSetting>): Stage => ({
  apiId: 'a',
  stageName: 'prod',
  variables: {},
  createdDate: 0,
  lastUpdatedDate: 0,
  cacheClusterEnabled: true,
  ...(methodSettings && { methodSettings }),
});

describe('method cache settings', () => {
  it('caches GET methods by default for 300 s, and no other method', () => {
    expect(methodCacheSettings(stage(), '/pets', 'GET')).toMatchObject({
      ttlSeconds: 300,
      cachesGet: true,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    });
    expect(methodCacheSettings(stage(), '/pets', 'POST')).toBeNull();
  });

  it('turns another method on only through its own entry, not through */*', () => {
    expect(methodCacheSettings(stage({ '*/*': { cachingEnabled: true } }), '/pets', 'POST')).toBeNull();
    const own = methodCacheSettings(stage({ 'pets/POST': { cachingEnabled: true } }), '/pets', 'POST');
    expect(own).toMatchObject({ cachesOtherMethods: true, cachesGet: false });
  });

  it('lets */* and the method entry turn GET caching off, the method entry winning', () => {
    expect(methodCacheSettings(stage({ '*/*': { cachingEnabled: false } }), '/pets', 'GET')).toBeNull();
    const back = stage({ '*/*': { cachingEnabled: false }, 'pets/GET': { cachingEnabled: true } });
    expect(methodCacheSettings(back, '/pets', 'GET')?.cachesGet).toBe(true);
    expect(methodCacheSettings(back, '/other', 'GET')).toBeNull();
  });

  it('takes the TTL from the method, then */*, then 300; 0 turns caching off', () => {
    const settings = stage({
      '*/*': { cacheTtlInSeconds: 60 },
      'pets/{id}/GET': { cacheTtlInSeconds: 3600 },
    });
    expect(methodCacheSettings(settings, '/pets', 'GET')?.ttlSeconds).toBe(60);
    expect(methodCacheSettings(settings, '/pets/{id}', 'GET')?.ttlSeconds).toBe(3600);
    expect(methodCacheSettings(stage({ '*/*': { cacheTtlInSeconds: 0 } }), '/pets', 'GET')).toBeNull();
  });

  it('keys the root resource as /GET', () => {
    expect(methodCacheSettings(stage({ '/GET': { cachingEnabled: false } }), '/', 'GET')).toBeNull();
  });

  it('reads cacheClusterSize as GiB and refuses sizes AWS does not offer', () => {
    expect(cacheCapacityBytes(undefined)).toBe(536_870_912);
    expect(cacheCapacityBytes('1.6')).toBe(Math.round(1.6 * 2 ** 30));
    expect(cacheCapacityBytes('237')).toBe(237 * 2 ** 30);
    expect(() => cacheCapacityBytes('2')).toThrow(/cacheClusterSize "2" is not one of 0.5, 1.6/);
  });
});

function ctx(
  method: string,
  rawQuery: string,
  headers: Record<string, string | string[]> = {},
  pathParameters: Record<string, string> = {},
): RequestContext {
  const req = { headers } as unknown as IncomingMessage;
  const c = new RequestContext(
    'id',
    req,
    {} as ServerResponse,
    method,
    '/x',
    rawQuery,
    'prod',
    0,
    '127.0.0.1',
  );
  Object.assign(c.pathParameters, pathParameters);
  return c;
}

describe('cache keys', () => {
  const keyOf = (cacheKeyParameters: string[], extra: Record<string, unknown> = {}) => {
    const warnings: string[] = [];
    const key = compileCacheKey({
      resourcePath: '/pets/{id}',
      integration: { cacheKeyParameters, ...extra },
      warn: (m) => warnings.push(m),
    });
    return { key, warnings };
  };

  it('without parameters, is the method and resource path: other values share the entry', () => {
    const { key } = keyOf([]);
    expect(key(ctx('GET', 'a=1', {}, { id: '1' }))).toBe(key(ctx('GET', 'b=2', { x: 'y' }, { id: '2' })));
    expect(key(ctx('GET', ''))).not.toBe(key(ctx('HEAD', '')));
  });

  it('splits on a path parameter', () => {
    const { key } = keyOf(['method.request.path.id']);
    expect(key(ctx('GET', '', {}, { id: '1' }))).not.toBe(key(ctx('GET', '', {}, { id: '2' })));
    expect(key(ctx('GET', 'q=1', {}, { id: '1' }))).toBe(key(ctx('GET', 'q=2', {}, { id: '1' })));
  });

  it('splits on a query string parameter (its last value), and only on the listed one', () => {
    const { key } = keyOf(['method.request.querystring.type']);
    const admin = key(ctx('GET', 'type=admin&department=A'));
    expect(key(ctx('GET', 'type=admin&department=B'))).toBe(admin);
    expect(key(ctx('GET', 'type=regular&department=A'))).not.toBe(admin);
    expect(key(ctx('GET', 'type=x&type=admin'))).toBe(admin);
  });

  it('splits on a header, whatever the case of its name', () => {
    const { key } = keyOf(['method.request.header.Accept-Language']);
    expect(key(ctx('GET', '', { 'accept-language': 'fr' }))).not.toBe(
      key(ctx('GET', '', { 'accept-language': 'de' })),
    );
    expect(key(ctx('GET', '', { 'accept-language': 'fr', other: '1' }))).toBe(
      key(ctx('GET', '', { 'accept-language': 'fr' })),
    );
  });

  it('tells an absent parameter from an empty one, and values cannot forge another combination', () => {
    const { key } = keyOf(['method.request.querystring.a', 'method.request.querystring.b']);
    expect(key(ctx('GET', ''))).not.toBe(key(ctx('GET', 'a=&b=')));
    expect(key(ctx('GET', 'a=x%22%2C%22y&b=z'))).not.toBe(key(ctx('GET', 'a=x&b=y%22%2C%22z')));
  });

  it('keys an integration parameter by the method request value it is mapped from', () => {
    const { key, warnings } = keyOf(
      ['integration.request.header.x-page', 'integration.request.querystring.unmapped', 'nonsense'],
      { requestParameters: { 'integration.request.header.x-page': 'method.request.querystring.page' } },
    );
    expect(key(ctx('GET', 'page=1'))).not.toBe(key(ctx('GET', 'page=2')));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^cache key parameter nonsense: must be method\.request/);
  });

  it('lets resources that name one cacheNamespace share entries', () => {
    const a = compileCacheKey({
      resourcePath: '/a',
      integration: { cacheNamespace: 'shared' },
      warn: () => {},
    });
    const b = compileCacheKey({
      resourcePath: '/b',
      integration: { cacheNamespace: 'shared' },
      warn: () => {},
    });
    const c = compileCacheKey({ resourcePath: '/c', integration: {}, warn: () => {} });
    expect(a(ctx('GET', ''))).toBe(b(ctx('GET', '')));
    expect(a(ctx('GET', ''))).not.toBe(c(ctx('GET', '')));
  });
});

describe('Cache-Control: max-age=0', () => {
  it('is recognised alone or among other directives, in any case', () => {
    expect(asksForFreshEntry('max-age=0')).toBe(true);
    expect(asksForFreshEntry('no-store, Max-Age=0')).toBe(true);
    expect(asksForFreshEntry('max-age=60')).toBe(false);
    expect(asksForFreshEntry('no-cache')).toBe(false);
    expect(asksForFreshEntry(undefined)).toBe(false);
  });
});
