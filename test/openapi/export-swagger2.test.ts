// Swagger 2.0 export: every REST fixture comes back as the same API through Swagger 2.0, less
// exactly what Swagger 2.0 cannot say (each loss listed); the documents are valid Swagger 2.0
// and look like AWS's own swagger exports. A new REST fixture is covered by adding the file;
// one with something Swagger 2.0 cannot hold needs its entry in LOSSES.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runExport, runImport } from '../../src/cli/config-commands.js';
import type { RestApi } from '../../src/model/rest-api.js';
import { exportSwagger2, serializeDocument } from '../../src/openapi/export.js';
import { swagger2Of } from '../../src/openapi/export-swagger2.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { parseDocument, loadDocument } from '../../src/openapi/parse.js';
import { isObject, type JsonObject } from '../../src/openapi/values.js';
import {
  FIXTURES,
  at,
  importFixture,
  methodAt,
  normalizeApi,
  restFixture,
  validFixtureNames,
} from './helpers.js';

const kinds = await Promise.all(
  validFixtureNames().map(async (name) => [name, (await importFixture(name)).api.protocolType] as const),
);
const restFixtures = kinds.filter(([, kind]) => kind === 'REST').map(([name]) => name);

/** Per fixture: the omissions reported, and the API as it comes back without them. */
const LOSSES: Record<string, { omitted: string[]; apply(api: RestApi): void }> = {
  'petstore-rest.openapi.yaml': {
    omitted: [
      '/servers/0/variables: Swagger 2.0 has no server variables; their defaults are written in',
      '/paths/~1pets/post/responses/201/headers/Location/required: Swagger 2.0 headers have no required; left out',
    ],
    apply(api) {
      api.openapi!.servers = [{ url: 'https://petstore.example.com/prod' }];
      const post = methodAt(api, '/pets', 'POST');
      post.methodResponses!['201']!.responseParameters!['method.response.header.Location'] = false;
      delete (at(post.openapi, 'responses', '201', 'headers', 'Location') as JsonObject).required;
    },
  },
  'unknown-extensions.openapi.yaml': {
    omitted: [
      '/servers/0/x-server-region: Swagger 2.0 servers are a host and base path only; left out',
      '/paths/~1pets/summary: Swagger 2.0 path items have no summary; left out',
      '/paths/~1pets/description: Swagger 2.0 path items have no description; left out',
      '/paths/~1pets/get/responses/2XX: Swagger 2.0 has no status code ranges; left out',
      '/paths/~1owners~1{ownerId}/get/parameters/1: Swagger 2.0 has no cookie parameters; left out',
      '/paths/~1owners~1{ownerId}/get/callbacks: Swagger 2.0 operations have no callbacks; left out',
      '/components/examples: Swagger 2.0 has no reusable examples; left out',
    ],
    apply(api) {
      const kept = api.openapi!;
      delete (at(kept, 'servers', '0') as JsonObject)['x-server-region'];
      const pets = at(kept, 'paths', '/pets') as JsonObject;
      delete pets.summary;
      delete pets.description;
      delete (at(kept, 'components') as JsonObject).examples;
      delete (at(methodAt(api, '/pets', 'GET').openapi, 'responses') as JsonObject)['2XX'];
      const owner = methodAt(api, '/owners/{ownerId}', 'GET').openapi!;
      owner.parameters = (owner.parameters as unknown[]).slice(0, 1);
      delete owner.callbacks;
    },
  },
};

async function expectedBack(name: string): Promise<unknown> {
  const { api } = await restFixture(name);
  LOSSES[name]?.apply(api);
  return normalizeApi(api);
}

/** Swagger-parser's complaints, one per line; it changes the object it is given, so it gets a copy. */
async function schemaProblems(document: JsonObject): Promise<string[]> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never);
    return [];
  } catch (error) {
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }
}

/** Operations the document writes with `responses: {}`, as AWS writes methods without method responses. */
function emptyResponses(document: JsonObject): string[] {
  const found: string[] = [];
  for (const [path, item] of Object.entries(document.paths as JsonObject)) {
    for (const [key, operation] of Object.entries(item as JsonObject)) {
      const responses = isObject(operation) ? operation.responses : undefined;
      if (isObject(responses) && Object.keys(responses).length === 0) found.push(`${path} ${key}`);
    }
  }
  return found;
}

