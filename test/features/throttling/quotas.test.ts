// Usage plan quotas through a real gateway: a limit per key per period, periods in UTC with
// their boundaries crossed by moving the test's clock (never by sleeping), 429 "Limit Exceeded"
// past the limit, and the daily usage GetUsage reports. Runs on the memory state and on Redis.
import { afterEach, describe, expect, it } from 'vitest';
import { getUsage, UsageRequestError } from '../../../src/features/throttling/index.js';
import type { QuotaSettings, UsagePlan } from '../../../src/model/usage-plans.js';
import { MemoryRuntimeState, RedisRuntimeState, type RuntimeState } from '../../../src/state/index.js';
import { deploymentOf, mock, restApi, stageOf } from '../../helpers/apis.js';
import { redisAvailable } from '../../helpers/services.js';
import { deleteKeys, ready, testClient, testPrefix } from '../../state/redis-keys.js';
import { runs, startThrottledGateway, TestClock, type ThrottledGateway } from './gateway.js';

const hasRedis = await redisAvailable();

const KEY_1 = 'quota-customer-one-0001';
const KEY_2 = 'quota-customer-two-0002';
const LIMIT_EXCEEDED = JSON.stringify({ message: 'Limit Exceeded' });
const as = (value: string) => ({ 'x-api-key': value });

function paidApi() {
  const api = restApi({ 'GET /paid': mock(200, '{}'), 'GET /more': mock(200, '{}') });
  for (const resource of api.resources) {
    const get = resource.resourceMethods.GET;
    if (get) get.apiKeyRequired = true;
  }
  return deploymentOf(api);
}

