// Custom domain names on a real gateway node over SQLite: Host + base path → API stage, with no
// stage segment in the path, and AWS's answers when a domain maps nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { deploy } from '../../../src/controlplane/deployments.js';
import { DomainTable, hostnameOf } from '../../../src/dataplane/domains/domain-table.js';
import { startGatewayNode, type GatewayNode } from '../../../src/gateway-node.js';
import type { FunctionResult, FunctionRuntime } from '../../../src/functions/runtime.js';
import type { ApiMapping, DomainName } from '../../../src/model/domain-names.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { httpApi, mock, restApi } from '../../helpers/apis.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';

const WHO =
  '{"api":"#API#","stage":"$context.stage","path":"$context.path","resourcePath":"$context.resourcePath",' +
  '"domainName":"$context.domainName","domainPrefix":"$context.domainPrefix"}';

/** One function, `paths`, answering with the paths its proxy event carries. */
const echoPaths: FunctionRuntime = {
  has: (name) => name === 'paths',
  invoke(_name, payload): Promise<FunctionResult> {
    const event = JSON.parse(payload.toString('utf8')) as {
      path?: string;
      rawPath?: string;
      requestContext: { path?: string; http?: { path: string } };
    };
    const paths = {
      path: event.path ?? event.rawPath,
      contextPath: event.requestContext.path ?? event.requestContext.http?.path,
    };
    return Promise.resolve({
      payload: Buffer.from(JSON.stringify({ statusCode: 200, body: JSON.stringify(paths) })),
    });
  },
  close: () => Promise.resolve(),
};
const PATHS_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:paths';

function domain(domainName: string, extra: Partial<DomainName> = {}): DomainName {
  return { domainName, createdDate: 0, endpointType: 'REGIONAL', ...extra };
}

function mapping(domainName: string, apiMappingKey: string, apiId: string, stage: string): ApiMapping {
  return {
    domainName,
    apiMappingId: `m${Math.random().toString(36).slice(2, 8)}`,
    apiMappingKey,
    apiId,
    stage,
  };
}

describe('DomainTable', () => {
  const table = new DomainTable(
    [
      domain('api.example.com'),
      domain('*.example.com'),
      domain('*.eu.example.com'),
      domain('bare.example.com'),
    ],
    [
      mapping('api.example.com', '', 'root', 'live'),
      mapping('api.example.com', 'orders', 'orders', 'v1'),
      mapping('api.example.com', 'orders/v2', 'orders2', 'v2'),
      mapping('*.example.com', '', 'wild', 'live'),
      mapping('*.eu.example.com', 'x', 'eu', 'live'),
    ],
  );
  const target = (host: string, path: string) => {
    const match = table.match(host, path);
    return match && (match.mapping ? `${match.mapping.apiId} ${match.path}` : 'unmapped');
  };

  it('takes the longest base path that ends on a segment boundary, else the root mapping', () => {
    expect(target('api.example.com', '/orders')).toBe('orders /');
    expect(target('api.example.com', '/orders/')).toBe('orders /');
    expect(target('api.example.com', '/orders/7')).toBe('orders /7');
    expect(target('api.example.com', '/orders/v2/7')).toBe('orders2 /7');
    expect(target('api.example.com', '/orders/v23')).toBe('orders /v23');
    expect(target('api.example.com', '/ordersX/7')).toBe('root /ordersX/7');
    expect(target('api.example.com', '/')).toBe('root /');
  });

  it('matches the Host without its port, case-insensitively', () => {
    expect(hostnameOf('API.Example.COM:8443')).toBe('api.example.com');
    expect(hostnameOf('api.example.com.')).toBe('api.example.com');
    expect(hostnameOf('[::1]:8080')).toBe('[::1]');
    expect(target('API.Example.com:8443', '/orders/1')).toBe('orders /1');
  });

  it('prefers the exact name, then the most specific wildcard, at any depth', () => {
    expect(target('shop.example.com', '/a')).toBe('wild /a');
    expect(target('a.b.example.com', '/a')).toBe('wild /a');
    expect(target('de.eu.example.com', '/x/1')).toBe('eu /1');
    // The more specific wildcard owns the name even where it maps nothing.
    expect(target('de.eu.example.com', '/y')).toBe('unmapped');
    expect(target('bare.example.com', '/a')).toBe('unmapped');
    // A wildcard does not cover its own parent.
    expect(target('example.com', '/a')).toBeUndefined();
    expect(target('elsewhere.org', '/a')).toBeUndefined();
  });
});

