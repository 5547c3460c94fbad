// Identity sources: which request values an authorizer needs, when their absence is a 401
// without invoking it, and the cache key they make.
import { describe, expect, it } from 'vitest';
import { AuthConfigurationError } from '../../../src/features/auth/errors.js';
import { compileIdentitySources } from '../../../src/features/auth/identity-sources.js';
import { requestContext } from './helpers.js';

describe('REST TOKEN authorizers', () => {
  const extract = compileIdentitySources('method.request.header.Authorization', 'TOKEN');

  it('reads the header whatever its case, and keys the cache by the token', () => {
    expect(extract(requestContext({ headers: { authorization: 'allow-me' } }))).toEqual({
      values: ['allow-me'],
      cacheKey: 'allow-me',
    });
  });

  it('answers undefined (401 without invoking) for a missing or empty header', () => {
    expect(extract(requestContext())).toBeUndefined();
    expect(extract(requestContext({ headers: { authorization: '' } }))).toBeUndefined();
  });

  it('applies identityValidationExpression to the whole token', () => {
    const validated = compileIdentitySources('method.request.header.Auth', 'TOKEN', {
      identityValidationExpression: '^x-[a-z]+',
    });
    expect(validated(requestContext({ headers: { auth: 'x-abc' } }))?.values).toEqual(['x-abc']);
    expect(validated(requestContext({ headers: { auth: 'x-abc1' } }))).toBeUndefined();
    expect(validated(requestContext({ headers: { auth: 'y-abc' } }))).toBeUndefined();
    const bearer = compileIdentitySources('method.request.header.Authorization', 'TOKEN', {
      identityValidationExpression: 'Bearer .*',
    });
    expect(bearer(requestContext({ headers: { authorization: 'Bearer abc.def' } }))).toBeDefined();
    expect(bearer(requestContext({ headers: { authorization: 'Basic abc' } }))).toBeUndefined();
  });

  it('refuses settings AWS would not accept', () => {
    expect(() => compileIdentitySources('method.request.querystring.token', 'TOKEN')).toThrow(
      AuthConfigurationError,
    );
    expect(() => compileIdentitySources('method.request.header.A, method.request.header.B', 'TOKEN')).toThrow(
      /exactly one identity source/,
    );
    expect(() => compileIdentitySources(undefined, 'TOKEN')).toThrow(AuthConfigurationError);
    expect(() =>
      compileIdentitySources('method.request.header.A', 'TOKEN', { identityValidationExpression: '(' }),
    ).toThrow(/not a valid regular expression/);
  });
});

describe('REST REQUEST authorizers', () => {
  const extract = compileIdentitySources(
    'method.request.header.Auth, method.request.querystring.Name, stageVariables.Env, context.identity.sourceIp',
    'REQUEST',
  );
  const full = {
    headers: { auth: 'abc' },
    query: 'Name=fido&other=1',
    stageVariables: { Env: 'prod' },
    sourceIp: '198.51.100.4',
  };

  it('reads every source in order', () => {
    expect(extract(requestContext(full))?.values).toEqual(['abc', 'fido', 'prod', '198.51.100.4']);
  });

  it('answers undefined when any source is missing or empty', () => {
    expect(extract(requestContext({ ...full, headers: {} }))).toBeUndefined();
    expect(
      extract(requestContext({ ...full, query: 'name=fido' })),
      'query names are case-sensitive',
    ).toBeUndefined();
    expect(extract(requestContext({ ...full, query: 'Name=' }))).toBeUndefined();
    expect(extract(requestContext({ ...full, stageVariables: {} }))).toBeUndefined();
  });

  it('takes the last value of a repeated query parameter', () => {
    expect(extract(requestContext({ ...full, query: 'Name=a&Name=b' }))?.values[1]).toBe('b');
  });

  it('changes the cache key when any value changes, and never joins two lists into one key', () => {
    const key = (headers: Record<string, string>) =>
      compileIdentitySources(
        'method.request.header.A, method.request.header.B',
        'REQUEST',
      )(requestContext({ headers }))?.cacheKey;
    expect(key({ a: '1', b: '2' })).not.toBe(key({ a: '1', b: '3' }));
    expect(key({ a: 'x,', b: 'y' })).not.toBe(key({ a: 'x', b: ',y' }));
  });

  it('reads other context variables and multi-value sources', () => {
    const other = compileIdentitySources(
      'context.httpMethod, context.requestTimeEpoch, method.request.multivaluequerystring.tag',
      'REQUEST',
    );
    expect(other(requestContext({ method: 'PUT', query: 'tag=a&tag=b' }))?.values).toEqual([
      'PUT',
      '1700000000000',
      'a,b',
    ]);
    expect(compileIdentitySources('context.nope.deeper', 'REQUEST')(requestContext())).toBeUndefined();
  });

  it('answers an empty identity when there are no sources', () => {
    expect(compileIdentitySources('', 'REQUEST')(requestContext())).toEqual({ values: [], cacheKey: '' });
  });

  it('refuses path parameters and unknown sources', () => {
    expect(() => compileIdentitySources('method.request.path.id', 'REQUEST')).toThrow(
      /Unsupported identity source/,
    );
    expect(() => compileIdentitySources('$request.header.Auth', 'REQUEST')).toThrow(AuthConfigurationError);
    expect(() => compileIdentitySources('method.request.header.', 'REQUEST')).toThrow(/names nothing/);
  });
});

describe('HTTP API authorizers', () => {
  const extract = compileIdentitySources(
    [
      '$request.header.Authorization',
      '$request.querystring.Token',
      '$context.routeKey',
      '$stageVariables.tier',
    ],
    'HTTP',
  );
  const full = {
    headers: { authorization: 'user1' },
    query: 'Token=123',
    routeKey: 'GET /pets',
    stageVariables: { tier: 'gold' },
  };

  it('reads headers case-insensitively, query strings case-sensitively, context and stage variables', () => {
    expect(extract(requestContext(full))).toEqual({
      values: ['user1', '123', 'GET /pets', 'gold'],
      cacheKey: '5:user13:1239:GET /pets4:gold',
    });
    expect(extract(requestContext({ ...full, query: 'token=123' }))).toBeUndefined();
  });

  it('answers undefined when a source is missing', () => {
    for (const missing of [{ headers: {} }, { query: '' }, { stageVariables: {} }, { routeKey: '' }]) {
      expect(extract(requestContext({ ...full, ...missing })), JSON.stringify(missing)).toBeUndefined();
    }
  });

  it('joins a repeated query parameter with commas', () => {
    expect(extract(requestContext({ ...full, query: 'Token=1&Token=2' }))?.values[1]).toBe('1,2');
  });

  it('accepts the comma-separated form of an OpenAPI import', () => {
    const fromImport = compileIdentitySources('$request.header.Authorization, $context.routeKey', 'HTTP');
    expect(fromImport(requestContext(full))?.values).toEqual(['user1', 'GET /pets']);
  });

  it('refuses REST-style sources', () => {
    expect(() => compileIdentitySources(['method.request.header.Authorization'], 'HTTP')).toThrow(
      /Unsupported identity source/,
    );
  });
});
