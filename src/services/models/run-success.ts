// Keeping a finished training: artifact file first, then version row + state + events + run in one
// transaction; the file goes if that fails, and the run then fails with the model's slots unchanged.
import { isLatheError } from '../../domain/errors.js';
import { decide, type Decision } from '../../domain/lifecycle.js';
import type { TrainResult } from '../../engines/seam.js';
import type { ArtifactStore } from '../../storage/artifacts.js';
import type { ModelStore, VersionRecord } from '../../storage/models/model-store.js';
import type { ModelWriter } from './model-writer.js';
import type { EndRunFailed } from './run-failure.js';
import type { RunTracker } from './run-tracker.js';

export type StoreSuccess = (runId: string, result: TrainResult, timing: { startedAt: number; finishedAt: number }) => Promise<void>;

export function createStoreSuccess(deps: {
  store: ModelStore;
  artifacts: ArtifactStore;
  writer: ModelWriter;
  tracker: RunTracker;
  endRunFailed: EndRunFailed;
}): StoreSuccess {
  const { store, artifacts, writer, tracker, endRunFailed } = deps;
  return async (runId, result, timing) => {
    const rec = await store.getRun(runId);
    const table = tracker.tableOf(runId);
    if (!rec) return;
    if (!table) {
      await endRunFailed(runId, 'the table revision the run read was not recorded (an internal error); train again', rec.actor);
      return;
    }
    /** The version whose file is on disk, if any (re-decided after a lost compare-and-set). */
    let written: { version: number; info: { bytes: number; sha256: string } } | null = null;
    await writer.withLock(rec.modelId, () => writer.retryStale(async () => {
      const stored = await store.getState(rec.modelId);
      if (!stored) return;
      const c = writer.ctx();
      let decision: Decision;
      try {
        decision = decide(stored.state, { type: 'runSucceeded', runId }, c);
      } catch (e) {
        if (isLatheError(e) && e.code === 'CONFLICT') {
          // Cancelled while the result was on its way: nothing of it is kept.
          if (written) await artifacts.delete(rec.modelId, written.version);
          return;
        }
        throw e;
      }
      const version = decision.version!;
      if (written?.version !== version) {
        if (written) await artifacts.delete(rec.modelId, written.version);
        written = { version, info: await artifacts.write(rec.modelId, version, result.artifact) };
      }
      const info = written.info;
      const ev = result.evaluation;
      const record: VersionRecord = {
        modelId: rec.modelId,
        version,
        kind: rec.kind,
        basedOn: rec.basedOn,
        configuration: rec.configuration,
        table,
        trainedAt: new Date(timing.finishedAt).toISOString(),
        trainedBy: rec.actor,
        durationMs: timing.finishedAt - timing.startedAt,
        runId,
        score: ev.score as unknown as Record<string, unknown>,
        metrics: ev.metrics,
        influence: ev.influence,
        rows: ev.rows,
        split: ev.split,
        warnings: result.warnings,
        summary: result.summary,
        details: ev.details,
        artifact: info,
      };
      try {
        await writer.commitDecision(stored, decision, c, rec.actor, {
          versions: [record],
          updateRuns: [{ id: runId, patch: { status: 'succeeded', stage: 'done', progress: 1, version, finishedAt: c.now } }],
        });
      } catch (e) {
        // A lost compare-and-set is retried with the file kept; any other failure removes it.
        if (!(isLatheError(e) && e.details.stale === true)) {
          await artifacts.delete(rec.modelId, version);
          written = null;
        }
        throw e;
      }
    })).catch(async (e) => {
      if (written) await artifacts.delete(rec.modelId, written.version).catch(() => undefined);
      // Storing the result failed (disk full, database error): the run fails, the model keeps its slots.
      await endRunFailed(runId, `the trained model could not be saved: ${e instanceof Error ? e.message : String(e)}`, rec.actor);
    });
    await tracker.ended(runId);
  };
}
