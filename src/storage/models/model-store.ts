// The abstract store of models, versions, history and runs: records in, records out, NO business
// rules (those live in src/domain/lifecycle.ts). Implemented over SQL in sql-model-store.ts.
import type { ModelState } from '../../domain/model-state.js';

/** A model's state as stored, with the revision a later write must still find (compare-and-set). */
export interface StoredState {
  state: ModelState;
  revision: number;
}

export interface TableRefRecord {
  id: string;
  name: string;
  revision: number;
  digest: string;
  rowCount: number;
}

/** An immutable trained version: written once when its training succeeds, never updated. */
export interface VersionRecord {
  modelId: string;
  version: number;
  kind: 'train' | 'retrain';
  basedOn: number | null;
  configuration: Record<string, unknown>;
  table: TableRefRecord;
  trainedAt: string;
  trainedBy: string;
  durationMs: number;
  runId: string;
  score: Record<string, unknown>;
  metrics: Record<string, number>;
  influence: { column: string; share: number }[];
  rows: Record<string, number>;
  split: Record<string, unknown>;
  warnings: { code: string; message: string; column?: string; details?: Record<string, unknown> }[];
  summary: Record<string, unknown>;
  details: Record<string, unknown>;
  artifact: { bytes: number; sha256: string };
}

/** One line of a model's append-only history. */
export interface EventRecord {
  at: string;
  actor: string;
  type: string;
  version: number | null;
  message: string;
  details: Record<string, unknown>;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  modelId: string;
  kind: 'train' | 'retrain';
  status: RunStatus;
  stage: string;
  /** Fraction done in [0, 1]. */
  progress: number;
  version: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  actor: string;
  basedOn: number | null;
  configuration: Record<string, unknown>;
  tableId: string;
  /** The table revision pinned when the run was created. */
  tableRevision: number;
  seed: number;
  /** "host:pid" of the process executing the run. */
  owner: string | null;
}

export type RunPatch = Partial<Pick<RunRecord, 'status' | 'stage' | 'progress' | 'version' | 'error' | 'startedAt' | 'finishedAt'>>;

/** Everything one action writes, applied in one transaction only if the state is still at `expectedRevision`. */
export interface StateChange {
  modelId: string;
  expectedRevision: number;
  state: ModelState;
  events: EventRecord[];
  versions?: VersionRecord[];
  insertRuns?: RunRecord[];
  updateRuns?: { id: string; patch: RunPatch }[];
}

export interface ModelStore {
  createModel(state: ModelState, events: EventRecord[]): Promise<StoredState>;
  getState(modelId: string): Promise<StoredState | undefined>;
  listStates(): Promise<StoredState[]>;
  /** Applies the change atomically; throws LatheError CONFLICT when the state changed since it was read. Returns the new revision. */
  commit(change: StateChange): Promise<number>;
  /** Removes the model with its versions, events and runs; CONFLICT when the state changed since it was read. */
  deleteModel(modelId: string, expectedRevision: number): Promise<void>;
  listVersions(modelId: string): Promise<VersionRecord[]>;
  getVersion(modelId: string, version: number): Promise<VersionRecord | undefined>;
  listEvents(modelId: string): Promise<(EventRecord & { id: number })[]>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(filter: { modelId?: string; statuses?: RunStatus[] }): Promise<RunRecord[]>;
  updateRun(runId: string, patch: RunPatch): Promise<void>;
  /** Stores progress only while the run is still queued or running, so a late write never touches an ended run. */
  updateRunProgress(runId: string, stage: string, progress: number): Promise<void>;
}