describe('Swagger 2.0 export round trip', () => {
  it('has REST fixtures to run over', () => {
    expect(restFixtures).toEqual([
      'aws-rest-export.swagger.json',
      'later-features-rest.openapi.yaml',
      'petstore-rest.openapi.yaml',
      'stage-variables.openapi.yaml',
      'swagger2-petstore.yaml',
      'unknown-extensions.openapi.yaml',
    ]);
  });

  for (const name of restFixtures) {
    describe(name, () => {
      it('re-imports to the same API, less exactly what it reports left out', async () => {
        const { api } = await restFixture(name);
        const { document, omitted } = exportSwagger2(api);
        expect(document.swagger).toBe('2.0');
        expect(omitted).toEqual(LOSSES[name]?.omitted ?? []);
        expect(normalizeApi(importOpenApi(document).api)).toEqual(await expectedBack(name));
      });

      for (const format of ['json', 'yaml'] as const) {
        it(`survives serialisation as ${format}`, async () => {
          const { api } = await restFixture(name);
          const text = serializeDocument(exportSwagger2(api).document, format);
          const again = importOpenApi(parseDocument(text, `swagger.${format}`)).api;
          expect(normalizeApi(again)).toEqual(await expectedBack(name));
        });
      }

      it('exports the same document again from its re-import, losing nothing more', async () => {
        const { api } = await restFixture(name);
        const first = exportSwagger2(api).document;
        const second = exportSwagger2(importOpenApi(first).api);
        expect(second.document).toEqual(first);
        expect(second.omitted).toEqual([]);
      });

      it("is valid Swagger 2.0, apart from AWS's empty responses", async () => {
        const { api } = await restFixture(name);
        const { document } = exportSwagger2(api);
        const expected = emptyResponses(document).flatMap((operation) => {
          const [path = '', key = ''] = operation.split(' ');
          // ANY is an extension to Swagger 2.0, so the schema does not look inside it.
          if (key.startsWith('x-')) return [];
          const where = `#/paths/${path.replaceAll('/', '~1')}/${key}/responses`;
          return [`${where} must NOT be valid`, `${where} must NOT have fewer than 1 properties`];
        });
        expect(await schemaProblems(document)).toEqual(expected);
      });
    });
  }
});

