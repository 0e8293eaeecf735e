// Ending a run that produced no version (a failure, an interruption) through the rules.
import { decide } from '../../domain/lifecycle.js';
import type { ModelStore, RunPatch } from '../../storage/models/model-store.js';
import type { ModelWriter } from './model-writer.js';
import type { RunTracker } from './run-tracker.js';
import { hasEnded } from './run-view.js';

export const INTERRUPTED = 'interrupted: the server stopped during training';
/** The actor of transitions nobody asked for (recovery, shutdown). */
export const SYSTEM_ACTOR = 'system';

export type EndRunFailed = (runId: string, message: string, actor: string) => Promise<void>;

/** Ends a run failed so the model's active run is cleared; a run that already ended is left alone. */
export function createEndRunFailed(store: ModelStore, writer: ModelWriter, tracker: RunTracker): EndRunFailed {
  return async (runId, message, actor) => {
    const rec = await store.getRun(runId);
    if (!rec || hasEnded(rec.status)) return;
    const patch: RunPatch = { status: 'failed', stage: 'failed', error: message, finishedAt: new Date().toISOString() };
    await writer.withLock(rec.modelId, () =>
      writer.retryStale(async () => {
        const stored = await store.getState(rec.modelId);
        if (stored?.state.activeRun?.runId === runId) {
          const c = writer.ctx();
          await writer.commitDecision(stored, decide(stored.state, { type: 'runFailed', runId, message }, c), c, actor, { updateRuns: [{ id: runId, patch }] });
        } else {
          await store.updateRun(runId, patch);
        }
      }),
    );
    await tracker.ended(runId);
  };
}
