import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { deploymentOf, httpApi, mock, restApi, stageOf } from '../helpers/apis.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let gateway: TestGateway;
let upstream: Upstream;

async function call(url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const response = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

const routeOf = (text: string) => (JSON.parse(text) as { route: string }).route;

describe('REST API routing', () => {
  const rest = restApi({
    'GET /': mock(200, '{"route":"root"}'),
    'GET /pets': mock(200, '{"route":"pets"}'),
    'POST /pets': mock(200, '{"route":"post pets"}'),
    'GET /pets/{petId}': mock(200, '{"route":"pet"}'),
    'GET /pets/dogs': mock(200, '{"route":"dogs"}'),
    'ANY /pets/{petId}/toys': mock(200, '{"route":"any toys"}'),
    'DELETE /pets/{petId}/toys': mock(200, '{"route":"delete toys"}'),
    'ANY /files/{proxy+}': mock(200, '{"route":"files"}'),
    'GET /a:b': mock(200, '{"route":"colon"}'),
  });

  beforeAll(async () => {
    gateway = await startTestGateway();
    upstream = await startUpstream();
    const d = deploymentOf(rest);
    gateway.serve([[d, stageOf(d, 'prod')]]);
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  const url = (path: string) => gateway.invokeUrl(rest.id, 'prod', path);

  it('prefers static segments over {param} and {param} over greedy', async () => {
    expect(routeOf((await call(url('/pets/dogs'))).text)).toBe('dogs');
    expect(routeOf((await call(url('/pets/7'))).text)).toBe('pet');
    expect(routeOf((await call(url('/files/a/b/c.txt'))).text)).toBe('files');
    expect(routeOf((await call(url('/'))).text)).toBe('root');
    expect(routeOf((await call(url('/a:b'))).text)).toBe('colon');
  });

  it('serves a method defined on the resource before ANY', async () => {
    expect(routeOf((await call(url('/pets/1/toys'), { method: 'DELETE' })).text)).toBe('delete toys');
    expect(routeOf((await call(url('/pets/1/toys'), { method: 'PATCH' })).text)).toBe('any toys');
    expect(routeOf((await call(url('/pets'), { method: 'POST' })).text)).toBe('post pets');
  });

  it('ignores a trailing slash and a doubled leading slash', async () => {
    expect(routeOf((await call(url('/pets/'))).text)).toBe('pets');
    expect(routeOf((await call(gateway.url + `/_aws/execute-api/${rest.id}//prod/pets`)).text)).toBe('pets');
  });

  it('answers an unknown path with 403 Missing Authentication Token', async () => {
    const r = await call(url('/nowhere'));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toEqual({ message: 'Missing Authentication Token' });
    expect(r.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-amz-apigw-id']).toBeTruthy();
  });

  it('answers a method the resource does not define with 403 Missing Authentication Token', async () => {
    const r = await call(url('/pets/1'), { method: 'PUT' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toEqual({ message: 'Missing Authentication Token' });
  });

  it('needs at least one character for a greedy path', async () => {
    expect((await call(url('/files/'))).status).toBe(403);
  });

  it('resolves the API from an {apiId}.execute-api host', async () => {
    const r = await call(`${gateway.url}/prod/pets`, {
      headers: { host: `${rest.id}.execute-api.us-east-1.amazonaws.com` },
    });
    expect(routeOf(r.text)).toBe('pets');
    const other = await call(`${gateway.url}/prod/pets`, {
      headers: { host: `${rest.id}.execute-api.localhost:9` },
    });
    expect(routeOf(other.text)).toBe('pets');
  });

  it('answers an unknown stage or API with 403 Forbidden', async () => {
    const stage = await call(url('/pets').replace('/prod/', '/nostage/'));
    expect(stage.status).toBe(403);
    expect(JSON.parse(stage.text)).toEqual({ message: 'Forbidden' });
    const api = await call(`${gateway.url}/_aws/execute-api/nosuchapi/prod/pets`);
    expect(api.status).toBe(403);
    const plain = await call(`${gateway.url}/prod/pets`);
    expect(plain.status).toBe(403);
  });
});

describe('HTTP API routing', () => {
  let api: ReturnType<typeof httpApi>;

  beforeAll(async () => {
    gateway = await startTestGateway();
    upstream = await startUpstream();
    const o = upstream.origin;
    api = httpApi({
      'GET /pets/dog/1': `${o}/static`,
      'GET /pets/dog/{id}': `${o}/param/{id}`,
      'GET /pets/{proxy+}': `${o}/get-greedy/{proxy}`,
      'ANY /{proxy+}': `${o}/any-greedy/{proxy}`,
      $default: `${o}/default`,
    });
    const d = deploymentOf(api);
    gateway.serve([[d, stageOf(d, '$default')]]);
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  const upstreamPath = async (method: string, path: string) => {
    const r = await call(gateway.invokeUrl(api.apiId, '$default', path), { method });
    expect(r.status).toBe(200);
    return (JSON.parse(r.text) as { url: string }).url;
  };

  it('follows the priority AWS documents', async () => {
    expect(await upstreamPath('GET', '/pets/dog/1')).toBe('/static');
    expect(await upstreamPath('GET', '/pets/dog/2')).toBe('/param/2');
    expect(await upstreamPath('GET', '/pets/cat/1')).toBe('/get-greedy/cat/1');
    expect(await upstreamPath('POST', '/test/5')).toBe('/any-greedy/test/5');
  });

  it('sends what matches nothing to $default with the request path appended', async () => {
    expect(await upstreamPath('GET', '/')).toBe('/default/');
  });

  it('keeps the greedy value as it came on the wire', async () => {
    expect(await upstreamPath('GET', '/pets/a%2Fb/c%20d')).toBe('/get-greedy/a%2Fb/c%20d');
  });

  it('answers 404 Not Found when no route and no $default match', async () => {
    const bare = httpApi({ 'GET /only': `${upstream.origin}/only` });
    const d = deploymentOf(bare);
    gateway.serve([[d, stageOf(d, 'v1')]]);
    const r = await call(gateway.invokeUrl(bare.apiId, 'v1', '/other'));
    expect(r.status).toBe(404);
    expect(r.text).toBe('{"message":"Not Found"}');
    expect(r.headers['apigw-requestid']).toBeTruthy();
    const noStage = await call(gateway.invokeUrl(bare.apiId, 'v2', '/only'));
    expect(noStage.status).toBe(404);
    expect(noStage.text).toBe('{"message":"Not Found"}');
  });

  it('serves a named stage before $default', async () => {
    const d = deploymentOf(api);
    const staged = httpApi({ 'GET /pets': `${upstream.origin}/staged` });
    const d2 = { ...deploymentOf(staged), apiId: api.apiId };
    gateway.serve([
      [d, stageOf(d, '$default')],
      [d2, stageOf(d2, 'beta')],
    ]);
    expect(await upstreamPath('GET', '/beta/pets')).toBe('/staged');
    expect(await upstreamPath('GET', '/gamma/pets')).toBe('/any-greedy/gamma/pets');
  });
});
