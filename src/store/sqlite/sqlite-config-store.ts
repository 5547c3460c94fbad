// The embedded config store: one SQLite file in the data directory, shared by a running
// gateway and the CLI. WAL lets readers and one writer work at once; busy_timeout makes a
// second writer wait instead of failing; PRAGMA data_version tells a process that another
// one committed, which is how `watch` hears about a deploy made from the CLI.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { apiIdOf, type Api, type Deployment, type Stage } from '../../model/api.js';
import type { ApiMapping, DomainName } from '../../model/domain-names.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../model/usage-plans.js';
import type { ConfigStore } from '../config-store.js';
import { DocumentReader } from '../documents.js';
import * as problems from '../errors.js';
import { migrate } from './migrations.js';

export const DATABASE_FILE_NAME = 'gatehouse.db';
export const DEFAULT_POLL_INTERVAL_MS = 500;
/** How long a write waits for another process's write to finish before giving up. */
export const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteConfigStoreOptions {
  /** How often to look for changes committed by other processes while someone watches. */
  pollIntervalMs?: number;
  /** Where a watch listener's exception goes; by default a process warning. The store carries on either way. */
  onListenerError?: (error: unknown) => void;
}

type Statement<Params extends unknown[], Row = unknown> = Database.Statement<Params, Row>;

interface ApiRow {
  id: string;
  definition: unknown;
}
interface DeploymentRow {
  api_id: string;
  id: string;
  snapshot: unknown;
}
interface StageRow {
  api_id: string;
  stage_name: string;
  definition: unknown;
}
interface ApiKeyRow {
  id: string;
  value: string;
  definition: unknown;
}
interface UsagePlanRow {
  id: string;
  definition: unknown;
}
interface UsagePlanKeyRow {
  usage_plan_id: string;
  key_id: string;
}
interface DomainNameRow {
  domain_name: string;
  definition: unknown;
}
interface ApiMappingRow {
  domain_name: string;
  id: string;
  definition: unknown;
}

interface Statements {
  insertApi: Statement<
    [id: string, protocolType: string, definition: string, created: number, updated: number]
  >;
  updateApi: Statement<[protocolType: string, definition: string, updated: number, id: string]>;
  getApi: Statement<[id: string], ApiRow>;
  listApis: Statement<[], ApiRow>;
  apiExists: Statement<[id: string], number>;
  deleteApi: Statement<[id: string]>;
  insertDeployment: Statement<[apiId: string, id: string, created: number, snapshot: string]>;
  getDeployment: Statement<[apiId: string, id: string], DeploymentRow>;
  listDeployments: Statement<[apiId: string], DeploymentRow>;
  deploymentExists: Statement<[apiId: string, id: string], number>;
  stageOnDeployment: Statement<[apiId: string, deploymentId: string], number>;
  deleteDeployment: Statement<[apiId: string, id: string]>;
  updateDeploymentSnapshot: Statement<[snapshot: string, apiId: string, id: string]>;
  upsertStage: Statement<[apiId: string, stageName: string, deploymentId: string | null, definition: string]>;
  getStage: Statement<[apiId: string, stageName: string], StageRow>;
  listStagesOfApi: Statement<[apiId: string], StageRow>;
  listAllStages: Statement<[], StageRow>;
  deleteStage: Statement<[apiId: string, stageName: string]>;
  insertApiKey: Statement<[id: string, value: string, definition: string]>;
  updateApiKey: Statement<[value: string, definition: string, id: string]>;
  getApiKey: Statement<[id: string], ApiKeyRow>;
  getApiKeyByValue: Statement<[value: string], ApiKeyRow>;
  listApiKeys: Statement<[], ApiKeyRow>;
  apiKeyExists: Statement<[id: string], number>;
  deleteApiKey: Statement<[id: string]>;
  insertUsagePlan: Statement<[id: string, definition: string]>;
  updateUsagePlan: Statement<[definition: string, id: string]>;
  getUsagePlan: Statement<[id: string], UsagePlanRow>;
  listUsagePlans: Statement<[], UsagePlanRow>;
  usagePlanExists: Statement<[id: string], number>;
  deleteUsagePlan: Statement<[id: string]>;
  insertUsagePlanKey: Statement<[usagePlanId: string, keyId: string]>;
  deleteUsagePlanKey: Statement<[usagePlanId: string, keyId: string]>;
  listKeysOfUsagePlan: Statement<[usagePlanId: string], UsagePlanKeyRow>;
  listAllUsagePlanKeys: Statement<[], UsagePlanKeyRow>;
  insertDomainName: Statement<[domainName: string, definition: string]>;
  updateDomainName: Statement<[definition: string, domainName: string]>;
  getDomainName: Statement<[domainName: string], DomainNameRow>;
  listDomainNames: Statement<[], DomainNameRow>;
  domainNameExists: Statement<[domainName: string], number>;
  deleteDomainName: Statement<[domainName: string]>;
  insertApiMapping: Statement<
    [domainName: string, id: string, apiMappingKey: string, apiId: string, definition: string]
  >;
  updateApiMapping: Statement<
    [apiMappingKey: string, apiId: string, definition: string, domainName: string, id: string]
  >;
  getApiMapping: Statement<[domainName: string, id: string], ApiMappingRow>;
  listApiMappingsOfDomain: Statement<[domainName: string], ApiMappingRow>;
  listAllApiMappings: Statement<[], ApiMappingRow>;
  apiMappingExists: Statement<[domainName: string, id: string], number>;
  deleteApiMapping: Statement<[domainName: string, id: string]>;
  dataVersion: Statement<[], number>;
}

