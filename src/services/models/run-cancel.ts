// Cancelling a queued or running training: the rules end the run, the runner drops its worker.
import { LatheError, notFound } from '../../domain/errors.js';
import { decide } from '../../domain/lifecycle.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import type { TrainingRunner } from '../../training/runner.js';
import type { ModelWriter } from './model-writer.js';
import type { RunTracker } from './run-tracker.js';
import { hasEnded } from './run-view.js';

/** Cancels the run and tells its listeners; refuses a run that has already ended. */
export function createCancelRun(deps: { store: ModelStore; writer: ModelWriter; runner: TrainingRunner; tracker: RunTracker; user: string }) {
  const { store, writer, runner, tracker } = deps;
  return async (runId: string): Promise<void> => {
    writer.ensureOpen();
    const rec = await store.getRun(runId);
    if (!rec) throw notFound('Run', runId);
    await writer.withLock(rec.modelId, async () => {
      const current = await store.getRun(runId);
      if (!current || hasEnded(current.status)) {
        throw new LatheError('INVALID_TRANSITION', `Run ${runId} has already ended (${current?.status ?? 'deleted'}); there is nothing to cancel.`, { runId });
      }
      const stored = await writer.load(rec.modelId);
      const c = writer.ctx();
      decide(stored.state, { type: 'cancel' }, c);
      const decision = decide(stored.state, { type: 'runCancelled', runId }, c);
      runner.cancel(runId);
      await writer.commitDecision(stored, decision, c, deps.user, {
        updateRuns: [{ id: runId, patch: { status: 'cancelled', stage: 'cancelled', finishedAt: c.now } }],
      });
    });
    await tracker.ended(runId);
  };
}
