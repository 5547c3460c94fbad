// GetExport through the AWS SDK and the AWS CLI: the stage's deployed API as OpenAPI 3.0 or
// Swagger 2.0 in JSON or YAML, with the extensions the request asks for, and clear refusals for
// what Gatehouse does not export.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BadRequestException,
  CreateDeploymentCommand,
  GetExportCommand,
  ImportRestApiCommand,
  NotFoundException,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { awsCliAvailable } from '../helpers/services.js';

const hasAwsCli = awsCliAvailable();

interface ExportedDocument {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

let m: TestManagement;
let restApiId: string;
const AUTHORIZER_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';

const document = (path: string) => ({
  openapi: '3.0.1',
  info: { title: 'exported', version: '1' },
  'x-amazon-apigateway-api-key-source': 'HEADER',
  components: {
    securitySchemes: {
      tok: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: AUTHORIZER_URI },
      },
    },
  },
  paths: {
    [path]: {
      get: {
        security: [{ tok: [] }],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'http://backend.example/',
        },
      },
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200' } },
        },
      },
    },
  },
});

beforeAll(async () => {
  m = await startTestManagement();
  const api = await m.v1.send(
    new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document('/pets'))) }),
  );
  restApiId = api.id!;
  await m.v1.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  // The API changes after the deployment; the export shows what the stage serves.
  await m.v1.send(
    new PutRestApiCommand({
      restApiId,
      mode: 'overwrite',
      body: Buffer.from(JSON.stringify(document('/dogs'))),
    }),
  );
});
afterAll(() => m.close());

const exported = async (
  parameters: Record<string, string>,
  accepts = 'application/json',
  exportType = 'oas30',
) => {
  const result = await m.v1.send(
    new GetExportCommand({ restApiId, stageName: 'prod', exportType, parameters, accepts }),
  );
  return { contentType: result.contentType, text: Buffer.from(result.body!).toString('utf8') };
};

