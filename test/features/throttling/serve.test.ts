// Throttling as a user sets it up: `gatehouse import`, a key and a usage plan with a throttle
// and a quota made with the CLI, and `gatehouse serve --config` whose file names the account
// limit and a Redis state. The buckets and the usage counts land in Redis under the file's
// key prefix.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { APIGatewayClient, FlushStageCacheCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../../helpers/cli.js';
import { REDIS_URL, redisAvailable } from '../../helpers/services.js';
import { deleteKeys, testPrefix } from '../../state/redis-keys.js';

const hasRedis = await redisAvailable();

const api = `openapi: 3.0.1
info: { title: Metered, version: '1' }
paths:
  /paid:
    get:
      security: [{ api_key: [] }]
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200' } }
  /free:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200' } }
components:
  securitySchemes:
    api_key: { type: apiKey, name: x-api-key, in: header }
`;

describe.runIf(hasRedis)('gatehouse serve with a usage plan and a Redis state', () => {
  let dir: string;
  let server: RunningCli;
  let url: string;
  const keyPrefix = testPrefix();
  const keyValue = 'serve-test-key-value-000001';
  const data = () => ['--data', join(dir, 'data')];
  let restApiId: string;
  let adminUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-throttle-serve-'));
    await writeFile(join(dir, 'api.yaml'), api);
    await writeFile(
      join(dir, 'gatehouse.yaml'),
      [
        'throttling: { rateLimit: 1000, burstLimit: 1000 }',
        `state: { url: "${REDIS_URL}", keyPrefix: "${keyPrefix}", failure: closed }`,
      ].join('\n'),
    );
    const imported = await runCli(['import', join(dir, 'api.yaml'), '--stage', 'prod', ...data()]);
    expect(imported.code).toBe(0);
    const apiId = imported.stdout.trim().split('\n').at(-1)!;
    const key = await runCli([
      'api-key',
      'create',
      '--name',
      'c',
      '--value',
      keyValue,
      '--enabled',
      ...data(),
    ]);
    expect(key.code).toBe(0);
    const keyId = /^id +(\S+)$/m.exec(key.stdout)![1]!;
    const plan = await runCli([
      'usage-plan',
      'create',
      '--name',
      'metered',
      '--api-stage',
      `${apiId}:prod`,
      '--rate',
      '0.001',
      '--burst',
      '2',
      '--quota-limit',
      '100',
      '--quota-period',
      'DAY',
      ...data(),
    ]);
    expect(plan.code).toBe(0);
    const planId = plan.stdout.trim().split('\n').at(-1)!;
    expect((await runCli(['usage-plan', 'add-key', planId, keyId, ...data()])).code).toBe(0);
    server = startCli([
      'serve',
      '--port',
      '0',
      '--admin-port',
      '0',
      '--host',
      '127.0.0.1',
      '--config',
      join(dir, 'gatehouse.yaml'),
      ...data(),
    ]);
    const [, origin] = await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
    url = `${origin}/_aws/execute-api/${apiId}/prod`;
    restApiId = apiId;
    [, adminUrl] = (await server.waitFor(/management API on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [
      string,
      string,
    ];
  });

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await deleteKeys(keyPrefix);
    await rm(dir, { recursive: true, force: true });
  });

  it("throttles a key by its plan's bucket, kept in Redis with the day's usage", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await request(`${url}/paid`, { headers: { 'x-api-key': keyValue } });
      statuses.push(r.statusCode);
      if (i === 2) expect(await r.body.json()).toEqual({ message: 'Too Many Requests' });
      else await r.body.text();
    }
    expect(statuses).toEqual([200, 200, 429]);
    // Without a key the plan does not apply; the account bucket has room.
    const free = await request(`${url}/free`);
    expect(free.statusCode).toBe(200);
    await free.body.text();

    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`{${keyPrefix}}*`);
      expect(keys).toContain(`{${keyPrefix}}b:account`);
      expect(keys.some((k) => k.includes('b:plan:'))).toBe(true);
      const usage = keys.filter((k) => k.includes('}u:'));
      expect(usage).toHaveLength(1);
      expect(await redis.get(usage[0]!)).toBe('2');
    } finally {
      redis.disconnect();
    }
  });

  it('keeps stage response caches in the same Redis, flushed through the management API', async () => {
    const [accessKeyId, secretAccessKey] = (await readFile(join(dir, 'data', 'admin-credentials'), 'utf8'))
      .trim()
      .split(':') as [string, string];
    const client = new APIGatewayClient({
      endpoint: adminUrl,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
    const redis = new Redis(REDIS_URL);
    try {
      await client.send(
        new UpdateStageCommand({
          restApiId,
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }],
        }),
      );
      const cached = async () => (await redis.keys(`${keyPrefix}cache:*`)).length;
      const deadline = Date.now() + 5000;
      while ((await cached()) === 0 && Date.now() < deadline) {
        const r = await request(`${url}/free`);
        await r.body.text();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await cached()).toBe(1);
      await client.send(new FlushStageCacheCommand({ restApiId, stageName: 'prod' }));
      expect(await cached()).toBe(0);
    } finally {
      client.destroy();
      redis.disconnect();
    }
  });
});
