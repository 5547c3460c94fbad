// Several gateway nodes on one PostgreSQL store: a deployment made through one node's
// management API is served by the others; a node cut off from PostgreSQL answers management
// writes with 503 ServiceUnavailableException, keeps serving what it has, and recovers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  ImportRestApiCommand,
  ServiceUnavailableException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { AdminCredentials, generateCredential } from '../../src/controlplane/credentials.js';
import { startGatewayNode, type GatewayNode } from '../../src/gateway-node.js';
import { silentLog } from '../../src/observability/log.js';
import { PostgresConfigStore } from '../../src/store/postgres/postgres-config-store.js';
import { postgresAvailable } from '../helpers/services.js';
import { createTestDatabase, type TestDatabase } from '../store/postgres-database.js';
import { startTcpProxy, type TcpProxy } from '../store/tcp-proxy.js';

const MOCK_API = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'shared', version: '1' },
  paths: {
    '/hello': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: {
              statusCode: '200',
              responseTemplates: { 'application/json': '{"hello":"$context.deploymentId"}' },
            },
          },
        },
      },
    },
  },
});

// The same API, with its method requiring an API key.
const KEYED_API = MOCK_API.replace('"get":{', '"get":{"security":[{"api_key":[]}],').replace(
  '"paths":',
  '"components":{"securitySchemes":{"api_key":{"type":"apiKey","name":"x-api-key","in":"header"}}},"paths":',
);

describe.runIf(await postgresAvailable())('several gateway nodes on PostgreSQL', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let storeA: PostgresConfigStore;
  let storeB: PostgresConfigStore;
  let nodeA: GatewayNode;
  let nodeB: GatewayNode;
  let client: APIGatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    const quick = { connectionTimeoutMs: 1000, queryTimeoutMs: 1000, reconcileIntervalMs: 500 };
    storeA = await PostgresConfigStore.open(proxy.urlFor(db.url), quick);
    storeB = await PostgresConfigStore.open(db.url, quick);
    const credential = generateCredential();
    nodeA = await startGatewayNode({
      store: storeA,
      port: 0,
      host: '127.0.0.1',
      log: silentLog,
      admin: { port: 0, host: '127.0.0.1', credentials: new AdminCredentials([credential]) },
    });
    nodeB = await startGatewayNode({ store: storeB, port: 0, host: '127.0.0.1', log: silentLog });
    client = new APIGatewayClient({
      endpoint: nodeA.admin!.url,
      region: 'us-east-1',
      credentials: credential,
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await nodeA.stop();
    await nodeB.stop();
    await storeA.close();
    await storeB.close();
    await proxy.close();
    await db.drop();
  });

  async function helloFrom(node: GatewayNode, apiId: string): Promise<{ status: number; body: string }> {
    const response = await request(`${node.url}/_aws/execute-api/${apiId}/prod/hello`);
    return { status: response.statusCode, body: await response.body.text() };
  }

  async function pollUntil(node: GatewayNode, apiId: string, deploymentId: string, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    let last = await helloFrom(node, apiId);
    while (!last.body.includes(deploymentId) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      last = await helloFrom(node, apiId);
    }
    return last;
  }

  it('serves on every node what was deployed through one node', async () => {
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(MOCK_API) }));
    const deployment = await client.send(
      new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }),
    );
    expect(await pollUntil(nodeB, api.id!, deployment.id!)).toEqual({
      status: 200,
      body: `{"hello":"${deployment.id!}"}`,
    });
    expect((await pollUntil(nodeA, api.id!, deployment.id!)).status).toBe(200);
  });

  it('answers management writes with 503 while cut off, keeps serving, and recovers', async () => {
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(MOCK_API) }));
    const deployment = await client.send(
      new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }),
    );
    expect((await pollUntil(nodeA, api.id!, deployment.id!)).status).toBe(200);

    proxy.cut('reset');
    const refused = await client
      .send(new CreateRestApiCommand({ name: 'while-cut' }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceUnavailableException);
    expect((refused as Error).message).toMatch(
      /configuration store is unavailable; this change was not made/,
    );
    expect((refused as ServiceUnavailableException).$metadata.httpStatusCode).toBe(503);
    // The data plane keeps its last good configuration.
    expect(await helloFrom(nodeA, api.id!)).toEqual({ status: 200, body: `{"hello":"${deployment.id!}"}` });
    expect((await storeB.listApis()).map((a) => a.name)).not.toContain('while-cut');

    proxy.restore();
    let created: string | undefined;
    for (let attempt = 0; attempt < 20 && created === undefined; attempt++) {
      created = await client.send(new CreateRestApiCommand({ name: 'after-restore' })).then(
        (result) => result.id,
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        },
      );
    }
    expect(created).toBeDefined();
    expect((await storeB.getApi(created!))?.name).toBe('after-restore');
  });

  it("enforces an API key created, and then disabled, through another node's management API", async () => {
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(KEYED_API) }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
    const value = 'multi-node-key-value-0000001';
    const key = await client.send(new CreateApiKeyCommand({ name: 'k', value, enabled: true }));
    const plan = await client.send(
      new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id!, stage: 'prod' }] }),
    );
    await client.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }),
    );
    const withKey = async () => {
      const response = await request(`${nodeB.url}/_aws/execute-api/${api.id!}/prod/hello`, {
        headers: { 'x-api-key': value },
      });
      await response.body.text();
      return response.statusCode;
    };
    const until = async (status: number) => {
      const deadline = Date.now() + 5000;
      let last = await withKey();
      while (last !== status && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        last = await withKey();
      }
      return last;
    };
    expect(await until(200)).toBe(200);
    expect((await helloFrom(nodeB, api.id!)).status).toBe(403);
    await client.send(
      new UpdateApiKeyCommand({
        apiKey: key.id!,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    expect(await until(403)).toBe(403);
  });
});
