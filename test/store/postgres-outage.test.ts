// What a gateway node does when it loses PostgreSQL: the store fails fast with
// StoreUnavailableError instead of hanging, the data plane keeps serving what it last loaded,
// and once the database is back the node catches up with what changed meanwhile.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploy } from '../../src/controlplane/deployments.js';
import { startGatewayNode, type GatewayNode } from '../../src/gateway-node.js';
import type { RestApi } from '../../src/model/rest-api.js';
import { StoreUnavailableError } from '../../src/store/config-store.js';
import {
  PostgresConfigStore,
  type PostgresConfigStoreOptions,
} from '../../src/store/postgres/postgres-config-store.js';
import { httpProxy, restApi as routedApi } from '../helpers/apis.js';
import { assertBuilt } from '../helpers/cli.js';
import { POSTGRES_URL, postgresAvailable } from '../helpers/services.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { restApi } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './postgres-database.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { waitFor } from './wait-for.js';

/** Polls an async check until it holds; gives up only at a generous deadline. */
async function pollUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Retries `work` until it succeeds: right after a restore, a pooled connection may still be a dead one. */
async function eventually<T>(work: () => Promise<T>, what: string): Promise<T> {
  let result: T | undefined;
  await pollUntil(async () => {
    result = await work();
    return true;
  }, what);
  return result as T;
}

async function rejection(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the store call to fail');
}

