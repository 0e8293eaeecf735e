// The models service: one function per lifecycle action. Every state change goes load → `decide` →
// one compare-and-set transaction, serialized per model; training runs go through the runner.
// This module only wires the parts together, in dependency order.
import type { Run } from '../../contract/runs.js';
import { createEngineRegistry } from '../../engines/registry.js';
import { createArtifactStore } from '../../storage/artifacts.js';
import { createSqlModelStore } from '../../storage/models/sql-model-store.js';
import type { Storage } from '../../storage/open-store.js';
import { loadEngineModules } from '../../training/engine-modules.js';
import type { ModelsService } from '../models-service.js';
import { compareVersions } from './compare.js';
import { createDraftChecker } from './draft-check.js';
import { createModelActions } from './model-actions.js';
import { createModelViews } from './model-views.js';
import { createModelWriter } from './model-writer.js';
import { createPredictMethods } from './predict.js';
import { createPredictors } from './predictors.js';
import { recover } from './recovery.js';
import { createCancelRun } from './run-cancel.js';
import { createEndRunFailed, INTERRUPTED, SYSTEM_ACTOR } from './run-failure.js';
import { createRunStarts } from './run-start.js';
import { createStoreSuccess } from './run-success.js';
import { createRunTracker } from './run-tracker.js';
import { hasEnded } from './run-view.js';
import type { ModelsServiceOptions, TableSource } from './service-options.js';
import { createTableGuard } from './table-guard.js';
import { createTrainingRunner } from './training-runner.js';

export type { ModelsService } from '../models-service.js';
export type { ModelsServiceOptions, TableSource } from './service-options.js';
export { CHECK_DATA_MAX_ROWS } from './draft-check.js';
export { PREDICT_ON_THREAD_ROWS } from './predictors.js';
export { INTERRUPTED } from './run-failure.js';

export async function createModelsService(storage: Storage, tables: TableSource, options: ModelsServiceOptions): Promise<ModelsService> {
  const store = createSqlModelStore(storage.db);
  const artifacts = createArtifactStore(options.dataDir);
  const engineModules = options.engineModules ?? [];
  const registry = createEngineRegistry(await loadEngineModules(engineModules));
  const seed = options.seed ?? 42;
  const maxConcurrent = Math.max(1, options.maxConcurrentRuns);
  const user = options.user;

  const predictors = createPredictors({ store, artifacts, registry, engineModules });
  const writer = createModelWriter({ store, artifacts, retainedVersions: options.retainedVersions, forgetVersion: predictors.forgetVersion });
  const checker = createDraftChecker(registry, tables);
  const tracker = createRunTracker(store, writer.track);
  const endRunFailed = createEndRunFailed(store, writer, tracker);
  const storeSuccess = createStoreSuccess({ store, artifacts, writer, tracker, endRunFailed });
  const runner = createTrainingRunner({ maxConcurrent, engineModules, store, writer, tracker, storeSuccess, endRunFailed });
  const starts = createRunStarts({ writer, checker, tables, runner, tracker, user, seed });
  const cancelRun = createCancelRun({ store, writer, runner, tracker, user });
  const views = createModelViews({ store, writer, checker, tracker });
  const actions = createModelActions({ store, artifacts, writer, predictors, toModel: views.toModel, user });
  const predicting = createPredictMethods(writer, predictors);

  await recover(store, artifacts, endRunFailed);
  tables.guardDelete(createTableGuard(store));

  // Methods that call other methods go through `service`, so a wrapped method (e.g. subscribeRun) is the one used.
  const service: ModelsService = {
    list: views.list,
    get: views.get,
    create: actions.create,
    update: actions.update,
    saveDraft: actions.saveDraft,
    discardDraft: actions.discardDraft,
    newVersion: actions.newVersion,
    publish: actions.publish,
    unpublish: actions.unpublish,
    rollback: actions.rollback,
    train: starts.train,
    retrain: starts.retrain,
    inputs: predicting.inputs,
    quickTest: predicting.quickTest,
    predict: predicting.predict,
    history: views.history,
    version: views.version,
    compare: (modelId, a, b) => compareVersions(service, tables, modelId, a, b),
    delete: actions.delete,
    getRun: tracker.getRun,

    async cancelRun(runId) {
      await cancelRun(runId);
      return service.getRun(runId);
    },

    subscribeRun: tracker.subscribe,

    async waitForRun(runId) {
      await service.getRun(runId);
      return new Promise<Run>((resolve) => {
        const stop = service.subscribeRun(runId, (run) => {
          if (hasEnded(run.status)) {
            stop();
            resolve(run);
          }
        });
      });
    },

    async close() {
      if (!writer.markClosed()) return;
      const mine = [...runner.running(), ...runner.queued()];
      await runner.stop();
      await predictors.stop();
      // Runs this process was executing end now, rather than at the next open.
      for (const runId of mine) {
        await endRunFailed(runId, INTERRUPTED, SYSTEM_ACTOR).catch((e) => console.error('Lathe: ending a run at close failed:', e));
      }
      await writer.drain();
    },
  };
  return service;
}
