// A stored run as the API shows it, and which run statuses are final.
import type { Run } from '../../contract/runs.js';
import type { RunRecord } from '../../storage/models/model-store.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether a run with this status has ended (succeeded, failed or cancelled). */
export const hasEnded = (status: string): boolean => TERMINAL.has(status);

export function toRunContract(r: RunRecord): Run {
  return {
    id: r.id,
    modelId: r.modelId,
    kind: r.kind,
    status: r.status,
    stage: r.stage,
    progress: r.progress,
    version: r.version,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}
