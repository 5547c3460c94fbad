// API keys as a user sets them up with the CLI, enforced by a running gateway; changes take
// effect without a redeploy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli, startCli, type RunningCli } from '../helpers/cli.js';

let dir: string;
let server: RunningCli;
let url: string;
let keyId: string;
let keyValue: string;
const data = () => ['--data', join(dir, 'data')];

const api = `openapi: 3.0.1
info: { title: Keys, version: '1' }
paths:
  /paid:
    get:
      security: [{ api_key: [] }]
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default: { statusCode: '200', responseTemplates: { application/json: '{"key": "$context.identity.apiKeyId"}' } }
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

async function waitForStatus(path: string, headers: Record<string, string>, status: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let last = 0;
  while (Date.now() < deadline) {
    const r = await request(`${url}${path}`, { headers });
    await r.body.text();
    last = r.statusCode;
    if (last === status) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-keys-'));
  await writeFile(join(dir, 'api.yaml'), api);
  const imported = await runCli(['import', join(dir, 'api.yaml'), '--stage', 'prod', ...data()]);
  expect(imported.code).toBe(0);
  expect(imported.stderr).toBe('');
  const apiId = imported.stdout.trim().split('\n').at(-1)!;
  const key = await runCli(['api-key', 'create', '--name', 'customer-1', '--enabled', ...data()]);
  expect(key.code).toBe(0);
  keyId = /^id +(\S+)$/m.exec(key.stdout)![1]!;
  keyValue = /^value +(\S+)$/m.exec(key.stdout)![1]!;
  const plan = await runCli([
    'usage-plan',
    'create',
    '--name',
    'basic',
    '--api-stage',
    `${apiId}:prod`,
    ...data(),
  ]);
  expect(plan.code).toBe(0);
  const planId = plan.stdout.trim().split('\n').at(-1)!;
  expect((await runCli(['usage-plan', 'add-key', planId, keyId, ...data()])).code).toBe(0);
  server = startCli(['serve', '--port', '0', '--admin-port', '0', '--host', '127.0.0.1', ...data()]);
  const [, origin] = await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
  url = `${origin}/_aws/execute-api/${apiId}/prod`;
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(dir, { recursive: true, force: true });
});

describe('API keys', () => {
  it('refuses a method that requires a key without one, or with an unknown one', async () => {
    for (const headers of [{}, { 'x-api-key': 'not-a-key-of-this-gateway-0000' }]) {
      const r = await request(`${url}/paid`, { headers });
      expect(r.statusCode).toBe(403);
      expect(r.headers['x-amzn-errortype']).toBe('ForbiddenException');
      expect(await r.body.text()).toBe('{"message":"Forbidden"}');
    }
    const free = await request(`${url}/free`);
    expect(free.statusCode).toBe(200);
    await free.body.text();
  });

  it('accepts a key in a usage plan for the stage and exposes it to templates', async () => {
    const r = await request(`${url}/paid`, { headers: { 'X-API-Key': keyValue } });
    expect(r.statusCode).toBe(200);
    expect(await r.body.json()).toEqual({ key: keyId });
  });

  it('takes a disabled key out of service without a redeploy, and back in', async () => {
    expect((await runCli(['api-key', 'disable', keyId, ...data()])).code).toBe(0);
    expect(await waitForStatus('/paid', { 'x-api-key': keyValue }, 403)).toBe(403);
    expect((await runCli(['api-key', 'enable', keyId, ...data()])).code).toBe(0);
    expect(await waitForStatus('/paid', { 'x-api-key': keyValue }, 200)).toBe(200);
  });
});