const backends: {
  name: string;
  open: () => Promise<{ state: RuntimeState; cleanup: () => Promise<void> }>;
}[] = [
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

describe.each(backends)('usage plan quotas ($name state)', (backend) => {
  let gateway: ThrottledGateway;
  let cleanup: () => Promise<void>;
  let clock: TestClock;
  const deployment = paidApi();
  const apiId = deployment.apiId;

  async function start(quota: QuotaSettings | undefined, fields: Partial<UsagePlan> = {}, at?: number) {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    clock = new TestClock(at);
    gateway = await startThrottledGateway({ state: opened.state, account: null, clock: clock.read });
    gateway.keys.push(
      { id: 'k1', value: KEY_1, enabled: true, createdDate: 0, lastUpdatedDate: 0 },
      { id: 'k2', value: KEY_2, enabled: true, createdDate: 0, lastUpdatedDate: 0 },
    );
    gateway.plans.push({
      id: 'plan1',
      name: 'metered',
      apiStages: [
        { apiId, stage: 'prod' },
        { apiId, stage: 'beta' },
      ],
      ...(quota && { quota }),
      ...fields,
    });
    gateway.links.push({ usagePlanId: 'plan1', keyId: 'k1' }, { usagePlanId: 'plan1', keyId: 'k2' });
    await gateway.refresh();
    gateway.serve([
      [deployment, stageOf(deployment, 'prod')],
      [deployment, stageOf(deployment, 'beta')],
    ]);
  }

  afterEach(async () => {
    await gateway.close();
    await cleanup();
  });

  it('DAY: the limit per key per UTC day, then 429 Limit Exceeded until midnight UTC', async () => {
    // Wednesday 2026-01-07 23:59:59.
    await start({ limit: 3, offset: 0, period: 'DAY' }, {}, Date.UTC(2026, 0, 7, 23, 59, 59));
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(3, 200));
    expect(await gateway.get(apiId, 'prod', '/paid', as(KEY_1))).toEqual({
      status: 429,
      body: LIMIT_EXCEEDED,
    });
    // The other key has a quota of its own.
    expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_2))).toEqual([200]);
    clock.advance(999);
    expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_1))).toEqual([429]);
    clock.advance(1); // 00:00:00.000 on Thursday
    expect(await gateway.statuses(4, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(3, 200, 1));
  });

  it('the quota is summed over every method and stage of the plan', async () => {
    await start({ limit: 4, offset: 0, period: 'DAY' });
    expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 200]);
    expect(await gateway.statuses(1, apiId, 'beta', '/paid', as(KEY_1))).toEqual([200]);
    expect(await gateway.statuses(2, apiId, 'beta', '/more', as(KEY_1))).toEqual([200, 429]);
  });

  it('WEEK runs from Sunday 00:00 UTC', async () => {
    // Saturday 2026-01-10 12:00: the week began on Sunday the 4th.
    await start({ limit: 2, offset: 0, period: 'WEEK' }, {}, Date.UTC(2026, 0, 10, 12));
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(2, 200, 1));
    clock.now = Date.UTC(2026, 0, 11) - 1; // Saturday 23:59:59.999: the same week
    expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_1))).toEqual([429]);
    clock.now = Date.UTC(2026, 0, 11); // Sunday 00:00: a new week
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(2, 200, 1));
  });

  it("the offset is subtracted from the limit in the plan's first period only", async () => {
    await start({ limit: 5, offset: 3, period: 'DAY' });
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(2, 200, 1));
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_2))).toEqual(runs(2, 200, 1));
    clock.advance(86_400_000);
    expect(await gateway.statuses(6, apiId, 'prod', '/paid', as(KEY_1))).toEqual(runs(5, 200, 1));
    const usage = await getUsage(gateway.throttling, 'plan1', 'k1', '2026-01-07', '2026-01-08');
    expect(usage.items).toEqual({
      k1: [
        [2, 0],
        [5, 0],
      ],
    });
  });

  it('MONTH starts on the 1st at 00:00 UTC', async () => {
    await start({ limit: 1, offset: 0, period: 'MONTH' }, {}, Date.UTC(2026, 1, 1) - 60_000);
    expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429]);
    clock.advance(60_000); // 1 February
    expect(await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429]);
  });

  it('a throttled request uses no quota', async () => {
    await start({ limit: 3, offset: 0, period: 'DAY' }, { throttle: { rateLimit: 1, burstLimit: 1 } });
    expect(await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200, 429, 429]);
    clock.advance(1000);
    expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200]);
    clock.advance(1000);
    expect(await gateway.statuses(1, apiId, 'prod', '/paid', as(KEY_1))).toEqual([200]);
    clock.advance(1000);
    expect(await gateway.get(apiId, 'prod', '/paid', as(KEY_1))).toEqual({
      status: 429,
      body: LIMIT_EXCEEDED,
    });
  });

  it('GetUsage: [used, remaining] per key and day; remaining counts down over the period', async () => {
    // Wednesday 2026-01-07; the week (offset 0) began on Sunday the 4th.
    await start({ limit: 10, offset: 0, period: 'WEEK' });
    await gateway.statuses(2, apiId, 'prod', '/paid', as(KEY_1)); // Wednesday
    clock.advance(86_400_000);
    await gateway.statuses(3, apiId, 'beta', '/paid', as(KEY_1)); // Thursday
    await gateway.statuses(1, apiId, 'prod', '/more', as(KEY_2));
    clock.advance(3 * 86_400_000);
    await gateway.statuses(4, apiId, 'prod', '/paid', as(KEY_1)); // Sunday: a new week
    const usage = await getUsage(gateway.throttling, 'plan1', undefined, '2026-01-06', '2026-01-11');
    expect(usage).toEqual({
      usagePlanId: 'plan1',
      startDate: '2026-01-06',
      endDate: '2026-01-11',
      items: {
        k1: [
          [0, 10],
          [2, 8],
          [3, 5],
          [0, 5],
          [0, 5],
          [4, 6],
        ],
        k2: [
          [0, 10],
          [0, 10],
          [1, 9],
          [0, 9],
          [0, 9],
          [0, 10],
        ],
      },
    });
    const one = await getUsage(gateway.throttling, 'plan1', 'k2', '2026-01-08', '2026-01-08');
    expect(one.items).toEqual({ k2: [[1, 9]] });
    // The first day's remaining quota counts the days before it in the same week.
    const fromThursday = await getUsage(gateway.throttling, 'plan1', 'k1', '2026-01-09', '2026-01-09');
    expect(fromThursday.items).toEqual({ k1: [[0, 5]] });
  });

  it('GetUsage without a quota reports the requests and 0 remaining', async () => {
    await start(undefined);
    await gateway.statuses(3, apiId, 'prod', '/paid', as(KEY_1));
    const usage = await getUsage(gateway.throttling, 'plan1', 'k1', '2026-01-07', '2026-01-07');
    expect(usage.items).toEqual({ k1: [[3, 0]] });
  });

  it('GetUsage refuses an unknown plan and bad dates', async () => {
    await start(undefined);
    const attempt = (plan: string, from: string, to: string) =>
      getUsage(gateway.throttling, plan, undefined, from, to).then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(await attempt('nope', '2026-01-01', '2026-01-02')).toMatchObject({ kind: 'NotFound' });
    for (const [from, to] of [
      ['2026-13-01', '2026-01-02'],
      ['2026-01-02', 'tomorrow'],
      ['2026-01-05', '2026-01-04'],
      ['2024-01-01', '2026-01-01'],
    ] as const) {
      const error = await attempt('plan1', from, to);
      expect(error).toBeInstanceOf(UsageRequestError);
      expect(error).toMatchObject({ kind: 'BadRequest' });
    }
  });
});
