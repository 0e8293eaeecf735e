// The training runner of this service, with the hooks that record each run's start, progress,
// success and failure through the lifecycle rules.
import { availableParallelism } from 'node:os';
import { notFound } from '../../domain/errors.js';
import { decide } from '../../domain/lifecycle.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import { TrainingRunner } from '../../training/runner.js';
import type { ModelWriter } from './model-writer.js';
import { SYSTEM_ACTOR, type EndRunFailed } from './run-failure.js';
import type { StoreSuccess } from './run-success.js';
import type { RunTracker } from './run-tracker.js';

export function createTrainingRunner(deps: {
  maxConcurrent: number;
  engineModules: string[];
  store: ModelStore;
  writer: ModelWriter;
  tracker: RunTracker;
  storeSuccess: StoreSuccess;
  endRunFailed: EndRunFailed;
}): TrainingRunner {
  const { maxConcurrent, store, writer, tracker } = deps;
  return new TrainingRunner({
    maxConcurrent,
    threads: Math.max(1, Math.floor(availableParallelism() / maxConcurrent)),
    engineModules: deps.engineModules,
    hooks: {
      async onStart(runId) {
        const rec = await store.getRun(runId);
        if (!rec) throw notFound('Run', runId);
        const startedAt = new Date().toISOString();
        await writer.withLock(rec.modelId, () =>
          writer.retryStale(async () => {
            const stored = await writer.load(rec.modelId);
            const c = writer.ctx();
            const decision = decide(stored.state, { type: 'runStarted', runId }, c);
            await writer.commitDecision(stored, decision, c, rec.actor, {
              updateRuns: [{ id: runId, patch: { status: 'running', stage: 'loading data', progress: 0, startedAt } }],
            });
          }),
        );
        await tracker.started(runId);
      },

      onProgress(runId, stage, fraction) {
        tracker.progress(runId, stage, fraction);
      },

      async onSuccess(runId, result, timing) {
        await deps.storeSuccess(runId, result, timing);
      },

      async onFailure(runId, message) {
        await deps.endRunFailed(runId, message, (await store.getRun(runId))?.actor ?? SYSTEM_ACTOR);
      },
    },
  });
}
