// The config store for several gateway nodes: one PostgreSQL database that they all read and
// write. Writes run in transactions that bump a change counter first, which both serialises
// them (as SQLite's single writer does, so every check sees what its write will change) and
// feeds `watch` (change-feed.ts). A database that cannot be reached makes calls fail within
// the connection or query timeout with StoreUnavailableError, never hang.
import { Socket } from 'node:net';
import pg from 'pg';
import { apiIdOf, type Api, type Deployment, type Stage } from '../../model/api.js';
import type { ApiMapping, DomainName } from '../../model/domain-names.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../model/usage-plans.js';
import { ConflictError, NotFoundError, type ConfigStore } from '../config-store.js';
import { DocumentReader } from '../documents.js';
import * as problems from '../errors.js';
import { CHANGE_CHANNEL, ChangeFeed } from './change-feed.js';
import { isConnectionProblem, safeLocation, unavailable } from './connection-errors.js';
import { migrate } from './migrations.js';

export interface PostgresConfigStoreOptions {
  /** How long to wait for a connection before giving up; default 2 s. */
  connectionTimeoutMs?: number;
  /** How long one statement may take, on the server and then on the client; default 5 s. */
  queryTimeoutMs?: number;
  /** How often the change feed compares the change counter; default 3 s. */
  reconcileIntervalMs?: number;
  /** First and longest delay between attempts to reconnect the change feed; default 250 ms and 5 s. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Connections in the pool; default 10. */
  maxConnections?: number;
  /** Where a watch listener's exception goes; by default a process warning. */
  onListenerError?: (error: unknown) => void;
  /** Told when the change feed loses its connection and when it has it back; by default process warnings. */
  onConnectionChange?: (state: 'lost' | 'restored', error?: unknown) => void;
}

export const DEFAULT_CONNECTION_TIMEOUT_MS = 2_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
export const DEFAULT_RECONCILE_INTERVAL_MS = 3_000;

export const isPostgresUrl = (spec: string): boolean => /^postgres(ql)?:\/\//i.test(spec);

type Db = pg.Pool | pg.PoolClient;

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

const constraintOf = (error: unknown): string | undefined =>
  error instanceof pg.DatabaseError ? error.constraint : undefined;

const UNIQUE_VIOLATION = '23505';

/** Every socket the store opens, so close() can cut those a silent network keeps open. */
class Sockets {
  private readonly open = new Set<Socket>();

  readonly create = (): Socket => {
    const socket = new Socket();
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  };

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

function openProblem(location: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes(location)) return error instanceof Error ? error : new Error(message);
  switch (codeOf(error)) {
    case '28P01':
    case '28000':
      return new Error(`Gatehouse cannot log in to ${location}: ${message}`, { cause: error });
    case '3D000':
      return new Error(`Gatehouse cannot open ${location}: ${message}; create the database first`, {
        cause: error,
      });
    default:
      return new Error(`Gatehouse cannot open its config store ${location}: ${message}`, { cause: error });
  }
}

export class PostgresConfigStore implements ConfigStore {
  private readonly rows: DocumentReader;
  private readonly feed: ChangeFeed;
  private closing: Promise<void> | undefined;

