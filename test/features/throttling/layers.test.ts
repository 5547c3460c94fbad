// Throttling as AWS layers it, through a real gateway: the account bucket, the stage's `*/*`
// default and per-method settings (REST), defaultRouteSettings and routeSettings (HTTP APIs),
// and usage plans per API key with their per-method throttles. Each applicable bucket must
// admit the request. The clock is the test's and stands still unless a test moves it, so
// nothing refills behind a test's back. The whole suite runs on the memory state and on Redis.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRuntimeState, RedisRuntimeState, type RuntimeState } from '../../../src/state/index.js';
import type { MethodSetting, Stage } from '../../../src/model/api.js';
import type { ApiKey, UsagePlan } from '../../../src/model/usage-plans.js';
import { deploymentOf, httpApi, mock, restApi, stageOf } from '../../helpers/apis.js';
import { redisAvailable } from '../../helpers/services.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';
import { deleteKeys, ready, testClient, testPrefix } from '../../state/redis-keys.js';
import { runs, startThrottledGateway, TestClock, type ThrottledGateway } from './gateway.js';

const hasRedis = await redisAvailable();

const KEY_1 = 'customer-one-key-value-0001';
const KEY_2 = 'customer-two-key-value-0002';
const TOO_MANY = JSON.stringify({ message: 'Too Many Requests' });

function apiKey(id: string, value: string): ApiKey {
  return { id, value, enabled: true, createdDate: 0, lastUpdatedDate: 0 };
}

/** A REST API with GET /a, GET /b and the root, and GET /paid and /also-paid that require a key. */
function keyedApi() {
  const api = restApi({
    'GET /': mock(200, '{"at":"root"}'),
    'GET /a': mock(200, '{"at":"a"}'),
    'GET /b': mock(200, '{"at":"b"}'),
    'GET /paid': mock(200, '{"at":"paid"}'),
    'GET /also-paid': mock(200, '{"at":"also-paid"}'),
  });
  for (const resource of api.resources) {
    if (resource.path === '/paid' || resource.path === '/also-paid') {
      resource.resourceMethods.GET!.apiKeyRequired = true;
    }
  }
  return deploymentOf(api);
}

const withSettings = (stage: Stage, methodSettings: Record<string, MethodSetting>): Stage => ({
  ...stage,
  methodSettings,
});

interface Backend {
  name: string;
  open(): Promise<{ state: RuntimeState; cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'memory',
    open: () => Promise.resolve({ state: new MemoryRuntimeState(), cleanup: () => Promise.resolve() }),
  },
];
if (hasRedis) {
  backends.push({
    name: 'Redis',
    open: async () => {
      const keyPrefix = testPrefix();
      const client = testClient();
      await ready(client);
      return {
        state: new RedisRuntimeState({ client, ownsClient: true, keyPrefix, failure: 'closed' }),
        cleanup: () => deleteKeys(keyPrefix).then(() => undefined),
      };
    },
  });
}

