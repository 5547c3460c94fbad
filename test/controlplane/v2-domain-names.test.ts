// v2 DomainNames and ApiMappings through the AWS SDK: create, get, list, update, delete and
// errors, over the model v1 shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand,
  CreateStageCommand,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  GetApiMappingCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  NotFoundException,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-apigatewayv2';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

describe('v2 DomainNames and ApiMappings', () => {
  it('creates, reads, lists, updates and deletes a domain name', async () => {
    const created = await m.v2.send(
      new CreateDomainNameCommand({
        DomainName: 'api.example.com',
        DomainNameConfigurations: [{ CertificateName: 'example', EndpointType: 'REGIONAL' }],
        Tags: { team: 'a' },
      }),
    );
    expect(created).toMatchObject({
      DomainName: 'api.example.com',
      ApiMappingSelectionExpression: '$request.basepath',
      Tags: { team: 'a' },
    });
    expect(created.DomainNameConfigurations?.[0]).toMatchObject({
      CertificateName: 'example',
      EndpointType: 'REGIONAL',
      SecurityPolicy: 'TLS_1_2',
      DomainNameStatus: 'AVAILABLE',
      ApiGatewayDomainName: '127.0.0.1',
    });
    expect((await m.store.getDomainName('api.example.com'))?.certificateName).toBe('example');
    const updated = await m.v2.send(
      new UpdateDomainNameCommand({
        DomainName: 'api.example.com',
        DomainNameConfigurations: [{ SecurityPolicy: 'TLS_1_0' }],
      }),
    );
    expect(updated.DomainNameConfigurations?.[0]).toMatchObject({
      SecurityPolicy: 'TLS_1_0',
      CertificateName: 'example',
    });
    const list = await m.v2.send(new GetDomainNamesCommand({}));
    expect(list.Items?.map((domain) => domain.DomainName)).toContain('api.example.com');
    const duplicate = await failure(
      m.v2.send(new CreateDomainNameCommand({ DomainName: 'api.example.com' })),
    );
    expect(duplicate).toBeInstanceOf(ConflictException);
    const twoConfigs = await failure(
      m.v2.send(
        new CreateDomainNameCommand({ DomainName: 'b.example.com', DomainNameConfigurations: [{}, {}] }),
      ),
    );
    expect(twoConfigs).toBeInstanceOf(BadRequestException);
    await m.v2.send(new DeleteDomainNameCommand({ DomainName: 'api.example.com' }));
    const missing = await failure(m.v2.send(new GetDomainNameCommand({ DomainName: 'api.example.com' })));
    expect(missing).toBeInstanceOf(NotFoundException);
  });

  it('maps a base path of a domain to an API stage', async () => {
    await m.v2.send(new CreateDomainNameCommand({ DomainName: 'shop.example.com' }));
    const apiId = (await m.v2.send(new CreateApiCommand({ Name: 'shop', ProtocolType: 'HTTP' }))).ApiId!;
    await m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    await m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'beta' }));
    const created = await m.v2.send(
      new CreateApiMappingCommand({
        DomainName: 'shop.example.com',
        ApiId: apiId,
        Stage: 'prod',
        ApiMappingKey: 'orders',
      }),
    );
    expect(created).toMatchObject({ ApiId: apiId, Stage: 'prod', ApiMappingKey: 'orders' });
    const got = await m.v2.send(
      new GetApiMappingCommand({ DomainName: 'shop.example.com', ApiMappingId: created.ApiMappingId! }),
    );
    expect(got.Stage).toBe('prod');
    const updated = await m.v2.send(
      new UpdateApiMappingCommand({
        DomainName: 'shop.example.com',
        ApiMappingId: created.ApiMappingId!,
        ApiId: apiId,
        Stage: 'beta',
      }),
    );
    expect(updated).toMatchObject({ Stage: 'beta', ApiMappingKey: 'orders' });
    const taken = await failure(
      m.v2.send(
        new CreateApiMappingCommand({
          DomainName: 'shop.example.com',
          ApiId: apiId,
          Stage: 'prod',
          ApiMappingKey: 'orders',
        }),
      ),
    );
    expect(taken).toBeInstanceOf(ConflictException);
    const noStage = await failure(
      m.v2.send(new CreateApiMappingCommand({ DomainName: 'shop.example.com', ApiId: apiId, Stage: 'nope' })),
    );
    expect((noStage as Error).message).toBe('Invalid Stage identifier specified nope');
    const list = await m.v2.send(new GetApiMappingsCommand({ DomainName: 'shop.example.com' }));
    expect(list.Items?.map((mapping) => mapping.ApiMappingId)).toEqual([created.ApiMappingId]);
    await m.v2.send(
      new DeleteApiMappingCommand({ DomainName: 'shop.example.com', ApiMappingId: created.ApiMappingId! }),
    );
    const missing = await failure(
      m.v2.send(
        new GetApiMappingCommand({ DomainName: 'shop.example.com', ApiMappingId: created.ApiMappingId! }),
      ),
    );
    expect((missing as Error).message).toBe(
      `Invalid ApiMapping identifier specified ${created.ApiMappingId}`,
    );
  });
});
