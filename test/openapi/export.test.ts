import { describe, expect, it } from 'vitest';
import type { HttpApi } from '../../src/model/http-api.js';
import type { RestApi } from '../../src/model/rest-api.js';
import { exportOpenApi, serializeDocument } from '../../src/openapi/export.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { parseDocument } from '../../src/openapi/parse.js';
import { at, httpFixture, keysAt, methodAt, normalizeApi, restFixture } from './helpers.js';

function exported(api: RestApi | HttpApi, opts = {}): Record<string, unknown> {
  return exportOpenApi(api, opts);
}

describe('REST export', () => {
  it('writes OpenAPI 3.0.1 with integrations spelled as AWS exports them', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const doc = exported(api);
    expect(at(doc, 'openapi')).toBe('3.0.1');
    expect(at(doc, 'info')).toEqual({ title: 'PetStore', version: '2024-03-01T10:15:00Z' });
    expect(doc).not.toHaveProperty('x-amazon-apigateway-importexport-version');
    expect(at(doc, 'paths', '/pets/{petId}', 'get', 'x-amazon-apigateway-integration')).toEqual({
      type: 'http',
      httpMethod: 'GET',
      uri: 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets/{id}',
      requestParameters: { 'integration.request.path.id': 'method.request.path.petId' },
      responses: {
        default: { statusCode: '200' },
        '.*not found.*': { statusCode: '404' },
        '5\\d{2}': { statusCode: '500' },
      },
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 5000,
    });
  });

  it('writes ANY as x-amazon-apigateway-any-method and media types unescaped', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const doc = exported(api);
    expect(keysAt(doc, 'paths', '/{proxy+}')).toEqual(['x-amazon-apigateway-any-method']);
    expect(at(doc, 'x-amazon-apigateway-binary-media-types')).toEqual([
      'application/octet-stream',
      'image/png',
    ]);
    expect(keysAt(doc, 'components', 'schemas')).toEqual([
      'Empty',
      'Error',
      'Pet',
      'Pets',
      'NewPet',
      'NewPetResponse',
    ]);
    expect(at(doc, 'components', 'schemas', 'Pets')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Pet' },
    });
  });

  it('writes the root extensions, validators by name, authorizers and the API key and SigV4 schemes', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    const doc = exported(api);
    expect(at(doc, 'x-amazon-apigateway-api-key-source')).toBe('AUTHORIZER');
    expect(at(doc, 'x-amazon-apigateway-minimum-compression-size')).toBe(1024);
    expect(at(doc, 'x-amazon-apigateway-policy')).toMatchObject({ Version: '2012-10-17' });
    expect(at(doc, 'x-amazon-apigateway-endpoint-configuration')).toEqual({
      types: ['REGIONAL'],
      disableExecuteApiEndpoint: true,
    });
    expect(at(doc, 'x-amazon-apigateway-request-validators')).toEqual({
      basic: { validateRequestBody: true, validateRequestParameters: true },
      'params-only': { validateRequestBody: false, validateRequestParameters: true },
    });
    expect(at(doc, 'x-amazon-apigateway-gateway-responses')).toHaveProperty(
      'INVALID_API_KEY.statusCode',
      '429',
    );
    expect(keysAt(doc, 'components', 'securitySchemes')).toEqual([
      'tokenAuth',
      'cognito',
      'api_key',
      'sigv4',
    ]);
    expect(at(doc, 'components', 'securitySchemes', 'api_key')).toEqual({
      type: 'apiKey',
      name: 'x-api-key',
      in: 'header',
    });
    expect(at(doc, 'paths', '/pets', 'get', 'security')).toEqual([{ tokenAuth: [], api_key: [] }]);
    expect(at(doc, 'paths', '/pets', 'get', 'x-amazon-apigateway-request-validator')).toBe('params-only');
    expect(at(doc, 'paths', '/admin', 'get', 'security')).toEqual([{ sigv4: [] }]);
    expect(at(doc, 'paths', '/pets', 'post', 'security')).toEqual([{ cognito: ['pets/write'] }]);
  });

  it('leaves out the default API key source and an empty list of binary media types', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    const doc = exported(api);
    expect(doc).not.toHaveProperty('x-amazon-apigateway-api-key-source');
    expect(doc).not.toHaveProperty('x-amazon-apigateway-binary-media-types');
  });

  it('puts back every unknown extension and kept part where it came from', async () => {
    const { api } = await restFixture('unknown-extensions.openapi.yaml');
    const doc = exported(api);
    expect(at(doc, 'info')).toMatchObject({
      'x-info-owner': 'platform-team',
      license: { name: 'Apache-2.0' },
    });
    expect(at(doc, 'x-root-vendor')).toEqual({ feature: 'enabled', level: 3 });
    expect(at(doc, 'x-amazon-apigateway-documentation')).toHaveProperty('version', '1');
    expect(at(doc, 'externalDocs')).toEqual({ url: 'https://docs.example.com/kept' });
    expect(at(doc, 'servers')).toEqual([
      { url: 'https://api.example.com/v1', 'x-server-region': 'eu-west-1' },
    ]);
    expect(at(doc, 'tags')).toEqual([
      { name: 'pets', description: 'Pet operations', 'x-tag-color': 'green' },
      { name: 'owner', 'x-amazon-apigateway-tag-value': 'platform' },
    ]);
    const pets = at(doc, 'paths', '/pets');
    expect(pets).toMatchObject({ summary: 'Pets', 'x-path-owner': 'pets-team' });
    expect(at(pets, 'get')).toMatchObject({
      operationId: 'listPets',
      'x-operation-flag': true,
      deprecated: false,
    });
    expect(at(pets, 'get', 'responses', '2XX')).toEqual({ description: 'Any success' });
    expect(at(pets, 'get', 'security')).toEqual([{ oauth: ['read'] }]);
    expect(at(pets, 'get', 'x-amazon-apigateway-integration')).toMatchObject({
      'x-integration-note': 'kept',
      responses: { default: { statusCode: '200', 'x-response-mapping-note': 'kept too' } },
    });
    expect(at(doc, 'paths', '/pets/{id}/photos')).toEqual({ 'x-path-only': true });
    expect(at(doc, 'paths', '/owners/{ownerId}', 'get', 'callbacks')).toHaveProperty('onChange');
    expect(at(doc, 'components', 'securitySchemes', 'oauth')).toHaveProperty('x-scheme-note', 'kept');
    expect(at(doc, 'components', 'examples')).toEqual({ Pet: { value: { name: 'Rex' } } });
  });

  it('writes intermediate resources only through their children', async () => {
    const { api } = await restFixture('stage-variables.openapi.yaml');
    expect(keysAt(exported(api), 'paths')).toEqual(['/pets', '/pets/{id}', '/legacy/{proxy+}']);
  });
});

