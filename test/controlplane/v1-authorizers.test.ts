// v1 Authorizers through the AWS SDK: create, get, list, patch, delete, AWS's errors, and what
// the data plane reads after a deployment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  DeleteAuthorizerCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  NotFoundException,
  TestInvokeAuthorizerCommand,
  UpdateAuthorizerCommand,
} from '@aws-sdk/client-api-gateway';
import { restAuthorizerConfig } from '../../src/features/auth/authorizer-config.js';
import type { RestApi } from '../../src/model/rest-api.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  apiId = (await m.v1.send(new CreateRestApiCommand({ name: 'auth' }))).id!;
});
afterAll(() => m.close());

const LAMBDA_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations';

describe('Authorizers', () => {
  it('creates a TOKEN authorizer with AWS defaults, reads, lists, patches and deletes it', async () => {
    const created = await m.v1.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'token',
        type: 'TOKEN',
        authorizerUri: LAMBDA_URI,
        identitySource: 'method.request.header.Authorization',
      }),
    );
    expect(created.id).toMatch(/^[a-z0-9]{6}$/);
    expect(created.authorizerResultTtlInSeconds).toBe(300);
    expect(created.type).toBe('TOKEN');

    const got = await m.v1.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: created.id! }));
    expect(got).toMatchObject({ name: 'token', authorizerUri: LAMBDA_URI });
    const list = await m.v1.send(new GetAuthorizersCommand({ restApiId: apiId }));
    expect(list.items?.map((a) => a.id)).toContain(created.id);

    const patched = await m.v1.send(
      new UpdateAuthorizerCommand({
        restApiId: apiId,
        authorizerId: created.id!,
        patchOperations: [
          { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
          { op: 'replace', path: '/identityValidationExpression', value: '^Bearer .+$' },
        ],
      }),
    );
    expect(patched.authorizerResultTtlInSeconds).toBe(0);
    expect(patched.identityValidationExpression).toBe('^Bearer .+$');

    // Stored so that the auth feature reads it as configured.
    const api = (await m.store.getApi(apiId)) as RestApi;
    const config = restAuthorizerConfig(api, created.id);
    expect(config).toMatchObject({ type: 'TOKEN', ttlSeconds: 0, authorizerUri: LAMBDA_URI });

    await m.v1.send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: created.id! }));
    const missing = await m.v1
      .send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: created.id! }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid Authorizer identifier specified');
  });

  it('creates a Cognito authorizer and edits its provider ARNs', async () => {
    const pool = 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc';
    const created = await m.v1.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'cognito',
        type: 'COGNITO_USER_POOLS',
        providerARNs: [pool],
        identitySource: 'method.request.header.Authorization',
      }),
    );
    const other = `${pool}2`;
    const patched = await m.v1.send(
      new UpdateAuthorizerCommand({
        restApiId: apiId,
        authorizerId: created.id!,
        patchOperations: [
          { op: 'add', path: '/providerARNs', value: other },
          { op: 'remove', path: `/providerARNs/${pool.replace(/\//g, '~1')}` },
        ],
      }),
    );
    expect(patched.providerARNs).toEqual([other]);
  });

  it("refuses what AWS refuses, with AWS's messages", async () => {
    const badType = await m.v1
      .send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'x', type: 'JWT' as never }))
      .catch((e: unknown) => e);
    expect(badType).toBeInstanceOf(BadRequestException);
    expect((badType as Error).message).toContain(
      'Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]',
    );

    const noUri = await m.v1
      .send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'x', type: 'REQUEST' }))
      .catch((e: unknown) => e);
    expect(noUri).toBeInstanceOf(BadRequestException);
    expect((noUri as Error).message).toMatch(/authorizerUri/);

    const badTtl = await m.v1
      .send(
        new CreateAuthorizerCommand({
          restApiId: apiId,
          name: 'x',
          type: 'REQUEST',
          authorizerUri: LAMBDA_URI,
          authorizerResultTtlInSeconds: 3601,
        }),
      )
      .catch((e: unknown) => e);
    expect(badTtl).toBeInstanceOf(BadRequestException);

    const badPath = await m.v1
      .send(
        new UpdateAuthorizerCommand({
          restApiId: apiId,
          authorizerId: 'nope00',
          patchOperations: [{ op: 'replace', path: '/name', value: 'y' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(badPath).toBeInstanceOf(NotFoundException);

    const unknownApi = await m.v1
      .send(new GetAuthorizersCommand({ restApiId: 'nosuchapi0' }))
      .catch((e: unknown) => e);
    expect((unknownApi as Error).message).toBe('Invalid API identifier specified 000000000000:nosuchapi0');
  });

  it('refuses to delete an authorizer a method uses', async () => {
    const created = await m.v1.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'used',
        type: 'REQUEST',
        authorizerUri: LAMBDA_URI,
        identitySource: 'method.request.header.X',
      }),
    );
    const api = (await m.store.getApi(apiId)) as RestApi;
    api.resources[0]!.resourceMethods['GET'] = {
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      authorizerId: created.id!,
      apiKeyRequired: false,
    };
    await m.store.updateApi(api);
    const refused = await m.v1
      .send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: created.id! }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictException);
    expect((refused as Error).message).toContain('GET /');
  });

  it('answers TestInvokeAuthorizer with NotImplemented, never a pretended result', async () => {
    const error = await m.v1
      .send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: 'abc123' }))
      .catch((e: unknown) => e);
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(501);
    expect((error as Error).message).toContain('TestInvokeAuthorizer');
  });
});
