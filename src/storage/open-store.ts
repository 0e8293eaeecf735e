// Opens the database named by the configuration and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { LatheError } from '../domain/errors.js';
import { openSqlite } from './dialect/sqlite/open-sqlite.js';
import { migrate } from './migrate.js';
import type { DB } from './schema.js';

export interface StorageConfig {
  /** Folder for the embedded database and artifact files. */
  dataDir: string;
  /** Empty/undefined = embedded SQLite in dataDir; `postgres://…` once the PostgreSQL dialect exists. */
  databaseUrl?: string;
}

export interface Storage {
  db: Kysely<DB>;
  dialect: 'sqlite';
  dataDir: string;
  close(): Promise<void>;
}

export async function openStorage(config: StorageConfig): Promise<Storage> {
  mkdirSync(config.dataDir, { recursive: true });
  if (config.databaseUrl && !config.databaseUrl.startsWith('sqlite:')) {
    throw new LatheError(
      'INVALID_INPUT',
      `Database URL "${config.databaseUrl}" is not supported yet: this release runs on the embedded SQLite database. Leave LATHE_DATABASE_URL empty.`,
    );
  }
  const file = config.databaseUrl ? config.databaseUrl.slice('sqlite:'.length) : join(config.dataDir, 'lathe.db');
  const { db } = openSqlite(file);
  await migrate(db);
  return { db, dialect: 'sqlite', dataDir: config.dataDir, close: () => db.destroy() };
}
