// v1 UsagePlans, UsagePlanKeys and GetUsage through the AWS SDK and the AWS CLI, and the whole
// path: a key made and put in a plan through the management API opens a method that requires it.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import type { DataPlaneControl } from '../../src/controlplane/admin-context.js';
import { notFound } from '../../src/controlplane/admin-errors.js';
import { createAdminServer } from '../../src/controlplane/admin-server.js';
import { AdminCredentials, generateCredential } from '../../src/controlplane/credentials.js';
import { deploy } from '../../src/controlplane/deployments.js';
import { managementRoutes } from '../../src/controlplane/routes.js';
import { silentLog } from '../../src/observability/log.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { mock, restApi } from '../helpers/apis.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  const api = restApi({ 'GET /pets': mock(200, '{"pets":[]}') });
  api.resources.find((r) => r.path === '/pets')!.resourceMethods['GET']!.apiKeyRequired = true;
  await m.store.createApi(api);
  await deploy(m.store, { apiId: api.id, stageName: 'prod' });
  await deploy(m.store, { apiId: api.id, stageName: 'test' });
  apiId = api.id;
});
afterAll(() => m.close());

describe('UsagePlans', () => {
  it('creates, reads, lists, patches and deletes a plan', async () => {
    const created = await m.v1.send(
      new CreateUsagePlanCommand({
        name: 'gold',
        description: 'd',
        apiStages: [{ apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } }],
        throttle: { rateLimit: 100, burstLimit: 200 },
        quota: { limit: 1000, period: 'DAY' },
      }),
    );
    expect(created.id).toMatch(/^[a-z0-9]{6}$/);
    expect(created.quota).toEqual({ limit: 1000, offset: 0, period: 'DAY' });
    const id = created.id!;
    expect((await m.v1.send(new GetUsagePlanCommand({ usagePlanId: id }))).apiStages).toEqual([
      { apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } },
    ]);
    const list = await m.v1.send(new GetUsagePlansCommand({}));
    expect(list.items?.map((plan) => plan.id)).toContain(id);

    const patched = await m.v1.send(
      new UpdateUsagePlanCommand({
        usagePlanId: id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'platinum' },
          { op: 'replace', path: '/throttle/rateLimit', value: '50.5' },
          { op: 'replace', path: '/quota/limit', value: '5000' },
          { op: 'replace', path: '/quota/period', value: 'WEEK' },
          { op: 'add', path: '/apiStages', value: `${apiId}:test` },
          { op: 'replace', path: `/apiStages/${apiId}:prod/throttle/~1pets/GET/rateLimit`, value: '7' },
          { op: 'replace', path: `/apiStages/${apiId}:test/throttle/~1/GET/burstLimit`, value: '3' },
        ],
      }),
    );
    expect(patched).toMatchObject({
      name: 'platinum',
      throttle: { rateLimit: 50.5, burstLimit: 200 },
      quota: { limit: 5000, offset: 0, period: 'WEEK' },
    });
    expect(patched.apiStages).toEqual([
      { apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 7, burstLimit: 10 } } },
      { apiId, stage: 'test', throttle: { '//GET': { rateLimit: 0, burstLimit: 3 } } },
    ]);

    const removed = await m.v1.send(
      new UpdateUsagePlanCommand({
        usagePlanId: id,
        patchOperations: [
          { op: 'remove', path: '/apiStages', value: `${apiId}:test` },
          { op: 'remove', path: '/quota' },
        ],
      }),
    );
    expect(removed.apiStages?.map((s) => s.stage)).toEqual(['prod']);
    expect(removed.quota).toBeUndefined();

    await m.v1.send(new DeleteUsagePlanCommand({ usagePlanId: id }));
    const missing = await m.v1.send(new GetUsagePlanCommand({ usagePlanId: id })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid Usage Plan ID specified');
  });

  it("refuses a stage that does not exist and a path AWS does not know, with AWS's messages", async () => {
    const badStage = await m.v1
      .send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId, stage: 'nope' }] }))
      .catch((e: unknown) => e);
    expect(badStage).toBeInstanceOf(BadRequestException);
    expect((badStage as Error).message).toMatch(
      new RegExp(`^Invalid API Stage \\{api: ${apiId}, stage: nope\\} specified for usageplan [a-z0-9]{6}$`),
    );
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'y' }));
    const badPath = await m.v1
      .send(
        new UpdateUsagePlanCommand({
          usagePlanId: plan.id!,
          patchOperations: [{ op: 'replace', path: '/nope', value: '1' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(badPath).toBeInstanceOf(BadRequestException);
    expect((badPath as Error).message).toBe('Invalid patch path /nope for operation replace');
    const badPeriod = await m.v1
      .send(
        new UpdateUsagePlanCommand({
          usagePlanId: plan.id!,
          patchOperations: [{ op: 'replace', path: '/quota/limit', value: '1' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(badPeriod).toBeInstanceOf(BadRequestException);
  });

  it('adds, reads, lists and removes the keys of a plan, and lists the plans of a key', async () => {
    const plan = await m.v1.send(
      new CreateUsagePlanCommand({ name: 'keys', apiStages: [{ apiId, stage: 'prod' }] }),
    );
    const key = await m.v1.send(new CreateApiKeyCommand({ name: 'member', enabled: true }));
    const added = await m.v1.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }),
    );
    expect(added).toEqual({
      id: key.id,
      type: 'API_KEY',
      value: key.value,
      name: 'member',
      $metadata: added.$metadata,
    });
    const got = await m.v1.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id! }));
    expect(got.name).toBe('member');
    const keys = await m.v1.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    expect(keys.items?.map((k) => k.id)).toEqual([key.id]);
    const plansOfKey = await m.v1.send(new GetUsagePlansCommand({ keyId: key.id! }));
    expect(plansOfKey.items?.map((p) => p.id)).toEqual([plan.id]);

    await m.v1.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id! }));
    const gone = await m.v1
      .send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id! }))
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundException);
    const unknownKey = await m.v1
      .send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: 'nosuchkey0', keyType: 'API_KEY' }))
      .catch((e: unknown) => e);
    expect((unknownKey as Error).message).toBe('Invalid API Key identifier specified');
  });

  it.runIf(hasAwsCli)('works from the AWS CLI', async () => {
    const plan = await m.aws([
      'apigateway',
      'create-usage-plan',
      '--name',
      'cli-plan',
      '--api-stages',
      `apiId=${apiId},stage=prod`,
      '--throttle',
      'burstLimit=10,rateLimit=5',
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const planJson = plan.json as { id: string; apiStages: unknown[]; throttle: unknown };
    expect(planJson.apiStages).toEqual([{ apiId, stage: 'prod' }]);
    expect(planJson.throttle).toEqual({ burstLimit: 10, rateLimit: 5 });
    const key = await m.v1.send(new CreateApiKeyCommand({ name: 'cli-member' }));
    const added = await m.aws([
      'apigateway',
      'create-usage-plan-key',
      '--usage-plan-id',
      planJson.id,
      '--key-id',
      key.id!,
      '--key-type',
      'API_KEY',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json).toMatchObject({ id: key.id, type: 'API_KEY', name: 'cli-member' });
  });
});

describe('GetUsage', () => {
  it("passes the plan, key and dates to the data plane and answers AWS's Usage shape", async () => {
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'usage' }));
    const asked: unknown[] = [];
    const dataPlane: DataPlaneControl = {
      flushStageCache: () => Promise.resolve(),
      flushStageAuthorizersCache: () => Promise.resolve(),
      getUsage(request) {
        asked.push(request);
        return Promise.resolve({
          usagePlanId: request.usagePlanId,
          startDate: request.startDate,
          endDate: request.endDate,
          items: {
            keyabc: [
              [3, 97],
              [0, 100],
            ],
          },
        });
      },
    };
    const { client, close } = await adminWith(dataPlane);
    try {
      const usage = await client.send(
        new GetUsageCommand({
          usagePlanId: plan.id!,
          keyId: 'keyabc',
          startDate: '2026-01-01',
          endDate: '2026-01-02',
        }),
      );
      expect(asked).toEqual([
        { usagePlanId: plan.id, keyId: 'keyabc', startDate: '2026-01-01', endDate: '2026-01-02' },
      ]);
      expect(usage).toMatchObject({
        usagePlanId: plan.id,
        startDate: '2026-01-01',
        endDate: '2026-01-02',
        items: {
          keyabc: [
            [3, 97],
            [0, 100],
          ],
        },
      });
      const badDate = await client
        .send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: 'yesterday', endDate: '2026-01-02' }))
        .catch((e: unknown) => e);
      expect(badDate).toBeInstanceOf(BadRequestException);
      const unknownPlan = await client
        .send(new GetUsageCommand({ usagePlanId: 'nosuch', startDate: '2026-01-01', endDate: '2026-01-02' }))
        .catch((e: unknown) => e);
      expect((unknownPlan as Error).message).toBe('Invalid Usage Plan ID specified');
    } finally {
      await close();
    }
  });

  it("passes the data plane's refusal through", async () => {
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'usage-refused' }));
    const dataPlane: DataPlaneControl = {
      flushStageCache: () => Promise.resolve(),
      flushStageAuthorizersCache: () => Promise.resolve(),
      getUsage: () => Promise.reject(notFound('Usage is not recorded on this node')),
    };
    const { client, close } = await adminWith(dataPlane);
    try {
      const refused = await client
        .send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: '2026-01-01', endDate: '2026-01-02' }))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(NotFoundException);
      expect((refused as Error).message).toBe('Usage is not recorded on this node');
    } finally {
      await close();
    }
  });
});

