// FlushStageAuthorizersCache and FlushStageCache end to end: a stage with a cached Lambda TOKEN
// authorizer (a local function) and a stage response cache in front of a real upstream; a flush
// through the AWS SDK makes the next request call the authorizer, or the upstream, again.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  CreateDeploymentCommand,
  FlushStageAuthorizersCacheCommand,
  FlushStageCacheCommand,
  ImportRestApiCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { LocalFunctionRuntime } from '../../src/functions/local/index.js';
import type { FunctionRuntime } from '../../src/functions/runtime.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const CODE = fileURLToPath(new URL('../fixtures/functions/auth/', import.meta.url));
const AUTHORIZER_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokenAuthorizer/invocations';

const local = new LocalFunctionRuntime({ tokenAuthorizer: { handler: 'authorizers.token', codeDir: CODE } });
let authorizerInvocations = 0;
const counting: FunctionRuntime = {
  has: (name) => local.has(name),
  invoke: (name, event, options) => {
    authorizerInvocations++;
    return local.invoke(name, event, options);
  },
  close: () => local.close(),
};

let m: TestManagement;
let upstream: Upstream;
beforeAll(async () => {
  m = await startTestManagement({ functions: counting });
  upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ hit: upstream.seen.length }));
  });
});
afterAll(async () => {
  await m.close();
  await upstream.close();
});

async function invoke(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, body: await response.body.text() };
}

/** The stage loader follows the store; wait until the stage answers other than 403 (not yet deployed). */
async function deployed(url: string, headers: Record<string, string> = {}): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await invoke(url, headers)).status !== 403) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('FlushStageAuthorizersCache', () => {
  it('makes the next request call the cached authorizer again', async () => {
    const document = {
      openapi: '3.0.1',
      info: { title: 'authorized', version: '1' },
      components: {
        securitySchemes: {
          tok: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: AUTHORIZER_URI,
              authorizerResultTtlInSeconds: 300,
            },
          },
        },
      },
      paths: {
        '/orders': {
          get: {
            security: [{ tok: [] }],
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } },
              },
            },
          },
        },
      },
    };
    const api = await m.v1.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document)) }));
    const restApiId = api.id!;
    await m.v1.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const url = m.invokeUrl(restApiId, 'prod', '/orders');
    const allow = { authorization: 'allow' };
    // Without the token the authorizer answers 401 without being called.
    await deployed(url);
    const before = authorizerInvocations;
    expect(await invoke(url, allow)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(await invoke(url, allow)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(authorizerInvocations - before).toBe(1);

    await m.v1.send(new FlushStageAuthorizersCacheCommand({ restApiId, stageName: 'prod' }));
    expect(await invoke(url, allow)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(authorizerInvocations - before).toBe(2);
  });

  it('answers NotFoundException for a stage that does not exist', async () => {
    const api = await m.v1.send(
      new ImportRestApiCommand({
        body: Buffer.from(
          JSON.stringify({ openapi: '3.0.1', info: { title: 'empty', version: '1' }, paths: {} }),
        ),
      }),
    );
    const missing = await m.v1
      .send(new FlushStageAuthorizersCacheCommand({ restApiId: api.id!, stageName: 'nope' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid Stage identifier specified');
  });
});

describe('FlushStageCache', () => {
  it('makes the next request reach the upstream again', async () => {
    const document = {
      openapi: '3.0.1',
      info: { title: 'cached', version: '1' },
      paths: {
        '/items': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: `${upstream.origin}/items`,
            },
          },
        },
      },
    };
    const api = await m.v1.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document)) }));
    const restApiId = api.id!;
    await m.v1.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', cacheClusterEnabled: true }));
    const url = m.invokeUrl(restApiId, 'prod', '/items');
    await deployed(url);
    const first = await invoke(url);
    expect(first.status).toBe(200);
    const seen = upstream.seen.length;
    expect(await invoke(url)).toEqual(first);
    expect(upstream.seen.length).toBe(seen);

    await m.v1.send(new FlushStageCacheCommand({ restApiId, stageName: 'prod' }));
    const after = await invoke(url);
    expect(after.status).toBe(200);
    expect(upstream.seen.length).toBe(seen + 1);
  });
});
