// `gatehouse deploy --canary`, `stages`, `canary promote` and `credentials` as a user runs them,
// against a running `serve` that follows every change.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli, startCli, type RunningCli } from '../helpers/cli.js';

let dir: string;
let server: RunningCli;
let url: string;
const data = () => ['--data', join(dir, 'data')];

// A MOCK method that answers the stage variable `version`, so each variant shows itself.
const api = `openapi: 3.0.1
info: { title: Versions, version: '1' }
paths:
  /version:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: '200'
            responseTemplates: { application/json: '{"version": "$stageVariables.version", "canary": "$context.isCanaryRequest"}' }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-stages-'));
  await writeFile(join(dir, 'api.yaml'), api);
  server = startCli(['serve', '--port', '0', '--admin-port', '0', '--host', '127.0.0.1', ...data()]);
  [, url] = (await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(dir, { recursive: true, force: true });
});

async function versionUntil(apiId: string, expected: { version: string; canary: string }) {
  const deadline = Date.now() + 5000;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await request(`${url}/_aws/execute-api/${apiId}/prod/version`);
    last = response.statusCode === 200 ? await response.body.json() : await response.body.text();
    if (JSON.stringify(last) === JSON.stringify(expected)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

describe('stage commands', () => {
  it('deploys a canary, lists it, and promotes it', async () => {
    const imported = await runCli([
      'import',
      join(dir, 'api.yaml'),
      '--stage',
      'prod',
      '--variables',
      'version=1',
      ...data(),
    ]);
    expect(imported.code).toBe(0);
    const apiId = imported.stdout.trim().split('\n').at(-1)!;
    expect(await versionUntil(apiId, { version: '1', canary: 'false' })).toEqual({
      version: '1',
      canary: 'false',
    });

    const canary = await runCli([
      'deploy',
      apiId,
      '--stage',
      'prod',
      '--canary',
      '100',
      '--variables',
      'version=2',
      ...data(),
    ]);
    expect(canary.code).toBe(0);
    expect(canary.stdout).toMatch(/as the canary of stage prod, taking 100% of its traffic/);
    expect(await versionUntil(apiId, { version: '2', canary: 'true' })).toEqual({
      version: '2',
      canary: 'true',
    });

    const listed = await runCli(['stages', apiId, ...data()]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^prod {2}deployment \w+/);
    expect(listed.stdout).toContain('variables: version=1');
    expect(listed.stdout).toMatch(/canary: 100% to deployment \w+, overrides version=2/);

    const promoted = await runCli(['canary', 'promote', apiId, '--stage', 'prod', ...data()]);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('variables: version=2');
    expect(promoted.stdout).not.toContain('canary:');
    expect(await versionUntil(apiId, { version: '2', canary: 'false' })).toEqual({
      version: '2',
      canary: 'false',
    });

    const again = await runCli(['canary', 'promote', apiId, '--stage', 'prod', ...data()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Promotion not available. Canary does not exist.');
  });

  it('refuses a canary share that is not a percentage', async () => {
    const result = await runCli(['deploy', 'someapi', '--stage', 'prod', '--canary', '150', ...data()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be a percentage from 0 to 100');
  });

  it('shows the generated management credentials and rotates them', async () => {
    const shown = await runCli(['credentials', ...data()]);
    expect(shown.code).toBe(0);
    const keyId = /aws_access_key_id = (\S+)/.exec(shown.stdout)?.[1];
    expect(keyId).toMatch(/^GH[A-Z2-7]{18}$/);
    expect(shown.stdout).toContain('(hidden; --show-secret prints it)');
    // serve generated the pair on its first start and printed where it is.
    expect(server.output()).toContain(`access key id ${keyId}`);
    const secret = await runCli(['credentials', '--show-secret', ...data()]);
    expect(secret.stdout).toMatch(/aws_secret_access_key = [A-Za-z0-9]{40}/);
    const rotated = await runCli(['credentials', '--rotate', ...data()]);
    expect(rotated.code).toBe(0);
    const newKeyId = /aws_access_key_id = (\S+)/.exec(rotated.stdout)?.[1];
    expect(newKeyId).not.toBe(keyId);
  });
});
