// The order of the method request steps is AWS's and is pinned here: resource policy, then the
// authorizer, then request validation, then the throttle, then the integration. A change to it must be deliberate.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { compileStage } from '../../src/compiler/compile-stage.js';
import { UpstreamPools } from '../../src/dataplane/integrations/upstream-pools.js';
import { createGatewayServer } from '../../src/dataplane/listener.js';
import { StageRegistry } from '../../src/dataplane/stage-registry.js';
import { LocalFunctionRuntime } from '../../src/functions/local/index.js';
import { Throttling } from '../../src/features/throttling/index.js';
import type { RestApi } from '../../src/model/rest-api.js';
import { deploymentOf, mock, restApi, stageOf } from '../helpers/apis.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const CODE = fileURLToPath(new URL('../fixtures/functions/auth/', import.meta.url));
const AUTHORIZER_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokenAuthorizer/invocations';

let server: Server;
let url: string;
let invocations = 0;
const functions = new LocalFunctionRuntime({
  tokenAuthorizer: { handler: 'authorizers.token', codeDir: CODE },
});

function api(deniedCidr = '10.0.0.0/8'): RestApi {
  const built = restApi({ 'POST /orders': mock(200, '{"ok":true}') });
  const orders = built.resources.find((r) => r.path === '/orders')!;
  orders.resourceMethods.POST = {
    ...orders.resourceMethods.POST!,
    authorizationType: 'CUSTOM',
    authorizerId: 'tok',
    requestValidatorId: 'body',
    requestModels: { 'application/json': 'Order' },
  };
  return {
    ...built,
    authorizers: [
      {
        id: 'tok',
        name: 'tok',
        type: 'TOKEN',
        authorizerUri: AUTHORIZER_URI,
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 0,
      },
    ],
    requestValidators: [
      { id: 'body', name: 'body', validateRequestBody: true, validateRequestParameters: false },
    ],
    models: [
      { name: 'Order', contentType: 'application/json', schema: '{"type":"object","required":["item"]}' },
    ],
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { IpAddress: { 'aws:SourceIp': deniedCidr } },
        },
      ],
    }),
  };
}

