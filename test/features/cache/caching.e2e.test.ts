// The stage cache end to end: a real gateway listener and a real upstream that counts what
// reaches it, with the memory store and with Redis. The clock is the stage cache's, moved by
// hand; nothing sleeps.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStage } from '../../../src/compiler/compile-stage.js';
import { deploy } from '../../../src/controlplane/deployments.js';
import { UpstreamPools } from '../../../src/dataplane/integrations/upstream-pools.js';
import { createGatewayServer } from '../../../src/dataplane/listener.js';
import { StageRegistry } from '../../../src/dataplane/stage-registry.js';
import {
  CACHE_CONTROL_IGNORED_WARNING,
  MemoryResponseCacheStore,
  RedisResponseCacheStore,
  ResponseCaches,
  type ResponseCacheStore,
} from '../../../src/features/cache/index.js';
import { startGatewayNode, type GatewayNode } from '../../../src/gateway-node.js';
import type { Stage } from '../../../src/model/api.js';
import type { RestApi } from '../../../src/model/rest-api.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { deploymentOf, httpProxy, restApi, stageOf } from '../../helpers/apis.js';
import { REDIS_URL, redisAvailable } from '../../helpers/services.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';
import { manualClock } from './store-contract.js';

const MB = 1_048_576;

/** Answers `{"n": <hits on this path so far>}`; `/big?size=N` answers N bytes; `/teapot` a 418. */
async function countingUpstream(): Promise<Upstream & { hits: (path: string) => number }> {
  const counts = new Map<string, number>();
  const upstream = await startUpstream((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const n = (counts.get(url.pathname) ?? 0) + 1;
    counts.set(url.pathname, n);
    if (url.pathname === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(Number(url.searchParams.get('size')), 'z'));
      return;
    }
    res.writeHead(url.pathname === '/teapot' ? 418 : 200, {
      'content-type': 'application/json',
      'x-upstream': 'yes',
    });
    res.end(JSON.stringify({ n }));
  });
  return Object.assign(upstream, { hits: (path: string) => counts.get(path) ?? 0 });
}

function cachedApi(origin: string): RestApi {
  return restApi({
    'GET /pets/{id}': httpProxy(`${origin}/pets`, {
      cacheKeyParameters: [
        'method.request.path.id',
        'method.request.querystring.type',
        'method.request.header.x-tenant',
      ],
    }),
    'GET /big': httpProxy(`${origin}/big`, {
      requestParameters: { 'integration.request.querystring.size': 'method.request.querystring.size' },
      cacheKeyParameters: ['method.request.querystring.size'],
    }),
    'POST /orders': httpProxy(`${origin}/orders`),
    'PUT /orders': httpProxy(`${origin}/orders-put`),
    'GET /strict': httpProxy(`${origin}/strict`),
    'GET /silent': httpProxy(`${origin}/silent`),
    'GET /open': httpProxy(`${origin}/open`),
    'GET /teapot': httpProxy(`${origin}/teapot`),
    'GET /uncached': httpProxy(`${origin}/uncached`),
  });
}