  /**
   * Connects to the database at `url`, brings its schema up to date and returns the store.
   * Rejects with StoreUnavailableError when the server cannot be reached.
   */
  static async open(url: string, opts: PostgresConfigStoreOptions = {}): Promise<PostgresConfigStore> {
    if (!isPostgresUrl(url))
      throw new Error('A PostgreSQL config store needs a postgres:// or postgresql:// URL');
    const location = safeLocation(url);
    try {
      new URL(url);
    } catch {
      throw new Error(`${location} is not a valid PostgreSQL URL`);
    }
    const connectionTimeoutMs = positive(
      'connectionTimeoutMs',
      opts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    );
    const queryTimeoutMs = positive('queryTimeoutMs', opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
    const sockets = new Sockets();
    const client: pg.ClientConfig = {
      connectionString: url,
      connectionTimeoutMillis: connectionTimeoutMs,
      // The server cancels a slow statement first and the connection stays usable; the
      // client's own limit, a second later, covers a server that no longer answers at all.
      statement_timeout: queryTimeoutMs,
      query_timeout: queryTimeoutMs + 1_000,
      // A node cut off mid-transaction would otherwise hold the change counter's lock, and
      // with it every other node's writes, until TCP gives up.
      idle_in_transaction_session_timeout: Math.max(2 * queryTimeoutMs, 10_000),
      keepAlive: true,
      application_name: 'gatehouse',
      stream: sockets.create,
    };
    const pool = new pg.Pool({
      ...client,
      max: opts.maxConnections ?? 10,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
    });
    // An idle connection that breaks is reported here and removed by the pool; the next call
    // opens a new one or fails with StoreUnavailableError.
    pool.on('error', () => {});
    let baseline: bigint;
    try {
      const connection = await pool.connect();
      const ignore = () => {};
      connection.on('error', ignore);
      try {
        baseline = await migrate(connection, location);
        connection.off('error', ignore);
        connection.release();
      } catch (error) {
        connection.off('error', ignore);
        connection.release(true);
        throw error;
      }
    } catch (error) {
      await endPool(pool, sockets);
      throw isConnectionProblem(error) ? unavailable(location, error) : openProblem(location, error);
    }
    return new PostgresConfigStore(pool, sockets, location, baseline, client, opts);
  }

  private constructor(
    private readonly pool: pg.Pool,
    private readonly sockets: Sockets,
    /** The database's URL without its password. */
    readonly location: string,
    baseline: bigint,
    client: pg.ClientConfig,
    opts: PostgresConfigStoreOptions,
  ) {
    this.rows = new DocumentReader(location);
    this.feed = new ChangeFeed({
      client,
      baseline,
      reconcileIntervalMs: positive(
        'reconcileIntervalMs',
        opts.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      ),
      minBackoffMs: positive('reconnectMinMs', opts.reconnectMinMs ?? 250),
      maxBackoffMs: positive('reconnectMaxMs', opts.reconnectMaxMs ?? 5_000),
      onListenerError: opts.onListenerError ?? warnListenerFailed,
      onConnectionChange: opts.onConnectionChange ?? ((state, error) => warnFeed(location, state, error)),
    });
  }

  createApi(api: Api): Promise<void> {
    return this.write(async (tx) => {
      const id = apiIdOf(api);
      const now = Date.now();
      try {
        await tx.query(
          'INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES ($1, $2, $3, $4, $5)',
          [id, api.protocolType, JSON.stringify(api), now, now],
        );
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION) throw problems.apiExists(id);
        throw error;
      }
    });
  }

  updateApi(api: Api): Promise<void> {
    return this.write(async (tx) => {
      const id = apiIdOf(api);
      const result = await tx.query(
        'UPDATE apis SET protocol_type = $1, definition = $2, updated = $3 WHERE id = $4',
        [api.protocolType, JSON.stringify(api), Date.now(), id],
      );
      if (result.rowCount === 0) throw problems.apiNotFound(id);
    });
  }

