// v1 Resources through the AWS SDK: create under a parent, list (with and without embedded
// methods), move and rename with descendants following, delete with descendants, and AWS's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourcesCommand,
  NotFoundException,
  PutMethodCommand,
  UpdateResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

async function newApi(): Promise<{ apiId: string; rootId: string }> {
  const api = await m.v1.send(new CreateRestApiCommand({ name: 'resources' }));
  return { apiId: api.id!, rootId: api.rootResourceId! };
}

describe('Resources', () => {
  it('creates resources with computed paths and lists them', async () => {
    const { apiId, rootId } = await newApi();
    const pets = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
    );
    expect(pets).toMatchObject({ parentId: rootId, pathPart: 'pets', path: '/pets' });
    expect(pets.id).toMatch(/^[a-z0-9]{6}$/);
    const petId = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: pets.id!, pathPart: '{petId}' }),
    );
    expect(petId.path).toBe('/pets/{petId}');
    const proxy = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{proxy+}' }),
    );
    expect(proxy.path).toBe('/{proxy+}');

    const listed = await m.v1.send(new GetResourcesCommand({ restApiId: apiId }));
    expect(listed.items?.map((r) => r.path).sort()).toEqual(['/', '/pets', '/pets/{petId}', '/{proxy+}']);
    const root = listed.items?.find((r) => r.path === '/');
    expect(root?.id).toBe(rootId);
    expect(root?.pathPart).toBeUndefined();

    const got = await m.v1.send(new GetResourceCommand({ restApiId: apiId, resourceId: petId.id! }));
    expect(got).toMatchObject({ id: petId.id, parentId: pets.id, path: '/pets/{petId}' });
  });

  it('names methods with empty objects, and embeds them whole with embed=methods', async () => {
    const { apiId, rootId } = await newApi();
    const pets = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
    );
    await m.v1.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: pets.id!,
        httpMethod: 'GET',
        authorizationType: 'NONE',
        apiKeyRequired: true,
      }),
    );
    const plain = await m.v1.send(new GetResourcesCommand({ restApiId: apiId }));
    expect(plain.items?.find((r) => r.id === pets.id)?.resourceMethods).toEqual({ GET: {} });
    const embedded = await m.v1.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }));
    expect(embedded.items?.find((r) => r.id === pets.id)?.resourceMethods?.['GET']).toMatchObject({
      httpMethod: 'GET',
      authorizationType: 'NONE',
      apiKeyRequired: true,
    });
  });

  it('answers AWS errors: duplicate name, unknown parent, bad path part, greedy parent, second variable', async () => {
    const { apiId, rootId } = await newApi();
    const pets = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
    );
    const duplicate = await failure(
      m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' })),
    );
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect((duplicate as Error).message).toBe(
      'Another resource with the same parent already has this name: pets',
    );

    const orphan = await failure(
      m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: 'nope00', pathPart: 'x' })),
    );
    expect(orphan).toBeInstanceOf(NotFoundException);
    expect((orphan as Error).message).toBe('Invalid Resource identifier specified');

    const bad = await failure(
      m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'a b' })),
    );
    expect(bad).toBeInstanceOf(BadRequestException);
    expect((bad as Error).message).toContain("Resource's path part only allow a-zA-Z0-9._-");

    const proxy = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{proxy+}' }),
    );
    const underGreedy = await failure(
      m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxy.id!, pathPart: 'x' })),
    );
    expect((underGreedy as Error).message).toBe(
      'Cannot create a child of a resource with a greedy path variable: {proxy+}',
    );

    await m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: pets.id!, pathPart: '{id}' }));
    const second = await failure(
      m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: pets.id!, pathPart: '{name}' })),
    );
    expect(second).toBeInstanceOf(BadRequestException);

    const missingApi = await failure(m.v1.send(new GetResourcesCommand({ restApiId: 'nosuchapi0' })));
    expect(missingApi).toBeInstanceOf(NotFoundException);
  });

  it('renames and moves a resource; its descendants follow', async () => {
    const { apiId, rootId } = await newApi();
    const pets = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
    );
    const id = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: pets.id!, pathPart: '{id}' }),
    );
    const toys = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: id.id!, pathPart: 'toys' }),
    );
    const v2 = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'v2' }),
    );

    const renamed = await m.v1.send(
      new UpdateResourceCommand({
        restApiId: apiId,
        resourceId: pets.id!,
        patchOperations: [{ op: 'replace', path: '/pathPart', value: 'animals' }],
      }),
    );
    expect(renamed.path).toBe('/animals');
    expect((await m.v1.send(new GetResourceCommand({ restApiId: apiId, resourceId: toys.id! }))).path).toBe(
      '/animals/{id}/toys',
    );

    const moved = await m.v1.send(
      new UpdateResourceCommand({
        restApiId: apiId,
        resourceId: pets.id!,
        patchOperations: [{ op: 'replace', path: '/parentId', value: v2.id! }],
      }),
    );
    expect(moved).toMatchObject({ parentId: v2.id, path: '/v2/animals' });
    expect((await m.v1.send(new GetResourceCommand({ restApiId: apiId, resourceId: toys.id! }))).path).toBe(
      '/v2/animals/{id}/toys',
    );

    const underItself = await failure(
      m.v1.send(
        new UpdateResourceCommand({
          restApiId: apiId,
          resourceId: pets.id!,
          patchOperations: [{ op: 'replace', path: '/parentId', value: toys.id! }],
        }),
      ),
    );
    expect(underItself).toBeInstanceOf(BadRequestException);
  });

  it('keeps every one of many concurrent changes to one API', async () => {
    const { apiId, rootId } = await newApi();
    const names = Array.from({ length: 12 }, (_, i) => `r${i}`);
    await Promise.all(
      names.map((pathPart) =>
        m.v1.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart })),
      ),
    );
    const listed = await m.v1.send(new GetResourcesCommand({ restApiId: apiId, limit: 100 }));
    expect(listed.items?.map((r) => r.pathPart ?? '').sort()).toEqual(['', ...names].sort());
  });

  it('deletes a resource with its descendants and never the root', async () => {
    const { apiId, rootId } = await newApi();
    const pets = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
    );
    const id = await m.v1.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: pets.id!, pathPart: '{id}' }),
    );
    await m.v1.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: pets.id! }));
    const left = await m.v1.send(new GetResourcesCommand({ restApiId: apiId }));
    expect(left.items?.map((r) => r.path)).toEqual(['/']);
    const gone = await failure(m.v1.send(new GetResourceCommand({ restApiId: apiId, resourceId: id.id! })));
    expect(gone).toBeInstanceOf(NotFoundException);

    const root = await failure(
      m.v1.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: rootId })),
    );
    expect(root).toBeInstanceOf(BadRequestException);
    expect((root as Error).message).toBe('Cannot delete root resource');
  });
});
