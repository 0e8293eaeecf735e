// Schema migrations of the models area, in order.
import type { Migration } from '../migration.js';

export const modelsMigrations: Migration[] = [
  {
    name: '002-models',
    async up(db) {
      await db.schema
        .createTable('models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('draft_json', 'text', (c) => c.notNull())
        .addColumn('last_trained_json', 'text', (c) => c.notNull())
        .addColumn('published_json', 'text', (c) => c.notNull())
        .addColumn('retained_json', 'text', (c) => c.notNull())
        .addColumn('active_run_json', 'text', (c) => c.notNull())
        .addColumn('last_run_outcome_json', 'text', (c) => c.notNull())
        .addColumn('next_version', 'integer', (c) => c.notNull())
        .addColumn('state_revision', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('model_versions')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('based_on', 'integer')
        .addColumn('configuration_json', 'text', (c) => c.notNull())
        .addColumn('table_id', 'text', (c) => c.notNull())
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('table_revision', 'integer', (c) => c.notNull())
        .addColumn('table_digest', 'text', (c) => c.notNull())
        .addColumn('table_row_count', 'integer', (c) => c.notNull())
        .addColumn('trained_at', 'text', (c) => c.notNull())
        .addColumn('trained_by', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('score_json', 'text', (c) => c.notNull())
        .addColumn('metrics_json', 'text', (c) => c.notNull())
        .addColumn('influence_json', 'text', (c) => c.notNull())
        .addColumn('rows_json', 'text', (c) => c.notNull())
        .addColumn('split_json', 'text', (c) => c.notNull())
        .addColumn('warnings_json', 'text', (c) => c.notNull())
        .addColumn('summary_json', 'text', (c) => c.notNull())
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('artifact_bytes', 'integer', (c) => c.notNull())
        .addColumn('artifact_sha256', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['model_id', 'version'])
        .execute();
      // 'integer primary key' autoincrements in SQLite; PostgreSQL will get its own identity column.
      await db.schema
        .createTable('model_events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('details_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('model_events_model').on('model_events').columns(['model_id', 'id']).execute();
      await db.schema
        .createTable('model_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('progress', 'real', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('based_on', 'integer')
        .addColumn('configuration_json', 'text', (c) => c.notNull())
        .addColumn('table_id', 'text', (c) => c.notNull())
        .addColumn('table_revision', 'integer', (c) => c.notNull())
        .addColumn('seed', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('model_runs_model').on('model_runs').column('model_id').execute();
      await db.schema.createIndex('model_runs_status').on('model_runs').column('status').execute();
    },
  },
  {
    // Which process executes a run ("host:pid"), so a second process opening the same data folder
    // (e.g. the CLI beside a server) does not take a live run for one a crash left behind.
    name: '003-models-run-owner',
    async up(db) {
      await db.schema.alterTable('model_runs').addColumn('owner', 'text').execute();
    },
  },
];