  getApi(apiId: string): Promise<Api | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<{ id: string; definition: string }>(
        'SELECT id, definition FROM apis WHERE id = $1',
        [apiId],
      );
      return rows[0] && this.rows.api(rows[0].id, rows[0].definition);
    });
  }

  listApis(): Promise<Api[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<{ id: string; definition: string }>(
        'SELECT id, definition FROM apis ORDER BY created, seq',
      );
      return rows.map((row) => this.rows.api(row.id, row.definition));
    });
  }

  deleteApi(apiId: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM apis WHERE id = $1', [apiId]);
      if (result.rowCount === 0) throw problems.apiNotFound(apiId);
    });
  }

  createDeployment(deployment: Deployment): Promise<void> {
    return this.write(async (tx) => {
      if (!(await exists(tx, 'SELECT 1 FROM apis WHERE id = $1', [deployment.apiId]))) {
        throw problems.apiNotFound(deployment.apiId);
      }
      try {
        await tx.query('INSERT INTO deployments (api_id, id, created, snapshot) VALUES ($1, $2, $3, $4)', [
          deployment.apiId,
          deployment.id,
          deployment.createdDate,
          JSON.stringify(deployment),
        ]);
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION)
          throw problems.deploymentExists(deployment.apiId, deployment.id);
        throw error;
      }
    });
  }

  getDeployment(apiId: string, deploymentId: string): Promise<Deployment | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<{ api_id: string; id: string; snapshot: string }>(
        'SELECT api_id, id, snapshot FROM deployments WHERE api_id = $1 AND id = $2',
        [apiId, deploymentId],
      );
      return rows[0] && this.rows.deployment(rows[0].api_id, rows[0].id, rows[0].snapshot);
    });
  }

  listDeployments(apiId: string): Promise<Deployment[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<{ api_id: string; id: string; snapshot: string }>(
        'SELECT api_id, id, snapshot FROM deployments WHERE api_id = $1 ORDER BY created, seq',
        [apiId],
      );
      return rows.map((row) => this.rows.deployment(row.api_id, row.id, row.snapshot));
    });
  }

  describeDeployment(
    apiId: string,
    deploymentId: string,
    description: string | undefined,
  ): Promise<Deployment> {
    return this.write(async (tx) => {
      const { rows } = await tx.query<{ api_id: string; id: string; snapshot: string }>(
        'SELECT api_id, id, snapshot FROM deployments WHERE api_id = $1 AND id = $2 FOR UPDATE',
        [apiId, deploymentId],
      );
      const row = rows[0];
      if (row === undefined) throw problems.deploymentNotFound(apiId, deploymentId);
      const deployment = this.rows.deployment(row.api_id, row.id, row.snapshot);
      if (description === undefined) delete deployment.description;
      else deployment.description = description;
      await tx.query('UPDATE deployments SET snapshot = $1 WHERE api_id = $2 AND id = $3', [
        JSON.stringify(deployment),
        apiId,
        deploymentId,
      ]);
      return deployment;
    });
  }

  deleteDeployment(apiId: string, deploymentId: string): Promise<void> {
    return this.write(async (tx) => {
      if (
        !(await exists(tx, 'SELECT 1 FROM deployments WHERE api_id = $1 AND id = $2', [apiId, deploymentId]))
      ) {
        throw problems.deploymentNotFound(apiId, deploymentId);
      }
      if (
        await exists(tx, 'SELECT 1 FROM stages WHERE api_id = $1 AND deployment_id = $2 LIMIT 1', [
          apiId,
          deploymentId,
        ])
      ) {
        throw problems.deploymentInUse();
      }
      await tx.query('DELETE FROM deployments WHERE api_id = $1 AND id = $2', [apiId, deploymentId]);
    });
  }

  putStage(stage: Stage): Promise<void> {
    return this.write(async (tx) => {
      if (!(await exists(tx, 'SELECT 1 FROM apis WHERE id = $1', [stage.apiId]))) {
        throw problems.apiNotFound(stage.apiId);
      }
      const deploymentId = stage.deploymentId;
      if (
        deploymentId !== undefined &&
        !(await exists(tx, 'SELECT 1 FROM deployments WHERE api_id = $1 AND id = $2', [
          stage.apiId,
          deploymentId,
        ]))
      ) {
        throw problems.deploymentNotFound(stage.apiId, deploymentId);
      }
      await tx.query(
        `INSERT INTO stages (api_id, stage_name, deployment_id, definition) VALUES ($1, $2, $3, $4)
         ON CONFLICT (api_id, stage_name) DO UPDATE
         SET deployment_id = excluded.deployment_id, definition = excluded.definition`,
        [stage.apiId, stage.stageName, deploymentId ?? null, JSON.stringify(stage)],
      );
    });
  }

  getStage(apiId: string, stageName: string): Promise<Stage | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<StageRow>(
        'SELECT api_id, stage_name, definition FROM stages WHERE api_id = $1 AND stage_name = $2',
        [apiId, stageName],
      );
      return rows[0] && this.rows.stage(rows[0].api_id, rows[0].stage_name, rows[0].definition);
    });
  }

  listStages(apiId?: string): Promise<Stage[]> {
    return this.read(async (db) => {
      // COLLATE "C": the same byte order as SQLite, whatever the database's locale.
      const { rows } =
        apiId === undefined
          ? await db.query<StageRow>(
              'SELECT api_id, stage_name, definition FROM stages ORDER BY api_id COLLATE "C", stage_name COLLATE "C"',
            )
          : await db.query<StageRow>(
              'SELECT api_id, stage_name, definition FROM stages WHERE api_id = $1 ORDER BY stage_name COLLATE "C"',
              [apiId],
            );
      return rows.map((row) => this.rows.stage(row.api_id, row.stage_name, row.definition));
    });
  }

  deleteStage(apiId: string, stageName: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM stages WHERE api_id = $1 AND stage_name = $2', [
        apiId,
        stageName,
      ]);
      if (result.rowCount === 0) throw problems.stageNotFound(apiId, stageName);
    });
  }

  createApiKey(key: ApiKey): Promise<void> {
    return this.write(async (tx) => {
      try {
        await tx.query('INSERT INTO api_keys (id, value, definition) VALUES ($1, $2, $3)', [
          key.id,
          key.value,
          JSON.stringify(key),
        ]);
      } catch (error) {
        throw apiKeyConflict(error, key.id);
      }
    });
  }

  getApiKey(keyId: string): Promise<ApiKey | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<ApiKeyRow>('SELECT id, value, definition FROM api_keys WHERE id = $1', [
        keyId,
      ]);
      return rows[0] && this.rows.apiKey(rows[0].id, rows[0].value, rows[0].definition);
    });
  }

  getApiKeyByValue(value: string): Promise<ApiKey | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<ApiKeyRow>(
        'SELECT id, value, definition FROM api_keys WHERE value = $1',
        [value],
      );
      return rows[0] && this.rows.apiKey(rows[0].id, rows[0].value, rows[0].definition);
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<ApiKeyRow>('SELECT id, value, definition FROM api_keys ORDER BY seq');
      return rows.map((row) => this.rows.apiKey(row.id, row.value, row.definition));
    });
  }

  updateApiKey(key: ApiKey): Promise<void> {
    return this.write(async (tx) => {
      let changed: number | null;
      try {
        changed = (
          await tx.query('UPDATE api_keys SET value = $1, definition = $2 WHERE id = $3', [
            key.value,
            JSON.stringify(key),
            key.id,
          ])
        ).rowCount;
      } catch (error) {
        throw apiKeyConflict(error, key.id);
      }
      if (changed === 0) throw problems.apiKeyNotFound(key.id);
    });
  }

  deleteApiKey(keyId: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM api_keys WHERE id = $1', [keyId]);
      if (result.rowCount === 0) throw problems.apiKeyNotFound(keyId);
    });
  }

  createUsagePlan(plan: UsagePlan): Promise<void> {
    return this.write(async (tx) => {
      try {
        await tx.query('INSERT INTO usage_plans (id, definition) VALUES ($1, $2)', [
          plan.id,
          JSON.stringify(plan),
        ]);
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION) throw problems.usagePlanExists(plan.id);
        throw error;
      }
    });
  }

  getUsagePlan(usagePlanId: string): Promise<UsagePlan | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<UsagePlanRow>('SELECT id, definition FROM usage_plans WHERE id = $1', [
        usagePlanId,
      ]);
      return rows[0] && this.rows.usagePlan(rows[0].id, rows[0].definition);
    });
  }

  listUsagePlans(): Promise<UsagePlan[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<UsagePlanRow>('SELECT id, definition FROM usage_plans ORDER BY seq');
      return rows.map((row) => this.rows.usagePlan(row.id, row.definition));
    });
  }

  updateUsagePlan(plan: UsagePlan): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('UPDATE usage_plans SET definition = $1 WHERE id = $2', [
        JSON.stringify(plan),
        plan.id,
      ]);
      if (result.rowCount === 0) throw problems.usagePlanNotFound(plan.id);
    });
  }

  deleteUsagePlan(usagePlanId: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM usage_plans WHERE id = $1', [usagePlanId]);
      if (result.rowCount === 0) throw problems.usagePlanNotFound(usagePlanId);
    });
  }

  addUsagePlanKey(usagePlanId: string, keyId: string): Promise<void> {
    return this.write(async (tx) => {
      if (!(await exists(tx, 'SELECT 1 FROM usage_plans WHERE id = $1', [usagePlanId]))) {
        throw problems.usagePlanNotFound(usagePlanId);
      }
      if (!(await exists(tx, 'SELECT 1 FROM api_keys WHERE id = $1', [keyId]))) {
        throw problems.apiKeyNotFound(keyId);
      }
      try {
        await tx.query('INSERT INTO usage_plan_keys (usage_plan_id, key_id) VALUES ($1, $2)', [
          usagePlanId,
          keyId,
        ]);
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION) throw problems.usagePlanKeyExists(usagePlanId, keyId);
        throw error;
      }
    });
  }

  removeUsagePlanKey(usagePlanId: string, keyId: string): Promise<void> {
    return this.write(async (tx) => {
      if (!(await exists(tx, 'SELECT 1 FROM usage_plans WHERE id = $1', [usagePlanId]))) {
        throw problems.usagePlanNotFound(usagePlanId);
      }
      const result = await tx.query('DELETE FROM usage_plan_keys WHERE usage_plan_id = $1 AND key_id = $2', [
        usagePlanId,
        keyId,
      ]);
      if (result.rowCount === 0) throw problems.usagePlanKeyNotFound(usagePlanId, keyId);
    });
  }

  listUsagePlanKeys(usagePlanId?: string): Promise<UsagePlanKey[]> {
    return this.read(async (db) => {
      const { rows } =
        usagePlanId === undefined
          ? await db.query<UsagePlanKeyRow>('SELECT usage_plan_id, key_id FROM usage_plan_keys ORDER BY seq')
          : await db.query<UsagePlanKeyRow>(
              'SELECT usage_plan_id, key_id FROM usage_plan_keys WHERE usage_plan_id = $1 ORDER BY seq',
              [usagePlanId],
            );
      return rows.map((row) => ({ usagePlanId: row.usage_plan_id, keyId: row.key_id }));
    });
  }

  createDomainName(domain: DomainName): Promise<void> {
    return this.write(async (tx) => {
      try {
        await tx.query('INSERT INTO domain_names (domain_name, definition) VALUES ($1, $2)', [
          domain.domainName,
          JSON.stringify(domain),
        ]);
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION) throw problems.domainNameExists();
        throw error;
      }
    });
  }

  getDomainName(domainName: string): Promise<DomainName | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<DomainNameRow>(
        'SELECT domain_name, definition FROM domain_names WHERE domain_name = $1',
        [domainName],
      );
      return rows[0] && this.rows.domainName(rows[0].domain_name, rows[0].definition);
    });
  }

  listDomainNames(): Promise<DomainName[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<DomainNameRow>(
        'SELECT domain_name, definition FROM domain_names ORDER BY domain_name COLLATE "C"',
      );
      return rows.map((row) => this.rows.domainName(row.domain_name, row.definition));
    });
  }

  updateDomainName(domain: DomainName): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('UPDATE domain_names SET definition = $1 WHERE domain_name = $2', [
        JSON.stringify(domain),
        domain.domainName,
      ]);
      if (result.rowCount === 0) throw problems.domainNameNotFound(domain.domainName);
    });
  }

  deleteDomainName(domainName: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM domain_names WHERE domain_name = $1', [domainName]);
      if (result.rowCount === 0) throw problems.domainNameNotFound(domainName);
    });
  }

  createApiMapping(mapping: ApiMapping): Promise<void> {
    return this.write(async (tx) => {
      if (!(await exists(tx, 'SELECT 1 FROM domain_names WHERE domain_name = $1', [mapping.domainName]))) {
        throw problems.domainNameNotFound(mapping.domainName);
      }
      if (!(await exists(tx, 'SELECT 1 FROM apis WHERE id = $1', [mapping.apiId]))) {
        throw problems.apiNotFound(mapping.apiId);
      }
      try {
        await tx.query(
          `INSERT INTO api_mappings (domain_name, id, api_mapping_key, api_id, definition)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            mapping.domainName,
            mapping.apiMappingId,
            mapping.apiMappingKey,
            mapping.apiId,
            JSON.stringify(mapping),
          ],
        );
      } catch (error) {
        throw apiMappingConflict(error, mapping);
      }
    });
  }

  getApiMapping(domainName: string, apiMappingId: string): Promise<ApiMapping | undefined> {
    return this.read(async (db) => {
      const { rows } = await db.query<ApiMappingRow>(
        'SELECT domain_name, id, definition FROM api_mappings WHERE domain_name = $1 AND id = $2',
        [domainName, apiMappingId],
      );
      return rows[0] && this.rows.apiMapping(rows[0].domain_name, rows[0].id, rows[0].definition);
    });
  }

  listApiMappings(domainName?: string): Promise<ApiMapping[]> {
    return this.read(async (db) => {
      const { rows } =
        domainName === undefined
          ? await db.query<ApiMappingRow>(
              `SELECT domain_name, id, definition FROM api_mappings
               ORDER BY domain_name COLLATE "C", api_mapping_key COLLATE "C", id COLLATE "C"`,
            )
          : await db.query<ApiMappingRow>(
              `SELECT domain_name, id, definition FROM api_mappings WHERE domain_name = $1
               ORDER BY api_mapping_key COLLATE "C", id COLLATE "C"`,
              [domainName],
            );
      return rows.map((row) => this.rows.apiMapping(row.domain_name, row.id, row.definition));
    });
  }

  updateApiMapping(mapping: ApiMapping): Promise<void> {
    return this.write(async (tx) => {
      if (
        !(await exists(tx, 'SELECT 1 FROM api_mappings WHERE domain_name = $1 AND id = $2', [
          mapping.domainName,
          mapping.apiMappingId,
        ]))
      ) {
        throw problems.apiMappingNotFound(mapping.domainName, mapping.apiMappingId);
      }
      if (!(await exists(tx, 'SELECT 1 FROM apis WHERE id = $1', [mapping.apiId]))) {
        throw problems.apiNotFound(mapping.apiId);
      }
      try {
        await tx.query(
          `UPDATE api_mappings SET api_mapping_key = $1, api_id = $2, definition = $3
           WHERE domain_name = $4 AND id = $5`,
          [
            mapping.apiMappingKey,
            mapping.apiId,
            JSON.stringify(mapping),
            mapping.domainName,
            mapping.apiMappingId,
          ],
        );
      } catch (error) {
        throw apiMappingConflict(error, mapping);
      }
    });
  }

  deleteApiMapping(domainName: string, apiMappingId: string): Promise<void> {
    return this.write(async (tx) => {
      const result = await tx.query('DELETE FROM api_mappings WHERE domain_name = $1 AND id = $2', [
        domainName,
        apiMappingId,
      ]);
      if (result.rowCount === 0) throw problems.apiMappingNotFound(domainName, apiMappingId);
    });
  }

  watch(listener: () => void): () => void {
    if (this.closing) throw this.closedError();
    return this.feed.subscribe(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.feed.stop();
      await endPool(this.pool, this.sockets);
    })();
    return this.closing;
  }

  private async read<T>(work: (db: Db) => Promise<T>): Promise<T> {
    if (this.closing) throw this.closedError();
    try {
      return await work(this.pool);
    } catch (error) {
      throw this.storeError(error);
    }
  }

  /**
   * Runs `work` in a transaction that first bumps the change counter. That row's lock makes
   * writes from every node run one at a time, so the existence checks in `work` still hold
   * at commit; the NOTIFY goes out only if the transaction commits.
   */
  private async write<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closing) throw this.closedError();
    let tx: pg.PoolClient;
    try {
      tx = await this.pool.connect();
    } catch (error) {
      throw this.storeError(error);
    }
    let broken: Error | undefined;
    // The pool stops listening for a client's errors while it is checked out; a connection
    // that dies between two statements would otherwise be an uncaught exception.
    const onError = (error: Error) => (broken = error);
    tx.on('error', onError);
    try {
      await tx.query('BEGIN');
      const { rows } = await tx.query<{ version: string }>(
        'UPDATE config_version SET version = version + 1 RETURNING version',
      );
      const version = rows[0]?.version;
      if (version === undefined) {
        throw new Error(`Gatehouse config store ${this.location}: the config_version row is missing`);
      }
      const result = await work(tx);
      await tx.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, version]);
      await tx.query('COMMIT');
      this.feed.committed(BigInt(version));
      return result;
    } catch (error) {
      if (isConnectionProblem(error)) {
        // Its transaction dies with the connection; a ROLLBACK would only wait out the timeout.
        broken = error instanceof Error ? error : new Error(String(error));
      } else {
        await tx.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw this.storeError(error);
    } finally {
      tx.off('error', onError);
      tx.release(broken);
    }
  }

  private closedError(): Error {
    return new Error(`Gatehouse config store ${this.location} is closed`);
  }

  private storeError(error: unknown): Error {
    if (error instanceof ConflictError || error instanceof NotFoundError) return error;
    if (isConnectionProblem(error)) return unavailable(this.location, error);
    if (error instanceof pg.DatabaseError) {
      return new Error(
        `Gatehouse config store ${this.location}: ${error.message} (${error.code ?? 'no code'})`,
        {
          cause: error,
        },
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

interface StageRow {
  api_id: string;
  stage_name: string;
  definition: string;
}
interface ApiKeyRow {
  id: string;
  value: string;
  definition: string;
}
interface UsagePlanRow {
  id: string;
  definition: string;
}
interface UsagePlanKeyRow {
  usage_plan_id: string;
  key_id: string;
}
interface DomainNameRow {
  domain_name: string;
  definition: string;
}
interface ApiMappingRow {
  domain_name: string;
  id: string;
  definition: string;
}

async function exists(db: Db, sql: string, params: unknown[]): Promise<boolean> {
  return ((await db.query(sql, params)).rowCount ?? 0) > 0;
}

/** A clash on an API key's id, or on its value with another key, which AWS words as below. */
function apiKeyConflict(error: unknown, keyId: string): unknown {
  if (codeOf(error) !== UNIQUE_VIOLATION) return error;
  return constraintOf(error) === 'api_keys_value_key'
    ? problems.apiKeyValueExists()
    : problems.apiKeyIdExists(keyId);
}

/** A clash on a mapping's id, or on its base path with another mapping of the domain. */
function apiMappingConflict(error: unknown, mapping: ApiMapping): unknown {
  if (codeOf(error) !== UNIQUE_VIOLATION) return error;
  return constraintOf(error) === 'api_mappings_base_path_key'
    ? problems.basePathExists()
    : problems.apiMappingIdExists(mapping.domainName, mapping.apiMappingId);
}

/** Ends the pool, and cuts what a silent network keeps from ending within a second. */
async function endPool(pool: pg.Pool, sockets: Sockets): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    pool.end().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1_000);
    }),
  ]);
  clearTimeout(timer);
  sockets.destroyAll();
}

function warnListenerFailed(error: unknown): void {
  process.emitWarning(
    `A config store watch listener failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      code: 'GATEHOUSE_WATCH_LISTENER',
      ...(error instanceof Error && error.stack !== undefined ? { detail: error.stack } : {}),
    },
  );
}

function warnFeed(location: string, state: 'lost' | 'restored', error: unknown): void {
  process.emitWarning(
    state === 'lost'
      ? `Gatehouse config store ${location}: the change feed lost its connection ` +
          `(${unavailable(location, error).message}); reconnecting, and serving the configuration already loaded`
      : `Gatehouse config store ${location}: the change feed is connected again`,
    { code: 'GATEHOUSE_STORE_FEED' },
  );
}
