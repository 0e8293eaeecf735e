// Applies every area's migrations in name order, once each, recorded in lathe_migrations.
import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';
import { modelsMigrations } from './models/migrations.js';
import { tablesMigrations } from './tables/migrations.js';

export const ALL_MIGRATIONS: Migration[] = [...tablesMigrations, ...modelsMigrations].sort((a, b) =>
  a.name.localeCompare(b.name),
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>, migrations: Migration[] = ALL_MIGRATIONS): Promise<string[]> {
  await db.schema
    .createTable('lathe_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const done = new Set(
    (await db.selectFrom('lathe_migrations').select('name').execute()).map((r: { name: string }) => r.name),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx);
      await trx
        .insertInto('lathe_migrations')
        .values({ name: m.name, applied_at: new Date().toISOString() })
        .execute();
    });
    applied.push(m.name);
  }
  void sql;
  return applied;
}
