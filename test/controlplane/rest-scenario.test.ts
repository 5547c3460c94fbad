// A REST API's life through the real AWS CLI, exactly as a user of AWS would type it: import,
// deploy with a stage variable naming the upstream, invoke, change the API and redeploy,
// release a canary that overrides the variable, promote it, export, delete.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type CliResult, type TestManagement } from '../helpers/admin.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let blue: Upstream;
let green: Upstream;
let dir: string;

const colour = (name: string) => (_req: unknown, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ backend: name }));
};

beforeAll(async () => {
  m = await startTestManagement();
  blue = await startUpstream(colour('blue'));
  green = await startUpstream(colour('green'));
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-scenario-'));
});
afterAll(async () => {
  await m.close();
  await blue.close();
  await green.close();
  await rm(dir, { recursive: true, force: true });
});

const PETS = {
  openapi: '3.0.1',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'http://${stageVariables.backend}/pets',
        },
      },
    },
    '/health': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: { statusCode: '200', responseTemplates: { 'application/json': '{"status":"ok"}' } },
          },
        },
        responses: { '200': { description: 'healthy' } },
      },
    },
  },
};

/** What the scenario reads from the CLI's JSON output. */
interface Answer {
  id: string;
  name: string;
  path: string;
  type: string;
  deploymentId: string;
  variables: Record<string, string>;
  responseTemplates: Record<string, string>;
  canarySettings: { percentTraffic: number };
  items: { id: string; path: string }[];
  item: Record<string, unknown>[];
}

/** `aws apigateway …`; the command must succeed. */
async function apigateway(...args: string[]): Promise<Answer> {
  const result: CliResult = await m.aws(['apigateway', ...args]);
  if (result.code !== 0) throw new Error(`aws apigateway ${args[0]} failed: ${result.stderr}`);
  return result.json as Answer;
}

