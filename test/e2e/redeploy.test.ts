// Deploying under load: 50 redeploys while requests keep flowing must drop none of them and
// never mix two deployments within one request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { deploy } from '../../src/controlplane/deployments.js';
import { startGatewayNode, type GatewayNode } from '../../src/gateway-node.js';
import { SqliteConfigStore } from '../../src/store/sqlite/sqlite-config-store.js';
import { restApi, httpProxy } from '../helpers/apis.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import type { RestApi } from '../../src/model/rest-api.js';

let dir: string;
let store: SqliteConfigStore;
let node: GatewayNode;
let upstream: Upstream;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-redeploy-'));
  store = SqliteConfigStore.open(dir);
  upstream = await startUpstream();
  node = await startGatewayNode({ store, port: 0, host: '127.0.0.1', log: () => {} });
});
afterAll(async () => {
  await node.stop();
  await store.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

function version(api: RestApi, n: number): RestApi {
  return {
    ...api,
    resources: restApi({
      'GET /version': httpProxy(`${upstream.origin}/v${n}`, {
        requestParameters: { 'integration.request.header.x-deployment': `'${n}'` },
      }),
    }).resources,
  };
}

describe('redeploying under load', () => {
  it('drops no request and mixes no versions across 50 redeploys', async () => {
    const api = version(restApi({}), 0);
    await store.createApi(api);
    await deploy(store, { apiId: api.id, stageName: 'live' });
    await node.loader.reload();
    const url = `${node.url}/_aws/execute-api/${api.id}/live/version`;

    let running = true;
    const failures: string[] = [];
    const versionsSeen = new Set<string>();
    let requests = 0;
    const worker = async () => {
      while (running) {
        const r = await request(url);
        const body = (await r.body.json()) as { url: string; headers: Record<string, string> };
        requests++;
        if (r.statusCode !== 200) failures.push(`status ${r.statusCode}`);
        else if (body.url !== `/v${body.headers['x-deployment']}`)
          failures.push(`mixed: ${body.url} ${body.headers['x-deployment']}`);
        else versionsSeen.add(body.url);
      }
    };
    const workers = Array.from({ length: 8 }, worker);

    for (let n = 1; n <= 50; n++) {
      await store.updateApi(version(api, n));
      await deploy(store, { apiId: api.id, stageName: 'live' });
      await node.loader.reload();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    running = false;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);
    // The load saw many of the deployments, so the swap really happened under it.
    expect(versionsSeen.size).toBeGreaterThan(10);
    expect((await store.listDeployments(api.id)).length).toBe(51);
  });
});
