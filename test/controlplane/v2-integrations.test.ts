// v2 Integrations and IntegrationResponses through the AWS SDK: create, get, list, update,
// delete, AWS's defaults and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetIntegrationsCommand,
  NotFoundException,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
} from '@aws-sdk/client-apigatewayv2';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  apiId = (await m.v2.send(new CreateApiCommand({ Name: 'integrations', ProtocolType: 'HTTP' }))).ApiId!;
});
afterAll(() => m.close());

describe('v2 Integrations', () => {
  it('creates an HTTP proxy, reads, lists, updates and deletes it', async () => {
    const created = await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://example.com/pets',
        IntegrationMethod: 'get',
        RequestParameters: { 'append:header.x-from': 'gatehouse' },
        ResponseParameters: { '404': { 'overwrite:statuscode': '410' } },
        Description: 'pets upstream',
      }),
    );
    expect(created.IntegrationId).toMatch(/^[a-z0-9]{7}$/);
    expect(created).toMatchObject({
      IntegrationMethod: 'GET',
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 30000,
      ConnectionType: 'INTERNET',
      ResponseParameters: { '404': { 'overwrite:statuscode': '410' } },
    });
    const updated = await m.v2.send(
      new UpdateIntegrationCommand({
        ApiId: apiId,
        IntegrationId: created.IntegrationId!,
        IntegrationUri: 'https://example.com/dogs',
        TimeoutInMillis: 5000,
      }),
    );
    expect(updated).toMatchObject({
      IntegrationUri: 'https://example.com/dogs',
      TimeoutInMillis: 5000,
      Description: 'pets upstream',
    });
    const got = await m.v2.send(
      new GetIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId! }),
    );
    expect(got.RequestParameters).toEqual({ 'append:header.x-from': 'gatehouse' });
    const list = await m.v2.send(new GetIntegrationsCommand({ ApiId: apiId }));
    expect(list.Items?.map((integration) => integration.IntegrationId)).toContain(created.IntegrationId);
    await m.v2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId! }));
    const missing = await failure(
      m.v2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId! })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe(
      `Invalid Integration identifier specified ${created.IntegrationId}`,
    );
  });

  it('defaults a Lambda proxy to payload 2.0', async () => {
    const created = await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
      }),
    );
    expect(created).toMatchObject({ PayloadFormatVersion: '2.0', TimeoutInMillis: 30000 });
  });

  it('refuses what AWS refuses and what Gatehouse cannot do', async () => {
    const mock = await failure(
      m.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK' })),
    );
    expect(mock).toBeInstanceOf(BadRequestException);
    const noUri = await failure(
      m.v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'GET',
        }),
      ),
    );
    expect(noUri).toBeInstanceOf(BadRequestException);
    const v2Proxy = await failure(
      m.v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationUri: 'https://example.com',
          IntegrationMethod: 'GET',
          PayloadFormatVersion: '2.0',
        }),
      ),
    );
    expect(v2Proxy).toBeInstanceOf(BadRequestException);
    const vpcLink = await failure(
      m.v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationUri: 'https://example.com',
          IntegrationMethod: 'GET',
          ConnectionType: 'VPC_LINK',
          ConnectionId: 'abc',
        }),
      ),
    );
    expect((vpcLink as Error).name).toBe('NotImplementedException');
    const tooLong = await failure(
      m.v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationUri: 'https://example.com',
          IntegrationMethod: 'GET',
          TimeoutInMillis: 10,
        }),
      ),
    );
    expect(tooLong).toBeInstanceOf(BadRequestException);
  });

  it('will not delete an integration a route targets', async () => {
    const integration = await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://example.com',
        IntegrationMethod: 'ANY',
      }),
    );
    await m.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /used',
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
    const refused = await failure(
      m.v2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId! })),
    );
    expect(refused).toBeInstanceOf(ConflictException);
    expect((refused as Error).message).toMatch(/GET \/used/);
  });

  it('stores integration responses on the integration', async () => {
    const integration = await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://example.com',
        IntegrationMethod: 'ANY',
      }),
    );
    const ids = { ApiId: apiId, IntegrationId: integration.IntegrationId! };
    const created = await m.v2.send(
      new CreateIntegrationResponseCommand({
        ...ids,
        IntegrationResponseKey: '/200/',
        ResponseTemplates: { 'application/json': '{}' },
      }),
    );
    expect(created.IntegrationResponseId).toMatch(/^[a-z0-9]{6}$/);
    const updated = await m.v2.send(
      new UpdateIntegrationResponseCommand({
        ...ids,
        IntegrationResponseId: created.IntegrationResponseId!,
        ContentHandlingStrategy: 'CONVERT_TO_TEXT',
      }),
    );
    expect(updated).toMatchObject({
      IntegrationResponseKey: '/200/',
      ContentHandlingStrategy: 'CONVERT_TO_TEXT',
    });
    const got = await m.v2.send(
      new GetIntegrationResponseCommand({ ...ids, IntegrationResponseId: created.IntegrationResponseId! }),
    );
    expect(got.ResponseTemplates).toEqual({ 'application/json': '{}' });
    await m.v2.send(
      new DeleteIntegrationResponseCommand({ ...ids, IntegrationResponseId: created.IntegrationResponseId! }),
    );
    const missing = await failure(
      m.v2.send(
        new GetIntegrationResponseCommand({ ...ids, IntegrationResponseId: created.IntegrationResponseId! }),
      ),
    );
    expect((missing as Error).message).toBe(
      `Invalid IntegrationResponse identifier specified ${created.IntegrationResponseId}`,
    );
  });
});
