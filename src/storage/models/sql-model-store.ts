// The ModelStore over SQL through Kysely's query builder (dialect-neutral: JSON is stored as text),
// so the same code serves SQLite today and PostgreSQL once its dialect exists.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { LatheError } from '../../domain/errors.js';
import type { ModelState, ModelType } from '../../domain/model-state.js';
import type { DB } from '../schema.js';
import type {
  EventRecord,
  ModelStore,
  RunPatch,
  RunRecord,
  RunStatus,
  StateChange,
  StoredState,
  VersionRecord,
} from './model-store.js';
import type { ModelRunsTable, ModelsTable, ModelVersionsTable } from './schema.js';

const conflict = (modelId: string) =>
  // `stale` tells a lost compare-and-set apart from other conflicts, so system writes can retry it.
  new LatheError('CONFLICT', `Model ${modelId} was changed by another request; reload and try again.`, { modelId, stale: true });

function stateColumns(s: ModelState): Omit<ModelsTable, 'id' | 'state_revision'> {
  return {
    name: s.name,
    description: s.description,
    type: s.type,
    owner: s.owner,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    draft_json: JSON.stringify(s.draft),
    last_trained_json: JSON.stringify(s.lastTrained),
    published_json: JSON.stringify(s.published),
    retained_json: JSON.stringify(s.retained),
    active_run_json: JSON.stringify(s.activeRun),
    last_run_outcome_json: JSON.stringify(s.lastRunOutcome),
    next_version: s.nextVersion,
  };
}

function toState(r: Selectable<ModelsTable>): StoredState {
  return {
    revision: r.state_revision,
    state: {
      id: r.id,
      name: r.name,
      description: r.description,
      type: r.type as ModelType,
      owner: r.owner,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      draft: JSON.parse(r.draft_json),
      lastTrained: JSON.parse(r.last_trained_json),
      published: JSON.parse(r.published_json),
      retained: JSON.parse(r.retained_json),
      activeRun: JSON.parse(r.active_run_json),
      lastRunOutcome: JSON.parse(r.last_run_outcome_json),
      nextVersion: r.next_version,
    },
  };
}

function versionRow(v: VersionRecord): ModelVersionsTable {
  return {
    model_id: v.modelId,
    version: v.version,
    kind: v.kind,
    based_on: v.basedOn,
    configuration_json: JSON.stringify(v.configuration),
    table_id: v.table.id,
    table_name: v.table.name,
    table_revision: v.table.revision,
    table_digest: v.table.digest,
    table_row_count: v.table.rowCount,
    trained_at: v.trainedAt,
    trained_by: v.trainedBy,
    duration_ms: v.durationMs,
    run_id: v.runId,
    score_json: JSON.stringify(v.score),
    metrics_json: JSON.stringify(v.metrics),
    influence_json: JSON.stringify(v.influence),
    rows_json: JSON.stringify(v.rows),
    split_json: JSON.stringify(v.split),
    warnings_json: JSON.stringify(v.warnings),
    summary_json: JSON.stringify(v.summary),
    details_json: JSON.stringify(v.details),
    artifact_bytes: v.artifact.bytes,
    artifact_sha256: v.artifact.sha256,
  };
}

function toVersion(r: Selectable<ModelVersionsTable>): VersionRecord {
  return {
    modelId: r.model_id,
    version: r.version,
    kind: r.kind as VersionRecord['kind'],
    basedOn: r.based_on,
    configuration: JSON.parse(r.configuration_json),
    table: { id: r.table_id, name: r.table_name, revision: r.table_revision, digest: r.table_digest, rowCount: r.table_row_count },
    trainedAt: r.trained_at,
    trainedBy: r.trained_by,
    durationMs: r.duration_ms,
    runId: r.run_id,
    score: JSON.parse(r.score_json),
    metrics: JSON.parse(r.metrics_json),
    influence: JSON.parse(r.influence_json),
    rows: JSON.parse(r.rows_json),
    split: JSON.parse(r.split_json),
    warnings: JSON.parse(r.warnings_json),
    summary: JSON.parse(r.summary_json),
    details: JSON.parse(r.details_json),
    artifact: { bytes: r.artifact_bytes, sha256: r.artifact_sha256 },
  };
}

function runRow(r: RunRecord): ModelRunsTable {
  return {
    id: r.id,
    model_id: r.modelId,
    kind: r.kind,
    status: r.status,
    stage: r.stage,
    progress: r.progress,
    version: r.version,
    error: r.error,
    created_at: r.createdAt,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    actor: r.actor,
    based_on: r.basedOn,
    configuration_json: JSON.stringify(r.configuration),
    table_id: r.tableId,
    table_revision: r.tableRevision,
    seed: r.seed,
    owner: r.owner,
  };
}

