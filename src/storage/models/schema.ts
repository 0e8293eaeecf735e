// Database tables that hold models, drafts, trained versions, history and training runs.
import type { Generated } from 'kysely';

/** One model's lifecycle state: scalar columns plus JSON for the draft, the slots, the retained list and the active run. */
export interface ModelsTable {
  id: string;
  name: string;
  description: string;
  type: string;
  owner: string;
  created_at: string;
  updated_at: string;
  /** JSON of domain `Draft | null`. */
  draft_json: string;
  /** JSON of domain `VersionRef | null`. */
  last_trained_json: string;
  /** JSON of domain `VersionRef | null`. */
  published_json: string;
  /** JSON of domain `VersionRef[]`, newest first. */
  retained_json: string;
  /** JSON of domain `ActiveRun | null`. */
  active_run_json: string;
  /** JSON of domain `RunOutcome | null`. */
  last_run_outcome_json: string;
  next_version: number;
  /** Bumped by every state write; a write succeeds only when it still holds the value read (compare-and-set). */
  state_revision: number;
}

/** An immutable trained version; its status is derived from the model state, never stored. */
export interface ModelVersionsTable {
  model_id: string;
  version: number;
  kind: string;
  based_on: number | null;
  configuration_json: string;
  table_id: string;
  table_name: string;
  table_revision: number;
  table_digest: string;
  table_row_count: number;
  trained_at: string;
  trained_by: string;
  duration_ms: number;
  run_id: string;
  score_json: string;
  metrics_json: string;
  influence_json: string;
  rows_json: string;
  split_json: string;
  warnings_json: string;
  summary_json: string;
  details_json: string;
  artifact_bytes: number;
  artifact_sha256: string;
}

/** Append-only history: one row per event, in `id` order. */
export interface ModelEventsTable {
  id: Generated<number>;
  model_id: string;
  at: string;
  actor: string;
  type: string;
  version: number | null;
  message: string;
  details_json: string;
}

export interface ModelRunsTable {
  id: string;
  model_id: string;
  kind: string;
  status: string;
  stage: string;
  progress: number;
  version: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  actor: string;
  based_on: number | null;
  /** The configuration trained, as it was when the run was created. */
  configuration_json: string;
  table_id: string;
  /** The table revision pinned at Train time: the run trains on exactly these rows. */
  table_revision: number;
  seed: number;
  /** "host:pid" of the process whose runner holds the run; null in rows written before it existed. */
  owner: string | null;
}

export interface ModelsSchema {
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  model_events: ModelEventsTable;
  model_runs: ModelRunsTable;
}
