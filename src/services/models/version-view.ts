// A stored version as the API shows it, with where it stands now (a slot, retained, or gone and how).
import type { Version } from '../../contract/models.js';
import type { ModelState } from '../../domain/model-state.js';
import type { VersionRecord } from '../../storage/models/model-store.js';

/** Where a version stands now: a slot, retained for roll back, or gone (and how it left). */
export function statusOf(version: number, state: ModelState, events: { type: string; version: number | null }[]): Version['status'] {
  if (state.published?.version === version) return 'published';
  if (state.lastTrained?.version === version) return 'lastTrained';
  if (state.retained.some((r) => r.version === version)) return 'retained';
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.version !== version) continue;
    if (e.type === 'unpublished') return 'unpublished';
    if (e.type === 'replaced') return 'replaced';
  }
  return 'replaced';
}

export function toVersionContract(v: VersionRecord, status: Version['status'], live: boolean, withDetails: boolean): Version {
  const out: Version = {
    modelId: v.modelId,
    version: v.version,
    kind: v.kind,
    basedOn: v.basedOn,
    configuration: v.configuration,
    table: v.table,
    trainedAt: v.trainedAt,
    trainedBy: v.trainedBy,
    durationMs: v.durationMs,
    runId: v.runId,
    score: v.score,
    metrics: v.metrics,
    influence: v.influence,
    rows: v.rows,
    split: v.split,
    warnings: v.warnings,
    summary: v.summary,
    status,
    artifact: live ? v.artifact : null,
  };
  if (withDetails) out.details = v.details;
  return out;
}
