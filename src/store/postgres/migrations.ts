// The PostgreSQL config store's schema, as an ordered list of migrations, recorded in
// `schema_migrations`. A migration, once released, never changes: a new schema is a new entry.
// Several gateway nodes may start at once on a fresh database; the migrating transaction holds
// an advisory lock, so one of them migrates and the others wait, then find the work done.
//
// Documents are JSON text, as in SQLite: text keeps every string a JSON value can hold (jsonb
// refuses \u0000) and each read parses a fresh copy. `seq` keeps insertion order, which the
// lists return. `config_version` is one row that every write bumps: the change feed compares
// it to find changes whose notification it missed.
import type { ClientBase } from 'pg';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'apis, deployments, stages and the change counter',
    sql: `
      CREATE TABLE apis (
        id text PRIMARY KEY,
        protocol_type text NOT NULL CHECK (protocol_type IN ('REST', 'HTTP')),
        definition text NOT NULL,
        created bigint NOT NULL,
        updated bigint NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE TABLE deployments (
        api_id text NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        id text NOT NULL,
        created bigint NOT NULL,
        snapshot text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (api_id, id)
      );
      CREATE INDEX deployments_by_age ON deployments (api_id, created, seq);
      CREATE TABLE stages (
        api_id text NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        stage_name text NOT NULL,
        deployment_id text,
        definition text NOT NULL,
        PRIMARY KEY (api_id, stage_name),
        FOREIGN KEY (api_id, deployment_id) REFERENCES deployments (api_id, id)
      );
      CREATE INDEX stages_by_deployment ON stages (api_id, deployment_id);
      CREATE TABLE config_version (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version bigint NOT NULL
      );
      INSERT INTO config_version (version) VALUES (0);
    `,
  },
  {
    version: 2,
    description: 'API keys, usage plans and their keys',
    sql: `
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        value text NOT NULL CONSTRAINT api_keys_value_key UNIQUE,
        definition text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE TABLE usage_plans (
        id text PRIMARY KEY,
        definition text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE TABLE usage_plan_keys (
        usage_plan_id text NOT NULL REFERENCES usage_plans (id) ON DELETE CASCADE,
        key_id text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (usage_plan_id, key_id)
      );
      CREATE INDEX usage_plan_keys_by_key ON usage_plan_keys (key_id);
    `,
  },
  {
    version: 3,
    description: 'custom domain names and their API mappings',
    sql: `
      CREATE TABLE domain_names (
        domain_name text PRIMARY KEY,
        definition text NOT NULL
      );
      CREATE TABLE api_mappings (
        domain_name text NOT NULL REFERENCES domain_names (domain_name) ON DELETE CASCADE,
        id text NOT NULL,
        api_mapping_key text NOT NULL,
        api_id text NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
        definition text NOT NULL,
        CONSTRAINT api_mappings_pkey PRIMARY KEY (domain_name, id),
        CONSTRAINT api_mappings_base_path_key UNIQUE (domain_name, api_mapping_key)
      );
      CREATE INDEX api_mappings_by_api ON api_mappings (api_id);
    `,
  },
];

export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/** The key of the advisory lock that serialises migrations: the bytes of "gatehous" as a bigint. */
export const MIGRATION_LOCK_KEY = '7449363237540164979';

/**
 * Brings the database up to the last migration in one transaction and returns the change
 * counter's value. `location` names the database in errors.
 */
export async function migrate(
  client: ClientBase,
  location: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<bigint> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `${location} has schema version ${current}, newer than this Gatehouse understands (${latest}); ` +
          'upgrade Gatehouse or point it at another database',
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new Error(
          `Gatehouse could not migrate ${location} to schema version ${migration.version} ` +
            `(${migration.description}): ${(error as Error).message}`,
          { cause: error },
        );
      }
      await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    const counter = await client.query<{ version: string }>('SELECT version FROM config_version');
    await client.query('COMMIT');
    return BigInt(counter.rows[0]?.version ?? '0');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
