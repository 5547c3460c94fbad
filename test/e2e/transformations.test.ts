// Mapping templates, validation, gateway responses, CORS, parameter mapping and compression,
// each through a real gateway and a real upstream.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { enableRestCors } from '../../src/features/cors/index.js';
import type { Integration, IntegrationResponse, RestApi } from '../../src/model/rest-api.js';
import { deploymentOf, httpApi, httpProxy, mock, restApi, stageOf } from '../helpers/apis.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let gateway: TestGateway;
let upstream: Upstream;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);

beforeAll(async () => {
  gateway = await startTestGateway();
  upstream = await startUpstream((req, res, body) => {
    if (req.url === '/png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
      return;
    }
    if (req.url === '/png-as-base64') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(PNG.toString('base64'));
      return;
    }
    if (req.url?.startsWith('/fail')) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-reason': 'boom' });
      res.end('{"error":"backend broke","code":42}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream-id': 'u-7' });
    res.end(JSON.stringify({ url: req.url, headers: req.headers, body: body.toString() }));
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

function serve(api: RestApi, variables: Record<string, string> = {}) {
  const d = deploymentOf(api);
  gateway.serve([[d, stageOf(d, 'v1', variables)]]);
  return (path: string) => gateway.invokeUrl(api.id, 'v1', path);
}

const http = (uri: string, extra: Partial<Integration>): Integration => ({
  type: 'HTTP',
  httpMethod: 'POST',
  uri,
  timeoutInMillis: 29_000,
  integrationResponses: { '200': { statusCode: '200' } },
  ...extra,
});

describe('REST mapping templates', () => {
  it('renders the request template chosen by Content-Type and the response template', async () => {
    const url = serve(
      restApi({
        'POST /orders/{id}': http(`${upstream.origin}/orders`, {
          requestTemplates: {
            'application/json':
              '#set($b = $input.path(\'$\'))\n{"id": "$input.params(\'id\')", "item": "$b.item", "qty": $b.qty, "stage": "$stageVariables.env", "q": "$input.params(\'q\')"}',
          },
          integrationResponses: {
            '200': {
              statusCode: '200',
              responseTemplates: { 'application/json': '#set($r = $input.path(\'$\'))\n{"sent": $r.body}' },
              responseParameters: {
                'method.response.header.X-Upstream': 'integration.response.header.x-upstream-id',
                'method.response.header.X-Static': "'yes'",
              },
            },
          },
        }),
      }),
      { env: 'test' },
    );
    const r = await request(url('/orders/17?q=fast'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item":"book","qty":3}',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-upstream']).toBe('u-7');
    expect(r.headers['x-static']).toBe('yes');
    expect(await r.body.json()).toEqual({
      sent: { id: '17', item: 'book', qty: 3, stage: 'test', q: 'fast' },
    });
  });

  it('answers 415 when passthroughBehavior refuses an unmapped Content-Type', async () => {
    const url = serve(
      restApi({
        'POST /never': http(`${upstream.origin}/x`, {
          passthroughBehavior: 'NEVER',
          requestTemplates: { 'application/json': '{}' },
        }),
        'POST /no-templates': http(`${upstream.origin}/x`, {
          passthroughBehavior: 'WHEN_NO_TEMPLATES',
          requestTemplates: { 'application/json': '{"mapped":true}' },
        }),
        'POST /match': http(`${upstream.origin}/x`, {
          passthroughBehavior: 'WHEN_NO_MATCH',
          requestTemplates: { 'application/json': '{}' },
        }),
      }),
    );
    for (const path of ['/never', '/no-templates']) {
      const r = await request(url(path), {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(r.statusCode).toBe(415);
      expect(await r.body.json()).toEqual({ message: 'Unsupported Media Type' });
    }
    const passed = await request(url('/match'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(((await passed.body.json()) as { body: string }).body).toBe('hi');
  });

  it('selects the integration response by the endpoint status and lets a template override the status', async () => {
    const url = serve(
      restApi({
        'POST /fail': http(`${upstream.origin}/fail`, {
          integrationResponses: {
            '200': { statusCode: '200' },
            '502': {
              statusCode: '502',
              selectionPattern: '5\\d{2}',
              responseTemplates: {
                'application/json':
                  '#set($e = $input.path(\'$\'))\n#set($context.responseOverride.status = 503)\n#set($context.responseOverride.header.Retry-After = "7")\n{"problem": "$e.error", "code": $e.code}',
              },
            },
          },
        }),
      }),
    );
    const r = await request(url('/fail'), { method: 'POST', body: '{}' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('7');
    expect(await r.body.json()).toEqual({ problem: 'backend broke', code: 42 });
  });

  it('renders a MOCK status from its request template', async () => {
    const url = serve(
      restApi({
        'GET /teapot': {
          type: 'MOCK',
          timeoutInMillis: 29_000,
          requestTemplates: {
            'application/json': '{"statusCode": #if($input.params(\'brew\') == "tea")418#{else}200#end}',
          },
          integrationResponses: {
            '200': { statusCode: '200', responseTemplates: { 'application/json': '{"brewed": "coffee"}' } },
            '418': {
              statusCode: '418',
              selectionPattern: '418',
              responseTemplates: { 'application/json': '{"brewed": "$input.params(\'brew\')"}' },
            },
          },
        },
      }),
    );
    const tea = await request(url('/teapot?brew=tea'));
    expect(tea.statusCode).toBe(418);
    expect(await tea.body.json()).toEqual({ brewed: 'tea' });
    const coffee = await request(url('/teapot'));
    expect(coffee.statusCode).toBe(200);
    expect(await coffee.body.json()).toEqual({ brewed: 'coffee' });
  });

  it('decodes a gzip request body before the template sees it', async () => {
    const url = serve(
      restApi({
        'POST /gz': http(`${upstream.origin}/gz`, {
          requestTemplates: { 'application/json': '{"name": "$input.path(\'$.name\')"}' },
        }),
      }),
    );
    const r = await request(url('/gz'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"name":"zipped"}'),
    });
    const seen = (await r.body.json()) as { body: string; headers: Record<string, string> };
    expect(JSON.parse(seen.body)).toEqual({ name: 'zipped' });
    expect(seen.headers['content-encoding']).toBeUndefined();
  });
});

describe('REST request validation, gateway responses and compression', () => {
  const validated = (): RestApi => {
    const api = restApi({ 'POST /pets': httpProxy(`${upstream.origin}/pets`) });
    const pets = api.resources.find((r) => r.path === '/pets')!;
    pets.resourceMethods.POST = {
      ...pets.resourceMethods.POST!,
      requestValidatorId: 'all',
      requestParameters: {
        'method.request.header.x-tenant': true,
        'method.request.querystring.version': true,
      },
      requestModels: { 'application/json': 'Pet' },
    };
    return {
      ...api,
      requestValidators: [
        { id: 'all', name: 'all', validateRequestBody: true, validateRequestParameters: true },
      ],
      models: [
        {
          name: 'Pet',
          contentType: 'application/json',
          schema: JSON.stringify({
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' } },
          }),
        },
      ],
      gatewayResponses: {
        BAD_REQUEST_BODY: {
          statusCode: '422',
          responseParameters: { 'gatewayresponse.header.x-tenant-echo': 'method.request.header.x-tenant' },
          responseTemplates: { 'application/json': '{"error": "$context.error.validationErrorString"}' },
        },
        DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      },
      minimumCompressionSize: 100,
    };
  };

  it('answers the missing parameters in AWS order and the invalid body through the custom gateway response', async () => {
    const url = serve(validated());
    const missing = await request(url('/pets'), { method: 'POST', body: '{}' });
    expect(missing.statusCode).toBe(400);
    expect(await missing.body.json()).toEqual({
      message: 'Missing required request parameters: [x-tenant, version]',
    });
    expect(missing.headers['access-control-allow-origin']).toBe('*');

    const invalid = await request(url('/pets?version=1'), {
      method: 'POST',
      headers: { 'x-tenant': 't1', 'content-type': 'application/json' },
      body: '{"name": 5}',
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.headers['x-tenant-echo']).toBe('t1');
    expect(invalid.headers['access-control-allow-origin']).toBeUndefined();
    expect(await invalid.body.text()).toContain(
      'instance type (integer) does not match any allowed primitive type',
    );

    const valid = await request(url('/pets?version=1'), {
      method: 'POST',
      headers: { 'x-tenant': 't1', 'content-type': 'application/json' },
      body: '{"name": "rex"}',
    });
    expect(valid.statusCode).toBe(200);
    expect(((await valid.body.json()) as { body: string }).body).toBe('{"name": "rex"}');
  });

  it('compresses responses at or above minimumCompressionSize', async () => {
    const url = serve(validated());
    const r = await request(url('/pets?version=1'), {
      method: 'POST',
      headers: { 'x-tenant': 't1', 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ name: 'x'.repeat(500) }),
    });
    expect(r.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await r.body.arrayBuffer())).toString()) as {
      body: string;
    };
    expect(body.body).toContain('xxxx');
  });
});

describe('CORS', () => {
  it('answers REST preflights through the OPTIONS mock methods "Enable CORS" adds', async () => {
    const url = serve(enableRestCors(restApi({ 'GET /items': mock(200, '{"ok":true}') }), {}));
    const r = await request(url('/items'), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    expect(String(r.headers['access-control-allow-headers'])).toContain('X-Api-Key');
    const missing = await request(url('/nowhere'));
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers HTTP API preflights itself and puts CORS headers on every response, errors included', async () => {
    const api = httpApi({ 'GET /things': `${upstream.origin}/things` });
    api.corsConfiguration = { allowOrigins: ['https://app.example'], allowMethods: ['GET'], maxAge: 600 };
    const d = deploymentOf(api);
    gateway.serve([[d, stageOf(d, '$default')]]);
    const url = (path: string) => gateway.invokeUrl(api.apiId, '$default', path);
    const preflight = await request(url('/things'), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.headers['access-control-max-age']).toBe('600');
    const actual = await request(url('/things'), { headers: { origin: 'https://app.example' } });
    expect(actual.headers['access-control-allow-origin']).toBe('https://app.example');
    await actual.body.text();
    const notFound = await request(url('/nope'), { headers: { origin: 'https://app.example' } });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await request(url('/things'), { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    await other.body.text();
  });
});

describe('HTTP API parameter mapping', () => {
  it('reshapes the request and the response as configured', async () => {
    const api = httpApi({
      'GET /users/{id}': {
        integrationUri: `${upstream.origin}/ignored`,
        requestParameters: {
          'overwrite:path': '/people/$request.path.id',
          'append:header.x-request': '$context.requestId',
          'overwrite:querystring.source': 'gateway',
          'remove:header.x-secret': "''",
        },
        responseParameters: {
          '200': {
            'overwrite:statuscode': '202',
            'append:header.x-mapped': '$response.header.x-upstream-id',
          },
        },
      },
    });
    const d = deploymentOf(api);
    gateway.serve([[d, stageOf(d, '$default')]]);
    const r = await request(gateway.invokeUrl(api.apiId, '$default', '/users/9?source=client'), {
      headers: { 'x-secret': 's3cr3t' },
    });
    expect(r.statusCode).toBe(202);
    expect(r.headers['x-mapped']).toBe('u-7');
    const seen = (await r.body.json()) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/people/9?source=gateway');
    expect(seen.headers['x-request']).toBe(r.headers['apigw-requestid']);
    expect(seen.headers['x-secret']).toBeUndefined();
  });
});

describe('REST request parameters, restricted headers and binary payloads', () => {
  it('maps values from the JSON body into the integration request', async () => {
    const url = serve(
      restApi({
        'POST /by-body': http(`${upstream.origin}/items/{id}`, {
          requestParameters: {
            'integration.request.path.id': 'method.request.body.item.id',
            'integration.request.header.x-tags': 'method.request.body.tags',
            'integration.request.querystring.raw': 'method.request.body',
          },
        }),
      }),
    );
    const r = await request(url('/by-body'), {
      method: 'POST',
      body: '{"item":{"id":"a b"},"tags":["x","y"]}',
    });
    const seen = (await r.body.json()) as { url: string; headers: Record<string, string>; body: string };
    expect(seen.url).toBe(`/items/a%20b?raw=${encodeURIComponent('{"item":{"id":"a b"},"tags":["x","y"]}')}`);
    expect(seen.headers['x-tags']).toBe('["x","y"]');
    expect(seen.body).toBe('{"item":{"id":"a b"},"tags":["x","y"]}');
  });

  it('refuses to map onto a restricted header: the route answers 500 and the deploy says why', async () => {
    const url = serve(
      restApi({
        'GET /restricted': http(`${upstream.origin}/x`, {
          requestParameters: { 'integration.request.header.Content-Length': "'5'" },
        }),
      }),
    );
    const r = await request(url('/restricted'));
    expect(r.statusCode).toBe(500);
    expect(await r.body.json()).toEqual({ message: 'Internal server error' });
    expect(gateway.warnings.some((w) => w.includes('Content-Length is a restricted header'))).toBe(true);
  });

  it('converts binary payloads as contentHandling says', async () => {
    const api = restApi({
      'POST /image': http(`${upstream.origin}/image`, {
        contentHandling: 'CONVERT_TO_TEXT',
        requestTemplates: { 'image/png': '{"image": "$input.body"}' },
        integrationResponses: {
          '200': {
            statusCode: '200',
            responseTemplates: { 'application/json': "$util.base64Encode($input.path('$.body'))" },
            contentHandling: 'CONVERT_TO_BINARY',
          },
        },
      }),
    });
    const url = serve({ ...api, binaryMediaTypes: ['image/png'] });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const r = await request(url('/image'), {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    expect(r.statusCode).toBe(200);
    // The endpoint saw base64 text inside the template; the client gets the endpoint's body back as bytes.
    const returned = Buffer.from(await r.body.arrayBuffer()).toString();
    expect(JSON.parse(returned)).toEqual({ image: png.toString('base64') });
  });

  it("converts responses by AWS's table: payload type, first Accept type, contentHandling", async () => {
    const route = (path: string, extra: Partial<IntegrationResponse> = {}) =>
      http(`${upstream.origin}${path}`, {
        httpMethod: 'GET',
        integrationResponses: { '200': { statusCode: '200', ...extra } },
      });
    const api = restApi({
      'GET /png': route('/png'),
      'GET /png/text': route('/png', { contentHandling: 'CONVERT_TO_TEXT' }),
      'GET /png/binary': route('/png', { contentHandling: 'CONVERT_TO_BINARY' }),
      'GET /png/template': route('/png', {
        contentHandling: 'CONVERT_TO_TEXT',
        responseTemplates: { 'application/json': '{"image": "$input.body"}' },
      }),
      'GET /base64': route('/png-as-base64'),
      'GET /base64/binary': route('/png-as-base64', { contentHandling: 'CONVERT_TO_BINARY' }),
      'GET /base64/text': route('/png-as-base64', { contentHandling: 'CONVERT_TO_TEXT' }),
    });
    const url = serve({ ...api, binaryMediaTypes: ['image/png'] });
    const get = async (path: string, accept: string) => {
      const r = await request(url(path), { headers: { accept } });
      expect(r.statusCode).toBe(200);
      return Buffer.from(await r.body.arrayBuffer());
    };
    const base64 = PNG.toString('base64');
    // A binary payload: bytes for a client that asks for a binary type (only the first counts)
    // or with CONVERT_TO_BINARY; base64 text for one that does not, or with CONVERT_TO_TEXT.
    expect(await get('/png', 'image/png')).toEqual(PNG);
    expect(await get('/png', 'image/png, application/json')).toEqual(PNG);
    expect((await get('/png', 'application/json, image/png')).toString()).toBe(base64);
    expect((await get('/png/text', 'image/png')).toString()).toBe(base64);
    expect(await get('/png/binary', 'application/json')).toEqual(PNG);
    // The response template sees the base64 text.
    expect(JSON.parse((await get('/png/template', 'application/json')).toString())).toEqual({
      image: base64,
    });
    // A text payload: decoded for a client that asks for a binary type, or for CONVERT_TO_BINARY.
    expect(await get('/base64', 'image/png')).toEqual(PNG);
    expect((await get('/base64', 'application/json')).toString()).toBe(base64);
    expect(await get('/base64/binary', 'application/json')).toEqual(PNG);
    expect((await get('/base64/text', 'image/png')).toString()).toBe(base64);
  });

  it('lets a MOCK response template override the status', async () => {
    const url = serve(
      restApi({
        'GET /moved': {
          type: 'MOCK',
          timeoutInMillis: 29_000,
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: {
            '200': {
              statusCode: '200',
              responseTemplates: {
                'application/json':
                  '#set($context.responseOverride.status = 301)\n#set($context.responseOverride.header.Location = "https://example.com/new")\n{}',
              },
            },
          },
        },
      }),
    );
    const r = await request(url('/moved'));
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('https://example.com/new');
    await r.body.text();
  });
});