describe('custom domain names on the gateway', () => {
  let dir: string;
  let store: SqliteConfigStore;
  let node: GatewayNode;
  let upstream: Upstream;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-domains-'));
    store = SqliteConfigStore.open(dir);
    upstream = await startUpstream();
    node = await startGatewayNode({
      store,
      port: 0,
      host: '127.0.0.1',
      log: () => {},
      functions: echoPaths,
    });
    for (const name of ['shop', 'orders']) {
      const api = restApi({
        'GET /who': mock(200, WHO.replace('#API#', name)),
        'GET /': mock(200, WHO.replace('#API#', name)),
      });
      ids[name] = api.id;
      await store.createApi(api);
      await deploy(store, { apiId: api.id, stageName: 'live' });
    }
    const events = restApi({
      'GET /items/{id}': {
        type: 'AWS_PROXY',
        httpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${PATHS_ARN}/invocations`,
        timeoutInMillis: 29_000,
      },
    });
    ids.events = events.id;
    await store.createApi(events);
    await deploy(store, { apiId: events.id, stageName: 'live' });
    const http = httpApi({
      'GET /items/{id}': `${upstream.origin}/items/{id}`,
      'GET /events/{id}': {
        integrationType: 'AWS_PROXY',
        // HTTP APIs take the function's own ARN too.
        integrationUri: PATHS_ARN,
        payloadFormatVersion: '2.0',
      },
    });
    ids.http = http.apiId;
    await store.createApi(http);
    await deploy(store, { apiId: http.apiId, stageName: '$default' });

    await store.createDomainName(domain('api.example.com'));
    await store.createDomainName(domain('*.shops.example.com'));
    await store.createApiMapping(mapping('api.example.com', '', ids.shop!, 'live'));
    await store.createApiMapping(mapping('api.example.com', 'orders', ids.orders!, 'live'));
    await store.createApiMapping(mapping('api.example.com', 'v2/catalog', ids.http, '$default'));
    await store.createApiMapping(mapping('*.shops.example.com', 'shop', ids.shop!, 'live'));
    await store.createApiMapping(mapping('api.example.com', 'events', ids.events, 'live'));
    await node.loader.reload();
  });

  afterAll(async () => {
    await node.stop();
    await store.close();
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function get(host: string, path: string) {
    const r = await request(`${node.url}${path}`, { headers: { host } });
    return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
  }

  it('serves the root mapping with the whole path and no stage segment', async () => {
    const r = await get('api.example.com', '/who');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      api: 'shop',
      stage: 'live',
      path: '/who',
      resourcePath: '/who',
      domainName: 'api.example.com',
      domainPrefix: 'api',
    });
  });

  it('strips the base path before the API sees the rest', async () => {
    const r = await get('api.example.com:8080', '/orders/who');
    expect(JSON.parse(r.text)).toMatchObject({
      api: 'orders',
      path: '/orders/who',
      resourcePath: '/who',
      domainName: 'api.example.com',
    });
    expect(JSON.parse((await get('api.example.com', '/orders')).text)).toMatchObject({
      api: 'orders',
      resourcePath: '/',
    });
  });

  it('maps a multi-level base path to an HTTP API $default stage', async () => {
    const r = await get('api.example.com', '/v2/catalog/items/42');
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as { url: string }).url).toBe('/items/42');
  });

  it("gives functions the path the client used, base path included, as AWS's events do", async () => {
    // REST (payload 1.0): both `path` and `requestContext.path` keep the base path, no stage.
    expect(JSON.parse((await get('api.example.com', '/events/items/7')).text)).toEqual({
      path: '/events/items/7',
      contextPath: '/events/items/7',
    });
    // HTTP API (payload 2.0): `rawPath` and `requestContext.http.path` the same.
    expect(JSON.parse((await get('api.example.com', '/v2/catalog/events/8')).text)).toEqual({
      path: '/v2/catalog/events/8',
      contextPath: '/v2/catalog/events/8',
    });
    // The same REST function through its execute-api URL: the path after the stage, and the stage.
    expect(JSON.parse((await get('127.0.0.1', `/_aws/execute-api/${ids.events}/live/items/7`)).text)).toEqual(
      { path: '/items/7', contextPath: '/live/items/7' },
    );
  });

  it('serves a wildcard domain under whatever name the client used', async () => {
    const r = await get('Acme.Shops.Example.com', '/shop/who');
    expect(JSON.parse(r.text)).toMatchObject({
      api: 'shop',
      domainName: 'acme.shops.example.com',
      domainPrefix: 'acme',
    });
  });

  it("answers AWS's 403 when a known domain maps nothing at the path", async () => {
    const r = await get('acme.shops.example.com', '/other/who');
    expect(r.status).toBe(403);
    expect(r.text).toBe('{"message":"Forbidden"}');
    expect(r.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('leaves other hosts to the execute-api and path-style resolution', async () => {
    const byHost = await get(`${ids.orders!}.execute-api.localhost`, '/live/who');
    expect(JSON.parse(byHost.text)).toMatchObject({ api: 'orders', path: '/live/who' });
    const pathStyle = await get('api.example.com', `/_aws/execute-api/${ids.orders!}/live/who`);
    expect(JSON.parse(pathStyle.text)).toMatchObject({ api: 'orders' });
    expect((await get('unknown.example.org', '/live/who')).status).toBe(403);
  });

  it('follows mappings created, changed and deleted in the store', async () => {
    await store.createDomainName(domain('new.example.com'));
    const created = mapping('new.example.com', 'x', ids.orders!, 'live');
    await store.createApiMapping(created);
    await node.loader.reload();
    expect(JSON.parse((await get('new.example.com', '/x/who')).text)).toMatchObject({ api: 'orders' });

    await store.updateApiMapping({ ...created, apiId: ids.shop! });
    await node.loader.reload();
    expect(JSON.parse((await get('new.example.com', '/x/who')).text)).toMatchObject({ api: 'shop' });

    await store.deleteDomainName('new.example.com');
    await node.loader.reload();
    expect((await get('new.example.com', '/x/who')).status).toBe(403);
  });

  it('answers 403 for a mapping whose stage is not deployed', async () => {
    await store.createDomainName(domain('stale.example.com'));
    await store.createApiMapping(mapping('stale.example.com', '', ids.orders!, 'nosuchstage'));
    await node.loader.reload();
    const r = await get('stale.example.com', '/who');
    expect(r.status).toBe(403);
    expect(r.text).toBe('{"message":"Forbidden"}');
  });
});