describe('Swagger 2.0 export', () => {
  it("writes AWS's own swagger export back as AWS wrote it, but for what Gatehouse always states", async () => {
    const original = (await loadDocument(join(FIXTURES, 'aws-rest-export.swagger.json'))) as JsonObject;
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const { document } = exportSwagger2(api);
    const expected = structuredClone(original);
    const node = (...keys: string[]) => at(expected, ...keys) as JsonObject;
    // Media types unescaped, the default timeout written out, and media types only where a schema has them.
    expected['x-amazon-apigateway-binary-media-types'] = ['application/octet-stream', 'image/png'];
    for (const [path, key] of [
      ['/', 'get'],
      ['/pets', 'post'],
      ['/{proxy+}', 'x-amazon-apigateway-any-method'],
    ] as const) {
      node('paths', path, key, 'x-amazon-apigateway-integration').timeoutInMillis = 29000;
    }
    delete node('paths', '/', 'get').consumes;
    delete node('paths', '/', 'get').produces;
    delete node('paths', '/{proxy+}', 'x-amazon-apigateway-any-method').produces;
    expect(document).toEqual(expected);
  });

  it('writes the server as host, base path and schemes, and a stage as the base path', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    const { document } = exportSwagger2(api);
    expect([document.host, document.basePath, document.schemes]).toEqual([
      'petstore.example.com',
      '/prod',
      ['https'],
    ]);
    const staged = exportSwagger2(api, { stageName: 'beta' }).document;
    expect([staged.host, staged.basePath, staged.schemes]).toEqual([undefined, '/beta', undefined]);
    const hosted = exportSwagger2(api, { serverUrl: 'http://gw.example.com:8080', stageName: 'beta' });
    expect([hosted.document.host, hosted.document.basePath, hosted.document.schemes]).toEqual([
      'gw.example.com:8080',
      '/beta',
      ['http'],
    ]);
  });

  it('writes form bodies as formData parameters, bodies as body parameters, and collection formats', async () => {
    const { api } = await restFixture('swagger2-petstore.yaml');
    const { document } = exportSwagger2(api);
    expect(at(document, 'paths', '/pets/{id}/photo', 'post')).toMatchObject({
      consumes: ['multipart/form-data'],
      parameters: [
        { name: 'id', in: 'path', required: true, type: 'integer' },
        { name: 'file', in: 'formData', required: true, type: 'file' },
        { name: 'caption', in: 'formData', type: 'string' },
      ],
    });
    expect(at(document, 'paths', '/pets', 'post', 'parameters')).toEqual([
      { in: 'body', name: 'NewPet', required: true, schema: { $ref: '#/definitions/NewPet' } },
    ]);
    expect(at(document, 'paths', '/pets', 'get', 'parameters')).toEqual([
      { name: 'tags', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
      { $ref: '#/parameters/Limit' },
    ]);
    expect(at(document, 'paths', '/pets', 'get', 'responses', '200', 'headers')).toEqual({
      'X-Rate-Limit': { type: 'integer', format: 'int32' },
    });
    expect(document.securityDefinitions).toEqual({
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      basicAuth: { type: 'basic' },
    });
    expect(document.responses).toEqual({
      Error: { description: 'unexpected error', schema: { $ref: '#/definitions/Error' } },
    });
  });

  it('keeps authorizers and every API Gateway extension where they were', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    const { document } = exportSwagger2(api);
    expect(Object.keys(document).filter((key) => key.startsWith('x-'))).toEqual([
      'x-amazon-apigateway-binary-media-types',
      'x-amazon-apigateway-api-key-source',
      'x-amazon-apigateway-minimum-compression-size',
      'x-amazon-apigateway-policy',
      'x-amazon-apigateway-endpoint-configuration',
      'x-amazon-apigateway-gateway-responses',
      'x-amazon-apigateway-request-validators',
    ]);
    expect(at(document, 'securityDefinitions', 'cognito')).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': {
        type: 'cognito_user_pools',
        identitySource: 'method.request.header.Authorization',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abcdef'],
      },
    });
    expect(at(document, 'paths', '/pets', 'get', 'x-amazon-apigateway-request-validator')).toBe(
      'params-only',
    );
    expect(at(document, 'paths', '/pets', 'post', 'security')).toEqual([{ cognito: ['pets/write'] }]);
  });

  it('writes an oauth2 scheme with its flow, as swagger2.ts reads it back', async () => {
    const { api } = await restFixture('unknown-extensions.openapi.yaml');
    expect(at(exportSwagger2(api).document, 'securityDefinitions', 'oauth')).toEqual({
      type: 'oauth2',
      'x-scheme-note': 'kept',
      flow: 'application',
      tokenUrl: 'https://auth.example.com/token',
      scopes: { read: 'Read pets' },
    });
  });

  it('writes methods without method responses with empty responses, as AWS does', async () => {
    const { api } = await restFixture('stage-variables.openapi.yaml');
    expect(emptyResponses(exportSwagger2(api).document)).toEqual([
      '/pets get',
      '/pets/{id} get',
      `/legacy/{proxy+} x-amazon-apigateway-any-method`,
    ]);
  });

  it('refuses HTTP APIs, which AWS exports as OpenAPI 3.0 only', async () => {
    const { api } = await importFixture('http-api-export.openapi.json');
    expect(() => exportSwagger2(api)).toThrow(
      `"${api.name}" is an HTTP API, which exports as OpenAPI 3.0 only (as on AWS); Swagger 2.0 is for REST APIs`,
    );
  });
});

