import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/store/sqlite/migrations.js';
import {
  DATABASE_FILE_NAME,
  SqliteConfigStore,
  type SqliteConfigStoreOptions,
} from '../../src/store/sqlite/sqlite-config-store.js';
import { configStoreContract } from './contract.js';
import { apiKey, apiMapping, deploymentOf, domainName, restApi, stageOf, usagePlan } from './fixtures.js';
import { waitFor } from './wait-for.js';

const makeTempDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'gatehouse-sqlite-'));

configStoreContract('SQLite', async () => {
  const root = await makeTempDir();
  // A directory that does not exist yet, so every run also covers creating it.
  const dataDir = path.join(root, 'data');
  const opened: SqliteConfigStore[] = [];
  const open = (): SqliteConfigStore => {
    // Listener failures the contract provokes on purpose are expected, not worth a warning.
    const store = SqliteConfigStore.open(dataDir, { pollIntervalMs: 20, onListenerError: () => {} });
    opened.push(store);
    return store;
  };
  return {
    store: open(),
    reopen: () => Promise.resolve(open()),
    cleanup: async () => {
      for (const store of opened) await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

/** Runs a CommonJS script in a separate Node process, with better-sqlite3 at hand as SQLITE_MODULE. */
function runNode(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, ...env, SQLITE_MODULE: createRequire(import.meta.url).resolve('better-sqlite3') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`child process exited with ${String(code)}: ${stderr}`)),
    );
  });
  return { exited, stdout: () => stdout };
}