describe('API keys on the data plane', () => {
  it('opens a method that requires a key once the key is in a plan for the stage, and closes it when disabled', async () => {
    const url = m.invokeUrl(apiId, 'prod', '/pets');
    const key = await m.v1.send(new CreateApiKeyCommand({ name: 'e2e', enabled: true }));
    const withKey = () => fetch(url, { headers: { 'x-api-key': key.value! } }).then((r) => r.status);
    const withoutKey = () => fetch(url).then((r) => r.status);
    expect(await withKey()).toBe(403);

    const plan = await m.v1.send(
      new CreateUsagePlanCommand({ name: 'e2e', apiStages: [{ apiId, stage: 'prod' }] }),
    );
    await m.v1.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }),
    );
    await expect.poll(withKey, { timeout: 1000, interval: 20 }).toBe(200);
    expect(await withoutKey()).toBe(403);
    expect(
      await fetch(m.invokeUrl(apiId, 'test', '/pets'), { headers: { 'x-api-key': key.value! } }).then(
        (r) => r.status,
      ),
    ).toBe(403);

    await m.v1.send(
      new UpdateApiKeyCommand({
        apiKey: key.id!,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    await expect.poll(withKey, { timeout: 1000, interval: 20 }).toBe(403);
  });
});

/** A management server over the same store with the given data plane, and a client for it. */
async function adminWith(
  dataPlane: DataPlaneControl,
): Promise<{ client: APIGatewayClient; close: () => Promise<void> }> {
  const credential = generateCredential();
  const server = createAdminServer({
    routes: managementRoutes(),
    context: { store: m.store, now: () => Date.now(), dataPlane },
    credentials: new AdminCredentials([credential]),
    log: silentLog,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new APIGatewayClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    maxAttempts: 1,
  });
  return {
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