interface ExportedDocument {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

async function invoke(url: string): Promise<{ status: number; body: string }> {
  const response = await request(url);
  return { status: response.statusCode, body: await response.body.text() };
}

/** The stage loader follows the store; poll until the data plane answers `expected`. */
async function eventually(url: string, expected: (answer: { status: number; body: string }) => boolean) {
  let answer = await invoke(url);
  for (let attempt = 0; attempt < 200 && !expected(answer); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer = await invoke(url);
  }
  return answer;
}

describe('a REST API through the AWS CLI', () => {
  it.runIf(hasAwsCli)(
    'imports, deploys, changes, releases a canary, promotes it, exports and deletes',
    async () => {
      const file = join(dir, 'pets.json');
      await writeFile(file, JSON.stringify(PETS));
      const imported = await apigateway('import-rest-api', '--body', `fileb://${file}`);
      const apiId = imported.id;
      expect(imported.name).toBe('pets');

      const first = await apigateway(
        'create-deployment',
        '--rest-api-id',
        apiId,
        '--stage-name',
        'prod',
        '--variables',
        `backend=127.0.0.1:${blue.port}`,
      );
      const url = (path: string) => m.invokeUrl(apiId, 'prod', path);
      expect(await eventually(url('/pets'), (a) => a.status === 200)).toEqual({
        status: 200,
        body: '{"backend":"blue"}',
      });
      expect((await invoke(url('/health'))).body).toBe('{"status":"ok"}');

      // Change the API: a new MOCK method, and a new answer from the health check.
      const resources = await apigateway('get-resources', '--rest-api-id', apiId);
      const byPath = (path: string) => resources.items.find((r) => r.path === path)!.id;
      const version = await apigateway(
        'create-resource',
        '--rest-api-id',
        apiId,
        '--parent-id',
        byPath('/'),
        '--path-part',
        'version',
      );
      expect(version.path).toBe('/version');
      const method = ['--rest-api-id', apiId, '--resource-id', version.id, '--http-method', 'GET'];
      await apigateway('put-method', ...method, '--authorization-type', 'NONE');
      await apigateway(
        'put-integration',
        ...method,
        '--type',
        'MOCK',
        '--request-templates',
        '{"application/json":"{\\"statusCode\\": 200}"}',
      );
      await apigateway('put-method-response', ...method, '--status-code', '200');
      await apigateway(
        'put-integration-response',
        ...method,
        '--status-code',
        '200',
        '--response-templates',
        '{"application/json":"{\\"version\\":2}"}',
      );
      const health = ['--rest-api-id', apiId, '--resource-id', byPath('/health'), '--http-method', 'GET'];
      const changed = await apigateway(
        'update-integration-response',
        ...health,
        '--status-code',
        '200',
        '--patch-operations',
        JSON.stringify([
          { op: 'replace', path: '/responseTemplates/application~1json', value: '{"status":"better"}' },
        ]),
      );
      expect(changed.responseTemplates).toEqual({ 'application/json': '{"status":"better"}' });
      const integration = await apigateway('get-integration', ...health);
      expect(integration.type).toBe('MOCK');
      // Not deployed yet: the stage still serves the first deployment.
      expect((await invoke(url('/version'))).status).toBe(403);
      expect((await invoke(url('/health'))).body).toBe('{"status":"ok"}');

      const second = await apigateway(
        'create-deployment',
        '--rest-api-id',
        apiId,
        '--stage-name',
        'prod',
        '--description',
        'version',
      );
      expect(second.id).not.toBe(first.id);
      expect(await eventually(url('/version'), (a) => a.status === 200)).toEqual({
        status: 200,
        body: '{"version":2}',
      });
      expect((await invoke(url('/health'))).body).toBe('{"status":"better"}');
      expect((await invoke(url('/pets'))).body).toBe('{"backend":"blue"}');

      // A canary: the same API with the stage variable pointing at the green upstream.
      const canary = await apigateway(
        'create-deployment',
        '--rest-api-id',
        apiId,
        '--stage-name',
        'prod',
        '--canary-settings',
        `percentTraffic=50,stageVariableOverrides={backend=127.0.0.1:${green.port}}`,
      );
      const stages = await apigateway('get-stages', '--rest-api-id', apiId);
      expect(stages.item).toHaveLength(1);
      expect(stages.item[0]).toMatchObject({
        stageName: 'prod',
        deploymentId: second.id,
        variables: { backend: `127.0.0.1:${blue.port}` },
        canarySettings: {
          deploymentId: canary.id,
          percentTraffic: 50,
          stageVariableOverrides: { backend: `127.0.0.1:${green.port}` },
          useStageCache: false,
        },
      });

      // The management API has stored the canary; the data plane answers from both variants.
      const answered = new Set<string>();
      for (let attempt = 0; attempt < 400 && answered.size < 2; attempt++) {
        answered.add((await invoke(url('/pets'))).body);
        if (answered.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect([...answered].sort()).toEqual(['{"backend":"blue"}', '{"backend":"green"}']);

      // Promotion: AWS's three patch operations in one update-stage.
      const promoted = await apigateway(
        'update-stage',
        '--rest-api-id',
        apiId,
        '--stage-name',
        'prod',
        '--patch-operations',
        'op=replace,path=/canarySettings/percentTraffic,value=0.0',
        'op=copy,path=/deploymentId,from=/canarySettings/deploymentId',
        'op=copy,path=/variables,from=/canarySettings/stageVariableOverrides',
      );
      expect(promoted.deploymentId).toBe(canary.id);
      expect(promoted.variables).toEqual({ backend: `127.0.0.1:${green.port}` });
      expect(promoted.canarySettings.percentTraffic).toBe(0);
      await eventually(url('/pets'), (a) => a.body === '{"backend":"green"}');
      const seenBlue = blue.seen.length;
      for (let i = 0; i < 20; i++) expect((await invoke(url('/pets'))).body).toBe('{"backend":"green"}');
      expect(blue.seen.length).toBe(seenBlue);

      const out = join(dir, 'out.json');
      await apigateway(
        'get-export',
        '--rest-api-id',
        apiId,
        '--stage-name',
        'prod',
        '--export-type',
        'oas30',
        '--parameters',
        'extensions=integrations',
        out,
      );
      const exported = JSON.parse(await readFile(out, 'utf8')) as ExportedDocument;
      expect(exported.openapi).toBe('3.0.1');
      expect(Object.keys(exported.paths).sort()).toEqual(['/health', '/pets', '/version']);
      expect(exported.paths['/pets']?.['get']?.['x-amazon-apigateway-integration']).toMatchObject({
        type: 'http_proxy',
        uri: 'http://${stageVariables.backend}/pets',
      });

      await apigateway('delete-rest-api', '--rest-api-id', apiId);
      const after = await eventually(url('/health'), (a) => a.status === 403);
      expect(after.status).toBe(403);
      const missing = await m.aws(['apigateway', 'get-rest-api', '--rest-api-id', apiId]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('NotFoundException');
      // Each AWS CLI run starts a Python interpreter: over a second apiece, some twenty of them.
    },
    120_000,
  );
});
