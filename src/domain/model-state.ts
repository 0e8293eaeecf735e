// The plain data the lifecycle rules work on: a model, its draft, its two slots and its active run.

export type ModelType = 'prediction' | 'text-classification';
export const MODEL_TYPES: readonly ModelType[] = ['prediction', 'text-classification'];

/** The two slots a model shows (AI Builder): the published version and the last trained one. */
export type SlotName = 'published' | 'lastTrained';

/** Everything needed to train, typed per model type by the engine's schema; opaque to the rules. */
export type Configuration = Record<string, unknown>;

/** A trained version as the rules see it: its number and the configuration it was trained with. */
export interface VersionRef {
  version: number;
  configuration: Configuration;
}

export interface Draft {
  configuration: Configuration;
  /** The version this draft was copied from (New version), or null for a model's first draft. */
  basedOn: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ActiveRun {
  runId: string;
  /** 'train' consumes the draft on success; 'retrain' trains a trained version's configuration on current rows. */
  kind: 'train' | 'retrain';
  configuration: Configuration;
  basedOn: number | null;
  status: 'queued' | 'running';
  queuedAt: string;
}

export interface RunOutcome {
  runId: string;
  status: 'failed' | 'cancelled';
  message: string;
  at: string;
}

export interface ModelState {
  id: string;
  name: string;
  description: string;
  type: ModelType;
  owner: string;
  createdAt: string;
  updatedAt: string;
  draft: Draft | null;
  lastTrained: VersionRef | null;
  published: VersionRef | null;
  /** Previously published versions whose artifacts are kept for Roll back, newest first. */
  retained: VersionRef[];
  activeRun: ActiveRun | null;
  /** Why the latest run did not produce a version (shown on the model until the next run). */
  lastRunOutcome: RunOutcome | null;
  /** The number the next successful training gets. */
  nextVersion: number;
}

/** One immutable line of a model's history: what happened, to which version, and why. */
export interface HistoryEvent {
  type:
    | 'created'
    | 'draft-created'
    | 'draft-discarded'
    | 'run-queued'
    | 'run-failed'
    | 'run-cancelled'
    | 'trained'
    | 'replaced'
    | 'published'
    | 'unpublished'
    | 'rolled-back'
    | 'artifact-released'
    | 'renamed';
  version?: number;
  message: string;
  details?: Record<string, unknown>;
}

/** Versions whose artifacts must be kept: the two slots and the retained published ones. */
export function liveVersions(state: ModelState): number[] {
  const v = [state.published?.version, state.lastTrained?.version, ...state.retained.map((r) => r.version)];
  return v.filter((x): x is number => x !== undefined);
}

/** A model with any trained version in a slot. */
export const hasTrainedVersion = (s: ModelState): boolean => s.published !== null || s.lastTrained !== null;
