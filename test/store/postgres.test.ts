import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/store/config-store.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/store/postgres/migrations.js';
import {
  PostgresConfigStore,
  type PostgresConfigStoreOptions,
} from '../../src/store/postgres/postgres-config-store.js';
import { postgresAvailable } from '../helpers/services.js';
import { configStoreContract } from './contract.js';
import { createTestDatabase, type TestDatabase } from './postgres-database.js';
import { apiKey, restApi } from './fixtures.js';
import { waitFor } from './wait-for.js';

const DATA_TABLES = [
  'api_keys',
  'api_mappings',
  'apis',
  'deployments',
  'domain_names',
  'stages',
  'usage_plan_keys',
  'usage_plans',
];

/** Quiet options for tests: listener failures and feed outages provoked on purpose are expected. */
const quiet: PostgresConfigStoreOptions = {
  onListenerError: () => {},
  onConnectionChange: () => {},
  reconcileIntervalMs: 200,
};

describe.runIf(await postgresAvailable())('PostgreSQL config store', () => {
  let db: TestDatabase;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    databases.push(db);
  });

  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  configStoreContract('PostgreSQL', async () => {
    // One database for the file; each test starts from empty tables.
    const opened: PostgresConfigStore[] = [];
    const open = async (): Promise<PostgresConfigStore> => {
      const store = await PostgresConfigStore.open(db.url, quiet);
      opened.push(store);
      return store;
    };
    const store = await open();
    // DELETE, not TRUNCATE: on tables this small it is far quicker. Foreign keys cascade to the rest.
    await db.query(
      'DELETE FROM domain_names; DELETE FROM apis; DELETE FROM usage_plans; DELETE FROM api_keys',
    );
    return {
      store,
      reopen: open,
      cleanup: async () => {
        for (const each of opened) await each.close();
      },
    };
  });

  describe('PostgresConfigStore', () => {
    const stores: PostgresConfigStore[] = [];
    const open = async (url = db.url, opts: PostgresConfigStoreOptions = quiet) => {
      const store = await PostgresConfigStore.open(url, opts);
      stores.push(store);
      return store;
    };
    const freshDatabase = async (): Promise<TestDatabase> => {
      const database = await createTestDatabase();
      databases.push(database);
      return database;
    };

    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });

    it('numbers its migrations 1, 2, 3, … and records each one it applies', async () => {
      expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
        MIGRATIONS.map((_, index) => index + 1),
      );
      const database = await freshDatabase();
      await open(database.url);

      const applied = await database.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(applied.rows.map((row: { version: number }) => row.version)).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
      const tables = await database.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual(
        [...DATA_TABLES, 'config_version', 'schema_migrations'].sort(),
      );
    });

    it('migrates a fresh database once when several nodes open it at the same moment', async () => {
      const database = await freshDatabase();

      const opened = await Promise.all(Array.from({ length: 6 }, () => open(database.url)));

      const applied = await database.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(applied.rows[0]).toEqual({ n: SCHEMA_VERSION });
      const api = restApi();
      await opened[0]!.createApi(api);
      expect(await opened[5]!.getApi(api.id)).toEqual(api);
    });

    it('brings a version 1 database up to date, keeping its APIs', async () => {
      const database = await freshDatabase();
      const api = restApi();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await migrate(client, database.name, MIGRATIONS.slice(0, 1));
      await client.query(
        'INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES ($1, $2, $3, 0, 0)',
        [api.id, 'REST', JSON.stringify(api)],
      );
      await client.end();

      const store = await open(database.url);

      expect(await store.getApi(api.id)).toEqual(api);
      const key = apiKey();
      await store.createApiKey(key);
      expect(await store.getApiKeyByValue(key.value)).toEqual(key);
      const applied = await database.query('SELECT max(version) AS version FROM schema_migrations');
      expect(applied.rows[0]).toEqual({ version: SCHEMA_VERSION });
    });

    it('refuses a database whose schema is newer than it understands, and says so', async () => {
      const database = await freshDatabase();
      await open(database.url);
      await database.query("INSERT INTO schema_migrations (version, description) VALUES ($1, 'future')", [
        SCHEMA_VERSION + 7,
      ]);

      await expect(open(database.url)).rejects.toThrow(
        `has schema version ${SCHEMA_VERSION + 7}, newer than this Gatehouse understands`,
      );
    });

    it('tells a listener about a change another node made, through NOTIFY', async () => {
      const writer = await open();
      // A reconcile interval far beyond the test, so only the notification can deliver it.
      const watcher = await open(db.url, { ...quiet, reconcileIntervalMs: 600_000 });
      let calls = 0;
      const stop = watcher.watch(() => (calls += 1));
      // The feed reads the counter right after LISTEN, so once it has reported this first
      // change its connection is listening.
      await writer.createApi(restApi());
      await waitFor(() => calls > 0, 'the first change to reach the listener');
      const before = calls;

      const api = restApi();
      await writer.createApi(api);

      await waitFor(() => calls > before, 'the other node’s change to reach the listener');
      expect(await watcher.getApi(api.id)).toEqual(api);
      stop();
    });

    it('finds a change whose notification was lost, by comparing the change counter', async () => {
      const watcher = await open();
      let calls = 0;
      const stop = watcher.watch(() => (calls += 1));
      await new Promise((r) => setTimeout(r, 300));
      const before = calls;

      // A write that bumps the counter without NOTIFY, as if the notification never arrived.
      await db.query('UPDATE config_version SET version = version + 1');

      await waitFor(() => calls > before, 'the reconcile to notice the change');
      stop();
    });

    it('rejects with StoreUnavailableError, without the password, when nothing listens at the address', async () => {
      const closed: Server = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const url = `postgres://gatehouse:s3cret-pa55@127.0.0.1:${port}/gatehouse?password=s3cret-pa55`;

      const attempt = open(url);

      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toThrow(
        `Gatehouse config store postgres://gatehouse@127.0.0.1:${port}/gatehouse is unavailable: the connection was refused`,
      );
      await attempt.catch((error: Error) => expect(error.message).not.toContain('s3cret'));
    });

    it('gives up connecting after the connection timeout when the server never answers', async () => {
      const silent: Server = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      try {
        const attempt = open(`postgres://postgres@127.0.0.1:${port}/postgres`, {
          ...quiet,
          connectionTimeoutMs: 300,
        });

        await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(attempt).rejects.toThrow('is unavailable: no answer in time');
      } finally {
        silent.close();
      }
    });

    it('names a database that does not exist', async () => {
      const url = new URL(db.url);
      url.pathname = '/gatehouse_no_such_database';

      await expect(open(url.toString())).rejects.toThrow(/does not exist; create the database first/);
    });
  });
});
