// Schema migrations of the tables area, in order.
import type { Migration } from '../migration.js';

export const tablesMigrations: Migration[] = [
  {
    name: '001-tables',
    async up(db) {
      await db.schema
        .createTable('lathe_tables')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('current_revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('lock_token', 'text')
        .addColumn('lock_at', 'text')
        .execute();
      await db.schema
        .createTable('lathe_table_revisions')
        .addColumn('table_id', 'text', (c) => c.notNull().references('lathe_tables.id').onDelete('cascade'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('set_id', 'integer', (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('rows_added', 'integer', (c) => c.notNull())
        .addColumn('columns', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lathe_table_revisions_pk', ['table_id', 'revision'])
        .execute();
      await db.schema
        .createTable('lathe_table_chunks')
        .addColumn('table_id', 'text', (c) => c.notNull().references('lathe_tables.id').onDelete('cascade'))
        .addColumn('set_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('first_row', 'integer', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lathe_table_chunks_pk', ['table_id', 'set_id', 'seq'])
        .execute();
    },
  },
];
