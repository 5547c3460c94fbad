// The REST proxy event (payload 1.0), held to the events AWS recorded for a `/{proxy+}` and a
// `/hardcoded` resource on stage `stage` (LocalStack's aws-validated test_lambda_aws_proxy_integration).
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restProxyEvent } from '../../../src/features/lambda-proxy/index.js';
import {
  API_ID,
  HOST,
  REQUEST_ID,
  REQUEST_TIME,
  REQUEST_TIME_EPOCH,
  TRACE_ID,
  rawRequest,
  startEventServer,
  type EventServer,
} from './harness.js';

let server: EventServer;

beforeAll(async () => {
  server = await startEventServer({
    protocol: 'REST',
    stages: [
      { stageName: 'stage' },
      { stageName: 'vars', variables: { lambdaAlias: 'live', color: 'blue' } },
    ],
    deploymentId: 'dep9xk',
    routes: [
      { method: 'ANY', path: '/{proxy+}', id: 'prx123' },
      { method: 'ANY', path: '/hardcoded', id: 'hrd456' },
      { method: 'GET', path: '/items/{itemId}', id: 'itm789' },
    ],
    build: restProxyEvent,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.options = { binaryMediaTypes: [] };
});

/** The recorded test's client headers; `authorization` arrives as `Authorization`. */
const CLIENT_HEADERS = {
  host: HOST,
  'User-Agent': 'python-requests/testing',
  'tEsT-HEADeR': 'aValUE',
  authorization: 'random-value',
};

async function invoke(
  path: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string | string[]>; body?: string | Buffer } = {},
): Promise<Record<string, unknown>> {
  const response = await request(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? CLIENT_HEADERS,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as Record<string, unknown>;
}

function identity(userAgent: string | null = 'python-requests/testing'): Record<string, unknown> {
  return {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: '127.0.0.1',
    user: null,
    userAgent,
    userArn: null,
  };
}

function addedHeaders(): Record<string, string> {
  return {
    'X-Amzn-Trace-Id': TRACE_ID,
    'X-Forwarded-For': '127.0.0.1',
    'X-Forwarded-Port': String(server.port),
    'X-Forwarded-Proto': 'http',
  };
}

function multi(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
}

/** The recorded GET event with the parts that vary from request to request. */
function recordedEvent(parts: {
  path: string;
  contextPath: string;
  pathParameters: Record<string, string> | null;
  resource?: string;
  resourceId?: string;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
}): Record<string, unknown> {
  const headers = {
    host: HOST,
    'User-Agent': 'python-requests/testing',
    'tEsT-HEADeR': 'aValUE',
    Authorization: 'random-value',
    ...addedHeaders(),
  };
  const resource = parts.resource ?? '/{proxy+}';
  return {
    resource,
    path: parts.path,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: parts.queryStringParameters ?? null,
    multiValueQueryStringParameters: parts.multiValueQueryStringParameters ?? null,
    pathParameters: parts.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: API_ID,
      deploymentId: 'dep9xk',
      domainName: HOST,
      domainPrefix: API_ID,
      extendedRequestId: REQUEST_ID,
      httpMethod: 'GET',
      identity: identity(),
      path: parts.contextPath,
      protocol: 'HTTP/1.1',
      requestId: REQUEST_ID,
      requestTime: REQUEST_TIME,
      requestTimeEpoch: REQUEST_TIME_EPOCH,
      resourceId: parts.resourceId ?? 'prx123',
      resourcePath: resource,
      stage: 'stage',
    },
    body: null,
    isBase64Encoded: false,
  };
}

describe('the recorded /{proxy+} events', () => {
  it('without a trailing slash', async () => {
    expect(await invoke('/stage/proxy-value')).toEqual(
      recordedEvent({
        path: '/proxy-value',
        contextPath: '/stage/proxy-value',
        pathParameters: { proxy: 'proxy-value' },
      }),
    );
  });

  it('keeps a trailing slash in path but not in the proxy parameter', async () => {
    expect(await invoke('/stage/proxy-value/')).toEqual(
      recordedEvent({
        path: '/proxy-value/',
        contextPath: '/stage/proxy-value/',
        pathParameters: { proxy: 'proxy-value' },
      }),
    );
  });

  it('keeps a double slash inside the proxy value', async () => {
    expect(await invoke('/stage/proxy-value//double-slash')).toEqual(
      recordedEvent({
        path: '/proxy-value//double-slash',
        contextPath: '/stage/proxy-value//double-slash',
        pathParameters: { proxy: 'proxy-value//double-slash' },
      }),
    );
  });

  it('collapses a double slash before the stage everywhere', async () => {
    expect(await invoke('//stage/proxy-value')).toEqual(
      recordedEvent({
        path: '/proxy-value',
        contextPath: '/stage/proxy-value',
        pathParameters: { proxy: 'proxy-value' },
      }),
    );
  });

  it('collapses a double slash after the stage in path but not in requestContext.path', async () => {
    expect(await invoke('/stage//proxy-value')).toEqual(
      recordedEvent({
        path: '/proxy-value',
        contextPath: '/stage//proxy-value',
        pathParameters: { proxy: 'proxy-value' },
      }),
    );
  });

  it('with a query string, without and with a trailing slash', async () => {
    const query = {
      queryStringParameters: { urlparam: 'test' },
      multiValueQueryStringParameters: { urlparam: ['test'] },
    };
    expect(await invoke('/stage/proxy-value?urlparam=test')).toEqual(
      recordedEvent({
        path: '/proxy-value',
        contextPath: '/stage/proxy-value',
        pathParameters: { proxy: 'proxy-value' },
        ...query,
      }),
    );
    expect(await invoke('/stage/proxy-value/?urlparam=test')).toEqual(
      recordedEvent({
        path: '/proxy-value/',
        contextPath: '/stage/proxy-value/',
        pathParameters: { proxy: 'proxy-value' },
        ...query,
      }),
    );
  });

  it('leaves %2B and + in a greedy path value undecoded', async () => {
    const path = '/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com';
    expect(await invoke(`/stage${path}`)).toEqual(
      recordedEvent({
        path,
        contextPath: `/stage${path}`,
        pathParameters: { proxy: path.slice(1) },
      }),
    );
  });

  it('decodes the recorded query string, drops everything after #, last value wins', async () => {
    // The recorded client (python requests) sent the space as %20 and cut the URL at `#`;
    // this request keeps the `#` and what follows it, which AWS never sees.
    const query =
      'dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com' +
      '&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar' +
      '&zhash=abort/#&ignored=this-does-not-appear-after-the-hash';
    const { status, body } = await rawRequest(
      server.port,
      `GET /stage/proxy-value/api?${query} HTTP/1.1\r\nhost: ${HOST}\r\n` +
        'User-Agent: python-requests/testing\r\ntEsT-HEADeR: aValUE\r\nauthorization: random-value\r\n' +
        'Connection: close\r\n\r\n',
    );
    expect(status).toBe(200);
    const values = {
      dateTimeOffset: '2023-06-12T18:05:10.123456 00:00',
      email: 'test+alias@gmail.com',
      plus: 'test alias@gmail.com',
      url: 'https://www.google.com/',
      whitespace: 'foo bar',
      zhash: 'abort/',
    };
    expect(JSON.parse(body)).toEqual(
      recordedEvent({
        path: '/proxy-value/api',
        contextPath: '/stage/proxy-value/api',
        pathParameters: { proxy: 'proxy-value/api' },
        queryStringParameters: values,
        multiValueQueryStringParameters: Object.fromEntries(
          Object.entries(values).map(([name, value]) => [name, [value]]),
        ),
      }),
    );
  });

  it('a POST with repeated query keys and a JSON body', async () => {
    const event = await invoke(
      '/stage/proxy-value?category=electronics&category=books&price=10&price=20&price=30',
      {
        method: 'POST',
        headers: {
          host: HOST,
          'Content-Type': 'application/json;charset=utf-8',
          aUThorization: 'Bearer token123;API key456',
          'User-Agent': 'python-requests/testing',
        },
        body: '{"message": "hello world"}',
      },
    );
    const headers = {
      host: HOST,
      'Content-Type': 'application/json;charset=utf-8',
      Authorization: 'Bearer token123;API key456',
      'User-Agent': 'python-requests/testing',
      ...addedHeaders(),
    };
    expect(event).toEqual({
      resource: '/{proxy+}',
      path: '/proxy-value',
      httpMethod: 'POST',
      headers,
      multiValueHeaders: multi(headers),
      queryStringParameters: { category: 'books', price: '30' },
      multiValueQueryStringParameters: { category: ['electronics', 'books'], price: ['10', '20', '30'] },
      pathParameters: { proxy: 'proxy-value' },
      stageVariables: null,
      requestContext: {
        accountId: '000000000000',
        apiId: API_ID,
        deploymentId: 'dep9xk',
        domainName: HOST,
        domainPrefix: API_ID,
        extendedRequestId: REQUEST_ID,
        httpMethod: 'POST',
        identity: identity(),
        path: '/stage/proxy-value',
        protocol: 'HTTP/1.1',
        requestId: REQUEST_ID,
        requestTime: REQUEST_TIME,
        requestTimeEpoch: REQUEST_TIME_EPOCH,
        resourceId: 'prx123',
        resourcePath: '/{proxy+}',
        stage: 'stage',
      },
      body: '{"message": "hello world"}',
      isBase64Encoded: false,
    });
  });

  it('a static resource reached with a double slash has null pathParameters', async () => {
    expect(await invoke('/stage//hardcoded')).toEqual(
      recordedEvent({
        path: '/hardcoded',
        contextPath: '/stage//hardcoded',
        pathParameters: null,
        resource: '/hardcoded',
        resourceId: 'hrd456',
      }),
    );
  });
});

describe('headers', () => {
  it('leave out Content-Length and Connection, even on a POST with a body', async () => {
    const event = await invoke('/stage/proxy-value', {
      method: 'POST',
      headers: { host: HOST, Connection: 'keep-alive', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(event.headers).toEqual({ host: HOST, 'content-type': 'text/plain', ...addedHeaders() });
    expect(event.body).toBe('hello');
  });

  it('keep every value of a repeated header in multiValueHeaders, the last in headers', async () => {
    const event = await invoke('/stage/proxy-value', {
      headers: { host: HOST, 'X-Multi': ['one', 'two, three'], 'x-multi': 'four' },
    });
    expect(event.headers).toEqual({ host: HOST, 'X-Multi': 'four', ...addedHeaders() });
    expect(event.multiValueHeaders).toEqual({
      host: [HOST],
      'X-Multi': ['one', 'two, three', 'four'],
      ...multi(addedHeaders()),
    });
    expect((event.requestContext as Record<string, unknown>).identity).toEqual(identity(null));
  });

  it('append the source address to a client X-Forwarded-For and replace the port and proto', async () => {
    const event = await invoke('/stage/proxy-value', {
      headers: {
        host: HOST,
        'x-forwarded-for': '203.0.113.7',
        'X-Forwarded-Proto': 'https',
        'x-forwarded-port': '443',
        'X-Amzn-Trace-Id': 'Root=1-5e6722a7-cc56a5f946db7ae02d4da47e',
      },
    });
    expect(event.headers).toEqual({
      host: HOST,
      'X-Amzn-Trace-Id': 'Root=1-5e6722a7-cc56a5f946db7ae02d4da47e',
      'X-Forwarded-For': '203.0.113.7, 127.0.0.1',
      'X-Forwarded-Port': String(server.port),
      'X-Forwarded-Proto': 'http',
    });
  });
});

describe('stage, route and identity fields', () => {
  it('carry the stage variables and the stage of the request', async () => {
    const event = await invoke('/vars/proxy-value');
    expect(event.stageVariables).toEqual({ lambdaAlias: 'live', color: 'blue' });
    expect(event.path).toBe('/proxy-value');
    expect(event.requestContext).toMatchObject({ path: '/vars/proxy-value', stage: 'vars' });
  });

  it('decode a non-greedy path parameter', async () => {
    const event = await invoke('/stage/items/a%20b%2Bc');
    expect(event.pathParameters).toEqual({ itemId: 'a b+c' });
    expect(event.path).toBe('/items/a%20b%2Bc');
    expect(event.resource).toBe('/items/{itemId}');
  });

  it('show the path-style invoke URL as the stage path', async () => {
    const response = await request(`${server.url}/_aws/execute-api/${API_ID}/stage/proxy-value`);
    const event = (await response.body.json()) as Record<string, unknown>;
    expect(event.path).toBe('/proxy-value');
    expect(event.requestContext).toMatchObject({
      path: '/stage/proxy-value',
      // No port, as in AWS's names and in $context.domainName.
      domainName: '127.0.0.1',
      domainPrefix: '127',
    });
  });

  it('add the authorizer output and the API key when there are any', async () => {
    server.options = {
      binaryMediaTypes: [],
      authorizer: { principalId: 'user-1', tenant: 'acme', admin: 'true' },
      identity: { apiKey: 'k3yV4lu3-0123456789', apiKeyId: 'kid42' },
    };
    const event = await invoke('/stage/proxy-value');
    expect(event.requestContext).toMatchObject({
      authorizer: { principalId: 'user-1', tenant: 'acme', admin: 'true' },
      identity: { ...identity(), apiKey: 'k3yV4lu3-0123456789', apiKeyId: 'kid42' },
    });
  });
});

describe('body', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);

  it('is null without a body, also for a POST', async () => {
    expect((await invoke('/stage/proxy-value', { method: 'POST', body: '' })).body).toBeNull();
  });

  it('is base64 when the Content-Type matches a binary media type', async () => {
    server.options = { binaryMediaTypes: ['application/octet-stream', 'image/*'] };
    const event = await invoke('/stage/proxy-value', {
      method: 'POST',
      headers: { host: HOST, 'Content-Type': 'image/png' },
      body: png,
    });
    expect(event.body).toBe(png.toString('base64'));
    expect(event.isBase64Encoded).toBe(true);

    const text = await invoke('/stage/proxy-value', {
      method: 'POST',
      headers: { host: HOST, 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'plain text',
    });
    expect(text.body).toBe('plain text');
    expect(text.isBase64Encoded).toBe(false);
  });

  it('is base64 for every Content-Type, JSON included, with */*', async () => {
    server.options = { binaryMediaTypes: ['*/*'] };
    const event = await invoke('/stage/proxy-value', {
      method: 'POST',
      headers: { host: HOST, 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(event.body).toBe(Buffer.from('{"a":1}').toString('base64'));
    expect(event.isBase64Encoded).toBe(true);
  });

  it('is text when no binary media type matches, even for binary bytes', async () => {
    const event = await invoke('/stage/proxy-value', {
      method: 'POST',
      headers: { host: HOST, 'Content-Type': 'image/png' },
      body: png,
    });
    expect(event.body).toBe(png.toString('utf8'));
    expect(event.isBase64Encoded).toBe(false);
  });
});
