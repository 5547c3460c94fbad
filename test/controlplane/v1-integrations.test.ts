// v1 Integrations and IntegrationResponses through the AWS SDK: put with AWS's defaults, get,
// patch (templates, parameters, uri, timeout, cache keys), delete, and AWS's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  CreateRestApiCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

async function newMethod(): Promise<{ restApiId: string; resourceId: string; httpMethod: string }> {
  const api = await m.v1.send(new CreateRestApiCommand({ name: 'integrations' }));
  const ids = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
  await m.v1.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
  return ids;
}

describe('Integrations', () => {
  it('puts an HTTP integration with AWS defaults and reads it back', async () => {
    const ids = await newMethod();
    const put = await m.v1.send(
      new PutIntegrationCommand({
        ...ids,
        type: 'HTTP',
        integrationHttpMethod: 'post',
        uri: 'http://backend.example/pets',
        requestParameters: { 'integration.request.header.x-id': 'method.request.header.x-id' },
        requestTemplates: { 'application/json': '{"a":1}' },
      }),
    );
    expect(put).toMatchObject({
      type: 'HTTP',
      httpMethod: 'POST',
      uri: 'http://backend.example/pets',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: ids.resourceId,
      cacheKeyParameters: [],
    });
    const got = await m.v1.send(new GetIntegrationCommand(ids));
    expect(got.requestTemplates).toEqual({ 'application/json': '{"a":1}' });
    expect(got.requestParameters).toEqual({
      'integration.request.header.x-id': 'method.request.header.x-id',
    });
  });

  it('patches an integration', async () => {
    const ids = await newMethod();
    await m.v1.send(
      new PutIntegrationCommand({
        ...ids,
        type: 'HTTP_PROXY',
        integrationHttpMethod: 'GET',
        uri: 'http://a.example/',
      }),
    );
    const patched = await m.v1.send(
      new UpdateIntegrationCommand({
        ...ids,
        patchOperations: [
          { op: 'replace', path: '/uri', value: 'http://b.example/${stageVariables.path}' },
          { op: 'replace', path: '/timeoutInMillis', value: '5000' },
          { op: 'add', path: '/requestTemplates/application~1xml', value: '<a/>' },
          { op: 'add', path: '/requestParameters/integration.request.querystring.q', value: "'fixed'" },
          { op: 'add', path: '/cacheKeyParameters/method.request.querystring.q' },
          { op: 'replace', path: '/passthroughBehavior', value: 'NEVER' },
        ],
      }),
    );
    expect(patched).toMatchObject({
      uri: 'http://b.example/${stageVariables.path}',
      timeoutInMillis: 5000,
      requestTemplates: { 'application/xml': '<a/>' },
      requestParameters: { 'integration.request.querystring.q': "'fixed'" },
      cacheKeyParameters: ['method.request.querystring.q'],
      passthroughBehavior: 'NEVER',
    });
    const removed = await m.v1.send(
      new UpdateIntegrationCommand({
        ...ids,
        patchOperations: [{ op: 'remove', path: '/requestTemplates/application~1xml' }],
      }),
    );
    expect(removed.requestTemplates).toEqual({});
  });

  it('answers AWS errors: no integration, missing uri, bad timeout, bad type, bad patch', async () => {
    const ids = await newMethod();
    const none = await failure(m.v1.send(new GetIntegrationCommand(ids)));
    expect(none).toBeInstanceOf(NotFoundException);
    expect((none as Error).message).toBe('No integration defined for method');
    const noUri = await failure(
      m.v1.send(new PutIntegrationCommand({ ...ids, type: 'HTTP', integrationHttpMethod: 'GET' })),
    );
    expect(noUri).toBeInstanceOf(BadRequestException);
    expect((noUri as Error).message).toBe('Invalid HTTP endpoint specified for URI');
    const noMethod = await failure(
      m.v1.send(new PutIntegrationCommand({ ...ids, type: 'HTTP', uri: 'http://a.example/' })),
    );
    expect((noMethod as Error).message).toBe('Enumeration value for HttpMethod must be non-empty');
    const timeout = await failure(
      m.v1.send(new PutIntegrationCommand({ ...ids, type: 'MOCK', timeoutInMillis: 10 })),
    );
    expect(timeout).toBeInstanceOf(BadRequestException);
    const badType = await failure(m.v1.send(new PutIntegrationCommand({ ...ids, type: 'SOAP' as 'MOCK' })));
    expect(badType).toBeInstanceOf(BadRequestException);
    await m.v1.send(new PutIntegrationCommand({ ...ids, type: 'MOCK' }));
    const badPatch = await failure(
      m.v1.send(
        new UpdateIntegrationCommand({
          ...ids,
          patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: 'soon' }],
        }),
      ),
    );
    expect(badPatch).toBeInstanceOf(BadRequestException);
    const noMethodAtAll = await failure(m.v1.send(new GetIntegrationCommand({ ...ids, httpMethod: 'PUT' })));
    expect((noMethodAtAll as Error).message).toBe('Invalid Method identifier specified');
  });

  it('deletes an integration', async () => {
    const ids = await newMethod();
    await m.v1.send(new PutIntegrationCommand({ ...ids, type: 'MOCK' }));
    await m.v1.send(new DeleteIntegrationCommand(ids));
    expect(await failure(m.v1.send(new GetIntegrationCommand(ids)))).toBeInstanceOf(NotFoundException);
  });
});

describe('IntegrationResponses', () => {
  it('puts, gets, patches and deletes an integration response', async () => {
    const ids = await newMethod();
    await m.v1.send(new PutIntegrationCommand({ ...ids, type: 'MOCK' }));
    const put = await m.v1.send(
      new PutIntegrationResponseCommand({
        ...ids,
        statusCode: '400',
        selectionPattern: '4\\d{2}',
        responseTemplates: { 'application/json': '{"error":true}' },
      }),
    );
    expect(put).toMatchObject({ statusCode: '400', selectionPattern: '4\\d{2}' });
    const patched = await m.v1.send(
      new UpdateIntegrationResponseCommand({
        ...ids,
        statusCode: '400',
        patchOperations: [
          { op: 'replace', path: '/selectionPattern', value: '400' },
          { op: 'add', path: '/responseParameters/method.response.header.x-err', value: "'yes'" },
          { op: 'replace', path: '/responseTemplates/application~1json', value: '{}' },
        ],
      }),
    );
    expect(patched).toMatchObject({
      selectionPattern: '400',
      responseParameters: { 'method.response.header.x-err': "'yes'" },
      responseTemplates: { 'application/json': '{}' },
    });
    const got = await m.v1.send(new GetIntegrationCommand(ids));
    expect(got.integrationResponses?.['400']?.selectionPattern).toBe('400');
    await m.v1.send(new DeleteIntegrationResponseCommand({ ...ids, statusCode: '400' }));
    const gone = await failure(m.v1.send(new GetIntegrationResponseCommand({ ...ids, statusCode: '400' })));
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as Error).message).toBe('Invalid Response status code specified');
  });
});