beforeAll(async () => {
  const registry = new StageRegistry();
  const counting = {
    has: (name: string) => functions.has(name),
    invoke: (name: string, event: Buffer, options: { requestId: string }) => {
      invocations++;
      return functions.invoke(name, event, options);
    },
    close: () => functions.close(),
  };
  const warnings: string[] = [];
  const options = {
    pools: new UpstreamPools(),
    functions: counting,
    warn: (message: string) => warnings.push(message),
  };
  const THROTTLE_SETTINGS = { throttlingRateLimit: 1, throttlingBurstLimit: 2 };
  const throttledOptions = () => ({
    ...options,
    throttling: new Throttling({ account: null, clock: () => 0 }),
  });
  const throttledStage = (name: string) => ({
    ...stageOf(deployment, name),
    methodSettings: { 'orders/POST': THROTTLE_SETTINGS },
  });
  const deployment = deploymentOf(api());
  // The same API on a stage whose resource policy denies this machine's own address.
  const locked = { ...deploymentOf(api('127.0.0.0/8')), apiId: deployment.apiId };
  const stages = new Map([
    ['prod', compileStage(deployment, stageOf(deployment, 'prod'), options)],
    ['locked', compileStage(locked, stageOf(locked, 'locked'), options)],
    // The same API with the stage cache on, and POST /orders cached.
    [
      'cached',
      compileStage(
        deployment,
        {
          ...stageOf(deployment, 'cached'),
          cacheClusterEnabled: true,
          methodSettings: { 'orders/POST': { cachingEnabled: true } },
        },
        options,
      ),
    ],
    // The same API with POST /orders limited to bursts of 2 and no refill (the clock stands still),
    // once without and once with the cache.
    ['throttled', compileStage(deployment, throttledStage('throttled'), throttledOptions())],
    [
      'throttled-cached',
      compileStage(
        deployment,
        {
          ...throttledStage('throttled-cached'),
          cacheClusterEnabled: true,
          methodSettings: { 'orders/POST': { ...THROTTLE_SETTINGS, cachingEnabled: true } },
        },
        throttledOptions(),
      ),
    ],
  ]);
  expect(warnings).toEqual([]);
  registry.replace(new Map([[deployment.apiId, { protocol: 'REST' as const, stages }]]));
  server = createGatewayServer({ registry, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_aws/execute-api/${deployment.apiId}/prod/orders`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await functions.close();
});

const post = (headers: Record<string, string>, body: string) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('method request step order', () => {
  it('runs the resource policy before the authorizer: a denied source IP never invokes it', async () => {
    const before = invocations;
    const denied = await request(url.replace('/prod/', '/locked/'), {
      method: 'POST',
      headers: { authorization: 'allow', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(denied.statusCode).toBe(403);
    expect(((await denied.body.json()) as { message: string }).message).toMatch(
      /explicit deny in a resource-based policy$/,
    );
    expect(invocations).toBe(before);
    // X-Forwarded-For is not trusted: the policy judges the connection's own address.
    const allowed = await post({ authorization: 'allow', 'x-forwarded-for': '10.1.2.3' }, '{}');
    expect(allowed.statusCode).toBe(400);
    await allowed.body.text();
    expect(invocations).toBe(before + 1);
  });

  it('runs the authorizer before validation: no token is 401 even with an invalid body', async () => {
    const r = await post({}, '{}');
    expect(r.statusCode).toBe(401);
    expect(await r.body.json()).toEqual({ message: 'Unauthorized' });
  });

  it('runs validation after an Allow, and the integration after validation', async () => {
    const invalid = await post({ authorization: 'allow' }, '{}');
    expect(invalid.statusCode).toBe(400);
    expect(await invalid.body.text()).toBe('{"message": "Invalid request body"}');
    const valid = await post({ authorization: 'allow' }, '{"item":"book"}');
    expect(valid.statusCode).toBe(200);
    expect(await valid.body.json()).toEqual({ ok: true });
  });

  it('answers an explicit deny with 403 before validation', async () => {
    const r = await post({ authorization: 'deny' }, '{}');
    expect(r.statusCode).toBe(403);
    expect(((await r.body.json()) as { message: string }).message).toBe(
      'User is not authorized to access this resource with an explicit deny',
    );
  });
});

describe('the cache lookup comes after every method request check', () => {
  const cached = (headers: Record<string, string>, body: string) =>
    request(url.replace('/prod/', '/cached/'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers a cached response only to requests that pass the authorizer and validation', async () => {
    const stored = await cached({ authorization: 'allow' }, '{"item":"book"}');
    expect(stored.statusCode).toBe(200);
    await stored.body.text();
    const before = invocations;
    const hit = await cached({ authorization: 'allow' }, '{"item":"book"}');
    expect(await hit.body.json()).toEqual({ ok: true });
    expect(invocations).toBe(before + 1); // the authorizer ran; the hit skipped only the integration
    const noToken = await cached({}, '{"item":"book"}');
    expect(noToken.statusCode).toBe(401);
    await noToken.body.text();
    const invalid = await cached({ authorization: 'allow' }, '{}');
    expect(invalid.statusCode).toBe(400);
    await invalid.body.text();
  });
});

describe('the throttle comes after the authorizer and validation, before the cache', () => {
  const to = (stage: string, headers: Record<string, string>, body: string) =>
    request(url.replace('/prod/', `/${stage}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('requests refused by the authorizer or by validation take no token', async () => {
    for (const [headers, body, status] of [
      [{}, '{"item":"book"}', 401],
      [{ authorization: 'allow' }, '{}', 400],
      [{ authorization: 'allow' }, '{}', 400],
      [{ authorization: 'allow' }, '{"item":"book"}', 200],
      [{ authorization: 'allow' }, '{"item":"book"}', 200],
      [{ authorization: 'allow' }, '{"item":"book"}', 429],
    ] as const) {
      const r = await to('throttled', headers, body);
      expect(r.statusCode).toBe(status);
      if (status === 429) expect(await r.body.json()).toEqual({ message: 'Too Many Requests' });
      else await r.body.text();
    }
  });

  it('a cache hit is throttled like any other request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await to('throttled-cached', { authorization: 'allow' }, '{"item":"book"}');
      statuses.push(r.statusCode);
      await r.body.text();
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
