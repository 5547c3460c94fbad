import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEnableCors } from '../../../src/cli/cors-command.js';
import { enableRestCors } from '../../../src/features/cors/index.js';
import type { Api } from '../../../src/model/api.js';
import type { HttpApi } from '../../../src/model/http-api.js';
import { newApiId } from '../../../src/model/ids.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { petStore } from './fixtures.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-cors-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function usingStore<T>(use: (store: SqliteConfigStore) => Promise<T>): Promise<T> {
  const store = SqliteConfigStore.open(dataDir);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const createApi = (api: Api) => usingStore((store) => store.createApi(api));

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('runEnableCors', () => {
  it('stores the API with CORS enabled, deploys it and says what it added', async () => {
    const api = petStore();
    await createApi(api);
    const out = collector();

    await runEnableCors(api.id, { data: dataDir, deployStage: 'dev' }, out.stream);

    const { stored, stage, deployed } = await usingStore(async (store) => {
      const stage = await store.getStage(api.id, 'dev');
      const deployment = stage?.deploymentId
        ? await store.getDeployment(api.id, stage.deploymentId)
        : undefined;
      return { stored: await store.getApi(api.id), stage, deployed: deployment?.api };
    });
    const expected = enableRestCors(api);
    expect(stored).toEqual(expected);
    expect(deployed).toEqual(expected);
    expect(out.text()).toBe(
      [
        `enabled CORS on REST API ${api.id}`,
        "  added OPTIONS /pets (Allow-Methods 'GET,OPTIONS,POST', Allow-Origin '*')",
        '  GET /pets now returns Access-Control-Allow-Origin on 200',
        "  replaced OPTIONS /pets/{id} (Allow-Methods 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT', Allow-Origin '*')",
        '  gateway response DEFAULT_4XX carries Access-Control-Allow-Origin and -Allow-Headers',
        '  gateway response DEFAULT_5XX carries Access-Control-Allow-Origin and -Allow-Headers',
        `deployed ${stage!.deploymentId} to stage dev`,
        '',
      ].join('\n'),
    );
  });

  it('passes origin, headers, methods and paths through, and leaves deploying to the user', async () => {
    const api = petStore();
    await createApi(api);
    const out = collector();

    await runEnableCors(
      api.id,
      {
        data: dataDir,
        origin: 'https://app.example.com',
        headers: 'Content-Type',
        methods: 'GET,OPTIONS',
        paths: ' /pets , ',
      },
      out.stream,
    );

    const stored = await usingStore((store) => store.getApi(api.id));
    expect(stored).toEqual(
      enableRestCors(api, {
        resourcePaths: ['/pets'],
        allowOrigin: 'https://app.example.com',
        allowHeaders: 'Content-Type',
        allowMethods: 'GET,OPTIONS',
      }),
    );
    expect(await usingStore((store) => store.listStages(api.id))).toEqual([]);
    expect(out.text()).toContain(
      "added OPTIONS /pets (Allow-Methods 'GET,OPTIONS', Allow-Origin 'https://app.example.com')",
    );
    expect(out.text()).toContain(`not deployed yet: gatehouse deploy ${api.id} --stage NAME`);
  });

  it('refuses an HTTP API and points at corsConfiguration, changing nothing', async () => {
    const api: HttpApi = {
      protocolType: 'HTTP',
      apiId: newApiId(),
      name: 'http',
      createdDate: 1_700_000_000,
      routeSelectionExpression: '${request.method} ${request.path}',
      routes: [],
      integrations: [],
    };
    await createApi(api);
    await expect(runEnableCors(api.apiId, { data: dataDir }, collector().stream)).rejects.toThrow(
      `${api.apiId} is an HTTP API: set its corsConfiguration (x-amazon-apigateway-cors in OpenAPI) instead`,
    );
    expect(await usingStore((store) => store.getApi(api.apiId))).toEqual(api);
  });

  it('refuses an unknown API id, an unknown path and an empty --paths', async () => {
    const api = petStore();
    await createApi(api);
    await expect(runEnableCors('nosuchapi', { data: dataDir }, collector().stream)).rejects.toThrow(
      'no API with id nosuchapi',
    );
    await expect(
      runEnableCors(api.id, { data: dataDir, paths: '/pets,/nope' }, collector().stream),
    ).rejects.toThrow(`REST API ${api.id} has no resource /nope`);
    await expect(runEnableCors(api.id, { data: dataDir, paths: ' , ' }, collector().stream)).rejects.toThrow(
      '--paths needs at least one resource path',
    );
    await expect(runEnableCors(api.id, { data: dataDir, paths: 'pets' }, collector().stream)).rejects.toThrow(
      'resource path "pets" must start with /',
    );
    expect(await usingStore((store) => store.getApi(api.id))).toEqual(api);
  });
});
