// Canary requests (ctx.isCanaryRequest, set by canary selection) use the stage cache only
// when canarySettings.useStageCache is true.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RequestContext, type MethodResponse } from '../../../src/dataplane/context.js';
import { compileStageResponseCache, ResponseCaches } from '../../../src/features/cache/index.js';
import type { Stage } from '../../../src/model/api.js';

const integration = { type: 'MOCK' as const, timeoutInMillis: 29_000 };

function stepsFor(useStageCache: boolean | undefined) {
  const stage: Stage = {
    apiId: 'a',
    stageName: 'prod',
    variables: {},
    createdDate: 0,
    lastUpdatedDate: 0,
    cacheClusterEnabled: true,
    ...(useStageCache !== undefined && { canarySettings: { percentTraffic: 10, useStageCache } }),
  };
  const caches = new ResponseCaches();
  const steps = compileStageResponseCache('a', stage, caches, () => {})!.forMethod(
    '/pets',
    'GET',
    integration,
  )!;
  return { steps, caches };
}

function context(canary: boolean): RequestContext {
  const req = { headers: {} } as IncomingMessage;
  const ctx = new RequestContext('r', req, {} as ServerResponse, 'GET', '/pets', '', 'prod', 0, '127.0.0.1');
  ctx.isCanaryRequest = canary;
  return ctx;
}

const response = (): MethodResponse => ({ statusCode: 200, headers: {}, body: Buffer.from('stored') });

async function fill(steps: ReturnType<typeof stepsFor>['steps']): Promise<void> {
  const ctx = context(false);
  expect(await steps.lookup(ctx)).toBeUndefined();
  await steps.store(ctx, response());
}

describe('canary requests and the stage cache', () => {
  it('bypass the stage cache by default (useStageCache false)', async () => {
    const { steps, caches } = stepsFor(undefined);
    await fill(steps);
    const canary = context(true);
    expect(await steps.lookup(canary)).toBeUndefined();
    expect(canary.cacheKey).toBeUndefined();
    expect(caches.statistics('a', 'prod')).toEqual({ hitCount: 0, missCount: 1 });
  });

  it('read and write the stage cache when useStageCache is true', async () => {
    const { steps } = stepsFor(true);
    await fill(steps);
    const hit = await steps.lookup(context(true));
    expect((hit?.body as Buffer).toString()).toBe('stored');
  });

  it('leave regular requests on the stage cache either way', async () => {
    const { steps } = stepsFor(false);
    await fill(steps);
    expect(await steps.lookup(context(false))).toBeDefined();
  });
});
