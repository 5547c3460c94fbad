// v1 DomainNames and BasePathMappings through the AWS SDK and the AWS CLI, stored as the shared
// custom domain model (domain + API mappings) that the data plane routes by.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateBasePathMappingCommand,
  CreateDomainNameCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  NotFoundException,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway';
import { deploy } from '../../src/controlplane/deployments.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { mock, restApi } from '../helpers/apis.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  const api = restApi({ 'GET /': mock(200, '{"hello":"domain"}') });
  await m.store.createApi(api);
  await deploy(m.store, { apiId: api.id, stageName: 'prod' });
  await deploy(m.store, { apiId: api.id, stageName: 'beta' });
  apiId = api.id;
});
afterAll(() => m.close());

describe('DomainNames', () => {
  it('keeps domain names in lower case and finds them in any case, as AWS does', async () => {
    const created = await m.v1.send(new CreateDomainNameCommand({ domainName: 'Mixed.Example.COM' }));
    expect(created.domainName).toBe('mixed.example.com');
    const got = await m.v1.send(new GetDomainNameCommand({ domainName: 'MIXED.example.com' }));
    expect(got.domainName).toBe('mixed.example.com');
    await m.v1.send(new DeleteDomainNameCommand({ domainName: 'mixed.EXAMPLE.com' }));
  });

  it('creates a regional domain name, reads it with the computed fields, patches and deletes it', async () => {
    const created = await m.v1.send(
      new CreateDomainNameCommand({
        domainName: 'api.example.com',
        regionalCertificateName: 'example',
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
        tags: { env: 'prod' },
      }),
    );
    expect(created).toMatchObject({
      domainName: 'api.example.com',
      regionalCertificateName: 'example',
      regionalDomainName: 'api.example.com',
      endpointConfiguration: { types: ['REGIONAL'] },
      domainNameStatus: 'AVAILABLE',
      securityPolicy: 'TLS_1_2',
      tags: { env: 'prod' },
    });
    expect(created.distributionDomainName).toBeUndefined();
    const stored = await m.store.getDomainName('api.example.com');
    expect(stored).toMatchObject({ endpointType: 'REGIONAL', certificateName: 'example' });

    const list = await m.v1.send(new GetDomainNamesCommand({}));
    expect(list.items?.map((d) => d.domainName)).toContain('api.example.com');

    const patched = await m.v1.send(
      new UpdateDomainNameCommand({
        domainName: 'api.example.com',
        patchOperations: [
          {
            op: 'replace',
            path: '/regionalCertificateArn',
            value: 'arn:aws:acm:us-east-1:000000000000:certificate/x',
          },
          {
            op: 'replace',
            path: '/mutualTlsAuthentication/truststoreUri',
            value: 'file:///etc/gatehouse/ca.pem',
          },
        ],
      }),
    );
    expect(patched.regionalCertificateArn).toBe('arn:aws:acm:us-east-1:000000000000:certificate/x');
    expect(patched.mutualTlsAuthentication).toEqual({ truststoreUri: 'file:///etc/gatehouse/ca.pem' });

    await m.v1.send(new DeleteDomainNameCommand({ domainName: 'api.example.com' }));
    const missing = await m.v1
      .send(new GetDomainNameCommand({ domainName: 'api.example.com' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid domain name identifier specified');
  });

  it('defaults to an edge domain and refuses duplicates and uploaded certificates', async () => {
    const edge = await m.v1.send(
      new CreateDomainNameCommand({ domainName: 'edge.example.com', certificateName: 'edge' }),
    );
    expect(edge).toMatchObject({
      endpointConfiguration: { types: ['EDGE'] },
      distributionDomainName: 'edge.example.com',
      certificateName: 'edge',
    });
    const again = await m.v1
      .send(new CreateDomainNameCommand({ domainName: 'edge.example.com' }))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictException);
    expect((again as Error).message).toBe('The domain name you provided already exists.');
    const upload = await m.v1
      .send(new CreateDomainNameCommand({ domainName: 'up.example.com', certificateBody: '-----BEGIN…' }))
      .catch((e: unknown) => e);
    expect(upload).toBeInstanceOf(BadRequestException);
  });
});

describe('BasePathMappings', () => {
  it('maps the root and a base path, reads, lists, patches and deletes them', async () => {
    await m.v1.send(
      new CreateDomainNameCommand({
        domainName: 'maps.example.com',
        endpointConfiguration: { types: ['REGIONAL'] },
      }),
    );
    const root = await m.v1.send(
      new CreateBasePathMappingCommand({ domainName: 'maps.example.com', restApiId: apiId, stage: 'prod' }),
    );
    expect(root).toMatchObject({ basePath: '(none)', restApiId: apiId, stage: 'prod' });
    const pets = await m.v1.send(
      new CreateBasePathMappingCommand({
        domainName: 'maps.example.com',
        basePath: 'pets',
        restApiId: apiId,
        stage: 'beta',
      }),
    );
    expect(pets.basePath).toBe('pets');
    const mappings = await m.store.listApiMappings('maps.example.com');
    expect(mappings.map((mapping) => mapping.apiMappingKey).sort()).toEqual(['', 'pets']);

    const gotRoot = await m.v1.send(
      new GetBasePathMappingCommand({ domainName: 'maps.example.com', basePath: '(none)' }),
    );
    expect(gotRoot.stage).toBe('prod');
    const list = await m.v1.send(new GetBasePathMappingsCommand({ domainName: 'maps.example.com' }));
    expect(list.items?.map((item) => item.basePath).sort()).toEqual(['(none)', 'pets']);

    const patched = await m.v1.send(
      new UpdateBasePathMappingCommand({
        domainName: 'maps.example.com',
        basePath: 'pets',
        patchOperations: [
          { op: 'replace', path: '/basePath', value: 'animals' },
          { op: 'replace', path: '/stage', value: 'prod' },
        ],
      }),
    );
    expect(patched).toEqual({
      basePath: 'animals',
      restApiId: apiId,
      stage: 'prod',
      $metadata: patched.$metadata,
    });

    const taken = await m.v1
      .send(
        new CreateBasePathMappingCommand({
          domainName: 'maps.example.com',
          basePath: 'animals',
          restApiId: apiId,
          stage: 'beta',
        }),
      )
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictException);
    expect((taken as Error).message).toBe('Base path already exists for this domain name');

    await m.v1.send(
      new DeleteBasePathMappingCommand({ domainName: 'maps.example.com', basePath: 'animals' }),
    );
    const missing = await m.v1
      .send(new GetBasePathMappingCommand({ domainName: 'maps.example.com', basePath: 'animals' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid base path mapping identifier specified');
  });

  it("refuses what AWS refuses, with AWS's messages", async () => {
    await m.v1.send(new CreateDomainNameCommand({ domainName: 'bad.example.com' }));
    const slash = await m.v1
      .send(
        new CreateBasePathMappingCommand({
          domainName: 'bad.example.com',
          basePath: 'a/b',
          restApiId: apiId,
          stage: 'prod',
        }),
      )
      .catch((e: unknown) => e);
    expect(slash).toBeInstanceOf(BadRequestException);
    expect((slash as Error).message).toContain("doesn't support the slash character");
    const noApi = await m.v1
      .send(
        new CreateBasePathMappingCommand({
          domainName: 'bad.example.com',
          restApiId: 'nosuchapi0',
          stage: 'prod',
        }),
      )
      .catch((e: unknown) => e);
    expect((noApi as Error).message).toBe('Invalid REST API identifier specified');
    const noStage = await m.v1
      .send(
        new CreateBasePathMappingCommand({ domainName: 'bad.example.com', restApiId: apiId, stage: 'nope' }),
      )
      .catch((e: unknown) => e);
    expect((noStage as Error).message).toBe('Invalid stage identifier specified');
    const noDomain = await m.v1
      .send(new GetBasePathMappingsCommand({ domainName: 'none.example.com' }))
      .catch((e: unknown) => e);
    expect(noDomain).toBeInstanceOf(NotFoundException);
  });

  it.runIf(hasAwsCli)('works from the AWS CLI, and the data plane routes by the mapping', async () => {
    const domain = await m.aws([
      'apigateway',
      'create-domain-name',
      '--domain-name',
      'cli.example.com',
      '--endpoint-configuration',
      'types=REGIONAL',
    ]);
    expect(domain.code, domain.stderr).toBe(0);
    const mapping = await m.aws([
      'apigateway',
      'create-base-path-mapping',
      '--domain-name',
      'cli.example.com',
      '--rest-api-id',
      apiId,
      '--stage',
      'prod',
    ]);
    expect(mapping.code, mapping.stderr).toBe(0);
    expect(mapping.json).toEqual({ basePath: '(none)', restApiId: apiId, stage: 'prod' });
    await expect
      .poll(() => getWithHost(`${m.gatewayUrl}/`, 'cli.example.com'), { timeout: 2000, interval: 25 })
      .toBe('200 {"hello":"domain"}');
  });
});

/** GET with a Host header of our choosing (fetch sends the URL's). */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(`${res.statusCode ?? 0} ${body}`));
    });
    req.on('error', reject);
    req.end();
  });
}
