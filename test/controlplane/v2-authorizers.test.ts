// v2 Authorizers and Models through the AWS SDK: create, get, list, update, delete and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateModelCommand,
  CreateRouteCommand,
  DeleteAuthorizerCommand,
  DeleteModelCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetModelCommand,
  GetModelsCommand,
  GetModelTemplateCommand,
  NotFoundException,
  UpdateAuthorizerCommand,
  UpdateModelCommand,
} from '@aws-sdk/client-apigatewayv2';
import { httpAuthorizerConfig } from '../../src/features/auth/authorizer-config.js';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  apiId = (await m.v2.send(new CreateApiCommand({ Name: 'auth', ProtocolType: 'HTTP' }))).ApiId!;
});
afterAll(() => m.close());

describe('v2 Authorizers', () => {
  it('creates a Lambda REQUEST authorizer the data plane reads as created', async () => {
    const created = await m.v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'lambda',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 60,
        IdentitySource: ['$request.header.x-token'],
      }),
    );
    expect(created.AuthorizerId).toMatch(/^[a-z0-9]{6}$/);
    const api = await m.store.getApi(apiId);
    if (api?.protocolType !== 'HTTP') throw new Error('not an HTTP API');
    expect(httpAuthorizerConfig(api, created.AuthorizerId)).toMatchObject({
      type: 'REQUEST',
      identitySource: ['$request.header.x-token'],
      ttlSeconds: 60,
      payloadFormatVersion: '2.0',
      enableSimpleResponses: true,
    });
    const updated = await m.v2.send(
      new UpdateAuthorizerCommand({
        ApiId: apiId,
        AuthorizerId: created.AuthorizerId!,
        AuthorizerResultTtlInSeconds: 0,
      }),
    );
    expect(updated).toMatchObject({
      Name: 'lambda',
      AuthorizerResultTtlInSeconds: 0,
      EnableSimpleResponses: true,
    });
    const list = await m.v2.send(new GetAuthorizersCommand({ ApiId: apiId }));
    expect(list.Items?.map((authorizer) => authorizer.Name)).toContain('lambda');
    await m.v2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId! }));
    const missing = await failure(
      m.v2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId! })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe(
      `Invalid Authorizer identifier specified ${created.AuthorizerId}`,
    );
  });

  it('creates a JWT authorizer and keeps it while a route uses it', async () => {
    const created = await m.v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['a', 'b'] },
      }),
    );
    const got = await m.v2.send(
      new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId! }),
    );
    expect(got.JwtConfiguration).toEqual({ Issuer: 'https://issuer.example.com', Audience: ['a', 'b'] });
    await m.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /me',
        AuthorizationType: 'JWT',
        AuthorizerId: created.AuthorizerId!,
      }),
    );
    const inUse = await failure(
      m.v2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId! })),
    );
    expect(inUse).toBeInstanceOf(ConflictException);
  });

  it('refuses incomplete authorizers', async () => {
    const noIssuer = await failure(
      m.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'bad',
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
        }),
      ),
    );
    expect(noIssuer).toBeInstanceOf(BadRequestException);
    const noVersion = await failure(
      m.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'bad',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
          IdentitySource: [],
        }),
      ),
    );
    expect(noVersion).toBeInstanceOf(BadRequestException);
    const simpleOn1 = await failure(
      m.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'bad',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
          AuthorizerPayloadFormatVersion: '1.0',
          EnableSimpleResponses: true,
          IdentitySource: [],
        }),
      ),
    );
    expect(simpleOn1).toBeInstanceOf(BadRequestException);
  });
});

describe('v2 Models', () => {
  it('creates, reads, lists, updates and deletes a model', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } });
    const created = await m.v2.send(
      new CreateModelCommand({ ApiId: apiId, Name: 'Pet', Schema: schema, ContentType: 'application/json' }),
    );
    expect(created).toMatchObject({ Name: 'Pet', Schema: schema, ContentType: 'application/json' });
    const updated = await m.v2.send(
      new UpdateModelCommand({ ApiId: apiId, ModelId: created.ModelId!, Description: 'a pet' }),
    );
    expect(updated).toMatchObject({ Name: 'Pet', Description: 'a pet' });
    const list = await m.v2.send(new GetModelsCommand({ ApiId: apiId }));
    expect(list.Items?.map((model) => model.ModelId)).toEqual([created.ModelId]);
    const duplicate = await failure(
      m.v2.send(new CreateModelCommand({ ApiId: apiId, Name: 'Pet', Schema: schema })),
    );
    expect(duplicate).toBeInstanceOf(ConflictException);
    const badSchema = await failure(
      m.v2.send(new CreateModelCommand({ ApiId: apiId, Name: 'Dog', Schema: '{nope' })),
    );
    expect(badSchema).toBeInstanceOf(BadRequestException);
    const template = await failure(
      m.v2.send(new GetModelTemplateCommand({ ApiId: apiId, ModelId: created.ModelId! })),
    );
    expect((template as Error).name).toBe('NotImplementedException');
    await m.v2.send(new DeleteModelCommand({ ApiId: apiId, ModelId: created.ModelId! }));
    const missing = await failure(
      m.v2.send(new GetModelCommand({ ApiId: apiId, ModelId: created.ModelId! })),
    );
    expect((missing as Error).message).toBe(`Invalid Model identifier specified ${created.ModelId}`);
  });
});
