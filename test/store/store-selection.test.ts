// Which store a spec opens, and the CLI's --store option and GATEHOUSE_STORE variable.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConfigStore } from '../../src/store/postgres/postgres-config-store.js';
import { SqliteConfigStore } from '../../src/store/sqlite/sqlite-config-store.js';
import { describeStore, openConfigStore } from '../../src/store/open.js';
import { CLI, assertBuilt } from '../helpers/cli.js';
import { postgresAvailable } from '../helpers/services.js';
import { createTestDatabase, type TestDatabase } from './postgres-database.js';
import { restApi } from './fixtures.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-selection-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openConfigStore', () => {
  it('opens SQLite in a data directory for anything that is not a postgres URL', async () => {
    const store = await openConfigStore(join(dir, 'data'));
    try {
      expect(store).toBeInstanceOf(SqliteConfigStore);
      const api = restApi();
      await store.createApi(api);
      expect(await store.getApi(api.id)).toEqual(api);
    } finally {
      await store.close();
    }
  });

  it('refuses an empty spec with a clear error', async () => {
    await expect(openConfigStore('  ')).rejects.toThrow('The config store is empty');
  });

  it('shows a postgres URL without its password, and a directory as given', () => {
    expect(describeStore('postgres://gate:s3cret@db.internal:6432/gatehouse?sslmode=require')).toBe(
      'postgres://gate@db.internal:6432/gatehouse',
    );
    expect(describeStore('/var/lib/gatehouse')).toBe('/var/lib/gatehouse');
  });
});

describe.runIf(await postgresAvailable())('openConfigStore with PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs, which share one database', async () => {
    const first = await openConfigStore(db.url);
    const second = await openConfigStore(db.url.replace(/^postgres:/, 'postgresql:'));
    try {
      expect(first).toBeInstanceOf(PostgresConfigStore);
      expect(second).toBeInstanceOf(PostgresConfigStore);
      const api = restApi();
      await first.createApi(api);
      expect(await second.getApi(api.id)).toEqual(api);
    } finally {
      await first.close();
      await second.close();
    }
  });

  /** Runs the built CLI with an environment of its own. */
  function gatehouse(args: string[], env: Record<string, string> = {}) {
    assertBuilt();
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('imports and lists through --store, and through GATEHOUSE_STORE when --store is not given', async () => {
    const file = join(dir, 'orders.yaml');
    await writeFile(
      file,
      [
        'openapi: 3.0.1',
        'info: { title: Orders in PostgreSQL, version: "1" }',
        'paths:',
        '  /orders:',
        '    get:',
        '      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: \'{"statusCode": 200}\' } }',
        '',
      ].join('\n'),
    );

    const imported = await gatehouse(['import', file, '--stage', 'prod', '--store', db.url]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const apiId = imported.stdout.trim().split('\n').at(-1)!;

    const viaEnv = await gatehouse(['ls', '--data', join(dir, 'unused')], { GATEHOUSE_STORE: db.url });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(`${apiId}  REST  Orders in PostgreSQL`);
    expect(viaEnv.stdout).toMatch(/prod\s+deployment \w+/);

    // The SQLite directory named by --data was never used.
    const local = await gatehouse(['ls', '--data', join(dir, 'unused')], { GATEHOUSE_STORE: '' });
    expect(local.stdout).toContain('no APIs yet');
  });

  it('fails with one clear line, without the password, when the store cannot be reached', async () => {
    const result = await gatehouse(['ls', '--store', 'postgres://gate:s3cret@127.0.0.1:1/gatehouse']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'gatehouse: Gatehouse config store postgres://gate@127.0.0.1:1/gatehouse is unavailable: the connection was refused\n',
    );
  });
});
