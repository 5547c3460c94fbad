// v1 Methods and MethodResponses through the AWS SDK: put, get (with the integration and
// method responses embedded), patch, delete, and AWS's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

async function newApi(): Promise<{ restApiId: string; resourceId: string }> {
  const api = await m.v1.send(new CreateRestApiCommand({ name: 'methods' }));
  return { restApiId: api.id!, resourceId: api.rootResourceId! };
}

describe('Methods', () => {
  it('puts a method and gets it with its integration and method responses embedded', async () => {
    const ids = await newApi();
    const put = await m.v1.send(
      new PutMethodCommand({
        ...ids,
        httpMethod: 'GET',
        authorizationType: 'NONE',
        requestParameters: { 'method.request.querystring.page': false },
        operationName: 'ListPets',
      }),
    );
    expect(put).toMatchObject({ httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false });
    await m.v1.send(new PutIntegrationCommand({ ...ids, httpMethod: 'GET', type: 'MOCK' }));
    await m.v1.send(
      new PutMethodResponseCommand({
        ...ids,
        httpMethod: 'GET',
        statusCode: '200',
        responseModels: { 'application/json': 'Empty' },
      }),
    );
    const got = await m.v1.send(new GetMethodCommand({ ...ids, httpMethod: 'GET' }));
    expect(got.operationName).toBe('ListPets');
    expect(got.requestParameters).toEqual({ 'method.request.querystring.page': false });
    expect(got.methodIntegration).toMatchObject({ type: 'MOCK', timeoutInMillis: 29000 });
    expect(got.methodResponses?.['200']).toEqual({
      statusCode: '200',
      responseModels: { 'application/json': 'Empty' },
    });
  });

  it('patches a method', async () => {
    const ids = await newApi();
    await m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'POST', authorizationType: 'NONE' }));
    const patched = await m.v1.send(
      new UpdateMethodCommand({
        ...ids,
        httpMethod: 'POST',
        patchOperations: [
          { op: 'replace', path: '/apiKeyRequired', value: 'true' },
          { op: 'add', path: '/requestParameters/method.request.header.x-id', value: 'true' },
          { op: 'add', path: '/requestModels/application~1json', value: 'Pet' },
          { op: 'replace', path: '/operationName', value: 'CreatePet' },
          { op: 'add', path: '/authorizationScopes', value: 'pets/write' },
        ],
      }),
    );
    expect(patched).toMatchObject({
      apiKeyRequired: true,
      requestParameters: { 'method.request.header.x-id': true },
      requestModels: { 'application/json': 'Pet' },
      operationName: 'CreatePet',
      authorizationScopes: ['pets/write'],
    });
    const removed = await m.v1.send(
      new UpdateMethodCommand({
        ...ids,
        httpMethod: 'POST',
        patchOperations: [{ op: 'remove', path: '/requestParameters/method.request.header.x-id' }],
      }),
    );
    expect(removed.requestParameters).toEqual({});

    const badPath = await failure(
      m.v1.send(
        new UpdateMethodCommand({
          ...ids,
          httpMethod: 'POST',
          patchOperations: [{ op: 'replace', path: '/nothing', value: 'x' }],
        }),
      ),
    );
    expect(badPath).toBeInstanceOf(BadRequestException);
    const badAuthorizer = await failure(
      m.v1.send(
        new UpdateMethodCommand({
          ...ids,
          httpMethod: 'POST',
          patchOperations: [
            { op: 'replace', path: '/authorizationType', value: 'CUSTOM' },
            { op: 'replace', path: '/authorizerId', value: 'nope' },
          ],
        }),
      ),
    );
    expect(badAuthorizer).toBeInstanceOf(BadRequestException);
    expect((badAuthorizer as Error).message).toBe('Invalid authorizer ID specified');
  });

  it('answers AWS errors: existing method, unknown method, unknown resource', async () => {
    const ids = await newApi();
    await m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'GET', authorizationType: 'NONE' }));
    const again = await failure(
      m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'GET', authorizationType: 'NONE' })),
    );
    expect(again).toBeInstanceOf(ConflictException);
    expect((again as Error).message).toBe('Method already exists for this resource');
    const unknown = await failure(m.v1.send(new GetMethodCommand({ ...ids, httpMethod: 'PUT' })));
    expect(unknown).toBeInstanceOf(NotFoundException);
    expect((unknown as Error).message).toBe('Invalid Method identifier specified');
    const noResource = await failure(
      m.v1.send(new GetMethodCommand({ ...ids, resourceId: 'abc123', httpMethod: 'GET' })),
    );
    expect((noResource as Error).message).toBe('Invalid Resource identifier specified');
    const badType = await failure(
      m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'PATCH', authorizationType: 'MAGIC' })),
    );
    expect(badType).toBeInstanceOf(BadRequestException);
  });

  it('deletes a method', async () => {
    const ids = await newApi();
    await m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'DELETE', authorizationType: 'NONE' }));
    await m.v1.send(new DeleteMethodCommand({ ...ids, httpMethod: 'DELETE' }));
    const gone = await failure(m.v1.send(new GetMethodCommand({ ...ids, httpMethod: 'DELETE' })));
    expect(gone).toBeInstanceOf(NotFoundException);
    const twice = await failure(m.v1.send(new DeleteMethodCommand({ ...ids, httpMethod: 'DELETE' })));
    expect(twice).toBeInstanceOf(NotFoundException);
  });
});

describe('MethodResponses', () => {
  it('puts, gets, patches and deletes a method response', async () => {
    const ids = await newApi();
    await m.v1.send(new PutMethodCommand({ ...ids, httpMethod: 'GET', authorizationType: 'NONE' }));
    const put = await m.v1.send(
      new PutMethodResponseCommand({
        ...ids,
        httpMethod: 'GET',
        statusCode: '404',
        responseParameters: { 'method.response.header.x-reason': true },
      }),
    );
    expect(put).toEqual({
      $metadata: expect.anything() as unknown,
      statusCode: '404',
      responseParameters: { 'method.response.header.x-reason': true },
    });
    const patched = await m.v1.send(
      new UpdateMethodResponseCommand({
        ...ids,
        httpMethod: 'GET',
        statusCode: '404',
        patchOperations: [
          { op: 'replace', path: '/responseParameters/method.response.header.x-reason', value: 'false' },
          { op: 'add', path: '/responseModels/application~1json', value: 'Error' },
        ],
      }),
    );
    expect(patched.responseParameters).toEqual({ 'method.response.header.x-reason': false });
    expect(patched.responseModels).toEqual({ 'application/json': 'Error' });
    const got = await m.v1.send(
      new GetMethodResponseCommand({ ...ids, httpMethod: 'GET', statusCode: '404' }),
    );
    expect(got.responseModels).toEqual({ 'application/json': 'Error' });
    await m.v1.send(new DeleteMethodResponseCommand({ ...ids, httpMethod: 'GET', statusCode: '404' }));
    const gone = await failure(
      m.v1.send(new GetMethodResponseCommand({ ...ids, httpMethod: 'GET', statusCode: '404' })),
    );
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as Error).message).toBe('Invalid Response status code specified');
  });
});