describe('Swagger 2.0 from OpenAPI 3 it cannot fully hold', () => {
  const source: JsonObject = {
    openapi: '3.0.1',
    info: { title: 'Lossy', version: '1' },
    servers: [{ url: 'https://a.example.com/v1' }, { url: 'http://a.example.com/v1' }, { url: '/other' }],
    paths: {
      '/things': {
        post: {
          requestBody: {
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Thing' }, example: { a: 1 } },
              'application/xml': { schema: { type: 'string' } },
            },
          },
          responses: {
            '200': {
              description: 'OK',
              headers: { 'X-Shared': { $ref: '#/components/headers/Shared' } },
              content: { 'application/json': { schema: { type: 'object' }, example: { ok: true } } },
              links: { next: { operationId: 'next' } },
            },
          },
          security: [{ bearer: [], key: [] }, { bearer: [] }, {}],
        },
        put: {
          parameters: [{ $ref: '#/components/parameters/Session' }],
          requestBody: { $ref: '#/components/requestBodies/Thing' },
          responses: { '204': { description: 'Done' } },
        },
        trace: { responses: { '200': { description: 'Traced' } } },
      },
    },
    components: {
      schemas: { Thing: { type: 'object', properties: { self: { $ref: '#/components/schemas/Thing' } } } },
      requestBodies: {
        Thing: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
      },
      headers: { Shared: { schema: { type: 'string' } } },
      parameters: { Session: { name: 'session', in: 'cookie', schema: { type: 'string' } } },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', name: 'k', in: 'query' },
        oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' },
      },
    },
  };

  it('writes what it can and lists the rest', async () => {
    const { document, omitted } = swagger2Of(source);
    expect(await schemaProblems(document)).toEqual([]);
    expect(document).toEqual({
      swagger: '2.0',
      info: { title: 'Lossy', version: '1' },
      host: 'a.example.com',
      basePath: '/v1',
      schemes: ['https', 'http'],
      consumes: ['application/json'],
      paths: {
        '/things': {
          post: {
            consumes: ['application/json', 'application/xml'],
            produces: ['application/json'],
            parameters: [{ in: 'body', name: 'Thing', schema: { $ref: '#/definitions/Thing' } }],
            responses: {
              '200': {
                description: 'OK',
                schema: { type: 'object' },
                examples: { 'application/json': { ok: true } },
              },
            },
            security: [{ key: [] }, {}],
          },
          put: {
            consumes: ['application/json'],
            parameters: [{ $ref: '#/parameters/Thing' }],
            responses: { '204': { description: 'Done' } },
          },
        },
      },
      securityDefinitions: { key: { type: 'apiKey', name: 'k', in: 'query' } },
      definitions: { Thing: { type: 'object', properties: { self: { $ref: '#/definitions/Thing' } } } },
      parameters: {
        Thing: { in: 'body', name: 'Thing', required: true, schema: { $ref: '#/definitions/Thing' } },
      },
    });
    expect(omitted).toEqual([
      '/servers/2: Swagger 2.0 has one host and base path; left out',
      '/components/securitySchemes/bearer: Swagger 2.0 has apiKey, basic and oauth2 security schemes only; left out',
      '/components/securitySchemes/oidc: Swagger 2.0 has apiKey, basic and oauth2 security schemes only; left out',
      '/components/parameters/Session: Swagger 2.0 has no cookie parameters; left out',
      '/paths/~1things/post/requestBody/content/application~1json/example: Swagger 2.0 media types have no example; left out',
      '/paths/~1things/post/requestBody/content/application~1xml/schema: Swagger 2.0 gives every media type of a body one schema; left out',
      '/paths/~1things/post/responses/200/headers/X-Shared: Swagger 2.0 has no reusable headers; left out',
      '/paths/~1things/post/responses/200/links: Swagger 2.0 responses have no links; left out',
      '/paths/~1things/post/security/0/bearer: its security scheme has no place in Swagger 2.0; left out',
      '/paths/~1things/post/security/1/bearer: its security scheme has no place in Swagger 2.0; left out',
      '/paths/~1things/put/parameters/0: names a shared parameter Swagger 2.0 cannot hold; left out',
      '/paths/~1things/trace: Swagger 2.0 path items have no trace; left out',
      '/components/headers: Swagger 2.0 has no reusable headers; left out',
    ]);
  });
});

describe('gatehouse export --swagger', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-swagger-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (file: string, opts: { swagger?: boolean; format: 'json' | 'yaml' }) => {
    const imported = new PassThrough();
    await runImport(join(FIXTURES, file), { data: dir }, imported);
    const apiId = String(imported.read()).trim().split('\n').at(-1)!;
    const out = new PassThrough();
    const err = new PassThrough();
    await runExport(apiId, { ...opts, data: dir }, out, err);
    return { stdout: String(out.read() ?? ''), stderr: String(err.read() ?? '') };
  };

  it('prints Swagger 2.0 and lists on stderr what it left out', async () => {
    const { stdout, stderr } = await run('petstore-rest.openapi.yaml', { swagger: true, format: 'yaml' });
    const document = parse(stdout) as JsonObject;
    expect([document.swagger, document.host, document.basePath]).toEqual([
      '2.0',
      'petstore.example.com',
      '/prod',
    ]);
    expect(stderr).toBe(
      LOSSES['petstore-rest.openapi.yaml']!.omitted.map((line) => `warning: ${line}\n`).join(''),
    );
  });

  it('prints OpenAPI 3.0 without the flag', async () => {
    const { stdout, stderr } = await run('stage-variables.openapi.yaml', { format: 'json' });
    expect((JSON.parse(stdout) as JsonObject).openapi).toBe('3.0.1');
    expect(stderr).toBe('');
  });

  it('refuses Swagger 2.0 for an HTTP API', async () => {
    await expect(run('http-api-export.openapi.json', { swagger: true, format: 'json' })).rejects.toThrow(
      /is an HTTP API, which exports as OpenAPI 3\.0 only/,
    );
  });
});
