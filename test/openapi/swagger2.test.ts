import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../../src/openapi/import.js';
import { upgradeSwagger2 } from '../../src/openapi/swagger2.js';
import { methodAt, restFixture } from './helpers.js';

describe('Swagger 2.0 import', () => {
  it('turns body parameters into a request body with the consumed media types', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    const add = methodAt(api, '/pets', 'POST');
    expect(add.requestModels).toEqual({ 'application/json': 'NewPet' });
    expect(add.openapi?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } },
    });
    expect(add.openapi).not.toHaveProperty('parameters');
  });

  it('turns form fields into a multipart body, with files as binary strings', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    const upload = methodAt(api, '/pets/{id}/photo', 'POST');
    expect(upload.requestParameters).toEqual({ 'method.request.path.id': true });
    expect(upload.openapi?.requestBody).toEqual({
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' }, caption: { type: 'string' } },
            required: ['file'],
          },
        },
      },
    });
  });

  it('moves parameter types into schemas and maps collectionFormat', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    const find = methodAt(api, '/pets', 'GET');
    expect(find.requestParameters).toEqual({
      'method.request.querystring.tags': false,
      'method.request.querystring.limit': false,
    });
    expect(find.openapi?.parameters).toEqual([
      {
        name: 'tags',
        in: 'query',
        style: 'form',
        explode: true,
        schema: { type: 'array', items: { type: 'string' } },
      },
      { $ref: '#/components/parameters/Limit' },
    ]);
  });

  it('moves response schemas into content and header types into schemas', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    const responses = methodAt(api, '/pets', 'GET').openapi?.responses;
    expect(responses).toEqual({
      '200': {
        description: 'pet response',
        headers: { 'X-Rate-Limit': { schema: { type: 'integer', format: 'int32' } } },
        content: {
          'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } },
        },
      },
      default: { $ref: '#/components/responses/Error' },
    });
  });

  it('applies the document security unless an operation sets its own', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    expect(methodAt(api, '/pets', 'GET').apiKeyRequired).toBe(true);
    expect(methodAt(api, '/pets', 'POST').apiKeyRequired).toBe(true);
    expect(methodAt(api, '/pets/{id}/photo', 'POST').apiKeyRequired).toBe(false);
  });

  it('moves definitions, parameters, responses and security definitions into components', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    expect(api.models?.map((m) => m.name)).toEqual(['Pet', 'NewPet', 'Error']);
    expect(api.openapi?.components).toEqual({
      parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } } },
      responses: {
        Error: {
          description: 'unexpected error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } },
    });
    expect(api.openapi?.servers).toEqual([{ url: 'https://petstore.example.com/v2' }]);
  });
});

describe('upgradeSwagger2', () => {
  it('turns a reference to a body parameter into a reference to a request body', () => {
    const upgraded = upgradeSwagger2({
      swagger: '2.0',
      paths: { '/a': { post: { parameters: [{ $ref: '#/parameters/Body' }], responses: {} } } },
      parameters: { Body: { name: 'body', in: 'body', schema: { $ref: '#/definitions/A' } } },
      definitions: { A: { type: 'object' } },
    });
    expect(upgraded).toEqual({
      openapi: '3.0.1',
      paths: { '/a': { post: { requestBody: { $ref: '#/components/requestBodies/Body' }, responses: {} } } },
      components: {
        schemas: { A: { type: 'object' } },
        requestBodies: {
          Body: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } },
        },
      },
    });
  });

  it('gives every operation the body parameter of its path item', () => {
    const upgraded = upgradeSwagger2({
      swagger: '2.0',
      consumes: ['text/plain'],
      paths: {
        '/a': {
          parameters: [
            { name: 'text', in: 'body', schema: { type: 'string' } },
            { name: 'q', in: 'query', type: 'string' },
          ],
          put: {},
          post: { parameters: [] },
        },
      },
    });
    const body = { content: { 'text/plain': { schema: { type: 'string' } } } };
    expect(upgraded.paths).toEqual({
      '/a': {
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
        put: { requestBody: body },
        post: { requestBody: body },
      },
    });
  });

  it('converts OAuth2 flows, keeping extensions', () => {
    const upgraded = upgradeSwagger2({
      swagger: '2.0',
      securityDefinitions: {
        oauth: {
          type: 'oauth2',
          flow: 'accessCode',
          authorizationUrl: 'https://a',
          tokenUrl: 'https://t',
          scopes: { r: 'read' },
          'x-k': 1,
        },
      },
    });
    expect(upgraded.components).toEqual({
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          'x-k': 1,
          flows: {
            authorizationCode: {
              scopes: { r: 'read' },
              authorizationUrl: 'https://a',
              tokenUrl: 'https://t',
            },
          },
        },
      },
    });
  });

  it('accepts swagger: 2.0 read by YAML as a number', () => {
    const { api } = importOpenApi({ swagger: 2, info: { title: 'n' }, paths: {} });
    expect(api.protocolType).toBe('REST');
  });
});