describe('HTTP API export', () => {
  it('writes importexport-version 1.0, the $default route and integrations as AWS exports them', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    const doc = exported(api);
    expect(at(doc, 'x-amazon-apigateway-importexport-version')).toBe('1.0');
    expect(at(doc, 'paths', '/$default')).toEqual({
      'x-amazon-apigateway-any-method': {
        isDefaultRoute: true,
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'ANY',
          uri: 'https://fallback.example.com/',
          payloadFormatVersion: '1.0',
          timeoutInMillis: 30_000,
        },
      },
    });
    expect(at(doc, 'paths', '/static/{proxy+}')).toHaveProperty('x-amazon-apigateway-any-method');
    expect(at(doc, 'paths', '/orders', 'post', 'x-amazon-apigateway-integration')).toMatchObject({
      requestParameters: { 'append:header.x-source': 'gatehouse' },
    });
  });

  it('writes cors, IAM as x-amazon-apigateway-auth, and authorizers with their identity sources joined', async () => {
    const { api } = await httpFixture('later-features-http.openapi.yaml');
    const doc = exported(api);
    expect(at(doc, 'x-amazon-apigateway-cors')).toEqual(api.corsConfiguration);
    expect(at(doc, 'paths', '/internal', 'get', 'x-amazon-apigateway-auth')).toEqual({ type: 'AWS_IAM' });
    expect(at(doc, 'paths', '/internal', 'get')).not.toHaveProperty('security');
    expect(at(doc, 'paths', '/payments', 'get', 'security')).toEqual([{ jwtAuth: ['payments.read'] }]);
    expect(
      at(doc, 'components', 'securitySchemes', 'lambdaAuth', 'x-amazon-apigateway-authorizer'),
    ).toMatchObject({
      type: 'request',
      identitySource: '$request.header.Authorization, $request.querystring.token',
    });
  });
});

describe('export options', () => {
  it('writes the server URL with the stage as its path', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    expect(exported(api, { serverUrl: 'https://gw.example.com/', stageName: 'prod' }).servers).toEqual([
      { url: 'https://gw.example.com/prod' },
    ]);
    expect(exported(api, { stageName: 'dev' }).servers).toEqual([{ url: '/dev' }]);
  });

  it('serves the $default stage at the root', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(exported(api, { stageName: '$default' }).servers).toEqual([{ url: '/' }]);
    expect(exported(api, { serverUrl: 'http://localhost:8080', stageName: '$default' }).servers).toEqual([
      { url: 'http://localhost:8080' },
    ]);
  });
});

