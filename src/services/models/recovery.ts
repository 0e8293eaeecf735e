// Opening after a crash: runs a dead process left queued or running end failed, and files no state
// points at (released versions, deleted models, interrupted writes) are removed.
import { liveVersions } from '../../domain/model-state.js';
import type { ArtifactStore } from '../../storage/artifacts.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import { INTERRUPTED, SYSTEM_ACTOR, type EndRunFailed } from './run-failure.js';
import { ownerAlive } from './run-owner.js';

/** A temp file younger than this may be another process's write in progress; older ones are crash leftovers. */
const TEMP_FILE_STALE_MS = 10 * 60_000;

export async function recover(store: ModelStore, artifacts: ArtifactStore, endRunFailed: EndRunFailed): Promise<void> {
  for (const rec of await store.listRuns({ statuses: ['queued', 'running'] })) {
    if (!ownerAlive(rec.owner)) await endRunFailed(rec.id, INTERRUPTED, SYSTEM_ACTOR);
  }
  for (const modelId of await artifacts.modelIds()) {
    const stored = await store.getState(modelId);
    if (!stored) {
      // Files of a deleted model (the process stopped between the delete and the file removal).
      await artifacts.deleteModel(modelId);
      continue;
    }
    const keep = new Set(liveVersions(stored.state).map((v) => `${v}.bin`));
    for (const name of await artifacts.list(modelId)) {
      const m = /^(\d+)\.bin$/.exec(name);
      // Only versions already committed (below nextVersion) are known to be released; temp files are
      // leftovers of writes a crash interrupted.
      const released = m && !keep.has(name) && Number(m[1]) < stored.state.nextVersion;
      if (released) await artifacts.delete(modelId, Number(m[1]));
      else if (name.endsWith('.tmp') && Date.now() - (await artifacts.modifiedAt(modelId, name)) > TEMP_FILE_STALE_MS) {
        await artifacts.removeTemp(modelId, name);
      }
    }
  }
}