describe('SqliteConfigStore', () => {
  let root: string;
  const opened: SqliteConfigStore[] = [];
  const open = (dir: string, opts: SqliteConfigStoreOptions = { pollIntervalMs: 20 }): SqliteConfigStore => {
    const store = SqliteConfigStore.open(dir, opts);
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    root = await makeTempDir();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('data directory and file', () => {
    it('creates a missing data directory, parents included, with mode 0700', async () => {
      const dataDir = path.join(root, 'nested', 'data');

      const store = open(dataDir);

      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(root, 'nested'))).isDirectory()).toBe(true);
      expect(store.file).toBe(path.join(dataDir, DATABASE_FILE_NAME));
      expect((await stat(store.file)).isFile()).toBe(true);
    });

    it('opens the file in WAL mode with foreign keys on, at the current schema version', () => {
      const store = open(root);
      const db = new Database(store.file, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        const tables = db
          .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          .pluck()
          .all();
        expect(tables).toEqual([
          'api_keys',
          'api_mappings',
          'apis',
          'deployments',
          'domain_names',
          'stages',
          'usage_plan_keys',
          'usage_plans',
        ]);
      } finally {
        db.close();
      }
    });

    it('numbers its migrations 1, 2, 3, … so user_version says exactly which have run', () => {
      expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
        MIGRATIONS.map((_, index) => index + 1),
      );
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    });

    it('opens an existing database without migrating it again', async () => {
      const api = restApi();
      const first = open(root);
      await first.createApi(api);
      await first.close();

      const second = open(root);

      expect(await second.getApi(api.id)).toEqual(api);
    });

    it('brings a version 1 database up to date, keeping its APIs, and adds API keys, usage plans and domain names', async () => {
      const api = restApi();
      const file = path.join(root, DATABASE_FILE_NAME);
      const old = new Database(file);
      old.pragma('journal_mode = WAL');
      migrate(old, file, MIGRATIONS.slice(0, 1));
      old
        .prepare('INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES (?, ?, ?, 0, 0)')
        .run(api.id, 'REST', JSON.stringify(api));
      expect(old.pragma('user_version', { simple: true })).toBe(1);
      old.close();

      const store = open(root);

      expect(await store.getApi(api.id)).toEqual(api);
      const key = apiKey();
      const plan = usagePlan();
      await store.createApiKey(key);
      await store.createUsagePlan(plan);
      await store.addUsagePlanKey(plan.id, key.id);
      expect(await store.listUsagePlanKeys()).toEqual([{ usagePlanId: plan.id, keyId: key.id }]);
      const domain = domainName();
      const mapping = apiMapping(domain, api);
      await store.createDomainName(domain);
      await store.createApiMapping(mapping);
      expect(await store.listApiMappings()).toEqual([mapping]);
      const db = new Database(store.file, { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      } finally {
        db.close();
      }
    });

    it('names the file and the problem when the file is not a SQLite database', async () => {
      const file = path.join(root, DATABASE_FILE_NAME);
      await writeFile(file, 'name,value\n'.repeat(200));

      expect(() => open(root)).toThrow(`${file} is not a SQLite database`);
    });

    it('names the file when it comes from a newer Gatehouse', () => {
      const store = open(root);
      const file = store.file;
      const db = new Database(file);
      db.pragma(`user_version = ${SCHEMA_VERSION + 7}`);
      db.close();

      expect(() => open(root)).toThrow(
        `${file} has schema version ${SCHEMA_VERSION + 7}, newer than this Gatehouse understands`,
      );
    });

    it('names the path when the data directory is a file', async () => {
      const file = path.join(root, 'not-a-directory');
      await writeFile(file, 'x');

      expect(() => open(file)).toThrow(`Gatehouse cannot create its data directory ${file}`);
      expect(() => open(file)).toThrow(/not a directory/);
    });

    it('names the path when a parent of the data directory is a file', async () => {
      const file = path.join(root, 'plain-file');
      await writeFile(file, 'x');
      const dataDir = path.join(file, 'data');

      expect(() => open(dataDir)).toThrow(`Gatehouse cannot create its data directory ${dataDir}`);
      expect(() => open(dataDir)).toThrow(/part of the path is a file/);
    });

    it('names the file when the database path is a directory', async () => {
      const { mkdir } = await import('node:fs/promises');
      const file = path.join(root, DATABASE_FILE_NAME);
      await mkdir(file);

      expect(() => open(root)).toThrow(`Gatehouse cannot open its database ${file}`);
    });

    it('rejects a poll interval that is not a positive number', () => {
      expect(() => open(root, { pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
      expect(() => open(root, { pollIntervalMs: Number.NaN })).toThrow(/pollIntervalMs/);
    });
  });

  describe('damaged rows', () => {
    async function storeWithRawRow(sql: string, ...params: unknown[]): Promise<SqliteConfigStore> {
      const store = open(root);
      await store.createApi(restApi({ id: 'healthy' }));
      const db = new Database(store.file);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
      return store;
    }

    it('reports an API row whose JSON does not parse, naming the table and the id', async () => {
      const store = await storeWithRawRow(
        "INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES ('broken', 'REST', '{\"id\": ', 0, 0)",
      );

      await expect(store.getApi('broken')).rejects.toThrow(/row broken of table apis holds invalid JSON/);
      await expect(store.listApis()).rejects.toThrow(/row broken of table apis/);
      expect((await store.getApi('healthy'))?.name).toBe('Pet Store');
    });

    it('reports an API row whose id does not match its definition', async () => {
      const store = await storeWithRawRow(
        "INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES ('moved', 'REST', ?, 0, 0)",
        JSON.stringify(restApi({ id: 'elsewhere' })),
      );

      await expect(store.getApi('moved')).rejects.toThrow(
        /row moved of table apis holds an API whose id is "elsewhere"/,
      );
    });

    it('reports deployment and stage rows that are not JSON objects', async () => {
      const store = await storeWithRawRow(
        "INSERT INTO deployments (api_id, id, created, snapshot) VALUES ('healthy', 'dep001', 0, '[1, 2]')",
      );
      const db = new Database(store.file);
      db.prepare(
        "INSERT INTO stages (api_id, stage_name, deployment_id, definition) VALUES ('healthy', 'prod', NULL, 'null')",
      ).run();
      db.close();

      await expect(store.getDeployment('healthy', 'dep001')).rejects.toThrow(
        /row healthy\/dep001 of table deployments holds JSON that is not an object/,
      );
      await expect(store.listStages()).rejects.toThrow(
        /row healthy\/prod of table stages holds JSON that is not an object/,
      );
    });
  });

  describe('damaged API key and usage plan rows', () => {
    function insertRaw(store: SqliteConfigStore, sql: string, ...params: unknown[]): void {
      const db = new Database(store.file);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    }

    it('reports a key row whose id or value does not match its definition', async () => {
      const store = open(root);
      const healthy = apiKey();
      await store.createApiKey(healthy);
      const elsewhere = apiKey({ id: 'elsewhere' });
      insertRaw(
        store,
        "INSERT INTO api_keys (id, value, definition) VALUES ('moved', ?, ?)",
        elsewhere.value,
        JSON.stringify(elsewhere),
      );
      const revalued = apiKey({ id: 'revalued' });
      insertRaw(
        store,
        "INSERT INTO api_keys (id, value, definition) VALUES ('revalued', 'not-the-value-in-the-definition', ?)",
        JSON.stringify(revalued),
      );

      await expect(store.getApiKey('moved')).rejects.toThrow(
        /row moved of table api_keys holds an API key whose id is "elsewhere"/,
      );
      await expect(store.getApiKeyByValue('not-the-value-in-the-definition')).rejects.toThrow(
        /row revalued of table api_keys holds an API key with another value/,
      );
      await expect(store.listApiKeys()).rejects.toThrow(/table api_keys/);
      expect(await store.getApiKey(healthy.id)).toEqual(healthy);
    });

    it('reports a usage plan row that is not a plan', async () => {
      const store = open(root);
      insertRaw(store, 'INSERT INTO usage_plans (id, definition) VALUES (\'broken\', \'{"id": "broken"}\')');

      await expect(store.getUsagePlan('broken')).rejects.toThrow(
        /row broken of table usage_plans holds a usage plan without apiStages/,
      );
    });
  });

  describe('sharing the file', () => {
    it('tells a watcher about a change made by another store on the same directory', async () => {
      const server = open(root);
      const cli = open(root);
      let calls = 0;
      const stop = server.watch(() => (calls += 1));
      const api = restApi();

      await cli.createApi(api);

      await waitFor(() => calls > 0, 'the server store to notice the other store’s write');
      expect(await server.getApi(api.id)).toEqual(api);

      const before = calls;
      const deployment = deploymentOf(api);
      await cli.createDeployment(deployment);
      await cli.putStage(stageOf(api, 'prod', { deploymentId: deployment.id }));
      await waitFor(() => calls > before, 'a notification for the next writes');
      expect((await server.getStage(api.id, 'prod'))?.deploymentId).toBe(deployment.id);
      stop();
    });

    it('tells a watcher when another store disables an API key', async () => {
      const server = open(root);
      const cli = open(root);
      const key = apiKey({ enabled: true });
      await cli.createApiKey(key);
      let calls = 0;
      const stop = server.watch(() => (calls += 1));

      await cli.updateApiKey({ ...key, enabled: false });

      await waitFor(() => calls > 0, 'the server store to notice the disabled key');
      expect((await server.getApiKeyByValue(key.value))?.enabled).toBe(false);
      stop();
    });

    it('tells a watcher about a change committed by another process', async () => {
      const store = open(root);
      const api = restApi();
      await store.createApi(api);
      let calls = 0;
      const stop = store.watch(() => (calls += 1));

      const child = runNode(
        `const Database = require(process.env.SQLITE_MODULE);
         const db = new Database(process.env.DB_FILE, { timeout: 5000 });
         db.prepare("UPDATE apis SET definition = json_set(definition, '$.name', 'Renamed elsewhere') WHERE id = ?")
           .run(process.env.API_ID);
         db.close();`,
        { DB_FILE: store.file, API_ID: api.id },
      );
      await child.exited;

      await waitFor(() => calls > 0, 'the store to notice the other process’s commit');
      expect((await store.getApi(api.id))?.name).toBe('Renamed elsewhere');
      stop();
    });

    it('waits for another process’s write transaction instead of failing', async () => {
      const store = open(root);
      const api = restApi();
      await store.createApi(api);

      const child = runNode(
        `const Database = require(process.env.SQLITE_MODULE);
         const db = new Database(process.env.DB_FILE, { timeout: 5000 });
         db.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
         db.exec('COMMIT');
         db.close();`,
        { DB_FILE: store.file },
      );
      await waitFor(() => child.stdout().includes('locked'), 'the other process to take the write lock');

      const deployment = deploymentOf(api);
      await store.createDeployment(deployment);
      await child.exited;

      expect(await store.getDeployment(api.id, deployment.id)).toEqual(deployment);
    });

    it('hands a listener’s exception to onListenerError and still calls the other listeners', async () => {
      const reported: unknown[] = [];
      const store = open(root, {
        pollIntervalMs: 20,
        onListenerError: (error) => {
          reported.push(error);
          throw new Error('the handler fails too');
        },
      });
      const failure = new Error('listener failure');
      let calls = 0;
      const stopFailing = store.watch(() => {
        throw failure;
      });
      const stop = store.watch(() => (calls += 1));

      await store.createApi(restApi());

      await waitFor(() => calls > 0, 'the healthy listener to be called');
      expect(reported).toEqual([failure]);
      stopFailing();
      stop();
    });

    it('refuses to watch once closed', async () => {
      const store = open(root);
      await store.close();

      expect(() => store.watch(() => {})).toThrow(/is closed/);
    });
  });
});
