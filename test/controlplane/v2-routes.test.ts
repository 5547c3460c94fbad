// v2 Routes and RouteResponses through the AWS SDK: create, get, list, update, delete and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  DeleteRouteCommand,
  DeleteRouteRequestParameterCommand,
  DeleteRouteResponseCommand,
  GetRouteCommand,
  GetRouteResponsesCommand,
  GetRoutesCommand,
  NotFoundException,
  UpdateRouteCommand,
  UpdateRouteResponseCommand,
} from '@aws-sdk/client-apigatewayv2';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let apiId: string;
let integrationId: string;
beforeAll(async () => {
  m = await startTestManagement();
  apiId = (await m.v2.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP' }))).ApiId!;
  integrationId = (
    await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'http://127.0.0.1:9/pets',
        IntegrationMethod: 'GET',
        PayloadFormatVersion: '1.0',
      }),
    )
  ).IntegrationId!;
});
afterAll(() => m.close());

describe('v2 Routes', () => {
  it('creates, reads, lists, updates and deletes a route', async () => {
    const created = await m.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /pets/{id}',
        Target: `integrations/${integrationId}`,
        OperationName: 'getPet',
        RequestParameters: { 'route.request.querystring.verbose': { Required: false } },
      }),
    );
    expect(created.RouteId).toMatch(/^[a-z0-9]{7}$/);
    expect(created).toMatchObject({
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      OperationName: 'getPet',
    });
    const got = await m.v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: created.RouteId! }));
    expect(got.Target).toBe(`integrations/${integrationId}`);
    expect(got.RequestParameters).toEqual({ 'route.request.querystring.verbose': { Required: false } });
    const list = await m.v2.send(new GetRoutesCommand({ ApiId: apiId }));
    expect(list.Items?.map((route) => route.RouteKey)).toContain('GET /pets/{id}');
    const updated = await m.v2.send(
      new UpdateRouteCommand({ ApiId: apiId, RouteId: created.RouteId!, RouteKey: 'ANY /pets/{id}' }),
    );
    expect(updated.RouteKey).toBe('ANY /pets/{id}');
    expect(updated.Target).toBe(`integrations/${integrationId}`);
    await m.v2.send(
      new DeleteRouteRequestParameterCommand({
        ApiId: apiId,
        RouteId: created.RouteId!,
        RequestParameterKey: 'route.request.querystring.verbose',
      }),
    );
    expect(
      (await m.v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: created.RouteId! }))).RequestParameters,
    ).toEqual({});
    await m.v2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: created.RouteId! }));
    const missing = await failure(
      m.v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: created.RouteId! })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe(`Invalid Route identifier specified ${created.RouteId}`);
    const api = await m.store.getApi(apiId);
    expect(
      api?.protocolType === 'HTTP' && api.routes.some((route) => route.routeId === created.RouteId),
    ).toBe(false);
  });

  it('answers AWS errors for duplicates, bad keys, unknown targets and authorizers', async () => {
    await m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /orders' }));
    const duplicate = await failure(
      m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /orders' })),
    );
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect((duplicate as Error).message).toBe('Route with key POST /orders already exists for this API');
    const badKey = await failure(m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'FETCH /x' })));
    expect(badKey).toBeInstanceOf(BadRequestException);
    const badTarget = await failure(
      m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', Target: 'integrations/nope123' })),
    );
    expect(badTarget).toBeInstanceOf(NotFoundException);
    expect((badTarget as Error).message).toBe('Invalid Integration identifier specified nope123');
    const noAuthorizer = await failure(
      m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /y', AuthorizationType: 'JWT' })),
    );
    expect(noAuthorizer).toBeInstanceOf(BadRequestException);
    const apiKeys = await failure(
      m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /z', ApiKeyRequired: true })),
    );
    expect(apiKeys).toBeInstanceOf(BadRequestException);
    const noApi = await failure(m.v2.send(new GetRoutesCommand({ ApiId: 'nosuchapi0' })));
    expect((noApi as Error).message).toBe('Invalid API identifier specified nosuchapi0');
  });

  it('attaches a JWT authorizer with scopes', async () => {
    const authorizer = await m.v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['pets'] },
      }),
    );
    const route = await m.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /secure',
        AuthorizationType: 'JWT',
        AuthorizerId: authorizer.AuthorizerId!,
        AuthorizationScopes: ['pets/read'],
      }),
    );
    expect(route).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: authorizer.AuthorizerId,
      AuthorizationScopes: ['pets/read'],
    });
    const wrongKind = await failure(
      m.v2.send(
        new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId!, AuthorizationType: 'CUSTOM' }),
      ),
    );
    expect(wrongKind).toBeInstanceOf(BadRequestException);
    const open = await m.v2.send(
      new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId!, AuthorizationType: 'NONE' }),
    );
    expect(open.AuthorizerId).toBeUndefined();
  });

  it('stores route responses on the route', async () => {
    const route = await m.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /responses' }));
    const created = await m.v2.send(
      new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId!, RouteResponseKey: '$default' }),
    );
    expect(created.RouteResponseId).toMatch(/^[a-z0-9]{6}$/);
    const updated = await m.v2.send(
      new UpdateRouteResponseCommand({
        ApiId: apiId,
        RouteId: route.RouteId!,
        RouteResponseId: created.RouteResponseId!,
        ModelSelectionExpression: '$default',
      }),
    );
    expect(updated).toMatchObject({ RouteResponseKey: '$default', ModelSelectionExpression: '$default' });
    const list = await m.v2.send(new GetRouteResponsesCommand({ ApiId: apiId, RouteId: route.RouteId! }));
    expect(list.Items?.map((response) => response.RouteResponseId)).toEqual([created.RouteResponseId]);
    await m.v2.send(
      new DeleteRouteResponseCommand({
        ApiId: apiId,
        RouteId: route.RouteId!,
        RouteResponseId: created.RouteResponseId!,
      }),
    );
    const missing = await failure(
      m.v2.send(
        new DeleteRouteResponseCommand({
          ApiId: apiId,
          RouteId: route.RouteId!,
          RouteResponseId: created.RouteResponseId!,
        }),
      ),
    );
    expect((missing as Error).message).toBe(
      `Invalid RouteResponse identifier specified ${created.RouteResponseId}`,
    );
  });
});
