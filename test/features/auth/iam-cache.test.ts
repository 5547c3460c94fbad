// `Cache-Control: max-age=0` from IAM callers on a gateway node started with `callers`: a caller
// whose identity policy allows execute-api:InvalidateCache refreshes the entry, any other caller
// gets the method's unauthorizedCacheControlHeaderStrategy. On a method without AWS_IAM the
// signature is verified for this purpose alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../../src/controlplane/deployments.js';
import { compileIamCallers } from '../../../src/features/auth/index.js';
import { CACHE_CONTROL_IGNORED_WARNING } from '../../../src/features/cache/index.js';
import { startGatewayNode, type GatewayNode } from '../../../src/gateway-node.js';
import type { RestApi } from '../../../src/model/rest-api.js';
import { signRequest } from '../../../src/sigv4/index.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { httpProxy, restApi } from '../../helpers/apis.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';

const CALLERS = {
  flusher: {
    accessKeyId: 'AKIAFLUSHER000000001',
    secretAccessKey: 'flusher-secret',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['execute-api:Invoke', 'execute-api:InvalidateCache'], Resource: '*' },
      ],
    },
  },
  viewer: {
    accessKeyId: 'AKIAVIEWER0000000001',
    secretAccessKey: 'viewer-secret',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
    },
  },
  // Allowed everything but invalidation, through NotAction.
  careful: {
    accessKeyId: 'AKIACAREFUL000000001',
    secretAccessKey: 'careful-secret',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', NotAction: 'execute-api:InvalidateCache', Resource: '*' }],
    },
  },
};
type CallerName = keyof typeof CALLERS;

let dir: string;
let store: SqliteConfigStore;
let node: GatewayNode;
let upstream: Upstream;
let api: RestApi;
const counts = new Map<string, number>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-iam-cache-'));
  store = SqliteConfigStore.open(dir);
  upstream = await startUpstream((req, res) => {
    const n = (counts.get(req.url ?? '') ?? 0) + 1;
    counts.set(req.url ?? '', n);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ n }));
  });
  node = await startGatewayNode({
    store,
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    callers: compileIamCallers(CALLERS),
  });
  api = restApi({
    'GET /signed': httpProxy(`${upstream.origin}/signed`),
    'GET /strict': httpProxy(`${upstream.origin}/strict`),
    'GET /open': httpProxy(`${upstream.origin}/open`),
  });
  for (const resource of api.resources) {
    const method = resource.resourceMethods.GET;
    if (method && resource.path !== '/open') method.authorizationType = 'AWS_IAM';
  }
  await store.createApi(api);
  await deploy(store, { apiId: api.id, stageName: 'live' });
  const stage = (await store.getStage(api.id, 'live'))!;
  await store.putStage({
    ...stage,
    cacheClusterEnabled: true,
    methodSettings: {
      '*/*': { cacheTtlInSeconds: 60 },
      'strict/GET': { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
    },
    lastUpdatedDate: stage.lastUpdatedDate + 1,
  });
  await node.loader.reload();
});

afterAll(async () => {
  await node.stop();
  await store.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

async function get(
  path: string,
  options: { as?: CallerName; secret?: string; fresh?: boolean } = {},
): Promise<{ status: number; text: string; warning: unknown; errorType: unknown }> {
  const url = `${node.url}/_aws/execute-api/${api.id}/live${path}`;
  let headers: Record<string, string> = options.fresh ? { 'cache-control': 'max-age=0' } : {};
  if (options.as) {
    const { accessKeyId, secretAccessKey } = CALLERS[options.as];
    const signed = await signRequest(
      { method: 'GET', url, headers, body: Buffer.alloc(0) },
      { accessKeyId, secretAccessKey: options.secret ?? secretAccessKey },
      { service: 'execute-api', region: 'us-east-1' },
    );
    headers = { ...headers, ...signed };
  }
  const response = await request(url, { headers });
  return {
    status: response.statusCode,
    text: await response.body.text(),
    warning: response.headers.warning,
    errorType: response.headers['x-amzn-errortype'],
  };
}

describe('Cache-Control: max-age=0 from IAM callers', () => {
  it('refreshes the entry for a caller allowed execute-api:InvalidateCache', async () => {
    expect((await get('/signed', { as: 'viewer' })).text).toBe('{"n":1}');
    expect((await get('/signed', { as: 'viewer' })).text).toBe('{"n":1}');
    const fresh = await get('/signed', { as: 'flusher', fresh: true });
    expect(fresh).toEqual({ status: 200, text: '{"n":2}', warning: undefined, errorType: undefined });
    expect((await get('/signed', { as: 'viewer' })).text).toBe('{"n":2}');
  });

  it('ignores it, with AWS’s warning, for a caller allowed only to invoke', async () => {
    for (const caller of ['viewer', 'careful'] as const) {
      const reply = await get('/signed', { as: caller, fresh: true });
      expect(reply, caller).toEqual({
        status: 200,
        text: '{"n":2}',
        warning: CACHE_CONTROL_IGNORED_WARNING,
        errorType: undefined,
      });
    }
  });

  it('answers 403 Unauthorized under FAIL_WITH_403, and lets the allowed caller through', async () => {
    expect((await get('/strict', { as: 'viewer' })).text).toBe('{"n":1}');
    const refused = await get('/strict', { as: 'viewer', fresh: true });
    expect(refused).toEqual({
      status: 403,
      text: '{"message":"Unauthorized"}',
      warning: undefined,
      errorType: 'AccessDeniedException',
    });
    expect((await get('/strict', { as: 'flusher', fresh: true })).text).toBe('{"n":2}');
  });

  it('verifies a signature on a method without AWS_IAM for invalidation alone', async () => {
    expect((await get('/open')).text).toBe('{"n":1}');
    const unsigned = await get('/open', { fresh: true });
    expect(unsigned).toMatchObject({ status: 200, text: '{"n":1}', warning: CACHE_CONTROL_IGNORED_WARNING });
    // A wrong signature is not refused on an open method; its caller is simply not authorized.
    const forged = await get('/open', { as: 'flusher', secret: 'guessed', fresh: true });
    expect(forged).toMatchObject({ status: 200, text: '{"n":1}', warning: CACHE_CONTROL_IGNORED_WARNING });
    const viewer = await get('/open', { as: 'viewer', fresh: true });
    expect(viewer).toMatchObject({ status: 200, text: '{"n":1}', warning: CACHE_CONTROL_IGNORED_WARNING });
    const flusher = await get('/open', { as: 'flusher', fresh: true });
    expect(flusher).toEqual({ status: 200, text: '{"n":2}', warning: undefined, errorType: undefined });
  });
});
