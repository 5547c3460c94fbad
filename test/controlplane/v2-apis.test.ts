// v2 Apis through the AWS SDK: create (plain and quick create), get, list, update, delete,
// import, reimport, export, CORS and tags, with their errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  CreateApiCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  ExportApiCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetTagsCommand,
  ImportApiCommand,
  NotFoundException,
  ReimportApiCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let m: TestManagement;
let upstream: Upstream;
beforeAll(async () => {
  m = await startTestManagement();
  upstream = await startUpstream();
});
afterAll(async () => {
  await m.close();
  await upstream.close();
});

/** Polls the data plane until `accept` holds; stages reach it shortly after each write. */
async function eventually(url: string, accept: (status: number, body: string) => boolean) {
  let last = { status: 0, body: '' };
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url);
    last = { status: response.status, body: await response.text() };
    if (accept(last.status, last.body)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered as expected; last ${last.status} ${last.body}`);
}

function petsDocument(origin: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'pets', version: '1.0' },
    paths: {
      '/pets': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri: `${origin}/pets`,
            payloadFormatVersion: '1.0',
          },
        },
      },
    },
    ...extra,
  });
}

describe('v2 Apis', () => {
  it('creates, reads, lists, updates and deletes an HTTP API', async () => {
    const created = await m.v2.send(
      new CreateApiCommand({ Name: 'pets', ProtocolType: 'HTTP', Description: 'd', Tags: { team: 'a' } }),
    );
    expect(created.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(created.CreatedDate).toBeInstanceOf(Date);
    expect(created.RouteSelectionExpression).toBe('${request.method} ${request.path}');
    expect(created.ApiEndpoint).toBe(`${m.gatewayUrl}/_aws/execute-api/${created.ApiId}`);
    expect(created.Tags).toEqual({ team: 'a' });
    const got = await m.v2.send(new GetApiCommand({ ApiId: created.ApiId! }));
    expect(got).toMatchObject({
      Name: 'pets',
      Description: 'd',
      ProtocolType: 'HTTP',
      DisableExecuteApiEndpoint: false,
    });
    const list = await m.v2.send(new GetApisCommand({}));
    expect(list.Items?.map((api) => api.ApiId)).toContain(created.ApiId);
    const updated = await m.v2.send(
      new UpdateApiCommand({
        ApiId: created.ApiId!,
        Name: 'pets2',
        CorsConfiguration: { AllowOrigins: ['https://example.com'], MaxAge: 60 },
      }),
    );
    expect(updated.Name).toBe('pets2');
    expect(updated.Description).toBe('d');
    expect(updated.CorsConfiguration).toEqual({ AllowOrigins: ['https://example.com'], MaxAge: 60 });
    await m.v2.send(new DeleteCorsConfigurationCommand({ ApiId: created.ApiId! }));
    expect((await m.v2.send(new GetApiCommand({ ApiId: created.ApiId! }))).CorsConfiguration).toBeUndefined();
    await m.v2.send(new DeleteApiCommand({ ApiId: created.ApiId! }));
    const missing = await m.v2.send(new GetApiCommand({ ApiId: created.ApiId! })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as NotFoundException).message).toBe(`Invalid API identifier specified ${created.ApiId}`);
  });

  it('refuses what AWS refuses and what Gatehouse cannot do', async () => {
    const websocket = await m.v2
      .send(
        new CreateApiCommand({
          Name: 'ws',
          ProtocolType: 'WEBSOCKET',
          RouteSelectionExpression: '$request.body.action',
        }),
      )
      .catch((e: unknown) => e);
    expect((websocket as Error).name).toBe('NotImplementedException');
    expect((websocket as Error).message).toMatch(/WebSocket/);
    const badRse = await m.v2
      .send(
        new CreateApiCommand({
          Name: 'x',
          ProtocolType: 'HTTP',
          RouteSelectionExpression: '$request.body.x',
        }),
      )
      .catch((e: unknown) => e);
    expect(badRse).toBeInstanceOf(BadRequestException);
    const badCors = await m.v2
      .send(
        new CreateApiCommand({
          Name: 'x',
          ProtocolType: 'HTTP',
          CorsConfiguration: { MaxAge: -5 },
        }),
      )
      .catch((e: unknown) => e);
    expect(badCors).toBeInstanceOf(BadRequestException);
    expect((badCors as Error).message).toMatch(/corsConfiguration/);
    const notHttp = await m.v2
      .send(new UpdateApiCommand({ ApiId: 'nosuchapi0', Name: 'x' }))
      .catch((e: unknown) => e);
    expect(notHttp).toBeInstanceOf(NotFoundException);
  });

  it('quick-creates an API whose $default stage serves the target at once', async () => {
    const created = await m.v2.send(
      new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: `${upstream.origin}/base` }),
    );
    const routes = await m.v2.send(new GetRoutesCommand({ ApiId: created.ApiId! }));
    expect(routes.Items?.map((route) => route.RouteKey)).toEqual(['$default']);
    const integrations = await m.v2.send(new GetIntegrationsCommand({ ApiId: created.ApiId! }));
    expect(integrations.Items?.[0]).toMatchObject({
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: `${upstream.origin}/base`,
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 30000,
    });
    expect(routes.Items?.[0]?.Target).toBe(`integrations/${integrations.Items?.[0]?.IntegrationId}`);
    const stage = await m.v2.send(new GetStageCommand({ ApiId: created.ApiId!, StageName: '$default' }));
    expect(stage).toMatchObject({ AutoDeploy: true, ApiGatewayManaged: true });
    expect(stage.DeploymentId).toMatch(/^[a-z0-9]{6}$/);
    const answer = await eventually(
      m.invokeUrl(created.ApiId!, '$default', '/anything'),
      (status) => status === 200,
    );
    expect(JSON.parse(answer.body)).toMatchObject({ method: 'GET', url: '/base/anything' });
  });

  it('quick-creates a Lambda proxy route with payload 2.0', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:hello';
    const created = await m.v2.send(
      new CreateApiCommand({ Name: 'fn', ProtocolType: 'HTTP', Target: arn, RouteKey: 'GET /hello' }),
    );
    const api = await m.store.getApi(created.ApiId!);
    expect(api?.protocolType === 'HTTP' && api.routes[0]?.routeKey).toBe('GET /hello');
    const integrations = await m.v2.send(new GetIntegrationsCommand({ ApiId: created.ApiId! }));
    expect(integrations.Items?.[0]).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arn,
      PayloadFormatVersion: '2.0',
    });
    const badTarget = await m.v2
      .send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', Target: 'ftp://nowhere' }))
      .catch((e: unknown) => e);
    expect(badTarget).toBeInstanceOf(BadRequestException);
  });

  it('imports an OpenAPI document without the importexport marker, reimports and exports it', async () => {
    const imported = await m.v2.send(new ImportApiCommand({ Body: petsDocument(upstream.origin) }));
    expect(imported.Name).toBe('pets');
    const routes = await m.v2.send(new GetRoutesCommand({ ApiId: imported.ApiId! }));
    expect(routes.Items?.map((route) => route.RouteKey)).toEqual(['GET /pets']);
    const reimported = await m.v2.send(
      new ReimportApiCommand({
        ApiId: imported.ApiId!,
        Body: petsDocument(upstream.origin).replace('"/pets"', '"/dogs"'),
      }),
    );
    expect(reimported.ApiId).toBe(imported.ApiId);
    expect(reimported.CreatedDate).toEqual(imported.CreatedDate);
    const after = await m.v2.send(new GetRoutesCommand({ ApiId: imported.ApiId! }));
    expect(after.Items?.map((route) => route.RouteKey)).toEqual(['GET /dogs']);
    const exported = await m.v2.send(
      new ExportApiCommand({ ApiId: imported.ApiId!, Specification: 'OAS30', OutputType: 'JSON' }),
    );
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as {
      paths: Record<string, { get: Record<string, unknown> }>;
      [key: string]: unknown;
    };
    expect(Object.keys(doc.paths)).toEqual(['/dogs']);
    expect(doc['x-amazon-apigateway-importexport-version']).toBe('1.0');
    expect(doc.paths['/dogs']?.get['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: `${upstream.origin}/pets`,
    });
    const bare = await m.v2.send(
      new ExportApiCommand({
        ApiId: imported.ApiId!,
        Specification: 'OAS30',
        OutputType: 'YAML',
        IncludeExtensions: false,
      }),
    );
    const yaml = Buffer.from(bare.body!).toString('utf8');
    expect(yaml).toMatch(/^openapi: 3\.0\.1/m);
    expect(yaml).not.toMatch(/x-amazon-apigateway/);
    const badSpec = await m.v2
      .send(new ExportApiCommand({ ApiId: imported.ApiId!, Specification: 'SWAGGER2', OutputType: 'JSON' }))
      .catch((e: unknown) => e);
    expect(badSpec).toBeInstanceOf(BadRequestException);
  });

  it('refuses a broken document with the problem, and warnings with failOnWarnings', async () => {
    const broken = await m.v2
      .send(new ImportApiCommand({ Body: '{"openapi": "3.0.1", "paths": ' }))
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(BadRequestException);
    expect((broken as Error).message).toMatch(/invalid JSON/);
    const withWarning = petsDocument(upstream.origin, {
      'x-amazon-apigateway-request-validators': { all: {} },
    });
    const refused = await m.v2
      .send(new ImportApiCommand({ Body: withWarning, FailOnWarnings: true }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as Error).message).toMatch(/Warnings found during import/);
    const accepted = await m.v2.send(new ImportApiCommand({ Body: withWarning }));
    expect(accepted.Warnings?.length).toBeGreaterThan(0);
  });

  it('tags an API and reads the tags back by its ARN', async () => {
    const created = await m.v2.send(new CreateApiCommand({ Name: 'tagged', ProtocolType: 'HTTP' }));
    const arn = `arn:aws:apigateway:us-east-1::/apis/${created.ApiId}`;
    await m.v2.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2' } }));
    await m.v2.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    const tags = await m.v2.send(new GetTagsCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual({ b: '2' });
    const unknown = await m.v2
      .send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/nosuchapi0' }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundException);
  });
});