function cachedStage(stage: Stage): Stage {
  return {
    ...stage,
    cacheClusterEnabled: true,
    cacheClusterSize: '0.5',
    methodSettings: {
      '*/*': { cacheTtlInSeconds: 60 },
      'orders/PUT': { cachingEnabled: true },
      'strict/GET': { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
      'silent/GET': { unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER' },
      'open/GET': { requireAuthorizationForCacheControl: false },
      'uncached/GET': { cachingEnabled: false },
    },
  };
}

interface Harness {
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  send(method: string, path: string): Promise<{ status: number; body: string }>;
}

function cachingSuite(name: string, makeStore: (now: () => number) => Promise<ResponseCacheStore>): void {
  describe(`stage cache through a gateway (${name})`, () => {
    const clock = manualClock();
    let upstream: Awaited<ReturnType<typeof countingUpstream>>;
    let server: Server;
    let caches: ResponseCaches;
    let apiId: string;
    const pools = new UpstreamPools();
    let base: string;
    let h: Harness;

    beforeAll(async () => {
      upstream = await countingUpstream();
      caches = new ResponseCaches({ store: await makeStore(clock.now), now: clock.now });
      const deployment = deploymentOf(cachedApi(upstream.origin));
      apiId = deployment.apiId;
      const warnings: string[] = [];
      const compiled = compileStage(deployment, cachedStage(stageOf(deployment, 'prod')), {
        pools,
        responseCaches: caches,
        warn: (m) => warnings.push(m),
      });
      expect(warnings).toEqual([]);
      const registry = new StageRegistry();
      registry.replace(
        new Map([[apiId, { protocol: 'REST' as const, stages: new Map([['prod', compiled]]) }]]),
      );
      server = createGatewayServer({ registry, log: () => {} });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_aws/execute-api/${apiId}/prod`;
      h = {
        async get(path, headers = {}) {
          const r = await request(base + path, { headers });
          return { status: r.statusCode, body: await r.body.text(), headers: r.headers };
        },
        async send(method, path) {
          const r = await request(base + path, { method: method as 'POST' });
          return { status: r.statusCode, body: await r.body.text() };
        },
      };
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pools.close();
      await caches.flushStageCache(apiId, 'prod');
      await caches.close();
      await upstream.close();
    });

    it('answers a repeated GET from the cache: status, headers and body as stored', async () => {
      const first = await h.get('/pets/1');
      const second = await h.get('/pets/1');
      expect(first.body).toBe('{"n":1}');
      expect(second.status).toBe(200);
      expect(second.body).toBe('{"n":1}');
      expect(second.headers['x-upstream']).toBe('yes');
      expect(second.headers['content-type']).toBe('application/json');
      expect(upstream.hits('/pets')).toBe(1);
    });

    it('keys by each cache key parameter: path, query string and header', async () => {
      await h.get('/pets/2?type=a');
      await h.get('/pets/2?type=a&other=ignored');
      expect(upstream.hits('/pets')).toBe(2);
      await h.get('/pets/3?type=a');
      await h.get('/pets/2?type=b');
      await h.get('/pets/2?type=a', { 'x-tenant': 't1' });
      expect(upstream.hits('/pets')).toBe(5);
      expect((await h.get('/pets/2?type=a', { 'x-tenant': 't1' })).body).toBe('{"n":5}');
      expect(upstream.hits('/pets')).toBe(5);
    });

    it('expires entries after the TTL (60 s here)', async () => {
      await h.get('/pets/ttl');
      const hits = upstream.hits('/pets');
      clock.advance(59_000);
      await h.get('/pets/ttl');
      expect(upstream.hits('/pets')).toBe(hits);
      clock.advance(1_000);
      await h.get('/pets/ttl');
      expect(upstream.hits('/pets')).toBe(hits + 1);
    });

    it('caches only GET by default; another method when its own setting enables it', async () => {
      await h.send('POST', '/orders');
      await h.send('POST', '/orders');
      expect(upstream.hits('/orders')).toBe(2);
      await h.send('PUT', '/orders');
      expect((await h.send('PUT', '/orders')).body).toBe('{"n":1}');
      expect(upstream.hits('/orders-put')).toBe(1);
      await h.get('/uncached');
      await h.get('/uncached');
      expect(upstream.hits('/uncached')).toBe(2);
    });

    it('caches what the integration answered, whatever its status', async () => {
      expect((await h.get('/teapot')).status).toBe(418);
      expect((await h.get('/teapot')).status).toBe(418);
      expect(upstream.hits('/teapot')).toBe(1);
    });

    it('does not cache a body over 1 MB, and does cache one of exactly 1 MB', async () => {
      const over = await h.get(`/big?size=${MB + 1}`);
      expect(over.body.length).toBe(MB + 1);
      expect((await h.get(`/big?size=${MB + 1}`)).body.length).toBe(MB + 1);
      expect(upstream.hits('/big')).toBe(2);
      await h.get(`/big?size=${MB}`);
      expect((await h.get(`/big?size=${MB}`)).body.length).toBe(MB);
      expect(upstream.hits('/big')).toBe(3);
    });

    it('max-age=0 without required authorization refetches and replaces the entry', async () => {
      expect((await h.get('/open')).body).toBe('{"n":1}');
      expect((await h.get('/open', { 'cache-control': 'max-age=0' })).body).toBe('{"n":2}');
      expect((await h.get('/open')).body).toBe('{"n":2}');
      expect(upstream.hits('/open')).toBe(2);
    });

    it('SUCCEED_WITH_RESPONSE_HEADER (the default): served from the cache, with the warning', async () => {
      await h.get('/pets/warn');
      const hits = upstream.hits('/pets');
      const r = await h.get('/pets/warn', { 'cache-control': 'max-age=0' });
      expect(r.status).toBe(200);
      expect(r.headers['warning']).toBe(CACHE_CONTROL_IGNORED_WARNING);
      expect(upstream.hits('/pets')).toBe(hits);
      expect((await h.get('/pets/warn')).headers['warning']).toBeUndefined();
    });

    it('SUCCEED_WITHOUT_RESPONSE_HEADER: served from the cache, no warning', async () => {
      await h.get('/silent');
      const r = await h.get('/silent', { 'cache-control': 'max-age=0' });
      expect(r.body).toBe('{"n":1}');
      expect(r.headers['warning']).toBeUndefined();
      expect(upstream.hits('/silent')).toBe(1);
    });

    it('FAIL_WITH_403: the request fails and the integration is not called', async () => {
      await h.get('/strict');
      const r = await h.get('/strict', { 'cache-control': 'max-age=0' });
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toEqual({ message: 'Unauthorized' });
      expect(upstream.hits('/strict')).toBe(1);
    });

    it('flushes the stage: the next request goes to the integration', async () => {
      await h.get('/pets/flush');
      const hits = upstream.hits('/pets');
      await caches.flushStageCache(apiId, 'prod');
      await h.get('/pets/flush');
      expect(upstream.hits('/pets')).toBe(hits + 1);
    });

    it('counts hits and misses per stage', async () => {
      const before = caches.statistics(apiId, 'prod');
      await h.get('/pets/stats');
      await h.get('/pets/stats');
      await h.get('/pets/stats');
      const after = caches.statistics(apiId, 'prod');
      expect(after.missCount - before.missCount).toBe(1);
      expect(after.hitCount - before.hitCount).toBe(2);
      expect(caches.statistics(apiId, 'other')).toEqual({ hitCount: 0, missCount: 0 });
    });
  });
}

cachingSuite('memory', (now) => Promise.resolve(new MemoryResponseCacheStore({ now })));

const redisUp = await redisAvailable();
describe.runIf(redisUp)('with Redis', () => {
  const prefix = `gatehouse-test-${randomBytes(6).toString('hex')}:`;
  afterAll(async () => {
    const admin = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });
  cachingSuite('redis', async (now) => {
    const store = new RedisResponseCacheStore({ redis: REDIS_URL, prefix, now, timeoutMs: 2_000 });
    expect(await store.ready()).toBe(true);
    return store;
  });
});

describe('stage cache on a gateway node', () => {
  let dir: string;
  let store: SqliteConfigStore;
  let node: GatewayNode;
  let upstream: Awaited<ReturnType<typeof countingUpstream>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-cache-'));
    store = SqliteConfigStore.open(dir);
    upstream = await countingUpstream();
    node = await startGatewayNode({ store, port: 0, host: '127.0.0.1', log: () => {} });
  });
  afterAll(async () => {
    await node.stop();
    await store.close();
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('follows the stage setting, keeps entries across a redeploy, and flushes through the node', async () => {
    const api = restApi({ 'GET /pets/{id}': httpProxy(`${upstream.origin}/pets`) });
    await store.createApi(api);
    await deploy(store, { apiId: api.id, stageName: 'live' });
    await node.loader.reload();
    const url = `${node.url}/_aws/execute-api/${api.id}/live/pets/1`;
    const get = async () => (await request(url)).body.text();

    expect(await get()).toBe('{"n":1}');
    expect(await get()).toBe('{"n":2}'); // the stage cache is off

    const stage = (await store.getStage(api.id, 'live'))!;
    await store.putStage({ ...stage, cacheClusterEnabled: true, lastUpdatedDate: stage.lastUpdatedDate + 1 });
    await node.loader.reload();
    expect(await get()).toBe('{"n":3}');
    expect(await get()).toBe('{"n":3}');

    await deploy(store, { apiId: api.id, stageName: 'live' }, Date.now() + 5_000);
    await node.loader.reload();
    expect(await get()).toBe('{"n":3}');

    await node.flushStageCache(api.id, 'live');
    expect(await get()).toBe('{"n":4}');
    expect(node.loader.responseCaches.statistics(api.id, 'live')).toEqual({ hitCount: 2, missCount: 2 });
  });
});