describe.runIf(await postgresAvailable())('PostgreSQL config store outage', () => {
  // Trust authentication ignores it; it is here to show it never reaches a message.
  const PASSWORD = 'n0t-f0r-y0ur-eyes';
  let db: TestDatabase;
  let upstream: Upstream;
  let proxy: TcpProxy;
  const stores: PostgresConfigStore[] = [];
  const nodes: GatewayNode[] = [];
  let feedStates: string[];

  const outageOptions = (): PostgresConfigStoreOptions => ({
    onListenerError: () => {},
    onConnectionChange: (state) => feedStates.push(state),
    connectionTimeoutMs: 1_000,
    queryTimeoutMs: 1_000,
    reconcileIntervalMs: 500,
    reconnectMinMs: 100,
    reconnectMaxMs: 1_000,
  });
  const open = async (url: string, opts: PostgresConfigStoreOptions = outageOptions()) => {
    const store = await PostgresConfigStore.open(url, opts);
    stores.push(store);
    return store;
  };
  const proxied = (): string => {
    const url = new URL(proxy.urlFor(db.url));
    url.password = PASSWORD;
    return url.toString();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream.close();
    await db.drop();
  });
  beforeEach(async () => {
    feedStates = [];
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    for (const store of stores.splice(0)) await store.close();
    await proxy.close();
  });

  for (const mode of ['silent', 'reset'] as const) {
    it(`fails reads and writes fast during a ${mode} cut, then works again and hears what changed meanwhile`, async () => {
      const direct = await open(db.url);
      const cutOff = await open(proxied());
      let calls = 0;
      const stop = cutOff.watch(() => (calls += 1));
      await direct.createApi(restApi());
      await waitFor(() => calls > 0, 'the change feed to be up');

      proxy.cut(mode);
      const read = await rejection(cutOff.listApis());
      const write = await rejection(cutOff.createApi(restApi()));
      const lookup = await rejection(cutOff.getApi('anything'));
      const meanwhile = restApi({ name: 'made during the outage' });
      await direct.createApi(meanwhile);
      const before = calls;
      proxy.restore();

      for (const { error } of [read, write, lookup]) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message).toMatch(
          /^Gatehouse config store postgres:\/\/postgres@127\.0\.0\.1:\d+\/gatehouse_test_\w+ is unavailable: /,
        );
        expect((error as Error).message).not.toContain(PASSWORD);
      }
      await waitFor(
        () => calls > before,
        'the listener to hear of the change made during the outage',
        15_000,
      );
      expect(await eventually(() => cutOff.getApi(meanwhile.id), 'a read after the restore')).toEqual(
        meanwhile,
      );
      const after = restApi({ name: 'made after the outage' });
      await eventually(() => cutOff.createApi(after), 'a write after the restore');
      expect(await direct.getApi(after.id)).toEqual(after);
      expect(feedStates).toEqual(['lost', 'restored']);
      stop();
      console.info(
        `${mode} cut: read rejected after ${read.ms} ms, write after ${write.ms} ms, lookup after ${lookup.ms} ms`,
      );
    });
  }

  it('lets the process exit once closed, even while the database does not answer', async () => {
    assertBuilt();
    const module = new URL('../../dist/store/postgres/postgres-config-store.js', import.meta.url).href;
    const script = `
      import { PostgresConfigStore } from ${JSON.stringify(module)};
      const store = await PostgresConfigStore.open(process.env.STORE_URL, {
        onConnectionChange: () => {}, connectionTimeoutMs: 500, queryTimeoutMs: 500, reconcileIntervalMs: 200,
      });
      store.watch(() => {});
      await store.listApis();
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        store.close().then(() => process.stdout.write('closed\\n'));
      });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, STORE_URL: proxied() },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => stdout.includes('ready') || child.exitCode !== null, 'the child to open its store');

    // Connections frozen mid-conversation, a reconcile waiting on one: close() must still end it all.
    proxy.cut('silent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdin.end('close\n');

    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe('ready\nclosed\n');
  });

  describe('two gateway nodes on one database', () => {
    const versioned = (api: RestApi, n: number): RestApi => ({
      ...api,
      resources: routedApi({ 'GET /version': httpProxy(`${upstream.origin}/v${n}`) }).resources,
    });
    const servedBy = async (node: GatewayNode, apiId: string): Promise<string | undefined> => {
      const response = await request(`${node.url}/_aws/execute-api/${apiId}/live/version`);
      if (response.statusCode !== 200) {
        await response.body.dump();
        return undefined;
      }
      return ((await response.body.json()) as { url: string }).url;
    };
    const startNode = async (store: PostgresConfigStore, log: (message: string) => void = () => {}) => {
      const node = await startGatewayNode({ store, port: 0, host: '127.0.0.1', log });
      nodes.push(node);
      return node;
    };

    it('serves on node B what node A deployed, keeps serving through B’s outage, and catches up after it', async () => {
      const storeA = await open(db.url);
      const storeB = await open(proxied());
      const nodeA = await startNode(storeA);
      const nodeB = await startNode(storeB);
      const api = versioned(routedApi({}), 1);
      await storeA.createApi(api);
      await deploy(storeA, { apiId: api.id, stageName: 'live' });

      await pollUntil(async () => (await servedBy(nodeB, api.id)) === '/v1', 'node B to serve v1', 1_000);
      expect(await servedBy(nodeA, api.id)).toBe('/v1');

      let running = true;
      const failures: string[] = [];
      const served = new Map<string, number>();
      let duringOutage = 0;
      let cut = false;
      const worker = async () => {
        while (running) {
          try {
            const url = await servedBy(nodeB, api.id);
            if (url === undefined) failures.push('a response other than 200');
            else served.set(url, (served.get(url) ?? 0) + 1);
            if (cut) duringOutage += 1;
          } catch (error) {
            failures.push(String(error));
          }
        }
      };
      const workers = Array.from({ length: 4 }, worker);

      proxy.cut('silent');
      cut = true;
      await storeA.updateApi(versioned(api, 2));
      await deploy(storeA, { apiId: api.id, stageName: 'live' });
      await pollUntil(async () => (await servedBy(nodeA, api.id)) === '/v2', 'node A to serve v2');
      // A reload while the store is out of reach fails, and leaves the last good configuration.
      await expect(nodeB.loader.reload()).rejects.toBeInstanceOf(StoreUnavailableError);
      await waitFor(() => feedStates.includes('lost'), 'node B’s change feed to notice the outage');
      expect(await servedBy(nodeB, api.id)).toBe('/v1');

      proxy.restore();
      cut = false;
      const catchUpMs = await pollUntil(
        async () => (await servedBy(nodeB, api.id)) === '/v2',
        'node B to catch up',
      );
      running = false;
      await Promise.all(workers);

      expect(failures).toEqual([]);
      expect(duringOutage).toBeGreaterThan(0);
      expect(served.get('/v1')).toBeGreaterThan(0);
      console.info(
        `node B: ${duringOutage} requests served during the outage, none failed; caught up ${catchUpMs} ms after the restore`,
      );
    });

    it('keeps the last good configuration when a reload fails, and retries it until it works', async () => {
      const storeA = await open(db.url);
      // The short statement timeout turns the lock below into a failed reload quickly.
      const storeB = await open(db.url, { ...outageOptions(), queryTimeoutMs: 300 });
      const logs: string[] = [];
      const nodeB = await startNode(storeB, (message) => logs.push(message));
      const api = versioned(routedApi({}), 1);
      await storeA.createApi(api);
      await deploy(storeA, { apiId: api.id, stageName: 'live' });
      await pollUntil(async () => (await servedBy(nodeB, api.id)) === '/v1', 'node B to serve v1');

      // Node B can still hear about changes, but cannot read the whole configuration: its
      // reload blocks on this lock and times out. The deploy below does not touch the table.
      const locker = new pg.Client({ connectionString: db.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE domain_names IN ACCESS EXCLUSIVE MODE');
        await storeA.updateApi(versioned(api, 2));
        await deploy(storeA, { apiId: api.id, stageName: 'live' });
        await waitFor(
          () => logs.filter((message) => message.startsWith('reloading configuration failed')).length >= 2,
          'node B’s reload to fail, twice',
        );
        expect(await servedBy(nodeB, api.id)).toBe('/v1');
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }

      // No further change is announced: only the retry brings v2 in.
      await pollUntil(async () => (await servedBy(nodeB, api.id)) === '/v2', 'node B to retry and serve v2');
    });
  });
});