describe('GetExport', () => {
  it('exports the deployed API without API Gateway extensions by default', async () => {
    const { contentType, text } = await exported({});
    expect(contentType).toBe('application/json');
    const doc = JSON.parse(text) as ExportedDocument;
    expect(doc.openapi).toBe('3.0.1');
    expect(Object.keys(doc.paths)).toEqual(['/pets']);
    expect(text).not.toContain('x-amazon-apigateway-integration');
    expect(text).not.toContain('x-amazon-apigateway-authorizer');
    // ANY is an operation, not an extension: it stays.
    expect(doc.paths['/pets']?.['x-amazon-apigateway-any-method']).toBeDefined();
  });

  it('keeps the integrations, the authorizers, or every extension as asked', async () => {
    const integrations = JSON.parse(
      (await exported({ extensions: 'integrations' })).text,
    ) as ExportedDocument;
    expect(integrations.paths['/pets']?.['get']?.['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'http://backend.example/',
    });
    expect(JSON.stringify(integrations)).not.toContain('x-amazon-apigateway-authorizer');

    const authorizers = (await exported({ extensions: 'authorizers' })).text;
    expect(authorizers).toContain('x-amazon-apigateway-authorizer');
    expect(authorizers).not.toContain('x-amazon-apigateway-integration');

    const everything = (await exported({ extensions: 'apigateway' })).text;
    for (const name of ['integration', 'authorizer', 'authtype']) {
      expect(everything).toContain(`x-amazon-apigateway-${name}`);
    }
  });

  it('answers YAML for Accept: application/yaml', async () => {
    const { contentType, text } = await exported({ extensions: 'integrations' }, 'application/yaml');
    expect(contentType).toBe('application/yaml');
    const doc = parse(text) as ExportedDocument;
    expect((doc.paths['/pets']?.['get']?.['x-amazon-apigateway-integration'] as { type: string }).type).toBe(
      'http_proxy',
    );
  });

  it('refuses postman plainly, and answers AWS errors', async () => {
    for (const exportType of ['oas30', 'swagger']) {
      const postman = await exported({ extensions: 'postman' }, 'application/json', exportType).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } },
      );
      expect(postman?.name).toBe('NotImplementedException');
      expect(postman?.$metadata.httpStatusCode).toBe(501);
    }
    const raml = await exported({}, 'application/json', 'raml').catch((e: unknown) => e);
    expect(raml).toBeInstanceOf(BadRequestException);
    expect((raml as Error).message).toBe('Invalid export type raml: use oas30 or swagger');
    const unknown = await exported({ extensions: 'everything' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestException);
    const noStage = await m.v1
      .send(new GetExportCommand({ restApiId, stageName: 'nope', exportType: 'oas30' }))
      .catch((e: unknown) => e);
    expect(noStage).toBeInstanceOf(NotFoundException);
  });

  it('answers Swagger 2.0 for the export type swagger, with every extension for apigateway', async () => {
    const { contentType, text } = await exported({ extensions: 'apigateway' }, 'application/json', 'swagger');
    expect(contentType).toBe('application/json');
    const integration = (fields: Record<string, unknown>) => ({
      'x-amazon-apigateway-integration': { ...fields, timeoutInMillis: 29000 },
    });
    expect(JSON.parse(text)).toEqual({
      swagger: '2.0',
      info: { title: 'exported', version: '1' },
      basePath: '/prod',
      paths: {
        '/pets': {
          get: {
            responses: {},
            security: [{ tok: [] }],
            ...integration({ type: 'http_proxy', httpMethod: 'GET', uri: 'http://backend.example/' }),
          },
          'x-amazon-apigateway-any-method': {
            responses: {},
            ...integration({
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: { default: { statusCode: '200' } },
            }),
          },
        },
      },
      securityDefinitions: {
        tok: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: AUTHORIZER_URI,
            identitySource: 'method.request.header.Authorization',
          },
        },
      },
    });
  });

  it('keeps only the Swagger extensions asked for, in YAML for Accept: application/yaml', async () => {
    const json = JSON.parse((await exported({}, 'application/json', 'swagger')).text) as ExportedDocument;
    expect(JSON.stringify(json)).not.toContain('x-amazon-apigateway-integration');
    expect(JSON.stringify(json)).not.toContain('x-amazon-apigateway-authorizer');
    expect(Object.keys(json.paths['/pets'] ?? {})).toEqual(['get', 'x-amazon-apigateway-any-method']);

    const { contentType, text } = await exported(
      { extensions: 'integrations' },
      'application/yaml',
      'swagger',
    );
    expect(contentType).toBe('application/yaml');
    const doc = parse(text) as ExportedDocument & { swagger: string; securityDefinitions: unknown };
    expect(doc.swagger).toBe('2.0');
    expect(doc.paths['/pets']?.['get']?.['x-amazon-apigateway-integration']).toEqual({
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: 'http://backend.example/',
      timeoutInMillis: 29000,
    });
    expect(doc.securityDefinitions).toEqual({ tok: { type: 'apiKey', name: 'Authorization', in: 'header' } });
  });

  it.runIf(hasAwsCli)('exports Swagger 2.0 to a file from the AWS CLI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-export-'));
    try {
      const file = join(dir, 'out.json');
      const result = await m.aws([
        'apigateway',
        'get-export',
        '--rest-api-id',
        restApiId,
        '--stage-name',
        'prod',
        '--export-type',
        'swagger',
        '--parameters',
        'extensions=integrations',
        file,
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.json).toEqual({
        contentType: 'application/json',
        contentDisposition: 'attachment; filename="swagger_prod.json"',
      });
      const doc = JSON.parse(await readFile(file, 'utf8')) as ExportedDocument & Record<string, unknown>;
      expect([doc.swagger, doc.basePath, Object.keys(doc.paths)]).toEqual(['2.0', '/prod', ['/pets']]);
      expect(doc.paths['/pets']?.['get']?.['x-amazon-apigateway-integration']).toMatchObject({
        type: 'http_proxy',
      });
      expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway-authorizer');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
