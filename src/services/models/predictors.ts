// Loaded predictors and verified artifact bytes by model:version, and where a batch is predicted:
// on this thread for a handful of rows, in the prediction worker for bigger batches.
import { notFound } from '../../domain/errors.js';
import type { ModelState } from '../../domain/model-state.js';
import type { EngineRegistry } from '../../engines/registry.js';
import type { PredictionOutput, Predictor } from '../../engines/seam.js';
import type { ArtifactStore } from '../../storage/artifacts.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import type { RowInput } from '../../tables/table-data.js';
import { PredictionPool } from '../../training/prediction-pool.js';
import { Lru } from './lru.js';

const PREDICTOR_CACHE = 16;
/** Predict calls with more rows than this run in the prediction worker, off the event loop. */
export const PREDICT_ON_THREAD_ROWS = 20;

export interface Predictors {
  predictorFor(state: ModelState, version: number): Promise<Predictor>;
  /** `options.explain: false` skips the per-row explanations, on this thread and in the worker alike. */
  predictRows(state: ModelState, version: number, rows: RowInput[], options?: { explain?: boolean }): Promise<PredictionOutput[]>;
  forgetVersion(modelId: string, version: number): void;
  forgetModel(modelId: string): void;
  /** Ends the prediction worker; later batches are refused. */
  stop(): Promise<void>;
}

export function createPredictors(deps: { store: ModelStore; artifacts: ArtifactStore; registry: EngineRegistry; engineModules: string[] }): Predictors {
  const { store, artifacts, registry } = deps;
  const predictors = new Lru<string, Predictor>(PREDICTOR_CACHE);
  /** Verified artifact bytes by model:version, for the prediction worker. */
  const artifactBytes = new Lru<string, { bytes: Uint8Array; sha256: string }>(PREDICTOR_CACHE);
  const predictionPool = new PredictionPool(deps.engineModules);

  /** A version's artifact, read from disk and checked against its recorded sha256 (then kept a while). */
  async function artifactOf(state: ModelState, version: number): Promise<{ bytes: Uint8Array; sha256: string }> {
    const key = `${state.id}:${version}`;
    const hit = artifactBytes.get(key);
    if (hit) return hit;
    const rec = await store.getVersion(state.id, version);
    if (!rec) throw notFound(`Version ${version} of model`, state.id);
    const verified = { bytes: await artifacts.read(state.id, version, rec.artifact.sha256), sha256: rec.artifact.sha256 };
    artifactBytes.set(key, verified);
    return verified;
  }

  async function predictorFor(state: ModelState, version: number): Promise<Predictor> {
    const key = `${state.id}:${version}`;
    const hit = predictors.get(key);
    if (hit) return hit;
    const predictor = registry.get(state.type).load((await artifactOf(state, version)).bytes);
    predictors.set(key, predictor);
    return predictor;
  }

  return {
    predictorFor,

    async predictRows(state, version, rows, options = {}) {
      const explain = options.explain ?? true;
      if (rows.length <= PREDICT_ON_THREAD_ROWS) return (await predictorFor(state, version)).predict(rows, { explain });
      const { bytes, sha256 } = await artifactOf(state, version);
      return predictionPool.predict({ modelType: state.type, predictorKey: `${state.id}:${version}:${sha256}`, artifact: bytes, rows, explain });
    },

    forgetVersion(modelId, version) {
      predictors.deleteWhere((k) => k === `${modelId}:${version}`);
      artifactBytes.deleteWhere((k) => k === `${modelId}:${version}`);
    },

    forgetModel(modelId) {
      predictors.deleteWhere((k) => k.startsWith(`${modelId}:`));
      artifactBytes.deleteWhere((k) => k.startsWith(`${modelId}:`));
    },

    stop: () => predictionPool.stop(),
  };
}