describe('export after the model changed', () => {
  it('describes parameters, models and method responses as the model now has them', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    const list = methodAt(api, '/pets', 'GET');
    list.requestParameters = {
      'method.request.querystring.limit': true,
      'method.request.querystring.sort': false,
    };
    list.methodResponses = {
      '200': list.methodResponses?.['200'] ?? { statusCode: '200' },
      '404': {
        statusCode: '404',
        responseParameters: { 'method.response.header.X-Reason': true },
        responseModels: { 'application/json': 'Error' },
      },
    };
    const create = methodAt(api, '/pets', 'POST');
    create.requestModels = { 'application/json': 'Pet', 'application/xml': 'NewPet' };
    const get = methodAt(api, '/pets/{petId}', 'GET');
    get.requestParameters = { 'method.request.path.petId': true, 'method.request.header.X-Trace': true };

    const doc = exported(api);
    expect(at(doc, 'paths', '/pets', 'get', 'parameters')).toEqual([
      { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
      { name: 'sort', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(at(doc, 'paths', '/pets', 'get', 'responses', '404')).toEqual({
      description: '404 response',
      headers: { 'X-Reason': { schema: { type: 'string' }, required: true } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(at(doc, 'paths', '/pets', 'get', 'responses')).not.toHaveProperty('500');
    expect(at(doc, 'paths', '/pets', 'post', 'requestBody', 'content')).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/Pet' } },
      'application/xml': { schema: { $ref: '#/components/schemas/NewPet' } },
    });
    expect(at(doc, 'paths', '/pets/{petId}', 'get', 'parameters')).toEqual([
      { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } },
    ]);

    const again = importOpenApi(doc).api as RestApi;
    for (const [path, verb] of [
      ['/pets', 'GET'],
      ['/pets', 'POST'],
      ['/pets/{petId}', 'GET'],
    ] as const) {
      const before = methodAt(api, path, verb);
      const after = methodAt(again, path, verb);
      expect(after.requestParameters).toEqual(before.requestParameters);
      expect(after.requestModels).toEqual(before.requestModels);
      expect(after.methodResponses).toEqual(before.methodResponses);
    }
  });

  it('exports an API built without any OpenAPI content, and imports it back', () => {
    const api: RestApi = {
      protocolType: 'REST',
      id: 'abcdefghij',
      name: 'Built by hand',
      createdDate: 1,
      binaryMediaTypes: ['*/*'],
      apiKeySource: 'HEADER',
      resources: [
        { id: 'root01', pathPart: '', path: '/', resourceMethods: {} },
        {
          id: 'items1',
          parentId: 'root01',
          pathPart: 'items',
          path: '/items',
          resourceMethods: {
            GET: {
              httpMethod: 'GET',
              authorizationType: 'AWS_IAM',
              apiKeyRequired: true,
              requestParameters: { 'method.request.querystring.q': false },
              methodResponses: {
                '200': { statusCode: '200', responseParameters: { 'method.response.header.ETag': false } },
              },
              methodIntegration: {
                type: 'HTTP_PROXY',
                httpMethod: 'GET',
                uri: 'https://items.example.com/items',
                timeoutInMillis: 1000,
              },
            },
          },
        },
      ],
    };
    const again = importOpenApi(exportOpenApi(api)).api as RestApi;
    const method = methodAt(again, '/items', 'GET');
    expect({ ...method, openapi: undefined }).toEqual({
      ...api.resources[1]?.resourceMethods.GET,
      openapi: undefined,
    });
    expect(again.binaryMediaTypes).toEqual(['*/*']);
  });
});

describe('serializeDocument', () => {
  it('writes JSON with a trailing newline', () => {
    const text = serializeDocument({ openapi: '3.0.1' }, 'json');
    expect(text).toBe('{\n  "openapi": "3.0.1"\n}\n');
  });

  it('quotes YAML strings that other readers would take for booleans, numbers or dates', () => {
    const doc = { a: 'yes', b: 'on', c: '1.0', d: '2024-03-01', e: '0777', f: 'plain' };
    const text = serializeDocument(doc, 'yaml');
    expect(text).toBe('a: "yes"\nb: "on"\nc: "1.0"\nd: "2024-03-01"\ne: "0777"\nf: plain\n');
    expect(parseDocument(text, 'x.yaml')).toEqual(doc);
  });

  it('writes shared objects out in full rather than as YAML aliases', () => {
    const shared = { type: 'string' };
    const text = serializeDocument({ a: shared, b: shared }, 'yaml');
    expect(text).not.toContain('&');
    expect(text).not.toContain('*');
    expect(parseDocument(text, 'x.yaml')).toEqual({ a: shared, b: shared });
  });

  it('round-trips a whole export through YAML', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    const doc = exportOpenApi(api);
    expect(parseDocument(serializeDocument(doc, 'yaml'), 'api.yaml')).toEqual(doc);
    expect(
      normalizeApi(importOpenApi(parseDocument(serializeDocument(doc, 'json'), 'api.json')).api),
    ).toEqual(normalizeApi(api));
  });
});