function toRun(r: Selectable<ModelRunsTable>): RunRecord {
  return {
    id: r.id,
    modelId: r.model_id,
    kind: r.kind as RunRecord['kind'],
    status: r.status as RunStatus,
    stage: r.stage,
    progress: r.progress,
    version: r.version,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    actor: r.actor,
    basedOn: r.based_on,
    configuration: JSON.parse(r.configuration_json),
    tableId: r.table_id,
    tableRevision: r.table_revision,
    seed: r.seed,
    owner: r.owner,
  };
}

function patchColumns(p: RunPatch): Partial<ModelRunsTable> {
  const out: Partial<ModelRunsTable> = {};
  if (p.status !== undefined) out.status = p.status;
  if (p.stage !== undefined) out.stage = p.stage;
  if (p.progress !== undefined) out.progress = p.progress;
  if (p.version !== undefined) out.version = p.version;
  if (p.error !== undefined) out.error = p.error;
  if (p.startedAt !== undefined) out.started_at = p.startedAt;
  if (p.finishedAt !== undefined) out.finished_at = p.finishedAt;
  return out;
}

async function insertEvents(trx: Transaction<DB>, modelId: string, events: EventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('model_events')
    .values(
      events.map((e) => ({
        model_id: modelId,
        at: e.at,
        actor: e.actor,
        type: e.type,
        version: e.version,
        message: e.message,
        details_json: JSON.stringify(e.details),
      })),
    )
    .execute();
}

export function createSqlModelStore(db: Kysely<DB>): ModelStore {
  return {
    async createModel(state, events) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('models')
          .values({ id: state.id, ...stateColumns(state), state_revision: 1 })
          .execute();
        await insertEvents(trx, state.id, events);
      });
      return { state, revision: 1 };
    },

    async getState(modelId) {
      const row = await db.selectFrom('models').selectAll().where('id', '=', modelId).executeTakeFirst();
      return row ? toState(row) : undefined;
    },

    async listStates() {
      const rows = await db.selectFrom('models').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toState);
    },

    async commit(change: StateChange) {
      const next = change.expectedRevision + 1;
      await db.transaction().execute(async (trx) => {
        // Compare-and-set: the write lands only if no other request wrote since we read.
        const res = await trx
          .updateTable('models')
          .set({ ...stateColumns(change.state), state_revision: next })
          .where('id', '=', change.modelId)
          .where('state_revision', '=', change.expectedRevision)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw conflict(change.modelId);
        await insertEvents(trx, change.modelId, change.events);
        if (change.versions?.length) await trx.insertInto('model_versions').values(change.versions.map(versionRow)).execute();
        if (change.insertRuns?.length) await trx.insertInto('model_runs').values(change.insertRuns.map(runRow)).execute();
        for (const u of change.updateRuns ?? []) {
          await trx.updateTable('model_runs').set(patchColumns(u.patch)).where('id', '=', u.id).execute();
        }
      });
      return next;
    },

    async deleteModel(modelId, expectedRevision) {
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .deleteFrom('models')
          .where('id', '=', modelId)
          .where('state_revision', '=', expectedRevision)
          .executeTakeFirst();
        if (Number(res.numDeletedRows) !== 1) throw conflict(modelId);
        await trx.deleteFrom('model_versions').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_events').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_runs').where('model_id', '=', modelId).execute();
      });
    },

    async listVersions(modelId) {
      const rows = await db.selectFrom('model_versions').selectAll().where('model_id', '=', modelId).orderBy('version').execute();
      return rows.map(toVersion);
    },

    async getVersion(modelId, version) {
      const row = await db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },

    async listEvents(modelId) {
      const rows = await db.selectFrom('model_events').selectAll().where('model_id', '=', modelId).orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        type: r.type,
        version: r.version,
        message: r.message,
        details: JSON.parse(r.details_json),
      }));
    },

    async getRun(runId) {
      const row = await db.selectFrom('model_runs').selectAll().where('id', '=', runId).executeTakeFirst();
      return row ? toRun(row) : undefined;
    },

    async listRuns(filter) {
      let q = db.selectFrom('model_runs').selectAll();
      if (filter.modelId !== undefined) q = q.where('model_id', '=', filter.modelId);
      if (filter.statuses) q = q.where('status', 'in', filter.statuses.length ? filter.statuses : ['-']);
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toRun);
    },

    async updateRun(runId, patch) {
      const cols = patchColumns(patch);
      if (Object.keys(cols).length === 0) return;
      await db.updateTable('model_runs').set(cols).where('id', '=', runId).execute();
    },

    async updateRunProgress(runId, stage, progress) {
      await db
        .updateTable('model_runs')
        .set({ stage, progress })
        .where('id', '=', runId)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    },
  };
}
