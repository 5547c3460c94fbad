// HTTP API proxy events, payload formats 1.0 and 2.0, on a `$default` and a named stage, with
// the routes `GET /{proxy+}`, `GET /pets/{petId}` and `$default`.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventOptions } from '../../../src/features/lambda-proxy/index.js';
import { httpApiEventV1, httpApiEventV2 } from '../../../src/features/lambda-proxy/index.js';
import type { RequestContext } from '../../../src/dataplane/context.js';
import {
  API_ID,
  HOST,
  REQUEST_ID,
  REQUEST_TIME,
  REQUEST_TIME_EPOCH,
  TRACE_ID,
  startEventServer,
  type EventServer,
} from './harness.js';

let format: '1.0' | '2.0' = '1.0';
let server: EventServer;

beforeAll(async () => {
  server = await startEventServer({
    protocol: 'HTTP',
    stages: [{ stageName: '$default' }, { stageName: 'dev', variables: { table: 'pets-dev' } }],
    deploymentId: 'dep77',
    routes: [
      { method: 'GET', path: '/{proxy+}', id: 'rt1proxy' },
      { method: 'GET', path: '/pets/{petId}', id: 'rt2pets' },
      { method: '$default', path: '', id: 'rt0dflt' },
    ],
    build: (ctx: RequestContext, options: EventOptions) =>
      format === '1.0' ? httpApiEventV1(ctx, options) : httpApiEventV2(ctx, options),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.options = { binaryMediaTypes: [] };
});

async function invoke(
  path: string,
  init: {
    method?: 'GET' | 'POST';
    headers?: Record<string, string | string[]>;
    body?: string | Buffer;
  } = {},
): Promise<Record<string, unknown>> {
  const response = await request(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? { host: HOST, 'User-Agent': 'python/test' },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as Record<string, unknown>;
}

function addedHeaders(contentLength = '0'): Record<string, string> {
  return {
    'content-length': contentLength,
    'x-amzn-trace-id': TRACE_ID,
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-port': String(server.port),
    'x-forwarded-proto': 'http',
  };
}

function multi(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
}

describe('payload format 1.0', () => {
  beforeEach(() => {
    format = '1.0';
  });

  it('a GET on a greedy route of the $default stage', async () => {
    const headers = { host: HOST, 'user-agent': 'python/test', ...addedHeaders() };
    expect(await invoke('/test-path')).toEqual({
      version: '1.0',
      resource: '/{proxy+}',
      path: '/test-path',
      httpMethod: 'GET',
      headers,
      multiValueHeaders: multi(headers),
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      requestContext: {
        accountId: '000000000000',
        apiId: API_ID,
        domainName: HOST,
        domainPrefix: API_ID,
        extendedRequestId: REQUEST_ID,
        httpMethod: 'GET',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAmr: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '127.0.0.1',
          user: null,
          userAgent: 'python/test',
          userArn: null,
        },
        path: '/test-path',
        protocol: 'HTTP/1.1',
        requestId: REQUEST_ID,
        requestTime: REQUEST_TIME,
        requestTimeEpoch: REQUEST_TIME_EPOCH,
        resourceId: 'GET /{proxy+}',
        resourcePath: '/{proxy+}',
        stage: '$default',
      },
      pathParameters: { proxy: 'test-path' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('a named stage shows its segment in both paths', async () => {
    const event = await invoke('/dev//test-path-prepended');
    expect(event.path).toBe('/dev//test-path-prepended');
    expect(event.stageVariables).toEqual({ table: 'pets-dev' });
    expect(event.requestContext).toMatchObject({ path: '/dev//test-path-prepended', stage: 'dev' });
    expect(event.pathParameters).toEqual({ proxy: 'test-path-prepended' });
  });

  it('slashes before the path of a $default stage are collapsed', async () => {
    const event = await invoke('///test-path-prepended');
    expect(event.path).toBe('/test-path-prepended');
    expect(event.requestContext).toMatchObject({ path: '/test-path-prepended', stage: '$default' });
  });

  it('lower-cases header names and keeps repeated values apart, the cookie header included', async () => {
    const event = await invoke('/test', {
      headers: {
        host: HOST,
        'test-header': 'value',
        'CaSeD-HEADER': ['value2', 'value3'],
        Cookie: ['a=1; b=2', 'c=3'],
      },
    });
    const single = {
      host: HOST,
      'test-header': 'value',
      'cased-header': 'value3',
      cookie: 'c=3',
      ...addedHeaders(),
    };
    expect(event.headers).toEqual(single);
    expect(event.multiValueHeaders).toEqual({
      ...multi(single),
      'cased-header': ['value2', 'value3'],
      cookie: ['a=1; b=2', 'c=3'],
    });
    expect((event.requestContext as { identity: { userAgent: unknown } }).identity.userAgent).toBe('');
  });

  it('decodes the query string with the last value winning', async () => {
    const event = await invoke(
      '/test?test-qs=value&test-multi=value2&test-multi=value3&test-encoded=my%3Fqs%2Fvalue',
    );
    expect(event.queryStringParameters).toEqual({
      'test-qs': 'value',
      'test-multi': 'value3',
      'test-encoded': 'my?qs/value',
    });
    expect(event.multiValueQueryStringParameters).toEqual({
      'test-qs': ['value'],
      'test-multi': ['value2', 'value3'],
      'test-encoded': ['my?qs/value'],
    });
  });

  it('the $default route', async () => {
    const event = await invoke('/default', {
      method: 'POST',
      body: 'my test body',
      headers: { host: HOST, 'content-type': 'text/plain' },
    });
    expect(event).toMatchObject({
      resource: '$default',
      path: '/default',
      httpMethod: 'POST',
      pathParameters: null,
      body: 'my test body',
      isBase64Encoded: false,
      headers: { host: HOST, 'content-type': 'text/plain', ...addedHeaders('12') },
    });
    expect(event.requestContext).toMatchObject({ resourceId: '$default', resourcePath: '$default' });
  });

  it('a path parameter and an authorizer', async () => {
    server.options = { binaryMediaTypes: [], authorizer: { lambda: { tenant: 'acme' } } };
    const event = await invoke('/pets/big%20dog');
    expect(event.pathParameters).toEqual({ petId: 'big dog' });
    expect(event.resource).toBe('/pets/{petId}');
    expect(event.requestContext).toMatchObject({
      authorizer: { lambda: { tenant: 'acme' } },
      resourceId: 'GET /pets/{petId}',
      resourcePath: '/pets/{petId}',
    });
  });
});

describe('payload format 2.0', () => {
  beforeEach(() => {
    format = '2.0';
  });

  it('a GET on a greedy route of the $default stage leaves empty fields out', async () => {
    expect(await invoke('/test-path')).toEqual({
      version: '2.0',
      routeKey: 'GET /{proxy+}',
      rawPath: '/test-path',
      rawQueryString: '',
      headers: { host: HOST, 'user-agent': 'python/test', ...addedHeaders() },
      requestContext: {
        accountId: '000000000000',
        apiId: API_ID,
        domainName: HOST,
        domainPrefix: API_ID,
        http: {
          method: 'GET',
          path: '/test-path',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'python/test',
        },
        requestId: REQUEST_ID,
        routeKey: 'GET /{proxy+}',
        stage: '$default',
        time: REQUEST_TIME,
        timeEpoch: REQUEST_TIME_EPOCH,
      },
      pathParameters: { proxy: 'test-path' },
      isBase64Encoded: false,
    });
  });

  it('a named stage is part of rawPath and http.path; stage variables are there', async () => {
    const event = await invoke('/dev/pets/7');
    expect(event.rawPath).toBe('/dev/pets/7');
    expect(event.routeKey).toBe('GET /pets/{petId}');
    expect(event.pathParameters).toEqual({ petId: '7' });
    expect(event.stageVariables).toEqual({ table: 'pets-dev' });
    expect(event.requestContext).toMatchObject({ http: { path: '/dev/pets/7' }, stage: 'dev' });
  });

  it('joins repeated headers with a comma and moves every cookie to cookies', async () => {
    const event = await invoke('/test', {
      headers: {
        host: HOST,
        Header2: ['value1', 'value2'],
        Cookie: ['s_fid=7AAB; regStatus=pre-register', 'third=3'],
        'User-Agent': 'agent',
      },
    });
    expect(event.cookies).toEqual(['s_fid=7AAB', 'regStatus=pre-register', 'third=3']);
    expect(event.headers).toEqual({
      host: HOST,
      header2: 'value1,value2',
      'user-agent': 'agent',
      ...addedHeaders(),
    });
  });

  it('keeps the raw query string and comma-joins repeated keys once decoded', async () => {
    const raw = 'parameter1=value1&parameter1=value2&parameter2=a+b%2Bc&empty';
    const event = await invoke(`/test?${raw}`);
    expect(event.rawQueryString).toBe(raw);
    expect(event.queryStringParameters).toEqual({
      parameter1: 'value1,value2',
      parameter2: 'a b+c',
      empty: '',
    });
  });

  it('a text body as it is, anything else base64-encoded', async () => {
    const json = await invoke('/default', {
      method: 'POST',
      headers: { host: HOST, 'content-type': 'application/json; charset=utf-8' },
      body: '{"message":"hello"}',
    });
    expect(json).toMatchObject({
      routeKey: '$default',
      body: '{"message":"hello"}',
      isBase64Encoded: false,
      headers: { 'content-length': '19' },
    });
    expect(json.pathParameters).toBeUndefined();

    for (const contentType of ['application/octet-stream', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = { host: HOST };
      if (contentType) headers['content-type'] = contentType;
      const event = await invoke('/default', { method: 'POST', headers, body: 'param1=value1' });
      expect(event.body).toBe(Buffer.from('param1=value1').toString('base64'));
      expect(event.isBase64Encoded).toBe(true);
    }
  });

  it('the authorizer output as the authorizer step produced it', async () => {
    server.options = {
      binaryMediaTypes: [],
      authorizer: { jwt: { claims: { sub: 'u1' }, scopes: ['read'] } },
    };
    const event = await invoke('/test');
    expect((event.requestContext as Record<string, unknown>).authorizer).toEqual({
      jwt: { claims: { sub: 'u1' }, scopes: ['read'] },
    });
  });
});
