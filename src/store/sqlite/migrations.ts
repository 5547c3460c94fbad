// The SQLite config store's schema, as an ordered list of migrations. The database records
// how far it has come in `PRAGMA user_version`; a migration, once released, never changes:
// a new schema is a new entry at the end.
import type Database from 'better-sqlite3';

export interface Migration {
  /** The user_version the database has once this migration has run: 1, 2, 3, … with no gaps. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'apis, deployments and stages',
    // `created` and `updated` of apis are the row's own timestamps (ms since epoch); the
    // API's createdDate lives in its definition. A deployment's `created` is its
    // createdDate, which orders listDeployments. The stage → deployment key is checked
    // by the store with a clear error; the foreign key is a second line of defence.
    sql: `
      CREATE TABLE apis (
        id TEXT PRIMARY KEY NOT NULL,
        protocol_type TEXT NOT NULL CHECK (protocol_type IN ('REST', 'HTTP')),
        definition TEXT NOT NULL,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL
      );
      CREATE TABLE deployments (
        api_id TEXT NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        created INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE INDEX deployments_by_age ON deployments (api_id, created);
      CREATE TABLE stages (
        api_id TEXT NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        stage_name TEXT NOT NULL,
        deployment_id TEXT,
        definition TEXT NOT NULL,
        PRIMARY KEY (api_id, stage_name),
        FOREIGN KEY (api_id, deployment_id) REFERENCES deployments (api_id, id)
      );
      CREATE INDEX stages_by_deployment ON stages (api_id, deployment_id);
    `,
  },
  {
    version: 2,
    description: 'API keys, usage plans and their keys',
    // A key's value is unique across the account, as on AWS, and is how the gateway finds
    // the key a client presents. Deleting a key or a plan removes its memberships through
    // the foreign keys; the store also reports missing rows itself, with AWS's messages.
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL UNIQUE,
        definition TEXT NOT NULL
      );
      CREATE TABLE usage_plans (
        id TEXT PRIMARY KEY NOT NULL,
        definition TEXT NOT NULL
      );
      CREATE TABLE usage_plan_keys (
        usage_plan_id TEXT NOT NULL REFERENCES usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        PRIMARY KEY (usage_plan_id, key_id)
      );
      CREATE INDEX usage_plan_keys_by_key ON usage_plan_keys (key_id);
    `,
  },
  {
    version: 3,
    description: 'custom domain names and their API mappings',
    // A domain maps each base path once (AWS's "Base path already exists for this domain
    // name"); deleting a domain or an API takes its mappings with it through the foreign keys.
    sql: `
      CREATE TABLE domain_names (
        domain_name TEXT PRIMARY KEY NOT NULL,
        definition TEXT NOT NULL
      );
      CREATE TABLE api_mappings (
        domain_name TEXT NOT NULL REFERENCES domain_names (domain_name) ON DELETE CASCADE,
        id TEXT NOT NULL,
        api_mapping_key TEXT NOT NULL,
        api_id TEXT NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        definition TEXT NOT NULL,
        PRIMARY KEY (domain_name, id),
        UNIQUE (domain_name, api_mapping_key)
      );
      CREATE INDEX api_mappings_by_api ON api_mappings (api_id);
    `,
  },
];

/** The schema version this build of Gatehouse writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database at `file` up to SCHEMA_VERSION. Runs in one IMMEDIATE transaction, so
 * two processes opening a fresh file at once do not both migrate: the second waits for the
 * write lock, then finds the work done.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const run = db.transaction(() => {
    const current = userVersion(db);
    if (current > latest) {
      throw new Error(
        `${file} has schema version ${current}, newer than this Gatehouse understands (${latest}); ` +
          'upgrade Gatehouse or point it at another data directory',
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        db.exec(migration.sql);
      } catch (error) {
        throw new Error(
          `Gatehouse could not migrate ${file} to schema version ${migration.version} ` +
            `(${migration.description}): ${(error as Error).message}`,
          { cause: error },
        );
      }
      // PRAGMA does not take bound parameters; the version is an integer from the list above.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    }
  });
  run.immediate();
}
