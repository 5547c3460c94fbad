import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  GATEWAY_RESPONSE_TYPES,
  type GatewayResponseType,
} from '../../../src/dataplane/gateway-responses.js';
import type { RestApi } from '../../../src/model/rest-api.js';
import { compileGatewayResponses } from '../../../src/features/gateway-responses/index.js';
import { startErrorServer, type ErrorServer } from './server.js';

const TYPES = Object.keys(GATEWAY_RESPONSE_TYPES) as GatewayResponseType[];
const FOUR_XX = TYPES.filter((t) => GATEWAY_RESPONSE_TYPES[t].status < 500);
const FIVE_XX = TYPES.filter((t) => GATEWAY_RESPONSE_TYPES[t].status >= 500);

let server: ErrorServer;

beforeAll(async () => {
  server = await startErrorServer(compileGatewayResponses(undefined));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.stageVariables = {};
  server.context = {};
  server.withoutContext = false;
});

function configure(gatewayResponses: RestApi['gatewayResponses']): void {
  server.renderer = compileGatewayResponses(gatewayResponses);
}

async function raise(
  type: GatewayResponseType,
  init: { path?: string; headers?: Record<string, string> } = {},
) {
  const res = await request(`${server.url}${init.path ?? '/pets/7'}`, {
    headers: { 'x-raise': type, ...init.headers },
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function defaultBody(type: GatewayResponseType): string {
  return `{"message":${JSON.stringify(GATEWAY_RESPONSE_TYPES[type].message)}}`;
}

describe('resolution', () => {
  it('a response configured for the type wins', async () => {
    configure({
      INVALID_API_KEY: {
        statusCode: '456',
        responseParameters: { 'gatewayresponse.header.x-why': "'bad key'" },
        responseTemplates: { 'application/json': '{"message": "Bad api-key" }' },
      },
      DEFAULT_4XX: { statusCode: '400', responseParameters: { 'gatewayresponse.header.x-default': "'4xx'" } },
    });
    const res = await raise('INVALID_API_KEY');
    expect(res.status).toBe(456);
    expect(res.headers['x-why']).toBe('bad key');
    expect(res.headers['x-default']).toBeUndefined();
    expect(res.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"message": "Bad api-key" }');
  });

  it.each(FOUR_XX.filter((t) => t !== 'DEFAULT_4XX'))(
    'DEFAULT_4XX supplies status, headers and template to %s',
    async (type) => {
      configure({
        DEFAULT_4XX: {
          statusCode: '418',
          responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
          responseTemplates: { 'application/json': '{"error":"client"}' },
        },
        DEFAULT_5XX: { statusCode: '599' },
      });
      const res = await raise(type);
      expect(res.status).toBe(418);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['x-amzn-errortype']).toBe(GATEWAY_RESPONSE_TYPES[type].errorType);
      expect(res.body).toBe('{"error":"client"}');
    },
  );

  it.each(FIVE_XX.filter((t) => t !== 'DEFAULT_5XX'))(
    'DEFAULT_5XX supplies status, headers and template to %s, and DEFAULT_4XX does not',
    async (type) => {
      configure({
        DEFAULT_4XX: { statusCode: '418', responseTemplates: { 'application/json': '{"error":"client"}' } },
        DEFAULT_5XX: {
          statusCode: '503',
          responseParameters: { 'gatewayresponse.header.Retry-After': "'30'" },
          responseTemplates: { 'application/json': '{"error":"server"}' },
        },
      });
      const res = await raise(type);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.headers['x-amzn-errortype']).toBe(GATEWAY_RESPONSE_TYPES[type].errorType);
      expect(res.body).toBe('{"error":"server"}');
    },
  );

  it('UNAUTHORIZED (401) falls back to DEFAULT_4XX', async () => {
    configure({ DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.x-class': "'4xx'" } } });
    const res = await raise('UNAUTHORIZED');
    expect(res.status).toBe(401);
    expect(res.headers['x-class']).toBe('4xx');
    expect(res.body).toBe('{"message":"Unauthorized"}');
  });

  it('a DEFAULT_4XX without statusCode keeps every type its own status and the default template', async () => {
    configure({
      DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
    });
    for (const type of [
      'THROTTLED',
      'QUOTA_EXCEEDED',
      'MISSING_AUTHENTICATION_TOKEN',
      'REQUEST_TOO_LARGE',
    ] as const) {
      const res = await raise(type);
      expect(res.status).toBe(GATEWAY_RESPONSE_TYPES[type].status);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toBe(defaultBody(type));
    }
  });

  it('a null statusCode means the type keeps its own, as after a reset in API Gateway', async () => {
    configure({ DEFAULT_5XX: { statusCode: null } });
    expect((await raise('INTEGRATION_TIMEOUT')).status).toBe(504);
  });

  it('an override with only headers keeps the default status and template', async () => {
    configure({ THROTTLED: { responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } } });
    const res = await raise('THROTTLED');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    expect(res.body).toBe('{"message":"Too Many Requests"}');
  });

  it('an override with only a status keeps the default template', async () => {
    configure({ MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' } });
    const res = await raise('MISSING_AUTHENTICATION_TOKEN');
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.body).toBe('{"message":"Missing Authentication Token"}');
  });

  it('a specific response replaces DEFAULT_4XX entirely: its gaps are filled by the built-in default', async () => {
    configure({
      DEFAULT_4XX: {
        statusCode: '400',
        responseParameters: { 'gatewayresponse.header.x-default': "'yes'" },
        responseTemplates: { 'application/json': '{"default":true}' },
      },
      ACCESS_DENIED: { responseParameters: { 'gatewayresponse.header.x-specific': "'yes'" } },
    });
    const res = await raise('ACCESS_DENIED');
    expect(res.status).toBe(403);
    expect(res.headers['x-specific']).toBe('yes');
    expect(res.headers['x-default']).toBeUndefined();
    expect(res.body).toBe('{"message":"Forbidden"}');
  });

  it('raising DEFAULT_4XX or DEFAULT_5XX itself uses their configuration', async () => {
    configure({ DEFAULT_4XX: { statusCode: '422' }, DEFAULT_5XX: { statusCode: '502' } });
    expect((await raise('DEFAULT_4XX')).status).toBe(422);
    expect((await raise('DEFAULT_5XX')).status).toBe(502);
  });

  it('types without configuration keep the built-in default while others are customised', async () => {
    configure({ THROTTLED: { statusCode: '503' } });
    const res = await raise('INTEGRATION_TIMEOUT');
    expect(res.status).toBe(504);
    expect(res.body).toBe('{"message": "Endpoint request timed out"}');
  });

  it('an empty responseTemplates object keeps the default template', async () => {
    configure({ THROTTLED: { responseTemplates: {} } });
    expect((await raise('THROTTLED')).body).toBe('{"message":"Too Many Requests"}');
  });
});

describe('header mappings', () => {
  beforeEach(() => {
    configure({
      MISSING_AUTHENTICATION_TOKEN: {
        statusCode: '404',
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
          'gatewayresponse.header.x-request-id': 'method.request.header.x-amzn-RequestId',
          'gatewayresponse.header.x-request-path': 'method.request.path.petId',
          'gatewayresponse.header.x-request-query': 'method.request.querystring.q',
          'gatewayresponse.header.x-all-query': 'method.request.multivaluequerystring.q',
          'gatewayresponse.header.x-all-header': 'method.request.multivalueheader.x-multi',
          'gatewayresponse.header.x-stage-a': 'stageVariables.a',
          'gatewayresponse.header.x-stage': 'context.stage',
          'gatewayresponse.header.x-request': 'context.requestId',
          'gatewayresponse.header.x-method': 'context.httpMethod',
          'gatewayresponse.header.x-resource': 'context.resourcePath',
          'gatewayresponse.header.x-ip': 'context.identity.sourceIp',
          'gatewayresponse.header.x-principal': 'context.authorizer.principalId',
          'gatewayresponse.header.x-claim': 'context.authorizer.claims.sub',
          'gatewayresponse.header.x-api': 'context.apiId',
          'gatewayresponse.header.x-error-type': 'context.error.responseType',
          'gatewayresponse.header.x-error': 'context.error.message',
        },
      },
    });
  });

  it('maps static values, method request values, stage variables and context variables (AWS console example)', async () => {
    server.stageVariables = { a: 'alpha' };
    server.context = {
      apiId: 'o81lxisefl',
      authorizer: { principalId: 'user-1' },
      'authorizer.claims.sub': 'subject-9',
    };
    const res = await raise('MISSING_AUTHENTICATION_TOKEN', {
      path: '/pets/5?q=1&q=2',
      headers: { 'x-amzn-RequestId': '123344566', 'x-multi': 'one' },
    });
    expect(res.status).toBe(404);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'a.b.c',
      'x-request-id': '123344566',
      'x-request-path': '5',
      'x-request-query': '2',
      'x-all-query': '1,2',
      'x-all-header': 'one',
      'x-stage-a': 'alpha',
      'x-stage': 'test',
      'x-request': 'f1f2f3f4-0000-4000-8000-000000000001',
      'x-method': 'GET',
      'x-resource': '/pets/{petId}',
      'x-ip': '127.0.0.1',
      'x-principal': 'user-1',
      'x-claim': 'subject-9',
      'x-api': 'o81lxisefl',
      'x-error-type': 'MISSING_AUTHENTICATION_TOKEN',
      'x-error': 'Missing Authentication Token',
      'x-amzn-errortype': 'MissingAuthenticationTokenException',
    });
  });

  it('omits headers whose source has no value', async () => {
    const res = await raise('MISSING_AUTHENTICATION_TOKEN', { path: '/elsewhere' });
    expect(res.headers['access-control-allow-origin']).toBe('a.b.c');
    for (const name of [
      'x-request-id',
      'x-request-path',
      'x-request-query',
      'x-all-query',
      'x-stage-a',
      'x-principal',
    ]) {
      expect(res.headers[name]).toBeUndefined();
    }
  });

  it('omits a value that cannot be a header instead of failing the response', async () => {
    const res = await raise('MISSING_AUTHENTICATION_TOKEN', { path: '/pets/%E2%9C%93?q=%0Aevil' });
    expect(res.status).toBe(404);
    expect(res.headers['x-request-query']).toBeUndefined();
    expect(res.headers['x-request-path']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe('a.b.c');
  });

  it('never reads names such as constructor off Object.prototype', async () => {
    configure({
      THROTTLED: {
        responseParameters: {
          'gatewayresponse.header.x-a': 'stageVariables.constructor',
          'gatewayresponse.header.x-b': 'method.request.path.toString',
          'gatewayresponse.header.x-c': 'context.constructor',
          'gatewayresponse.header.x-d': 'context.identity.hasOwnProperty',
          'gatewayresponse.header.x-e': 'method.request.header.__proto__',
        },
      },
    });
    const res = await raise('THROTTLED');
    expect(res.status).toBe(429);
    for (const name of ['x-a', 'x-b', 'x-c', 'x-d', 'x-e']) expect(res.headers[name]).toBeUndefined();
  });

  it('renders without a request context: static and stage values only', async () => {
    server.withoutContext = true;
    server.stageVariables = { a: 'alpha' };
    server.context = { stage: 'from-context' };
    const res = await raise('MISSING_AUTHENTICATION_TOKEN', { headers: { 'x-amzn-RequestId': 'ignored' } });
    expect(res.headers['access-control-allow-origin']).toBe('a.b.c');
    expect(res.headers['x-stage-a']).toBe('alpha');
    expect(res.headers['x-stage']).toBe('from-context');
    expect(res.headers['x-request-id']).toBeUndefined();
  });

  it('lets a mapping replace the Content-Type, whatever its case', async () => {
    configure({
      THROTTLED: {
        responseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
      },
    });
    const res = await raise('THROTTLED');
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toBe('{"message":"Too Many Requests"}');
  });
});

describe('templates', () => {
  it('exposes $context.error.* to the template', async () => {
    configure({
      BAD_REQUEST_BODY: {
        responseTemplates: {
          'application/json':
            '{"message":$context.error.messageString,"type":"$context.error.responseType",' +
            '"details":"$context.error.validationErrorString"}',
          'text/plain': '$context.error.message',
        },
      },
    });
    const headers = {
      'x-raise': 'BAD_REQUEST_BODY',
      'x-message': 'Invalid "body" \\ here',
      'x-validation': '[object has missing required properties ([name])]',
    };
    let res = await request(`${server.url}/pets/7`, { headers });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(await res.body.json()).toEqual({
      message: 'Invalid "body" \\ here',
      type: 'BAD_REQUEST_BODY',
      details: '[object has missing required properties ([name])]',
    });
    res = await request(`${server.url}/pets/7`, { headers: { ...headers, accept: 'text/plain' } });
    expect(await res.body.text()).toBe('Invalid "body" \\ here');
  });

  it('exposes $context, $stageVariables and request parameters (AWS console example)', async () => {
    server.stageVariables = { a: 'a-value' };
    configure({
      MISSING_AUTHENTICATION_TOKEN: {
        statusCode: '404',
        responseTemplates: {
          'application/json':
            '{"message":$context.error.messageString,"type":"$context.error.responseType",' +
            '"stage":"$context.stage","resourcePath":"$context.resourcePath","stageVariables.a":"$stageVariables.a",' +
            '"petId":"$input.params(\'petId\')","q":"$input.params(\'q\')","time":"$context.requestTime"}',
        },
      },
    });
    const res = await raise('MISSING_AUTHENTICATION_TOKEN', { path: '/pets/5?q=1' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({
      message: 'Missing Authentication Token',
      type: 'MISSING_AUTHENTICATION_TOKEN',
      stage: 'test',
      resourcePath: '/pets/{petId}',
      'stageVariables.a': 'a-value',
      petId: '5',
      q: '1',
      time: '02/May/2017:03:15:47 +0000',
    });
  });

  it('renders a null message as JSON null through messageString', async () => {
    configure({
      DEFAULT_5XX: { responseTemplates: { 'application/json': '{"m":$context.error.messageString}' } },
    });
    expect((await raise('AUTHORIZER_CONFIGURATION_ERROR')).body).toBe('{"m":null}');
  });

  it('sends a template without references as it is', async () => {
    configure({
      DEFAULT_4XX: { responseTemplates: { 'application/json': '{ "message": \'API-specific errors\' }' } },
    });
    expect((await raise('QUOTA_EXCEEDED')).body).toBe('{ "message": \'API-specific errors\' }');
  });

  describe('chosen by the request Accept header, else application/json, else the first', () => {
    beforeEach(() => {
      configure({
        THROTTLED: {
          responseTemplates: {
            'text/plain': 'slow down: $context.error.message',
            'application/json': '{"error":$context.error.messageString}',
            'application/xml': '<error>$context.error.message</error>',
          },
        },
        QUOTA_EXCEEDED: {
          responseTemplates: {
            'text/plain': 'quota: $context.error.message',
            'application/xml': '<quota/>',
          },
        },
      });
    });

    it.each([
      [undefined, 'application/json', '{"error":"Too Many Requests"}'],
      ['application/xml', 'application/xml', '<error>Too Many Requests</error>'],
      ['Application/XML', 'application/xml', '<error>Too Many Requests</error>'],
      ['text/plain', 'text/plain', 'slow down: Too Many Requests'],
      ['*/*', 'application/json', '{"error":"Too Many Requests"}'],
      ['image/png', 'application/json', '{"error":"Too Many Requests"}'],
      ['text/html, application/xml;q=0.9, */*;q=0.8', 'application/xml', '<error>Too Many Requests</error>'],
      ['application/xml;q=0.5, text/plain', 'text/plain', 'slow down: Too Many Requests'],
      ['text/plain;q=0, application/xml;q=0.1', 'application/xml', '<error>Too Many Requests</error>'],
    ])('Accept %j → %s', async (accept, contentType, body) => {
      const res = await raise('THROTTLED', accept === undefined ? {} : { headers: { accept } });
      expect(res.headers['content-type']).toBe(contentType);
      expect(res.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
      expect(res.body).toBe(body);
    });

    it('without an application/json template the first one is the fallback', async () => {
      const res = await raise('QUOTA_EXCEEDED', { headers: { accept: 'application/json' } });
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.body).toBe('quota: Limit Exceeded');
    });

    it('a single template is used whatever the client accepts, with its key as Content-Type', async () => {
      configure({ DEFAULT_4XX: { responseTemplates: { 'application/xml': '<e/>' } } });
      const res = await raise('ACCESS_DENIED', { headers: { accept: 'application/json' } });
      expect(res.headers['content-type']).toBe('application/xml');
      expect(res.body).toBe('<e/>');
    });
  });

  it('a template that fails to render sends the built-in body instead, and reports it', async () => {
    const reported: string[] = [];
    server.renderer = compileGatewayResponses(
      {
        THROTTLED: {
          statusCode: '503',
          responseParameters: { 'gatewayresponse.header.x-kept': "'yes'" },
          responseTemplates: { 'application/xml': '#foreach($i in [1..2000])x#end' },
        },
      },
      { onTemplateError: (type, contentType) => reported.push(`${type} ${contentType}`) },
    );
    const res = await raise('THROTTLED');
    expect(res.status).toBe(503);
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"message":"Too Many Requests"}');
    expect(reported).toEqual(['THROTTLED application/xml']);
  });

  it('a template that does not compile sends the built-in body instead, and is reported at compile time', async () => {
    const reported: string[] = [];
    server.renderer = compileGatewayResponses(
      { THROTTLED: { responseTemplates: { 'application/json': '#if($context.stage == "a") unterminated' } } },
      { onTemplateError: (type, contentType) => reported.push(`${type} ${contentType}`) },
    );
    expect(reported).toEqual(['THROTTLED application/json']);
    const res = await raise('THROTTLED');
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"message":"Too Many Requests"}');
  });
});
