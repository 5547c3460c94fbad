// The `gatehouse` command as a user runs it: import, deploy, export, ls, serve, example.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { runCli, startCli } from '../helpers/cli.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let dir: string;
let upstream: Upstream;
const data = () => ['--data', join(dir, 'data')];

const petstore = `openapi: 3.0.1
info:
  title: Pets
  version: '1'
paths:
  /pets/{petId}:
    get:
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: http://\${stageVariables.backend}/animals/{petId}
        requestParameters:
          integration.request.path.petId: method.request.path.petId
  /admin:
    get:
      security:
        - sigv4: []
      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
components:
  securitySchemes:
    sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  upstream = await startUpstream();
  await writeFile(join(dir, 'pets.yaml'), petstore);
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe('gatehouse CLI', () => {
  it('has --help on every command', async () => {
    for (const command of [
      [],
      ['serve'],
      ['import'],
      ['deploy'],
      ['export'],
      ['ls'],
      ['cors'],
      ['example'],
      ['stages'],
      ['canary', 'promote'],
      ['credentials'],
    ]) {
      const r = await runCli([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: gatehouse/);
    }
  });

  it('exits 2 on wrong usage and 1 on a failure, with one clear line', async () => {
    const usage = await runCli(['deploy']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: required/);
    const missing = await runCli(['import', join(dir, 'nope.yaml'), ...data()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^gatehouse: .*nope\.yaml/);
    const unknownApi = await runCli(['deploy', 'nosuchapi', '--stage', 'x', ...data()]);
    expect(unknownApi.code).toBe(1);
    expect(unknownApi.stderr).toContain('nosuchapi');
    expect(unknownApi.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a YAML mistake with file, line and column', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'openapi: 3.0.1\ninfo:\n  title: x\n  version: [1\npaths: {}\n');
    const r = await runCli(['import', file, ...data()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it('reports a JSON mistake with file, line and column', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "openapi": "3.0.1",\n  "info": {\n    "title": "x",,\n  }\n}\n');
    const r = await runCli(['import', file, ...data()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json:4:\d+/);
  });

  it('imports, deploys, serves, redeploys, exports and lists', async () => {
    const imported = await runCli([
      'import',
      join(dir, 'pets.yaml'),
      '--stage',
      'prod',
      '--variables',
      `backend=127.0.0.1:${upstream.port}`,
      ...data(),
    ]);
    expect(imported.code).toBe(0);
    // IAM authorization (the /admin method) is enforced, so import has no warning about it.
    expect(imported.stderr).not.toMatch(/IAM authorization/);
    const apiId = imported.stdout.trim().split('\n').at(-1)!;
    expect(apiId).toMatch(/^[a-z0-9]{10}$/);

    const server = startCli(['serve', '--port', '0', '--admin-port', '0', '--host', '127.0.0.1', ...data()]);
    try {
      const [, url] = await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
      const invoke = `${url}/_aws/execute-api/${apiId}/prod/pets/7`;
      const first = await request(invoke);
      expect(first.statusCode).toBe(200);
      expect(((await first.body.json()) as { url: string }).url).toBe('/animals/7');

      // A deploy from another process reaches the running server.
      const other = await startUpstream((_req, res) => res.end('{"other":true}'));
      const redeployed = await runCli([
        'deploy',
        apiId,
        '--stage',
        'prod',
        '--variables',
        `backend=127.0.0.1:${other.port}`,
        ...data(),
      ]);
      expect(redeployed.code).toBe(0);
      const deadline = Date.now() + 10_000;
      let body = '';
      while (Date.now() < deadline) {
        body = await (await request(invoke)).body.text();
        if (body === '{"other":true}') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(body).toBe('{"other":true}');
      await other.close();
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }

    const exported = await runCli(['export', apiId, '--stage', 'prod', ...data()]);
    expect(exported.code).toBe(0);
    const doc = parseYaml(exported.stdout) as { paths: Record<string, { get: Record<string, unknown> }> };
    expect(doc.paths['/pets/{petId}']?.get['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'http://${stageVariables.backend}/animals/{petId}',
    });
    const json = await runCli(['export', apiId, '--format', 'json', ...data()]);
    expect(JSON.parse(json.stdout)).toMatchObject({ openapi: expect.stringMatching(/^3\.0/) as unknown });

    const listed = await runCli(['ls', ...data()]);
    expect(listed.stdout).toContain(apiId);
    expect(listed.stdout).toContain(`/_aws/execute-api/${apiId}/prod/`);
  });

  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const slow = await startUpstream((_req, res) => setTimeout(() => res.end('{"slow":true}'), 600));
    const file = join(dir, 'slow.yaml');
    await writeFile(file, petstore.replace('title: Pets', 'title: Slow'));
    const imported = await runCli([
      'import',
      file,
      '--stage',
      's',
      '--variables',
      `backend=127.0.0.1:${slow.port}`,
      ...data(),
    ]);
    const apiId = imported.stdout.trim().split('\n').at(-1)!;
    const server = startCli(['serve', '--port', '0', '--admin-port', '0', '--host', '127.0.0.1', ...data()]);
    const [, url] = await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
    const inFlight = request(`${url}/_aws/execute-api/${apiId}/s/pets/1`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    server.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('{"slow":true}');
    expect(await server.exited).toBe(0);
    await expect(request(`${url}/_aws/execute-api/${apiId}/s/pets/1`)).rejects.toThrow();
    await slow.close();
  });

  it('serves the bundled example (npm start) with working URLs', async () => {
    const example = startCli(['example', '--port', '0']);
    try {
      const [, restUrl] = await example.waitFor(/PetStore \(REST API\): (\S+)/);
      const [, httpUrl] = await example.waitFor(/PetStore HTTP API \(HTTP API\): (\S+)/);
      const pets = await request(`${restUrl}pets`);
      expect(pets.statusCode).toBe(200);
      expect(((await pets.body.json()) as unknown[]).length).toBeGreaterThan(0);
      const health = await request(`${restUrl}health`);
      expect(await health.body.json()).toEqual({ status: 'ok' });
      const missing = await request(`${restUrl}pets/99/status`);
      expect(missing.statusCode).toBe(404);
      await missing.body.text();
      const nowhere = await request(`${restUrl}nowhere`);
      expect(nowhere.statusCode).toBe(403);
      await nowhere.body.text();
      const httpPets = await request(`${httpUrl}pets/1`);
      expect(((await httpPets.body.json()) as { id: number }).id).toBe(1);
      const fallback = await request(`${httpUrl}anything/else`);
      expect(((await fallback.body.json()) as { echo: { path: string } }).echo.path).toBe('/anything/else');
    } finally {
      example.child.kill('SIGTERM');
      expect(await example.exited).toBe(0);
    }
  });

  it('keeps imported APIs across restarts of the data directory', async () => {
    const r = await runCli(['ls', ...data()]);
    expect(r.stdout).toMatch(/REST +Pets/);
    expect(await readFile(join(dir, 'data', 'gatehouse.db')).then((b) => b.length)).toBeGreaterThan(0);
  });
});
