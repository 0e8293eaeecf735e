// The embedded default database: one SQLite file (WAL mode) through better-sqlite3.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from '../../schema.js';

export interface SqliteHandle {
  db: Kysely<DB>;
  /** The raw connection, for the few things Kysely does not cover (backup, pragmas). */
  raw: Database.Database;
}

export function openSqlite(file: string): SqliteHandle {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, raw };
}
