import { describe, expect, it } from 'vitest';
import {
  AWS_ACCOUNT_LIMITS,
  httpRouteLimits,
  restMethodLimits,
} from '../../../src/features/throttling/index.js';
import type { Stage } from '../../../src/model/api.js';

const stage = (fields: Partial<Stage>): Stage => ({
  apiId: 'api',
  stageName: 'prod',
  variables: {},
  createdDate: 0,
  lastUpdatedDate: 0,
  ...fields,
});

describe('stage-level limits, settled at deploy time', () => {
  it('REST: path/METHOD, then path/*, then */*, field by field; unset fields take the account values', () => {
    const s = stage({
      methodSettings: {
        '*/*': { throttlingRateLimit: 50 },
        'pets/*': { throttlingBurstLimit: 20 },
        'pets/GET': { throttlingRateLimit: 5 },
      },
    });
    expect(restMethodLimits(s, '/pets', 'GET', AWS_ACCOUNT_LIMITS)).toEqual({ rateLimit: 5, burstLimit: 20 });
    expect(restMethodLimits(s, '/pets', 'POST', AWS_ACCOUNT_LIMITS)).toEqual({
      rateLimit: 50,
      burstLimit: 20,
    });
    expect(restMethodLimits(s, '/owners', 'GET', AWS_ACCOUNT_LIMITS)).toEqual({
      rateLimit: 50,
      burstLimit: 5000,
    });
    expect(restMethodLimits(s, '/owners', 'GET', { rateLimit: 7, burstLimit: 3 })).toEqual({
      rateLimit: 50,
      burstLimit: 3,
    });
  });

  it('REST: no throttling settings at any level leaves only the account bucket', () => {
    expect(restMethodLimits(stage({}), '/pets', 'GET', AWS_ACCOUNT_LIMITS)).toBeUndefined();
    const caching = stage({ methodSettings: { '*/*': { cachingEnabled: true } } });
    expect(restMethodLimits(caching, '/pets', 'GET', AWS_ACCOUNT_LIMITS)).toBeUndefined();
  });

  it('REST: keys escaped as in patch paths (~1) name the same methods, the root included', () => {
    const s = stage({
      methodSettings: {
        '~1pets~1{id}/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        '~1/GET': { throttlingRateLimit: 2, throttlingBurstLimit: 2 },
      },
    });
    expect(restMethodLimits(s, '/pets/{id}', 'GET', AWS_ACCOUNT_LIMITS)).toEqual({
      rateLimit: 1,
      burstLimit: 1,
    });
    expect(restMethodLimits(s, '/', 'GET', AWS_ACCOUNT_LIMITS)).toEqual({ rateLimit: 2, burstLimit: 2 });
  });

  it('HTTP APIs: routeSettings for the route key, then defaultRouteSettings', () => {
    const s = stage({
      defaultRouteSettings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 },
      routeSettings: { 'GET /pets': { throttlingBurstLimit: 5 }, $default: { throttlingRateLimit: 1 } },
    });
    expect(httpRouteLimits(s, 'GET /pets', AWS_ACCOUNT_LIMITS)).toEqual({ rateLimit: 100, burstLimit: 5 });
    expect(httpRouteLimits(s, '$default', AWS_ACCOUNT_LIMITS)).toEqual({ rateLimit: 1, burstLimit: 50 });
    expect(httpRouteLimits(s, 'POST /pets', AWS_ACCOUNT_LIMITS)).toEqual({ rateLimit: 100, burstLimit: 50 });
    expect(httpRouteLimits(stage({}), 'GET /pets', AWS_ACCOUNT_LIMITS)).toBeUndefined();
  });
});
