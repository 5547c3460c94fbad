// An HTTP API's life through the real AWS CLI, as a user of AWS would drive it: quick create,
// import, stages with autoDeploy and by hand, route and integration changes, reimport, export
// and delete, checking on the data plane after each step.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type CliResult, type TestManagement } from '../helpers/admin.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let upstream: Upstream;
let dir: string;
beforeAll(async () => {
  m = await startTestManagement();
  upstream = await startUpstream();
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-http-scenario-'));
});
afterAll(async () => {
  await m.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `aws apigatewayv2 …` and returns its JSON output, failing with the CLI's own words. */
async function v2(...args: string[]): Promise<Record<string, unknown>> {
  const result: CliResult = await m.aws(['apigatewayv2', ...args]);
  if (result.code !== 0) throw new Error(`aws apigatewayv2 ${args.join(' ')} failed: ${result.stderr}`);
  return (result.json ?? {}) as Record<string, unknown>;
}

/** Polls the data plane until `accept` holds; stages reach it shortly after each write. */
async function eventually(url: string, accept: (status: number, body: string) => boolean) {
  let last = { status: 0, body: '' };
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url);
    last = { status: response.status, body: await response.text() };
    if (accept(last.status, last.body)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered as expected; last ${last.status} ${last.body}`);
}

interface ExportedDocument {
  openapi: string;
  paths: Record<string, { get: { 'x-amazon-apigateway-integration': { uri: string } } }>;
}

function document(paths: Record<string, string>): string {
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'shop', version: '2024-01-01' },
    paths: Object.fromEntries(
      Object.entries(paths).map(([path, target]) => [
        path,
        {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: `${upstream.origin}${target}`,
              payloadFormatVersion: '1.0',
            },
          },
        },
      ]),
    ),
  });
}

describe('an HTTP API through the AWS CLI', () => {
  it.runIf(hasAwsCli)('quick-creates an API that serves its $default stage at once', async () => {
    const api = await v2(
      'create-api',
      '--name',
      'q',
      '--protocol-type',
      'HTTP',
      '--target',
      `${upstream.origin}/`,
    );
    const apiId = api['ApiId'] as string;
    expect(api['ApiEndpoint']).toBe(`${m.gatewayUrl}/_aws/execute-api/${apiId}`);
    const answer = await eventually(m.invokeUrl(apiId, '$default', '/hello'), (status) => status === 200);
    expect(JSON.parse(answer.body)).toMatchObject({ method: 'GET', url: '/hello' });
    const stages = await v2('get-stages', '--api-id', apiId);
    expect(stages['Items']).toMatchObject([{ StageName: '$default', AutoDeploy: true }]);
  });

  it.runIf(hasAwsCli)('imports, deploys, changes, reimports, exports and deletes an API', async () => {
    await writeFile(join(dir, 'api.json'), document({ '/pets': '/pets' }));
    const api = await v2('import-api', '--body', `file://${join(dir, 'api.json')}`);
    const apiId = api['ApiId'] as string;
    expect(api['Name']).toBe('shop');

    const prod = await v2('create-stage', '--api-id', apiId, '--stage-name', 'prod', '--auto-deploy');
    expect(prod['AutoDeploy']).toBe(true);
    const pets = await eventually(m.invokeUrl(apiId, 'prod', '/pets'), (status) => status === 200);
    expect(JSON.parse(pets.body)).toMatchObject({ url: '/pets' });

    // By hand: a deployment first, then a stage on it.
    const deployment = await v2('create-deployment', '--api-id', apiId, '--description', 'by hand');
    const manual = await v2(
      'create-stage',
      '--api-id',
      apiId,
      '--stage-name',
      'manual',
      '--deployment-id',
      deployment['DeploymentId'] as string,
    );
    expect(manual['DeploymentId']).toBe(deployment['DeploymentId']);
    await eventually(m.invokeUrl(apiId, 'manual', '/pets'), (status) => status === 200);

    const integrations = await v2('get-integrations', '--api-id', apiId);
    const integrationId = (integrations['Items'] as { IntegrationId: string }[])[0]!.IntegrationId;
    await v2(
      'create-route',
      '--api-id',
      apiId,
      '--route-key',
      'GET /dogs',
      '--target',
      `integrations/${integrationId}`,
    );
    await v2(
      'update-integration',
      '--api-id',
      apiId,
      '--integration-id',
      integrationId,
      '--integration-uri',
      `${upstream.origin}/animals`,
    );
    // prod deploys itself; manual keeps its deployment until deployed again.
    const dogs = await eventually(m.invokeUrl(apiId, 'prod', '/dogs'), (status) => status === 200);
    expect(JSON.parse(dogs.body)).toMatchObject({ url: '/animals' });
    expect((await fetch(m.invokeUrl(apiId, 'manual', '/dogs'))).status).toBe(404);
    await v2('create-deployment', '--api-id', apiId, '--stage-name', 'manual');
    await eventually(m.invokeUrl(apiId, 'manual', '/dogs'), (status) => status === 200);

    await writeFile(join(dir, 'api2.json'), document({ '/cats': '/cats' }));
    const reimported = await v2(
      'reimport-api',
      '--api-id',
      apiId,
      '--body',
      `file://${join(dir, 'api2.json')}`,
    );
    expect(reimported['ApiId']).toBe(apiId);
    const cats = await eventually(m.invokeUrl(apiId, 'prod', '/cats'), (status) => status === 200);
    expect(JSON.parse(cats.body)).toMatchObject({ url: '/cats' });
    await eventually(m.invokeUrl(apiId, 'prod', '/pets'), (status) => status === 404);

    const out = join(dir, 'out.json');
    await v2('export-api', '--api-id', apiId, '--specification', 'OAS30', '--output-type', 'JSON', out);
    const exported = JSON.parse(await readFile(out, 'utf8')) as ExportedDocument;
    expect(exported.openapi).toBe('3.0.1');
    expect(Object.keys(exported.paths)).toEqual(['/cats']);
    expect(exported.paths['/cats']?.get['x-amazon-apigateway-integration'].uri).toBe(
      `${upstream.origin}/cats`,
    );

    await v2('delete-api', '--api-id', apiId);
    const gone = await m.aws(['apigatewayv2', 'get-api', '--api-id', apiId]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain(`NotFoundException`);
    expect(gone.stderr).toContain(`Invalid API identifier specified ${apiId}`);
    // The data plane answers an API it does not know 403 Forbidden, as AWS does.
    await eventually(
      m.invokeUrl(apiId, 'prod', '/cats'),
      (status, body) => status === 403 && body.includes('Forbidden'),
    );
  });

  it.runIf(hasAwsCli)('shows the CLI a clear error for what Gatehouse cannot do', async () => {
    const result = await m.aws(['apigatewayv2', 'get-vpc-links']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('NotImplementedException');
    expect(result.stderr).toContain('GetVpcLinks');
  });
});
