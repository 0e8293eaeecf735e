// Reading models as the API shows them: the model with its slots, draft check and allowed actions,
// its history, and one version in full.
import type { z } from 'zod';
import type { History, Model, Version } from '../../contract/models.js';
import { availableActions } from '../../domain/available-actions.js';
import { LatheError } from '../../domain/errors.js';
import { liveVersions, type ModelState } from '../../domain/model-state.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import type { DraftChecker } from './draft-check.js';
import type { ModelWriter, Stored } from './model-writer.js';
import type { RunTracker } from './run-tracker.js';
import { statusOf, toVersionContract } from './version-view.js';

export function createModelViews(deps: { store: ModelStore; writer: ModelWriter; checker: DraftChecker; tracker: RunTracker }) {
  const { store, writer, checker, tracker } = deps;

  async function toModel(stored: Stored): Promise<Model> {
    const s = stored.state;
    const slot = async (ref: ModelState['published'], status: 'published' | 'lastTrained') => {
      if (!ref) return null;
      const v = await store.getVersion(s.id, ref.version);
      return v ? toVersionContract(v, status, true, false) : null;
    };
    const warnings: Model['warnings'] = [];
    if (s.lastRunOutcome?.status === 'failed') {
      warnings.push({ code: 'LAST_RUN_FAILED', message: `The last training failed: ${s.lastRunOutcome.message}`, details: { runId: s.lastRunOutcome.runId } });
    }
    const validation = s.draft ? (await checker.validate(s.type, s.draft.configuration)).report : null;
    const actions = availableActions(s, writer.ctx(), validation?.errors ?? []);
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      type: s.type,
      owner: s.owner,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      draft: s.draft && validation ? { ...s.draft, validation } : null,
      lastTrained: await slot(s.lastTrained, 'lastTrained'),
      published: await slot(s.published, 'published'),
      rollbackVersions: s.retained.map((r) => r.version),
      activeRun: s.activeRun ? ((await tracker.runContract(s.activeRun.runId)) ?? null) : null,
      lastRunOutcome: s.lastRunOutcome,
      warnings,
      actions,
    };
  }

  return {
    toModel,

    async list(): Promise<Model[]> {
      const out: Model[] = [];
      for (const stored of await store.listStates()) out.push(await toModel(stored));
      return out;
    },

    async get(modelId: string): Promise<Model> {
      return toModel(await writer.load(modelId));
    },

    async history(modelId: string): Promise<z.infer<typeof History>> {
      const { state } = await writer.load(modelId);
      const events = await store.listEvents(modelId);
      const liveSet = new Set(liveVersions(state));
      const versions = (await store.listVersions(modelId)).map((v) => toVersionContract(v, statusOf(v.version, state, events), liveSet.has(v.version), false));
      return { versions, events: events.map((e) => ({ at: e.at, actor: e.actor, type: e.type, version: e.version, message: e.message, details: e.details })) };
    },

    async version(modelId: string, version: number): Promise<Version> {
      const { state } = await writer.load(modelId);
      const rec = await store.getVersion(modelId, version);
      if (!rec) throw new LatheError('NOT_FOUND', `Model ${modelId} has no version ${version}.`, { what: 'Version', id: version });
      const events = await store.listEvents(modelId);
      return toVersionContract(rec, statusOf(version, state, events), liveVersions(state).includes(version), true);
    },
  };
}
