// Which config store a command uses: a postgres:// or postgresql:// URL opens the PostgreSQL
// store that several gateway nodes share; anything else is a data directory for SQLite.
import type { ConfigStore } from './config-store.js';
import { safeLocation } from './postgres/connection-errors.js';
import {
  PostgresConfigStore,
  isPostgresUrl,
  type PostgresConfigStoreOptions,
} from './postgres/postgres-config-store.js';
import { SqliteConfigStore, type SqliteConfigStoreOptions } from './sqlite/sqlite-config-store.js';

export interface OpenConfigStoreOptions {
  sqlite?: SqliteConfigStoreOptions;
  postgres?: PostgresConfigStoreOptions;
}

/** The environment variable that names the store when a command is not given `--store`. */
export const STORE_ENV = 'GATEHOUSE_STORE';

export function openConfigStore(spec: string, opts: OpenConfigStoreOptions = {}): Promise<ConfigStore> {
  if (spec.trim() === '') {
    return Promise.reject(new Error('The config store is empty: give a postgres:// URL or a data directory'));
  }
  if (isPostgresUrl(spec)) return PostgresConfigStore.open(spec, opts.postgres);
  try {
    return Promise.resolve(SqliteConfigStore.open(spec, opts.sqlite));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The store as it may be printed: a URL loses its password, a directory is shown as given. */
export const describeStore = (spec: string): string => (isPostgresUrl(spec) ? safeLocation(spec) : spec);
