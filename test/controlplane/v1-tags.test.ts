// v1 Tags (GetTags, TagResource, UntagResource) on every kind of ARN Gatehouse keeps tags for:
// REST APIs, stages, API keys, usage plans and domain names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  CreateApiKeyCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  GetApiKeyCommand,
  GetTagsCommand,
  NotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { deploy } from '../../src/controlplane/deployments.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

const ARN = 'arn:aws:apigateway:us-east-1::';

describe('Tags', () => {
  it('tags, reads and untags each kind of resource, on the object itself', async () => {
    const api = await m.v1.send(new CreateRestApiCommand({ name: 'tagged', tags: { a: '1' } }));
    await deploy(m.store, { apiId: api.id!, stageName: 'prod' });
    const key = await m.v1.send(new CreateApiKeyCommand({ name: 'tagged' }));
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'tagged' }));
    await m.v1.send(new CreateDomainNameCommand({ domainName: 'tags.example.com' }));
    const arns = [
      `${ARN}/restapis/${api.id!}`,
      `${ARN}/restapis/${api.id!}/stages/prod`,
      `${ARN}/apikeys/${key.id!}`,
      `${ARN}/usageplans/${plan.id!}`,
      `${ARN}/domainnames/tags.example.com`,
    ];
    for (const resourceArn of arns) {
      await m.v1.send(new TagResourceCommand({ resourceArn, tags: { team: 'edge', env: 'prod' } }));
      await m.v1.send(new UntagResourceCommand({ resourceArn, tagKeys: ['env'] }));
      const { tags } = await m.v1.send(new GetTagsCommand({ resourceArn }));
      expect(tags, resourceArn).toMatchObject({ team: 'edge' });
      expect(tags?.['env'], resourceArn).toBeUndefined();
    }
    expect((await m.v1.send(new GetTagsCommand({ resourceArn: arns[0] }))).tags).toEqual({
      a: '1',
      team: 'edge',
    });
    expect((await m.store.getStage(api.id!, 'prod'))?.tags).toEqual({ team: 'edge' });
    expect((await m.v1.send(new GetApiKeyCommand({ apiKey: key.id! }))).tags).toEqual({ team: 'edge' });
    expect((await m.store.getUsagePlan(plan.id!))?.tags).toEqual({ team: 'edge' });
    expect((await m.store.getDomainName('tags.example.com'))?.tags).toEqual({ team: 'edge' });
  });

  it('refuses an ARN it does not know and answers NotFound for a missing resource', async () => {
    const bad = await m.v1
      .send(new GetTagsCommand({ resourceArn: 'arn:aws:s3:::bucket' }))
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestException);
    expect((bad as Error).message).toBe('Invalid ARN specified in the request');
    const missing = await m.v1
      .send(new GetTagsCommand({ resourceArn: `${ARN}/apikeys/nosuchkey0` }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    const reserved = await m.v1
      .send(
        new TagResourceCommand({
          resourceArn: `${ARN}/domainnames/tags.example.com`,
          tags: { 'aws:x': 'y' },
        }),
      )
      .catch((e: unknown) => e);
    expect(reserved).toBeInstanceOf(BadRequestException);
  });

  it.runIf(hasAwsCli)('works from the AWS CLI', async () => {
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'cli-tags' }));
    const resourceArn = `${ARN}/usageplans/${plan.id!}`;
    const tagged = await m.aws([
      'apigateway',
      'tag-resource',
      '--resource-arn',
      resourceArn,
      '--tags',
      'owner=ops',
    ]);
    expect(tagged.code, tagged.stderr).toBe(0);
    const got = await m.aws(['apigateway', 'get-tags', '--resource-arn', resourceArn]);
    expect(got.json).toEqual({ tags: { owner: 'ops' } });
  });
});