describe.each(backends)('throttle layers ($name state)', (backend) => {
  let gateway: ThrottledGateway;
  let cleanup: () => Promise<void>;
  let clock: TestClock;
  const deployment = keyedApi();
  const apiId = deployment.apiId;

  async function start(account: { rateLimit: number; burstLimit: number } | null): Promise<void> {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    clock = new TestClock();
    gateway = await startThrottledGateway({ state: opened.state, account, clock: clock.read });
  }

  afterEach(async () => {
    await gateway.close();
    await cleanup();
  });

  describe('account level', () => {
    it('a route with no other limits gets the account bucket, shared by every route and stage', async () => {
      await start({ rateLimit: 1, burstLimit: 3 });
      gateway.serve([
        [deployment, stageOf(deployment, 'prod')],
        [deployment, stageOf(deployment, 'beta')],
      ]);
      expect(await gateway.statuses(1, apiId, 'prod', '/a')).toEqual([200]);
      expect(await gateway.statuses(1, apiId, 'beta', '/b')).toEqual([200]);
      expect(await gateway.statuses(1, apiId, 'prod', '/')).toEqual([200]);
      const refused = await gateway.get(apiId, 'beta', '/a');
      expect(refused).toEqual({ status: 429, body: TOO_MANY });
      // One token a second: the clock moves a second, one more request passes.
      clock.advance(1000);
      expect(await gateway.statuses(2, apiId, 'prod', '/b')).toEqual([200, 429]);
    });

    it('without an account limit a route with no settings is not throttled at all', async () => {
      await start(null);
      gateway.serve([[deployment, stageOf(deployment, 'prod')]]);
      expect(await gateway.statuses(30, apiId, 'prod', '/a')).toEqual(runs(30, 200));
    });

    it('an account limit of zero refuses everything', async () => {
      await start({ rateLimit: 0, burstLimit: 0 });
      gateway.serve([[deployment, stageOf(deployment, 'prod')]]);
      expect(await gateway.statuses(2, apiId, 'prod', '/a')).toEqual([429, 429]);
    });
  });

  describe('stage and method level (REST methodSettings)', () => {
    it('*/* is every method’s default: each method has a bucket of its own', async () => {
      await start(null);
      gateway.serve([
        [
          deployment,
          withSettings(stageOf(deployment, 'prod'), {
            '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
          }),
        ],
      ]);
      expect(await gateway.statuses(3, apiId, 'prod', '/a')).toEqual(runs(2, 200, 1));
      expect(await gateway.statuses(3, apiId, 'prod', '/b')).toEqual(runs(2, 200, 1));
      expect(await gateway.statuses(3, apiId, 'prod', '/')).toEqual(runs(2, 200, 1));
    });

    it('path/METHOD overrides */* field by field; the other field comes from */*', async () => {
      await start(null);
      gateway.serve([
        [
          deployment,
          withSettings(stageOf(deployment, 'prod'), {
            '*/*': { throttlingRateLimit: 2, throttlingBurstLimit: 5 },
            'a/GET': { throttlingBurstLimit: 1 },
            '/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 3 },
          }),
        ],
      ]);
      expect(await gateway.statuses(2, apiId, 'prod', '/a')).toEqual([200, 429]);
      expect(await gateway.statuses(6, apiId, 'prod', '/b')).toEqual(runs(5, 200, 1));
      // The root resource's key is `/GET`.
      expect(await gateway.statuses(4, apiId, 'prod', '/')).toEqual(runs(3, 200, 1));
      // /a refills at the `*/*` rate: 2 a second, so half a second gives one token.
      clock.advance(500);
      expect(await gateway.statuses(2, apiId, 'prod', '/a')).toEqual([200, 429]);
    });

    it('the account bucket still applies on top of a more generous method', async () => {
      await start({ rateLimit: 1, burstLimit: 2 });
      gateway.serve([
        [
          deployment,
          withSettings(stageOf(deployment, 'prod'), {
            'a/GET': { throttlingRateLimit: 100, throttlingBurstLimit: 100 },
          }),
        ],
      ]);
      expect(await gateway.statuses(3, apiId, 'prod', '/a')).toEqual(runs(2, 200, 1));
    });

    it('a method whose limit is zero refuses everything; the others are unaffected', async () => {
      await start(null);
      gateway.serve([
        [
          deployment,
          withSettings(stageOf(deployment, 'prod'), {
            'a/GET': { throttlingRateLimit: 0, throttlingBurstLimit: 10 },
          }),
        ],
      ]);
      expect(await gateway.statuses(2, apiId, 'prod', '/a')).toEqual([429, 429]);
      expect(await gateway.statuses(2, apiId, 'prod', '/b')).toEqual([200, 200]);
    });

    it('a refused request takes no token from the other buckets', async () => {
      await start({ rateLimit: 1, burstLimit: 3 });
      gateway.serve([
        [
          deployment,
          withSettings(stageOf(deployment, 'prod'), {
            'a/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 1 },
          }),
        ],
      ]);
      expect(await gateway.statuses(4, apiId, 'prod', '/a')).toEqual(runs(1, 200, 3));
      // The account bucket gave one token only: two are left for /b.
      expect(await gateway.statuses(3, apiId, 'prod', '/b')).toEqual(runs(2, 200, 1));
    });
  });

  describe('usage plans per API key', () => {
    const plan = (fields: Partial<UsagePlan>): UsagePlan => ({
      id: 'plan1',
      name: 'gold',
      apiStages: [{ apiId, stage: 'prod' }],
      ...fields,
    });

    async function withPlan(fields: Partial<UsagePlan>, stages = ['prod']): Promise<void> {
      gateway.keys.push(apiKey('k1', KEY_1), apiKey('k2', KEY_2));
      gateway.plans.push(plan(fields));
      gateway.links.push({ usagePlanId: 'plan1', keyId: 'k1' }, { usagePlanId: 'plan1', keyId: 'k2' });
      await gateway.refresh();
      gateway.serve(stages.map((name) => [deployment, stageOf(deployment, name)]));
    }
    const as = (value: string) => ({ 'x-api-key': value });

    it('the plan throttle is a bucket per key', async () => {
      await start(null);
      await withPlan({ throttle: { rateLimit: 1, burstLimit: 2 } });
      expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(2, 200, 1));
      expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_2))).toEqual(runs(2, 200, 1));
    });

    it("a key's plan bucket is shared by every method and stage of the plan", async () => {
      await start(null);
      await withPlan(
        {
          throttle: { rateLimit: 1, burstLimit: 3 },
          apiStages: [
            { apiId, stage: 'prod' },
            { apiId, stage: 'beta' },
          ],
        },
        ['prod', 'beta'],
      );
      expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200]);
      expect(await gateway.statuses(1, apiId, 'beta', '/paid', as(KEY_1))).toEqual([200]);
      expect(await gateway.statuses(1, apiId, 'prod', '/also-paid', as(KEY_1))).toEqual([200]);
      expect(await gateway.statuses(1, apiId, 'beta', '/also-paid', as(KEY_1))).toEqual([429]);
    });

    it("a per-method throttle in the plan's API stage adds a bucket per key and method", async () => {
      await start(null);
      await withPlan({
        throttle: { rateLimit: 1, burstLimit: 4 },
        apiStages: [{ apiId, stage: 'prod', throttle: { '/paid/GET': { rateLimit: 1, burstLimit: 1 } } }],
      });
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429]);
      // /also-paid has only the plan bucket, which has 3 tokens left for this key.
      expect(await gateway.statuses(4, apiId, 'prod', '/also-paid', as(KEY_1))).toEqual(runs(3, 200, 1));
      // The other key has buckets of its own.
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_2))).toEqual([200, 429]);
    });

    it("/*/* in the plan's API stage is every method's default, a bucket per method", async () => {
      await start(null);
      await withPlan({
        apiStages: [{ apiId, stage: 'prod', throttle: { '/*/*': { rateLimit: 1, burstLimit: 1 } } }],
      });
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429]);
      expect(await gateway.statuses(2, apiId, 'prod', '/also-paid', as(KEY_1))).toEqual([200, 429]);
    });

    it('the stage and account buckets apply to keyed requests too', async () => {
      await start({ rateLimit: 1, burstLimit: 3 });
      await withPlan({ throttle: { rateLimit: 100, burstLimit: 100 } });
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 200]);
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_2))).toEqual([200, 429]);
    });

    it('a plan throttle of zero refuses every request of its keys', async () => {
      await start(null);
      await withPlan({ throttle: { rateLimit: 0, burstLimit: 0 } });
      expect(await gateway.get(apiId, 'prod', '/paid', as(KEY_1))).toEqual({ status: 429, body: TOO_MANY });
    });

    it('methods that do not require a key are not limited by the plan', async () => {
      await start(null);
      await withPlan({ throttle: { rateLimit: 1, burstLimit: 1 } });
      expect(await gateway.statuses(5, apiId, 'prod', '/a', as(KEY_1))).toEqual(runs(5, 200));
    });

    it('plan changes take effect without a redeploy', async () => {
      await start(null);
      await withPlan({});
      expect(await gateway.statuses(5, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(5, 200));
      gateway.plans[0]!.throttle = { rateLimit: 1, burstLimit: 1 };
      await gateway.refresh();
      expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429]);
    });
  });

  describe('HTTP APIs: defaultRouteSettings, then routeSettings by route key', () => {
    let upstream: Upstream;
    beforeAll(async () => {
      upstream = await startUpstream();
    });
    afterAll(async () => {
      await upstream.close();
    });

    it('a route key’s settings override the stage default; other routes have the default each', async () => {
      await start(null);
      const http = deploymentOf(
        httpApi({
          'GET /one': `${upstream.origin}/one`,
          'GET /two': `${upstream.origin}/two`,
          'GET /three': `${upstream.origin}/three`,
        }),
      );
      gateway.serve([
        [
          http,
          {
            ...stageOf(http, '$default'),
            defaultRouteSettings: { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
            routeSettings: { 'GET /one': { throttlingBurstLimit: 4 } },
          },
        ],
      ]);
      expect(await gateway.statuses(5, http.apiId, '$default', '/one')).toEqual(runs(4, 200, 1));
      expect(await gateway.statuses(3, http.apiId, '$default', '/two')).toEqual(runs(2, 200, 1));
      expect(await gateway.statuses(3, http.apiId, '$default', '/three')).toEqual(runs(2, 200, 1));
      expect(gateway.warnings).toEqual([]);
    });
  });
});
