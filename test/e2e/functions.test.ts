// Lambda integrations through the real CLI: local handler modules run by `serve --config`, a
// Lambda-Invoke-compatible endpoint, and deploy-time refusal of functions no runtime serves.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli, startCli, type RunningCli } from '../helpers/cli.js';
import { startFakeLambda, type FakeLambda } from '../functions/lambda/fake-lambda.js';

const CODE = fileURLToPath(new URL('../fixtures/functions/e2e/', import.meta.url));
const arn = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

const restApi = `openapi: 3.0.1
info: { title: Functions, version: '1' }
paths:
  /items/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${arn('${stageVariables.proxyFn}')}
  /broken:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${arn('malformed')} }
  /fails:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${arn('fails')} }
  /plain/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: ${arn('plain')}
        requestTemplates:
          application/json: '{"id": "$input.params(''id'')"}'
        responses:
          default:
            statusCode: '200'
          'Not found: .*':
            statusCode: '404'
            responseTemplates:
              application/json: '{"error": "$input.path(''$.errorMessage'')"}'
  /remote:
    post:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${arn('remote')} }
`;

const httpApi = `openapi: 3.0.1
info: { title: Functions HTTP, version: '1' }
x-amazon-apigateway-importexport-version: '1.0'
paths:
  /hello/{proxy+}:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${arn('v2')}, payloadFormatVersion: '2.0' }
`;

let dir: string;
let lambda: FakeLambda;
let server: RunningCli;
let restUrl: string;
let httpUrl: string;
const data = () => ['--data', join(dir, 'data')];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-functions-'));
  lambda = await startFakeLambda({
    functions: {
      'remote-prod': (event) => ({ statusCode: 200, body: `remote saw ${(event as { body: string }).body}` }),
    },
    keys: { AKIDGATEHOUSE: 'secret-key' },
  });
  await writeFile(
    join(dir, 'gatehouse.yaml'),
    `functions:
  proxyHandler: { runtime: local, handler: api.proxy, codeDir: ${CODE} }
  malformed: { runtime: local, handler: api.malformed, codeDir: ${CODE} }
  fails: { runtime: local, handler: api.fails, codeDir: ${CODE} }
  plain: { runtime: local, handler: api.plain, codeDir: ${CODE}, environment: { GREETING: hi } }
  v2: { runtime: local, handler: api.v2, codeDir: ${CODE} }
  remote: { runtime: lambda, functionName: remote-prod }
lambda:
  endpoint: ${lambda.origin}
  region: us-east-1
  credentials: { accessKeyId: AKIDGATEHOUSE, secretAccessKey: secret-key }
`,
  );
  await writeFile(join(dir, 'rest.yaml'), restApi);
  await writeFile(join(dir, 'http.yaml'), httpApi);
  const config = ['--config', join(dir, 'gatehouse.yaml')];
  const rest = await runCli([
    'import',
    join(dir, 'rest.yaml'),
    '--stage',
    'dev',
    '--variables',
    'proxyFn=proxyHandler',
    ...config,
    ...data(),
  ]);
  expect(rest.stderr).toBe('');
  expect(rest.code).toBe(0);
  const http = await runCli(['import', join(dir, 'http.yaml'), '--stage', '$default', ...config, ...data()]);
  expect(http.code).toBe(0);
  server = startCli([
    'serve',
    '--port',
    '0',
    '--admin-port',
    '0',
    '--host',
    '127.0.0.1',
    ...config,
    ...data(),
  ]);
  const [, url] = await server.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
  restUrl = `${url}/_aws/execute-api/${rest.stdout.trim().split('\n').at(-1)!}/dev`;
  httpUrl = `${url}/_aws/execute-api/${http.stdout.trim().split('\n').at(-1)!}`;
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await lambda.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Lambda integrations', () => {
  it('runs an AWS_PROXY route through a local handler module with the payload 1.0 event', async () => {
    const r = await request(`${restUrl}/items/42?color=red&color=blue`);
    expect(r.statusCode).toBe(201);
    expect(r.headers['x-function']).toBe('proxyHandler');
    expect(r.headers['x-flag']).toBe('true');
    expect(r.headers['x-multi']).toBe('a, b');
    const body = (await r.body.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      path: '/items/42',
      resource: '/items/{id}',
      id: '42',
      query: { color: 'blue' },
      stage: 'dev',
      stageVariables: { proxyFn: 'proxyHandler' },
      body: null,
      requestId: r.headers['x-amzn-requestid'],
    });
  });

  it('answers 502 for a malformed proxy response and for a function error', async () => {
    for (const path of ['/broken', '/fails']) {
      const r = await request(`${restUrl}${path}`);
      expect(r.statusCode).toBe(502);
      expect(await r.body.text()).toBe('{"message": "Internal server error"}');
    }
  });

  it('maps a non-proxy (AWS) integration: template in, selectionPattern against errorMessage out', async () => {
    const ok = await request(`${restUrl}/plain/7`);
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toEqual({ found: '7', greeting: 'hi' });
    const missing = await request(`${restUrl}/plain/missing`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toEqual({ error: 'Not found: missing' });
  });

  it('runs an HTTP API payload 2.0 route and infers the response', async () => {
    const r = await request(`${httpUrl}/hello/a/b?name=ann`);
    expect(r.statusCode).toBe(200);
    expect(await r.body.text()).toBe('hello /hello/a/b ann');
  });

  it('invokes a function through a Lambda-Invoke-compatible endpoint with SigV4', async () => {
    const r = await request(`${restUrl}/remote`, { method: 'POST', body: 'ping' });
    expect(r.statusCode).toBe(200);
    expect(await r.body.text()).toBe('remote saw ping');
    expect(lambda.seen.at(-1)?.functionName).toBe('remote-prod');
    expect(String(lambda.seen.at(-1)?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDGATEHOUSE\//,
    );
  });

  it('refuses at deploy time a function that no runtime serves', async () => {
    const file = join(dir, 'unknown.yaml');
    await writeFile(file, restApi.replace('${stageVariables.proxyFn}', 'nobody'));
    const r = await runCli([
      'import',
      file,
      '--stage',
      'dev',
      '--config',
      join(dir, 'gatehouse.yaml'),
      ...data(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no runtime serves function "nobody"');
  });

  it('reports a configuration file mistake with its pointer', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'functions:\n  f: { runtime: local, handler: api.plain, timeout: 5000 }\n');
    const r = await runCli(['serve', '--port', '0', '--admin-port', '0', '--config', bad, ...data()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/functions/f/timeout: must be <= 900');
  });
});