function prepareStatements(db: Database.Database): Statements {
  return {
    insertApi: db.prepare(
      'INSERT INTO apis (id, protocol_type, definition, created, updated) VALUES (?, ?, ?, ?, ?)',
    ),
    updateApi: db.prepare('UPDATE apis SET protocol_type = ?, definition = ?, updated = ? WHERE id = ?'),
    getApi: db.prepare('SELECT id, definition FROM apis WHERE id = ?'),
    listApis: db.prepare('SELECT id, definition FROM apis ORDER BY created, rowid'),
    apiExists: db.prepare<[string], number>('SELECT 1 FROM apis WHERE id = ?').pluck(),
    deleteApi: db.prepare('DELETE FROM apis WHERE id = ?'),
    insertDeployment: db.prepare(
      'INSERT INTO deployments (api_id, id, created, snapshot) VALUES (?, ?, ?, ?)',
    ),
    getDeployment: db.prepare('SELECT api_id, id, snapshot FROM deployments WHERE api_id = ? AND id = ?'),
    listDeployments: db.prepare(
      'SELECT api_id, id, snapshot FROM deployments WHERE api_id = ? ORDER BY created, rowid',
    ),
    deploymentExists: db
      .prepare<[string, string], number>('SELECT 1 FROM deployments WHERE api_id = ? AND id = ?')
      .pluck(),
    stageOnDeployment: db
      .prepare<[string, string], number>(
        'SELECT 1 FROM stages WHERE api_id = ? AND deployment_id = ? LIMIT 1',
      )
      .pluck(),
    deleteDeployment: db.prepare('DELETE FROM deployments WHERE api_id = ? AND id = ?'),
    updateDeploymentSnapshot: db.prepare('UPDATE deployments SET snapshot = ? WHERE api_id = ? AND id = ?'),
    upsertStage: db.prepare(
      `INSERT INTO stages (api_id, stage_name, deployment_id, definition) VALUES (?, ?, ?, ?)
       ON CONFLICT (api_id, stage_name) DO UPDATE
       SET deployment_id = excluded.deployment_id, definition = excluded.definition`,
    ),
    getStage: db.prepare(
      'SELECT api_id, stage_name, definition FROM stages WHERE api_id = ? AND stage_name = ?',
    ),
    listStagesOfApi: db.prepare(
      'SELECT api_id, stage_name, definition FROM stages WHERE api_id = ? ORDER BY stage_name',
    ),
    listAllStages: db.prepare(
      'SELECT api_id, stage_name, definition FROM stages ORDER BY api_id, stage_name',
    ),
    deleteStage: db.prepare('DELETE FROM stages WHERE api_id = ? AND stage_name = ?'),
    insertApiKey: db.prepare('INSERT INTO api_keys (id, value, definition) VALUES (?, ?, ?)'),
    updateApiKey: db.prepare('UPDATE api_keys SET value = ?, definition = ? WHERE id = ?'),
    getApiKey: db.prepare('SELECT id, value, definition FROM api_keys WHERE id = ?'),
    getApiKeyByValue: db.prepare('SELECT id, value, definition FROM api_keys WHERE value = ?'),
    listApiKeys: db.prepare('SELECT id, value, definition FROM api_keys ORDER BY rowid'),
    apiKeyExists: db.prepare<[string], number>('SELECT 1 FROM api_keys WHERE id = ?').pluck(),
    deleteApiKey: db.prepare('DELETE FROM api_keys WHERE id = ?'),
    insertUsagePlan: db.prepare('INSERT INTO usage_plans (id, definition) VALUES (?, ?)'),
    updateUsagePlan: db.prepare('UPDATE usage_plans SET definition = ? WHERE id = ?'),
    getUsagePlan: db.prepare('SELECT id, definition FROM usage_plans WHERE id = ?'),
    listUsagePlans: db.prepare('SELECT id, definition FROM usage_plans ORDER BY rowid'),
    usagePlanExists: db.prepare<[string], number>('SELECT 1 FROM usage_plans WHERE id = ?').pluck(),
    deleteUsagePlan: db.prepare('DELETE FROM usage_plans WHERE id = ?'),
    insertUsagePlanKey: db.prepare('INSERT INTO usage_plan_keys (usage_plan_id, key_id) VALUES (?, ?)'),
    deleteUsagePlanKey: db.prepare('DELETE FROM usage_plan_keys WHERE usage_plan_id = ? AND key_id = ?'),
    listKeysOfUsagePlan: db.prepare(
      'SELECT usage_plan_id, key_id FROM usage_plan_keys WHERE usage_plan_id = ? ORDER BY rowid',
    ),
    listAllUsagePlanKeys: db.prepare('SELECT usage_plan_id, key_id FROM usage_plan_keys ORDER BY rowid'),
    insertDomainName: db.prepare('INSERT INTO domain_names (domain_name, definition) VALUES (?, ?)'),
    updateDomainName: db.prepare('UPDATE domain_names SET definition = ? WHERE domain_name = ?'),
    getDomainName: db.prepare('SELECT domain_name, definition FROM domain_names WHERE domain_name = ?'),
    listDomainNames: db.prepare('SELECT domain_name, definition FROM domain_names ORDER BY domain_name'),
    domainNameExists: db
      .prepare<[string], number>('SELECT 1 FROM domain_names WHERE domain_name = ?')
      .pluck(),
    deleteDomainName: db.prepare('DELETE FROM domain_names WHERE domain_name = ?'),
    insertApiMapping: db.prepare(
      `INSERT INTO api_mappings (domain_name, id, api_mapping_key, api_id, definition)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    updateApiMapping: db.prepare(
      `UPDATE api_mappings SET api_mapping_key = ?, api_id = ?, definition = ?
       WHERE domain_name = ? AND id = ?`,
    ),
    getApiMapping: db.prepare(
      'SELECT domain_name, id, definition FROM api_mappings WHERE domain_name = ? AND id = ?',
    ),
    listApiMappingsOfDomain: db.prepare(
      `SELECT domain_name, id, definition FROM api_mappings WHERE domain_name = ?
       ORDER BY api_mapping_key, id`,
    ),
    listAllApiMappings: db.prepare(
      'SELECT domain_name, id, definition FROM api_mappings ORDER BY domain_name, api_mapping_key, id',
    ),
    apiMappingExists: db
      .prepare<[string, string], number>('SELECT 1 FROM api_mappings WHERE domain_name = ? AND id = ?')
      .pluck(),
    deleteApiMapping: db.prepare('DELETE FROM api_mappings WHERE domain_name = ? AND id = ?'),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

function fsProblem(error: unknown): string {
  switch (codeOf(error) ?? '') {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'part of the path is a file, not a directory';
    case 'EEXIST':
      return 'a file of that name exists and is not a directory';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return messageOf(error);
  }
}

function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new Error(`Gatehouse cannot create its data directory ${dir}: ${fsProblem(error)}`, {
      cause: error,
    });
  }
  if (!statSync(dir).isDirectory()) {
    throw new Error(`Gatehouse cannot use ${dir} as its data directory: it is not a directory`);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new Error(`Gatehouse cannot write to its data directory ${dir}: ${fsProblem(error)}`, {
      cause: error,
    });
  }
}

function openProblem(file: string, error: unknown): Error {
  if (!(error instanceof Database.SqliteError))
    return error instanceof Error ? error : new Error(String(error));
  const detail = `${error.message} (${error.code})`;
  switch (error.code) {
    case 'SQLITE_NOTADB':
      return new Error(
        `${file} is not a SQLite database: ${detail}. Move it away or point Gatehouse at another data directory`,
        { cause: error },
      );
    case 'SQLITE_CORRUPT':
      return new Error(`${file} is a damaged SQLite database: ${detail}`, { cause: error });
    case 'SQLITE_BUSY':
      return new Error(`${file} stayed locked by another process for over ${BUSY_TIMEOUT_MS} ms: ${detail}`, {
        cause: error,
      });
    default:
      return new Error(`Gatehouse cannot open its database ${file}: ${detail}`, { cause: error });
  }
}

function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw openProblem(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // The first statement that reads the file: a file that is not a database fails here.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`Gatehouse cannot switch ${file} to WAL journal mode (it stays ${String(mode)})`);
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw openProblem(file, error);
  }
}

export class SqliteConfigStore implements ConfigStore {
  private readonly statements: Statements;
  private readonly rows: DocumentReader;
  private readonly listeners = new Set<() => void>();
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private pendingNotify: ReturnType<typeof setImmediate> | undefined;
  private seenDataVersion = 0;
  private closed = false;

  private readonly createDeploymentTx: (deployment: Deployment) => void;
  private readonly deleteDeploymentTx: (apiId: string, deploymentId: string) => void;
  private readonly describeDeploymentTx: (
    apiId: string,
    deploymentId: string,
    description: string | undefined,
  ) => Deployment;
  private readonly putStageTx: (stage: Stage) => void;
  private readonly addUsagePlanKeyTx: (usagePlanId: string, keyId: string) => void;
  private readonly removeUsagePlanKeyTx: (usagePlanId: string, keyId: string) => void;
  private readonly createApiMappingTx: (mapping: ApiMapping) => void;
  private readonly updateApiMappingTx: (mapping: ApiMapping) => void;

  /**
   * Opens (creating when needed) `gatehouse.db` in `dataDir`. A missing directory is created
   * with mode 0700, since the file holds every API's configuration.
   */
  static open(dataDir: string, opts: SqliteConfigStoreOptions = {}): SqliteConfigStore {
    const pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
      throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
    }
    const dir = path.resolve(dataDir);
    prepareDataDir(dir);
    const file = path.join(dir, DATABASE_FILE_NAME);
    return new SqliteConfigStore(
      openDatabase(file),
      file,
      pollIntervalMs,
      opts.onListenerError ?? warnListenerFailed,
    );
  }

  private constructor(
    private readonly db: Database.Database,
    /** Absolute path of the database file. */
    readonly file: string,
    private readonly pollIntervalMs: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {
    const s = (this.statements = prepareStatements(db));
    this.rows = new DocumentReader(file);

    // IMMEDIATE: these read, then write. A deferred transaction would take the write lock
    // only at the write, and in WAL mode that upgrade fails at once (without waiting out
    // busy_timeout) when another process committed in between.
    const createDeployment = db.transaction((deployment: Deployment) => {
      if (s.apiExists.get(deployment.apiId) === undefined) throw problems.apiNotFound(deployment.apiId);
      try {
        s.insertDeployment.run(
          deployment.apiId,
          deployment.id,
          deployment.createdDate,
          JSON.stringify(deployment),
        );
      } catch (error) {
        if (codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw problems.deploymentExists(deployment.apiId, deployment.id);
        }
        throw error;
      }
    });
    this.createDeploymentTx = (deployment) => createDeployment.immediate(deployment);

    const deleteDeployment = db.transaction((apiId: string, deploymentId: string) => {
      if (s.deploymentExists.get(apiId, deploymentId) === undefined) {
        throw problems.deploymentNotFound(apiId, deploymentId);
      }
      if (s.stageOnDeployment.get(apiId, deploymentId) !== undefined) {
        throw problems.deploymentInUse();
      }
      s.deleteDeployment.run(apiId, deploymentId);
    });
    this.deleteDeploymentTx = (apiId, deploymentId) => deleteDeployment.immediate(apiId, deploymentId);

    const describeDeployment = db.transaction(
      (apiId: string, deploymentId: string, description: string | undefined): Deployment => {
        const row = s.getDeployment.get(apiId, deploymentId);
        if (row === undefined) throw problems.deploymentNotFound(apiId, deploymentId);
        const deployment = this.rows.deployment(row.api_id, row.id, row.snapshot);
        if (description === undefined) delete deployment.description;
        else deployment.description = description;
        s.updateDeploymentSnapshot.run(JSON.stringify(deployment), apiId, deploymentId);
        return deployment;
      },
    );
    this.describeDeploymentTx = (apiId, deploymentId, description) =>
      describeDeployment.immediate(apiId, deploymentId, description);

    const putStage = db.transaction((stage: Stage) => {
      if (s.apiExists.get(stage.apiId) === undefined) throw problems.apiNotFound(stage.apiId);
      const deploymentId = stage.deploymentId;
      if (deploymentId !== undefined && s.deploymentExists.get(stage.apiId, deploymentId) === undefined) {
        throw problems.deploymentNotFound(stage.apiId, deploymentId);
      }
      s.upsertStage.run(stage.apiId, stage.stageName, deploymentId ?? null, JSON.stringify(stage));
    });
    this.putStageTx = (stage) => putStage.immediate(stage);

    const addUsagePlanKey = db.transaction((usagePlanId: string, keyId: string) => {
      if (s.usagePlanExists.get(usagePlanId) === undefined) throw problems.usagePlanNotFound(usagePlanId);
      if (s.apiKeyExists.get(keyId) === undefined) throw problems.apiKeyNotFound(keyId);
      try {
        s.insertUsagePlanKey.run(usagePlanId, keyId);
      } catch (error) {
        if (codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw problems.usagePlanKeyExists(usagePlanId, keyId);
        }
        throw error;
      }
    });
    this.addUsagePlanKeyTx = (usagePlanId, keyId) => addUsagePlanKey.immediate(usagePlanId, keyId);

    const removeUsagePlanKey = db.transaction((usagePlanId: string, keyId: string) => {
      if (s.usagePlanExists.get(usagePlanId) === undefined) throw problems.usagePlanNotFound(usagePlanId);
      if (s.deleteUsagePlanKey.run(usagePlanId, keyId).changes === 0) {
        throw problems.usagePlanKeyNotFound(usagePlanId, keyId);
      }
    });
    this.removeUsagePlanKeyTx = (usagePlanId, keyId) => removeUsagePlanKey.immediate(usagePlanId, keyId);

    const createApiMapping = db.transaction((mapping: ApiMapping) => {
      if (s.domainNameExists.get(mapping.domainName) === undefined) {
        throw problems.domainNameNotFound(mapping.domainName);
      }
      if (s.apiExists.get(mapping.apiId) === undefined) throw problems.apiNotFound(mapping.apiId);
      try {
        s.insertApiMapping.run(
          mapping.domainName,
          mapping.apiMappingId,
          mapping.apiMappingKey,
          mapping.apiId,
          JSON.stringify(mapping),
        );
      } catch (error) {
        throw this.apiMappingConflict(error, mapping);
      }
    });
    this.createApiMappingTx = (mapping) => createApiMapping.immediate(mapping);

    const updateApiMapping = db.transaction((mapping: ApiMapping) => {
      if (s.apiMappingExists.get(mapping.domainName, mapping.apiMappingId) === undefined) {
        throw problems.apiMappingNotFound(mapping.domainName, mapping.apiMappingId);
      }
      if (s.apiExists.get(mapping.apiId) === undefined) throw problems.apiNotFound(mapping.apiId);
      try {
        s.updateApiMapping.run(
          mapping.apiMappingKey,
          mapping.apiId,
          JSON.stringify(mapping),
          mapping.domainName,
          mapping.apiMappingId,
        );
      } catch (error) {
        throw this.apiMappingConflict(error, mapping);
      }
    });
    this.updateApiMappingTx = (mapping) => updateApiMapping.immediate(mapping);
  }

  createApi(api: Api): Promise<void> {
    return this.write((s) => {
      const id = apiIdOf(api);
      const now = Date.now();
      try {
        s.insertApi.run(id, api.protocolType, JSON.stringify(api), now, now);
      } catch (error) {
        if (codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw problems.apiExists(id);
        throw error;
      }
    });
  }

  updateApi(api: Api): Promise<void> {
    return this.write((s) => {
      const id = apiIdOf(api);
      if (s.updateApi.run(api.protocolType, JSON.stringify(api), Date.now(), id).changes === 0) {
        throw problems.apiNotFound(id);
      }
    });
  }

  getApi(apiId: string): Promise<Api | undefined> {
    return this.read((s) => {
      const row = s.getApi.get(apiId);
      return row && this.rows.api(row.id, row.definition);
    });
  }

  listApis(): Promise<Api[]> {
    return this.read((s) => s.listApis.all().map((row) => this.rows.api(row.id, row.definition)));
  }

  deleteApi(apiId: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteApi.run(apiId).changes === 0) throw problems.apiNotFound(apiId);
    });
  }

  createDeployment(deployment: Deployment): Promise<void> {
    return this.write(() => this.createDeploymentTx(deployment));
  }

  getDeployment(apiId: string, deploymentId: string): Promise<Deployment | undefined> {
    return this.read((s) => {
      const row = s.getDeployment.get(apiId, deploymentId);
      return row && this.rows.deployment(row.api_id, row.id, row.snapshot);
    });
  }

  listDeployments(apiId: string): Promise<Deployment[]> {
    return this.read((s) =>
      s.listDeployments.all(apiId).map((row) => this.rows.deployment(row.api_id, row.id, row.snapshot)),
    );
  }

  describeDeployment(
    apiId: string,
    deploymentId: string,
    description: string | undefined,
  ): Promise<Deployment> {
    return this.write(() => this.describeDeploymentTx(apiId, deploymentId, description));
  }

  deleteDeployment(apiId: string, deploymentId: string): Promise<void> {
    return this.write(() => this.deleteDeploymentTx(apiId, deploymentId));
  }

  putStage(stage: Stage): Promise<void> {
    return this.write(() => this.putStageTx(stage));
  }

  getStage(apiId: string, stageName: string): Promise<Stage | undefined> {
    return this.read((s) => {
      const row = s.getStage.get(apiId, stageName);
      return row && this.rows.stage(row.api_id, row.stage_name, row.definition);
    });
  }

  listStages(apiId?: string): Promise<Stage[]> {
    return this.read((s) =>
      (apiId === undefined ? s.listAllStages.all() : s.listStagesOfApi.all(apiId)).map((row) =>
        this.rows.stage(row.api_id, row.stage_name, row.definition),
      ),
    );
  }

  deleteStage(apiId: string, stageName: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteStage.run(apiId, stageName).changes === 0) {
        throw problems.stageNotFound(apiId, stageName);
      }
    });
  }

  createApiKey(key: ApiKey): Promise<void> {
    return this.write((s) => {
      try {
        s.insertApiKey.run(key.id, key.value, JSON.stringify(key));
      } catch (error) {
        throw this.apiKeyConflict(error, key.id);
      }
    });
  }

  getApiKey(keyId: string): Promise<ApiKey | undefined> {
    return this.read((s) => {
      const row = s.getApiKey.get(keyId);
      return row && this.rows.apiKey(row.id, row.value, row.definition);
    });
  }

  getApiKeyByValue(value: string): Promise<ApiKey | undefined> {
    return this.read((s) => {
      const row = s.getApiKeyByValue.get(value);
      return row && this.rows.apiKey(row.id, row.value, row.definition);
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.read((s) =>
      s.listApiKeys.all().map((row) => this.rows.apiKey(row.id, row.value, row.definition)),
    );
  }

  updateApiKey(key: ApiKey): Promise<void> {
    return this.write((s) => {
      let changes: number;
      try {
        changes = s.updateApiKey.run(key.value, JSON.stringify(key), key.id).changes;
      } catch (error) {
        throw this.apiKeyConflict(error, key.id);
      }
      if (changes === 0) throw problems.apiKeyNotFound(key.id);
    });
  }

  deleteApiKey(keyId: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteApiKey.run(keyId).changes === 0) throw problems.apiKeyNotFound(keyId);
    });
  }

  createUsagePlan(plan: UsagePlan): Promise<void> {
    return this.write((s) => {
      try {
        s.insertUsagePlan.run(plan.id, JSON.stringify(plan));
      } catch (error) {
        if (codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw problems.usagePlanExists(plan.id);
        }
        throw error;
      }
    });
  }

  getUsagePlan(usagePlanId: string): Promise<UsagePlan | undefined> {
    return this.read((s) => {
      const row = s.getUsagePlan.get(usagePlanId);
      return row && this.rows.usagePlan(row.id, row.definition);
    });
  }

  listUsagePlans(): Promise<UsagePlan[]> {
    return this.read((s) => s.listUsagePlans.all().map((row) => this.rows.usagePlan(row.id, row.definition)));
  }

  updateUsagePlan(plan: UsagePlan): Promise<void> {
    return this.write((s) => {
      if (s.updateUsagePlan.run(JSON.stringify(plan), plan.id).changes === 0) {
        throw problems.usagePlanNotFound(plan.id);
      }
    });
  }

  deleteUsagePlan(usagePlanId: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteUsagePlan.run(usagePlanId).changes === 0) throw problems.usagePlanNotFound(usagePlanId);
    });
  }

  addUsagePlanKey(usagePlanId: string, keyId: string): Promise<void> {
    return this.write(() => this.addUsagePlanKeyTx(usagePlanId, keyId));
  }

  removeUsagePlanKey(usagePlanId: string, keyId: string): Promise<void> {
    return this.write(() => this.removeUsagePlanKeyTx(usagePlanId, keyId));
  }

  listUsagePlanKeys(usagePlanId?: string): Promise<UsagePlanKey[]> {
    return this.read((s) =>
      (usagePlanId === undefined ? s.listAllUsagePlanKeys.all() : s.listKeysOfUsagePlan.all(usagePlanId)).map(
        (row) => ({ usagePlanId: row.usage_plan_id, keyId: row.key_id }),
      ),
    );
  }

  createDomainName(domain: DomainName): Promise<void> {
    return this.write((s) => {
      try {
        s.insertDomainName.run(domain.domainName, JSON.stringify(domain));
      } catch (error) {
        if (codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw problems.domainNameExists();
        }
        throw error;
      }
    });
  }

  getDomainName(domainName: string): Promise<DomainName | undefined> {
    return this.read((s) => {
      const row = s.getDomainName.get(domainName);
      return row && this.rows.domainName(row.domain_name, row.definition);
    });
  }

  listDomainNames(): Promise<DomainName[]> {
    return this.read((s) =>
      s.listDomainNames.all().map((row) => this.rows.domainName(row.domain_name, row.definition)),
    );
  }

  updateDomainName(domain: DomainName): Promise<void> {
    return this.write((s) => {
      if (s.updateDomainName.run(JSON.stringify(domain), domain.domainName).changes === 0) {
        throw problems.domainNameNotFound(domain.domainName);
      }
    });
  }

  deleteDomainName(domainName: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteDomainName.run(domainName).changes === 0) throw problems.domainNameNotFound(domainName);
    });
  }

  createApiMapping(mapping: ApiMapping): Promise<void> {
    return this.write(() => this.createApiMappingTx(mapping));
  }

  getApiMapping(domainName: string, apiMappingId: string): Promise<ApiMapping | undefined> {
    return this.read((s) => {
      const row = s.getApiMapping.get(domainName, apiMappingId);
      return row && this.rows.apiMapping(row.domain_name, row.id, row.definition);
    });
  }

  listApiMappings(domainName?: string): Promise<ApiMapping[]> {
    return this.read((s) =>
      (domainName === undefined ? s.listAllApiMappings.all() : s.listApiMappingsOfDomain.all(domainName)).map(
        (row) => this.rows.apiMapping(row.domain_name, row.id, row.definition),
      ),
    );
  }

  updateApiMapping(mapping: ApiMapping): Promise<void> {
    return this.write(() => this.updateApiMappingTx(mapping));
  }

  deleteApiMapping(domainName: string, apiMappingId: string): Promise<void> {
    return this.write((s) => {
      if (s.deleteApiMapping.run(domainName, apiMappingId).changes === 0) {
        throw problems.apiMappingNotFound(domainName, apiMappingId);
      }
    });
  }

  watch(listener: () => void): () => void {
    if (this.closed) throw this.closedError();
    // A wrapper per subscription, so one function watching twice is two independent subscriptions.
    const subscription = (): void => listener();
    this.listeners.add(subscription);
    this.startPolling();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners.delete(subscription);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.stopPolling();
    if (this.pendingNotify !== undefined) clearImmediate(this.pendingNotify);
    this.pendingNotify = undefined;
    this.listeners.clear();
    try {
      this.db.close();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(this.storeError(error));
    }
  }

  // The interface is async for stores that talk to a server; here the work is synchronous
  // and the promise only carries its outcome, so a failure is a rejection, never a throw.
  private read<T>(work: (s: Statements) => T): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    try {
      return Promise.resolve(work(this.statements));
    } catch (error) {
      return Promise.reject(this.storeError(error));
    }
  }

  private write<T>(work: (s: Statements) => T): Promise<T> {
    const done = this.read(work);
    if (!this.closed) void done.then(() => this.changed(), noop);
    return done;
  }

  private changed(): void {
    if (this.listeners.size === 0 || this.pendingNotify !== undefined) return;
    this.pendingNotify = setImmediate(() => {
      this.pendingNotify = undefined;
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        try {
          this.onListenerError(error);
        } catch {
          // The error handler failing too must not stop the remaining listeners.
        }
      }
    }
  }

  private startPolling(): void {
    if (this.pollTimer !== undefined) return;
    // data_version changes only when another connection commits; this connection's own
    // writes are announced by `changed()` right after them.
    this.seenDataVersion = this.dataVersion() ?? 0;
    this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private poll(): void {
    if (this.closed) return;
    const version = this.dataVersion();
    if (version === undefined || version === this.seenDataVersion) return;
    this.seenDataVersion = version;
    this.changed();
  }

  private dataVersion(): number | undefined {
    try {
      return this.statements.dataVersion.get();
    } catch {
      // A transient failure (the file briefly locked or unreadable) is retried on the next tick.
      return undefined;
    }
  }

  /** A clash on a mapping's id, or on its base path with another mapping of the domain. */
  private apiMappingConflict(error: unknown, mapping: ApiMapping): unknown {
    switch (codeOf(error)) {
      case 'SQLITE_CONSTRAINT_PRIMARYKEY':
        return problems.apiMappingIdExists(mapping.domainName, mapping.apiMappingId);
      case 'SQLITE_CONSTRAINT_UNIQUE':
        return problems.basePathExists();
      default:
        return error;
    }
  }

  /** A clash on an API key's id, or on its value with another key, which AWS words as below. */
  private apiKeyConflict(error: unknown, keyId: string): unknown {
    switch (codeOf(error)) {
      case 'SQLITE_CONSTRAINT_PRIMARYKEY':
        return problems.apiKeyIdExists(keyId);
      case 'SQLITE_CONSTRAINT_UNIQUE':
        return problems.apiKeyValueExists();
      default:
        return error;
    }
  }

  private closedError(): Error {
    return new Error(`Gatehouse config store ${this.file} is closed`);
  }

  private storeError(error: unknown): Error {
    if (error instanceof Database.SqliteError) {
      return new Error(`Gatehouse config store ${this.file}: ${error.message} (${error.code})`, {
        cause: error,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

const noop = (): void => {};

function warnListenerFailed(error: unknown): void {
  process.emitWarning(`A config store watch listener failed: ${messageOf(error)}`, {
    code: 'GATEHOUSE_WATCH_LISTENER',
    ...(error instanceof Error && error.stack !== undefined ? { detail: error.stack } : {}),
  });
}
